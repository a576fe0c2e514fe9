package io.github.wsrobustness.demo;

import io.github.wsrobustness.WebSocketRobustness;

/**
 * {@link DeflateEchoTests} against Node's {@code ws} 8.23 with compression on ({@code --deflate}:
 * {@code perMessageDeflate} with threshold 0, so that every echo is compressed).
 */
@WebSocketRobustness(
    launch = {"node", "echo-server.js", "0", "--deflate"},
    launchDirectory = "node",
    readyWhenOutputMatches = "listening on 127\\.0\\.0\\.1:(\\d+)")
class NodeWsDeflateTest extends DeflateEchoTests {
  /** Twice ws's 100 MiB maxPayload, which it applies to the inflated message. */
  @Override
  long bombSize() {
    return 200L << 20;
  }
}
