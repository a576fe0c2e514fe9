package io.github.wsrobustness.assertj;

import io.github.wsrobustness.HandshakeResponse;
import io.github.wsrobustness.Outcome;
import io.github.wsrobustness.ServerUnderTest;
import io.github.wsrobustness.frame.ReceivedFrame;

/**
 * The entry point of this library's AssertJ assertions: {@code
 * assertThat(outcome).isClosedWith(1002)}, {@code assertThat(frame).isTextMessage("hi")}, {@code
 * assertThat(response).hasStatus(400)}, {@code assertThat(server).isAlive()}. Import it statically
 * beside AssertJ's own {@code Assertions}.
 *
 * <p>Thread-safety: stateless.
 */
public class WebSocketAssertions {
  /** For subclasses that add entry points of their own. */
  protected WebSocketAssertions() {}

  /** Assertions on how a connection ended. */
  public static OutcomeAssert assertThat(Outcome actual) {
    return new OutcomeAssert(actual);
  }

  /** Assertions on a frame the server sent. */
  public static ReceivedFrameAssert assertThat(ReceivedFrame actual) {
    return new ReceivedFrameAssert(actual);
  }

  /** Assertions on the server's answer to a handshake. */
  public static HandshakeResponseAssert assertThat(HandshakeResponse actual) {
    return new HandshakeResponseAssert(actual);
  }

  /** Assertions on the server under test (each runs its check when called). */
  public static ServerUnderTestAssert assertThat(ServerUnderTest actual) {
    return new ServerUnderTestAssert(actual);
  }
}
