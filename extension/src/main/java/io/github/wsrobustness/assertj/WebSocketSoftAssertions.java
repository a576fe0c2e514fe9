package io.github.wsrobustness.assertj;

import io.github.wsrobustness.HandshakeResponse;
import io.github.wsrobustness.Outcome;
import io.github.wsrobustness.ServerUnderTest;
import io.github.wsrobustness.frame.ReceivedFrame;
import org.assertj.core.api.AbstractSoftAssertions;

/**
 * Soft versions of {@link WebSocketAssertions}: every failure is collected, and {@link
 * #assertAll()} reports them together. Works with AssertJ's {@code SoftAssertionsExtension} too.
 *
 * <p>Thread-safety: not thread-safe; one per test.
 */
public class WebSocketSoftAssertions extends AbstractSoftAssertions {
  /** Soft assertions on how a connection ended. */
  public OutcomeAssert assertThat(Outcome actual) {
    return proxy(OutcomeAssert.class, Outcome.class, actual);
  }

  /** Soft assertions on a frame the server sent. */
  public ReceivedFrameAssert assertThat(ReceivedFrame actual) {
    return proxy(ReceivedFrameAssert.class, ReceivedFrame.class, actual);
  }

  /** Soft assertions on the server's answer to a handshake. */
  public HandshakeResponseAssert assertThat(HandshakeResponse actual) {
    return proxy(HandshakeResponseAssert.class, HandshakeResponse.class, actual);
  }

  /** Soft assertions on the server under test. */
  public ServerUnderTestAssert assertThat(ServerUnderTest actual) {
    return proxy(ServerUnderTestAssert.class, ServerUnderTest.class, actual);
  }
}
