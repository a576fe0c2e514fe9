package io.github.wsrobustness;

import io.github.wsrobustness.frame.PerMessageDeflate;
import io.github.wsrobustness.frame.WebSocketProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The client's side of RFC 6455 §4.1: whether a server's answer to the opening handshake completes
 * it. It must be {@code 101} with {@code Upgrade: websocket}, {@code Connection: Upgrade} and the
 * {@code Sec-WebSocket-Accept} that belongs to the key, and it may select only a subprotocol or
 * extensions the client offered, permessage-deflate with parameters RFC 7692 §7.1 allows. Anything
 * else fails the connection; {@link #problem} says why in one sentence.
 *
 * <p>Thread-safety: stateless.
 */
final class UpgradeCheck {
  private UpgradeCheck() {}

  /**
   * Why the response does not complete the handshake, or null when it does.
   *
   * @param key the {@code Sec-WebSocket-Key} the client sent
   * @param offeredSubprotocols the {@code Sec-WebSocket-Protocol} values the client offered
   * @param offeredExtensions the {@code Sec-WebSocket-Extensions} header values the client sent
   */
  public static String problem(
      HandshakeResponse response,
      String key,
      List<String> offeredSubprotocols,
      List<String> offeredExtensions) {
    if (response.status() != 101) {
      return "expected HTTP 101 Switching Protocols, but the server answered '"
          + response.statusLine()
          + "'";
    }
    String upgrade = response.header("Upgrade");
    if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
      return "expected 'Upgrade: websocket' in the 101 response, but it was "
          + quoteOrAbsent(upgrade);
    }
    String connection = response.header("Connection");
    if (connection == null || !HttpResponseReader.hasToken(connection, "upgrade")) {
      return "expected 'Connection: Upgrade' in the 101 response, but it was "
          + quoteOrAbsent(connection);
    }
    String accept = response.header("Sec-WebSocket-Accept");
    String expected = WebSocketProtocol.acceptHeader(key);
    if (!expected.equals(accept)) {
      return "expected 'Sec-WebSocket-Accept: "
          + expected
          + "' for key "
          + key
          + ", but it was "
          + quoteOrAbsent(accept);
    }
    String protocol = response.header("Sec-WebSocket-Protocol");
    if (protocol != null && offeredSubprotocols.stream().noneMatch(protocol.trim()::equals)) {
      return "the server selected subprotocol '"
          + protocol
          + "', which the client did not offer"
          + (offeredSubprotocols.isEmpty()
              ? ""
              : " (offered: " + String.join(", ", offeredSubprotocols) + ")")
          + "; RFC 6455 §4.1 says to fail the connection";
    }
    List<String> offered = extensionNames(offeredExtensions);
    for (String extension : extensionNames(response.headers("Sec-WebSocket-Extensions"))) {
      if (!offered.contains(extension)) {
        return "the server accepted extension '"
            + extension
            + "', which the client did not offer;"
            + " RFC 6455 §4.1 says to fail the connection";
      }
    }
    return PerMessageDeflate.negotiate(
            offeredExtensions, response.headers("Sec-WebSocket-Extensions"))
        .problem();
  }

  /**
   * The extension names in {@code Sec-WebSocket-Extensions} values (each a comma-separated list,
   * with {@code ;} parameters dropped), lower-cased: the offer and the answer are parsed alike.
   */
  public static List<String> extensionNames(List<String> headerValues) {
    List<String> names = new ArrayList<>();
    for (String header : headerValues) {
      for (String extension : header.split(",")) {
        String name = extension.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (!name.isEmpty()) names.add(name);
      }
    }
    return names;
  }

  private static String quoteOrAbsent(String value) {
    return value == null ? "absent" : "'" + value + "'";
  }
}
