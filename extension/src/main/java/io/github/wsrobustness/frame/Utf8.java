package io.github.wsrobustness.frame;

import okio.Buffer;
import okio.ByteString;

/**
 * Strict UTF-8 validation, as RFC 6455 §8.1 demands of text payloads (RFC 3629 §4: no overlong
 * forms, no UTF-16 surrogates, nothing above U+10FFFF), done incrementally so that a message of any
 * size is checked as its bytes pass by, without decoding or copying it.
 *
 * <p>Thread-safety: not thread-safe; one validator per message, fed by one reader.
 */
final class Utf8 {
  private static final int CONTINUATION_LOW = 0x80;
  private static final int CONTINUATION_HIGH = 0xBF;

  /** Continuation bytes the current sequence still needs; 0 between characters. */
  private int needed;

  /** The range the next continuation byte must fall in (narrower after E0, ED, F0 and F4). */
  private int lower = CONTINUATION_LOW;

  private int upper = CONTINUATION_HIGH;
  private boolean invalid;

  /** Whether {@code bytes} as a whole are valid UTF-8. */
  static boolean isValid(ByteString bytes) {
    Utf8 validator = new Utf8();
    for (int i = 0, n = bytes.size(); i < n && !validator.invalid; i++) {
      validator.accept(bytes.getByte(i) & 0xff);
    }
    return validator.isCompleteAndValid();
  }

  /** Feeds {@code byteCount} bytes of {@code buffer} from {@code offset}, segment by segment. */
  void update(Buffer buffer, long offset, long byteCount) {
    if (invalid || byteCount == 0) return;
    try (Buffer.UnsafeCursor cursor = buffer.readUnsafe()) {
      long remaining = byteCount;
      for (int n = cursor.seek(offset); remaining > 0 && n != -1; n = cursor.next()) {
        int end = (int) Math.min(cursor.end, cursor.start + remaining);
        update(cursor.data, cursor.start, end);
        remaining -= end - cursor.start;
        if (invalid) return;
      }
    }
  }

  /** Feeds {@code data} from index {@code from} up to, not including, {@code to}. */
  void update(byte[] data, int from, int to) {
    for (int i = from; i < to; i++) {
      byte b = data[i];
      if (b >= 0 && needed == 0) continue; // ASCII: the common case, one comparison
      accept(b & 0xff);
      if (invalid) return;
    }
  }

  /** Feeds one byte (0-255). */
  void accept(int b) {
    if (needed > 0) {
      if (b < lower || b > upper) {
        invalid = true;
        return;
      }
      needed--;
      lower = CONTINUATION_LOW;
      upper = CONTINUATION_HIGH;
      return;
    }
    if (b < 0x80) return;
    if (b >= 0xC2 && b <= 0xDF) {
      needed = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
      needed = 2;
      if (b == 0xE0) lower = 0xA0; // below A0 would be an overlong 2-byte character
      if (b == 0xED) upper = 0x9F; // above 9F would be a UTF-16 surrogate
    } else if (b >= 0xF0 && b <= 0xF4) {
      needed = 3;
      if (b == 0xF0) lower = 0x90; // below 90 would be overlong
      if (b == 0xF4) upper = 0x8F; // above 8F would exceed U+10FFFF
    } else {
      invalid = true; // 80-C1 (continuation or overlong lead) and F5-FF never start a character
    }
  }

  /** Whether everything fed is valid and ends at a character boundary. */
  boolean isCompleteAndValid() {
    return !invalid && needed == 0;
  }
}
