package io.github.wsrobustness.frame;

import java.util.List;
import java.util.OptionalInt;
import okio.Buffer;
import okio.ByteString;

/**
 * A frame as {@link FrameReader} decoded it from the wire (RFC 6455 §5.2), with every protocol
 * violation the reader found in it, each as one plain sentence. The violations never discard the
 * frame: what was read is all here, exactly as it arrived.
 *
 * <p>A payload or message longer than the reader's limit was read to its end, checked and counted,
 * but only its first bytes are kept: {@link #isPayloadTruncated()} and {@link
 * #isMessageTruncated()} say so, and {@link #declaredLength()} and {@link #messageLength()} give
 * the real sizes.
 *
 * <p>Thread-safety: immutable.
 */
public final class ReceivedFrame {
  /** A close reason is at most 123 bytes (§5.5), so this shows any legal one whole. */
  private static final int CLOSE_REASON_SHOWN = 123;

  /** Characters of a message shown by {@link #describeContent()}. */
  private static final int CONTENT_SHOWN = 200;

  private final ByteString header;
  private final ByteString payload;
  private final long declaredLength;
  private final List<String> violations;
  private final ByteString message;
  private final int messageOpcode;
  private final long messageLength;

  ReceivedFrame(
      ByteString header,
      ByteString payload,
      long declaredLength,
      List<String> violations,
      ByteString message,
      int messageOpcode,
      long messageLength) {
    this.header = header;
    this.payload = payload;
    this.declaredLength = declaredLength;
    this.violations = violations.isEmpty() ? List.of() : List.copyOf(violations);
    this.message = message;
    this.messageOpcode = messageOpcode;
    this.messageLength = messageLength;
  }

  /** The header bytes exactly as received, masking key included. */
  public ByteString header() {
    return header;
  }

  /** Whether FIN is set. */
  public boolean isFin() {
    return (header.getByte(0) & WebSocketProtocol.B0_FLAG_FIN) != 0;
  }

  /** The RSV bits in their byte-0 positions. */
  public int rsvFlags() {
    return header.getByte(0) & WebSocketProtocol.B0_MASK_RSV;
  }

  /** The opcode nibble. */
  public int opcode() {
    return header.getByte(0) & WebSocketProtocol.B0_MASK_OPCODE;
  }

  /** Whether the MASK bit is set, which a server must never do (§5.1). */
  public boolean isMasked() {
    return (header.getByte(1) & WebSocketProtocol.B1_FLAG_MASK) != 0;
  }

  /** Whether the opcode is a control opcode (close, ping, pong, or a reserved 0xB–0xF). */
  public boolean isControl() {
    return Opcode.isControl(opcode());
  }

  /** Whether this is a close frame. */
  public boolean isClose() {
    return opcode() == Opcode.CLOSE.value();
  }

  /** Whether this is a ping. */
  public boolean isPing() {
    return opcode() == Opcode.PING.value();
  }

  /** Whether this is a pong. */
  public boolean isPong() {
    return opcode() == Opcode.PONG.value();
  }

  /** The payload length the header declared (unsigned), which may exceed the bytes kept. */
  public long declaredLength() {
    return declaredLength;
  }

  /**
   * The payload, unmasked if the frame was masked: all of it, or its first bytes when {@link
   * #isPayloadTruncated()}.
   */
  public ByteString payload() {
    return payload;
  }

  /** Whether the payload was longer than the reader keeps, so {@link #payload()} is its start. */
  public boolean isPayloadTruncated() {
    return Long.compareUnsigned(payload.size(), declaredLength) < 0;
  }

  /** The payload decoded as UTF-8, malformed bytes replaced. */
  public String payloadUtf8() {
    return payload.utf8();
  }

  /**
   * When this frame completes a text or binary message, that message's payload (all fragments
   * joined, and inflated when it was compressed with an agreed permessage-deflate; its first bytes
   * when {@link #isMessageTruncated()}); otherwise null.
   */
  public ByteString message() {
    return message;
  }

  /** When this frame completes a message, the message's length in bytes; otherwise -1. */
  public long messageLength() {
    return messageLength;
  }

  /** Whether this frame completes a message longer than the reader keeps. */
  public boolean isMessageTruncated() {
    return message != null && message.size() < messageLength;
  }

  /**
   * When this frame completes a message, the opcode of the message's first frame ({@code TEXT} or
   * {@code BINARY}; this frame's own may be {@code CONTINUATION}); otherwise -1.
   */
  public int messageOpcode() {
    return messageOpcode;
  }

  /** The close status code, if this is a close frame of at least two bytes. */
  public OptionalInt closeCode() {
    if (!isClose() || payload.size() < 2) return OptionalInt.empty();
    return OptionalInt.of(((payload.getByte(0) & 0xff) << 8) | (payload.getByte(1) & 0xff));
  }

  /** The close reason, empty when absent; only meaningful for close frames. */
  public String closeReason() {
    return isClose() && payload.size() > 2 ? payload.substring(2).utf8() : "";
  }

  /** The protocol violations found in this frame, one sentence each; empty for a legal frame. */
  public List<String> violations() {
    return violations;
  }

  /**
   * The frame as it was on the wire: header, then the payload (re-masked if it was masked); only
   * the kept part of a truncated payload.
   */
  public ByteString wireBytes() {
    Buffer out = new Buffer().write(header);
    if (isMasked() && header.size() >= 4) {
      byte[] key = header.substring(header.size() - 4).toByteArray();
      out.write(WebSocketProtocol.toggleMask(payload, key));
    } else {
      out.write(payload);
    }
    return out.readByteString();
  }

  /** One line naming the header fields and, for close frames, the code and reason. */
  public String describe() {
    StringBuilder out = new StringBuilder(Opcode.describe(opcode()));
    out.append(isFin() ? " fin" : " no-fin");
    if ((rsvFlags() & WebSocketProtocol.B0_FLAG_RSV1) != 0) out.append(" rsv1");
    if ((rsvFlags() & WebSocketProtocol.B0_FLAG_RSV2) != 0) out.append(" rsv2");
    if ((rsvFlags() & WebSocketProtocol.B0_FLAG_RSV3) != 0) out.append(" rsv3");
    if (isMasked()) out.append(" masked");
    out.append(" len=").append(Long.toUnsignedString(declaredLength));
    if (isClose()) {
      OptionalInt code = closeCode();
      if (code.isPresent()) {
        out.append(" code=").append(code.getAsInt());
        if (payload.size() > 2) {
          out.append(" reason=").append(Previews.text(payload.substring(2), CLOSE_REASON_SHOWN));
        }
      }
    }
    return out.toString();
  }

  /**
   * What this frame carried, as people read it: for a frame that completes a message, the message
   * ({@code TEXT "hi"}, {@code BINARY 01 02 03}, or its size and start when it was longer than the
   * reader keeps); for a close frame its code and reason; for any other frame, its kind and the
   * start of its payload ({@code PONG "a"}).
   */
  public String describeContent() {
    if (message != null) {
      String name = Opcode.describe(messageOpcode);
      boolean text = messageOpcode == Opcode.TEXT.value();
      if (isMessageTruncated()) {
        return "a "
            + name
            + " message of "
            + Long.toUnsignedString(messageLength)
            + " bytes, longer than the reader keeps, starting "
            + (text ? Previews.text(message, CONTENT_SHOWN / 4) : Previews.hex(message, 16));
      }
      return name
          + " "
          + (text
              ? Previews.text(message, CONTENT_SHOWN)
              : Previews.hex(message, CONTENT_SHOWN / 4));
    }
    String name = Opcode.describe(opcode());
    if (isClose()) {
      if (closeCode().isEmpty())
        return payload.size() == 0 ? "CLOSE without a code" : "CLOSE " + Previews.hex(payload, 4);
      String reason =
          payload.size() > 2 ? " " + Previews.text(payload.substring(2), CLOSE_REASON_SHOWN) : "";
      return "CLOSE " + CloseCode.describe(closeCode().getAsInt()) + reason;
    }
    return payload.size() == 0
        ? name + " (empty)"
        : name + " " + Previews.textOrHex(payload, CONTENT_SHOWN / 2);
  }

  @Override
  public String toString() {
    return "ReceivedFrame[" + describe() + (violations.isEmpty() ? "" : " " + violations) + "]";
  }
}
