package io.github.wsrobustness;

import io.github.wsrobustness.frame.Frame;
import io.github.wsrobustness.frame.FrameReader;
import io.github.wsrobustness.frame.FrameWriter;
import io.github.wsrobustness.frame.ReceivedFrame;
import io.github.wsrobustness.frame.WebSocketProtocol;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ServerSocketFactory;
import okio.BufferedSink;
import okio.BufferedSource;
import okio.ByteString;
import okio.Okio;

/**
 * A loopback WebSocket peer for tests: it accepts connections on 127.0.0.1 and runs a script on
 * each, so a test can play a well-behaved server, a hostile one, or a half-broken one. Every socket
 * has a read timeout so a script can never hang the build.
 */
final class TestPeer implements AutoCloseable {
  /** What the peer does with one accepted connection. */
  interface Script {
    void run(Connection connection) throws Exception;
  }

  private static final int PEER_SOCKET_TIMEOUT_MS = 10_000;

  private final ServerSocket serverSocket;
  private final Script script;
  private final String scheme;
  private final BlockingQueue<CompletableFuture<Void>> finished = new LinkedBlockingQueue<>();
  private final List<Socket> accepted = new ArrayList<>();
  private final Thread acceptor;

  private TestPeer(ServerSocket serverSocket, String scheme, Script script) {
    this.serverSocket = serverSocket;
    this.scheme = scheme;
    this.script = script;
    this.acceptor = new Thread(this::acceptLoop, "test-peer-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * A lenient echo server: answers the handshake, echoes every data frame (masked or not, with its
   * opcode), answers every ping, echoes a close and ends. It fails nothing.
   */
  static void echo(Connection c) throws IOException {
    c.acceptHandshake();
    for (ReceivedFrame frame; (frame = c.readFrame()) != null; ) {
      if (frame.isPing()) {
        c.writeFrame(Frame.pong(frame.payload()).unmasked());
      } else if (frame.isClose()) {
        c.writeFrame(Frame.closeWithPayload(frame.payload()).unmasked());
        return;
      } else if (!frame.isControl()) {
        c.writeFrame(Frame.binary(frame.payload()).opcode(frame.opcode()).unmasked());
      }
    }
  }

  /** {@code length} bytes counting 0, 1, 2 … 250, made as they are read: a frame of any size. */
  static okio.Source counting(long length) {
    return new okio.Source() {
      long produced;

      @Override
      public long read(okio.Buffer sink, long byteCount) {
        if (produced == length) return -1;
        long n = Math.min(byteCount, length - produced);
        for (long i = 0; i < n; i++) sink.writeByte((int) ((produced + i) % 251));
        produced += n;
        return n;
      }

      @Override
      public okio.Timeout timeout() {
        return okio.Timeout.NONE;
      }

      @Override
      public void close() {}
    };
  }

  static TestPeer start(Script script) throws IOException {
    return start(ServerSocketFactory.getDefault(), "ws", script);
  }

  static TestPeer start(ServerSocketFactory factory, String scheme, Script script)
      throws IOException {
    return start(factory, scheme, 0, script);
  }

  static TestPeer start(ServerSocketFactory factory, String scheme, int port, Script script)
      throws IOException {
    ServerSocket serverSocket = factory.createServerSocket();
    serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return new TestPeer(serverSocket, scheme, script);
  }

  URI uri() {
    return URI.create(scheme + "://127.0.0.1:" + serverSocket.getLocalPort() + "/test?x=1");
  }

  int port() {
    return serverSocket.getLocalPort();
  }

  private void acceptLoop() {
    while (!serverSocket.isClosed()) {
      Socket socket;
      try {
        socket = serverSocket.accept();
      } catch (IOException e) {
        return; // the server socket was closed by close()
      }
      CompletableFuture<Void> run = new CompletableFuture<>();
      synchronized (accepted) {
        accepted.add(socket);
      }
      finished.add(run);
      Thread worker =
          new Thread(
              () -> {
                try (Connection connection = new Connection(socket)) {
                  script.run(connection);
                  run.complete(null);
                } catch (Throwable t) {
                  run.completeExceptionally(t);
                }
              },
              "test-peer-connection");
      worker.setDaemon(true);
      worker.start();
    }
  }

  /**
   * Waits (bounded) for the script of the next connection not yet awaited, and rethrows its
   * failure.
   */
  void awaitScript() throws Exception {
    CompletableFuture<Void> run = finished.poll(10, TimeUnit.SECONDS);
    if (run == null) throw new AssertionError("no connection was accepted within 10 s");
    run.get(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws IOException {
    serverSocket.close();
    synchronized (accepted) {
      for (Socket socket : accepted) socket.close();
    }
  }

  /** One accepted connection, with helpers to play a server. */
  static final class Connection implements AutoCloseable {
    final Socket socket;
    final BufferedSource source;
    final BufferedSink sink;
    private final FrameWriter writer = new FrameWriter(new Random(1));
    private FrameReader reader;
    private Map<String, String> lastRequest;

    Connection(Socket socket) throws IOException {
      this.socket = socket;
      socket.setSoTimeout(PEER_SOCKET_TIMEOUT_MS);
      socket.setTcpNoDelay(true);
      this.source = Okio.buffer(Okio.source(socket.getInputStream()));
      this.sink = Okio.buffer(Okio.sink(socket.getOutputStream()));
    }

    /** Reads the request head; keys are lower-case header names, plus "request-line". */
    Map<String, String> readRequest() throws IOException {
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("request-line", source.readUtf8LineStrict());
      for (String line; !(line = source.readUtf8LineStrict()).isEmpty(); ) {
        int colon = line.indexOf(':');
        headers.put(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
      lastRequest = headers;
      return headers;
    }

    /** Reads the request and answers 101 with the right accept key; returns the request. */
    Map<String, String> acceptHandshake() throws IOException {
      Map<String, String> request = readRequest();
      answerHandshake(request);
      return request;
    }

    /** Answers 101 to the request the script read already. */
    void acceptHandshakeWithoutReading() throws IOException {
      answerHandshake(lastRequest);
    }

    private void answerHandshake(Map<String, String> request) throws IOException {
      String accept = WebSocketProtocol.acceptHeader(request.get("sec-websocket-key"));
      writeUtf8(
          "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Accept: "
              + accept
              + "\r\n\r\n");
    }

    void writeUtf8(String text) throws IOException {
      sink.writeUtf8(text).flush();
    }

    void writeHex(String hex) throws IOException {
      sink.write(ByteString.decodeHex(hex.replace(" ", ""))).flush();
    }

    /**
     * Writes a frame as a server would: call {@code .unmasked()} on it for a legal server frame.
     */
    void writeFrame(Frame frame) throws IOException {
      writer.write(frame, sink);
      sink.flush();
    }

    /** Reads a client frame (the reader expects masked frames and reports unmasked ones). */
    ReceivedFrame readFrame() throws IOException {
      if (reader == null) reader = new FrameReader(source, true, 0, 64L * 1024 * 1024);
      return reader.readFrame();
    }

    /** Blocks until the client ends the stream (or the read timeout passes). */
    void awaitEndOfStream() throws IOException {
      while (source.read(new okio.Buffer(), 8192) != -1) {
        // discard
      }
    }

    /**
     * Stalls, as a slow or hostile server does: the delay itself is what the tests that call this
     * are about (a deadline must end the client's wait, however the server dawdles).
     */
    void stall(java.time.Duration delay) throws InterruptedException {
      Thread.sleep(delay.toMillis());
    }

    /** Closes abortively: the client sees a TCP RST. */
    void reset() throws IOException {
      socket.setSoLinger(true, 0);
      socket.close();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
