package io.github.wsrobustness.benchmarks;

import io.github.wsrobustness.frame.WebSocketProtocol;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deliberately hostile WebSocket server for the memory benchmark: a plain {@link ServerSocket} on
 * {@code 127.0.0.1}, port 0, that accepts one connection, completes the opening handshake properly
 * and then does what its {@link Scenario} says, as fast as the client takes it.
 *
 * <p>Every byte it sends is generated from a small repeated chunk, so the server itself needs no
 * memory to speak of. Reads are bounded by socket timeouts; writes end when the client's process
 * dies or {@link #close()} closes the socket under them.
 *
 * <p>Thread-safety: it serves on a thread of its own; {@link #uri()}, {@link #report()} and {@link
 * #close()} may be called from any thread.
 */
final class HostileServer implements AutoCloseable {
  /** 1 GiB: how much each scenario sends or expects. */
  static final long GIB = 1L << 30;

  private static final int ACCEPT_TIMEOUT_MILLIS = 60_000;
  private static final int READ_TIMEOUT_MILLIS = 60_000;
  private static final int CHUNK_BYTES = 64 * 1024;
  private static final Pattern KEY =
      Pattern.compile("(?im)^Sec-WebSocket-Key:[ \\t]*([^\\r\\n]*?)[ \\t]*\\r?$");

  /** What the server does once the connection is upgraded. */
  enum Scenario {
    /** 1 GiB of 18-byte unmasked text frames ({@code 81 10} + 16 bytes), close 1000, end. */
    FLOOD,
    /** 1 GiB of 18-byte pings ({@code 89 10} + 16 bytes), close 1000, end. */
    PING_FLOOD,
    /** One binary frame header declaring 2^62 bytes, then 1 GiB of payload, then the end of TCP. */
    BOMB,
    /** Reads and discards everything the client sends, counting it, until the client ends TCP. */
    STREAM_OUT;

    /** The name used on the command line and in reports: {@code ping-flood}. */
    String id() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  private final Scenario scenario;
  private final ServerSocket serverSocket;
  private final Thread thread;
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong read = new AtomicLong();
  private volatile Socket connection;
  private volatile String ending = "no client connected";

  private HostileServer(Scenario scenario, ServerSocket serverSocket) {
    this.scenario = scenario;
    this.serverSocket = serverSocket;
    this.thread = new Thread(this::serve, "hostile server " + scenario.id());
    this.thread.setDaemon(true);
  }

  /** Binds {@code 127.0.0.1} on a free port and starts serving one connection. */
  static HostileServer start(Scenario scenario) throws IOException {
    ServerSocket serverSocket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    serverSocket.setSoTimeout(ACCEPT_TIMEOUT_MILLIS);
    HostileServer server = new HostileServer(scenario, serverSocket);
    server.thread.start();
    return server;
  }

  /** {@code ws://127.0.0.1:<port>/}. */
  URI uri() {
    return URI.create("ws://127.0.0.1:" + serverSocket.getLocalPort() + "/");
  }

  /** What the server did: bytes written and read after the handshake, and how it ended. */
  String report() {
    return "server wrote "
        + Report.bytes(written.get())
        + ", read "
        + Report.bytes(read.get())
        + "; "
        + ending;
  }

  private void serve() {
    try (Socket socket = serverSocket.accept()) {
      connection = socket;
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      handshake(in, out);
      switch (scenario) {
        case FLOOD -> flood(out, (byte) 0x81);
        case PING_FLOOD -> flood(out, (byte) 0x89);
        case BOMB -> bomb(out);
        case STREAM_OUT -> {}
      }
      if (scenario != Scenario.STREAM_OUT) socket.shutdownOutput(); // our FIN: the end of TCP
      // Read to the client's own end (its close reply, then its FIN), so that it sees a clean end
      // rather than a reset for data that arrived after we closed.
      byte[] sink = new byte[CHUNK_BYTES];
      for (int n = in.read(sink); n != -1; n = in.read(sink)) read.addAndGet(n);
      ending = "the client ended TCP";
    } catch (IOException e) {
      ending = "ended by " + e;
    }
  }

  private static void handshake(InputStream in, OutputStream out) throws IOException {
    StringBuilder head = new StringBuilder();
    while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
      int b = in.read();
      if (b == -1) throw new IOException("the client ended TCP during the handshake");
      if (head.length() > 16 * 1024) throw new IOException("handshake request too long");
      head.append((char) b);
    }
    Matcher key = KEY.matcher(head);
    if (!key.find()) throw new IOException("no Sec-WebSocket-Key in:\n" + head);
    String response =
        "HTTP/1.1 101 Switching Protocols\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: "
            + WebSocketProtocol.acceptHeader(key.group(1))
            + "\r\n\r\n";
    out.write(response.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** 1 GiB of whole 18-byte frames of {@code b0}, then close 1000. */
  private void flood(OutputStream out, byte b0) throws IOException {
    byte[] frame = new byte[18];
    frame[0] = b0;
    frame[1] = 16; // no MASK bit, 16 payload bytes
    byte[] text = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(text, 0, frame, 2, text.length);
    int framesPerChunk = CHUNK_BYTES / frame.length;
    byte[] chunk = new byte[framesPerChunk * frame.length];
    for (int i = 0; i < framesPerChunk; i++) {
      System.arraycopy(frame, 0, chunk, i * frame.length, frame.length);
    }
    long frames = GIB / frame.length;
    for (long sent = 0; sent < frames; ) {
      int n = (int) Math.min(framesPerChunk, frames - sent);
      out.write(chunk, 0, n * frame.length);
      written.addAndGet((long) n * frame.length);
      sent += n;
    }
    byte[] close = {(byte) 0x88, 0x02, 0x03, (byte) 0xe8}; // close 1000, unmasked
    out.write(close);
    written.addAndGet(close.length);
    out.flush();
  }

  /** A binary frame header declaring 2^62 payload bytes, then 1 GiB of that payload. */
  private void bomb(OutputStream out) throws IOException {
    byte[] header = {(byte) 0x82, 0x7f, 0x40, 0, 0, 0, 0, 0, 0, 0};
    out.write(header);
    written.addAndGet(header.length);
    byte[] chunk = new byte[CHUNK_BYTES];
    for (int i = 0; i < chunk.length; i++) chunk[i] = (byte) i;
    for (long sent = 0; sent < GIB; sent += chunk.length) {
      out.write(chunk);
      written.addAndGet(chunk.length);
    }
    out.flush();
  }

  /** Closes the listening and the accepted socket (ending any blocked write), and waits 10 s. */
  @Override
  public void close() throws IOException {
    serverSocket.close();
    Socket socket = connection;
    if (socket != null) socket.close();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
