package io.github.wsrobustness;

/**
 * What "the server still serves" means for a server whose answers a generic check cannot know: a
 * STOMP server that expects a CONNECT first, say. The liveness checks ({@link
 * RawWebSocketClient#assertProcessAlive()}, {@link ServerUnderTest#checkServes()}) hand it a fresh
 * client, already connected and upgraded, whose deadline is what was left of the check's one
 * deadline when it connected; it throws (any exception, or a failed assertion) when the server does
 * not serve, and its message becomes the verdict's. Name its class in {@link
 * WebSocketRobustness#liveness()}; it needs a public no-argument constructor.
 *
 * <pre>{@code
 * public class StompConnects implements ServingCheck {
 *   public void check(RawWebSocketClient ws) {
 *     ws.sendText("CONNECT\naccept-version:1.2\n\n\0");
 *     assertThat(ws.awaitMessage().message().utf8()).startsWith("CONNECTED");
 *   }
 * }
 * }</pre>
 *
 * <p>Thread-safety: called from the thread that runs the check; an instance may be used by several
 * checks, one after another or at once, so keep it stateless. RFC 6455 §4.1 (the handshake it
 * starts after) and whatever your subprotocol says serving is.
 */
@FunctionalInterface
public interface ServingCheck {
  /** Shows that the server serves {@code freshClient}, or throws saying how it did not. */
  void check(RawWebSocketClient freshClient) throws Exception;
}
