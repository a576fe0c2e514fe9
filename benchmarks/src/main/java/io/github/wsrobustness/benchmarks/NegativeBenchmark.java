package io.github.wsrobustness.benchmarks;

import io.github.wsrobustness.Outcome;
import io.github.wsrobustness.RawWebSocketClient;
import io.github.wsrobustness.frame.Frame;
import java.net.URI;
import java.time.Duration;

/**
 * The negative benchmark: the cost of one "negative case" — connect, opening handshake, one
 * unmasked text frame, the server's close 1002, the client's close reply, the end of TCP — with our
 * client against the same bytes on a bare socket ({@link BareSocketNegativeCase}).
 *
 * <p>It is what a robustness suite does hundreds of times, so its overhead over the bare minimum is
 * the figure a user feels. Both sides must see a clean end of TCP after the close handshake, so
 * neither can save time by leaving early.
 *
 * <p>Thread-safety: stateless; one harness thread runs it.
 */
final class NegativeBenchmark {
  /**
   * Defaults: 8 s of warm-up (Jetty and both clients keep getting faster for thousands of
   * operations), a batch of the faster side of about 0.6 s (process CPU time comes in 10 ms ticks),
   * and no new round after 30 s; about 45 s per server on 2 cores, at most 20 rounds of at most
   * 2000 operations.
   */
  static final PairedRun.Plan PLAN =
      new PairedRun.Plan(
          Duration.ofSeconds(8),
          20_000,
          6,
          20,
          Duration.ofMillis(600),
          20,
          2_000,
          Duration.ofSeconds(30));

  private NegativeBenchmark() {}

  /** Runs the paired rounds against the server at {@code uri}. */
  static PairedRun.Result run(String name, URI uri, PairedRun.Plan plan) throws Exception {
    return PairedRun.run(name, plan, new BareSocketNegativeCase(uri), () -> ours(uri));
  }

  /** Our client, written as a robustness test would write it. */
  private static void ours(URI uri) {
    try (RawWebSocketClient ws = RawWebSocketClient.connect(uri)) {
      ws.send(Frame.text("hello").unmasked());
      Outcome outcome = ws.assertClosesWith(1002);
      // The baseline reads to the end of TCP; a case that ended before it would be cheaper.
      if (outcome.tcpEnd() != Outcome.TcpEnd.CLEAN) {
        throw new IllegalStateException("expected a clean end of TCP, got " + outcome.describe());
      }
    }
  }
}
