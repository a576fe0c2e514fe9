package io.github.wsrobustness.catalog;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Chooses which RFC 6455 catalogue cases an injected {@code Catalogue} runs, on a test method or
 * class (the method's wins). A pattern is a case id ({@code 6.4.1}), a section ({@code 6} or {@code
 * 6.4}: every case in it), or a glob ({@code 6.*}, {@code 7.?.1}). A pattern that matches no case
 * is an error, so a typo never silently runs nothing.
 *
 * <p>The configuration parameters {@code wsrobustness.catalogue.cases} and {@code
 * wsrobustness.catalogue.exclude} (comma-separated patterns, e.g. {@code
 * -Dwsrobustness.catalogue.cases=6.4}) narrow the choice further for one run, without editing the
 * test.
 *
 * <p>Thread-safety: annotations are immutable.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface CatalogueCases {
  /** The cases to run; empty runs all of them. */
  String[] value() default {};

  /** Cases to leave out of those chosen. */
  String[] exclude() default {};

  /**
   * A classpath resource of waivers ({@code src/test/resources/…}), one per line: a pattern, a
   * space, and why the deviation is accepted; {@code #} starts a comment.
   */
  String waivers() default "";
}
