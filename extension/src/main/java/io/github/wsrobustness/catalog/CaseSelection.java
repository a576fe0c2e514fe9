package io.github.wsrobustness.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Case-id patterns (for the RFC 6455 catalogue's ids), as {@link CatalogueCases} and {@link Waive}
 * take them: an id, a section (every case under it), or a glob where {@code *} is any text and
 * {@code ?} one character other than a dot.
 *
 * <p>Thread-safety: stateless.
 */
public final class CaseSelection {
  private CaseSelection() {}

  /** Whether {@code id} matches {@code pattern}. */
  public static boolean matches(String pattern, String id) {
    String p = pattern.strip();
    if (p.equals("*") || p.equals(id)) return true;
    if (p.indexOf('*') < 0 && p.indexOf('?') < 0) return id.startsWith(p + ".");
    StringBuilder regex = new StringBuilder();
    for (char c : p.toCharArray()) {
      if (c == '*') regex.append(".*");
      else if (c == '?') regex.append("[^.]");
      else regex.append(Pattern.quote(String.valueOf(c)));
    }
    return Pattern.matches(regex.toString(), id);
  }

  /**
   * The cases of {@code cases} that {@code include} chooses (all when empty) and {@code exclude}
   * does not, in catalogue order.
   *
   * @param source where the patterns come from, for the error message
   * @throws IllegalArgumentException naming the first pattern that matches no case
   */
  public static List<CatalogueCase> select(
      List<CatalogueCase> cases, List<String> include, List<String> exclude, String source) {
    requireMatches(cases, include, source);
    requireMatches(cases, exclude, source);
    return filter(cases, include, exclude);
  }

  /**
   * The cases of {@code cases} that {@code include} chooses (all when empty) and {@code exclude}
   * does not, patterns unchecked.
   */
  public static List<CatalogueCase> filter(
      List<CatalogueCase> cases, List<String> include, List<String> exclude) {
    List<CatalogueCase> chosen = new ArrayList<>();
    for (CatalogueCase c : cases) {
      boolean in = include.isEmpty() || include.stream().anyMatch(p -> matches(p, c.id()));
      boolean out = exclude.stream().anyMatch(p -> matches(p, c.id()));
      if (in && !out) chosen.add(c);
    }
    return chosen;
  }

  /**
   * Fails with a sentence naming the first of {@code patterns} that matches none of {@code cases}.
   */
  public static void requireMatches(
      List<CatalogueCase> cases, List<String> patterns, String source) {
    for (String pattern : patterns) {
      if (pattern == null || pattern.isBlank()) {
        throw new IllegalArgumentException(
            source + " has an empty case pattern; remove it, or write an id such as 6.4.1");
      }
      if (cases.stream().noneMatch(c -> matches(pattern, c.id()))) {
        throw new IllegalArgumentException(
            source
                + ": '"
                + pattern
                + "' matches no catalogue case; use a case id (1.1.1), a section ("
                + String.join(", ", sections(cases))
                + ") or a glob (6.4.*)");
      }
    }
  }

  private static List<String> sections(List<CatalogueCase> cases) {
    Map<String, Boolean> tops = new LinkedHashMap<>();
    for (CatalogueCase c : cases) tops.put(c.section().topId(), true);
    return new ArrayList<>(tops.keySet());
  }
}
