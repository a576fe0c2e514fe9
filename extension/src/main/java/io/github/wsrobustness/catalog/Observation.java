package io.github.wsrobustness.catalog;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What happened in a case, as the runner saw it, and all the verdict rules read: what the server
 * sent before its close frame (RFC 6455 §5.6), how the connection ended (§7), and when. Pure data,
 * so the rules can be tested without a socket; the runner's contract with the rules, with no
 * compatibility promise beyond it.
 *
 * <p>Thread-safety: immutable.
 *
 * @param received what the server sent before its close frame (probe pongs left out)
 * @param end how the connection ended
 * @param closeCode the code of the server's close frame; empty for none or an empty payload
 * @param closeReason the reason of the server's close frame
 * @param tcpDropped whether the server ended TCP (FIN or RST) after its close frame in time
 * @param endStep the index of the script step during which the end was first seen; the number of
 *     steps when it came after the script; -1 when the server never ended the connection
 * @param keptOpen whether the server kept the connection open past the moment its answer was due: a
 *     probe after the script got its pong and no failure followed within the close timeout, or
 *     (echo-or-fail cases) the wait for the echoes ran out with the connection open
 * @param violations what the server itself did against RFC 6455 (a masked frame, RSV bits, a bad
 *     close payload …), one sentence each, as the client's strict reader found them
 * @param duration from the first send to the end of the case
 * @param note what the runner noticed beyond the events (a send that failed), or empty
 */
public record Observation(
    List<Received> received,
    End end,
    OptionalInt closeCode,
    String closeReason,
    boolean tcpDropped,
    int endStep,
    boolean keptOpen,
    List<String> violations,
    Duration duration,
    String note) {
  /** How the connection ended. */
  public enum End {
    /** The server sent a close frame before the client sent one. */
    SERVER_CLOSED,
    /** The server's close frame answered the client's. */
    CLOSE_REPLY,
    /** The server ended TCP without a close frame. */
    DROPPED,
    /** Nothing from the server ended it: the client gave up and closed. */
    OPEN
  }

  /** Checks and copies. */
  public Observation {
    received = List.copyOf(received);
    violations = List.copyOf(violations);
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(closeCode, "closeCode");
    Objects.requireNonNull(closeReason, "closeReason");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(note, "note");
  }

  /** Whether a close frame came from the server. */
  public boolean serverSentClose() {
    return end == End.SERVER_CLOSED || end == End.CLOSE_REPLY;
  }

  /** What happened, in one line: {@code closed by the server with 1002 "bad rsv"}. */
  public String describeEnd() {
    String code =
        closeCode.isPresent()
            ? " with "
                + closeCode.getAsInt()
                + (closeReason.isEmpty() ? "" : " \"" + closeReason + "\"")
            : " with no code";
    String tcp = tcpDropped ? ", then TCP ended" : ", and TCP stayed open";
    return switch (end) {
      case SERVER_CLOSED -> "the server closed" + code + tcp;
      case CLOSE_REPLY -> "the server replied to the client's close" + code + tcp;
      case DROPPED -> "the server dropped TCP without a close frame";
      case OPEN ->
          keptOpen
              ? "the server kept the connection open past the moment its answer was due"
              : "the server did not end the connection";
    };
  }
}
