package io.github.wsrobustness;

import io.github.wsrobustness.frame.ReceivedFrame;
import java.time.Duration;
import java.util.Objects;

/**
 * One thing the server did to the connection, as the client's reader saw it: a frame (RFC 6455 §5),
 * the end of the stream (a TCP FIN), a reset (a TCP RST), or a read error. Events are numbered and
 * timestamped from the moment the client started connecting; the timestamp is when the client read
 * the event, which is when it arrived whenever a wait or the client's reading thread was reading.
 *
 * <p>Thread-safety: immutable.
 */
public final class ServerEvent {
  /** What happened. */
  public enum Kind {
    /** A frame arrived; {@link #frame()} holds it, close frames included. */
    FRAME,
    /** The server ended the stream (TCP FIN), possibly inside a frame ({@link #detail()} says). */
    END_OF_STREAM,
    /** The server reset the connection (TCP RST). */
    RESET,
    /** Reading failed for another reason ({@link #detail()} says which). */
    READ_ERROR
  }

  // A flooding server makes millions of these: times are kept as nanoseconds, and a frame's detail
  // is its description, worked out when asked for.
  private final long index;
  private final Kind kind;
  private final ReceivedFrame frame;
  private final String detail;
  private final long elapsedNanos;
  private final long sinceLastSendNanos;

  ServerEvent(
      long index,
      Kind kind,
      ReceivedFrame frame,
      String detail,
      long elapsedNanos,
      long sinceLastSendNanos) {
    this.index = index;
    this.kind = Objects.requireNonNull(kind);
    this.frame = frame;
    this.detail = detail;
    this.elapsedNanos = elapsedNanos;
    this.sinceLastSendNanos = sinceLastSendNanos;
  }

  /**
   * This event's position among all events of the connection, from 0; it stays the same when the
   * client's event log lets older events go.
   */
  public long index() {
    return index;
  }

  /** What happened. */
  public Kind kind() {
    return kind;
  }

  /** The frame, for {@link Kind#FRAME} events; null otherwise. */
  public ReceivedFrame frame() {
    return frame;
  }

  /** A sentence about the event (the frame's header, or what ended the connection and how). */
  public String detail() {
    return detail != null ? detail : frame.describe();
  }

  /** Time from the start of the connection to this event. */
  public Duration elapsed() {
    return Duration.ofNanos(elapsedNanos);
  }

  /**
   * Time from the test's last send before the client read this event (the connection's start when
   * nothing was sent yet).
   */
  public Duration sinceLastSend() {
    return Duration.ofNanos(sinceLastSendNanos);
  }

  /** Whether this event ends the connection (anything but a frame). */
  public boolean isTerminal() {
    return kind != Kind.FRAME;
  }

  /** Whether this is a close frame. */
  public boolean isCloseFrame() {
    return kind == Kind.FRAME && frame.isClose();
  }

  @Override
  public String toString() {
    return kind + " at " + elapsedNanos / 1_000_000 + " ms: " + detail();
  }
}
