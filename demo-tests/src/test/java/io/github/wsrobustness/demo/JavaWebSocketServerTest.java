package io.github.wsrobustness.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsrobustness.Outcome;
import io.github.wsrobustness.RawWebSocketClient;
import io.github.wsrobustness.WebSocketRobustness;
import io.github.wsrobustness.WebSocketTarget;
import io.github.wsrobustness.demo.servers.JavaWebSocketEchoServer;
import io.github.wsrobustness.frame.Frame;
import java.net.URI;
import okio.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A stock Java-WebSocket 1.6 echo server running inside the test JVM, found through
 * {@code @WebSocketTarget} as in {@link JettyServerTest}. Where the library rejects a frame it
 * closes with a code and a reason naming the violation, which we pin; where it does not, the tests
 * pin what it really does, so that a change in a later version shows up here.
 *
 * <p>Every rejection below is also logged by the library at ERROR, with a stack trace; {@code
 * logback-test.xml} turns that logger off.
 */
@WebSocketRobustness
class JavaWebSocketServerTest {
  private static JavaWebSocketEchoServer server;

  @BeforeAll
  static void startServer() {
    server = JavaWebSocketEchoServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @WebSocketTarget
  static URI javaWebSocketEcho() {
    return server.uri();
  }

  /**
   * RFC 6455 §5.1 says the server must close the connection on an unmasked client frame, but
   * Java-WebSocket does not check the MASK bit: {@code Draft_6455} reads it only to decide whether
   * to unmask the payload. The frame is delivered and echoed, and the connection stays open.
   */
  @Test
  void unmaskedFrameIsAcceptedAndEchoed(RawWebSocketClient ws) {
    ws.send(Frame.text("hello").unmasked());
    ws.assertReceivesText("hello");
    ws.assertStaysOpen();
    ws.assertServerStillServes();
  }

  /** The well-behaved baseline. */
  @Test
  void maskedTextIsEchoed(RawWebSocketClient ws) {
    ws.sendText("hello");
    ws.assertReceivesText("hello");
  }

  /** §5.2: the library closes (it does not just drop) with 1002 and names the opcode. */
  @Test
  void reservedOpcodeIsRejected(RawWebSocketClient ws) {
    ws.send(Frame.text("x").opcode(0x3));
    Outcome outcome = ws.assertClosesWith(1002);
    assertThat(outcome.closeReason()).isEqualTo("Unknown opcode 3");
    ws.assertServerStillServes();
  }

  /**
   * The library parses every frame of a read before it handles any: a bad frame fails the whole
   * read, so a valid message that arrived in the same read is never delivered, let alone echoed.
   * Allowed (the connection is failed either way), but it is why Autobahn's cases that send valid
   * text and then a bad frame (3.2, 4.1.3, 4.1.4, 4.2.3, 4.2.4 in one write; 3.3 to 3.7, 4.1.5 and
   * 4.2.5 whenever the server reads their separate writes together) come out NON-STRICT here. One
   * write of both frames makes it certain.
   */
  @Test
  void validTextInTheSameReadAsABadFrameIsLost(RawWebSocketClient ws) {
    ws.sendCoalesced(Frame.text("Hello"), Frame.text("x").opcode(0x3));
    Outcome outcome = ws.assertClosesWith(1002);
    assertThat(outcome.closeReason()).isEqualTo("Unknown opcode 3");
    // The close frame is the only frame the server sent.
    assertThat(outcome.counts().frames()).isEqualTo(1);
    ws.assertServerStillServes();
  }

  /**
   * §5.5.1 and §8.1: a close reason that is not UTF-8 must fail the connection. Java-WebSocket's
   * {@code CloseFrame} records the bad reason as code 1007 with a null reason, then dereferences
   * that null in its own {@code isValid()}; the {@code NullPointerException} escapes the frame
   * decoder, which drops the rest of that read. So the close frame is silently ignored: no close
   * frame comes back, TCP stays up, and the connection goes on echoing.
   */
  @Test
  void closeWithInvalidUtf8ReasonIsIgnored(RawWebSocketClient ws) {
    // Code 1000, then 0xC3 0x28: a two-byte sequence whose second byte is not a continuation.
    ws.send(Frame.closeWithPayload(ByteString.decodeHex("03e8c328")));
    // A fresh connection's handshake and ping/pong first. The server's one selector thread reads
    // whatever has arrived before it answers anyone, so once this returns it has read our close
    // frame, and the text below comes in a read of its own: had it shared the close frame's read,
    // the library would have dropped it too.
    ws.assertServerStillServes();
    ws.sendText("still echoing");
    ws.assertReceivesText("still echoing");
  }
}
