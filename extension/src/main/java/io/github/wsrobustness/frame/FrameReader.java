package io.github.wsrobustness.frame;

import static io.github.wsrobustness.frame.WebSocketProtocol.B0_FLAG_FIN;
import static io.github.wsrobustness.frame.WebSocketProtocol.B0_FLAG_RSV1;
import static io.github.wsrobustness.frame.WebSocketProtocol.B0_FLAG_RSV2;
import static io.github.wsrobustness.frame.WebSocketProtocol.B0_FLAG_RSV3;
import static io.github.wsrobustness.frame.WebSocketProtocol.B0_MASK_OPCODE;
import static io.github.wsrobustness.frame.WebSocketProtocol.B1_FLAG_MASK;
import static io.github.wsrobustness.frame.WebSocketProtocol.B1_MASK_LENGTH;
import static io.github.wsrobustness.frame.WebSocketProtocol.CONTROL_PAYLOAD_MAX;
import static io.github.wsrobustness.frame.WebSocketProtocol.PAYLOAD_LONG;
import static io.github.wsrobustness.frame.WebSocketProtocol.PAYLOAD_SHORT;

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
 * <p><b>Bounded, whatever the sender declares.</b> A payload is read in chunks of at most 64 KiB
 * and never allocated by its declared length. Of a frame, and of a message, at most {@code
 * maxPayload} bytes are kept; a longer one is still read to its end (its UTF-8 checked as it
 * passes), so the frames after it are found, and keeps only its first {@value #TRUNCATED_KEPT}
 * bytes ({@link ReceivedFrame#isPayloadTruncated()}, {@link ReceivedFrame#isMessageTruncated()}). A
 * length with the top bit set is reported and then read like any other: it ends with the stream.
 *
 * <p><b>Compressed messages.</b> Built with an agreed {@link PerMessageDeflate}, it inflates a
 * message whose first frame has RSV1 as its frames arrive (RFC 7692 §7.2.2), never past {@code
 * maxPayload} inflated bytes, and reports broken compression as a violation of the message.
 *
 * <p><b>Resumable.</b> When the source times out ({@link java.io.InterruptedIOException}), the
 * frame read so far is kept: the next {@link #readFrame()} continues it. That lets a caller read
 * with a deadline and come back later without losing its place in the stream.
 *
 * <p>Thread-safety: not thread-safe; one reader per connection, used by one thread at a time (or
 * handed between threads under a lock).
 */
public final class FrameReader {
  /** The default cap on the payload kept of one frame or message, when none is given. */
  public static final long DEFAULT_MAX_PAYLOAD = 64L * 1024 * 1024;

  /** Payload bytes kept of a frame or message longer than the limit: enough to show its start. */
  public static final int TRUNCATED_KEPT = 1024;

  /** How much payload is read, unmasked and checked at a time. */
  private static final long CHUNK = 64 * 1024;

  private final BufferedSource source;
  private final boolean expectMasked;
  private final int allowedRsvFlags;
  private final long maxPayload;

  /** Inflates compressed messages when permessage-deflate was agreed, or null. */
  private final MessageInflater inflater;

  // The message being assembled across frames (§5.4).
  private int messageOpcode = -1;
  private final Buffer message = new Buffer();
  private long messageLength;
  private boolean messageTruncated;
  private Utf8 messageUtf8;
  private boolean messageCompressed;
  private boolean closeReceived;

  // The frame being read; it survives a timeout of the source. Null header: between frames.
  private ByteString header;
  private int opcode;
  private boolean fin;
  private long declaredLength;
  private long remaining;
  private byte[] maskKey;
  private long keyIndex;
  private List<String> violations;
  private boolean partOfMessage;
  private final Buffer kept = new Buffer();
  private final Buffer chunk = new Buffer();
  private long keepLimit;
  private boolean startedMessage;

  /**
   * A reader of frames sent by a server ({@code expectMasked} false, as a client reads) or by a
   * client ({@code expectMasked} true, as a test peer reads). {@code allowedRsvFlags} are the RSV
   * bits negotiated extensions may set ({@code B0_FLAG_RSV1} for permessage-deflate, 0 without
   * extensions); {@code maxPayload} is the most bytes kept of one frame or one message.
   */
  public FrameReader(
      BufferedSource source, boolean expectMasked, int allowedRsvFlags, long maxPayload) {
    this.source = Objects.requireNonNull(source, "source");
    this.expectMasked = expectMasked;
    this.allowedRsvFlags = allowedRsvFlags;
    if (maxPayload < 0) {
      throw new IllegalArgumentException("maxPayload must not be negative: " + maxPayload);
    }
    this.maxPayload = maxPayload;
    this.inflater = null;
  }

  /**
   * A reader as {@link #FrameReader(BufferedSource, boolean, int, long)}, for a connection that
   * agreed on permessage-deflate ({@code agreed}; null: none): a data message whose first frame has
   * RSV1 is inflated as it arrives (RFC 7692 §7.2.2), with the sender's context reset after each
   * message where it agreed to, and never past {@code maxPayload} inflated bytes. Its violations
   * (no valid DEFLATE data, say) are reported with the message.
   */
  public FrameReader(
      BufferedSource source, boolean expectMasked, PerMessageDeflate agreed, long maxPayload) {
    this.source = Objects.requireNonNull(source, "source");
    this.expectMasked = expectMasked;
    this.allowedRsvFlags = agreed != null ? B0_FLAG_RSV1 : 0;
    if (maxPayload < 0) {
      throw new IllegalArgumentException("maxPayload must not be negative: " + maxPayload);
    }
    this.maxPayload = maxPayload;
    // The sender's parameters decide: the client's when a peer reads a client's frames.
    this.inflater =
        agreed == null
            ? null
            : new MessageInflater(
                expectMasked
                    ? agreed.isClientNoContextTakeover()
                    : agreed.isServerNoContextTakeover(),
                maxPayload);
  }

  /** A reader of server frames with no extension negotiated and the default payload cap. */
  public static FrameReader forServerFrames(BufferedSource source) {
    return new FrameReader(source, false, 0, DEFAULT_MAX_PAYLOAD);
  }

  /**
   * Reads the next frame, or returns null when the stream ends cleanly at a frame boundary. A
   * timeout of the source propagates and loses nothing: call again to continue the same frame.
   *
   * @throws TruncatedFrameException when the stream ends inside a frame; it carries what arrived
   */
  public ReceivedFrame readFrame() throws IOException {
    if (header == null) {
      if (!source.request(1)) return null;
      readHeader();
    }
    readPayload();
    return finishFrame();
  }

  /** Reads and checks a whole header; consumes nothing unless all of it has arrived. */
  private void readHeader() throws IOException {
    Buffer buffered = source.getBuffer();
    if (!source.request(2)) throw truncatedHeader();
    int b0 = buffered.getByte(0) & 0xff;
    int b1 = buffered.getByte(1) & 0xff;
    int length7 = b1 & B1_MASK_LENGTH;
    boolean masked = (b1 & B1_FLAG_MASK) != 0;
    int lengthBytes = length7 == PAYLOAD_SHORT ? 2 : length7 == PAYLOAD_LONG ? 8 : 0;
    int headerSize = 2 + lengthBytes + (masked ? 4 : 0);
    if (!source.request(headerSize)) throw truncatedHeader();
    ByteString bytes = source.readByteString(headerSize);

    List<String> found = new ArrayList<>(0); // most frames have none: an empty list costs little
    int op = b0 & B0_MASK_OPCODE;
    boolean isFin = (b0 & B0_FLAG_FIN) != 0;
    String name = Opcode.describe(op);
    if (masked != expectMasked) {
      found.add(
          expectMasked
              ? "frame is not masked; RFC 6455 §5.1 requires every client frame to be masked"
              : "frame is masked; RFC 6455 §5.1 forbids a server to mask its frames");
    }
    // An extension's bit belongs on the first frame of a data message (RFC 7692 §6 for RSV1),
    // never on control or continuation frames.
    boolean startsMessage = op == Opcode.TEXT.value() || op == Opcode.BINARY.value();
    int allowedHere = startsMessage ? allowedRsvFlags : 0;
    checkRsv(b0, B0_FLAG_RSV1, "RSV1", allowedHere, found);
    checkRsv(b0, B0_FLAG_RSV2, "RSV2", allowedHere, found);
    checkRsv(b0, B0_FLAG_RSV3, "RSV3", allowedHere, found);
    if (closeReceived && !Opcode.isControl(op)) {
      // §5.5.1 forbids data after a close; a control frame after it (a second close, say) is
      // pointless but not forbidden.
      found.add(
          name
              + " frame arrived after the close frame; no data frame may follow a close (RFC 6455"
              + " §5.5.1)");
    }
    if (Opcode.isReserved(op)) {
      found.add(String.format("opcode 0x%X is reserved (RFC 6455 §5.2)", op));
    }

    long length = length7;
    if (lengthBytes == 2) {
      length = ((bytes.getByte(2) & 0xffL) << 8) | (bytes.getByte(3) & 0xffL);
      if (length <= WebSocketProtocol.PAYLOAD_BYTE_MAX) found.add(nonMinimal(length, "16-bit"));
    } else if (lengthBytes == 8) {
      length = 0;
      for (int i = 2; i < 10; i++) length = (length << 8) | (bytes.getByte(i) & 0xffL);
      if (length < 0) {
        found.add(
            "64-bit payload length "
                + Long.toUnsignedString(length)
                + " has its most significant bit set (RFC 6455 §5.2)");
      } else if (length <= WebSocketProtocol.PAYLOAD_SHORT_MAX) {
        found.add(nonMinimal(length, "64-bit"));
      }
    }
    if (Opcode.isControl(op)) {
      if (Long.compareUnsigned(length, CONTROL_PAYLOAD_MAX) > 0) {
        found.add(
            name
                + " frame declares "
                + Long.toUnsignedString(length)
                + " payload bytes; control frames may carry at most 125 (RFC 6455 §5.5)");
      }
      if (!isFin) {
        found.add(
            name + " frame is fragmented (FIN clear); control frames must not be (RFC 6455 §5.5)");
      }
    }

    header = bytes;
    opcode = op;
    fin = isFin;
    declaredLength = length;
    remaining = length;
    maskKey = masked ? bytes.substring(headerSize - 4).toByteArray() : null;
    keyIndex = 0;
    violations = found;
    // A control frame carries at most 125 bytes (§5.5); one that declares more keeps only a
    // preview.
    long keepAtMost = Opcode.isControl(op) ? TRUNCATED_KEPT : maxPayload;
    keepLimit =
        Long.compareUnsigned(length, keepAtMost) > 0
            ? Math.min(maxPayload, TRUNCATED_KEPT)
            : length;
    partOfMessage =
        startMessageFrame(
            op, startsMessage, (b0 & B0_FLAG_RSV1) != 0 && inflater != null, name, found);
  }

  /**
   * Follows fragmentation (§5.4) as a data frame's header arrives; returns whether the frame's
   * payload belongs to a message.
   */
  private boolean startMessageFrame(
      int op, boolean startsMessage, boolean compressed, String name, List<String> found) {
    if (startsMessage) {
      if (messageOpcode != -1) {
        found.add(
            name
                + " frame arrived inside a fragmented "
                + Opcode.describe(messageOpcode)
                + " message; only continuation frames may follow until FIN (RFC 6455 §5.4)");
      }
      messageOpcode = op;
      startedMessage = true;
      message.clear();
      messageLength = 0;
      messageTruncated = false;
      messageCompressed = compressed;
      // A compressed message's text is checked once inflated, by the inflater.
      messageUtf8 = op == Opcode.TEXT.value() && !compressed ? new Utf8() : null;
      if (compressed) inflater.start(op == Opcode.TEXT.value());
      return true;
    }
    startedMessage = false;
    if (op == Opcode.CONTINUATION.value()) {
      if (messageOpcode == -1) {
        found.add(
            "continuation frame arrived with no fragmented message to continue (RFC 6455 §5.4)");
        return false;
      }
      return true;
    }
    return false; // control and reserved opcodes do not take part in messages
  }

  /**
   * Reads the rest of the payload in bounded chunks, unmasking, checking and keeping as it goes.
   */
  private void readPayload() throws IOException {
    while (remaining != 0) {
      long want = Long.compareUnsigned(remaining, CHUNK) < 0 ? remaining : CHUNK;
      long read = source.read(chunk, want);
      if (read == -1) throw truncatedPayload();
      if (maskKey != null) {
        keyIndex = WebSocketProtocol.toggleMask(chunk, 0, read, maskKey, keyIndex);
      }
      if (partOfMessage && messageUtf8 != null) messageUtf8.update(chunk, 0, read);
      if (partOfMessage && messageCompressed) inflater.update(chunk, 0, read);
      long room = keepLimit - kept.size();
      if (room > 0) kept.write(chunk, Math.min(room, read));
      chunk.clear();
      remaining -= read;
    }
  }

  private ReceivedFrame finishFrame() {
    ByteString payload = kept.readByteString();
    if (opcode == Opcode.CLOSE.value()) {
      if (Long.compareUnsigned(declaredLength, payload.size()) == 0) {
        checkClosePayload(payload, violations);
      }
      closeReceived = true;
    }
    ReceivedFrame frame;
    if (partOfMessage) {
      int startedBy = messageOpcode;
      ByteString completed = addToMessage(payload);
      frame =
          completed == null
              ? frame(payload, null, -1, -1)
              : frame(payload, completed, startedBy, messageLength);
      if (completed != null) messageOpcode = -1;
    } else {
      frame = frame(payload, null, -1, -1);
    }
    header = null;
    violations = null;
    maskKey = null;
    return frame;
  }

  /** Adds a data frame's payload to the message; returns the whole message when FIN ends it. */
  private ByteString addToMessage(ByteString payload) {
    if (messageCompressed) return addToCompressedMessage();
    if (startedMessage && fin) {
      // A message in one frame is that frame's payload: the same bytes, not a copy.
      messageLength = declaredLength;
      if (messageUtf8 != null && !messageUtf8.isCompleteAndValid()) {
        violations.add("text message is not valid UTF-8 (RFC 6455 §8.1)");
      }
      messageUtf8 = null;
      return payload;
    }
    messageLength += declaredLength;
    if (!messageTruncated && (messageLength > maxPayload || messageLength < 0)) {
      // Not comparable any more: keep only its start, so a long message costs no memory.
      messageTruncated = true;
      long keep = Math.min(maxPayload, TRUNCATED_KEPT);
      if (message.size() > keep) {
        ByteString start = message.snapshot((int) keep);
        message.clear();
        message.write(start);
      }
    }
    long room =
        (messageTruncated ? Math.min(maxPayload, TRUNCATED_KEPT) : maxPayload) - message.size();
    if (room > 0) message.write(payload, 0, (int) Math.min(room, payload.size()));
    if (!fin) return null;
    if (messageUtf8 != null && !messageUtf8.isCompleteAndValid()) {
      violations.add("text message is not valid UTF-8 (RFC 6455 §8.1)");
    }
    messageUtf8 = null;
    return message.readByteString();
  }

  /** Ends a compressed message at FIN: the inflated message, its length and its violations. */
  private ByteString addToCompressedMessage() {
    if (!fin) return null;
    messageCompressed = false;
    inflater.finish();
    messageLength = inflater.inflatedLength();
    Buffer inflated = inflater.takeMessage();
    if (inflater.problem() != null) {
      violations.add(inflater.problem());
    } else if (inflater.isCutOff()) {
      // Past the limit nothing more was inflated: keep only its start, as for a long message.
      long keep = Math.min(maxPayload, TRUNCATED_KEPT);
      if (inflated.size() > keep) return inflated.snapshot((int) keep);
    } else if (!inflater.isValidText()) {
      violations.add("text message is not valid UTF-8 once inflated (RFC 6455 §8.1)");
    }
    return inflated.readByteString();
  }

  private ReceivedFrame frame(
      ByteString payload, ByteString completed, int completedOpcode, long completedLength) {
    return new ReceivedFrame(
        header,
        payload,
        declaredLength,
        violations,
        completed,
        completed == null ? -1 : completedOpcode,
        completed == null ? -1 : completedLength);
  }

  private TruncatedFrameException truncatedHeader() throws IOException {
    ByteString partial = source.readByteString(); // what arrived before the end: less than a header
    return new TruncatedFrameException(partial, false, ByteString.EMPTY, -1, 0, List.of());
  }

  private TruncatedFrameException truncatedPayload() {
    ByteString partial = kept.readByteString();
    if (maskKey != null) partial = WebSocketProtocol.toggleMask(partial, maskKey); // as it arrived
    TruncatedFrameException e =
        new TruncatedFrameException(
            header, true, partial, declaredLength, declaredLength - remaining, violations);
    header = null;
    return e;
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

  private static void checkRsv(int b0, int flag, String name, int allowed, List<String> found) {
    if ((b0 & flag) != 0 && (allowed & flag) == 0) {
      found.add(name + " is set but no negotiated extension defines it (RFC 6455 §5.2)");
    }
  }

  private static String nonMinimal(long length, String field) {
    return "payload length "
        + length
        + " is written in the "
        + field
        + " field; the minimal encoding is required (RFC 6455 §5.2)";
  }
}
