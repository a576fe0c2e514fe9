package io.github.wsrobustness;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Turns a JUnit Jupiter test class into a WebSocket robustness test: test methods may declare
 * {@link RawWebSocketClient} parameters (connected and upgraded per RFC 6455 §4 unless marked
 * {@link NoHandshake}; each parameter is its own connection) and a {@link ServerUnderTest}
 * parameter.
 *
 * <pre>{@code
 * @WebSocketRobustness(uri = "ws://localhost:8080/chat")
 * class ChatServerTest {
 *   @Test
 *   void unmaskedFrameIsRejected(RawWebSocketClient ws) {
 *     ws.send(Frame.text("hello").unmasked());
 *     ws.assertClosesWith(1002);
 *     ws.assertProcessAlive();
 *   }
 * }
 * }</pre>
 *
 * <p><b>The target</b> comes from exactly one of: {@link #uri()}; a {@link WebSocketTarget} field
 * or method; {@link #launch()} (a server process the extension starts before the first test of the
 * class and kills, with its whole process tree, after the last, or when the JVM exits); or, when
 * the class names none, the configuration parameters {@code wsrobustness.uri} or {@code
 * wsrobustness.launch}. Every setting follows the same order: the annotation attribute, then the
 * {@code wsrobustness.*} configuration parameter ({@code junit-platform.properties} or {@code -D}),
 * then the documented default.
 *
 * <p>Clients are closed after each test, launched servers after the class. Uncaught exceptions
 * thrown on any thread of this JVM while a test runs (an in-JVM server's, typically) fail that test
 * unless {@link #uncaughtExceptions()} says {@code ignore}. When a test fails, each client's full
 * transcript is attached to it as a file (JUnit 5.12+).
 *
 * <p>Works as a meta-annotation, and is inherited by subclasses; a {@code @Nested} class may carry
 * its own, which then takes precedence over the enclosing class's.
 *
 * <p>Thread-safety: read once per test class; classes and methods may run in parallel (all state
 * lives in the JUnit store).
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@ExtendWith(WebSocketRobustnessExtension.class)
public @interface WebSocketRobustness {
  /**
   * The server's URI, {@code ws://} or {@code wss://}. With {@link #launch()}, a template in which
   * {@code {port}} is replaced by the port handed to the process (default {@code
   * ws://127.0.0.1:{port}/}). Configuration parameter: {@code wsrobustness.uri}.
   */
  String uri() default "";

  /**
   * A server process to start: the command and its arguments, in which {@code {port}} is replaced
   * by a free port. Configuration parameter: {@code wsrobustness.launch} (one string, split at
   * spaces).
   */
  String[] launch() default {};

  /**
   * The launched process's working directory, relative to the JVM's (a Maven module's base
   * directory). Configuration parameter: {@code wsrobustness.launch.directory}. Default: the JVM's.
   */
  String launchDirectory() default "";

  /**
   * Extra environment variables for the launched process, as {@code NAME=value}; {@code {port}} is
   * replaced in values (e.g. {@code "PORT={port}"}). Configuration parameter: {@code
   * wsrobustness.launch.environment}, entries separated by {@code ;}.
   */
  String[] launchEnvironment() default {};

  /**
   * A regular expression: the launched server is ready when a line of its output (stdout or stderr)
   * contains a match. When it has a group, the group is the port the server reports ({@code
   * "listening on (\\d+)"}): the server binds port 0 (what {@code {port}} then stands for), so
   * nothing can race for its port. Without a pattern, ready means the server answers a WebSocket
   * handshake. Configuration parameter: {@code wsrobustness.launch.readyWhenOutputMatches}.
   */
  String readyWhenOutputMatches() default "";

  /**
   * How long a launched server may take to become ready, e.g. {@code 30s}. Configuration parameter:
   * {@code wsrobustness.launch.readyDeadline}. Default: 30 s.
   */
  String readyDeadline() default "";

  /**
   * The central deadline for connecting, handshakes and every wait of the clients, e.g. {@code
   * 500ms}, {@code 5s} or {@code PT5S}. Configuration parameter: {@code wsrobustness.deadline}.
   * Default: 5 s.
   */
  String deadline() default "";

  /**
   * Accept any certificate and hostname from a {@code wss://} server, for test servers with
   * self-signed certificates; never for anything real. Configuration parameter: {@code
   * wsrobustness.trustAllCertificatesInsecurely=true}. Default: certificates are verified.
   */
  boolean trustAllCertificatesInsecurely() default false;

  /**
   * {@code fail} (default) or {@code ignore}: what an uncaught exception on any thread during a
   * test does. Configuration parameter: {@code wsrobustness.uncaughtExceptions}.
   */
  String uncaughtExceptions() default "";

  /**
   * What "the server still serves" means for the liveness checks ({@code assertProcessAlive()},
   * {@code assertServerStillServes()}; the check after each test of a launched server only asks
   * whether the process survived, by a fresh handshake): {@code handshake} (a fresh client
   * completes the opening handshake), {@code ping} (default: … and its ping gets a pong), {@code
   * echo} (… and a text message comes back), or the class name of a {@link ServingCheck}.
   * Configuration parameter: {@code wsrobustness.liveness}.
   */
  String liveness() default "";

  /**
   * {@code class} (default: one launched server for the test class, started again after a test that
   * killed it) or {@code method} (a fresh server for each test method). Configuration parameter:
   * {@code wsrobustness.launch.per}.
   */
  String launchPer() default "";
}
