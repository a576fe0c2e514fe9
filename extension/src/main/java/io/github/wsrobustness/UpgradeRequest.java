package io.github.wsrobustness;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What the injected clients put in their opening handshake (RFC 6455 §4.1): extra headers (an
 * {@code Authorization}, a cookie, an API key), the subprotocols and extensions they offer, and an
 * {@code Origin}. On the test class it applies to every client of the class, to the catalogue's
 * clients and to the checks of whether the server still serves (an authenticated endpoint refuses
 * them otherwise); on a test method or a {@link RawWebSocketClient} parameter it adds to that for
 * those clients. Headers accumulate, class first; the other attributes come from the innermost
 * annotation that sets them.
 *
 * <pre>{@code
 * @WebSocketRobustness(uri = "wss://chat.example.com/stomp")
 * @UpgradeRequest(
 *     headers = "Authorization: Bearer ${token}",
 *     subprotocols = "v12.stomp",
 *     origin = "https://chat.example.com")
 * class StompEndpointTest { … }
 * }</pre>
 *
 * <p>{@code Authorization}, {@code Proxy-Authorization}, {@code Cookie} and {@code Set-Cookie}
 * never appear in reports; {@link #redactHeaders()} adds more names.
 *
 * <p>Thread-safety: annotations are immutable.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.PARAMETER})
public @interface UpgradeRequest {
  /** Extra request headers, each {@code "Name: value"}. */
  String[] headers() default {};

  /** Subprotocols to offer in {@code Sec-WebSocket-Protocol}, e.g. {@code "v12.stomp"}. */
  String[] subprotocols() default {};

  /** Extensions to offer in {@code Sec-WebSocket-Extensions}, e.g. {@code "permessage-deflate"}. */
  String[] extensions() default {};

  /** The {@code Origin} header, e.g. {@code "https://chat.example.com"}. */
  String origin() default "";

  /** More header names whose values reports leave out, e.g. {@code "X-Api-Key"}. */
  String[] redactHeaders() default {};
}
