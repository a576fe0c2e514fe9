package io.github.wsrobustness.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsrobustness.HandshakeResponse;
import io.github.wsrobustness.NoHandshake;
import io.github.wsrobustness.RawWebSocketClient;
import io.github.wsrobustness.WebSocketRobustness;
import io.github.wsrobustness.frame.Frame;
import okio.ByteString;
import org.junit.jupiter.api.Test;

/**
 * A Node.js echo server on the {@code ws} library (8.23.0), written the careful way: every socket
 * has an {@code 'error'} listener. The extension launches {@code node/echo-server.js} on port 0,
 * reads the port the server got from its "listening on" line (the pattern's group), and kills it
 * after the class: no other process can take the port between choosing and binding it.
 *
 * <p>RFC 6455 §7.1.7 lets a server fail the connection with a close frame or by simply dropping it,
 * so the tests accept either; {@code ws} in fact answers every violation below the same way, with
 * the close frame {@code 88 02 03 ea} (1002, no reason) and then a TCP FIN. Each of those tests
 * then proves the process is alive and still serving, because a server that rejects the bad frame
 * and then dies has not survived it (see {@link NodeWsWithoutErrorListenerTest}).
 */
@WebSocketRobustness(
    launch = {"node", "echo-server.js", "0"},
    launchDirectory = "node",
    readyWhenOutputMatches = "listening on 127\\.0\\.0\\.1:(\\d+)")
class NodeWsServerTest {

  /** RFC 6455 §5.1: a server must close the connection on an unmasked client frame. */
  @Test
  void unmaskedFrameIsRejected(RawWebSocketClient ws) {
    ws.send(Frame.text("hello").unmasked());
    ws.assertClosesWith(1002);
    ws.assertProcessAlive();
  }

  /**
   * The well-behaved baseline: without it, every rejection above could be a server that rejects
   * everything.
   */
  @Test
  void maskedTextIsEchoed(RawWebSocketClient ws) {
    ws.sendText("hello");
    ws.assertReceivesText("hello");
  }

  /** §5.5.3: a pong carries the ping's payload back. */
  @Test
  void pingGetsItsPong(RawWebSocketClient ws) {
    ws.send(Frame.ping("are you there"));
    ws.assertPong("are you there");
  }

  /**
   * §5.5.3: an unsolicited pong is allowed and needs no answer. "Ignored" is proved by an event,
   * not a timer: {@code assertStaysOpen()} sends a probe ping, and its pong shows the server got
   * past our pong.
   */
  @Test
  void unsolicitedPongIsIgnored(RawWebSocketClient ws) {
    ws.send(Frame.pong("unsolicited"));
    ws.assertStaysOpen();
  }

  /** §5.2: opcodes 0x3-0x7 are reserved; receiving one must fail the connection. */
  @Test
  void reservedOpcodeFailsTheConnection(RawWebSocketClient ws) {
    ws.send(Frame.text("x").opcode(0x3));
    ws.assertFailsConnection(1002);
    ws.assertProcessAlive();
  }

  /** §5.2: RSV1 is only meaningful with a negotiated extension; we negotiated none. */
  @Test
  void rsv1WithoutExtensionFailsTheConnection(RawWebSocketClient ws) {
    ws.send(Frame.text("x").rsv1());
    ws.assertFailsConnection(1002);
    ws.assertProcessAlive();
  }

  /** §5.5: a control frame's payload is at most 125 bytes, so 126 is one too many. */
  @Test
  void oversizedPingFailsTheConnection(RawWebSocketClient ws) {
    ws.send(Frame.ping(ByteString.of(new byte[126])));
    ws.assertFailsConnection(1002);
    ws.assertProcessAlive();
  }

  /**
   * §4.2.1: a handshake without {@code Sec-WebSocket-Key} must be refused. {@code ws} answers 400
   * with {@code Connection: close} and names the header in a plain-text body; we pin that body.
   */
  @Test
  void handshakeWithoutKeyIsRejected(@NoHandshake RawWebSocketClient ws) {
    ws.sendRaw(
        "GET / HTTP/1.1\r\n"
            + "Host: 127.0.0.1\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "\r\n");
    HandshakeResponse response = ws.assertHandshakeRejected(400);
    assertThat(response.body().utf8()).isEqualTo("Missing or invalid Sec-WebSocket-Key header");
    ws.assertServerStillServes();
  }
}
