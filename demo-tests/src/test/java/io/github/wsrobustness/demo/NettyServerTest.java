package io.github.wsrobustness.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsrobustness.Outcome;
import io.github.wsrobustness.RawWebSocketClient;
import io.github.wsrobustness.ServerEvent;
import io.github.wsrobustness.WebSocketRobustness;
import io.github.wsrobustness.WebSocketTarget;
import io.github.wsrobustness.demo.servers.NettyEchoServer;
import io.github.wsrobustness.frame.Frame;
import io.github.wsrobustness.frame.ReceivedFrame;
import java.net.URI;
import java.util.List;
import okio.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A stock Netty 4.2 echo server ({@code WebSocketServerProtocolHandler}) running inside the test
 * JVM, started by the test, which hands its URI to the extension through {@code @WebSocketTarget}.
 * Netty fails the connection from its frame decoder with a close frame that names the violation; we
 * pin those reasons, and the second close frame Netty sends after them.
 */
@WebSocketRobustness
class NettyServerTest {
  private static NettyEchoServer netty;

  @BeforeAll
  static void startNetty() throws InterruptedException {
    netty = NettyEchoServer.start();
  }

  @AfterAll
  static void stopNetty() {
    netty.close();
  }

  @WebSocketTarget
  static URI nettyEcho() {
    return netty.uri();
  }

  /**
   * RFC 6455 §5.1; "still serves" is the in-JVM twin of "process alive": a fresh client gets its
   * pong.
   */
  @Test
  void unmaskedFrameIsRejected(RawWebSocketClient ws) {
    ws.send(Frame.text("hello").unmasked());
    Outcome outcome = ws.assertClosesWith(1002);
    assertThat(outcome.closeReason()).isEqualTo("received a frame that is not masked as expected");
    ws.assertServerStillServes();
  }

  /** The well-behaved baseline. */
  @Test
  void maskedTextIsEchoed(RawWebSocketClient ws) {
    ws.sendText("hello");
    ws.assertReceivesText("hello");
  }

  /** §5.2: Netty closes (it does not just drop) with 1002 and names the opcode. */
  @Test
  void reservedOpcodeIsRejected(RawWebSocketClient ws) {
    ws.send(Frame.text("x").opcode(0x3));
    Outcome outcome = ws.assertClosesWith(1002);
    assertThat(outcome.closeReason()).isEqualTo("data frame using reserved opcode 3");
    ws.assertServerStillServes();
  }

  /**
   * §8.1: Netty validates UTF-8 frame by frame, so it fails the connection with 1007 on the first
   * fragment, without waiting for the rest of the message (which never comes here).
   */
  @Test
  void invalidUtf8FailsAtItsFragment(RawWebSocketClient ws) {
    ws.send(Frame.text(ByteString.of((byte) 'o', (byte) 'k', (byte) 0xff)).fin(false));
    Outcome outcome = ws.assertClosesWith(1007);
    assertThat(outcome.closeReason()).isEqualTo("bytes are not UTF-8");
    ws.assertServerStillServes();
  }

  /**
   * A frame over the configured limit (32 MiB) is refused from its header with 1009: Netty does not
   * wait for a payload the header merely announces, and this one never sends it.
   */
  @Test
  void frameOverTheLimitIsRefusedFromItsHeader(RawWebSocketClient ws) {
    ws.send(Frame.binary(new byte[0]).declaredLength(NettyEchoServer.MAX_MESSAGE_BYTES + 1L));
    Outcome outcome = ws.assertClosesWith(1009);
    assertThat(outcome.closeReason()).isEqualTo("Max frame length of 33554432 has been exceeded.");
    ws.assertServerStillServes();
  }

  /**
   * The deviation {@link NettyCatalogueTest} waives: after the decoder's close frame comes a second
   * one, 1000 "Bye", though nothing may follow a close frame (§5.5.1). The decoder writes its close
   * frame below {@code WebSocketServerProtocolHandler} and then closes the channel; that close
   * passes through the protocol handler, which never saw the first frame and sends its default
   * close frame.
   */
  @Test
  void failingTheConnectionSendsASecondCloseFrame(RawWebSocketClient ws) {
    ws.send(Frame.text("x").opcode(0x3));
    ws.assertClosesWith(1002);
    assertThat(ws.awaitEvent(0, ServerEvent::isTerminal, ws.deadline()))
        .as("the end of the connection")
        .isNotNull();
    List<String> closeFrames =
        ws.events().stream()
            .map(ServerEvent::frame)
            .filter(frame -> frame != null && frame.isClose())
            .map(NettyServerTest::codeAndReason)
            .toList();
    assertThat(closeFrames).containsExactly("1002 data frame using reserved opcode 3", "1000 Bye");
  }

  private static String codeAndReason(ReceivedFrame close) {
    return close.closeCode().orElse(-1) + " " + close.closeReason();
  }
}
