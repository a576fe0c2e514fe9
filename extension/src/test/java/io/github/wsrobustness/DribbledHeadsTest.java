package io.github.wsrobustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wsrobustness.catalog.Step;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The rules of a dribbled request head (R8.7), each against a peer that breaks or keeps it: the
 * catalogue's own test servers prove the case end to end in {@code CatalogueVerdictTest}.
 */
class DribbledHeadsTest {
  private static final Duration INTERVAL = Duration.ofMillis(5);
  private static final Duration WAIT = Duration.ofSeconds(2);

  @Test
  void wholeHeadsUpgradedPass() throws Exception {
    try (TestPeer peer = TestPeer.start(TestPeer.Connection::acceptHandshake)) {
      DribbledHeads heads = dribble(peer);
      assertThat(heads.failure()).isNull();
      assertThat(heads.describe())
          .matches(
              "3 request heads of \\d+ bytes, a byte every 5 ms \\([\\d.]+ s each\\): 3 upgraded,"
                  + " [\\d.\u2013]+ m?s after the last byte");
    }
  }

  @Test
  void aWholeHeadRefusedWithAnotherStatusFails() throws Exception {
    try (TestPeer peer =
        TestPeer.start(
            c -> {
              c.readRequest();
              answer(c, "400 Bad Request");
            })) {
      DribbledHeads heads = dribble(peer);
      assertThat(heads.failure())
          .isEqualTo(
              "a request head sent whole, a byte every 5 ms, was refused with 400, while the same"
                  + " head in one write is upgraded: the server misread a head that came in"
                  + " pieces");
      assertThat(heads.describe()).contains("3 refused [400], ");
    }
  }

  @Test
  void aWholeHeadRefusedForLoadPasses() throws Exception {
    try (TestPeer peer =
        TestPeer.start(
            c -> {
              c.readRequest();
              answer(c, "503 Service Unavailable");
            })) {
      DribbledHeads heads = dribble(peer);
      assertThat(heads.failure()).isNull();
      assertThat(heads.describe()).contains("3 refused [503], ");
    }
  }

  @Test
  void aWholeHeadLeftUnansweredFails() throws Exception {
    try (TestPeer peer =
        TestPeer.start(
            c -> {
              c.readRequest();
              c.awaitEndOfStream();
            })) {
      DribbledHeads heads = dribble(peer);
      assertThat(heads.failure())
          .isEqualTo(
              "3 of 3 request heads sent whole, a byte every 5 ms, got no answer within 2000 ms"
                  + " of their last byte");
    }
  }

  @Test
  void anAnswerBeforeTheHeadIsWholeFailsUnlessItIsATimeout() throws Exception {
    try (TestPeer peer =
        TestPeer.start(
            c -> {
              c.source.readUtf8LineStrict(); // the request line alone
              answer(c, "400 Bad Request");
            })) {
      DribbledHeads heads = dribble(peer);
      assertThat(heads.failure())
          .startsWith(
              "a request head sent a byte every 5 ms was answered 400 before it was whole: a"
                  + " server must read a head that comes in pieces to its end");
      assertThat(heads.describe()).contains("3 misjudged [400] before the head was whole, ");
    }
  }

  @Test
  void aTimeoutBeforeTheHeadIsWholePasses() throws Exception {
    try (TestPeer peer =
        TestPeer.start(
            c -> {
              c.source.timeout().deadline(200, TimeUnit.MILLISECONDS);
              try {
                while (!c.source.readUtf8LineStrict().isEmpty()) {
                  // the head's lines, until the deadline cuts them short
                }
              } catch (InterruptedIOException e) {
                c.source.timeout().clearDeadline();
                answer(c, "408 Request Timeout");
              }
            })) {
      DribbledHeads heads = dribble(peer);
      assertThat(heads.failure()).isNull();
      assertThat(heads.describe())
          .containsPattern(
              "3 timed out \\[408\\] before the head was whole, [\\d.\u2013]+ m?s after");
    }
  }

  @Test
  void aStepWithAnIntervalPastASecondIsRefusedBeforeAnySocketOpens() {
    assertThatThrownBy(() -> new Step.DribbleHeads(10, Duration.ofSeconds(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "interval must be more than 0 and at most 1 s, was PT2S; a longer one outlasts every"
                + " server's header timeout");
    assertThatThrownBy(() -> new Step.DribbleHeads(201, INTERVAL))
        .hasMessage("count must be 1 to 200 (each dribbling connection takes a thread): 201");
  }

  private static DribbledHeads dribble(TestPeer peer) {
    DribbledHeads heads =
        DribbledHeads.start(peer.uri(), RawWebSocketClient::builder, 3, INTERVAL, WAIT);
    heads.awaitAnswers();
    heads.close();
    return heads;
  }

  /** Answers with {@code status} and closes, reading what still comes so that no reset is sent. */
  private static void answer(TestPeer.Connection c, String status) throws IOException {
    c.writeUtf8("HTTP/1.1 " + status + "\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    c.awaitEndOfStream();
  }
}
