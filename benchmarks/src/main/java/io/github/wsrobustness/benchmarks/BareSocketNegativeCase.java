package io.github.wsrobustness.benchmarks;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The baseline of the negative benchmark: one negative case done by hand on a bare {@link Socket},
 * the least a client can do to get the same bytes across the wire as ours does.
 *
 * <p>It writes the same opening handshake request (path, {@code Host}, {@code Upgrade}, {@code
 * Connection}, a random 16-byte {@code Sec-WebSocket-Key}, version 13), reads the response head up
 * to the blank line and checks the status line says 101, writes the unmasked text frame {@code 81
 * 05 "hello"}, reads the server's close frame by its length byte (Jetty adds a reason, Node's
 * {@code ws} does not) and checks its code is 1002, answers with a masked close frame carrying
 * 1002, reads until the server ends TCP, and closes. Reads go through a buffer, as any hand-written
 * client's would, so that the baseline is not slowed by one system call per byte.
 *
 * <p>Every read and the connect are bounded by a 5 s timeout, the same as our client's default
 * deadline.
 *
 * <p>Thread-safety: not thread-safe (it shares one {@link SecureRandom}); one harness thread runs
 * it.
 */
final class BareSocketNegativeCase implements Operation {
  private static final int TIMEOUT_MILLIS = 5_000;

  /** FIN + TEXT, no MASK bit, length 5, "hello": the frame a server must reject (RFC 6455 §5.1). */
  private static final byte[] UNMASKED_HELLO = {
    (byte) 0x81, 0x05, 'h', 'e', 'l', 'l', 'o',
  };

  private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};
  private static final int MAX_HEAD = 16 * 1024;

  private final InetSocketAddress address;
  private final String path;
  private final String host;
  private final SecureRandom random = new SecureRandom();

  BareSocketNegativeCase(URI uri) {
    this.address = new InetSocketAddress(uri.getHost(), uri.getPort());
    this.path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    this.host = uri.getHost() + ":" + uri.getPort();
  }

  @Override
  public void run() throws IOException {
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    String request =
        "GET "
            + path
            + " HTTP/1.1\r\n"
            + "Host: "
            + host
            + "\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: "
            + Base64.getEncoder().encodeToString(nonce)
            + "\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "\r\n";
    try (Socket socket = new Socket()) {
      socket.setTcpNoDelay(true); // as our client does, so that small writes leave at once
      socket.connect(address, TIMEOUT_MILLIS);
      socket.setSoTimeout(TIMEOUT_MILLIS);
      OutputStream out = socket.getOutputStream();
      InputStream in = new BufferedInputStream(socket.getInputStream());

      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String head = readHead(in);
      if (!head.startsWith("HTTP/1.1 101")) {
        throw new IOException("expected 101 Switching Protocols, got: " + firstLine(head));
      }

      out.write(UNMASKED_HELLO);
      out.flush();

      int b0 = readByte(in);
      int b1 = readByte(in);
      if (b0 != 0x88 || (b1 & 0x80) != 0 || (b1 & 0x7f) < 2 || (b1 & 0x7f) > 125) {
        throw new IOException(
            String.format("expected an unmasked close frame, got header %02x %02x", b0, b1));
      }
      byte[] payload = in.readNBytes(b1 & 0x7f);
      if (payload.length != (b1 & 0x7f)) throw new EOFException("close frame cut short");
      int code = (payload[0] & 0xff) << 8 | (payload[1] & 0xff);
      if (code != 1002) throw new IOException("expected close code 1002, got " + code);

      // The reply: FIN + CLOSE, MASK bit and length 2, a fresh key, then 1002 masked (§5.3).
      byte[] key = new byte[4];
      random.nextBytes(key);
      byte[] reply = {
        (byte) 0x88,
        (byte) 0x82,
        key[0],
        key[1],
        key[2],
        key[3],
        (byte) (0x03 ^ key[0]),
        (byte) (0xea ^ key[1]),
      };
      out.write(reply);
      out.flush();

      // Whatever else comes, up to the end of TCP, is not ours to judge here.
      byte[] rest = new byte[512];
      while (in.read(rest) != -1) {
        // keep reading until the server ends the stream
      }
    }
  }

  private static String readHead(InputStream in) throws IOException {
    byte[] head = new byte[MAX_HEAD];
    int n = 0;
    while (n < 4 || !endsWithHeadEnd(head, n)) {
      if (n == MAX_HEAD) throw new IOException("response head longer than " + MAX_HEAD + " bytes");
      head[n++] = (byte) readByte(in);
    }
    return new String(head, 0, n, StandardCharsets.ISO_8859_1);
  }

  private static boolean endsWithHeadEnd(byte[] head, int n) {
    for (int i = 0; i < 4; i++) {
      if (head[n - 4 + i] != HEAD_END[i]) return false;
    }
    return true;
  }

  private static int readByte(InputStream in) throws IOException {
    int b = in.read();
    if (b == -1) throw new EOFException("the server ended the stream early");
    return b;
  }

  private static String firstLine(String head) {
    int end = head.indexOf('\r');
    return end == -1 ? head : head.substring(0, end);
  }
}
