package io.github.wsrobustness;

import io.github.wsrobustness.frame.CloseCode;
import io.github.wsrobustness.frame.Opcode;
import io.github.wsrobustness.frame.Previews;
import io.github.wsrobustness.frame.ReceivedFrame;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * How a connection ended, typed and never guessed: closed by the server with a close frame (RFC
 * 6455 §5.5.1, §7.1.5), dropped without one (a TCP FIN or RST, §7.1.7 allows either to "fail the
 * connection"), or still open when the wait ended. A connection still open may carry the proof that
 * the server kept it: the server answered, and then a probe ping got its pong.
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
    /** Nothing ended the connection before the wait did. */
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
     * The client closed the connection itself first (a send blocked past the deadline, close()).
     */
    CLOSED_BY_CLIENT
  }

  /** Characters of an answering frame's payload shown in {@link #describe()}. */
  private static final int ANSWER_SHOWN = 40;

  private final Kind kind;
  private final ReceivedFrame closeFrame;
  private final TcpEnd tcpEnd;
  private final Duration after;
  private final String endDetail;
  private final ServerEvent answer;
  private final boolean keptOpen;
  private final ReceivedCounts counts;
  private final Supplier<String> transcriptTail;

  Outcome(
      Kind kind,
      ReceivedFrame closeFrame,
      TcpEnd tcpEnd,
      Duration after,
      String endDetail,
      ServerEvent answer,
      boolean keptOpen,
      ReceivedCounts counts,
      Supplier<String> transcriptTail) {
    this.kind = kind;
    this.closeFrame = closeFrame;
    this.tcpEnd = tcpEnd;
    this.after = after;
    this.endDetail = endDetail;
    this.answer = answer;
    this.keptOpen = keptOpen;
    this.counts = counts;
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

  /** Whether TCP ended by the server's hand, with a FIN or a RST alike. */
  public boolean tcpEnded() {
    return tcpEnd == TcpEnd.CLEAN || tcpEnd == TcpEnd.RESET;
  }

  /**
   * Time from the test's last send to the deciding event (the close frame, the drop, the answer
   * that a probe proved); otherwise how long the wait lasted.
   */
  public Duration after() {
    return after;
  }

  /**
   * The first frame the server sent after the test's last send (not its close frame, not a probe's
   * pong), or null: what it did instead of closing, when it did not.
   */
  public ReceivedFrame answer() {
    return answer == null ? null : answer.frame();
  }

  /**
   * Whether a probe proved the server kept the connection: it answered, and then a ping sent after
   * everything else got its pong, so it had processed all of it without closing.
   */
  public boolean keptOpen() {
    return keptOpen;
  }

  /** How much the server sent on this connection, and how much of it the client let go. */
  public ReceivedCounts counts() {
    return counts;
  }

  /** The tail of the connection's transcript when the outcome was taken, for failure messages. */
  public String transcriptTail() {
    return transcriptTail.get();
  }

  /**
   * A clause for failure messages, the server as its subject: {@code the server closed with 1002
   * (PROTOCOL_ERROR) after 12 ms, then TCP closed cleanly}; {@code the server dropped the
   * connection without a close frame (connection reset) after 3 ms}; {@code the server answered
   * with TEXT "Hello" after 3 ms and kept the connection open}; {@code the connection was still
   * open after 2000 ms}. When the client let frames go, their count follows.
   */
  public String describe() {
    String clause =
        switch (kind) {
          case CLOSED -> describeClose();
          case DROPPED ->
              "the server dropped the connection without a close frame ("
                  + endDetail
                  + ") after "
                  + after.toMillis()
                  + " ms";
          case STILL_OPEN -> describeStillOpen();
        };
    return counts != null && counts.framesLetGo() > 0 ? clause + "; " + counts.describe() : clause;
  }

  private String describeClose() {
    StringBuilder out = new StringBuilder("the server closed with ");
    OptionalInt code = closeCode();
    if (code.isPresent()) {
      out.append(CloseCode.describe(code.getAsInt()));
      if (closeFrame.payload().size() > 2) {
        out.append(' ').append(Previews.text(closeFrame.payload().substring(2), 123));
      }
    } else {
      out.append("an empty close frame");
    }
    out.append(" after ")
        .append(after.toMillis())
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
  }

  private String describeStillOpen() {
    if (keptOpen && answer != null) {
      return "the server " + describeAnswer() + " and kept the connection open";
    }
    if (tcpEnd == TcpEnd.ERROR) {
      return "the client could not read on after " + after.toMillis() + " ms (" + endDetail + ")";
    }
    String open =
        tcpEnd == TcpEnd.CLOSED_BY_CLIENT
            ? "the client closed the connection itself after "
                + after.toMillis()
                + " ms, before the server ended it"
                + (endDetail == null ? "" : " (" + endDetail + ")")
            : "the connection was still open after " + after.toMillis() + " ms";
    return answer == null ? open : open + "; the server " + describeAnswer();
  }

  /** {@code answered with TEXT "Hello" after 3 ms}. */
  private String describeAnswer() {
    ReceivedFrame frame = answer.frame();
    String name = Opcode.describe(frame.opcode());
    String payload =
        frame.payload().size() == 0
            ? ""
            : " "
                + (frame.opcode() == Opcode.BINARY.value()
                    ? Previews.hex(frame.payload(), ANSWER_SHOWN / 2)
                    : Previews.text(frame.payload(), ANSWER_SHOWN));
    return "answered with "
        + name
        + payload
        + " after "
        + answer.sinceLastSend().toMillis()
        + " ms";
  }

  /**
   * The outcome as a short value, the kind an IDE sets beside the expected one: {@code close 1002
   * (PROTOCOL_ERROR)}, {@code dropped (reset)}, {@code still open}, {@code kept open}.
   */
  public String brief() {
    return switch (kind) {
      case CLOSED ->
          closeCode().isPresent()
              ? "close " + CloseCode.describe(closeCode().getAsInt())
              : "close without a code";
      case DROPPED -> "dropped (" + tcpEnd.name().toLowerCase(Locale.ROOT) + ")";
      case STILL_OPEN ->
          tcpEnd == TcpEnd.CLOSED_BY_CLIENT
              ? "closed by the client"
              : tcpEnd == TcpEnd.ERROR ? "unknown" : keptOpen ? "kept open" : "still open";
    };
  }

  @Override
  public String toString() {
    return "Outcome[" + describe() + "]";
  }
}
