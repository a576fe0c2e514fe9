package io.github.wsrobustness;

import java.util.function.Supplier;
import org.opentest4j.AssertionFailedError;

/**
 * The one place a verb's failure is built: the summary on the first line (what Surefire and IDEs
 * show), then the details, then the tail of the connection's transcript, last; the expected and
 * actual values ride along in opentest4j's {@link AssertionFailedError}, so an IDE offers a diff.
 *
 * <p>Thread-safety: immutable.
 */
final class Failures {
  /** Longest expected or actual value carried for a diff; a 16 MiB payload would swamp an IDE. */
  private static final int VALUE_MAX = 64 * 1024;

  private final Supplier<String> transcriptTail;

  Failures(Supplier<String> transcriptTail) {
    this.transcriptTail = transcriptTail;
  }

  /** A failure with expected and actual values; {@code details} may be empty. */
  AssertionFailedError failure(String summary, Object expected, Object actual, String details) {
    return new AssertionFailedError(message(summary, details), cap(expected), cap(actual));
  }

  /** A failure with expected and actual values and a cause. */
  AssertionFailedError failure(
      String summary, Object expected, Object actual, String details, Throwable cause) {
    return new AssertionFailedError(message(summary, details), cap(expected), cap(actual), cause);
  }

  private String message(String summary, String details) {
    StringBuilder out = new StringBuilder(summary);
    if (!details.isEmpty()) out.append('\n').append(details);
    return out.append("\n\n").append(transcriptTail.get()).toString();
  }

  private static Object cap(Object value) {
    if (!(value instanceof String text) || text.length() <= VALUE_MAX) return value;
    return text.substring(0, VALUE_MAX) + "… (" + text.length() + " characters in all)";
  }
}
