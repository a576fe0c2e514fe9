package io.github.wsrobustness.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsrobustness.RawWebSocketClient;
import io.github.wsrobustness.UpgradeRequest;
import io.github.wsrobustness.frame.Frame;
import io.github.wsrobustness.frame.MessageDeflater;
import io.github.wsrobustness.frame.PerMessageDeflate;
import io.github.wsrobustness.frame.ReceivedFrame;
import io.github.wsrobustness.frame.WebSocketProtocol;
import java.util.List;
import okio.ByteString;
import org.junit.jupiter.api.Test;

/**
 * What every echo server with permessage-deflate (RFC 7692) on must do, run against each by a
 * subclass that names the server: echo compressed messages compressed, refuse a bomb past its limit
 * with 1009 and serve on, and fail the connection on bytes that are no DEFLATE data (1007) and on
 * RSV1 on a continuation (1002).
 */
abstract class DeflateEchoTests {
  private static final String OFFER = "permessage-deflate; client_max_window_bits";

  /** How far the bomb inflates: past the server's message limit. */
  abstract long bombSize();

  @Test
  void compressedMessagesComeBackCompressedAndInflate(
      @UpgradeRequest(extensions = OFFER) RawWebSocketClient ws) {
    List<String> answer = ws.handshakeResponse().headers("Sec-WebSocket-Extensions");
    // Neither server limits the client's window, so each answers with no parameter.
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

  /** A server inflates no further than its limit: 1009, and it serves on. */
  @Test
  void aBombIsRefusedAsTooBig(
      @UpgradeRequest(extensions = "permessage-deflate") RawWebSocketClient ws) {
    ws.send(Frame.binary(MessageDeflater.bomb(bombSize())).rsv1());
    ws.assertClosesWith(1009);
    ws.assertServerStillServes();
  }

  @Test
  void bytesThatAreNoDeflateDataFailTheConnection(
      @UpgradeRequest(extensions = "permessage-deflate") RawWebSocketClient ws) {
    ws.send(Frame.text(ByteString.decodeHex("ffffffff")).rsv1());
    ws.assertFailsConnection(1007);
    ws.assertServerStillServes();
  }

  /** RSV1 belongs on a message's first frame only (RFC 7692 §6.1). */
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
