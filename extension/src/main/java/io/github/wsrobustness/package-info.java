/**
 * The public face of WebSocket Robustness: the {@link io.github.wsrobustness.WebSocketRobustness}
 * JUnit extension, the scripted {@link io.github.wsrobustness.RawWebSocketClient} it injects, the
 * {@link io.github.wsrobustness.ServerUnderTest}, and the typed results ({@link
 * io.github.wsrobustness.Outcome}, {@link io.github.wsrobustness.ServerEvent}, {@link
 * io.github.wsrobustness.HandshakeResponse}).
 *
 * <p>RFC 6455: §4 (opening handshake), §5 (framing), §7 (closing the connection).
 */
package io.github.wsrobustness;
