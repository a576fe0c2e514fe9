package io.github.wsrobustness;

import static io.github.wsrobustness.CatalogueVerdictTest.failedCases;
import static io.github.wsrobustness.CatalogueVerdictTest.verdicts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.wsrobustness.StrictServer.Bug;
import io.github.wsrobustness.catalog.CatalogueCases;
import io.github.wsrobustness.catalog.Waive;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.OutputDirectoryProvider;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.EventType;

/**
 * The catalogue as a user meets it: choosing cases, waiving deviations (and hearing of stale
 * waivers), mistakes named before any socket opens, attachments, and the report of a run.
 */
class CatalogueUseTest {
  @TempDir Path reports;

  /** A server that closes with 1000 where 1002 is due: 7.9.x fail, 7.7.1 passes. */
  @WebSocketRobustness
  @CatalogueCases({"7.7.1", "7.9.1", "7.9.2"})
  @Waive(cases = "7.9.1", reason = "known: answers an invalid close code with 1000")
  @Waive(cases = "7.7.1", reason = "once failed, fixed since")
  static class WaiverTestCases extends CatalogueFixture {
    @WebSocketTarget static URI target;
  }

  @Test
  void aWaivedCaseStillRunsAndReportsItsVerdictAndAStaleWaiverIsReported() {
    try (StrictServer server = StrictServer.start(Bug.CLOSES_1000_ON_PROTOCOL_ERROR)) {
      WaiverTestCases.target = server.uri();
      EngineExecutionResults results = run(WaiverTestCases.class, Map.of());
      assertThat(failedCases(results)).containsExactly("7.9.2");
      assertThat(verdicts(results))
          .containsEntry("7.9.1", "FAILED, close wrong code (waived)")
          .containsEntry("7.7.1", "OK (stale waiver)")
          .containsEntry("7.9.2", "FAILED, close wrong code");
      assertThat(entries(results, "waived"))
          .containsExactly("known: answers an invalid close code with 1000");
      assertThat(entries(results, "stale waiver"))
          .containsExactly("the case passes without its waiver: once failed, fixed since");
    }
  }

  @WebSocketRobustness
  @CatalogueCases(value = "7", exclude = "7.9.9")
  static class NarrowedTestCases {
    @WebSocketTarget static URI target;

    @TestFactory
    Stream<DynamicNode> autobahn(Catalogue catalogue) {
      return catalogue.select("7.9", "7.7.1").tests();
    }
  }

  @Test
  void configurationParametersNarrowTheAnnotationsChoice() {
    try (StrictServer server = StrictServer.start()) {
      NarrowedTestCases.target = server.uri();
      // Section 9 is none of this class's cases, and excluding it is no mistake.
      EngineExecutionResults results =
          run(NarrowedTestCases.class, Map.of("wsrobustness.catalogue.exclude", "7.9.1, 7.9.2, 9"));
      assertThat(verdicts(results).keySet())
          .containsExactly("7.7.1", "7.9.3", "7.9.4", "7.9.5", "7.9.6", "7.9.7", "7.9.8");
    }
  }

  @Test
  void programmaticChoicesNameTheirMistakes() {
    Catalogue catalogue =
        Catalogue.against(URI.create("ws://127.0.0.1:1/"), java.time.Duration.ofSeconds(1));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> catalogue.select())
        .hasMessage("Catalogue.select() needs at least one case pattern, such as \"6.4\"");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> catalogue.exclude("11"))
        .hasMessageStartingWith("Catalogue.exclude: '11' matches no catalogue case;");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> catalogue.waive(null, "why"))
        .hasMessage("Catalogue.waive needs a case pattern, such as \"6.4.3\"; it got null");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> catalogue.waive("6.4.3", " "))
        .hasMessage("the waiver of '6.4.3' has no reason; say why the deviation is accepted");
    assertThat(catalogue.select("6.4").exclude("6.4.1").cases()).hasSize(3);
    assertThat(catalogue.exclude("6").select("6.4").cases()).as("narrowed to nothing").isEmpty();
  }

  @WebSocketRobustness(uri = "ws://127.0.0.1:1/")
  @CatalogueCases("11.1.1")
  static class UnknownCaseTestCases {
    @TestFactory
    Stream<DynamicNode> autobahn(Catalogue catalogue) {
      return catalogue.tests();
    }
  }

  @WebSocketRobustness(uri = "ws://127.0.0.1:1/")
  @CatalogueCases(waivers = "no/such/waivers.txt")
  static class MissingWaiverFileTestCases {
    @TestFactory
    Stream<DynamicNode> autobahn(Catalogue catalogue) {
      return catalogue.tests();
    }
  }

  @WebSocketRobustness(uri = "ws://127.0.0.1:1/")
  @Waive(cases = "6.4.*", reason = " ")
  static class BlankReasonTestCases {
    @TestFactory
    Stream<DynamicNode> autobahn(Catalogue catalogue) {
      return catalogue.tests();
    }
  }

  @WebSocketRobustness(uri = "ws://127.0.0.1:1/")
  @CatalogueCases(messageLimit = "12 parsecs")
  static class BadLimitTestCases {
    @TestFactory
    Stream<DynamicNode> autobahn(Catalogue catalogue) {
      return catalogue.tests();
    }
  }

  @WebSocketRobustness(uri = "ws://127.0.0.1:1/")
  @CatalogueCases(memoryBudget = "0")
  static class BadBudgetTestCases {
    @TestFactory
    Stream<DynamicNode> autobahn(Catalogue catalogue) {
      return catalogue.tests();
    }
  }

  @WebSocketRobustness(uri = "ws://127.0.0.1:1/")
  @CatalogueCases(compressionMessages = "1001")
  static class BadCompressionMessagesTestCases {
    @TestFactory
    Stream<DynamicNode> autobahn(Catalogue catalogue) {
      return catalogue.tests();
    }
  }

  /** Port 1 refuses: any socket opened would fail differently than these sentences. */
  @Test
  void mistakesAreNamedBeforeAnySocketOpens() {
    assertThat(factoryFailure(UnknownCaseTestCases.class))
        .isEqualTo(
            "Catalogue parameter 1 of UnknownCaseTestCases.autobahn(): @CatalogueCases on"
                + " UnknownCaseTestCases: '11.1.1' matches no catalogue case; use a case id"
                + " (1.1.1), a section (1, 2, 3, 4, 5, 6, 7, 9, 10, 12, 13, R1, R2, R3, R4, R5, R6,"
                + " R7, R8, R9, R10) or a glob (6.4.*)");
    assertThat(factoryFailure(MissingWaiverFileTestCases.class))
        .isEqualTo(
            "Catalogue parameter 1 of MissingWaiverFileTestCases.autobahn(): the waiver file"
                + " 'no/such/waivers.txt' is neither on the test classpath nor a file; put it"
                + " under src/test/resources, or fix the name");
    assertThat(factoryFailure(BlankReasonTestCases.class))
        .isEqualTo(
            "Catalogue parameter 1 of BlankReasonTestCases.autobahn(): @Waive on"
                + " BlankReasonTestCases.autobahn() for [6.4.*] has no reason; say why the"
                + " deviation is accepted");
    assertThat(factoryFailure(BadLimitTestCases.class))
        .isEqualTo(
            "Catalogue parameter 1 of BadLimitTestCases.autobahn(): @CatalogueCases(messageLimit)"
                + " on BadLimitTestCases is '12 parsecs', which is not a size of at least one"
                + " byte; write it like 65536, 64KiB or 32MiB");
    assertThat(factoryFailure(BadBudgetTestCases.class))
        .isEqualTo(
            "Catalogue parameter 1 of BadBudgetTestCases.autobahn(): @CatalogueCases(memoryBudget)"
                + " on BadBudgetTestCases is '0', which is not a size of at least one byte; write"
                + " it like 64MiB, or off");
    assertThat(factoryFailure(BadCompressionMessagesTestCases.class))
        .isEqualTo(
            "Catalogue parameter 1 of BadCompressionMessagesTestCases.autobahn():"
                + " @CatalogueCases(compressionMessages) on BadCompressionMessagesTestCases is"
                + " '1001'; write a count of messages from 1 to Autobahn's 1000, such as 50");
  }

  @Test
  void waiverFilesNameTheLineThatLacksAReason() {
    Map<String, String> parsed =
        CatalogueSettings.parseWaivers(
            "# comment\n\n6.4.3   validates per frame\n7.13  informational anyway\n",
            "w.txt",
            Catalogue.everyCase());
    assertThat(parsed)
        .containsExactly(
            Map.entry("6.4.3", "validates per frame"), Map.entry("7.13", "informational anyway"));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> CatalogueSettings.parseWaivers("6.4.3\n", "w.txt", Catalogue.everyCase()))
        .hasMessage(
            "line 1 of the waiver file 'w.txt' waives '6.4.3' without a reason; write the case id,"
                + " a space, and why the deviation is accepted");
  }

  @WebSocketRobustness(deadline = "1s")
  @CatalogueCases({"1.1.1", "2.1"})
  static class FailingCaseTestCases extends CatalogueFixture {
    @WebSocketTarget static URI target;
  }

  @Test
  // OutputDirectoryProvider is JUnit 5.12's API and deprecated from 5.14: these tests run on both.
  @SuppressWarnings("deprecation")
  void aFailingCaseSaysWhyFirstAndCarriesItsTranscript() throws IOException {
    Path outputs = reports.resolve("outputs");
    try (StrictServer server = StrictServer.start(Bug.NO_PONG)) {
      FailingCaseTestCases.target = server.uri();
      EngineExecutionResults results =
          EngineTestKit.engine("junit-jupiter")
              .selectors(selectClass(FailingCaseTestCases.class))
              .configurationParameter("wsrobustness.catalogue.report", reports.toString())
              .configurationParameter("wsrobustness.liveness", "handshake")
              .outputDirectoryProvider(outputsIn(outputs))
              .execute();
      Throwable failure = CatalogueVerdictTest.failureOf(results, "2.1");
      assertThat(failure)
          .isInstanceOf(org.opentest4j.AssertionFailedError.class)
          .hasMessageStartingWith(
              "2.1 \u2014 ping, empty payload: FAILED\nexpected pong, 0 bytes, but the server"
                  + " sent nothing; the server replied to the client's close with 1000, then TCP"
                  + " ended\nExpected: The server sends back pong, 0 bytes;")
          .hasMessageContaining("Transcript against CatalogueUseTest$FailingCaseTestCases:\n")
          .hasMessageContaining(">> PING fin masked len=0");
      var expected = ((org.opentest4j.AssertionFailedError) failure).getExpected();
      assertThat(expected.getStringRepresentation()).startsWith("The server sends back pong");
      assertThat(TestKit.filesPublished(results)).as("only the failing case's").isEqualTo(1);
      try (Stream<Path> files = Files.walk(outputs)) {
        Path transcript =
            files
                .filter(p -> p.getFileName().toString().equals("websocket-transcript.txt"))
                .findFirst()
                .orElseThrow();
        assertThat(Files.readString(transcript))
            .startsWith("CatalogueUseTest$FailingCaseTestCases \u2014 2.1 \u2014 ping, empty");
      }
    }
  }

  /** Nothing listens on port 1: the catalogue must say so once, not fail every case. */
  @WebSocketRobustness(deadline = "2s")
  @CatalogueCases("1")
  static class NobodyListensTestCases extends CatalogueFixture {
    @WebSocketTarget static URI target = URI.create("ws://127.0.0.1:1/");
  }

  @Test
  void aServerThatDoesNotServeBeforeTheFirstCaseIsOneSentence() {
    assertThat(factoryFailure(NobodyListensTestCases.class))
        .startsWith(
            "the server at ws://127.0.0.1:1/ does not serve before any catalogue case ran (")
        .contains("Connection refused")
        .endsWith("); start it first, or fix its URI");
  }

  /** A server that checks UTF-8 only at a message's end: NON-STRICT on 6.4.1, OK on 1.1.1. */
  @WebSocketRobustness
  @CatalogueCases({"1.1.1", "6.4.1"})
  @Waive(cases = "1.1.1", reason = "once failed, fixed since")
  static class StrictTestCases {
    @WebSocketTarget static URI target;
    static final List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();

    @TestFactory
    Stream<DynamicNode> autobahn(Catalogue catalogue) {
      return catalogue.onResult(r -> heard.add(r.testCase().id() + " " + r.summary())).tests();
    }
  }

  @Test
  void strictModeFailsNonStrictCasesAndStaleWaivers() {
    try (StrictServer server = StrictServer.start(Bug.VALIDATES_UTF8_AT_MESSAGE_END)) {
      StrictTestCases.target = server.uri();
      StrictTestCases.heard.clear();
      assertThat(failedCases(run(StrictTestCases.class, Map.of()))).isEmpty();
      assertThat(StrictTestCases.heard)
          .as("each result reaches the listener (in an order parallel execution may vary)")
          .containsExactlyInAnyOrder("1.1.1 OK (stale waiver)", "6.4.1 NON-STRICT");

      EngineExecutionResults strict =
          run(StrictTestCases.class, Map.of("wsrobustness.catalogue.strict", "true"));
      assertThat(failedCases(strict)).containsExactly("1.1.1", "6.4.1");
      assertThat(CatalogueVerdictTest.failureOf(strict, "1.1.1").getMessage())
          .startsWith("1.1.1 \u2014 text frame, empty payload: the case passes (OK) although a")
          .endsWith("remove the waiver \"once failed, fixed since\"");
      assertThat(CatalogueVerdictTest.failureOf(strict, "6.4.1").getMessage())
          .startsWith("6.4.1 \u2014 ")
          .contains(": NON-STRICT");
    }
  }

  /** The waiver file may be a path on disk (the command line's --waivers), not only a resource. */
  @WebSocketRobustness
  @CatalogueCases("6.4.1")
  static class WaiverPathTestCases extends CatalogueFixture {
    @WebSocketTarget static URI target;
  }

  @Test
  void aWaiverFileMayBeAPath() throws IOException {
    Path file = reports.resolve("waivers.txt");
    Files.writeString(file, "6.4.1 checks UTF-8 at the end of a message\n");
    try (StrictServer server = StrictServer.start(Bug.VALIDATES_UTF8_AT_MESSAGE_END)) {
      WaiverPathTestCases.target = server.uri();
      EngineExecutionResults results =
          run(
              WaiverPathTestCases.class,
              Map.of(
                  "wsrobustness.catalogue.waivers",
                  file.toString(),
                  "wsrobustness.catalogue.strict",
                  "true"));
      assertThat(verdicts(results)).containsEntry("6.4.1", "NON-STRICT (stale waiver)");
      assertThat(failedCases(results)).containsExactly("6.4.1");
    }
  }

  /** Two classes in one run: one report, both targets across, every case its cell. */
  @Test
  void oneRunWritesOneReportWithATargetPerClass() throws IOException {
    try (StrictServer good = StrictServer.start();
        StrictServer bad = StrictServer.start(Bug.ECHOES_INVALID_UTF8)) {
      FirstTargetTestCases.target = good.uri();
      SecondTargetTestCases.target = bad.uri();
      EngineTestKit.engine("junit-jupiter")
          .selectors(
              selectClass(FirstTargetTestCases.class), selectClass(SecondTargetTestCases.class))
          .configurationParameter("wsrobustness.catalogue.report", reports.toString())
          .execute();
    }
    Document page = Jsoup.parse(reports.resolve("index.html").toFile(), "UTF-8");
    for (String target : List.of("First", "Second")) {
      assertThat(page.select("td.cell[data-target=" + target + "]")).hasSize(19);
    }
    assertThat(page.select("td.cell[data-target=Second][data-case=6.3.1]").attr("data-verdict"))
        .isEqualTo("FAILED");
    assertThat(page.select("td.cell[data-target=First][data-case=6.3.1]").attr("data-verdict"))
        .isEqualTo("OK");
    assertThat(page.select("[src]")).as("no external assets").isEmpty();
    assertThat(page.select("link, img, iframe")).isEmpty();
    page.select("[href]").forEach(a -> assertThat(a.attr("href")).startsWith("#"));
    assertThat(Files.readString(reports.resolve("report.json"))).contains("\"id\": \"6.3.1\"");
  }

  @WebSocketRobustness
  @CatalogueCases({"6.3", "6.5", "6.6", "1.1.1"})
  @org.junit.jupiter.api.DisplayName("First")
  static class FirstTargetTestCases extends CatalogueFixture {
    @WebSocketTarget static URI target;
  }

  @WebSocketRobustness
  @CatalogueCases({"6.3", "6.5", "6.6", "1.1.1"})
  @org.junit.jupiter.api.DisplayName("Second")
  static class SecondTargetTestCases extends CatalogueFixture {
    @WebSocketTarget static URI target;
  }

  // -----------------------------------------------------------------------------------------------

  private EngineExecutionResults run(Class<?> fixture, Map<String, String> configuration) {
    Map<String, String> all = new java.util.HashMap<>(configuration);
    all.put("wsrobustness.catalogue.report", reports.toString());
    return TestKit.run(fixture, all);
  }

  private String factoryFailure(Class<?> fixture) {
    EngineExecutionResults results = run(fixture, Map.of());
    assertThat(results.testEvents().started().count()).as("no case ran").isZero();
    return results.containerEvents().failed().stream()
        .map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
        .findFirst()
        .orElseThrow()
        .getMessage();
  }

  private static List<String> entries(EngineExecutionResults results, String key) {
    return results.allEvents().stream()
        .filter(e -> e.getType() == EventType.REPORTING_ENTRY_PUBLISHED)
        .map(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs().get(key))
        .filter(java.util.Objects::nonNull)
        .toList();
  }

  // OutputDirectoryProvider is JUnit 5.12's API and deprecated from 5.14: these tests run on both.
  @SuppressWarnings("deprecation")
  private static OutputDirectoryProvider outputsIn(Path root) {
    return new OutputDirectoryProvider() {
      @Override
      public Path getRootDirectory() {
        return root;
      }

      @Override
      public Path createOutputDirectory(TestDescriptor descriptor) throws IOException {
        return Files.createDirectories(
            root.resolve(descriptor.getUniqueId().toString().replaceAll("\\W+", "_")));
      }
    };
  }
}
