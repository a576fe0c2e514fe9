package io.github.wsrobustness.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsrobustness.HandshakeResponse;
import io.github.wsrobustness.NoHandshake;
import io.github.wsrobustness.Outcome;
import io.github.wsrobustness.RawWebSocketClient;
import io.github.wsrobustness.WebSocketRobustness;
import io.github.wsrobustness.WebSocketTarget;
import io.github.wsrobustness.demo.spring.EchoWebSocketApplication;
import io.github.wsrobustness.frame.Frame;
import okio.ByteString;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A Spring Boot 4 application ({@link EchoWebSocketApplication}) on embedded Tomcat 11, started the
 * Spring way: {@code @SpringBootTest} on a random port, and {@code @LocalServerPort} tells the
 * extension where it is. The extension reads the {@link WebSocketTarget} field lazily, when a test
 * first needs a client, so Spring has injected the port by then.
 *
 * <p>Spring hands the connection to Tomcat's {@code jakarta.websocket} implementation, which checks
 * the frames: it fails every violation below with a close frame that names it, then ends the TCP
 * connection. We pin those reasons. The handshake itself is Spring's ({@code
 * DefaultHandshakeHandler}).
 *
 * <p>Spring caches the application context, so this class and {@link SpringBootCatalogueTest} (same
 * configuration) share one application and one Tomcat; {@code assertServerStillServes()} proves it
 * still answers a fresh client after each violation.
 *
 * <p>Thread-safety: JUnit creates an instance per test; {@code port} is written by Spring before
 * the test runs and only read afterwards.
 */
@SpringBootTest(
    classes = EchoWebSocketApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {"server.address=127.0.0.1", "spring.main.banner-mode=off"})
@WebSocketRobustness
class SpringBootServerTest {
  @WebSocketTarget(path = "/echo")
  @LocalServerPort
  int port;

  /** RFC 6455 §5.1: a server must close the connection on an unmasked client frame. */
  @Test
  void unmaskedFrameIsRejected(RawWebSocketClient ws) {
    ws.send(Frame.text("hello").unmasked());
    Outcome outcome = ws.assertClosesWith(1002);
    assertThat(outcome.closeReason())
        .isEqualTo("The client frame was not masked but all client frames must be masked");
    ws.assertServerStillServes();
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

  /** The handler's other half: binary comes back as binary, not as text. */
  @Test
  void binaryIsEchoedAsBinary(RawWebSocketClient ws) {
    ws.send(Frame.binary(new byte[] {0, 1, 2, (byte) 0xff}));
    ws.assertReceivesBinary(new byte[] {0, 1, 2, (byte) 0xff});
  }

  /** §5.2: opcodes 0x3-0x7 are reserved; Tomcat closes with 1002 and names the opcode. */
  @Test
  void reservedOpcodeIsRejected(RawWebSocketClient ws) {
    ws.send(Frame.text("x").opcode(0x3));
    Outcome outcome = ws.assertClosesWith(1002);
    assertThat(outcome.closeReason())
        .isEqualTo("A WebSocket frame was sent with an unrecognised opCode of [3]");
    ws.assertServerStillServes();
  }

  /** §8.1: a text message that is not UTF-8 fails the connection with 1007. */
  @Test
  void invalidUtf8IsRejectedWith1007(RawWebSocketClient ws) {
    ws.send(Frame.text(ByteString.of((byte) 0xff)));
    Outcome outcome = ws.assertClosesWith(1007);
    assertThat(outcome.closeReason())
        .isEqualTo(
            "A WebSocket text frame was received that could not be decoded to UTF-8 because it"
                + " contained invalid byte sequences");
  }

  /**
   * §7.4.1: 1009 for a message too big to process. The limit is the one the application sets,
   * {@link EchoWebSocketApplication#MAX_MESSAGE_BYTES} (16 MiB), so one byte more is refused, with
   * Tomcat's reason naming both sizes; the server goes on serving.
   */
  @Test
  void messageBeyondTheConfiguredBufferIsRejectedWith1009(RawWebSocketClient ws) {
    ws.send(Frame.binary(new byte[EchoWebSocketApplication.MAX_MESSAGE_BYTES + 1]));
    Outcome outcome = ws.assertClosesWith(1009);
    assertThat(outcome.closeReason())
        .isEqualTo(
            "No async message support and buffer too small. Buffer size: [16,777,216], Message"
                + " size: [16,777,217]");
    ws.assertServerStillServes();
  }

  /**
   * §4.2.1: a handshake without {@code Sec-WebSocket-Key} must be refused. Spring's handshake
   * handler answers 400 with an empty body (and logs why only at DEBUG).
   */
  @Test
  void handshakeWithoutKeyIsRejected(@NoHandshake RawWebSocketClient ws) {
    ws.sendRaw(
        "GET /echo HTTP/1.1\r\n"
            + "Host: 127.0.0.1\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "\r\n");
    HandshakeResponse response = ws.assertHandshakeRejected(400);
    assertThat(response.body().size()).isZero();
    ws.assertServerStillServes();
  }
}
