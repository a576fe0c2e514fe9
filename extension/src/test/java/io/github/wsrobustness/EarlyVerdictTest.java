package io.github.wsrobustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wsrobustness.frame.Frame;
import io.github.wsrobustness.frame.ReceivedFrame;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * A verb decides as soon as an event decides it. Where a failed connection is expected and the
 * server answers instead, a probe ping settles it at once: its pong proves the server processed
 * everything before it and kept the connection. The deadline here is 30 s; before, each of these
 * failures waited all of it.
 */
class EarlyVerdictTest {
  private static final Duration LONG_DEADLINE = Duration.ofSeconds(30);

  /** Far below the deadline: what "at once" means on a loaded CI machine. */
  private static final Duration AT_ONCE = Duration.ofSeconds(10);

  /** Echoes masked data frames, and fails the connection with 1002 on an unmasked one (§5.1). */
  private static void strictServer(TestPeer.Connection c) throws IOException {
    c.acceptHandshake();
    for (ReceivedFrame frame; (frame = c.readFrame()) != null; ) {
      if (!frame.isMasked()) {
        c.writeHex("88 02 03 ea");
        c.close();
        return;
      }
      if (frame.message() != null) {
        c.writeFrame(Frame.binary(frame.message()).opcode(frame.messageOpcode()).unmasked());
      }
    }
  }

  @Test
  void echoOfAnUnmaskedFrameFailsAtOnceSayingWhatTheServerDid() throws Exception {
    try (TestPeer peer = TestPeer.start(TestPeer::echo);
        RawWebSocketClient ws =
            RawWebSocketClient.builder(peer.uri()).deadline(LONG_DEADLINE).connect()) {
      ws.send(Frame.text("Hello").unmasked());
      long start = System.nanoTime();
      assertThatThrownBy(() -> ws.assertClosesWith(1002))
          .isInstanceOfSatisfying(
              AssertionFailedError.class,
              e -> assertThat(e.getActual().getValue()).isEqualTo("kept open"))
          .hasMessageMatching(
              "(?s)Expecting a close frame with 1002 \\(PROTOCOL_ERROR\\), but the server answered"
                  + " with TEXT \"Hello\" after \\d+ ms and kept the connection open\n\n.*");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(AT_ONCE);
    }
  }

  @Test
  void pongToAnUnmaskedPingFailsAtOnce() throws Exception {
    try (TestPeer peer = TestPeer.start(TestPeer::echo);
        RawWebSocketClient ws =
            RawWebSocketClient.builder(peer.uri()).deadline(LONG_DEADLINE).connect()) {
      ws.send(Frame.ping("anyone").unmasked());
      long start = System.nanoTime();
      assertThatThrownBy(() -> ws.assertFailsConnection(1002))
          .hasMessageContaining("but the server answered with PONG \"anyone\" after")
          .hasMessageContaining("and kept the connection open");
      assertThatThrownBy(ws::assertConnectionDropped)
          .hasMessageContaining("and kept the connection open");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(AT_ONCE);
    }
  }

  @Test
  void echoOfTheValidFramesBeforeTheBadOneDecidesNothing() throws Exception {
    // The server rightly echoes "valid", then fails the connection on the unmasked frame: the
    // probe that the echo sets off goes after both, and the close comes first.
    try (TestPeer peer = TestPeer.start(EarlyVerdictTest::strictServer);
        RawWebSocketClient ws =
            RawWebSocketClient.builder(peer.uri()).deadline(LONG_DEADLINE).connect()) {
      ws.sendText("valid");
      ws.send(Frame.text("bad").unmasked());
      Outcome outcome = ws.assertClosesWith(1002);
      assertThat(outcome.answer().payloadUtf8()).isEqualTo("valid");
      assertThat(outcome.keptOpen()).isFalse();
    }
  }

  @Test
  void awaitOutcomeReportsFactsWithoutProbing() throws Exception {
    try (TestPeer peer = TestPeer.start(TestPeer::echo);
        RawWebSocketClient ws =
            RawWebSocketClient.builder(peer.uri()).deadline(LONG_DEADLINE).connect()) {
      ws.sendText("hi");
      assertThat(ws.awaitFrame().payloadUtf8()).isEqualTo("hi");
      Outcome outcome = ws.awaitOutcome(Duration.ofMillis(200));
      assertThat(outcome.isStillOpen()).isTrue();
      assertThat(outcome.keptOpen()).isFalse();
      assertThat(outcome.describe())
          .matches(
              "the connection was still open after \\d+ ms; the server answered with TEXT \"hi\""
                  + " after \\d+ ms");
      assertThat(ws.transcript()).doesNotContain("probe:");
    }
  }

  @Test
  void aPongAfterTheServersCloseFrameProvesNothing() throws Exception {
    // The server fails the connection, then still answers the probe it received: the close frame
    // came first, so the connection did not stay open.
    try (TestPeer peer =
            TestPeer.start(
                c -> {
                  c.acceptHandshake();
                  c.readFrame(); // the unmasked frame
                  ReceivedFrame probe = c.readFrame();
                  c.writeHex("88 02 03 ea");
                  c.writeFrame(Frame.pong(probe.payload()).unmasked());
                  c.awaitEndOfStream();
                });
        RawWebSocketClient ws = RawWebSocketClient.connect(peer.uri())) {
      ws.send(Frame.text("hello").unmasked());
      assertThatThrownBy(ws::assertStaysOpen)
          .hasMessageStartingWith(
              "Expecting the connection to stay open (a probe ping answered), but the server closed"
                  + " with 1002 (PROTOCOL_ERROR)");
    }
  }

  @Test
  void anEarlierProbesPongDecidesNothingLater() throws Exception {
    // assertStaysOpen() leaves a probe's pong behind; a later verdict, after the client reset the
    // connection itself, must not take that old pong for proof of anything.
    try (TestPeer peer = TestPeer.start(TestPeer::echo);
        RawWebSocketClient ws =
            RawWebSocketClient.builder(peer.uri()).deadline(Duration.ofSeconds(2)).connect()) {
      ws.sendText("hello");
      ws.assertStaysOpen();
      ws.abort();
      assertThatThrownBy(() -> ws.assertClosesWith(1009))
          .isInstanceOfSatisfying(
              AssertionFailedError.class,
              e -> assertThat(e.getActual().getValue()).isEqualTo("closed by the client"));
    }
  }
}
