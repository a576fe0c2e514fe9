package io.github.wsrobustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wsrobustness.StrictServer.Bug;
import io.github.wsrobustness.frame.Frame;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import okio.ByteString;
import org.junit.jupiter.api.Test;

/**
 * The reference server the conformance catalogue is proved against: conforming where no bug is
 * planted, and each planted bug visible.
 */
class StrictServerTest {

  @Test
  void echoesAFragmentedTextMessageAsOneFrameAndABinaryMessage() {
    try (StrictServer server = StrictServer.start();
        RawWebSocketClient client = RawWebSocketClient.connect(server.uri())) {
      client.send(Frame.text("hello ").fin(false));
      client.send(Frame.continuation("world"));
      assertThat(client.assertReceivesText("hello world").isFin()).isTrue();
      client.send(Frame.binary(new byte[] {0, 1, (byte) 0xFE}));
      client.assertReceivesBinary(new byte[] {0, 1, (byte) 0xFE});
    }
  }

  @Test
  void answersAPingAtOnceEvenBetweenFragments() {
    try (StrictServer server = StrictServer.start();
        RawWebSocketClient client = RawWebSocketClient.connect(server.uri())) {
      client.sendCoalesced(
          Frame.text("a").fin(false), Frame.ping("p"), Frame.continuation("b"), Frame.pong("x"));
      client.assertPong("p");
      client.assertReceivesText("ab");
      client.assertStaysOpen();
    }
  }

  @Test
  void failsAFrameWithAnRsvBitWith1002AndEndsTcp() {
    try (StrictServer server = StrictServer.start();
        RawWebSocketClient client = RawWebSocketClient.connect(server.uri())) {
      client.send(Frame.text("x").rsv1());
      assertThat(client.assertClosesWith(1002).tcpEnded()).isTrue();
    }
  }

  @Test
  void failsAnUnmaskedFrameWith1002() {
    try (StrictServer server = StrictServer.start();
        RawWebSocketClient client = RawWebSocketClient.connect(server.uri())) {
      client.send(Frame.text("x").unmasked());
      client.assertClosesWith(1002);
    }
  }

  @Test
  void failsInvalidUtf8With1007AsSoonAsTheInvalidByteArrives() {
    try (StrictServer server = StrictServer.start();
        RawWebSocketClient client = RawWebSocketClient.connect(server.uri())) {
      // "kosme" then F4, a valid start of a sequence: the message may still turn out valid.
      client.send(Frame.text(ByteString.decodeHex("cebae1bdb9cf83cebcceb5f4")).fin(false));
      client.assertStaysOpen();
      // F4 90 would be above U+10FFFF: fail-fast, without waiting for the final fragment.
      client.send(Frame.continuation(ByteString.decodeHex("90")).fin(false));
      client.assertClosesWith(1007);
    }
  }

  @Test
  void answersTheClientsCloseWithItsCodeAndDropsTcp() {
    try (StrictServer server = StrictServer.start();
        RawWebSocketClient client = RawWebSocketClient.connect(server.uri())) {
      Outcome outcome = client.closeHandshake(4001, "bye");
      assertThat(outcome.isClosedWith(4001)).isTrue();
      assertThat(outcome.closeReason()).isEmpty();
      assertThat(outcome.tcpEnd()).isEqualTo(Outcome.TcpEnd.CLEAN);
    }
  }

  @Test
  void failsACloseCodeNotAllowedOnTheWireWith1002() {
    try (StrictServer server = StrictServer.start();
        RawWebSocketClient client = RawWebSocketClient.connect(server.uri())) {
      client.send(Frame.close(1016));
      client.assertClosesWith(1002);
    }
  }

  @Test
  void refusesAnUpgradeWithoutAKeyWith400() {
    try (StrictServer server = StrictServer.start();
        RawWebSocketClient client =
            RawWebSocketClient.builder(server.uri()).connectWithoutUpgrade()) {
      client.sendRaw("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n\r\n");
      client.assertHandshakeRejected(400);
    }
  }

  @Test
  void bugAcceptsUnmaskedEchoesAnUnmaskedFrame() {
    try (StrictServer server = StrictServer.start(Bug.ACCEPTS_UNMASKED);
        RawWebSocketClient client = RawWebSocketClient.connect(server.uri())) {
      client.send(Frame.text("plain").unmasked());
      client.assertReceivesText("plain");
    }
  }

  @Test
  void bugDropsWithoutCloseEndsTcpWithoutACloseFrame() {
    try (StrictServer server = StrictServer.start(Bug.DROPS_WITHOUT_CLOSE);
        RawWebSocketClient client = RawWebSocketClient.connect(server.uri())) {
      client.send(Frame.text("x").rsv2());
      client.assertConnectionDropped();
    }
  }

  @Test
  void bugCloses1000OnProtocolErrorClosesWith1000() {
    try (StrictServer server = StrictServer.start(Bug.CLOSES_1000_ON_PROTOCOL_ERROR);
        RawWebSocketClient client = RawWebSocketClient.connect(server.uri())) {
      client.send(Frame.text("x").opcode(0x3));
      client.assertClosesWith(1000);
    }
  }

  @Test
  void bugKeepsTcpOpenAnswersTheCloseButLeavesTcpOpen() {
    try (StrictServer server = StrictServer.start(Bug.KEEPS_TCP_OPEN);
        RawWebSocketClient client = RawWebSocketClient.connect(server.uri())) {
      client.sendClose(1000, "");
      Outcome outcome = client.awaitOutcome(Duration.ofMillis(300));
      assertThat(outcome.isClosedWith(1000)).isTrue();
      assertThat(outcome.tcpEnd()).isEqualTo(Outcome.TcpEnd.OPEN);
    }
  }

  @Test
  void refusesToPlantTheJvmKillingBugInProcess() {
    assertThatThrownBy(() -> StrictServer.start(Bug.EXITS_ON_RSV))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("process");
  }

  /**
   * The validator against the JDK's strict decoder (which follows RFC 3629 too), on random byte
   * strings rich in boundary bytes, fed whole and cut in two at every point.
   */
  @Test
  void utf8ValidatorAgreesWithTheJdkDecoder() {
    int[] alphabet = {
      0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1,
      0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF7, 0xF8, 0xFC, 0xFE, 0xFF
    };
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    Random random = new Random(6455);
    StrictServer.Utf8Validator validator = new StrictServer.Utf8Validator();
    for (int sample = 0; sample < 20_000; sample++) {
      byte[] bytes = new byte[random.nextInt(9)];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) alphabet[random.nextInt(alphabet.length)];
      }
      boolean expected = decodes(decoder, bytes);
      for (int cut = 0; cut <= bytes.length; cut++) {
        validator.reset();
        boolean valid =
            validator.feed(bytes, 0, cut)
                && validator.feed(bytes, cut, bytes.length - cut)
                && validator.isComplete();
        assertThat(valid).as("%s cut at %d", ByteString.of(bytes).hex(), cut).isEqualTo(expected);
      }
    }
  }

  private static boolean decodes(CharsetDecoder decoder, byte[] bytes) {
    try {
      decoder.reset().decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
