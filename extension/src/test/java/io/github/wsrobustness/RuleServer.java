package io.github.wsrobustness;

import io.github.wsrobustness.frame.Frame;
import io.github.wsrobustness.frame.ReceivedFrame;
import io.github.wsrobustness.frame.WebSocketProtocol;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import javax.net.ServerSocketFactory;

/**
 * A small loopback WebSocket server with scripted reactions, for the extension's own tests: it
 * echoes text and binary messages, answers pings, fails the connection with 1002 on an unmasked
 * frame (RFC 6455 §5.1), and obeys a few text commands: {@code close-1000} (close 1000 "bye"),
 * {@code drop} (end TCP without a close frame), {@code silent} (read on, answer nothing), {@code
 * whoami} (its arguments, as text), {@code request} (the request's headers, as text). A request for
 * {@code /reject} gets 400.
 *
 * <p>Run as a process ({@link #main}) it binds the port it is given (0 for any) and prints {@code
 * ready on port N}, on an address already in use a {@code BindException} and exit code 1. Flags:
 * {@code die-on-unmasked} writes a line to stderr and exits with code 3 right after its 1002 close
 * frame, like Node's {@code ws} without an error listener; {@code no-pong} leaves pings unanswered
 * (and still echoes); {@code long-line=N} prints a line of N characters before the ready line.
 */
final class RuleServer {
  private RuleServer() {}

  static TestPeer start() throws IOException {
    return TestPeer.start(c -> serve(c, false));
  }

  private static TestPeer shared;

  /** What {@code whoami} answers: the process's arguments, or "in-process". */
  private static volatile String identity = "in-process";

  /**
   * One server for every test class of this JVM that only needs it running: started on first use,
   * its daemon threads end with the JVM.
   */
  static synchronized TestPeer shared() {
    if (shared == null) {
      try {
        shared = start();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("the shared loopback server could not start", e);
      }
    }
    return shared;
  }

  static void serve(TestPeer.Connection c, boolean dieOnUnmasked) throws IOException {
    serve(c, dieOnUnmasked, true);
  }

  static void serve(TestPeer.Connection c, boolean dieOnUnmasked, boolean answerPings)
      throws IOException {
    Map<String, String> request = c.readRequest();
    if (request.get("request-line").startsWith("GET /reject")) {
      c.writeUtf8(
          "HTTP/1.1 400 Bad Request\r\nContent-Length: 8\r\nConnection: close\r\n\r\nrejected");
      return;
    }
    String key = request.get("sec-websocket-key");
    if (key == null) {
      c.writeUtf8("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      return;
    }
    c.writeUtf8(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: "
            + WebSocketProtocol.acceptHeader(key)
            + "\r\n\r\n");
    boolean silent = false;
    for (ReceivedFrame frame; (frame = c.readFrame()) != null; ) {
      if (!frame.isMasked()) {
        c.writeHex("88 02 03 ea");
        if (dieOnUnmasked) {
          System.err.println("fatal: Invalid WebSocket frame: MASK must be set");
          Runtime.getRuntime().halt(3);
        }
        c.close();
        return;
      }
      if (silent) continue;
      if (frame.isClose()) {
        c.writeFrame(Frame.closeWithPayload(frame.payload()).unmasked());
        return;
      }
      if (frame.isPing()) {
        if (answerPings) c.writeFrame(Frame.pong(frame.payload()).unmasked());
      } else if (frame.message() != null) {
        String text = frame.message().utf8();
        switch (text) {
          case "close-1000" -> c.writeFrame(Frame.close(1000, "bye").unmasked());
          case "drop" -> {
            c.close();
            return;
          }
          case "silent" -> silent = true;
          case "whoami" -> c.writeFrame(Frame.text(identity).unmasked());
          case "request" -> c.writeFrame(Frame.text(describe(request)).unmasked());
          default ->
              c.writeFrame(Frame.binary(frame.message()).opcode(frame.messageOpcode()).unmasked());
        }
      }
    }
  }

  /** The request head as the server read it: one {@code name: value} line per header, sorted. */
  private static String describe(Map<String, String> request) {
    return request.entrySet().stream()
        .filter(e -> !e.getKey().equals("request-line"))
        .map(e -> e.getKey() + ": " + e.getValue())
        .sorted()
        .collect(java.util.stream.Collectors.joining("\n"));
  }

  /**
   * {@code RuleServer <port> [die-on-unmasked] [no-pong] [long-line=N] [markers…]}: serves until
   * killed.
   */
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    List<String> flags = List.of(args);
    identity = String.join(" ", args);
    boolean die = flags.contains("die-on-unmasked");
    boolean pong = !flags.contains("no-pong");
    try (TestPeer peer =
        TestPeer.start(ServerSocketFactory.getDefault(), "ws", port, c -> serve(c, die, pong))) {
      for (String flag : flags) {
        if (!flag.startsWith("long-line=")) continue;
        // Written in pieces, with no newline until the end: the launcher must drain it all and
        // keep only a bounded part.
        long length = Long.parseLong(flag.substring("long-line=".length()));
        byte[] piece = new byte[64 * 1024];
        Arrays.fill(piece, (byte) 'x');
        for (long written = 0; written < length; written += piece.length) {
          System.out.write(piece, 0, (int) Math.min(piece.length, length - written));
        }
        System.out.println();
      }
      System.out.println("ready on port " + peer.port());
      new CountDownLatch(1).await(); // serve until the extension kills the process
    }
  }
}
