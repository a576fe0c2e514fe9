package io.github.wsrobustness.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Case-id patterns: ids, sections, globs, and the sentence for one that matches nothing. */
class CaseSelectionTest {
  private static final List<CatalogueCase> ALL = AutobahnCases.all();

  @Test
  void aSectionMeansEveryCaseBelowIt() {
    assertThat(ids(List.of("6.4"), List.of())).containsExactly("6.4.1", "6.4.2", "6.4.3", "6.4.4");
    assertThat(ids(List.of("2"), List.of())).hasSize(11).startsWith("2.1").endsWith("2.11");
    assertThat(CaseSelection.matches("1.1", "1.1.1")).isTrue();
    assertThat(CaseSelection.matches("1.1", "1.10.1")).as("not a prefix of the text").isFalse();
    assertThat(CaseSelection.matches("2.1", "2.10")).isFalse();
  }

  @Test
  void globsAndExclusions() {
    assertThat(ids(List.of("7.?.1"), List.of()))
        .containsExactly("7.1.1", "7.3.1", "7.5.1", "7.7.1", "7.9.1");
    assertThat(ids(List.of(), List.of("9", "6", "7"))).hasSize(517 - 54 - 145 - 37);
    assertThat(ids(List.of("*"), List.of("1.*"))).hasSize(517 - 16);
  }

  @Test
  void aPatternThatMatchesNothingIsNamed() {
    assertThatThrownBy(() -> ids(List.of("1.1.1", "11.1.1"), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "@CatalogueCases on ChatTest: '11.1.1' matches no catalogue case; use a case id (1.1.1),"
                + " a section (1, 2, 3, 4, 5, 6, 7, 9, 10, 12, 13) or a glob (6.4.*)");
    assertThatThrownBy(() -> ids(List.of(" "), List.of()))
        .hasMessage(
            "@CatalogueCases on ChatTest has an empty case pattern; remove it, or write an id such"
                + " as 6.4.1");
  }

  private static List<String> ids(List<String> include, List<String> exclude) {
    return CaseSelection.select(ALL, include, exclude, "@CatalogueCases on ChatTest").stream()
        .map(CatalogueCase::id)
        .toList();
  }
}
