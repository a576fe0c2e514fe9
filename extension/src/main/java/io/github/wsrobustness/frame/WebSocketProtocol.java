package io.github.wsrobustness.frame;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import okio.Buffer;
import okio.ByteString;

/**
 * Bit constants and small pure functions of the RFC 6455 wire format, named by byte position and
 * role.
 *
 * <p>The base framing protocol, RFC 6455 §5.2:
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-------+-+-------------+-------------------------------+
 *  |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 *  |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 *  |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 *  | |1|2|3|       |K|             |                               |
 *  +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 *  |     Extended payload length continued, if payload len == 127  |
 *  + - - - - - - - - - - - - - - - +-------------------------------+
 *  |                               |Masking-key, if MASK set to 1  |
 *  +-------------------------------+-------------------------------+
 *  | Masking-key (continued)       |          Payload Data         |
 *  +-------------------------------- - - - - - - - - - - - - - - - +
 *  :                     Payload Data continued ...                :
 *  + - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - +
 * </pre>
 *
 * <p>Thread-safety: stateless; every member is safe to use from any thread.
 */
public final class WebSocketProtocol {
  /** Byte 0: FIN, set on the last frame of a message. */
  public static final int B0_FLAG_FIN = 0b1000_0000;

  /** Byte 0: RSV1, reserved for extensions (permessage-deflate uses it). */
  public static final int B0_FLAG_RSV1 = 0b0100_0000;

  /** Byte 0: RSV2, reserved for extensions. */
  public static final int B0_FLAG_RSV2 = 0b0010_0000;

  /** Byte 0: RSV3, reserved for extensions. */
  public static final int B0_FLAG_RSV3 = 0b0001_0000;

  /** Byte 0: the three RSV bits together. */
  public static final int B0_MASK_RSV = B0_FLAG_RSV1 | B0_FLAG_RSV2 | B0_FLAG_RSV3;

  /** Byte 0: the opcode nibble. */
  public static final int B0_MASK_OPCODE = 0b0000_1111;

  /** Byte 1: MASK, set when a masking key follows the length. */
  public static final int B1_FLAG_MASK = 0b1000_0000;

  /** Byte 1: the 7-bit payload length field. */
  public static final int B1_MASK_LENGTH = 0b0111_1111;

  /** 7-bit length value meaning "a 16-bit length follows". */
  public static final int PAYLOAD_SHORT = 126;

  /** 7-bit length value meaning "a 64-bit length follows". */
  public static final int PAYLOAD_LONG = 127;

  /** Largest payload length that fits the 7-bit field. */
  public static final int PAYLOAD_BYTE_MAX = 125;

  /** Largest payload length that fits the 16-bit field. */
  public static final int PAYLOAD_SHORT_MAX = 0xffff;

  /** Largest payload a control frame may carry (§5.5). */
  public static final int CONTROL_PAYLOAD_MAX = 125;

  /** The GUID that §1.3 appends to the client's key before hashing. */
  public static final String ACCEPT_MAGIC = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private WebSocketProtocol() {}

  /**
   * Returns the {@code Sec-WebSocket-Accept} value a server must answer to {@code key} (§4.2.2).
   */
  public static String acceptHeader(String key) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      byte[] digest = sha1.digest((key + ACCEPT_MAGIC).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM ships SHA-1", e);
    }
  }

  /**
   * XORs {@code byteCount} bytes of {@code buffer}, starting at {@code offset}, with {@code key} in
   * place, the key's position being {@code keyIndex} at the first byte (§5.3). Works segment by
   * segment through Okio's cursor so that masking a large payload does not copy it.
   *
   * @return the key position after the last masked byte, to continue masking a streamed payload
   */
  public static long toggleMask(
      Buffer buffer, long offset, long byteCount, byte[] key, long keyIndex) {
    if (byteCount == 0) return keyIndex;
    int k0 = key[0], k1 = key[1], k2 = key[2], k3 = key[3];
    // Rotating the key once per segment keeps the inner loop free of the modulo.
    try (Buffer.UnsafeCursor cursor = buffer.readAndWriteUnsafe()) {
      long remaining = byteCount;
      int keyPos = (int) (keyIndex & 3);
      for (int n = cursor.seek(offset); remaining > 0 && n != -1; n = cursor.next()) {
        byte[] data = cursor.data;
        int start = cursor.start;
        int end = (int) Math.min(cursor.end, start + remaining);
        int i = start;
        // Align to the key, then unroll four bytes at a time.
        for (; i < end && keyPos != 0; i++, keyPos = (keyPos + 1) & 3) {
          data[i] ^= key[keyPos];
        }
        for (; i + 3 < end; i += 4) {
          data[i] ^= k0;
          data[i + 1] ^= k1;
          data[i + 2] ^= k2;
          data[i + 3] ^= k3;
        }
        for (; i < end; i++, keyPos = (keyPos + 1) & 3) {
          data[i] ^= key[keyPos];
        }
        remaining -= end - start;
      }
    }
    return keyIndex + byteCount;
  }

  /**
   * Returns {@code payload} XORed with {@code key}: masking and unmasking are the same operation.
   */
  public static ByteString toggleMask(ByteString payload, byte[] key) {
    Buffer buffer = new Buffer().write(payload);
    toggleMask(buffer, 0, buffer.size(), key, 0);
    return buffer.readByteString();
  }
}
