package io.github.wsrobustness;

import java.net.URI;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A server known only by its URI: alive means it still serves a fresh client, as its liveness check
 * says ({@link ServingChecks}).
 *
 * <p>Thread-safety: immutable; each check opens its own connection.
 */
final class RemoteServer implements ServerUnderTest {
  private final URI uri;
  private final Duration deadline;
  private final Supplier<RawWebSocketClient.Builder> freshClient;
  private final ServingChecks liveness;

  /** A server whose liveness checks use a default client with this deadline. */
  RemoteServer(URI uri, Duration deadline) {
    this(uri, deadline, () -> RawWebSocketClient.builder(uri), ServingChecks.ping());
  }

  /**
   * A server whose liveness checks use clients from {@code freshClient}: the test's own TLS trust,
   * headers and Origin, so that a server that demands them is not taken for dead.
   */
  RemoteServer(
      URI uri,
      Duration deadline,
      Supplier<RawWebSocketClient.Builder> freshClient,
      ServingChecks liveness) {
    this.uri = uri;
    this.deadline = deadline;
    this.freshClient = freshClient;
    this.liveness = liveness;
  }

  /**
   * The server a client with {@code settings} checks when none is set: known by its URI, checked
   * within its deadline by fresh clients with the same settings.
   */
  static RemoteServer of(ClientSettings settings) {
    return new RemoteServer(
        settings.uri(),
        settings.deadline(),
        () ->
            new RawWebSocketClient.Builder(new ClientSettings.Draft(settings))
                .serverUnderTest(null),
        ServingChecks.ping());
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
    return liveness.check(freshClient, System.nanoTime() + deadline.toNanos());
  }

  @Override
  public String toString() {
    return "server at " + uri;
  }
}
