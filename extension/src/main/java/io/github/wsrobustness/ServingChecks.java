package io.github.wsrobustness;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;
import okio.ByteString;

/**
 * The ways to tell that a server still serves, from the least it must do to the most: {@code
 * handshake} (a fresh client completes the opening handshake, RFC 6455 §4), {@code ping} (… and its
 * ping gets a pong, §5.5.2), {@code echo} (… and a text message comes back), or a {@link
 * ServingCheck} of the user's. One deadline bounds the whole check; a verdict names the step that
 * failed and what to set when the step does not apply to this server.
 *
 * <p>Thread-safety: immutable.
 */
final class ServingChecks {
  static final String HANDSHAKE = "handshake";
  static final String PING = "ping";
  static final String ECHO = "echo";

  private final String name;
  private final ServingCheck custom;

  private ServingChecks(String name, ServingCheck custom) {
    this.name = name;
    this.custom = custom;
  }

  /** The default: today's check, a handshake and a ping/pong round trip. */
  static ServingChecks ping() {
    return new ServingChecks(PING, null);
  }

  /**
   * The check named {@code liveness}: one of the three names, or the class name of a {@link
   * ServingCheck}. Returns null when it is neither; the caller names the setting.
   */
  static ServingChecks named(String liveness) {
    String name = liveness.trim().toLowerCase(Locale.ROOT);
    if (name.equals(HANDSHAKE) || name.equals(PING) || name.equals(ECHO)) {
      return new ServingChecks(name, null);
    }
    return null;
  }

  /** A check of the user's. */
  static ServingChecks custom(ServingCheck check) {
    return new ServingChecks(check.getClass().getName(), check);
  }

  /** {@code ping}, or the class name of a custom check. */
  String name() {
    return name;
  }

  /**
   * Whether a fresh client from {@code freshClient} is served, all within {@code deadlineNanos};
   * the verdict's sentence starts "a fresh client …".
   */
  Liveness check(Supplier<RawWebSocketClient.Builder> freshClient, long deadlineNanos) {
    long start = System.nanoTime();
    Duration remaining = remaining(deadlineNanos);
    try (RawWebSocketClient fresh = freshClient.get().deadline(remaining).connect()) {
      String failed;
      try {
        failed = exchange(fresh, deadlineNanos);
      } catch (UncheckedIOException e) {
        failed = "its exchange failed: " + firstLine(String.valueOf(e.getMessage()));
      }
      long ms = (System.nanoTime() - start) / 1_000_000;
      if (failed == null) {
        return Liveness.alive("a fresh client " + achieved() + " in " + ms + " ms");
      }
      return Liveness.dead("a fresh client completed the handshake, then " + failed);
    } catch (HandshakeException e) {
      return Liveness.dead("a fresh client's handshake failed: " + firstLine(e.getMessage()));
    } catch (UncheckedIOException e) {
      return Liveness.dead("a fresh client " + firstLine(e.getMessage())); // could not connect to …
    }
  }

  /** What the check proved when it passed: "completed the handshake and a ping/pong round trip". */
  private String achieved() {
    return switch (name) {
      case HANDSHAKE -> "completed the handshake";
      case PING -> "completed the handshake and a ping/pong round trip";
      case ECHO -> "completed the handshake and had a text message echoed";
      default -> "completed the handshake and passed " + name;
    };
  }

  /** Runs the step after the handshake; returns what went wrong, or null. */
  private String exchange(RawWebSocketClient fresh, long deadlineNanos) {
    Duration remaining = remaining(deadlineNanos);
    switch (name) {
      case HANDSHAKE:
        return null;
      case PING:
        if (fresh.probe(remaining)) return null;
        Outcome outcome = fresh.awaitOutcome(Duration.ZERO);
        return outcome.isStillOpen() && outcome.tcpEnd() == Outcome.TcpEnd.OPEN
            ? "its ping got no pong within "
                + remaining.toMillis()
                + " ms; set liveness = \"handshake\" if the server does not answer pings"
            : outcome.describe() + " before its ping was answered";
      case ECHO:
        String token = "wsrobustness-liveness-" + UUID.randomUUID();
        fresh.sendText(token);
        ServerEvent echo =
            fresh.awaitEvent(
                0, e -> e.isTerminal() || e.frame().isClose() || token(e, token), remaining);
        if (echo != null && !echo.isTerminal() && token(echo, token)) return null;
        return echo == null
            ? "its text message was not echoed within "
                + remaining.toMillis()
                + " ms; set liveness = \"handshake\" or \"ping\" if the server does not echo"
            : fresh.awaitOutcome(Duration.ZERO).describe() + " before its message was echoed";
      default:
        try {
          custom.check(fresh);
          return null;
        } catch (Exception | AssertionError e) {
          return "the check " + name + " failed: " + firstLine(String.valueOf(e.getMessage()));
        }
    }
  }

  private static boolean token(ServerEvent event, String token) {
    ByteString message = event.frame().message();
    return message != null && message.equals(ByteString.encodeUtf8(token));
  }

  /** What is left of the deadline, in whole milliseconds (at least one), rounded up. */
  private static Duration remaining(long deadlineNanos) {
    long nanos = deadlineNanos - System.nanoTime();
    return Duration.ofMillis(Math.max(1, (nanos + 999_999) / 1_000_000));
  }

  /** The first line of {@code message} ("" for none): the summary of a failure. */
  static String firstLine(String message) {
    if (message == null) return "";
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  @Override
  public String toString() {
    return name;
  }
}
