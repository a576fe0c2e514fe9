package io.github.wsrobustness.assertj;

import io.github.wsrobustness.frame.ReceivedFrame;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Builds the message of a failed assertion on a {@link ReceivedFrame}: what was expected, what the
 * server sent (text as escaped text, binary as hex), and the frame's header and violations (RFC
 * 6455 §5).
 *
 * <p>Thread-safety: immutable.
 */
final class ShouldHaveContent extends BasicErrorMessageFactory {
  private ShouldHaveContent(String expectation, ReceivedFrame actual) {
    super(
        "Expecting %s, but the server sent %s%n  frame: %s%s",
        unquotedString(expectation),
        unquotedString(actual.describeContent()),
        unquotedString(actual.describe()),
        unquotedString(
            actual.violations().isEmpty()
                ? ""
                : "\n  violations: " + String.join("; ", actual.violations())));
  }

  /** {@code Expecting <expectation>, but the server sent <content>}, then the frame. */
  static ErrorMessageFactory shouldHave(String expectation, ReceivedFrame actual) {
    return new ShouldHaveContent(expectation, actual);
  }
}
