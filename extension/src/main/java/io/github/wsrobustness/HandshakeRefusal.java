package io.github.wsrobustness;

import java.time.Duration;

/**
 * How a server refused an opening handshake (RFC 6455 §4.2.1, §4.2.2): it answered with a status
 * other than 101, or it ended the connection (FIN or reset) before a whole answer. Both keep the
 * client from speaking WebSocket, and a server may choose either; {@link #elapsed()} says how long
 * it took, counted from the request's first byte (against a dribbled request, the server's
 * patience).
 *
 * <p>Thread-safety: immutable.
 */
public final class HandshakeRefusal {
  private final HandshakeResponse response;
  private final String drop;
  private final Duration elapsed;

  /** An answer ({@code response}) or a drop ({@code drop} says how), after {@code elapsed}. */
  HandshakeRefusal(HandshakeResponse response, String drop, Duration elapsed) {
    this.response = response;
    this.drop = drop;
    this.elapsed = elapsed;
  }

  /** Whether the server answered (with a status other than 101). */
  public boolean isAnswered() {
    return response != null;
  }

  /** Whether the server ended the connection without a whole answer. */
  public boolean isDropped() {
    return response == null;
  }

  /** The server's answer, or null when it dropped the connection. */
  public HandshakeResponse response() {
    return response;
  }

  /** From the request's first byte to the end of the answer, or of the connection. */
  public Duration elapsed() {
    return elapsed;
  }

  /**
   * One sentence: {@code the server answered HTTP/1.1 400 Bad Request after 12 ms}, or {@code the
   * server closed the connection before a complete HTTP response (nothing was received) after 30012
   * ms}.
   */
  public String describe() {
    String what = response != null ? "the server answered " + response.statusLine() : drop;
    return what + " after " + elapsed.toMillis() + " ms";
  }

  @Override
  public String toString() {
    return "HandshakeRefusal[" + describe() + "]";
  }
}
