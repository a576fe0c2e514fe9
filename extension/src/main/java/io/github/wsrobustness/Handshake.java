package io.github.wsrobustness;

import io.github.wsrobustness.frame.WebSocketProtocol;
import java.net.URI;
import java.util.Base64;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The handshake part of a client (RFC 6455 §4.1): the request a well-behaved client sends, reading
 * the server's HTTP answer within what is left of the deadline, and which extension bits the answer
 * allows in frames. The §4.1 checks of a 101 are {@link UpgradeCheck}'s, the HTTP reading {@link
 * HttpResponseReader}'s.
 *
 * <p>Thread-safety: stateless; a client calls it from the thread doing the handshake, once.
 */
final class Handshake {
  private Handshake() {}

  /** The request a well-behaved client sends with {@code key}. */
  static String request(ClientSettings settings, String key) {
    URI uri = settings.uri();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) path += "?" + uri.getRawQuery();
    int port = uri.getPort();
    boolean defaultPort =
        port == -1 || port == (uri.getScheme().equalsIgnoreCase("wss") ? 443 : 80);
    StringBuilder out = new StringBuilder();
    out.append("GET ").append(path).append(" HTTP/1.1\r\n");
    out.append("Host: ").append(uri.getHost()).append(defaultPort ? "" : ":" + port).append("\r\n");
    out.append("Upgrade: websocket\r\n");
    out.append("Connection: Upgrade\r\n");
    out.append("Sec-WebSocket-Key: ").append(key).append("\r\n");
    out.append("Sec-WebSocket-Version: 13\r\n");
    if (settings.origin() != null) out.append("Origin: ").append(settings.origin()).append("\r\n");
    if (!settings.subprotocols().isEmpty()) {
      out.append("Sec-WebSocket-Protocol: ")
          .append(String.join(", ", settings.subprotocols()))
          .append("\r\n");
    }
    if (!settings.extensions().isEmpty()) {
      out.append("Sec-WebSocket-Extensions: ")
          .append(String.join(", ", settings.extensions()))
          .append("\r\n");
    }
    for (ClientSettings.Header header : settings.headers()) {
      out.append(header.name()).append(": ").append(header.value()).append("\r\n");
    }
    return out.append("\r\n").toString();
  }

  /** A fresh random {@code Sec-WebSocket-Key}: 16 random bytes, base64. */
  static String newKey(Random random) {
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    return Base64.getEncoder().encodeToString(nonce);
  }

  /**
   * Reads the server's answer before {@code deadlineNanos}.
   *
   * @throws HandshakeException when no complete answer came, with {@code transcriptTail} last
   */
  static HandshakeResponse read(
      Connection connection,
      Transcript transcript,
      ClientSettings settings,
      long deadlineNanos,
      Supplier<String> transcriptTail) {
    HttpResponseReader.Response read;
    // A TLS read has no deadline of its own that a trickling server cannot stretch: close at it.
    Watchdog.Guard guard = connection.isTls() ? connection.closeAt(deadlineNanos) : null;
    try {
      read =
          new HttpResponseReader(
                  connection.source(),
                  deadlineNanos,
                  settings.deadline(),
                  transcript,
                  settings.redaction())
              .read();
    } catch (HttpResponseReader.UnreadableResponseException e) {
      throw new HandshakeException(
          e.getMessage() + "\n\n" + transcriptTail.get(), null, e.getCause());
    } finally {
      if (guard != null) guard.close();
    }
    return new HandshakeResponse(
        read.statusLine(), read.status(), read.headerLines(), read.body(), settings.redaction());
  }

  /**
   * The RSV bits the server's frames may set: RSV1 means "compressed" only when permessage-deflate
   * was offered and accepted (RFC 7692 §6).
   */
  static int allowedRsvFlags(HandshakeResponse response, ClientSettings settings) {
    boolean deflate =
        UpgradeCheck.extensionNames(response.headers("Sec-WebSocket-Extensions"))
                .contains("permessage-deflate")
            && UpgradeCheck.extensionNames(settings.extensions()).contains("permessage-deflate");
    return deflate ? WebSocketProtocol.B0_FLAG_RSV1 : 0;
  }
}
