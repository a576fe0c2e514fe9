package io.github.wsrobustness.benchmarks;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * An in-process Jetty 12 WebSocket echo server on {@code 127.0.0.1}, a random free port, path
 * {@code /echo}: text comes back as text, binary as binary.
 *
 * <p>Two settings differ from a stock Jetty, both so that the echo benchmark measures the clients
 * and nothing else: messages and frames up to {@link #MAX_MESSAGE} bytes are accepted (Jetty's
 * default of 64 KiB would refuse the 16 MiB echo), and no extension is ever accepted, because
 * OkHttp always offers permessage-deflate and compressing 16 MiB of random bytes would turn the
 * baseline into a benchmark of zlib. Protocol handling is otherwise Jetty's own, so an unmasked
 * client frame is answered with close 1002 and a reason.
 *
 * <p>Thread-safety: {@link #uri()} may be called from any thread once {@link #start()} returned;
 * {@link #close()} is for the owner, once. Each connection gets its own endpoint.
 */
final class InProcessJetty implements AutoCloseable {
  /** The largest message and frame accepted: twice the echo benchmark's 16 MiB. */
  static final long MAX_MESSAGE = 32L * 1024 * 1024;

  private final Server server;
  private final int port;

  private InProcessJetty(Server server, int port) {
    this.server = server;
    this.port = port;
  }

  /** Starts the server; returns once it accepts connections. */
  static InProcessJetty start() throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(
        WebSocketUpgradeHandler.from(
            server,
            container -> {
              container.setMaxBinaryMessageSize(MAX_MESSAGE);
              container.setMaxTextMessageSize(MAX_MESSAGE);
              container.setMaxFrameSize(MAX_MESSAGE);
              container.addMapping(
                  "/echo",
                  (request, response, callback) -> {
                    response.setExtensions(List.of());
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
    return new InProcessJetty(server, connector.getLocalPort());
  }

  /** {@code ws://127.0.0.1:<port>/echo}. */
  URI uri() {
    return URI.create("ws://127.0.0.1:" + port + "/echo");
  }

  /** Stops Jetty, dropping open connections. */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping Jetty", e);
    } catch (Exception e) {
      throw new IllegalStateException("Jetty failed to stop", e);
    }
  }

  /**
   * The echo endpoint, one per connection; Jetty demands the next frame by itself. Public only
   * because Jetty binds listener methods through {@code MethodHandles.publicLookup()}.
   *
   * <p>Thread-safety: Jetty calls one endpoint from one thread at a time.
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
      // The buffer is Jetty's until the callback completes: complete it once the echo is sent.
      session.sendBinary(payload, callback);
    }
  }
}
