package io.github.wsrobustness.frame;

import java.util.zip.Deflater;
import okio.Buffer;
import okio.ByteString;

/**
 * Compresses messages as permessage-deflate does (RFC 7692 §7.2.1): raw DEFLATE, each message
 * flushed to a byte boundary and its closing {@code 00 00 FF FF} removed, with the compression
 * context kept from message to message or reset after each. The bytes go out as the payload of a
 * data frame with RSV1 set: {@code Frame.text(deflater.compress(bytes)).rsv1()}.
 *
 * <p>java.util.zip always compresses with a 2^15-byte window; below that, this deflater codes
 * literals only (no back-references at all), which any window can take. {@link #bomb} makes a
 * message that inflates to far more than it is.
 *
 * <p>Thread-safety: not thread-safe; one per connection and direction, used in the order the
 * messages are sent.
 */
public final class MessageDeflater {
  /** The tail a sync flush ends with, removed from each message (§7.2.1). */
  static final ByteString TAIL = ByteString.of((byte) 0, (byte) 0, (byte) 0xff, (byte) 0xff);

  private final Deflater deflater;
  private final boolean resetEachMessage;

  private MessageDeflater(boolean resetEachMessage, int windowBits) {
    if (windowBits < PerMessageDeflate.MIN_WINDOW_BITS
        || windowBits > PerMessageDeflate.MAX_WINDOW_BITS) {
      throw new IllegalArgumentException("window bits must be 8 to 15, was " + windowBits);
    }
    this.deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    // Literals only: no back-reference can reach past a window smaller than java.util.zip's.
    if (windowBits < PerMessageDeflate.MAX_WINDOW_BITS) deflater.setStrategy(Deflater.HUFFMAN_ONLY);
    this.resetEachMessage = resetEachMessage;
  }

  /** A deflater that keeps its context from message to message: the default (§7.1.1). */
  public static MessageDeflater withContextTakeover() {
    return new MessageDeflater(false, PerMessageDeflate.MAX_WINDOW_BITS);
  }

  /** A deflater that resets its context after each message: each stands alone. */
  public static MessageDeflater noContextTakeover() {
    return new MessageDeflater(true, PerMessageDeflate.MAX_WINDOW_BITS);
  }

  /**
   * The client's deflater for what was agreed: its context reset when {@code
   * client_no_context_takeover} was, its window within {@code client_max_window_bits}.
   */
  public static MessageDeflater forClient(PerMessageDeflate agreed) {
    return new MessageDeflater(agreed.isClientNoContextTakeover(), agreed.clientWindowBits());
  }

  /** {@code message} compressed, to send as one message's payload. */
  public ByteString compress(ByteString message) {
    if (resetEachMessage) deflater.reset();
    deflater.setInput(message.toByteArray());
    return syncFlush(deflater, new Buffer(), new byte[8192]);
  }

  /**
   * Ends a message: {@code deflater}'s remaining input and a sync flush go into {@code out}, and
   * all of it is returned without the tail the flush ends with (§7.2.1).
   */
  private static ByteString syncFlush(Deflater deflater, Buffer out, byte[] chunk) {
    // The flush is done when all input is taken and the buffer has room left. (A changed
    // strategy takes one call of its own, taking no input.)
    int n;
    do {
      n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
      out.write(chunk, 0, n);
    } while (n == chunk.length || !deflater.needsInput());
    ByteString compressed = out.readByteString();
    return compressed.endsWith(TAIL)
        ? compressed.substring(0, compressed.size() - TAIL.size())
        : compressed;
  }

  /** {@code text} as UTF-8, compressed. */
  public ByteString compress(String text) {
    return compress(ByteString.encodeUtf8(text));
  }

  /**
   * A message that inflates to {@code inflatedSize} zero bytes (up to 16 GiB), compressed as
   * tightly as DEFLATE allows (about 1,000 to 1): a decompression bomb. Made a megabyte at a time,
   * never holding what it inflates to.
   */
  public static ByteString bomb(long inflatedSize) {
    if (inflatedSize < 0 || inflatedSize > (16L << 30)) {
      throw new IllegalArgumentException(
          "a bomb inflates to 0 to 16 GiB (compressing more takes minutes), was " + inflatedSize);
    }
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    try {
      byte[] zeros = new byte[1 << 20];
      byte[] chunk = new byte[8192];
      Buffer out = new Buffer();
      for (long left = inflatedSize; left > 0; ) {
        int n = (int) Math.min(left, zeros.length);
        deflater.setInput(zeros, 0, n);
        left -= n;
        while (!deflater.needsInput()) {
          out.write(chunk, 0, deflater.deflate(chunk, 0, chunk.length, Deflater.NO_FLUSH));
        }
      }
      return syncFlush(deflater, out, chunk);
    } finally {
      deflater.end();
    }
  }
}
