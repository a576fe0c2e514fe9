package io.github.wsrobustness;

import java.net.URI;
import java.util.function.Supplier;
import org.opentest4j.AssertionFailedError;

/**
 * The one place a verb's failure is built: the summary on the first line (what Surefire and IDEs
 * show), then the details, then the tail of the connection's transcript, last; the expected and
 * actual values ride along in opentest4j's {@link AssertionFailedError}, so an IDE offers a diff.
 *
 * <p>Thread-safety: immutable (the transcript it reads is thread-safe).
 */
final class Failures {
  /** Longest expected or actual value carried for a diff; a 16 MiB payload would swamp an IDE. */
  private static final int VALUE_MAX = 64 * 1024;

  /** Entries of the transcript's end that a failure shows. */
  private static final int TRANSCRIPT_TAIL = 20;

  private final Transcript transcript;
  private final URI uri;

  /** Failures of the client of {@code uri}, each ending with the tail of its {@code transcript}. */
  Failures(Transcript transcript, URI uri) {
    this.transcript = transcript;
    this.uri = uri;
  }

  /** The transcript's tail as it is now, headed, rendered when asked. */
  Supplier<String> transcriptTail() {
    return transcript.tailSnapshot(
        TRANSCRIPT_TAIL, "Transcript (last " + TRANSCRIPT_TAIL + " entries) of " + uri + ":\n");
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
    return out.append("\n\n").append(transcriptTail().get()).toString();
  }

  private static Object cap(Object value) {
    if (!(value instanceof String text) || text.length() <= VALUE_MAX) return value;
    return text.substring(0, VALUE_MAX) + "… (" + text.length() + " characters in all)";
  }
}
