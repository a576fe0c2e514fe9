package io.github.wsrobustness.http;

import java.net.URI;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import okio.Buffer;
import okio.ByteString;

/**
 * An opening handshake request (RFC 6455 §4.1) as a value, so that a test varies the one thing it
 * is about instead of editing strings: {@code
 * HandshakeRequest.standard().version("99").without("Sec-WebSocket-Key")}. §4.2.1 lists what a
 * server must check; each method here breaks one of those things, or a thing HTTP itself forbids
 * (RFC 9112).
 *
 * <p>{@link #standard()} is what a well-behaved client sends and nothing more: {@code GET}, the
 * target from the client's URI, {@code HTTP/1.1}, {@code Host} from the URI, {@code Upgrade:
 * websocket}, {@code Connection: Upgrade}, a fresh random {@code Sec-WebSocket-Key} at each
 * rendering, {@code Sec-WebSocket-Version: 13}. What a particular client adds
 * ({@code @UpgradeRequest} headers, subprotocols, extensions, {@code Origin}) comes with the
 * client's {@code ws.handshakeRequest()}, which starts from this.
 *
 * <p>Headers keep their order; names are matched case-insensitively and sent as written. The
 * request is rendered as written, with CRLF line endings and UTF-8 text: a target may hold any
 * character (a NUL, say), a header any name or value. The one thing refused is a line break inside
 * the request line or a header (and a colon in a name, or a name starting with a blank): it would
 * silently make a different request than the one the test reads, so a request smuggled past another
 * header is sent with {@code ws.sendRaw(…)} instead.
 *
 * <p>Thread-safety: immutable; every method returns a new request.
 */
public final class HandshakeRequest {
  /**
   * The most lines {@link #repeatedHeader} adds: a hundred thousand pass every server's limit by
   * far (Tomcat keeps 100 headers, Node 2000, Jetty 8 KiB of head) while the request stays a few
   * MiB to hold and to send within one deadline.
   */
  static final int MAX_REPEATED = 100_000;

  private static final HandshakeRequest STANDARD =
      new HandshakeRequest(
          "GET",
          null,
          "HTTP/1.1",
          List.of(
              new Field("Host", null),
              new Field("Upgrade", "websocket"),
              new Field("Connection", "Upgrade"),
              new Field("Sec-WebSocket-Key", null),
              new Field("Sec-WebSocket-Version", "13")),
          ByteString.EMPTY);

  private final String method;
  private final String target; // null: the URI's path and query
  private final String httpVersion;
  private final List<Field> fields;
  private final ByteString body;

  /** One header line; a null value is decided at rendering (Host, Sec-WebSocket-Key). */
  private record Field(String name, String value) {
    boolean is(String other) {
      return name.equalsIgnoreCase(other);
    }
  }

  private HandshakeRequest(
      String method, String target, String httpVersion, List<Field> fields, ByteString body) {
    this.method = method;
    this.target = target;
    this.httpVersion = httpVersion;
    this.fields = List.copyOf(fields);
    this.body = body;
  }

  /** What a well-behaved client sends (see above): the base of every variation. */
  public static HandshakeRequest standard() {
    return STANDARD;
  }

  /** The method, {@code GET} in the standard request (§4.1 demands it; try {@code POST}). */
  public HandshakeRequest method(String method) {
    return new HandshakeRequest(
        requestLinePart("method", method, "GET"), target, httpVersion, fields, body);
  }

  /**
   * The request target, sent as given: {@code "/chat\0x"} sends a NUL, {@code "http://host/chat"}
   * the absolute form. By default, the client URI's path and query.
   */
  public HandshakeRequest target(String target) {
    return new HandshakeRequest(
        method, requestLinePart("target", target, "/chat"), httpVersion, fields, body);
  }

  /** The protocol of the request line, {@code HTTP/1.1} in the standard request (§4.1). */
  public HandshakeRequest httpVersion(String httpVersion) {
    return new HandshakeRequest(
        method, target, requestLinePart("httpVersion", httpVersion, "HTTP/1.0"), fields, body);
  }

  /** {@code Sec-WebSocket-Version} set to {@code version} (13 is the one RFC 6455 defines). */
  public HandshakeRequest version(String version) {
    return replace("version", "Sec-WebSocket-Version", version);
  }

  /**
   * {@code Sec-WebSocket-Key} set to {@code key} instead of a fresh random one: a malformed key
   * ({@code "short"}), or a known one whose accept value the test computes.
   */
  public HandshakeRequest key(String key) {
    return replace("key", "Sec-WebSocket-Key", key);
  }

  /**
   * Header {@code name} with this one value: it takes the place of the first header of that name
   * (any case), the others go; a header not there yet comes last.
   */
  public HandshakeRequest with(String name, String value) {
    return replace("with", name, value);
  }

  /** {@link #with}, its misuse named after {@code caller}, the call the test made. */
  private HandshakeRequest replace(String caller, String name, String value) {
    String checkedName = headerName(caller, name);
    String checkedValue = headerValue(caller, checkedName, value);
    List<Field> changed = new ArrayList<>(fields.size() + 1);
    boolean placed = false;
    for (Field field : fields) {
      if (!field.is(checkedName)) {
        changed.add(field);
      } else if (!placed) {
        changed.add(new Field(checkedName, checkedValue));
        placed = true;
      }
    }
    if (!placed) changed.add(new Field(checkedName, checkedValue));
    return new HandshakeRequest(method, target, httpVersion, changed, body);
  }

  /**
   * One more header line, last, leaving any of the same name in place: two {@code
   * Sec-WebSocket-Key} lines, say, or a second {@code Host}.
   */
  public HandshakeRequest header(String name, String value) {
    String checkedName = headerName("header", name);
    List<Field> changed = new ArrayList<>(fields);
    changed.add(new Field(checkedName, headerValue("header", checkedName, value)));
    return new HandshakeRequest(method, target, httpVersion, changed, body);
  }

  /** Without any header named {@code name} (any case): a missing key, Upgrade, Host … */
  public HandshakeRequest without(String name) {
    String checkedName = headerName("without", name);
    List<Field> changed = fields.stream().filter(field -> !field.is(checkedName)).toList();
    return new HandshakeRequest(method, target, httpVersion, changed, body);
  }

  /**
   * {@code count} lines of header {@code name} with {@code value}, put <em>first</em>, before
   * {@code Host} and the upgrade headers: a server that keeps only the first N header lines (Node's
   * {@code maxHeadersCount}, 2000) then loses the ones that matter, which is how CVE-2024-37890
   * crashed {@code ws}. One short name keeps many lines small: 2001 lines of {@code "a: "} stay
   * under Node's 16 KiB head limit. At most 100,000 lines, far past every server's limit.
   */
  public HandshakeRequest repeatedHeader(String name, String value, int count) {
    String checkedName = headerName("repeatedHeader", name);
    String checkedValue = headerValue("repeatedHeader", checkedName, value);
    if (count < 1 || count > MAX_REPEATED) {
      throw new IllegalArgumentException(
          "repeatedHeader was asked for "
              + count
              + " lines; ask for 1 to "
              + MAX_REPEATED
              + " (100,000 already pass every server's limit by far)");
    }
    List<Field> changed = new ArrayList<>(count + fields.size());
    for (int i = 0; i < count; i++) changed.add(new Field(checkedName, checkedValue));
    changed.addAll(fields);
    return new HandshakeRequest(method, target, httpVersion, changed, body);
  }

  /**
   * A body after the head, with {@code Content-Length} set to its size (a GET's body has no meaning
   * to a WebSocket server, §4.1); to send a lying length or none, call {@link #with} or {@link
   * #without} after this.
   */
  public HandshakeRequest body(ByteString body) {
    if (body == null) throw nullArgument("body(null)", "the body", "ByteString.EMPTY");
    return new HandshakeRequest(method, target, httpVersion, fields, body)
        .with("Content-Length", Long.toString(body.size()));
  }

  /** As {@link #body(ByteString)}, with {@code body} as UTF-8. */
  public HandshakeRequest body(String body) {
    if (body == null) throw nullArgument("body(null)", "the body", "\"\"");
    return body(ByteString.encodeUtf8(body));
  }

  /** The values of header {@code name} (any case), in order; null where rendering decides. */
  public List<String> headers(String name) {
    List<String> values = new ArrayList<>();
    for (Field field : fields) if (field.is(name)) values.add(field.value());
    return Collections.unmodifiableList(values); // List.copyOf would refuse the nulls
  }

  /** The method. */
  public String method() {
    return method;
  }

  /** The target, or null for the client URI's path and query. */
  public String target() {
    return target;
  }

  /** The protocol of the request line. */
  public String httpVersion() {
    return httpVersion;
  }

  /** The body; empty unless {@link #body} set one. */
  public ByteString body() {
    return body;
  }

  /** The bytes to send to {@code uri}: its path and host where not set, a fresh random key. */
  public ByteString toBytes(URI uri) {
    return render(uri, new SecureRandom()).bytes();
  }

  /**
   * The bytes of a request, with the {@code Sec-WebSocket-Key} values it carries, to check a 101
   * against (RFC 6455 §4.2.2: the accept value answers a key).
   *
   * @param bytes the request as it goes on the wire
   * @param keys the keys it carries, random ones included, in order
   */
  public record Rendered(ByteString bytes, List<String> keys) {}

  /** Renders for {@code uri}, drawing a key that is not set from {@code random}. */
  public Rendered render(URI uri, Random random) {
    Objects.requireNonNull(uri, "uri");
    Buffer out = new Buffer();
    out.writeUtf8(method).writeUtf8(" ").writeUtf8(target != null ? target : targetOf(uri));
    if (!httpVersion.isEmpty()) out.writeUtf8(" ").writeUtf8(httpVersion);
    out.writeUtf8("\r\n");
    List<String> keys = new ArrayList<>();
    for (Field field : fields) {
      String value = field.value();
      if (value == null) {
        value = field.is("Host") ? hostOf(uri) : newKey(random);
      }
      if (field.is("Sec-WebSocket-Key")) keys.add(value);
      out.writeUtf8(field.name()).writeUtf8(": ").writeUtf8(value).writeUtf8("\r\n");
    }
    out.writeUtf8("\r\n").write(body);
    return new Rendered(out.readByteString(), List.copyOf(keys));
  }

  /** A fresh random {@code Sec-WebSocket-Key}: 16 random bytes, base64 (§4.1). */
  private static String newKey(Random random) {
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    return Base64.getEncoder().encodeToString(nonce);
  }

  /** The client URI's path and query: what a request line names by default. */
  static String targetOf(URI uri) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
  }

  /** {@code host}, with {@code :port} unless it is the scheme's default (RFC 9110 §7.2). */
  static String hostOf(URI uri) {
    int port = uri.getPort();
    boolean defaultPort =
        port == -1 || port == (uri.getScheme().equalsIgnoreCase("wss") ? 443 : 80);
    return uri.getHost() + (defaultPort ? "" : ":" + port);
  }

  private static String requestLinePart(String what, String value, String example) {
    if (value == null) throw nullArgument(what + "(null)", "the " + what, "\"" + example + "\"");
    if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
      throw new IllegalArgumentException(
          what
              + "("
              + quote(value)
              + ") holds a line break, which would end the request line there; to send such"
              + " bytes, use sendRaw with the request text");
    }
    return value;
  }

  private static String headerName(String caller, String name) {
    if (name == null) {
      String shown = caller.equals("without") ? "without(null)" : caller + "(null, …)";
      throw nullArgument(shown, "the header name", "\"X-Test\"");
    }
    if (name.isEmpty()
        || name.indexOf(':') >= 0
        || name.indexOf('\r') >= 0
        || name.indexOf('\n') >= 0
        || name.charAt(0) == ' '
        || name.charAt(0) == '\t') {
      throw new IllegalArgumentException(
          caller
              + " was given the header name "
              + quote(name)
              + ", which would not be read back as one header name (empty, a colon, a line break"
              + " or a leading blank); name a header such as X-Test, or use sendRaw for bytes"
              + " like these");
    }
    return name;
  }

  private static String headerValue(String caller, String name, String value) {
    if (value == null) {
      throw new NullPointerException(
          call(caller, name, "null")
              + ": the value is null; pass \"\" for an empty header, or use without(\""
              + name
              + "\") to leave it out");
    }
    if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
      throw new IllegalArgumentException(
          call(caller, name, quote(value))
              + ": the value holds a line break, which would start another header line; add a"
              + " second header with header(name, value), or use sendRaw for bytes like these");
    }
    return value;
  }

  /** The call as the test wrote it: {@code key(null)}, {@code with("X-A", "v")}. */
  private static String call(String caller, String name, String shownValue) {
    boolean valueOnly = caller.equals("key") || caller.equals("version");
    return caller + "(" + (valueOnly ? "" : "\"" + name + "\", ") + shownValue + ")";
  }

  private static NullPointerException nullArgument(String call, String what, String example) {
    return new NullPointerException(call + ": " + what + " is null; pass one such as " + example);
  }

  private static String quote(String value) {
    String shown = value.length() > 60 ? value.substring(0, 60) + "…" : value;
    return "\""
        + shown.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0").replace("\t", "\\t")
        + "\"";
  }

  /**
   * The request as text, with where rendering decides shown in angle brackets: {@code Host: <from
   * the URI>}, {@code Sec-WebSocket-Key: <fresh random key>}.
   */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(method).append(' ');
    out.append(target != null ? target : "<path from the URI>");
    if (!httpVersion.isEmpty()) out.append(' ').append(httpVersion);
    out.append('\n');
    for (Field field : fields) {
      String value = field.value();
      if (value == null) {
        value = field.is("Host") ? "<from the URI>" : "<fresh random key>";
      }
      out.append(field.name()).append(": ").append(value).append('\n');
    }
    if (body.size() > 0) out.append('\n').append("<body, ").append(body.size()).append(" bytes>");
    return out.toString().replace("\0", "\\0");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof HandshakeRequest that
        && method.equals(that.method)
        && Objects.equals(target, that.target)
        && httpVersion.equals(that.httpVersion)
        && fields.equals(that.fields)
        && body.equals(that.body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(method, target, httpVersion, fields, body);
  }
}
