package io.github.wsrobustness;

import io.github.wsrobustness.http.HandshakeRequest;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@link RawWebSocketClient} parameter: inject a client that is only TCP (or TLS) connected,
 * with no opening handshake sent, so the test can send handshake bytes of its own and assert the
 * server's HTTP answer (RFC 6455 §4.2.1 lists what a server must reject).
 *
 * <pre>{@code
 * @Test
 * void missingKeyIsRejected(@NoHandshake RawWebSocketClient ws) {
 *   ws.sendHandshake(HandshakeRequest.standard().without("Sec-WebSocket-Key"));
 *   ws.assertHandshakeRejected(HttpStatus.clientError());
 * }
 * }</pre>
 *
 * <p>Bytes no {@link HandshakeRequest} can express go out with {@link
 * RawWebSocketClient#sendRaw(String)}.
 *
 * <p>Thread-safety: an annotation; each such parameter is its own connection.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface NoHandshake {}
