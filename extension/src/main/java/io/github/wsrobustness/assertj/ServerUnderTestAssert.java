package io.github.wsrobustness.assertj;

import static io.github.wsrobustness.assertj.ShouldBeAlive.shouldBe;

import io.github.wsrobustness.Liveness;
import io.github.wsrobustness.ServerUnderTest;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.internal.Failures;

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
    if (!liveness.isAlive()) fail("to be alive", liveness, "alive");
    return this;
  }

  /** A fresh client completes the handshake and a ping/pong round trip. */
  public ServerUnderTestAssert stillServes() {
    isNotNull();
    Liveness liveness = actual.checkServes();
    if (!liveness.isAlive())
      fail("to still serve a fresh client", liveness, "serves a fresh client");
    return this;
  }

  private void fail(String expectation, Liveness liveness, String expected) {
    throw Failures.instance()
        .failure(info, shouldBe(actual, expectation, liveness), "not alive", expected);
  }
}
