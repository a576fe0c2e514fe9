package io.github.wsrobustness;

import okio.ByteString;

/**
 * Renders the bytes a test sends before the upgrade (its opening handshake request, whole or cut
 * into pieces) as text for the transcript, with the values of redacted headers replaced by their
 * length, even when a header line is split across several sends: {@code Authorization: <redacted,
 * 19 bytes>}. Bytes that are not printable ASCII show as {@code \xNN}.
 *
 * <p>Thread-safety: not thread-safe; the connection renders under its write lock.
 */
final class RequestText {
  /** Enough of a line to find its header name; a longer name is not one a report hides. */
  private static final int NAME_MAX = 256;

  private final Redaction redaction;
  private final StringBuilder lineStart = new StringBuilder();
  private boolean colonSeen;
  private boolean hiding;

  RequestText(Redaction redaction) {
    this.redaction = redaction;
  }

  /** The next piece of the request, as text. */
  String render(ByteString piece) {
    StringBuilder out = new StringBuilder(piece.size() + 16);
    long hidden = 0;
    boolean valueStarted = false;
    for (int i = 0; i < piece.size(); i++) {
      int b = piece.getByte(i) & 0xff;
      if (b == '\n') {
        if (hiding && hidden > 0) out.append(' ').append(standIn(hidden));
        hidden = 0;
        valueStarted = false;
        hiding = false;
        colonSeen = false;
        lineStart.setLength(0);
        out.append('\n');
        continue;
      }
      if (hiding) {
        // Leading blanks are not part of the value; a CR before the LF is the line's end.
        if (b == '\r' || (!valueStarted && (b == ' ' || b == '\t'))) continue;
        valueStarted = true;
        hidden++;
        continue;
      }
      if (b == '\r') continue; // shown by the line break that follows
      if (b >= 0x20 && b < 0x7f) {
        out.append((char) b);
      } else {
        out.append(String.format("\\x%02x", b));
      }
      if (colonSeen) continue;
      if (b == ':') {
        colonSeen = true;
        hiding = redaction.hides(lineStart.toString());
      } else if (lineStart.length() < NAME_MAX) {
        lineStart.append((char) b);
      }
    }
    if (hiding && hidden > 0)
      out.append(' ').append(standIn(hidden)); // continued in the next piece
    return out.toString();
  }

  private static String standIn(long bytes) {
    return "<redacted, " + bytes + " bytes>";
  }
}
