package io.github.wsrobustness;

import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A server known only by its URI: alive means it still serves a fresh client.
 *
 * <p>Thread-safety: immutable; each check opens its own connection.
 */
final class RemoteServer implements ServerUnderTest {
  private final URI uri;
  private final Duration deadline;
  private final Supplier<RawWebSocketClient.Builder> freshClient;

  /** A server whose liveness checks use a default client with this deadline. */
  RemoteServer(URI uri, Duration deadline) {
    this(uri, deadline, () -> RawWebSocketClient.builder(uri).deadline(deadline));
  }

  /**
   * A server whose liveness checks use clients from {@code freshClient}: the test's own TLS trust,
   * headers and Origin, so that a server that demands them is not taken for dead.
   */
  RemoteServer(URI uri, Duration deadline, Supplier<RawWebSocketClient.Builder> freshClient) {
    this.uri = uri;
    this.deadline = deadline;
    this.freshClient = freshClient;
  }

  @Override
  public URI uri() {
    return uri;
  }

  @Override
  public Liveness checkAlive() {
    return checkServes();
  }

  @Override
  public Liveness checkServes() {
    return checkServes(freshClient, deadline);
  }

  /**
   * Whether a fresh client completes the handshake and a ping/pong round trip: the only proof that
   * counts, since a dying process may still accept TCP connections for a few milliseconds.
   */
  static Liveness checkServes(Supplier<RawWebSocketClient.Builder> freshClient, Duration deadline) {
    long start = System.nanoTime();
    try (RawWebSocketClient fresh = freshClient.get().connect()) {
      if (fresh.probe()) {
        long ms = (System.nanoTime() - start) / 1_000_000;
        return Liveness.alive(
            "a fresh client completed the handshake and a ping/pong round trip in " + ms + " ms");
      }
      Outcome outcome = fresh.awaitOutcome(Duration.ZERO);
      return Liveness.dead(
          outcome.isStillOpen()
              ? "a fresh client completed the handshake, but its ping got no pong within "
                  + deadline.toMillis()
                  + " ms"
              : "a fresh client completed the handshake, but "
                  + outcome.describe()
                  + " before its ping was answered");
    } catch (HandshakeException e) {
      return Liveness.dead("a fresh client's handshake failed: " + firstLine(e.getMessage()));
    } catch (UncheckedIOException e) {
      return Liveness.dead(
          "a fresh client " + firstLine(e.getMessage())); // "could not connect to …"
    }
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  @Override
  public String toString() {
    return "server at " + uri;
  }
}
