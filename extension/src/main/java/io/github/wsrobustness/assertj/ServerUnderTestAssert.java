package io.github.wsrobustness.assertj;

import io.github.wsrobustness.Liveness;
import io.github.wsrobustness.ServerUnderTest;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on the server under test: alive (its process runs and it serves) and still serving a
 * fresh client (an RFC 6455 §4 handshake and a §5.5.2 ping/pong). Each assertion runs the check
 * when called.
 *
 * <p>Thread-safety: like every AssertJ assertion, one thread at a time.
 */
public class ServerUnderTestAssert extends AbstractAssert<ServerUnderTestAssert, ServerUnderTest> {
  /** Assertions on {@code actual}; public so that soft assertions can proxy it. */
  public ServerUnderTestAssert(ServerUnderTest actual) {
    super(actual, ServerUnderTestAssert.class);
  }

  /** The server is alive: for a launched process, it runs and serves; otherwise it serves. */
  public ServerUnderTestAssert isAlive() {
    isNotNull();
    Liveness liveness = actual.checkAlive();
    if (!liveness.isAlive()) fail("the server at " + actual.uri() + " to be alive", liveness);
    return this;
  }

  /** A fresh client completes the handshake and a ping/pong round trip. */
  public ServerUnderTestAssert stillServes() {
    isNotNull();
    Liveness liveness = actual.checkServes();
    if (!liveness.isAlive())
      fail("the server at " + actual.uri() + " to still serve a fresh client", liveness);
    return this;
  }

  private void fail(String expectation, Liveness liveness) {
    failWithMessage(
        Messages.escape("\nExpecting " + expectation + "\nbut " + liveness.description()));
  }
}
