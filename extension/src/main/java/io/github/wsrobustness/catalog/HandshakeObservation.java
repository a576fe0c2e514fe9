package io.github.wsrobustness.catalog;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the server did with an opening handshake a case sent (RFC 6455 §4.2): the answer's status,
 * or how none came, and when.
 *
 * <p>Thread-safety: immutable.
 *
 * @param how whether an HTTP answer came, the connection ended without one, nothing came before the
 *     deadline, or what came was not HTTP
 * @param status the answer's status code, or 0 without an answer
 * @param statusLine the answer's status line, or empty
 * @param headerTokens the tokens of the header the expectation names, or empty
 * @param failure why no answer could be read, or empty
 * @param elapsed from the request's first byte to the answer (or the end, or the deadline)
 */
public record HandshakeObservation(
    How how,
    int status,
    String statusLine,
    List<String> headerTokens,
    String failure,
    Duration elapsed) {
  /** How the server met the request. */
  public enum How {
    /** An HTTP answer came. */
    ANSWERED,
    /** The connection ended (FIN or RST) before a whole answer. */
    ENDED,
    /** Nothing whole came before the deadline, and the connection stayed open. */
    SILENT,
    /** What came was not HTTP. */
    NOT_HTTP
  }

  /** Checks and copies. */
  public HandshakeObservation {
    Objects.requireNonNull(how, "how");
    statusLine = Objects.requireNonNullElse(statusLine, "");
    headerTokens = List.copyOf(headerTokens);
    failure = Objects.requireNonNullElse(failure, "");
    Objects.requireNonNull(elapsed, "elapsed");
  }
}
