/**
 * The public face of WebSocket Robustness: the {@link io.github.wsrobustness.WebSocketRobustness}
 * JUnit extension, the scripted {@link io.github.wsrobustness.RawWebSocketClient} it injects, the
 * {@link io.github.wsrobustness.ServerUnderTest}, and the typed results ({@link
 * io.github.wsrobustness.Outcome}, {@link io.github.wsrobustness.ServerEvent}, {@link
 * io.github.wsrobustness.ReceivedCounts}, {@link io.github.wsrobustness.HandshakeResponse}).
 *
 * <p>Everything else here is package-private, with no compatibility promise: the client's parts
 * ({@code Connection}: socket, TLS, writes and delivery; {@code ServerReader}: bytes to events;
 * {@code EventLog}: the bounded window, waits and probes; {@code Verbs} and {@code Failures}: the
 * assertions and how they fail; {@code Transcript}; {@code Handshake}, with {@code
 * HttpResponseReader} and {@code UpgradeCheck}) and the JUnit wiring ({@code
 * WebSocketRobustnessExtension}, its settings, the process launcher). They live in this package,
 * not in one of their own, because the annotation must name its extension and the extension must
 * use the client: two packages would depend on each other.
 *
 * <p>RFC 6455: §4 (opening handshake), §5 (framing), §7 (closing the connection).
 */
package io.github.wsrobustness;
