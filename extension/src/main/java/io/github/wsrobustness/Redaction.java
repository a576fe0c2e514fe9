package io.github.wsrobustness;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which HTTP header values never reach a report: {@code Authorization}, {@code
 * Proxy-Authorization}, {@code Cookie}, {@code Set-Cookie} and the names a user adds. A redacted
 * header keeps its name and the length of its value ({@code Authorization: <redacted, 23 bytes>}),
 * so a report still shows that it was sent. Applied to transcripts, failure messages and attached
 * files; {@link #revealed()} turns it off for a user who asks.
 *
 * <p>Thread-safety: immutable. RFC 9110 §11.6.2 (Authorization), RFC 6265 §4 (cookies).
 */
record Redaction(Set<String> names, boolean reveal) {
  static final List<String> ALWAYS =
      List.of("Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie");

  static final Redaction DEFAULT = new Redaction(Set.of(), false);

  Redaction {
    TreeSet<String> all = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    all.addAll(ALWAYS);
    all.addAll(names);
    names = all;
  }

  /** The same policy, also redacting {@code name}. */
  Redaction with(String name) {
    TreeSet<String> more = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    more.addAll(names);
    more.add(name);
    return new Redaction(more, reveal);
  }

  /** The same policy, shown in the clear. */
  Redaction revealed() {
    return new Redaction(names, true);
  }

  /** Whether the value of header {@code name} is kept out of reports. */
  boolean hides(String name) {
    return !reveal && names.contains(name.trim());
  }

  /** {@code value}, or its stand-in when {@code name} is redacted. */
  String value(String name, String value) {
    return hides(name) ? standIn(value.trim()) : value;
  }

  /**
   * An HTTP message head (request or response, one header per line, CRLF or LF) with the values of
   * redacted headers replaced; the start line and other headers stay as they are.
   */
  String head(String text) {
    if (reveal) return text;
    StringBuilder out = new StringBuilder(text.length());
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      int next = end == -1 ? text.length() : end + 1;
      String line = text.substring(start, next);
      int colon = line.indexOf(':');
      if (colon > 0 && hides(line.substring(0, colon))) {
        String ending = line.endsWith("\r\n") ? "\r\n" : line.endsWith("\n") ? "\n" : "";
        String value = line.substring(colon + 1, line.length() - ending.length()).trim();
        out.append(line, 0, colon + 1).append(' ').append(standIn(value)).append(ending);
      } else {
        out.append(line);
      }
      start = next;
    }
    return out.toString();
  }

  private static String standIn(String value) {
    return "<redacted, " + value.getBytes(StandardCharsets.UTF_8).length + " bytes>";
  }

  @Override
  public String toString() {
    return reveal ? "secrets shown" : "redacting " + names.toString().toLowerCase(Locale.ROOT);
  }
}
