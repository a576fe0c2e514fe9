package io.github.wsrobustness.frame;

import static io.github.wsrobustness.frame.WebSocketProtocol.B0_FLAG_RSV1;
import static io.github.wsrobustness.frame.WebSocketProtocol.B0_FLAG_RSV2;
import static io.github.wsrobustness.frame.WebSocketProtocol.B0_FLAG_RSV3;
import static io.github.wsrobustness.frame.WebSocketProtocol.B1_FLAG_MASK;
import static io.github.wsrobustness.frame.WebSocketProtocol.B1_MASK_LENGTH;
import static io.github.wsrobustness.frame.WebSocketProtocol.CONTROL_PAYLOAD_MAX;
import static io.github.wsrobustness.frame.WebSocketProtocol.PAYLOAD_LONG;
import static io.github.wsrobustness.frame.WebSocketProtocol.PAYLOAD_SHORT;

import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import okio.Buffer;
import okio.BufferedSource;
import okio.ByteString;

/**
 * Decodes frames from a byte stream and reports every violation of RFC 6455 it finds, one plain
 * sentence each, without throwing away what was read: the frame is returned with its {@link
 * ReceivedFrame#violations()}.
 *
 * <p>It checks the sender's role (§5.1: a server must not mask, a client must), reserved bits
 * without a negotiated extension and reserved opcodes (§5.2), minimal length encoding and the
 * 64-bit length's top bit (§5.2), control frame size and fragmentation (§5.5), the close payload
 * (§5.5.1, §7.4), fragment sequencing (§5.4) and UTF-8 in text messages (§8.1).
 *
 * <p>A frame whose declared length exceeds {@code maxPayload} (or has the top bit set) cannot be
 * followed any further: it is returned with what could be read and the reader refuses further
 * frames ({@link #isDesynchronized()}), since the frame boundaries after it are unknown.
 *
 * <p>Thread-safety: not thread-safe; one reader per connection, used by one thread at a time.
 */
public final class FrameReader {
  /** The default cap on one frame's payload: large enough for Autobahn's 16 MiB messages. */
  public static final long DEFAULT_MAX_PAYLOAD = 64L * 1024 * 1024;

  private final BufferedSource source;
  private final boolean expectMasked;
  private final int allowedRsvFlags;
  private final long maxPayload;

  private int messageOpcode = -1;
  private final Buffer message = new Buffer();
  private boolean messageTooLong;
  private boolean closeReceived;
  private boolean desynchronized;

  /**
   * A reader of frames sent by a server ({@code expectMasked} false, as a client reads) or by a
   * client ({@code expectMasked} true, as a test peer reads). {@code allowedRsvFlags} are the RSV
   * bits negotiated extensions may set ({@code B0_FLAG_RSV1} for permessage-deflate, 0 without
   * extensions).
   */
  public FrameReader(
      BufferedSource source, boolean expectMasked, int allowedRsvFlags, long maxPayload) {
    this.source = Objects.requireNonNull(source, "source");
    this.expectMasked = expectMasked;
    this.allowedRsvFlags = allowedRsvFlags;
    if (maxPayload < 0)
      throw new IllegalArgumentException("maxPayload must not be negative: " + maxPayload);
    this.maxPayload = maxPayload;
  }

  /** A reader of server frames with no extension negotiated and the default payload cap. */
  public static FrameReader forServerFrames(BufferedSource source) {
    return new FrameReader(source, false, 0, DEFAULT_MAX_PAYLOAD);
  }

  /** Whether a frame of unknown extent was read, after which frame boundaries are lost. */
  public boolean isDesynchronized() {
    return desynchronized;
  }

  /**
   * Reads the next frame, or returns null when the stream ends cleanly at a frame boundary.
   *
   * @throws TruncatedFrameException when the stream ends inside a frame; it carries the bytes read
   * @throws IllegalStateException after a frame of unknown extent ({@link #isDesynchronized()})
   */
  public ReceivedFrame readFrame() throws IOException {
    if (desynchronized) {
      throw new IllegalStateException(
          "frame boundaries are lost after a frame whose length could not be read");
    }
    if (source.exhausted()) return null;

    Buffer header = new Buffer();
    require(header, 2);
    int b0 = header.getByte(0) & 0xff;
    int b1 = header.getByte(1) & 0xff;
    int opcode = b0 & WebSocketProtocol.B0_MASK_OPCODE;
    boolean fin = (b0 & WebSocketProtocol.B0_FLAG_FIN) != 0;
    boolean masked = (b1 & B1_FLAG_MASK) != 0;
    List<String> violations = new ArrayList<>();
    String name = Opcode.describe(opcode);

    if (masked != expectMasked) {
      violations.add(
          expectMasked
              ? "frame is not masked; RFC 6455 §5.1 requires every client frame to be masked"
              : "frame is masked; RFC 6455 §5.1 forbids a server to mask its frames");
    }
    // An extension's bit belongs on the first frame of a data message (RFC 7692 §6 for RSV1), never
    // on
    // control or continuation frames.
    boolean startsMessage = opcode == Opcode.TEXT.value() || opcode == Opcode.BINARY.value();
    int allowedHere = startsMessage ? allowedRsvFlags : 0;
    checkRsv(b0, B0_FLAG_RSV1, "RSV1", allowedHere, violations);
    checkRsv(b0, B0_FLAG_RSV2, "RSV2", allowedHere, violations);
    checkRsv(b0, B0_FLAG_RSV3, "RSV3", allowedHere, violations);
    if (closeReceived) {
      violations.add(
          name
              + " frame arrived after the close frame; nothing may follow a close (RFC 6455 §5.5.1)");
    }
    if (Opcode.isReserved(opcode)) {
      violations.add(String.format("opcode 0x%X is reserved (RFC 6455 §5.2)", opcode));
    }

    long length = b1 & B1_MASK_LENGTH;
    if (length == PAYLOAD_SHORT) {
      require(header, 4);
      length = ((header.getByte(2) & 0xffL) << 8) | (header.getByte(3) & 0xffL);
      if (length <= WebSocketProtocol.PAYLOAD_BYTE_MAX) {
        violations.add(nonMinimal(length, "16-bit"));
      }
    } else if (length == PAYLOAD_LONG) {
      require(header, 10);
      length = readLong(header, 2);
      if (length < 0) {
        violations.add(
            "64-bit payload length "
                + Long.toUnsignedString(length)
                + " has its most significant bit set (RFC 6455 §5.2)");
      } else if (length <= WebSocketProtocol.PAYLOAD_SHORT_MAX) {
        violations.add(nonMinimal(length, "64-bit"));
      }
    }
    byte[] key = null;
    if (masked) {
      long keyAt = header.size();
      require(header, keyAt + 4);
      key = header.snapshot().substring((int) keyAt).toByteArray();
    }

    if (Opcode.isControl(opcode)) {
      if (Long.compareUnsigned(length, CONTROL_PAYLOAD_MAX) > 0) {
        violations.add(
            name
                + " frame declares "
                + Long.toUnsignedString(length)
                + " payload bytes; control frames may carry at most 125 (RFC 6455 §5.5)");
      }
      if (!fin) {
        violations.add(
            name + " frame is fragmented (FIN clear); control frames must not be (RFC 6455 §5.5)");
      }
    }

    ByteString headerBytes = header.readByteString();
    if (Long.compareUnsigned(length, maxPayload) > 0) {
      desynchronized = true;
      violations.add(
          "payload of "
              + Long.toUnsignedString(length)
              + " bytes exceeds the reader's limit of "
              + maxPayload
              + " bytes; no further frame can be read from this connection");
      return new ReceivedFrame(headerBytes, ByteString.EMPTY, length, violations, null, -1);
    }

    Buffer payloadBuffer = new Buffer();
    try {
      source.readFully(payloadBuffer, length);
    } catch (EOFException e) {
      source.readAll(payloadBuffer); // keep what did arrive
      throw new TruncatedFrameException(headerBytes, payloadBuffer.snapshot(), length);
    }
    if (key != null) WebSocketProtocol.toggleMask(payloadBuffer, 0, length, key, 0);
    ByteString payload = payloadBuffer.readByteString();

    if (opcode == Opcode.CLOSE.value()) {
      checkClosePayload(payload, violations);
      closeReceived = true;
    }
    int startedBy = messageOpcode;
    ByteString completed = trackMessage(opcode, fin, name, payload, violations);
    int completedOpcode =
        completed == null ? -1 : opcode == Opcode.CONTINUATION.value() ? startedBy : opcode;
    return new ReceivedFrame(headerBytes, payload, length, violations, completed, completedOpcode);
  }

  /** Follows fragmentation (§5.4) and returns the joined message when {@code fin} completes one. */
  private ByteString trackMessage(
      int opcode, boolean fin, String name, ByteString payload, List<String> violations) {
    boolean startsMessage = opcode == Opcode.TEXT.value() || opcode == Opcode.BINARY.value();
    if (startsMessage) {
      if (messageOpcode != -1) {
        violations.add(
            name
                + " frame arrived inside a fragmented "
                + Opcode.describe(messageOpcode)
                + " message; only continuation frames may follow until FIN (RFC 6455 §5.4)");
        message.clear();
      }
      messageOpcode = opcode;
      messageTooLong = false;
    } else if (opcode == Opcode.CONTINUATION.value()) {
      if (messageOpcode == -1) {
        violations.add(
            "continuation frame arrived with no fragmented message to continue (RFC 6455 §5.4)");
        return null;
      }
    } else {
      return null; // control and reserved opcodes do not take part in messages
    }
    if (!messageTooLong && message.size() + payload.size() > maxPayload) {
      // Joining more would hold unbounded memory; the frames themselves are still all reported.
      messageTooLong = true;
      message.clear();
      violations.add(
          "message exceeds the reader's limit of "
              + maxPayload
              + " bytes; its fragments are not joined");
    }
    if (!messageTooLong) message.write(payload);
    if (!fin) return null;
    if (messageTooLong) {
      messageOpcode = -1;
      return null;
    }

    ByteString whole = message.readByteString();
    if (messageOpcode == Opcode.TEXT.value() && !Utf8.isValid(whole)) {
      violations.add("text message is not valid UTF-8 (RFC 6455 §8.1)");
    }
    messageOpcode = -1;
    return whole;
  }

  private static void checkClosePayload(ByteString payload, List<String> violations) {
    if (payload.size() == 1) {
      violations.add(
          "close frame carries a 1-byte payload; it must be empty or start with a 2-byte status code"
              + " (RFC 6455 §5.5.1)");
      return;
    }
    if (payload.size() < 2) return;
    int code = ((payload.getByte(0) & 0xff) << 8) | (payload.getByte(1) & 0xff);
    if (!CloseCode.isAllowedOnWire(code)) {
      violations.add("close code " + code + " must not be sent in a close frame (RFC 6455 §7.4)");
    }
    if (!Utf8.isValid(payload.substring(2))) {
      violations.add("close reason is not valid UTF-8 (RFC 6455 §5.5.1)");
    }
  }

  private static void checkRsv(
      int b0, int flag, String name, int allowed, List<String> violations) {
    if ((b0 & flag) != 0 && (allowed & flag) == 0) {
      violations.add(name + " is set but no negotiated extension defines it (RFC 6455 §5.2)");
    }
  }

  private static String nonMinimal(long length, String field) {
    return "payload length "
        + length
        + " is written in the "
        + field
        + " field; the minimal encoding is required (RFC 6455 §5.2)";
  }

  private static long readLong(Buffer buffer, long at) {
    long value = 0;
    for (int i = 0; i < 8; i++) value = (value << 8) | (buffer.getByte(at + i) & 0xffL);
    return value;
  }

  /** Reads from the source until {@code header} holds {@code size} bytes. */
  private void require(Buffer header, long size) throws IOException {
    long missing = size - header.size();
    if (missing <= 0) return;
    try {
      source.readFully(header, missing);
    } catch (EOFException e) {
      source.readAll(header);
      throw new TruncatedFrameException(header.snapshot(), ByteString.EMPTY, -1);
    }
  }
}
