package io.github.wsrobustness.catalog;

import io.github.wsrobustness.catalog.CatalogueCase.Section;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * The cases of a catalogue as they are written down, section by section: what {@link AutobahnCases}
 * and {@link RobustnessCases} each build their list with.
 *
 * <p>Thread-safety: not thread-safe; used by the one thread building a list, once.
 */
final class CaseList {
  private final List<CatalogueCase> cases = new ArrayList<>();
  private String top;
  private Section section;

  /** Starts a top section, such as {@code 1 Framing}. */
  void top(String name) {
    top = name;
  }

  /** Starts a section under the current top section; the cases added next belong to it. */
  void sub(String id, String name) {
    section = new Section(id, name, top);
  }

  /** The current section. */
  Section section() {
    return section;
  }

  /**
   * Adds a case to the current section; {@code rfc} is the clause of RFC 6455, such as {@code
   * §5.2}, or another RFC's, named: {@code RFC 7692 §7.2}.
   */
  void add(
      String id,
      String title,
      String rfc,
      String description,
      Supplier<List<Step>> script,
      Expectation expectation) {
    cases.add(new CatalogueCase(id, section, title, clause(rfc), description, script, expectation));
  }

  /**
   * Adds a case sized by the server's message limit: {@code sized} makes its script and expectation
   * for a limit; {@code sizes} says in words what it sends at a limit, appended to {@code
   * description} in the case that runs.
   */
  void addAtLimit(
      String id,
      String title,
      String rfc,
      String description,
      LongFunction<String> sizes,
      LongFunction<Supplier<List<Step>>> script,
      LongFunction<Expectation> expectation,
      boolean text) {
    Section at = section;
    String clause = clause(rfc);
    CatalogueCase template =
        new CatalogueCase(
            id, at, title, clause, description, List::of, expectation.apply(1L << 20));
    cases.add(
        new CatalogueCase(
            template,
            limit ->
                new CatalogueCase(
                    id,
                    at,
                    title,
                    clause,
                    description + " " + sizes.apply(limit),
                    script.apply(limit),
                    expectation.apply(limit)),
            false,
            text));
  }

  /** Adds the case that reports the server's message limit, found or set. */
  void addLimitReport(String id, String title, String rfc, String description) {
    CatalogueCase report =
        new CatalogueCase(
            id,
            section,
            title,
            "RFC 6455 " + rfc,
            description,
            List::of,
            Expectation.informational());
    cases.add(new CatalogueCase(report, limit -> report, true, false));
  }

  /** The case added last, its client offering {@code offers} in Sec-WebSocket-Extensions. */
  void offerInLast(String... offers) {
    int last = cases.size() - 1;
    cases.set(last, cases.get(last).offering(List.of(offers)));
  }

  private static String clause(String rfc) {
    return rfc.startsWith("RFC ") ? rfc : "RFC 6455 " + rfc;
  }

  /** The cases added, in order. */
  List<CatalogueCase> cases() {
    return Collections.unmodifiableList(cases);
  }
}
