package io.github.wsrobustness.frame;

import okio.ByteString;

/**
 * How this library shows payloads to people: text as escaped, quoted text, binary as spaced hex,
 * each cut after a limit with the number of bytes left out ({@code "hello wor…" (1,048,576 bytes)},
 * {@code 81 05 68 65 … (12 more bytes)}). Only the shown prefix is ever decoded, so a preview of a
 * payload of any size costs the same.
 *
 * <p>Failure messages, transcripts and the AssertJ assertions all render payloads through here. RFC
 * 6455 §5.6: text frames carry UTF-8, binary frames anything.
 *
 * <p>Thread-safety: stateless.
 */
public final class Previews {
  private Previews() {}

  /**
   * {@code bytes} as quoted UTF-8 text, at most {@code maxChars} characters of it: quotes,
   * backslashes and control characters escaped the Java way, a byte that is not valid UTF-8 there
   * as {@code \xNN}. A cut preview ends with {@code …} and the payload's size.
   */
  public static String text(ByteString bytes, int maxChars) {
    StringBuilder out = new StringBuilder(Math.min(bytes.size(), maxChars) + 16).append('"');
    int i = 0;
    int chars = 0;
    int size = bytes.size();
    while (i < size && chars < maxChars) {
      int b = bytes.getByte(i) & 0xff;
      int length = sequenceLength(bytes, i);
      if (length == 0) {
        out.append(String.format("\\x%02x", b));
        i++;
      } else {
        int codePoint = decode(bytes, i, length);
        escape(out, codePoint);
        i += length;
      }
      chars++;
    }
    out.append('"');
    if (i < size) out.append("… (").append(String.format("%,d", size)).append(" bytes)");
    return out.toString();
  }

  /** The first {@code maxBytes} of {@code bytes} as spaced hex, then how many more there are. */
  public static String hex(ByteString bytes, int maxBytes) {
    int shown = Math.min(bytes.size(), maxBytes);
    StringBuilder out = new StringBuilder(shown * 3 + 24);
    for (int i = 0; i < shown; i++) {
      if (i > 0) out.append(' ');
      int b = bytes.getByte(i) & 0xff;
      out.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    if (shown < bytes.size()) {
      out.append(" … (").append(String.format("%,d", bytes.size() - shown)).append(" more bytes)");
    }
    return out.toString();
  }

  /**
   * Text when the shown prefix is valid UTF-8 with no control characters but line breaks and tabs
   * (an HTTP body, say), hex otherwise; {@code (empty)} for no bytes.
   */
  public static String textOrHex(ByteString bytes, int maxChars) {
    if (bytes.size() == 0) return "(empty)";
    return looksLikeText(bytes, maxChars) ? text(bytes, maxChars) : hex(bytes, maxChars / 2);
  }

  private static boolean looksLikeText(ByteString bytes, int maxChars) {
    int i = 0;
    int chars = 0;
    while (i < bytes.size() && chars < maxChars) {
      int length = sequenceLength(bytes, i);
      if (length == 0) return false;
      int codePoint = decode(bytes, i, length);
      boolean lineOrTab = codePoint == '\n' || codePoint == '\r' || codePoint == '\t';
      if (Character.isISOControl(codePoint) && !lineOrTab) return false;
      i += length;
      chars++;
    }
    return true;
  }

  /** The length of the valid UTF-8 sequence starting at {@code i}, or 0 when it is not valid. */
  private static int sequenceLength(ByteString bytes, int i) {
    int b = bytes.getByte(i) & 0xff;
    int length;
    if (b < 0x80) return 1;
    if (b >= 0xC2 && b <= 0xDF) {
      length = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      length = 3;
    } else if (b >= 0xF0 && b <= 0xF4) {
      length = 4;
    } else {
      return 0;
    }
    if (i + length > bytes.size()) return 0;
    Utf8 validator = new Utf8();
    for (int k = 0; k < length; k++) validator.accept(bytes.getByte(i + k) & 0xff);
    return validator.isCompleteAndValid() ? length : 0;
  }

  private static int decode(ByteString bytes, int i, int length) {
    int b = bytes.getByte(i) & 0xff;
    if (length == 1) return b;
    int codePoint = b & (0xff >> (length + 1));
    for (int k = 1; k < length; k++) codePoint = (codePoint << 6) | (bytes.getByte(i + k) & 0x3f);
    return codePoint;
  }

  private static void escape(StringBuilder out, int codePoint) {
    switch (codePoint) {
      case '"' -> out.append("\\\"");
      case '\\' -> out.append("\\\\");
      case '\n' -> out.append("\\n");
      case '\r' -> out.append("\\r");
      case '\t' -> out.append("\\t");
      default -> {
        if (Character.isISOControl(codePoint)) {
          out.append(String.format("\\u%04x", codePoint));
        } else {
          out.appendCodePoint(codePoint);
        }
      }
    }
  }
}
