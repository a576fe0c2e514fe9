package io.github.wsrobustness.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.wsrobustness.RawWebSocketClient;
import io.github.wsrobustness.WebSocketRobustness;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * A Node.js {@code ws} server that serves every message but never answers a ping ({@code autoPong:
 * false}; RFC 6455 §5.5.2 says it must, yet servers behind proxies that eat pings look the same).
 * Whether it is alive depends on what "alive" is taken to mean: with {@code liveness = "handshake"}
 * a fresh client's completed handshake proves it; the default, a ping's pong, fails it, and the
 * verdict says why and which setting to change.
 *
 * <p>It binds port 0 and reports the port it got in its ready line, which the launcher reads: no
 * other process can take the port between choosing it and binding it.
 */
@WebSocketRobustness(
    launch = {"node", "echo-server.js", "0", "--no-pong"},
    launchDirectory = "node",
    readyWhenOutputMatches = "listening on 127\\.0\\.0\\.1:(\\d+)",
    liveness = "handshake")
class NodeWsWithoutPongTest {

  @Test
  void servesThoughItNeverAnswersPings(RawWebSocketClient ws) {
    ws.sendText("hello");
    ws.assertReceivesText("hello");
    ws.assertProcessAlive();
    ws.assertServerStillServes();
  }

  /** The same server under the default liveness, a ping's pong, run below to see it fail. */
  @WebSocketRobustness(
      launch = {"node", "echo-server.js", "0", "--no-pong"},
      launchDirectory = "node",
      readyWhenOutputMatches = "listening on 127\\.0\\.0\\.1:(\\d+)",
      deadline = "1s")
  static class PingLivenessTestCases {
    @Test
    void aliveByPing(RawWebSocketClient ws) {
      ws.sendText("hello");
      ws.assertReceivesText("hello");
      ws.assertProcessAlive();
    }
  }

  @Test
  void aPingLivenessCheckFailsItNamingTheStepAndTheSetting() {
    Throwable failure =
        EngineTestKit.engine("junit-jupiter")
            .selectors(selectClass(PingLivenessTestCases.class))
            .execute()
            .testEvents()
            .failed()
            .stream()
            .map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
            .findFirst()
            .orElseThrow(() -> new AssertionError("aliveByPing should fail, but passed"));
    assertThat(failure)
        .isInstanceOf(AssertionError.class)
        .hasMessageMatching(
            "(?s)Expecting the server at ws://127\\.0\\.0\\.1:\\d+/ to be alive, but a fresh client"
                + " completed the handshake, then its ping got no pong within \\d+ ms; set liveness ="
                + " \"handshake\" if the server does not answer pings \\(process \\d+ is running\\)\n.*");
  }
}
