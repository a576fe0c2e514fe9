package io.github.wsrobustness.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsrobustness.RawWebSocketClient;
import io.github.wsrobustness.UpgradeRequest;
import io.github.wsrobustness.WebSocketRobustness;
import io.github.wsrobustness.WebSocketTarget;
import io.github.wsrobustness.demo.servers.JettyEchoServer;
import io.github.wsrobustness.frame.Frame;
import io.github.wsrobustness.frame.MessageDeflater;
import io.github.wsrobustness.frame.PerMessageDeflate;
import io.github.wsrobustness.frame.ReceivedFrame;
import io.github.wsrobustness.frame.WebSocketProtocol;
import java.net.URI;
import java.util.List;
import okio.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * permessage-deflate (RFC 7692) against a stock Jetty 12 echo server, whose deflate extension is on
 * by default: the client compresses with its context kept and inflates Jetty's compressed echoes; a
 * bomb past Jetty's default 64 KiB message limit and bytes that are no DEFLATE data fail the
 * connection.
 */
@WebSocketRobustness
class JettyDeflateTest {
  private static final String OFFER = "permessage-deflate; client_max_window_bits";
  private static JettyEchoServer jetty;

  @BeforeAll
  static void startJetty() throws Exception {
    jetty = JettyEchoServer.start();
  }

  @AfterAll
  static void stopJetty() {
    jetty.close();
  }

  @WebSocketTarget
  static URI jettyEcho() {
    return jetty.uri();
  }

  @Test
  void compressedMessagesComeBackCompressedAndInflate(
      @UpgradeRequest(extensions = OFFER) RawWebSocketClient ws) {
    List<String> answer = ws.handshakeResponse().headers("Sec-WebSocket-Extensions");
    assertThat(answer).containsExactly("permessage-deflate");
    PerMessageDeflate agreed = PerMessageDeflate.negotiate(List.of(OFFER), answer).agreed();
    MessageDeflater deflater = MessageDeflater.forClient(agreed);
    for (int i = 1; i <= 3; i++) {
      String text = "the same words again and again, message " + i;
      ws.send(Frame.text(deflater.compress(text)).rsv1());
      ReceivedFrame echo = ws.awaitMessage();
      assertThat(echo.message().utf8()).isEqualTo(text);
      assertThat(echo.violations()).isEmpty();
      assertThat(echo.rsvFlags()).as("RSV1 on the echo").isEqualTo(WebSocketProtocol.B0_FLAG_RSV1);
    }
  }

  @Test
  void aBombIsRefusedAsTooBig(
      @UpgradeRequest(extensions = "permessage-deflate") RawWebSocketClient ws) {
    ws.send(Frame.binary(MessageDeflater.bomb(16L << 20)).rsv1());
    ws.assertClosesWith(1009);
    ws.assertServerStillServes();
  }

  @Test
  void bytesThatAreNoDeflateDataFailTheConnection(
      @UpgradeRequest(extensions = "permessage-deflate") RawWebSocketClient ws) {
    ws.send(Frame.text(ByteString.decodeHex("ffffffff")).rsv1());
    ws.assertFailsConnection(1007);
  }

  @Test
  void rsv1OnAContinuationFailsTheConnection(
      @UpgradeRequest(extensions = "permessage-deflate") RawWebSocketClient ws) {
    ByteString compressed = MessageDeflater.noContextTakeover().compress("two parts");
    ws.sendCoalesced(
        Frame.text(compressed.substring(0, 3)).rsv1().fin(false),
        Frame.continuation(compressed.substring(3)).rsv1());
    ws.assertFailsConnection(1002);
  }
}
