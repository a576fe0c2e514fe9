package io.github.wsrobustness;

import io.github.wsrobustness.frame.CloseCode;
import io.github.wsrobustness.frame.ReceivedFrame;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * How a connection ended, typed and never guessed: closed by the server with a close frame (RFC
 * 6455 §5.5.1, §7.1.5), dropped without one (a TCP FIN or RST, §7.1.7 allows either to "fail the
 * connection"), or still open when the deadline passed.
 *
 * <p>Thread-safety: immutable.
 */
public final class Outcome {
  /** The three ways a connection can stand at the end of a wait. */
  public enum Kind {
    /** The server sent a close frame. */
    CLOSED,
    /** The connection ended without a close frame from the server. */
    DROPPED,
    /** Nothing ended the connection before the deadline. */
    STILL_OPEN
  }

  /** How the TCP connection itself ended. */
  public enum TcpEnd {
    /** The server sent FIN. */
    CLEAN,
    /** The server sent RST. */
    RESET,
    /** Reading failed for another reason. */
    ERROR,
    /** TCP had not ended when the wait ended. */
    OPEN,
    /**
     * The client closed the connection itself first (a write blocked past the deadline, or
     * close()).
     */
    CLOSED_BY_CLIENT
  }

  private final Kind kind;
  private final ReceivedFrame closeFrame;
  private final TcpEnd tcpEnd;
  private final Duration after;
  private final String endDetail;
  private final String transcriptTail;

  Outcome(
      Kind kind,
      ReceivedFrame closeFrame,
      TcpEnd tcpEnd,
      Duration after,
      String endDetail,
      String transcriptTail) {
    this.kind = kind;
    this.closeFrame = closeFrame;
    this.tcpEnd = tcpEnd;
    this.after = after;
    this.endDetail = endDetail;
    this.transcriptTail = transcriptTail;
  }

  /** Closed, dropped, or still open. */
  public Kind kind() {
    return kind;
  }

  /** Whether the server sent a close frame. */
  public boolean isClosed() {
    return kind == Kind.CLOSED;
  }

  /** Whether the connection ended without a close frame from the server. */
  public boolean isDropped() {
    return kind == Kind.DROPPED;
  }

  /** Whether nothing ended the connection before the wait did. */
  public boolean isStillOpen() {
    return kind == Kind.STILL_OPEN;
  }

  /** Whether the server sent a close frame carrying one of {@code codes}. */
  public boolean isClosedWith(int... codes) {
    OptionalInt code = closeCode();
    if (code.isEmpty()) return false;
    for (int candidate : codes) if (candidate == code.getAsInt()) return true;
    return false;
  }

  /** The server's close frame, or null unless {@link Kind#CLOSED}. */
  public ReceivedFrame closeFrame() {
    return closeFrame;
  }

  /** The close code, empty when no close frame came or it carried none. */
  public OptionalInt closeCode() {
    return closeFrame != null ? closeFrame.closeCode() : OptionalInt.empty();
  }

  /** The close reason, empty when none. */
  public String closeReason() {
    return closeFrame != null ? closeFrame.closeReason() : "";
  }

  /**
   * How TCP ended (RFC 6455 §7.1.1: the server should close TCP first): after the close frame for
   * {@link Kind#CLOSED}, instead of it for {@link Kind#DROPPED}.
   */
  public TcpEnd tcpEnd() {
    return tcpEnd;
  }

  /**
   * Time from the client's last send to the deciding event (the close frame, or the drop); for
   * {@link Kind#STILL_OPEN}, how long the wait lasted.
   */
  public Duration after() {
    return after;
  }

  /** The tail of the connection's transcript when the outcome was taken, for failure messages. */
  public String transcriptTail() {
    return transcriptTail;
  }

  /**
   * A phrase for failure messages: {@code closed with 1002 (PROTOCOL_ERROR) after 12 ms, then TCP
   * closed cleanly}, {@code dropped without a close frame (reset) after 3 ms}, {@code still open
   * after 2000 ms}.
   */
  public String describe() {
    long ms = after.toMillis();
    switch (kind) {
      case CLOSED:
        StringBuilder out = new StringBuilder("closed with ");
        OptionalInt code = closeCode();
        if (code.isPresent()) {
          out.append(CloseCode.describe(code.getAsInt()));
          if (!closeReason().isEmpty()) out.append(" \"").append(closeReason()).append('"');
        } else {
          out.append("an empty close frame");
        }
        out.append(" after ")
            .append(ms)
            .append(" ms, then ")
            .append(
                switch (tcpEnd) {
                  case CLEAN -> "TCP closed cleanly";
                  case RESET -> "TCP was reset";
                  case ERROR -> "reading failed: " + endDetail;
                  case OPEN -> "TCP stayed open";
                  case CLOSED_BY_CLIENT -> "the client closed TCP itself";
                });
        if (!closeFrame.violations().isEmpty()) {
          out.append(" (the close frame is itself invalid: ")
              .append(String.join("; ", closeFrame.violations()))
              .append(')');
        }
        return out.toString();
      case DROPPED:
        return "dropped without a close frame (" + endDetail + ") after " + ms + " ms";
      default:
        return tcpEnd == TcpEnd.CLOSED_BY_CLIENT
            ? "not ended by the server before the client closed the connection itself, after "
                + ms
                + " ms"
            : "still open after " + ms + " ms";
    }
  }

  @Override
  public String toString() {
    return "Outcome[" + describe() + "]";
  }
}
