package io.github.wsrobustness.assertj;

import static io.github.wsrobustness.assertj.ShouldAnswerHandshake.shouldAnswer;

import io.github.wsrobustness.HandshakeResponse;
import io.github.wsrobustness.http.HttpStatus;
import java.util.Arrays;
import java.util.List;
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
    return hasStatus(Arrays.stream(statuses).mapToObj(HttpStatus::of).toArray(HttpStatus[]::new));
  }

  /** The status is one of {@code statuses}, each a code or a class: {@code clientError()}. */
  public HandshakeResponseAssert hasStatus(HttpStatus... statuses) {
    if (statuses.length == 0) {
      throw new IllegalArgumentException(
          "name at least one status, e.g. hasStatus(HttpStatus.clientError())");
    }
    isNotNull();
    if (!HttpStatus.anyMatches(actual.status(), statuses)) {
      String expected = HttpStatus.describeAny(statuses);
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

  /**
   * The header {@code name} lists {@code token}: {@code Sec-WebSocket-Version: 13, 8} lists 13,
   * over one line or several; tokens compare as {@link HandshakeResponse#hasHeaderToken} says.
   */
  public HandshakeResponseAssert hasHeaderToken(String name, String token) {
    isNotNull();
    if (!actual.hasHeaderToken(name, token)) {
      fail(
          "the header '" + name + "' to list '" + token + "'",
          actual.headerTokens(name),
          List.of(token));
    }
    return this;
  }

  private void fail(String expectation, Object shown, Object expected) {
    throw Failures.instance().failure(info, shouldAnswer(expectation, actual), shown, expected);
  }
}
