package io.github.wsrobustness.catalog;

import io.github.wsrobustness.frame.Frame;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One step of a case's script, as data: the runner carries it out and stops the script as soon as
 * the server ends the connection. Waits are decided by events: {@link Sync} by a probe's pong,
 * {@link AwaitEnd} by the end of the connection, {@link RoundTrips} by each echo; their durations
 * are outer bounds only.
 *
 * <p>Thread-safety: immutable.
 */
public sealed interface Step {
  /** Sends frames, cut into writes as {@code writes} says. */
  record Send(List<Frame> frames, Writes writes) implements Step {
    /** Checks and copies. */
    public Send {
      frames = List.copyOf(frames);
      Objects.requireNonNull(writes, "writes");
    }
  }

  /**
   * Sends these bytes as they are, in one write: part of a frame, so that a case can stop between
   * the parts of one frame.
   */
  record SendBytes(okio.ByteString bytes) implements Step {
    /** Checks. */
    public SendBytes {
      Objects.requireNonNull(bytes, "bytes");
    }
  }

  /**
   * Sends a probe ping and waits for its pong: proof that the server processed, and kept the
   * connection through, everything sent before (RFC 6455 §5.5.2). Autobahn pauses here instead.
   */
  record Sync() implements Step {}

  /**
   * Waits at most {@code grace} for the server to end the connection. Only where no event can prove
   * the server read a part of a frame: the grace decides between OK and NON-STRICT, never FAILED.
   */
  record AwaitEnd(Duration grace) implements Step {
    /** Checks. */
    public AwaitEnd {
      Objects.requireNonNull(grace, "grace");
    }
  }

  /** Sends {@code frame} {@code count} times, each only after the echo of the one before. */
  record RoundTrips(int count, Frame frame) implements Step {
    /** Checks. */
    public RoundTrips {
      Objects.requireNonNull(frame, "frame");
    }
  }

  /** {@code frames} in one write. */
  static Step send(Frame... frames) {
    return new Send(List.of(frames), Writes.oneWrite());
  }

  /** {@code frames} cut as {@code writes} says. */
  static Step send(Writes writes, Frame... frames) {
    return new Send(List.of(frames), writes);
  }

  /** A probe ping and its pong. */
  static Step sync() {
    return new Sync();
  }
}
