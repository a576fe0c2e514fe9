package io.github.wsrobustness.assertj;

import static io.github.wsrobustness.assertj.ShouldEndConnection.shouldEnd;

import io.github.wsrobustness.Outcome;
import io.github.wsrobustness.frame.CloseCode;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.internal.Failures;

/**
 * Assertions on how a connection ended ({@link Outcome}): closed with a code (RFC 6455 §7.4),
 * dropped, or failed either way (§7.1.7). Failures carry the expected and actual outcome as values
 * (an IDE shows the difference), and their messages end with the transcript tail the outcome
 * carries.
 *
 * <p>Thread-safety: like every AssertJ assertion, one thread at a time.
 */
public class OutcomeAssert extends AbstractAssert<OutcomeAssert, Outcome> {
  /** Assertions on {@code actual}; public so that soft assertions can proxy it. */
  public OutcomeAssert(Outcome actual) {
    super(actual, OutcomeAssert.class);
  }

  /** The server sent a close frame with one of {@code codes}. */
  public OutcomeAssert isClosedWith(int... codes) {
    if (codes.length == 0) {
      throw new IllegalArgumentException("name at least one close code, e.g. isClosedWith(1002)");
    }
    isNotNull();
    if (!actual.isClosedWith(codes)) {
      fail("a close frame with " + CloseCode.describeAny(codes), closes(codes));
    }
    return this;
  }

  /** As {@link #isClosedWith(int...)}, with the codes as {@link CloseCode}s. */
  public OutcomeAssert isClosedWith(CloseCode code, CloseCode... more) {
    return isClosedWith(CloseCode.codes(code, more));
  }

  /** As {@link #failsConnection(int...)}, with the codes as {@link CloseCode}s. */
  public OutcomeAssert failsConnection(CloseCode code, CloseCode... more) {
    return failsConnection(CloseCode.codes(code, more));
  }

  /** The connection ended without a close frame from the server (TCP FIN or RST). */
  public OutcomeAssert isDropped() {
    isNotNull();
    if (!actual.isDropped())
      fail("the server to drop the connection without a close frame", "dropped");
    return this;
  }

  /**
   * The server failed the connection: a close frame with one of {@code codes} (any code when none
   * are named), or a drop, both of which RFC 6455 §7.1.7 allows.
   */
  public OutcomeAssert failsConnection(int... codes) {
    isNotNull();
    boolean closedAsAsked = codes.length == 0 ? actual.isClosed() : actual.isClosedWith(codes);
    if (!actual.isDropped() && !closedAsAsked) {
      String close =
          codes.length == 0 ? "close it" : "close it with " + CloseCode.describeAny(codes);
      fail(
          "the server to fail the connection (" + close + ", or drop it: RFC 6455 §7.1.7)",
          (codes.length == 0 ? "a close frame" : closes(codes)) + " or dropped");
    }
    return this;
  }

  /** Nothing ended the connection before the deadline. */
  public OutcomeAssert isStillOpen() {
    isNotNull();
    if (!actual.isStillOpen()) fail("the connection to stay open", "still open");
    return this;
  }

  /** TCP ended with a FIN (not a reset, not still open) after the close or instead of it. */
  public OutcomeAssert hasCleanTcpEnd() {
    isNotNull();
    if (actual.tcpEnd() != Outcome.TcpEnd.CLEAN) fail("TCP to end cleanly (FIN)", "TCP CLEAN");
    return this;
  }

  /** The server ended TCP, with a FIN or a RST alike (RFC 6455 §7.1.1: the server closes first). */
  public OutcomeAssert hasTcpEnded() {
    isNotNull();
    if (!actual.tcpEnded()) fail("the server to end TCP (FIN or RST)", "TCP CLEAN or RESET");
    return this;
  }

  private static String closes(int... codes) {
    return Arrays.stream(codes)
        .mapToObj(code -> "close " + CloseCode.describe(code))
        .collect(Collectors.joining(" or "));
  }

  private void fail(String expectation, String expected) {
    String shown = expected.startsWith("TCP") ? "TCP " + actual.tcpEnd() : actual.brief();
    throw Failures.instance().failure(info, shouldEnd(expectation, actual), shown, expected);
  }
}
