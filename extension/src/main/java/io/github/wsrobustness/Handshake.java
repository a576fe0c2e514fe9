package io.github.wsrobustness;

import io.github.wsrobustness.Transcript.Direction;
import io.github.wsrobustness.frame.WebSocketProtocol;
import java.net.URI;
import java.util.Base64;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import okio.ByteString;

/**
 * The handshake part of a client (RFC 6455 §4.1): the request a well-behaved client sends, reading
 * the server's HTTP answer within what is left of the deadline, rejecting an answer that fails the
 * §4.1 checks, and the upgrade itself: from a 101 on, a {@link ServerReader} reads frames, allowed
 * the extension bits the answer agreed on. The §4.1 checks of a 101 are {@link UpgradeCheck}'s, the
 * HTTP reading {@link HttpResponseReader}'s.
 *
 * <p>Thread-safety: thread-safe. The test thread sends and reads the handshake, once; {@link
 * #response} and {@link #reader} are volatile, set by it and read by any thread.
 */
final class Handshake {
  private final ClientSettings settings;
  private final Connection connection;
  private final EventLog events;
  private final Transcript transcript;
  private final Supplier<String> transcriptTail;

  /** The server's answer, once read. */
  private volatile HandshakeResponse response;

  /** Set once, when the upgrade completes: from then on frames are read. */
  private volatile ServerReader reader;

  /**
   * The handshake of the client whose parts these are; failures end with {@code transcriptTail}.
   */
  Handshake(
      ClientSettings settings,
      Connection connection,
      EventLog events,
      Transcript transcript,
      Supplier<String> transcriptTail) {
    this.settings = settings;
    this.connection = connection;
    this.events = events;
    this.transcript = transcript;
    this.transcriptTail = transcriptTail;
  }

  /** The server's answer, or null before one was read. */
  HandshakeResponse response() {
    return response;
  }

  /** The reader the upgrade started; empty before the upgrade, when nothing reads frames. */
  Optional<ServerReader> reader() {
    return Optional.ofNullable(reader);
  }

  /**
   * Sends the request with a fresh key, reads the answer before {@code deadlineNanos}, checks it
   * and starts reading frames.
   *
   * @throws HandshakeException naming what was wrong, with the response if one came
   */
  HandshakeResponse upgrade(long deadlineNanos) {
    requireNotUpgraded();
    String key = newKey(settings.random());
    connection.requireOpen();
    connection.sendRaw(ByteString.encodeUtf8(request(settings, key)), Delivery.whole());
    HandshakeResponse answer = read(deadlineNanos);
    String problem =
        UpgradeCheck.problem(answer, key, settings.subprotocols(), settings.extensions());
    if (problem != null) {
      transcript.note(Direction.NOTE, "handshake rejected by the client: " + problem);
      throw new HandshakeException(problem + "\n\n" + transcriptTail.get(), answer, null);
    }
    startReading(answer);
    return answer;
  }

  /**
   * Reads the answer to whatever request bytes the test sent, before {@code deadlineNanos}, without
   * judging it; a 101 starts reading frames.
   *
   * @throws HandshakeException when no complete answer came
   */
  HandshakeResponse awaitResponse(long deadlineNanos) {
    requireNotUpgraded();
    HandshakeResponse answer = read(deadlineNanos);
    if (answer.status() == 101) startReading(answer);
    return answer;
  }

  private void requireNotUpgraded() {
    if (reader != null) {
      throw new IllegalStateException(
          "the handshake is already complete on this client; use a client from"
              + " connectWithoutUpgrade() to send handshake bytes of your own");
    }
  }

  private void startReading(HandshakeResponse answer) {
    reader = ServerReader.start(connection, events, transcript, settings, allowedRsvFlags(answer));
  }

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
   * Reads the server's answer before {@code deadlineNanos} and keeps it.
   *
   * @throws HandshakeException when no complete answer came, with the transcript's tail last
   */
  private HandshakeResponse read(long deadlineNanos) {
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
    response =
        new HandshakeResponse(
            read.statusLine(),
            read.status(),
            read.headerLines(),
            read.body(),
            settings.redaction());
    return response;
  }

  /**
   * The RSV bits the server's frames may set: RSV1 means "compressed" only when permessage-deflate
   * was offered and accepted (RFC 7692 §6).
   */
  private int allowedRsvFlags(HandshakeResponse answer) {
    boolean deflate =
        UpgradeCheck.extensionNames(answer.headers("Sec-WebSocket-Extensions"))
                .contains("permessage-deflate")
            && UpgradeCheck.extensionNames(settings.extensions()).contains("permessage-deflate");
    return deflate ? WebSocketProtocol.B0_FLAG_RSV1 : 0;
  }
}
