package io.github.wsrobustness;

import java.net.URI;
import java.time.Duration;

/**
 * The server a test attacks, answering three questions: where is it ({@link #uri()}), is it alive,
 * and does it still serve a fresh, well-behaved client (an RFC 6455 §4 handshake and a §5.5.2
 * ping/pong round trip)?
 *
 * <p>For a server started elsewhere, alive means it still serves. For a process the extension
 * launched, alive means the OS process runs <em>and</em> it still serves; when it died, the verdict
 * names the exit code and shows the tail of its output. A server that merely accepts TCP
 * connections while it dies does not count as serving: only a completed handshake and round trip
 * do.
 *
 * <p>The {@code @WebSocketRobustness} extension injects one into test methods; {@link #at(URI,
 * Duration)} makes one without JUnit.
 *
 * <p>Thread-safety: implementations are thread-safe; checks open their own connections.
 */
public interface ServerUnderTest {
  /** Where clients connect. */
  URI uri();

  /**
   * Checks whether the server is alive, waiting at most the deadline; the verdict explains itself.
   */
  Liveness checkAlive();

  /** Checks whether a fresh client completes the handshake and a ping/pong round trip. */
  Liveness checkServes();

  /** Shorthand for {@code checkAlive().isAlive()}. */
  default boolean isAlive() {
    return checkAlive().isAlive();
  }

  /** Shorthand for {@code checkServes().isAlive()}. */
  default boolean stillServes() {
    return checkServes().isAlive();
  }

  /** A server started elsewhere, known only by its URI; checks use {@code deadline}. */
  static ServerUnderTest at(URI uri, Duration deadline) {
    RawWebSocketClient.builder(uri)
        .deadline(deadline); // validates both, each with a readable message
    return new RemoteServer(uri, deadline);
  }
}
