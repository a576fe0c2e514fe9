package io.github.wsrobustness.catalog;

import io.github.wsrobustness.catalog.CatalogueCase.Section;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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

  /** Adds a case to the current section; {@code rfc} is the clause, such as {@code §5.2}. */
  void add(
      String id,
      String title,
      String rfc,
      String description,
      Supplier<List<Step>> script,
      Expectation expectation) {
    cases.add(
        new CatalogueCase(id, section, title, "RFC 6455 " + rfc, description, script, expectation));
  }

  /** The cases added, in order. */
  List<CatalogueCase> cases() {
    return Collections.unmodifiableList(cases);
  }
}
