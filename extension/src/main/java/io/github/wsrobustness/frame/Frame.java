package io.github.wsrobustness.frame;

import static io.github.wsrobustness.frame.WebSocketProtocol.B0_FLAG_RSV1;
import static io.github.wsrobustness.frame.WebSocketProtocol.B0_FLAG_RSV2;
import static io.github.wsrobustness.frame.WebSocketProtocol.B0_FLAG_RSV3;
import static io.github.wsrobustness.frame.WebSocketProtocol.B0_MASK_RSV;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;
import okio.Buffer;
import okio.ByteString;
import okio.Source;

/**
 * One WebSocket frame as a client would put it on the wire, legal or not (RFC 6455 §5.2).
 *
 * <p>The factories make legal frames ({@link #text(String)}, {@link #ping(String)}, {@link
 * #close(int, String)} …); the {@code with}-style methods return a copy with one header field
 * changed, and nothing stops them from making the frame illegal: {@code
 * Frame.text("hi").unmasked()} drops the MASK bit that §5.1 requires of clients, {@code .rsv1()}
 * sets a reserved bit, {@code .opcode(0x3)} uses a reserved opcode, {@code .declaredLength(…)}
 * makes the header lie about the payload, and {@code .lengthEncoding(…)} forces a non-minimal
 * length field. {@link FrameWriter} writes exactly what the frame says.
 *
 * <p>A payload is held in memory as an Okio {@link ByteString}, or streamed: {@link #streamed(int,
 * long, Supplier)} takes a length and a supplier of {@link Source}s, so a frame of gigabytes costs
 * no memory.
 *
 * <p>Thread-safety: immutable; a streamed frame is as safe as its supplier, which is called once
 * per write.
 */
public final class Frame {
  private final boolean fin;
  private final int rsv;
  private final int opcode;
  private final boolean masked;
  private final byte[] maskKey;
  private final ByteString payload;
  private final Supplier<? extends Source> payloadSource;
  private final long payloadLength;
  private final Long declaredLength;
  private final LengthEncoding lengthEncoding;

  private Frame(
      boolean fin,
      int rsv,
      int opcode,
      boolean masked,
      byte[] maskKey,
      ByteString payload,
      Supplier<? extends Source> payloadSource,
      long payloadLength,
      Long declaredLength,
      LengthEncoding lengthEncoding) {
    if (opcode < 0 || opcode > 0xF) {
      throw new IllegalArgumentException(
          "opcode " + opcode + " does not fit the 4-bit opcode field; use a value from 0x0 to 0xF");
    }
    if ((rsv & ~B0_MASK_RSV) != 0) {
      throw new IllegalArgumentException(
          "RSV flags must be a combination of B0_FLAG_RSV1/2/3, was " + rsv);
    }
    if (maskKey != null && maskKey.length != 4) {
      throw new IllegalArgumentException(
          "a masking key is 4 bytes (RFC 6455 §5.3), but " + maskKey.length + " were given");
    }
    long onWire = declaredLength != null ? declaredLength : payloadLength;
    if (lengthEncoding != null && !lengthEncoding.fits(onWire)) {
      throw new IllegalArgumentException(
          "length "
              + Long.toUnsignedString(onWire)
              + " does not fit a "
              + lengthEncoding
              + " length field; choose a wider LengthEncoding or a smaller declared length");
    }
    this.fin = fin;
    this.rsv = rsv;
    this.opcode = opcode;
    this.masked = masked;
    this.maskKey = maskKey;
    this.payload = payload;
    this.payloadSource = payloadSource;
    this.payloadLength = payloadLength;
    this.declaredLength = declaredLength;
    this.lengthEncoding = lengthEncoding;
  }

  private static Frame of(int opcode, ByteString payload) {
    return new Frame(true, 0, opcode, true, null, payload, null, payload.size(), null, null);
  }

  /** A final text frame carrying {@code text} as UTF-8. */
  public static Frame text(String text) {
    return of(Opcode.TEXT.value(), ByteString.encodeUtf8(text));
  }

  /** A final text frame carrying exactly these bytes, which need not be valid UTF-8. */
  public static Frame text(ByteString bytes) {
    return of(Opcode.TEXT.value(), bytes);
  }

  /** A final binary frame. */
  public static Frame binary(ByteString bytes) {
    return of(Opcode.BINARY.value(), bytes);
  }

  /** A final binary frame; the array is copied. */
  public static Frame binary(byte[] bytes) {
    return binary(ByteString.of(bytes));
  }

  /**
   * A final continuation frame carrying {@code text} as UTF-8; use {@code .fin(false)} for a middle
   * one.
   */
  public static Frame continuation(String text) {
    return of(Opcode.CONTINUATION.value(), ByteString.encodeUtf8(text));
  }

  /** A final continuation frame carrying exactly these bytes. */
  public static Frame continuation(ByteString bytes) {
    return of(Opcode.CONTINUATION.value(), bytes);
  }

  /** A ping with an empty payload. */
  public static Frame ping() {
    return ping(ByteString.EMPTY);
  }

  /** A ping carrying {@code payload} as UTF-8. */
  public static Frame ping(String payload) {
    return ping(ByteString.encodeUtf8(payload));
  }

  /** A ping carrying these bytes (over 125 makes it illegal, §5.5). */
  public static Frame ping(ByteString payload) {
    return of(Opcode.PING.value(), payload);
  }

  /** A pong with an empty payload. */
  public static Frame pong() {
    return pong(ByteString.EMPTY);
  }

  /** A pong carrying {@code payload} as UTF-8. */
  public static Frame pong(String payload) {
    return pong(ByteString.encodeUtf8(payload));
  }

  /** A pong carrying these bytes. */
  public static Frame pong(ByteString payload) {
    return of(Opcode.PONG.value(), payload);
  }

  /** A close frame with no payload (no status code), legal per §5.5.1. */
  public static Frame close() {
    return closeWithPayload(ByteString.EMPTY);
  }

  /** A close frame with a status code and no reason; any code can be given, valid or not (§7.4). */
  public static Frame close(int code) {
    return close(code, "");
  }

  /** A close frame with this status code and a UTF-8 reason. */
  public static Frame close(CloseCode code, String reason) {
    return close(code.code(), reason);
  }

  /** A close frame with a status code and a UTF-8 reason. */
  public static Frame close(int code, String reason) {
    if (code < 0 || code > 0xffff) {
      throw new IllegalArgumentException(
          "close code "
              + code
              + " does not fit the 2-byte code field; use 0 to 65535"
              + " (closeWithPayload writes any bytes)");
    }
    Buffer buffer = new Buffer().writeShort(code).writeUtf8(reason);
    return closeWithPayload(buffer.readByteString());
  }

  /**
   * A close frame whose payload is exactly these bytes: a 1-byte payload, a reason that is not
   * UTF-8 …
   */
  public static Frame closeWithPayload(ByteString payload) {
    return of(Opcode.CLOSE.value(), payload);
  }

  /**
   * A final, masked frame whose {@code length}-byte payload is read from a fresh source of {@code
   * payload} each time it is written; the frame never holds the bytes. If the source ends early,
   * the writer stops there (the header then lies, which a test may want); extra bytes are not read.
   */
  public static Frame streamed(Opcode opcode, long length, Supplier<? extends Source> payload) {
    return streamed(opcode.value(), length, payload);
  }

  /**
   * A final, masked frame of {@code length} copies of {@code fill}, streamed as {@link
   * #streamed(Opcode, long, Supplier)}: a message of any size at the cost of 8 KiB. {@code '*'} is
   * valid UTF-8 for a text frame.
   */
  public static Frame filled(Opcode opcode, long length, byte fill) {
    return streamed(opcode.value(), length, () -> new Filler(fill, length));
  }

  /** As {@link #streamed(Opcode, long, Supplier)}, with any opcode nibble. */
  public static Frame streamed(int opcode, long length, Supplier<? extends Source> payload) {
    if (length < 0)
      throw new IllegalArgumentException("a payload length cannot be negative: " + length);
    Objects.requireNonNull(payload, "payload");
    return new Frame(true, 0, opcode, true, null, null, payload, length, null, null);
  }

  private Frame copy(
      boolean fin,
      int rsv,
      int opcode,
      boolean masked,
      byte[] maskKey,
      Long declared,
      LengthEncoding enc) {
    return new Frame(
        fin, rsv, opcode, masked, maskKey, payload, payloadSource, payloadLength, declared, enc);
  }

  /** A copy with FIN set or cleared; a cleared FIN makes this a non-final fragment (§5.4). */
  public Frame fin(boolean fin) {
    return copy(fin, rsv, opcode, masked, maskKey, declaredLength, lengthEncoding);
  }

  /** A copy with RSV1 set. */
  public Frame rsv1() {
    return rsv(rsv | B0_FLAG_RSV1);
  }

  /** A copy with RSV2 set. */
  public Frame rsv2() {
    return rsv(rsv | B0_FLAG_RSV2);
  }

  /** A copy with RSV3 set. */
  public Frame rsv3() {
    return rsv(rsv | B0_FLAG_RSV3);
  }

  /**
   * A copy whose RSV bits are the 3-bit field value {@code rsvField} (0–7, RSV1 the high bit), the
   * way Autobahn numbers them: 1 is RSV3 alone, 4 is RSV1 alone.
   */
  public Frame rsvField(int rsvField) {
    if (rsvField < 0 || rsvField > 7) {
      throw new IllegalArgumentException("the RSV field is 3 bits: use 0 to 7, was " + rsvField);
    }
    return rsv(rsvField << 4);
  }

  private Frame rsv(int rsvFlags) {
    return copy(fin, rsvFlags, opcode, masked, maskKey, declaredLength, lengthEncoding);
  }

  /** A copy with any opcode nibble 0x0–0xF, reserved ones included. */
  public Frame opcode(int opcode) {
    return copy(fin, rsv, opcode, masked, maskKey, declaredLength, lengthEncoding);
  }

  /** A copy with this opcode. */
  public Frame opcode(Opcode opcode) {
    return opcode(opcode.value());
  }

  /** A copy with the MASK bit clear and no masking key: illegal from a client (§5.1). */
  public Frame unmasked() {
    return copy(fin, rsv, opcode, false, null, declaredLength, lengthEncoding);
  }

  /** A copy masked with this 4-byte key instead of a random one. */
  public Frame maskKey(byte[] key) {
    Objects.requireNonNull(key, "key");
    return copy(fin, rsv, opcode, true, key.clone(), declaredLength, lengthEncoding);
  }

  /** A copy masked with this key, big-endian ({@code 0x11223344} is the bytes 11 22 33 44). */
  public Frame maskKey(int key) {
    return maskKey(
        new byte[] {(byte) (key >>> 24), (byte) (key >>> 16), (byte) (key >>> 8), (byte) key});
  }

  /**
   * A copy whose header declares {@code length} payload bytes whatever the payload really holds;
   * read as unsigned, so {@code 1L << 63} sets the top bit §5.2 requires to be zero. The payload's
   * real bytes are still the ones written.
   */
  public Frame declaredLength(long length) {
    LengthEncoding encoding = lengthEncoding;
    return copy(fin, rsv, opcode, masked, maskKey, length, encoding);
  }

  /** A copy whose length is written in this field, minimal or not. */
  public Frame lengthEncoding(LengthEncoding encoding) {
    Objects.requireNonNull(encoding, "encoding");
    return copy(fin, rsv, opcode, masked, maskKey, declaredLength, encoding);
  }

  /** Whether FIN is set: the last frame of a message (§5.4). */
  public boolean isFin() {
    return fin;
  }

  /** Whether RSV1 is set. */
  public boolean isRsv1() {
    return (rsv & B0_FLAG_RSV1) != 0;
  }

  /** Whether RSV2 is set. */
  public boolean isRsv2() {
    return (rsv & B0_FLAG_RSV2) != 0;
  }

  /** Whether RSV3 is set. */
  public boolean isRsv3() {
    return (rsv & B0_FLAG_RSV3) != 0;
  }

  /** The RSV bits in their byte-0 positions ({@code B0_FLAG_RSV1 | …}). */
  public int rsvFlags() {
    return rsv;
  }

  /** The opcode nibble. */
  public int opcode() {
    return opcode;
  }

  /** Whether the MASK bit is set (§5.3); a client must always set it. */
  public boolean isMasked() {
    return masked;
  }

  /**
   * The chosen masking key (a copy), or {@code null} when the writer picks a random one or none.
   */
  public byte[] maskKey() {
    return maskKey != null ? maskKey.clone() : null;
  }

  /** Whether the payload is streamed from a supplier rather than held in memory. */
  public boolean isStreamed() {
    return payloadSource != null;
  }

  /** The payload bytes (unmasked); throws for a streamed frame, which holds none. */
  public ByteString payload() {
    if (payload == null)
      throw new IllegalStateException("a streamed frame holds no payload in memory");
    return payload;
  }

  /** Opens the payload for writing: a new source each call. */
  public Source openPayload() {
    if (payloadSource != null) return payloadSource.get();
    return new Buffer().write(payload);
  }

  /** How many payload bytes really follow the header. */
  public long payloadLength() {
    return payloadLength;
  }

  /** The length the header declares: the override, or the real payload length. */
  public long declaredLength() {
    return declaredLength != null ? declaredLength : payloadLength;
  }

  /** Whether {@link #declaredLength(long)} overrode the real length. */
  public boolean hasDeclaredLengthOverride() {
    return declaredLength != null;
  }

  /** The length field used: the forced one, or the minimal one for the declared length. */
  public LengthEncoding lengthEncoding() {
    return lengthEncoding != null ? lengthEncoding : LengthEncoding.minimalFor(declaredLength());
  }

  /**
   * One line naming the header fields, e.g. {@code TEXT fin masked len=5} or {@code reserved 0x3
   * rsv1 unmasked len=5 (declared 1000, 16-bit field)}.
   */
  public String describe() {
    StringBuilder out = new StringBuilder(Opcode.describe(opcode));
    out.append(fin ? " fin" : " no-fin");
    if (isRsv1()) out.append(" rsv1");
    if (isRsv2()) out.append(" rsv2");
    if (isRsv3()) out.append(" rsv3");
    out.append(masked ? " masked" : " unmasked");
    out.append(" len=").append(payloadLength);
    boolean forced =
        lengthEncoding != null && lengthEncoding != LengthEncoding.minimalFor(declaredLength());
    if (declaredLength != null || forced) {
      out.append(" (declared ").append(Long.toUnsignedString(declaredLength()));
      out.append(", ").append(lengthEncoding().label()).append(" field)");
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return "Frame[" + describe() + "]";
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) return true;
    if (!(o instanceof Frame other)) return false;
    return fin == other.fin
        && rsv == other.rsv
        && opcode == other.opcode
        && masked == other.masked
        && payloadLength == other.payloadLength
        && Arrays.equals(maskKey, other.maskKey)
        && Objects.equals(payload, other.payload)
        && Objects.equals(payloadSource, other.payloadSource)
        && Objects.equals(declaredLength, other.declaredLength)
        && lengthEncoding == other.lengthEncoding;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
                fin, rsv, opcode, masked, payloadLength, payload, declaredLength, lengthEncoding)
            * 31
        + Arrays.hashCode(maskKey);
  }
}
