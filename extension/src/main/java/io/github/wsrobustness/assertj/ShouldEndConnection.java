package io.github.wsrobustness.assertj;

import io.github.wsrobustness.Outcome;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Builds the message of a failed assertion on an {@link Outcome}: what was expected, then how the
 * connection really stood (RFC 6455 §7), then the transcript tail the outcome carries.
 *
 * <p>Thread-safety: immutable.
 */
final class ShouldEndConnection extends BasicErrorMessageFactory {
  private ShouldEndConnection(String expectation, Outcome actual) {
    super(
        "Expecting %s, but %s%n%n%s",
        unquotedString(expectation),
        unquotedString(actual.describe()),
        unquotedString(actual.transcriptTail()));
  }

  /** {@code Expecting <expectation>, but <what the outcome says>}, the transcript last. */
  static ErrorMessageFactory shouldEnd(String expectation, Outcome actual) {
    return new ShouldEndConnection(expectation, actual);
  }
}
