package io.github.wsrobustness.catalog;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Waives a known deviation of the server under test from RFC 6455: the cases still run and their
 * verdicts are reported, but a FAILED, DIED or STOPPED SERVING verdict no longer fails their tests.
 * A waiver on a case that would pass anyway is reported as stale, so waivers do not outlive the
 * deviations they cover. Patterns are those of {@link CatalogueCases}.
 *
 * <pre>{@code
 * @Waive(cases = {"9.3.1", "9.4.1"}, reason = "caps a message at 16,384 fragments (1008)")
 * }</pre>
 *
 * <p>Thread-safety: annotations are immutable.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Repeatable(Waive.List.class)
public @interface Waive {
  /** The cases waived. */
  String[] cases();

  /** Why the deviation is accepted: shown beside the verdict in every report. */
  String reason();

  /** Holds repeated {@link Waive} annotations. */
  @Documented
  @Inherited
  @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.TYPE, ElementType.METHOD})
  @interface List {
    /** The waivers. */
    Waive[] value();
  }
}
