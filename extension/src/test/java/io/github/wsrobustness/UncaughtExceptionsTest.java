package io.github.wsrobustness;

import static io.github.wsrobustness.TestKit.assertSucceeded;
import static io.github.wsrobustness.TestKit.failure;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Uncaught exceptions on other threads fail the running test. Isolated: the recorder is JVM-wide,
 * so the exception thrown here would also be reported to any test running beside it.
 */
@Isolated
class UncaughtExceptionsTest {
  private static final TestPeer server = RuleServer.shared();

  /** What the handler printed while the fixtures threw: kept out of the build's own output. */
  private static final StringBuffer PRINTED = new StringBuffer();

  private static void throwOnAnotherThread() throws InterruptedException {
    Thread worker =
        new Thread(
            () -> {
              throw new IllegalStateException("worker died");
            },
            "server-worker-1");
    // The handler prints the trace as the JVM would; a green build must not show it. (Isolated:
    // no other test writes to System.err meanwhile.)
    java.io.PrintStream err = System.err;
    java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      worker.start();
      worker.join(); // the exception is recorded, and printed, before the thread ends
    } finally {
      System.setErr(err);
    }
    PRINTED.append(printed.toString(java.nio.charset.StandardCharsets.UTF_8));
  }

  @WebSocketRobustness
  static class UncaughtTestCases {
    @Test
    void serverThreadDies(ServerUnderTest server) throws InterruptedException {
      throwOnAnotherThread();
    }

    @Test
    void quiet(ServerUnderTest server) {}
  }

  @WebSocketRobustness(uncaughtExceptions = "ignore")
  static class IgnoredUncaughtTestCases {
    @Test
    void serverThreadDies(ServerUnderTest server) throws InterruptedException {
      throwOnAnotherThread();
    }
  }

  @Test
  void uncaughtExceptionsFailTheTestUnlessIgnored() {
    Map<String, String> config =
        Map.of(
            "wsrobustness.uri",
            server.uri().toString(),
            "junit.jupiter.execution.parallel.enabled",
            "false"); // so that "quiet" cannot overlap the throw
    var results = TestKit.run(UncaughtTestCases.class, config);
    assertThat(failure(results, "serverThreadDies"))
        .hasMessageStartingWith(
            "an exception was thrown and not caught on another thread while the test ran"
                + " (set @WebSocketRobustness(uncaughtExceptions = \"ignore\") to allow it):\n"
                + "- on thread 'server-worker-1': java.lang.IllegalStateException: worker died");
    assertSucceeded(results, "quiet");
    assertSucceeded(TestKit.run(IgnoredUncaughtTestCases.class, config), "serverThreadDies");
    // Recording hides nothing: the trace is printed as the JVM would print it, in both cases.
    assertThat(PRINTED.toString())
        .contains(
            "Exception in thread \"server-worker-1\" java.lang.IllegalStateException: worker died")
        .containsPattern("(?s)worker died.*worker died");
  }
}
