package io.github.wsrobustness;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a test method (or class): the launched server may die during it. Without it, a launched server
 * that dies during a test fails that test, even when the test never asked (its death looked like a
 * dropped connection, which {@code assertFailsConnection()} rightly accepts). Either way the next
 * test gets a server started again.
 *
 * <pre>{@code
 * @Test
 * @ServerMayDie
 * void crashReportIsWritten(RawWebSocketClient ws) { ... }
 * }</pre>
 *
 * <p>Thread-safety: an annotation. RFC 6455 §7.1.7: failing a connection is the server's to do;
 * dying is not.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface ServerMayDie {}
