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

  /**
   * The server's message limit, the largest message it takes, for the cases sized by it (family
   * R9): {@code "65536"}, {@code "32MiB"}, {@code "10MB"}. Empty: the configuration parameter
   * {@code wsrobustness.catalogue.messageLimit}, else found by bisection (R9.1 reports it). Set it
   * to the limit the server is configured with: bisection cannot tell a limit that is off by one
   * from one that was meant.
   */
  String messageLimit() default "";

  /**
   * How much the server's memory may grow in a case that checks it ({@code "64MiB"}, {@code
   * "128MiB"}): its resident memory when it is a process of this machine, its heap after GC when it
   * runs in the test's JVM. Empty: the configuration parameter {@code
   * wsrobustness.catalogue.memoryBudget}, else 64 MiB. Raise it for a server configured to hold
   * large buffers per connection; {@code "off"} measures nothing.
   */
  String memoryBudget() default "";

  /**
   * How many messages each case of Autobahn's sections 12 and 13 sends (permessage-deflate round
   * trips): {@code "50"}. Empty: the configuration parameter {@code
   * wsrobustness.catalogue.compressionMessages}, else Autobahn's 1000, which is about 11 GB each
   * way over the 216 cases; fewer make a quick run, and each case's report says how many went.
   */
  String compressionMessages() default "";
}
