package io.github.wsrobustness;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the field or no-argument method that tells the {@link WebSocketRobustness} extension where
 * the server under test is: a {@link java.net.URI}, a {@link String} URI, or an {@code int} port
 * (then the target is {@code ws://127.0.0.1:<port>} plus {@link #path()}).
 *
 * <p>It is read lazily, when a test first needs the server, so another extension (Spring's
 * {@code @LocalServerPort}, a Testcontainers mapped port) can fill it in first. A static member
 * serves every test of the class; an instance member is read from the test instance.
 *
 * <pre>{@code
 * @WebSocketTarget(path = "/chat")
 * @LocalServerPort
 * int port;
 * }</pre>
 *
 * <p>A class may name several servers with several members, say two in-process servers to compare:
 * an injected {@link Catalogue} then runs its cases against each, one report column per server
 * (named by {@link #name()}, else by the member), while a client or {@link ServerUnderTest}
 * parameter, which needs one server, is refused.
 *
 * <p>RFC 6455 §3 defines the {@code ws://} and {@code wss://} URIs it may name.
 *
 * <p>Thread-safety: the member is read on the thread that resolves the test's parameters; a static
 * member shared by parallel tests should be written before they start (in {@code @BeforeAll}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface WebSocketTarget {
  /** The path (and query) to use when the member holds a port; ignored for URIs. */
  String path() default "/";

  /**
   * The server's name in the catalogue report, when a class names several (the member's name if
   * empty), or to name a class's only server there instead of the class.
   */
  String name() default "";
}
