package io.github.wsrobustness;

import static io.github.wsrobustness.TestKit.assertSucceeded;
import static io.github.wsrobustness.TestKit.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.wsrobustness.assertj.WebSocketAssertions;
import io.github.wsrobustness.frame.Frame;
import io.github.wsrobustness.frame.ReceivedFrame;
import io.github.wsrobustness.frame.WebSocketProtocol;
import io.github.wsrobustness.http.HandshakeRequest;
import io.github.wsrobustness.http.HttpStatus;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.opentest4j.AssertionFailedError;

/**
 * The verbs that send a {@link HandshakeRequest} and judge the answer (RFC 6455 §4.2.1), against a
 * loopback server that answers each request target its own way: refuses with 426 listing the
 * versions it speaks, drops, resets, stays silent, answers with bytes that are not HTTP, or
 * upgrades whatever it gets. Passing and failing, with the failure messages pinned.
 */
class HandshakeVerbsTest {
  private static final String TRANSCRIPT =
      "\n\nTranscript \\(last 20 entries\\) of ws://127\\.0\\.0\\.1:\\d+/test\\?x=1:\n.*";
  private static final Duration OUTER_BOUND = Duration.ofSeconds(20);
  private static TestPeer server;
  private static EngineExecutionResults results;

  @BeforeAll
  static void runFixtures() throws IOException {
    server = TestPeer.start(HandshakeVerbsTest::answerByTarget);
    results =
        TestKit.run(
            HandshakeVerbTestCases.class, Map.of("wsrobustness.uri", server.uri().toString()));
  }

  @AfterAll
  static void stopServer() throws IOException {
    server.close();
  }

  /**
   * The server: reads the request head (any bytes, a line without a colon too) and answers as its
   * target says; any other target is upgraded with the accept of the request's last key, whatever
   * else the request holds, and then echoed.
   */
  private static void answerByTarget(TestPeer.Connection c) throws IOException {
    String requestLine = c.source.readUtf8LineStrict(64 * 1024);
    List<String> keys = new ArrayList<>();
    for (String line; !(line = c.source.readUtf8LineStrict(64 * 1024)).isEmpty(); ) {
      if (line.regionMatches(true, 0, "Sec-WebSocket-Key:", 0, 18)) {
        keys.add(line.substring(18).trim());
      }
    }
    switch (requestLine.split(" ")[1]) {
      case "/refuse" ->
          c.writeUtf8(
              "HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13, 8\r\n"
                  + "Content-Length: 0\r\n\r\n");
      case "/drop" -> c.close();
      case "/reset" -> c.reset();
      case "/silent" -> c.awaitEndOfStream();
      case "/not-http" -> c.writeUtf8("SSH-2.0-OpenSSH_9.6\r\n\r\n");
      case "/wrong-accept" ->
          c.writeUtf8(
              "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Accept: "
                  + WebSocketProtocol.acceptHeader("not the key")
                  + "\r\n\r\n");
      default -> {
        String key = keys.isEmpty() ? "" : keys.get(keys.size() - 1);
        c.writeUtf8(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: "
                + WebSocketProtocol.acceptHeader(key)
                + "\r\n\r\n");
        for (ReceivedFrame frame; (frame = c.readFrame()) != null && !frame.isClose(); ) {
          c.writeFrame(Frame.binary(frame.payload()).opcode(frame.opcode()).unmasked());
        }
      }
    }
  }

  private static HandshakeRequest to(String target) {
    return HandshakeRequest.standard().target(target);
  }

  @WebSocketRobustness(deadline = "1s")
  static class HandshakeVerbTestCases {
    @Test
    void refusedPassesOnAnAnswer(@NoHandshake RawWebSocketClient ws) {
      ws.sendHandshake(to("/refuse").version("99"));
      HandshakeRefusal refusal = ws.assertHandshakeRefused();
      assertThat(refusal.isAnswered()).isTrue();
      assertThat(refusal.isDropped()).isFalse();
      assertThat(refusal.elapsed()).isLessThan(Duration.ofSeconds(1));
      assertThat(refusal.describe())
          .matches("the server answered HTTP/1\\.1 426 Upgrade Required after \\d+ ms");
      WebSocketAssertions.assertThat(refusal.response())
          .hasStatus(HttpStatus.clientError())
          .hasHeaderToken("Sec-WebSocket-Version", "13")
          .hasHeaderToken("Sec-WebSocket-Version", "8");
    }

    @Test
    void refusedPassesOnADrop(@NoHandshake RawWebSocketClient ws) {
      ws.sendHandshake(to("/drop"));
      HandshakeRefusal refusal = ws.assertHandshakeRefused();
      assertThat(refusal.isDropped()).isTrue();
      assertThat(refusal.response()).isNull();
      assertThat(refusal.describe())
          .matches(
              "the server closed the connection before a complete HTTP response \\(nothing was"
                  + " received\\) after \\d+ ms");
    }

    @Test
    void refusedPassesOnAReset(@NoHandshake RawWebSocketClient ws) {
      ws.sendHandshake(to("/reset"));
      HandshakeRefusal refusal = ws.assertHandshakeRefused();
      assertThat(refusal.isDropped()).isTrue();
      assertThat(refusal.describe()).startsWith("the server reset the connection");
    }

    @Test
    void refusedFailsOnAnUpgrade(@NoHandshake RawWebSocketClient ws) {
      ws.sendHandshake(to("/anything").version("99"));
      ws.assertHandshakeRefused();
    }

    @Test
    void refusedFailsOnSilence(@NoHandshake RawWebSocketClient ws) {
      ws.sendHandshake(to("/silent"));
      ws.assertHandshakeRefused();
    }

    @Test
    void refusedFailsOnAnAnswerThatIsNotHttp(@NoHandshake RawWebSocketClient ws) {
      ws.sendHandshake(to("/not-http"));
      ws.assertHandshakeRefused();
    }

    @Test
    void rejectedTakesAStatusClass(@NoHandshake RawWebSocketClient ws) {
      ws.sendHandshake(to("/refuse"));
      HandshakeResponse response = ws.assertHandshakeRejected(HttpStatus.clientError());
      assertThat(response.headerTokens("Sec-WebSocket-Version")).containsExactly("13", "8");
    }

    @Test
    void rejectedFailsNamingTheClass(@NoHandshake RawWebSocketClient ws) {
      ws.sendHandshake(to("/refuse"));
      ws.assertHandshakeRejected(HttpStatus.serverError(), HttpStatus.of(400));
    }

    @Test
    void aCustomRequestStillUpgradesAndServesFrames(@NoHandshake RawWebSocketClient ws) {
      HandshakeResponse response =
          ws.upgrade(ws.handshakeRequest().header("X-Twice", "1").header("X-Twice", "2"));
      assertThat(response.status()).isEqualTo(101);
      ws.sendText("after a custom handshake");
      ws.assertReceivesText("after a custom handshake");
      assertThat(ws.transcript()).contains("X-Twice: 1\n", "X-Twice: 2\n");
    }

    @Test
    void twoKeysUpgradeWhenTheServerAnswersEither(@NoHandshake RawWebSocketClient ws) {
      // This server answers the last key, as Jetty 12 does.
      ws.upgrade(
          to("/upgrade")
              .key("dGhlIHNhbXBsZSBub25jZQ==")
              .header("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAAAA=="));
      ws.sendText("two keys");
      ws.assertReceivesText("two keys");
    }

    @Test
    void upgradeFailsWhenTheAcceptAnswersNoKeySent(@NoHandshake RawWebSocketClient ws) {
      ws.upgrade(to("/wrong-accept").key("dGhlIHNhbXBsZSBub25jZQ=="));
    }
  }

  @Test
  void refusedPassesOnAnAnswerOrTheConnectionsEnd() {
    assertSucceeded(results, "refusedPassesOnAnAnswer");
    assertSucceeded(results, "refusedPassesOnADrop");
    assertSucceeded(results, "refusedPassesOnAReset");
  }

  @Test
  void refusedFailsOnAnUpgradeSilenceOrBytesThatAreNotHttp() {
    assertThat(failure(results, "refusedFailsOnAnUpgrade"))
        .isInstanceOfSatisfying(
            AssertionFailedError.class,
            e -> {
              assertThat(e.getExpected().getValue())
                  .isEqualTo("not HTTP 101, or the connection ended");
              assertThat(e.getActual().getValue()).isEqualTo("HTTP 101");
            })
        .hasMessageMatching(
            "(?s)Expecting the server to refuse the handshake \\(any status but 101, or the"
                + " connection ended\\), but it answered HTTP/1\\.1 101 Switching Protocols\n"
                + "  HTTP/1\\.1 101 Switching Protocols\n  Upgrade: websocket\n.*"
                + TRANSCRIPT)
        .hasMessageContaining("Sec-WebSocket-Version: 99");
    assertThat(failure(results, "refusedFailsOnSilence"))
        .isInstanceOfSatisfying(
            AssertionFailedError.class,
            e -> assertThat(e.getActual().getValue()).isEqualTo("no answer, connection open"))
        .hasMessageMatching(
            "(?s)Expecting the server to refuse the handshake \\(any status but 101, or the"
                + " connection ended\\), but no complete HTTP response within 1000 ms \\(nothing"
                + " was received\\), and the connection stayed open"
                + TRANSCRIPT);
    assertThat(failure(results, "refusedFailsOnAnAnswerThatIsNotHttp"))
        .hasMessageStartingWith(
            "Expecting the server to refuse the handshake (any status but 101, or the connection"
                + " ended), but its answer could not be read: malformed HTTP status line:"
                + " 'SSH-2.0-OpenSSH_9.6'\n");
  }

  @Test
  void rejectedNamesTheStatusClass() {
    assertSucceeded(results, "rejectedTakesAStatusClass");
    assertThat(failure(results, "rejectedFailsNamingTheClass"))
        .isInstanceOfSatisfying(
            AssertionFailedError.class,
            e -> {
              assertThat(e.getExpected().getValue()).isEqualTo("any 5xx or HTTP 400");
              assertThat(e.getActual().getValue()).isEqualTo("HTTP 426");
            })
        .hasMessageStartingWith(
            "Expecting the handshake to be answered with any 5xx or HTTP 400, but the server"
                + " answered HTTP/1.1 426 Upgrade Required\n"
                + "  HTTP/1.1 426 Upgrade Required\n"
                + "  Sec-WebSocket-Version: 13, 8\n");
  }

  @Test
  void aCustomRequestUpgradesWhenTheAcceptAnswersOneOfItsKeys() {
    assertSucceeded(results, "aCustomRequestStillUpgradesAndServesFrames");
    assertSucceeded(results, "twoKeysUpgradeWhenTheServerAnswersEither");
    assertThat(failure(results, "upgradeFailsWhenTheAcceptAnswersNoKeySent"))
        .isInstanceOf(HandshakeException.class)
        .hasMessageStartingWith(
            "expected 'Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=' for key"
                + " dGhlIHNhbXBsZSBub25jZQ==, but it was '");
  }

  @Test
  void everyFixtureRan() {
    assertThat(results.testEvents().finished().count()).isEqualTo(11);
  }

  /** A server with a 300 ms budget for the whole request head, as a slowloris defence has. */
  private static void answer408AfterAShortWait(TestPeer.Connection c) throws IOException {
    c.source.timeout().deadline(300, TimeUnit.MILLISECONDS);
    try {
      while (!c.source.readUtf8LineStrict().isEmpty()) {
        // the head's lines; a slowloris never sends the last one in time
      }
    } catch (InterruptedIOException e) {
      c.writeUtf8("HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      c.source.timeout().clearDeadline();
      c.awaitEndOfStream(); // reads what still comes, so that closing sends no reset
    }
  }

  @Test
  void aDribbledRequestStopsWhenTheServerAnswers() throws Exception {
    try (TestPeer peer = TestPeer.start(HandshakeVerbsTest::answer408AfterAShortWait);
        RawWebSocketClient ws =
            RawWebSocketClient.builder(peer.uri())
                .deadline(Duration.ofSeconds(2))
                .connectWithoutUpgrade()) {
      long start = System.nanoTime();
      // About 150 bytes at one per 50 ms would take 7 s; the server's answer ends it after 300 ms.
      HandshakeRefusal refusal =
          assertTimeoutPreemptively(
              OUTER_BOUND,
              () -> {
                // Not every byte went out: the answer came first.
                assertThat(
                        ws.sendHandshake(
                            HandshakeRequest.standard(),
                            Delivery.inChunksOf(1).pauseBetween(Duration.ofMillis(50))))
                    .isFalse();
                return ws.assertHandshakeRefused();
              });
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      assertThat(refusal.response().status()).isEqualTo(408);
      assertThat(refusal.elapsed()).isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));
      assertThat(ws.transcript())
          .containsPattern(
              "-- the server answered after \\d+ of \\d+ bytes of the request; the rest was not"
                  + " sent")
          .contains("HTTP request (in chunks of 1 bytes, 50 ms apart):");
    }
  }

  @Test
  void aDribbledRequestStopsWhenTheServerCloses() throws Exception {
    try (TestPeer peer =
            TestPeer.start(
                c -> {
                  c.socket.shutdownOutput();
                  c.awaitEndOfStream(); // reads what still comes, so that closing sends no reset
                });
        RawWebSocketClient ws =
            RawWebSocketClient.builder(peer.uri())
                .deadline(Duration.ofSeconds(2))
                .connectWithoutUpgrade()) {
      HandshakeRefusal refusal =
          assertTimeoutPreemptively(
              OUTER_BOUND,
              () -> {
                assertThat(
                        ws.sendHandshake(
                            HandshakeRequest.standard(),
                            Delivery.inChunksOf(10).pauseBetween(Duration.ofMillis(200))))
                    .isFalse();
                return ws.assertHandshakeRefused();
              });
      assertThat(refusal.isDropped()).isTrue();
      assertThat(ws.transcript())
          .containsPattern(
              "the server closed the connection after \\d+ of \\d+ bytes of the request");
    }
  }

  @Test
  void aDeliveryThatWouldPauseTooLongFailsBeforeAByteGoesOut() throws Exception {
    try (TestPeer peer = TestPeer.start(TestPeer.Connection::awaitEndOfStream);
        RawWebSocketClient ws = RawWebSocketClient.builder(peer.uri()).connectWithoutUpgrade()) {
      HandshakeRequest request = HandshakeRequest.standard().key("dGhlIHNhbXBsZSBub25jZQ==");
      int size = request.toBytes(peer.uri()).size();
      assertThatThrownBy(
              () ->
                  ws.sendHandshake(
                      request, Delivery.inChunksOf(1).pauseBetween(Duration.ofSeconds(3))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "delivery in chunks of 1 bytes, 3000 ms apart would pause "
                  + String.format(Locale.ROOT, "%,d", 3 * (size - 1))
                  + " s in all between the "
                  + size
                  + " pieces of this "
                  + size
                  + "-byte request, past the bound of 300 s (Node's requestTimeout, the longest"
                  + " default we know); send larger pieces or pause less");
      assertThat(ws.transcript()).doesNotContain("HTTP request");
      assertThatThrownBy(() -> ws.sendHandshake(null))
          .isInstanceOf(NullPointerException.class)
          .hasMessage(
              "the handshake request is null; start from HandshakeRequest.standard() or"
                  + " ws.handshakeRequest()");
      assertThatThrownBy(() -> ws.upgrade(HandshakeRequest.standard().without("sec-websocket-key")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "upgrade(request) checks the 101 against the request's Sec-WebSocket-Key, and this"
                  + " request has none; to expect a refusal, send it with"
                  + " sendHandshake(request) and call assertHandshakeRefused()");
    }
  }

  @Test
  void silenceFailsAtTheDeadlineNotLater() throws Exception {
    try (TestPeer peer = TestPeer.start(TestPeer.Connection::awaitEndOfStream);
        RawWebSocketClient ws =
            RawWebSocketClient.builder(peer.uri())
                .deadline(Duration.ofMillis(500))
                .connectWithoutUpgrade()) {
      ws.sendHandshake(HandshakeRequest.standard());
      long start = System.nanoTime();
      assertThatThrownBy(() -> assertTimeoutPreemptively(OUTER_BOUND, ws::assertHandshakeRefused))
          .isInstanceOf(AssertionFailedError.class)
          .hasMessageContaining("no complete HTTP response within 500 ms");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isBetween(Duration.ofMillis(450), Duration.ofMillis(2500));
    }
  }
}
