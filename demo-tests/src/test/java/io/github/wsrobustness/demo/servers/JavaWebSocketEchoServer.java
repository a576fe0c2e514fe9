package io.github.wsrobustness.demo.servers;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.java_websocket.WebSocket;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * In-process Java-WebSocket 1.6 ({@code org.java-websocket}) echo server, used as a demo target for
 * the robustness tests.
 *
 * <p>It wraps a stock {@link WebSocketServer} subclass, with the library's own {@code Draft_6455}
 * and its defaults except where noted, whose {@code onMessage} callbacks send every text message
 * back as text and every binary message back as binary. (A wrapper, because {@code WebSocketServer}
 * has an instance method {@code start()} that a static {@code start()} cannot sit beside.) It
 * listens on {@code 127.0.0.1} on a random free port and answers the upgrade on every path; {@link
 * #uri()} names {@code /}.
 *
 * <pre>{@code
 * try (JavaWebSocketEchoServer server = JavaWebSocketEchoServer.start()) {
 *     URI target = server.uri(); // ws://127.0.0.1:<port>/
 * }
 * }</pre>
 *
 * <p>Settings that differ from a bare {@code new WebSocketServer(address)}, and why:
 *
 * <ul>
 *   <li>The connection-lost timer is off ({@code setConnectionLostTimeout(0)}). By default the
 *       library pings <em>every</em> open connection every 60 seconds, on a wall-clock schedule
 *       unrelated to any test: whichever case happens to be running at that instant would see an
 *       unsolicited ping from the server. The tests judge what the server does in answer to what
 *       they send, so a timer's ping would be noise; the tests do their own liveness checks.
 *   <li>Its threads (the selector and the decoder workers) are daemon threads, so a server a test
 *       forgot to close cannot keep the test JVM alive. Closing it still stops them.
 * </ul>
 *
 * <p>Left at the library's defaults: no message-size limit is needed, as {@code Draft_6455}'s
 * maximum frame (and reassembled message) size already defaults to {@code Integer.MAX_VALUE}, well
 * above the 16 MiB of Autobahn's section 9; {@code setReuseAddr} stays off, since the server never
 * rebinds a fixed port (port 0 lets the kernel pick a free one each time).
 *
 * <p>The library logs through SLF4J; every protocol violation it detects is logged at ERROR with a
 * stack trace by the library itself, so this class logs nothing of its own.
 *
 * <p>Known library flaw: now and then an echo is held back until the client sends again (a race
 * between the selector thread and a decoder thread over the key's write interest); {@code
 * JavaWebSocketCatalogueTest}'s waiver describes it.
 *
 * <p>Thread-safety: {@link #port()} and {@link #uri()} are fixed once {@link #start()} returns and
 * may be called from any thread. {@link #close()} is meant to be called once, by the owner. The
 * library calls the echo callbacks on its decoder threads; they keep no state, and {@link
 * WebSocket#send} may be called from any thread.
 */
public final class JavaWebSocketEchoServer implements AutoCloseable {

  /** How long {@link #start()} waits for the server to bind and report {@code onStart}. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  /**
   * How long {@link #close()} lets the close handshakes and the selector thread finish (the
   * library's {@code stop(int)} joins the selector thread for at most this long).
   */
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  private final EchoServer server;
  private final Thread selectorThread;
  private final int port;

  private JavaWebSocketEchoServer(EchoServer server, Thread selectorThread, int port) {
    this.server = server;
    this.selectorThread = selectorThread;
    this.port = port;
  }

  /**
   * Starts a server on {@code 127.0.0.1} with a random free port; returns once it accepts
   * connections.
   *
   * @throws IllegalStateException if the server fails to bind, or does not start within 10 seconds
   */
  public static JavaWebSocketEchoServer start() {
    EchoServer server = new EchoServer(new InetSocketAddress("127.0.0.1", 0));
    server.setConnectionLostTimeout(0);
    server.setDaemon(true);
    server.start();
    Thread selectorThread;
    try {
      selectorThread = server.started.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopQuietly(server);
      throw new IllegalStateException("Interrupted while starting Java-WebSocket", e);
    } catch (ExecutionException e) {
      stopQuietly(server);
      throw new IllegalStateException("Java-WebSocket failed to start", e.getCause());
    } catch (TimeoutException e) {
      stopQuietly(server);
      throw new IllegalStateException(
          "Java-WebSocket did not start within " + START_TIMEOUT.toSeconds() + " s", e);
    }
    // getPort() asks the bound channel when the configured port is 0. The future completed after
    // the bind, so this thread sees the channel.
    return new JavaWebSocketEchoServer(server, selectorThread, server.getPort());
  }

  private static void stopQuietly(EchoServer server) {
    try {
      server.stop((int) STOP_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The port the server listens on. */
  public int port() {
    return port;
  }

  /** The echo endpoint, {@code ws://127.0.0.1:<port>/}. */
  public URI uri() {
    return URI.create("ws://127.0.0.1:" + port + "/");
  }

  /**
   * Stops the server: open connections get a close frame with 1001 (going away), then the listening
   * socket and the library's threads are shut down.
   *
   * @throws IllegalStateException if the selector thread is still running after 5 seconds (or the
   *     thread is interrupted meanwhile)
   */
  @Override
  public void close() {
    try {
      server.stop((int) STOP_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while stopping Java-WebSocket", e);
    }
    if (selectorThread.isAlive()) {
      throw new IllegalStateException(
          "Java-WebSocket's selector thread still runs "
              + STOP_TIMEOUT.toSeconds()
              + " s after stop");
    }
  }

  /** The library's server: echoes each message as it came, and reports its start. */
  private static final class EchoServer extends WebSocketServer {
    /** Completed with the selector thread once bound; exceptionally if the start fails. */
    final CompletableFuture<Thread> started = new CompletableFuture<>();

    EchoServer(InetSocketAddress address) {
      super(address);
    }

    @Override
    public void onStart() {
      // Called on the selector thread, after the bind: the thread close() waits for.
      started.complete(Thread.currentThread());
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {}

    @Override
    public void onMessage(WebSocket conn, String message) {
      echo(() -> conn.send(message));
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
      // The library allocates a fresh buffer per message, so it may be sent back as it is.
      echo(() -> conn.send(message));
    }

    /**
     * Sends an echo, unless the connection is no longer open. The library still delivers a message
     * that arrives after the client's close frame (in the same read, say), and then refuses to
     * send: there is no one left to echo to, which is no error of this server's.
     */
    private static void echo(Runnable send) {
      try {
        send.run();
      } catch (WebsocketNotConnectedException closedMeanwhile) {
        // Nothing to do: the close handshake has begun.
      }
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {}

    @Override
    public void onError(WebSocket conn, Exception ex) {
      // With no connection, the server itself failed: before onStart, that is a failed bind, which
      // start() reports. Per-connection errors (every protocol violation a client commits) are
      // already logged by the library, and it fails the connection itself.
      if (conn == null) started.completeExceptionally(ex);
    }
  }
}
