package io.github.wsrobustness.assertj;

import static io.github.wsrobustness.assertj.ShouldAnswerHandshake.shouldAnswer;

import io.github.wsrobustness.HandshakeResponse;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.internal.Failures;

/**
 * Assertions on the server's answer to an opening handshake (RFC 6455 §4.2.2): the status (101, or
 * a rejection such as 400, 426 or 431) and headers. Messages show the response, credentials
 * redacted.
 *
 * <p>Thread-safety: like every AssertJ assertion, one thread at a time.
 */
public class HandshakeResponseAssert
    extends AbstractAssert<HandshakeResponseAssert, HandshakeResponse> {
  /** Assertions on {@code actual}; public so that soft assertions can proxy it. */
  public HandshakeResponseAssert(HandshakeResponse actual) {
    super(actual, HandshakeResponseAssert.class);
  }

  /** The status is one of {@code statuses}. */
  public HandshakeResponseAssert hasStatus(int... statuses) {
    if (statuses.length == 0) {
      throw new IllegalArgumentException("name at least one status, e.g. hasStatus(400)");
    }
    isNotNull();
    if (Arrays.stream(statuses).noneMatch(s -> s == actual.status())) {
      String expected =
          "HTTP "
              + Arrays.stream(statuses)
                  .mapToObj(Integer::toString)
                  .collect(Collectors.joining(" or "));
      fail("the handshake to be answered with " + expected, "HTTP " + actual.status(), expected);
    }
    return this;
  }

  /** The server refused to upgrade: any status but 101. */
  public HandshakeResponseAssert isRejected() {
    isNotNull();
    if (actual.status() == 101) fail("the handshake to be rejected", "HTTP 101", "not HTTP 101");
    return this;
  }

  /** The header {@code name} has {@code value} (names are case-insensitive). */
  public HandshakeResponseAssert hasHeader(String name, String value) {
    isNotNull();
    if (!actual.headers(name).contains(value)) {
      fail("the header '" + name + ": " + value + "'", actual.headersForReports(name), value);
    }
    return this;
  }

  private void fail(String expectation, Object shown, Object expected) {
    throw Failures.instance().failure(info, shouldAnswer(expectation, actual), shown, expected);
  }
}
