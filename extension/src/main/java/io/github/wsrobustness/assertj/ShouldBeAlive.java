package io.github.wsrobustness.assertj;

import io.github.wsrobustness.Liveness;
import io.github.wsrobustness.ServerUnderTest;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Builds the message of a failed liveness assertion on a {@link ServerUnderTest}: which server,
 * what was expected, and the check's verdict (for a launched process that died, its exit code and
 * the tail of its output). RFC 6455 §5.5.2: serving is shown by a pong to a fresh client's ping.
 *
 * <p>Thread-safety: immutable.
 */
final class ShouldBeAlive extends BasicErrorMessageFactory {
  private ShouldBeAlive(ServerUnderTest server, String expectation, Liveness liveness) {
    super(
        "Expecting the server at %s %s, but %s",
        server.uri(), unquotedString(expectation), unquotedString(liveness.description()));
  }

  /** {@code Expecting the server at <uri> <expectation>, but <verdict>}. */
  static ErrorMessageFactory shouldBe(
      ServerUnderTest server, String expectation, Liveness liveness) {
    return new ShouldBeAlive(server, expectation, liveness);
  }
}
