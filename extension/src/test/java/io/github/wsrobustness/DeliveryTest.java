package io.github.wsrobustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where a Delivery cuts a byte stream, exactly (the loopback tests can only see that it does), and
 * how a write of many frames shows in the transcript.
 */
class DeliveryTest {
  /** The piece sizes {@code delivery} makes of {@code total} bytes. */
  private static List<Long> pieces(Delivery delivery, long total) {
    List<Long> pieces = new ArrayList<>();
    for (long position = 0; position < total; ) {
      long untilCut = delivery.bytesUntilCut(position);
      long piece = untilCut == -1 ? total - position : Math.min(untilCut, total - position);
      pieces.add(piece);
      position += piece;
    }
    return pieces;
  }

  @Test
  void cuts() {
    assertThat(pieces(Delivery.whole(), 7)).containsExactly(7L);
    assertThat(pieces(Delivery.inChunksOf(1), 4)).containsExactly(1L, 1L, 1L, 1L);
    assertThat(pieces(Delivery.inChunksOf(3), 7)).containsExactly(3L, 3L, 1L);
    assertThat(pieces(Delivery.splitAt(3, 1), 7)).containsExactly(1L, 2L, 4L);
    assertThat(pieces(Delivery.splitAt(10), 7)).containsExactly(7L);
  }

  @Test
  void describesItself() {
    assertThat(Delivery.whole()).hasToString("whole");
    assertThat(Delivery.inChunksOf(997).pauseBetween(Duration.ofMillis(5)))
        .hasToString("in chunks of 997 bytes, 5 ms apart");
    assertThat(Delivery.splitAt(6, 2)).hasToString("split at [2, 6]");
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> Delivery.inChunksOf(0))
        .hasMessage("chunk size must be at least 1 byte, was 0");
    assertThatThrownBy(() -> Delivery.splitAt(0))
        .hasMessage("split offsets must be positive, was 0");
    assertThatThrownBy(() -> Delivery.whole().pauseBetween(Duration.ofMillis(-1)))
        .hasMessage("pause must not be negative: PT-0.001S");
  }

  @Test
  void aWriteOfManyFramesItemisesOnlyItsEndsInTheTranscript() {
    // A flood of 100,000 fragments would otherwise cost a transcript line each.
    List<io.github.wsrobustness.frame.Frame> frames = new ArrayList<>();
    frames.add(io.github.wsrobustness.frame.Frame.text("a").fin(false));
    for (int i = 0; i < 98; i++) {
      frames.add(io.github.wsrobustness.frame.Frame.continuation("b").fin(false));
    }
    frames.add(io.github.wsrobustness.frame.Frame.continuation("c"));
    try (StrictServer server = StrictServer.start();
        RawWebSocketClient ws = RawWebSocketClient.connect(server.uri())) {
      ws.sendCoalesced(frames.toArray(new io.github.wsrobustness.frame.Frame[0]));
      ws.assertReceivesText("a" + "b".repeat(98) + "c");
      assertThat(ws.transcript())
          .contains(
              "[32 of 100 in one write]",
              "… frames 33 to 68 of 100 in one write, 252 bytes, not itemised",
              "[69 of 100 in one write]",
              "[100 of 100 in one write]")
          .doesNotContain("[33 of 100 in one write]", "[68 of 100 in one write]");
    }
  }
}
