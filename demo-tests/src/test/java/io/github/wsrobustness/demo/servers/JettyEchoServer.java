package io.github.wsrobustness.demo.servers;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * In-process Jetty 12 WebSocket echo server, used as a demo target for the robustness tests.
 *
 * <p>Built on Jetty's core (non-servlet) WebSocket API. It listens on {@code 127.0.0.1} on a random
 * free port and serves one endpoint, {@code /echo}, which sends every text message back as text and
 * every binary message back as binary. Jetty's default protocol handling is left untouched, so the
 * tests see how a stock Jetty reacts to RFC 6455 violations.
 *
 * <pre>{@code
 * try (JettyEchoServer server = JettyEchoServer.start()) {
 *     URI target = server.uri(); // ws://127.0.0.1:<port>/echo
 * }
 * }</pre>
 *
 * <p>Thread-safety: {@link #port()} and {@link #uri()} are fixed once {@link #start()} returns and
 * may be called from any thread. {@link #close()} is meant to be called once, by the owner. Each
 * connection gets its own endpoint instance, so connections do not share state.
 */
public final class JettyEchoServer implements AutoCloseable {

  private final Server server;
  private final int port;

  private JettyEchoServer(Server server, int port) {
    this.server = server;
    this.port = port;
  }

  /**
   * Starts a server on {@code 127.0.0.1} with a random free port; returns once it accepts
   * connections.
   */
  public static JettyEchoServer start() throws Exception {
    return start(container -> {}, false);
  }

  /**
   * As {@link #start()}, but accepting messages and frames up to {@code maxMessageBytes} (Jetty's
   * default of 64 KiB refuses a 16 MiB echo) and refusing every extension, so that a client that
   * offers permessage-deflate (OkHttp does) echoes raw bytes and measures itself, not zlib: the
   * benchmarks' server.
   */
  public static JettyEchoServer startAccepting(long maxMessageBytes) throws Exception {
    return start(limits(maxMessageBytes), true);
  }

  /**
   * As {@link #start()}, accepting messages and frames up to {@code maxMessageBytes}, with Jetty's
   * stock extensions (permessage-deflate among them): the catalogue's server.
   */
  public static JettyEchoServer startWithExtensionsAccepting(long maxMessageBytes)
      throws Exception {
    return start(limits(maxMessageBytes), false);
  }

  private static Consumer<ServerWebSocketContainer> limits(long maxMessageBytes) {
    return container -> {
      container.setMaxBinaryMessageSize(maxMessageBytes);
      container.setMaxTextMessageSize(maxMessageBytes);
      container.setMaxFrameSize(maxMessageBytes);
    };
  }

  private static JettyEchoServer start(
      Consumer<ServerWebSocketContainer> configure, boolean refuseExtensions) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(
        WebSocketUpgradeHandler.from(
            server,
            container -> {
              configure.accept(container);
              container.addMapping(
                  "/echo",
                  (request, response, callback) -> {
                    if (refuseExtensions) response.setExtensions(List.of());
                    return new EchoEndpoint();
                  });
            }));
    try {
      server.start();
    } catch (Exception e) {
      try {
        server.stop();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    return new JettyEchoServer(server, connector.getLocalPort());
  }

  /** The port the server listens on. */
  public int port() {
    return port;
  }

  /** The echo endpoint, {@code ws://127.0.0.1:<port>/echo}. */
  public URI uri() {
    return URI.create("ws://127.0.0.1:" + port + "/echo");
  }

  /**
   * Stops Jetty, dropping any open connections.
   *
   * @throws IllegalStateException if Jetty fails to stop (or the thread is interrupted meanwhile)
   */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while stopping Jetty", e);
    } catch (Exception e) {
      throw new IllegalStateException("Failed to stop Jetty", e);
    }
  }

  /**
   * The endpoint, one instance per connection; Jetty demands the next frame automatically. Public
   * only because Jetty binds listener methods with {@code MethodHandles.publicLookup()}: a
   * non-public class fails the upgrade with HTTP 500. Not meant for use outside this class.
   */
  public static final class EchoEndpoint implements Session.Listener.AutoDemanding {
    private Session session;

    private EchoEndpoint() {}

    @Override
    public void onWebSocketOpen(Session session) {
      this.session = session;
    }

    @Override
    public void onWebSocketText(String message) {
      session.sendText(message, Callback.NOOP);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
      // The payload belongs to Jetty until the callback completes, so complete it after the echo is
      // sent.
      session.sendBinary(payload, callback);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
      // Jetty has already failed the connection with the right close code; the robustness tests
      // provoke this hundreds of times, and an endpoint without this method has each one logged as
      // an unhandled error.
    }
  }
}
