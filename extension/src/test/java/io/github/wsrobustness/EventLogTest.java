package io.github.wsrobustness;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsrobustness.frame.FrameReader;
import io.github.wsrobustness.frame.ReceivedFrame;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okio.Buffer;
import okio.ByteString;
import org.junit.jupiter.api.Test;

/** The event log alone: its byte budget, the facts it keeps apart from the window, its waits. */
class EventLogTest {
  private static ReceivedFrame frame(String hex) throws Exception {
    return FrameReader.forServerFrames(new Buffer().write(ByteString.decodeHex(hex))).readFrame();
  }

  @Test
  void keepsTheMostRecentEventsWithinItsBudgetAndCountsTheRest() throws Exception {
    EventLog log = new EventLog(System.nanoTime(), 4096);
    ReceivedFrame text = frame("8103616263");
    for (int i = 0; i < 1000; i++) log.add(ServerEvent.Kind.FRAME, text, null);

    assertThat(log.events()).hasSizeBetween(10, 30);
    assertThat(log.events().get(0).index()).isGreaterThan(900);
    ReceivedCounts counts = log.counts();
    assertThat(counts.frames()).isEqualTo(1000);
    assertThat(counts.payloadBytes()).isEqualTo(3000);
    assertThat(counts.framesLetGo()).isEqualTo(1000 - log.events().size());
    assertThat(counts.describe())
        .matches(
            "received 1,000 frames \\(2\\.9 KiB\\), 9[0-9]{2} not kept \\(TEXT fin len=3 at \\d+ ms"
                + "( … TEXT fin len=3 at \\d+ ms)?\\)");
    assertThat(log.framesLetGoFrom(0)).isEqualTo(counts.framesLetGo());
  }

  @Test
  void aCloseFrameFloodedOutOfTheWindowStillDecides() throws Exception {
    EventLog log = new EventLog(System.nanoTime(), 4096);
    log.add(ServerEvent.Kind.FRAME, frame("880203e8"), null);
    ReceivedFrame afterClose = frame("8103616263"); // a misbehaving server goes on after its close
    for (int i = 0; i < 1000; i++) log.add(ServerEvent.Kind.FRAME, afterClose, null);

    assertThat(log.events()).noneMatch(ServerEvent::isCloseFrame);
    assertThat(log.closeFrame().frame().closeCode()).hasValue(1000);
    assertThat(log.closeFrame().index()).isZero();
  }

  @Test
  void theFirstAnswerAfterASendIsKeptForTheVerdict() throws Exception {
    EventLog log = new EventLog(System.nanoTime(), 1 << 20);
    log.add(ServerEvent.Kind.FRAME, frame("8105676f6f6421"), null); // before the send: a greeting
    log.markSend(System.nanoTime());
    assertThat(log.answer()).isNull();
    log.add(ServerEvent.Kind.FRAME, frame("8a00"), null);
    log.add(ServerEvent.Kind.FRAME, frame("8102686f"), null);
    assertThat(log.answer().frame().isPong()).isTrue();
  }

  @Test
  void aReaderThatFailsWithoutAnEventEndsTheWaitsAtOnce() throws Exception {
    EventLog log = new EventLog(System.nanoTime(), 1 << 20);
    CompletableFuture<Long> waited = new CompletableFuture<>();
    Thread waiter =
        new Thread(
            () -> {
              long start = System.nanoTime();
              log.await(log::terminal, start + Duration.ofSeconds(30).toNanos());
              waited.complete(System.nanoTime() - start);
            });
    waiter.start();
    log.readerFailed(new OutOfMemoryError("simulated"));
    assertThat(Duration.ofNanos(waited.get(10, TimeUnit.SECONDS)))
        .isLessThan(Duration.ofSeconds(10));
    assertThat(log.readerFailure()).hasMessage("simulated");
  }
}
