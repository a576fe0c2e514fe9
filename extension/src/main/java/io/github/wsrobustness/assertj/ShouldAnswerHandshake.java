package io.github.wsrobustness.assertj;

import io.github.wsrobustness.HandshakeResponse;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Builds the message of a failed assertion on a {@link HandshakeResponse}: what was expected, the
 * status line the server answered, then the response (credentials redacted, the body as text when
 * it is text). RFC 6455 §4.2.2.
 *
 * <p>Thread-safety: immutable.
 */
final class ShouldAnswerHandshake extends BasicErrorMessageFactory {
  private ShouldAnswerHandshake(String expectation, HandshakeResponse actual) {
    super(
        "Expecting %s, but the server answered %s%n%s",
        unquotedString(expectation),
        unquotedString(actual.statusLine()),
        unquotedString(actual.describe()));
  }

  /** {@code Expecting <expectation>, but the server answered <status line>}, then the response. */
  static ErrorMessageFactory shouldAnswer(String expectation, HandshakeResponse actual) {
    return new ShouldAnswerHandshake(expectation, actual);
  }
}
