package io.github.wsrobustness;

import static io.github.wsrobustness.TestKit.assertSucceeded;
import static io.github.wsrobustness.TestKit.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsrobustness.assertj.WebSocketAssertions;
import io.github.wsrobustness.frame.CloseCode;
import io.github.wsrobustness.frame.Frame;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okio.ByteString;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.opentest4j.AssertionFailedError;

/** Every assertion verb of the client, passing and failing, with its failure message pinned. */
class AssertionVerbsTest {
  private static final String TRANSCRIPT =
      "\n\nTranscript \\(last 20 entries\\) of ws://127\\.0\\.0\\.1:\\d+/test\\?x=1:\n.*";
  private static final TestPeer server = RuleServer.shared();
  private static EngineExecutionResults results;

  @BeforeAll
  static void runFixtures() {
    results = TestKit.run(VerbTestCases.class, Map.of("wsrobustness.uri", server.uri().toString()));
  }

  @WebSocketRobustness(deadline = "2s")
  static class VerbTestCases {
    @Test
    void closesWithPasses(RawWebSocketClient ws) {
      ws.send(Frame.text("hello").unmasked());
      Outcome outcome = ws.assertClosesWith(1002);
      assertThat(outcome.tcpEnd()).isEqualTo(Outcome.TcpEnd.CLEAN);
    }

    @Test
    void closesWithAcceptsAnyOfSeveralCodes(RawWebSocketClient ws) {
      ws.send(Frame.text("hello").unmasked());
      ws.assertClosesWith(1007, 1002);
    }

    @Test
    void closesWithFails(RawWebSocketClient ws) {
      ws.sendText("close-1000");
      ws.assertClosesWith(1002);
    }

    @Test
    void closesWithTakesCloseCodes(RawWebSocketClient ws) {
      ws.send(Frame.text("hello").unmasked());
      Outcome outcome =
          ws.assertClosesWith(CloseCode.INVALID_FRAME_PAYLOAD_DATA, CloseCode.PROTOCOL_ERROR);
      WebSocketAssertions.assertThat(outcome)
          .isClosedWith(CloseCode.PROTOCOL_ERROR)
          .failsConnection(CloseCode.PROTOCOL_ERROR);
    }

    @Test
    void closeCodesFailAsNumbersDo(RawWebSocketClient ws) {
      ws.sendText("close-1000");
      ws.assertFailsConnection(CloseCode.PROTOCOL_ERROR);
    }

    @Test
    void closesWithinFailsWhenStillOpen(RawWebSocketClient ws) {
      ws.send(Frame.pong("unsolicited"));
      ws.assertClosesWith(Duration.ofMillis(200), 1002);
    }

    @Test
    void droppedPasses(RawWebSocketClient ws) {
      ws.sendText("drop");
      ws.assertConnectionDropped();
    }

    @Test
    void droppedFails(RawWebSocketClient ws) {
      ws.send(Frame.text("hello").unmasked());
      ws.assertConnectionDropped();
    }

    @Test
    void failsConnectionPassesOnClose(RawWebSocketClient ws) {
      ws.send(Frame.text("hello").unmasked());
      ws.assertFailsConnection(1002);
    }

    @Test
    void failsConnectionPassesOnDrop(RawWebSocketClient ws) {
      ws.sendText("drop");
      ws.assertFailsConnection(1002);
    }

    @Test
    void failsConnectionFails(RawWebSocketClient ws) {
      ws.sendText("close-1000");
      ws.assertFailsConnection(1002, 1007);
    }

    @Test
    void receivesTextPasses(RawWebSocketClient ws) {
      ws.send(Frame.ping("skipped"));
      ws.sendCoalesced(Frame.text("frag").fin(false), Frame.continuation("mented"));
      ws.assertReceivesText("fragmented");
    }

    @Test
    void receivesTextFails(RawWebSocketClient ws) {
      ws.sendText("hi");
      ws.assertReceivesText("ho");
    }

    @Test
    void receivesTextFailsWhenTheServerCloses(RawWebSocketClient ws) {
      ws.send(Frame.text("hi").unmasked());
      ws.assertReceivesText("hi");
    }

    @Test
    void receivesBinaryPasses(RawWebSocketClient ws) {
      ws.send(Frame.binary(new byte[] {1, 2, 3}));
      ws.assertReceivesBinary(new byte[] {1, 2, 3});
    }

    @Test
    void receivesBinaryFails(RawWebSocketClient ws) {
      ws.sendText("123");
      ws.assertReceivesBinary(ByteString.encodeUtf8("123"));
    }

    @Test
    void pongPasses(RawWebSocketClient ws) {
      ws.send(Frame.ping("are you there"));
      ws.assertPong("are you there");
    }

    @Test
    void pongFails(RawWebSocketClient ws) {
      ws.send(Frame.ping("a"));
      ws.assertPong("b");
    }

    @Test
    void staysOpenPasses(RawWebSocketClient ws) {
      ws.send(Frame.pong("unsolicited")); // a server must ignore it (RFC 6455 §5.5.3)
      ws.assertStaysOpen();
    }

    @Test
    void staysOpenFails(RawWebSocketClient ws) {
      ws.send(Frame.text("hello").unmasked());
      ws.assertStaysOpen();
    }

    @Test
    void staysOpenFailsWhenTheProbeIsIgnored(RawWebSocketClient ws) {
      ws.sendText("silent");
      ws.assertStaysOpen();
    }

    @Test
    void handshakeRejectedPasses(@NoHandshake RawWebSocketClient ws) {
      ws.sendRaw("GET /reject HTTP/1.1\r\nHost: x\r\n\r\n");
      HandshakeResponse response = ws.assertHandshakeRejected(400);
      assertThat(response.body().utf8()).isEqualTo("rejected");
    }

    @Test
    void handshakeRejectedFails(@NoHandshake RawWebSocketClient ws) {
      ws.sendRaw(ws.handshakeRequest("dGhlIHNhbXBsZSBub25jZQ=="));
      ws.assertHandshakeRejected(400, 426);
    }

    @Test
    void handshakeRejectedFailsShowingTheBodyAsText(@NoHandshake RawWebSocketClient ws) {
      ws.sendRaw("GET /reject HTTP/1.1\r\nHost: x\r\n\r\n");
      ws.assertHandshakeRejected(426);
    }

    @Test
    void handshakeRejectedFailsOnAnUpgradedClient(RawWebSocketClient ws) {
      ws.assertHandshakeRejected(400);
    }

    @Test
    void processAlivePasses(RawWebSocketClient ws) {
      ws.send(Frame.text("hello").unmasked());
      ws.assertClosesWith(1002);
      ws.assertProcessAlive();
    }

    @Test
    void serverStillServesPasses(RawWebSocketClient ws, ServerUnderTest server) {
      ws.assertServerStillServes();
      assertThat(server.uri()).isEqualTo(ws.uri());
    }

    @Test
    void twoClientsAreTwoConnections(RawWebSocketClient first, RawWebSocketClient second) {
      first.send(Frame.text("hello").unmasked());
      first.assertClosesWith(1002);
      second.sendText("still here");
      second.assertReceivesText("still here");
    }
  }

  @Test
  void closesWith() {
    assertSucceeded(results, "closesWithPasses");
    assertSucceeded(results, "closesWithAcceptsAnyOfSeveralCodes");
    assertSucceeded(results, "closesWithTakesCloseCodes");
    assertThat(failure(results, "closeCodesFailAsNumbersDo"))
        .hasMessageStartingWith(
            "Expecting the server to fail the connection (close it with 1002 (PROTOCOL_ERROR), or"
                + " drop it: RFC 6455 §7.1.7), but the server closed with 1000 (NORMAL_CLOSURE)");
    assertThat(failure(results, "closesWithFails"))
        .hasMessageMatching(
            "(?s)Expecting a close frame with 1002 \\(PROTOCOL_ERROR\\), but the server closed with"
                + " 1000 \\(NORMAL_CLOSURE\\) \"bye\" after \\d+ ms, then TCP closed cleanly"
                + TRANSCRIPT)
        .hasMessageContaining("<< CLOSE fin len=5 code=1000 reason=\"bye\"");
    assertThat(failure(results, "closesWithinFailsWhenStillOpen"))
        .hasMessageMatching(
            "(?s)Expecting a close frame with 1002 \\(PROTOCOL_ERROR\\), but the connection was"
                + " still open after \\d+ ms"
                + TRANSCRIPT);
  }

  /** Every verb fails the way IDEs and Surefire read best: the summary first, values to diff. */
  @Test
  void failuresCarryExpectedAndActualForAnIdeDiff() {
    assertThat(failure(results, "closesWithFails"))
        .isInstanceOfSatisfying(
            AssertionFailedError.class,
            e -> {
              assertThat(e.getExpected().getValue()).isEqualTo("close 1002 (PROTOCOL_ERROR)");
              assertThat(e.getActual().getValue()).isEqualTo("close 1000 (NORMAL_CLOSURE)");
            });
    assertThat(failure(results, "receivesTextFails"))
        .isInstanceOfSatisfying(
            AssertionFailedError.class,
            e -> {
              assertThat(e.getExpected().getValue()).isEqualTo("ho");
              assertThat(e.getActual().getValue()).isEqualTo("hi");
            });
    assertThat(failure(results, "handshakeRejectedFails"))
        .isInstanceOfSatisfying(
            AssertionFailedError.class,
            e -> {
              assertThat(e.getExpected().getValue()).isEqualTo("HTTP 400 or 426");
              assertThat(e.getActual().getValue()).isEqualTo("HTTP 101");
            });
    for (String failing :
        List.of(
            "closesWithFails",
            "droppedFails",
            "failsConnectionFails",
            "receivesTextFails",
            "receivesBinaryFails",
            "pongFails",
            "staysOpenFails",
            "handshakeRejectedFails")) {
      assertThat(failure(results, failing))
          .as(failing)
          .isInstanceOf(AssertionFailedError.class)
          .hasMessageStartingWith("Expecting ")
          .satisfies(
              e -> assertThat(e.getMessage().lines().findFirst().orElseThrow()).contains(", but "));
    }
  }

  @Test
  void connectionDropped() {
    assertSucceeded(results, "droppedPasses");
    assertThat(failure(results, "droppedFails"))
        .hasMessageMatching(
            "(?s)Expecting the server to drop the connection without a close frame, but the server"
                + " closed with 1002 \\(PROTOCOL_ERROR\\) after \\d+ ms, then TCP closed cleanly"
                + TRANSCRIPT)
        .hasMessageContaining(
            ">> TEXT fin unmasked len=5 \"hello\"\n            81 05 68 65 6c 6c 6f");
  }

  @Test
  void failsConnection() {
    assertSucceeded(results, "failsConnectionPassesOnClose");
    assertSucceeded(results, "failsConnectionPassesOnDrop");
    assertThat(failure(results, "failsConnectionFails"))
        .hasMessageMatching(
            "(?s)Expecting the server to fail the connection \\(close it with one of "
                + "1002 \\(PROTOCOL_ERROR\\), 1007 \\(INVALID_FRAME_PAYLOAD_DATA\\), or drop it: RFC"
                + " 6455 §7\\.1\\.7\\), but the server closed with 1000 \\(NORMAL_CLOSURE\\) \"bye\""
                + " after \\d+ ms, then TCP closed cleanly"
                + TRANSCRIPT);
  }

  @Test
  void receivesTextAndBinary() {
    assertSucceeded(results, "receivesTextPasses");
    assertSucceeded(results, "receivesBinaryPasses");
    assertThat(failure(results, "receivesTextFails"))
        .hasMessageMatching(
            "(?s)Expecting the text message \"ho\", but the server sent TEXT \"hi\"\n"
                + "  frame: TEXT fin len=2"
                + TRANSCRIPT);
    assertThat(failure(results, "receivesTextFailsWhenTheServerCloses"))
        .hasMessageMatching(
            "(?s)Expecting the text message \"hi\", but the server closed with 1002"
                + " \\(PROTOCOL_ERROR\\) after \\d+ ms, then TCP \\w+.*"
                + TRANSCRIPT);
    assertThat(failure(results, "receivesBinaryFails"))
        .hasMessageMatching(
            "(?s)Expecting the binary message 31 32 33, but the server sent TEXT \"123\"\n"
                + "  frame: TEXT fin len=3"
                + TRANSCRIPT);
  }

  @Test
  void pong() {
    assertSucceeded(results, "pongPasses");
    assertThat(failure(results, "pongFails"))
        .hasMessageMatching(
            "(?s)Expecting a pong \"b\", but the server sent PONG \"a\"\n"
                + "  frame: PONG fin len=1"
                + TRANSCRIPT);
  }

  @Test
  void staysOpen() {
    assertSucceeded(results, "staysOpenPasses");
    assertThat(failure(results, "staysOpenFails"))
        .hasMessageMatching(
            "(?s)Expecting the connection to stay open \\(a probe ping answered\\), but the server"
                + " closed with 1002 \\(PROTOCOL_ERROR\\) after \\d+ ms, then TCP \\w+.*"
                + TRANSCRIPT);
    assertThat(failure(results, "staysOpenFailsWhenTheProbeIsIgnored"))
        .hasMessageMatching(
            "(?s)Expecting the connection to stay open \\(a probe ping answered\\), but the probe"
                + " ping got no pong within 2000 ms"
                + TRANSCRIPT);
  }

  @Test
  void handshakeRejected() {
    assertSucceeded(results, "handshakeRejectedPasses");
    assertThat(failure(results, "handshakeRejectedFails"))
        .hasMessageMatching(
            "(?s)Expecting the handshake to be answered with HTTP 400 or 426, but the server"
                + " answered HTTP/1.1 101 Switching Protocols\n"
                + "  HTTP/1.1 101 Switching Protocols\n  Upgrade: websocket\n.*"
                + TRANSCRIPT);
    assertThat(failure(results, "handshakeRejectedFailsShowingTheBodyAsText"))
        .hasMessageStartingWith(
            "Expecting the handshake to be answered with HTTP 426, but the server answered"
                + " HTTP/1.1 400 Bad Request\n  HTTP/1.1 400 Bad Request\n")
        .hasMessageContaining("  body (8 bytes): \"rejected\"\n");
    assertThat(failure(results, "handshakeRejectedFailsOnAnUpgradedClient"))
        .hasMessageStartingWith(
            "Expecting the handshake to be answered with HTTP 400, but the server answered"
                + " HTTP/1.1 101 Switching Protocols\n");
  }

  @Test
  void processAliveAndStillServesAgainstARunningServer() {
    assertSucceeded(results, "processAlivePasses");
    assertSucceeded(results, "serverStillServesPasses");
    assertSucceeded(results, "twoClientsAreTwoConnections");
  }

  @Test
  void serverThatNoLongerServesIsReported() throws Exception {
    int port =
        1; // nothing listens on tcpmux's port; a just-freed port could be taken by a parallel test
    ServerUnderTest server =
        ServerUnderTest.at(
            java.net.URI.create("ws://127.0.0.1:" + port + "/"), Duration.ofSeconds(2));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> WebSocketAssertions.assertThat(server).stillServes())
        .isInstanceOf(AssertionFailedError.class)
        .hasMessage(
            "Expecting the server at ws://127.0.0.1:"
                + port
                + "/ to still serve a fresh client, but a fresh client could not connect to"
                + " ws://127.0.0.1:"
                + port
                + "/ within 2000 ms: TCP connect to 127.0.0.1:"
                + port
                + ": Connection refused");
    assertThat(server.isAlive()).isFalse();
  }

  @Test
  void everyFixtureRan() {
    assertThat(results.testEvents().finished().count()).isEqualTo(28);
  }
}
