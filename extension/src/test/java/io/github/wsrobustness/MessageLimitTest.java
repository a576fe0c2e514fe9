package io.github.wsrobustness;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsrobustness.StrictServer.Bug;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The search for a server's message limit, against servers whose limit is known. */
class MessageLimitTest {
  private static final Duration DEADLINE = Duration.ofSeconds(5);

  @Test
  void bisectionFindsALimitThatIsAPowerOfTwoToTheByte() {
    try (StrictServer server = StrictServer.startWithLimit(1 << 20)) {
      MessageLimit limit = search(server.uri());
      assertThat(limit.known()).isTrue();
      assertThat(limit.bytes()).isEqualTo(1 << 20);
      assertThat(limit.description())
          .startsWith("the message limit is 1,048,576 bytes (1 MiB), found by bisection in ")
          .contains("one of 1,048,577 bytes refused (close code 1009)");
    }
  }

  @Test
  void bisectionFindsALimitBelowTheFirstProbeAndOneThatIsNoRoundNumber() {
    try (StrictServer server = StrictServer.startWithLimit(1000)) {
      assertThat(search(server.uri()).bytes()).isEqualTo(1000);
    }
    try (StrictServer server = StrictServer.startWithLimit(300_001)) {
      assertThat(search(server.uri()).bytes()).isEqualTo(300_001);
    }
  }

  @Test
  void bisectionFindsTheLimitTheServerHasNotTheOneItMeant() {
    try (StrictServer server = StrictServer.startWithLimit(1 << 20, Bug.LIMIT_OFF_BY_ONE)) {
      assertThat(search(server.uri()).bytes()).isEqualTo((1 << 20) - 1);
    }
  }

  @Test
  void aServerThatNeverAnswersStopsTheSearchWithWhatWasAwaited() throws java.io.IOException {
    // Completes the handshake, then reads everything and never answers.
    try (TestPeer peer =
        TestPeer.start(
            c -> {
              c.acceptHandshake();
              c.awaitEndOfStream();
            })) {
      URI uri = peer.uri();
      MessageLimit limit =
          MessageLimit.search(uri, RawWebSocketClient::builder, Duration.ofMillis(500));
      assertThat(limit.known()).isFalse();
      assertThat(limit.description())
          // The first probe, and the same once more: one slow moment must not end a search.
          .startsWith("the search for the message limit stopped after 2 probes: a binary message")
          .contains("got neither its echo nor a refusal within 500 ms")
          .endsWith("set wsrobustness.catalogue.messageLimit to run the cases at the limit");
    }
  }

  @Test
  void sizesReadAsPeopleWriteThem() {
    assertThat(ByteSize.parse("65536")).hasValue(65536);
    assertThat(ByteSize.parse("64KiB")).hasValue(65536);
    assertThat(ByteSize.parse(" 32 MiB ")).hasValue(32L << 20);
    assertThat(ByteSize.parse("1gib")).hasValue(1L << 30);
    assertThat(ByteSize.parse("10MB")).hasValue(10_000_000);
    assertThat(ByteSize.parse("100_000")).hasValue(100_000);
    assertThat(ByteSize.parse("12 parsecs")).isEmpty();
    assertThat(ByteSize.parse("-1")).isEmpty();
    assertThat(ByteSize.parse("99999999999GiB")).isEmpty();
  }

  private static MessageLimit search(URI uri) {
    return MessageLimit.search(uri, RawWebSocketClient::builder, DEADLINE);
  }
}
