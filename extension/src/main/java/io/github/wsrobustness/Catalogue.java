package io.github.wsrobustness;

import io.github.wsrobustness.catalog.AutobahnCases;
import io.github.wsrobustness.catalog.CaseResult;
import io.github.wsrobustness.catalog.CaseSelection;
import io.github.wsrobustness.catalog.CatalogueCase;
import io.github.wsrobustness.catalog.CatalogueCases;
import io.github.wsrobustness.catalog.Verdict;
import io.github.wsrobustness.catalog.Waive;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.AssertionFailedError;

/**
 * The conformance catalogue, bound to the test class's server: Autobahn|Testsuite's 517 server
 * cases of sections 1–7, 9, 10, 12 and 13 (RFC 6455 framing, pings, reserved bits, opcodes,
 * fragmentation, UTF-8, closing, limits; RFC 7692 compression), then the project's own cases of
 * what real servers failed and Autobahn cannot send ({@link
 * io.github.wsrobustness.catalog.RobustnessCases}: R1 unmasked client frames), each its own JUnit
 * test named {@code id — title}. Inject it into a {@code @TestFactory} of a
 * {@code @WebSocketRobustness} class:
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicNode> autobahn(Catalogue catalogue) {
 *   return catalogue.tests();
 * }
 * }</pre>
 *
 * <p>Each case opens its own connection, runs its script, and gets Autobahn's verdict (OK,
 * NON-STRICT, INFORMATIONAL, FAILED) and close verdict, then the server is checked: a launched
 * process that exited is DIED (and is started again for the next case), a server that no longer
 * completes a handshake and a ping is STOPPED SERVING. FAILED, DIED and STOPPED SERVING fail the
 * case's test unless a waiver covers it ({@link Waive}, {@link #waive}, or a waiver file named by
 * {@link CatalogueCases#waivers()}); the other verdicts pass and show as report entries. At the end
 * of the run a JSON and an HTML report of every case is written under {@code target/wsrobustness}
 * and its path printed.
 *
 * <p>Choose cases with {@link CatalogueCases}, {@link #select}, {@link #exclude}, or the
 * configuration parameters {@code wsrobustness.catalogue.cases} and {@code
 * wsrobustness.catalogue.exclude}.
 *
 * <p>Thread-safety: immutable; the tests it makes run one case at a time, even under JUnit's
 * parallel execution.
 */
public final class Catalogue {
  private final List<CatalogueCase> available;
  private final List<CatalogueCase> chosen;
  private final Map<String, String> waivers; // pattern → reason, in the order given
  private final List<CatalogueRunner> runners; // one per server, in the order named
  private final CatalogueReports reports;
  private final boolean strict;
  private final Consumer<CaseResult> listener;

  Catalogue(
      List<CatalogueCase> available,
      List<CatalogueCase> chosen,
      Map<String, String> waivers,
      List<CatalogueRunner> runners,
      CatalogueReports reports,
      boolean strict) {
    this(available, chosen, waivers, runners, reports, strict, result -> {});
  }

  private Catalogue(
      List<CatalogueCase> available,
      List<CatalogueCase> chosen,
      Map<String, String> waivers,
      List<CatalogueRunner> runners,
      CatalogueReports reports,
      boolean strict,
      Consumer<CaseResult> listener) {
    this.available = List.copyOf(available);
    this.chosen = List.copyOf(chosen);
    this.waivers = new LinkedHashMap<>(waivers);
    this.runners = List.copyOf(runners);
    this.reports = reports;
    this.strict = strict;
    this.listener = listener;
  }

  /**
   * The whole catalogue against a server started elsewhere, to run outside JUnit (a benchmark, a
   * main method): each wait bounded by {@code deadline}, a close by Autobahn's second, the server
   * checked after each case that sends invalid input. Nothing is reported but what {@link #run()}
   * returns.
   *
   * @throws IllegalArgumentException for a URI that is not {@code ws://} or {@code wss://}, or a
   *     deadline that is not positive
   */
  public static Catalogue against(URI uri, Duration deadline) {
    ServerUnderTest server = ServerUnderTest.at(uri, deadline);
    CatalogueRunner runner =
        new CatalogueRunner(
            uri.toString(),
            CatalogueSettings.fixed(server),
            u -> RawWebSocketClient.builder(u).deadline(deadline),
            deadline,
            CatalogueSettings.DEFAULT_CLOSE_TIMEOUT,
            CatalogueSettings.DEFAULT_MID_FRAME_GRACE,
            null,
            CatalogueSettings.DEFAULT_MEMORY_BUDGET,
            CatalogueSettings.DEFAULT_COMPRESSION_MESSAGES);
    return new Catalogue(
        everyCase(),
        everyCase(),
        Map.of(),
        List.of(runner),
        new CatalogueReports(null, null),
        false);
  }

  /** Every case the catalogue holds, chosen or not. */
  static List<CatalogueCase> everyCase() {
    return EVERY_CASE;
  }

  /** Autobahn's cases, then the project's own (ids {@code R1.1} …). */
  private static final List<CatalogueCase> EVERY_CASE = everyCaseInOrder();

  private static List<CatalogueCase> everyCaseInOrder() {
    List<CatalogueCase> all = new ArrayList<>(AutobahnCases.all());
    all.addAll(io.github.wsrobustness.catalog.RobustnessCases.all());
    return List.copyOf(all);
  }

  /** The cases chosen, in catalogue order. */
  public List<CatalogueCase> cases() {
    return chosen;
  }

  /**
   * The chosen cases that match one of {@code patterns} (ids, sections or globs).
   *
   * @throws IllegalArgumentException naming a pattern that matches no case
   */
  public Catalogue select(String... patterns) {
    requirePatterns(patterns, "select");
    List<CatalogueCase> narrowed = CaseSelection.filter(chosen, List.of(patterns), List.of());
    return new Catalogue(available, narrowed, waivers, runners, reports, strict, listener);
  }

  /**
   * The chosen cases but those that match one of {@code patterns}.
   *
   * @throws IllegalArgumentException naming a pattern that matches no case
   */
  public Catalogue exclude(String... patterns) {
    requirePatterns(patterns, "exclude");
    List<CatalogueCase> narrowed = CaseSelection.filter(chosen, List.of(), List.of(patterns));
    return new Catalogue(available, narrowed, waivers, runners, reports, strict, listener);
  }

  /**
   * The same, with the cases matching {@code pattern} waived for {@code reason}.
   *
   * @throws IllegalArgumentException when the pattern matches no case or the reason is blank
   */
  public Catalogue waive(String pattern, String reason) {
    if (pattern == null || pattern.isBlank()) {
      throw new IllegalArgumentException(
          "Catalogue.waive needs a case pattern, such as \"6.4.3\"; it got " + pattern);
    }
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException(
          "the waiver of '" + pattern + "' has no reason; say why the deviation is accepted");
    }
    CaseSelection.requireMatches(available, List.of(pattern), "Catalogue.waive");
    Map<String, String> more = new LinkedHashMap<>(waivers);
    more.put(pattern, reason.strip());
    return new Catalogue(available, chosen, more, runners, reports, strict, listener);
  }

  /**
   * The same, strict: a NON-STRICT case fails its test too, and so does a stale waiver, as the
   * configuration parameter {@code wsrobustness.catalogue.strict=true} does for every catalogue.
   * For a server that claims full conformance, or a CI gate that must notice a fixed deviation.
   */
  public Catalogue strict() {
    return new Catalogue(available, chosen, waivers, runners, reports, true, listener);
  }

  /**
   * The same, handing each case's result to {@code listener} as soon as it is judged, before its
   * test passes or fails: for a dashboard, a baseline, a progress line. Called on the thread that
   * runs the case, one case at a time per catalogue.
   */
  public Catalogue onResult(Consumer<CaseResult> listener) {
    if (listener == null) {
      throw new IllegalArgumentException(
          "Catalogue.onResult(null) has no listener; pass one, such as results::add");
    }
    Consumer<CaseResult> before = this.listener;
    return new Catalogue(
        available, chosen, waivers, runners, reports, strict, before.andThen(listener));
  }

  /** Patterns checked against every case (not the choice so far), each named when it is wrong. */
  private void requirePatterns(String[] patterns, String method) {
    if (patterns == null || patterns.length == 0) {
      throw new IllegalArgumentException(
          "Catalogue." + method + "() needs at least one case pattern, such as \"6.4\"");
    }
    CaseSelection.requireMatches(
        available, java.util.Arrays.asList(patterns), "Catalogue." + method);
  }

  /** The reason of the first waiver that covers {@code id}, or null. */
  String waiverFor(String id) {
    // A split re-run (R7.6.2.1) is its original (6.2.1) delivered in pieces: one waiver covers
    // both.
    String original = io.github.wsrobustness.catalog.RobustnessCases.splitOriginal(id);
    for (Map.Entry<String, String> waiver : waivers.entrySet()) {
      if (CaseSelection.matches(waiver.getKey(), id)) return waiver.getValue();
      if (original != null && CaseSelection.matches(waiver.getKey(), original)) {
        return waiver.getValue();
      }
    }
    return null;
  }

  /**
   * The chosen cases as dynamic tests, one container per section (1 Framing, 2 Pings and pongs …),
   * run against the class's server when JUnit executes them. A class that names several servers
   * gets one container per server around them, named as the server's report column.
   */
  public Stream<DynamicNode> tests() {
    if (runners.size() == 1) return sections(runners.get(0));
    return runners.stream()
        .map(runner -> DynamicContainer.dynamicContainer(runner.target(), sections(runner)));
  }

  private Stream<DynamicNode> sections(CatalogueRunner runner) {
    Map<String, List<CatalogueCase>> bySection = new LinkedHashMap<>();
    for (CatalogueCase c : chosen) {
      bySection.computeIfAbsent(c.section().top(), k -> new ArrayList<>()).add(c);
    }
    return bySection.entrySet().stream()
        .map(
            section ->
                DynamicContainer.dynamicContainer(
                    section.getKey(),
                    section.getValue().stream()
                        .map(c -> DynamicTest.dynamicTest(c.displayName(), () -> run(runner, c)))));
  }

  /**
   * Runs every chosen case now, in catalogue order, one at a time, and returns the results: the way
   * to use the catalogue outside JUnit. Nothing fails and nothing is written; look at each {@link
   * CaseResult#failsTest()}.
   */
  public List<CaseResult> run() {
    List<CaseResult> results = new ArrayList<>();
    for (CatalogueRunner runner : runners) {
      for (CatalogueCase testCase : chosen) {
        results.add(runner.run(testCase, waiverFor(testCase.id())));
      }
    }
    return results;
  }

  private void run(CatalogueRunner runner, CatalogueCase testCase) {
    long start = System.nanoTime();
    CaseResult result = runner.run(testCase, waiverFor(testCase.id()));
    reports.add(result, start, System.nanoTime());
    WebSocketRobustnessExtension.publishCaseResult(result);
    listener.accept(result);
    if (result.failsTest()) throw failure(result);
    if (strict && result.waiver() == null && result.verdict() == Verdict.NON_STRICT) {
      throw failure(result);
    }
    if (strict && result.isWaiverStale()) {
      throw new AssertionFailedError(
          result.testCase().displayName()
              + ": the case passes ("
              + result.verdict().label()
              + ") although a waiver covers it, which strict mode does not allow; remove the"
              + " waiver \""
              + result.waiver()
              + "\"");
    }
  }

  /** The failure of a case: the verdict and why first, the expectation, the transcript last. */
  static AssertionFailedError failure(CaseResult result) {
    String transcript = result.transcript();
    int tail = 6 * 1024;
    String shown =
        transcript.length() <= tail
            ? transcript
            : "… ("
                + (transcript.length() - tail)
                + " characters before)\n"
                + transcript.substring(transcript.length() - tail);
    String message =
        result.testCase().displayName()
            + ": "
            + result.summary()
            + "\n"
            + result.judgement().reason()
            + "\nExpected: "
            + result.testCase().expectation().describe()
            + " ("
            + result.testCase().rfc()
            + ")\nTranscript against "
            + result.target()
            + ":\n"
            + shown;
    return new AssertionFailedError(
        message, result.testCase().expectation().describe(), result.judgement().reason());
  }

  @Override
  public String toString() {
    return "Catalogue of " + chosen.size() + " of " + available.size() + " cases";
  }
}
