package io.github.wsrobustness;

import io.github.wsrobustness.frame.Previews;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import okio.ByteString;

/**
 * The server's HTTP answer to an opening handshake (RFC 6455 §4.2.2): status, headers and body, as
 * received. For a successful upgrade the status is 101 and the body empty; a rejection (400, 426,
 * 431 …) keeps whatever body the server sent.
 *
 * <p>Thread-safety: immutable.
 */
public final class HandshakeResponse {
  /** Characters of a body shown in a report: enough for an error page's message. */
  private static final int BODY_SHOWN = 1_000;

  private final String statusLine;
  private final int status;
  private final Map<String, List<String>> headers;
  private final List<String> headerLines;
  private final ByteString body;
  private final Redaction redaction;

  HandshakeResponse(
      String statusLine,
      int status,
      List<String> headerLines,
      ByteString body,
      Redaction redaction) {
    this.statusLine = statusLine;
    this.status = status;
    this.headerLines = List.copyOf(headerLines);
    this.headers = HttpResponseReader.headersByName(headerLines);
    this.body = body;
    this.redaction = redaction;
  }

  /** The status code, e.g. 101 or 400. */
  public int status() {
    return status;
  }

  /** The whole status line, e.g. {@code HTTP/1.1 101 Switching Protocols}. */
  public String statusLine() {
    return statusLine;
  }

  /** The first value of a header (case-insensitive name), or null. */
  public String header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** All values of a header, in order; empty when absent. */
  public List<String> headers(String name) {
    return headers.getOrDefault(name, List.of());
  }

  /**
   * The elements of header {@code name} read as a list (RFC 9110 §5.6.1): every line of that name,
   * split at each comma outside a quoted string, trimmed, empty elements dropped. {@code
   * Sec-WebSocket-Version: 13, 8} lists {@code 13} and {@code 8}, and so do two lines of one each.
   */
  public List<String> headerTokens(String name) {
    List<String> tokens = new ArrayList<>();
    for (String value : headers(name)) tokens.addAll(listElements(value));
    return tokens;
  }

  /**
   * Whether header {@code name} lists {@code token} (see {@link #headerTokens}). Compared ignoring
   * ASCII case, as HTTP compares tokens ({@code Connection}, {@code Upgrade}; RFC 9110 §7.6.1,
   * §7.8), except in {@code Sec-WebSocket-Protocol}, compared exactly, as the client's own §4.1
   * check compares a selected subprotocol. An element's parameters ({@code ; x=1}) are ignored
   * unless {@code token} has some: {@code permessage-deflate} matches {@code permessage-deflate;
   * client_max_window_bits=10}.
   */
  public boolean hasHeaderToken(String name, String token) {
    boolean exact = name.trim().equalsIgnoreCase("Sec-WebSocket-Protocol");
    for (String element : headerTokens(name)) {
      int semicolon = element.indexOf(';');
      String compared =
          semicolon >= 0 && token.indexOf(';') < 0
              ? element.substring(0, semicolon).trim()
              : element;
      if (exact ? compared.equals(token.trim()) : compared.equalsIgnoreCase(token.trim())) {
        return true;
      }
    }
    return false;
  }

  /** A header value split at commas that are not inside a quoted string (RFC 9110 §5.6.4). */
  static List<String> listElements(String value) {
    List<String> elements = new ArrayList<>();
    StringBuilder element = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ',' && !quoted) {
        addTrimmed(elements, element);
        continue;
      }
      element.append(c);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '\\' && quoted && i + 1 < value.length()) {
        element.append(value.charAt(++i)); // a quoted-pair: the next character is literal
      }
    }
    addTrimmed(elements, element);
    return elements;
  }

  private static void addTrimmed(List<String> elements, StringBuilder element) {
    String trimmed = element.toString().trim();
    if (!trimmed.isEmpty()) elements.add(trimmed);
    element.setLength(0);
  }

  /**
   * The values of header {@code name} as reports show them: a credential ({@code Set-Cookie}, or a
   * header the client was told to redact) as its length only.
   */
  public List<String> headersForReports(String name) {
    return headers(name).stream().map(value -> redaction.value(name, value)).toList();
  }

  /** Every header, keyed case-insensitively. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** The body, empty for a 101. */
  public ByteString body() {
    return body;
  }

  /** The response head as received: status line and header lines. */
  public String head() {
    StringBuilder out = new StringBuilder(statusLine).append('\n');
    for (String line : headerLines) out.append(line).append('\n');
    return out.toString();
  }

  /**
   * The response for a report: the head with credentials ({@code Set-Cookie} …) redacted as the
   * client was told, each line indented, then the body as text when it is text, else in hex.
   */
  public String describe() {
    StringBuilder out = new StringBuilder("  ").append(statusLine);
    for (String line : headerLines) out.append("\n  ").append(redaction.head(line));
    if (body.size() > 0) {
      out.append("\n  body (").append(ReceivedCounts.bytes(body.size())).append("): ");
      out.append(Previews.textOrHex(body, BODY_SHOWN));
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return "HandshakeResponse["
        + statusLine
        + ", "
        + headers.keySet().stream().map(h -> h.toLowerCase(Locale.ROOT)).toList()
        + ", body "
        + body.size()
        + " bytes]";
  }
}
