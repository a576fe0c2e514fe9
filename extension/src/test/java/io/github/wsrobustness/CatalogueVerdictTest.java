package io.github.wsrobustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.github.wsrobustness.StrictServer.Bug;
import io.github.wsrobustness.catalog.CatalogueCases;
import io.github.wsrobustness.catalog.Expectation;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

/**
 * The catalogue's verdicts against loopback servers with one planted bug each: each must fail
 * exactly the cases its bug breaks, and the conforming server none of the 855 (Autobahn's 517 and
 * the project's own; the connection floods in tests of their own).
 */
class CatalogueVerdictTest {
  private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
  private static final String CLASS_PATH = System.getProperty("java.class.path");

  /** Every Autobahn case that sends invalid UTF-8 in a text message (section 6). */
  private static final List<String> INVALID_UTF8 =
      List.of(
          "6.3.1-2",
          "6.4.1-4",
          "6.6.1",
          "6.6.3",
          "6.6.4",
          "6.6.6",
          "6.6.8",
          "6.6.10",
          "6.8.1-2",
          "6.10.1-3",
          "6.11.5",
          "6.12.1-8",
          "6.13.1-5",
          "6.14.1-10",
          "6.15.1",
          "6.16.1-3",
          "6.17.1-5",
          "6.18.1-5",
          "6.19.1-5",
          "6.20.1-7",
          "6.21.1-8");

  /**
   * Held by each run of the floods' hundreds of connections ({@link #runFloods}), so that no two
   * run at once: on two cores, their load beside each other has starved a fresh client past its
   * deadline. A plain lock around the run alone, not JUnit's {@code @ResourceLock}: with that,
   * JUnit 6's executor on Java 25 once ended up with every worker joining and none running.
   */
  private static final java.util.concurrent.locks.ReentrantLock FLOODS =
      new java.util.concurrent.locks.ReentrantLock(true);

  @TempDir Path reports;

  @Test
  void conformingServerFailsNoCase() throws java.io.IOException {
    // A limit of 16 MiB: section 9's largest message, and the R9 cases' messages at the limit.
    try (StrictServer server = StrictServer.startWithLimit(16 << 20)) {
      ConformingTestCases.target = server.uri();
      // A generous grace: OK on 6.4.3 and 6.4.4 must not hang on this machine's load.
      EngineExecutionResults results =
          run(
              ConformingTestCases.class,
              Map.of(
                  "wsrobustness.catalogue.midFrameGrace",
                  "500ms",
                  // Every compression case runs; three messages each prove the round trips.
                  "wsrobustness.catalogue.compressionMessages",
                  "3"));
      Map<String, String> verdicts = verdicts(results);
      assertThat(verdicts).hasSize(851);
      assertThat(failedCases(results)).isEmpty();
      // The strict variants are OK, not NON-STRICT: the server fails at the earliest moment.
      Map<String, String> notOk = new TreeMap<>(verdicts);
      notOk.values().removeIf("OK"::equals);
      // After the client's FIN mid-frame, this server ends TCP without a close frame (§7.1.7).
      Set<String> droppedAfterFin = ids("R5.1-4", "R5.6-8");
      for (String id : droppedAfterFin) assertThat(notOk.remove(id)).isEqualTo("OK, close dropped");
      assertThat(notOk)
          .containsOnlyKeys(
              "7.1.6", "7.13.1", "7.13.2", "R7.7.1.6", "R7.7.13.1", "R7.7.13.2", "R9.1")
          .allSatisfy((id, verdict) -> assertThat(verdict).isEqualTo("INFORMATIONAL"));
    }
    // The report a person opens: a cell per case, nothing fetched from elsewhere.
    org.jsoup.nodes.Document page = org.jsoup.Jsoup.parse(reports.resolve("index.html").toFile());
    assertThat(page.select("td.cell")).hasSize(851);
    assertThat(page.select("td.cell[data-verdict=OK]")).hasSize(844);
    assertThat(page.select("[src], link, img, iframe")).isEmpty();
  }

  @Test
  void serverThatAcceptsUnmaskedFramesFailsExactlyTheUnmaskedFamily() {
    // Autobahn never sends an unmasked frame, so this bug passes all of its cases; R1 catches it.
    assertThat(failuresWith(Bug.ACCEPTS_UNMASKED)).containsExactlyElementsOf(ids("R1.1-7"));
  }

  @Test
  void serverThatClosesWith1000InsteadOf1002FailsTheCloseCases() {
    // Sections 3–5 report the wrong code beside an OK; sections 6 and 7 fail on it, and so do R1
    // and R10's misplaced RSV1, where the code is the point.
    assertThat(failuresWith(Bug.CLOSES_1000_ON_PROTOCOL_ERROR))
        .containsExactlyElementsOf(
            ids("7.3.2", "7.3.6", "7.9.1-9", "R1.1-7", "R2.6", "R3.3-5", "R10.4-6"));
  }

  @Test
  void serverThatTrustsDeclaredLengthsFailsTheLengthFamily() {
    // Every length Autobahn sends fits 32 bits and the server's limit; only R2's lie.
    assertThat(failuresWith(Bug.TRUSTS_DECLARED_LENGTH)).containsExactlyElementsOf(ids("R2.7-11"));
  }

  @Test
  void serverWithLaxControlFramesFailsTheControlFrameFamilyAndSomeOfAutobahn() {
    // Autobahn sees the oversized ping (2.5), the fragmented ping (5.1), the long close (7.3.6)
    // and the reserved codes 1004–2999 (7.9.3–9); only R3 sees the pong, the fragmented close,
    // 1015 and the cut reason; R2.14 sees the oversized close declared in a 16-bit field.
    assertThat(failuresWith(Bug.LAX_CONTROL_FRAMES))
        .containsExactlyElementsOf(
            ids("2.5", "5.1", "7.3.6", "7.9.3-9", "R2.14", "R3.1-5", "R3.9"));
  }

  @Test
  void serverThatMixesMessageTypesFailsTheMixedFragmentCases() {
    assertThat(failuresWith(Bug.MIXES_MESSAGE_TYPES)).containsExactlyElementsOf(ids("R4.1-3"));
  }

  @Test
  void serverWhoseFragmentListOverflowsFailsTheFragmentFloods() {
    Map<String, String> verdicts = new HashMap<>();
    assertThat(failuresWith(Bug.FRAGMENT_LIST_OVERFLOWS, verdicts))
        .containsExactlyElementsOf(ids("R4.4-5"));
    assertThat(verdicts.get("R4.5")).startsWith("FAILED, close wrong code");
  }

  @Test
  void serverThatIgnoresTheClientsFinFailsTheEndingsAfterAFin() {
    assertThat(failuresWith(Bug.IGNORES_CLIENT_EOF))
        .containsExactlyElementsOf(ids("R5.1-4", "R5.6-8"));
  }

  @Test
  void serverThatAcceptsAnyHandshakeFailsTheHandshakesItMustRefuse() {
    // The two oversized heads still get this server's 431: its size limit comes before any check.
    // Upgraded with a body, it reads the body as a frame (RSV bits): R6.22.
    Map<String, String> verdicts = new HashMap<>();
    assertThat(failuresWith(Bug.ACCEPTS_ANY_HANDSHAKE, verdicts))
        .containsExactlyElementsOf(ids("R6.1-11", "R6.14-17", "R6.22"));
    assertThat(verdicts.get("R6.5")).startsWith("FAILED");
    assertThat(verdicts).containsEntry("R6.12", "OK").containsEntry("R6.19", "OK");
  }

  @Test
  void serverWhoseHeaderParserSpinsFailsTheLongHeaderCases() {
    assertThat(failuresWith(Bug.SPINS_ON_LONG_HEADER_VALUES))
        .containsExactlyElementsOf(ids("R6.19-20"));
  }

  @Test
  void serverThatAssumesWholeHeadersFailsTheSplitReRunsOnly() {
    // Whether a header arrives in one read is up to TCP: the re-runs cut each frame after its first
    // byte with a pause, so this server meets the cut in nearly all of them; Autobahn's few cases
    // sent byte by byte without a pause may meet it too. No case sent whole ever does.
    Set<String> byteByByte =
        ids("1.1.8", "1.2.8", "2.6", "2.11", "5.5", "5.8", "5.11", "5.14", "5.17", "6.4.1-4");
    try (StrictServer server = StrictServer.start(Bug.ASSUMES_WHOLE_HEADERS)) {
      EngineExecutionResults results =
          run(
              SplitTestCases.class,
              Map.of(
                  "wsrobustness.uri",
                  server.uri().toString(),
                  "wsrobustness.catalogue.midFrameGrace",
                  "500ms"));
      Set<String> failed = failedCases(results);
      Set<String> outside = new TreeSet<>(failed);
      outside.removeIf(id -> id.startsWith("R7.") || byteByByte.contains(id));
      assertThat(outside).as("failures of cases not split").isEmpty();
      Map<String, String> verdicts = verdicts(results);
      long echoes =
          io.github.wsrobustness.catalog.RobustnessCases.all().stream()
              .filter(c -> c.id().startsWith("R7."))
              .filter(c -> c.expectation().kind() == Expectation.Kind.ECHO)
              .count();
      long failedEchoes =
          failed.stream()
              .filter(id -> id.startsWith("R7."))
              .filter(id -> verdicts.get(id).startsWith("FAILED"))
              .count();
      assertThat(echoes).isGreaterThan(90);
      assertThat(failedEchoes).as("split re-runs failed").isGreaterThan(echoes / 2);
    }
  }

  @Test
  void serverThatStallsAfterManyPongsFailsThePongFlood() {
    Map<String, String> verdicts = new HashMap<>();
    assertThat(failuresWith(Bug.STALLS_AFTER_MANY_PONGS, verdicts)).containsExactly("R8.1");
    assertThat(verdicts.get("R8.1")).startsWith("FAILED");
    assertThat(verdicts).containsEntry("R8.2", "OK");
  }

  @Test
  void serverThatDropsEchoesUnderLoadFailsTheMessageBurst() {
    Map<String, String> verdicts = new HashMap<>();
    assertThat(failuresWith(Bug.DROPS_ECHOES_UNDER_LOAD, verdicts)).containsExactly("R8.2");
    assertThat(verdicts).containsEntry("R8.1", "OK");
  }

  @Test
  void serverWhoseLimitIsOffByOneFailsTheCasesAtTheLimitWhenTheLimitIsSet() {
    Map<String, String> verdicts = new HashMap<>();
    assertThat(
            failuresWith(
                Bug.LIMIT_OFF_BY_ONE,
                verdicts,
                Map.of("wsrobustness.catalogue.messageLimit", "1MiB")))
        .containsExactlyElementsOf(ids("R9.3", "R9.6", "R9.9", "R9.12"));
    assertThat(verdicts).containsEntry("R9.1", "INFORMATIONAL").containsEntry("R9.14", "OK");
  }

  @Test
  void serverWhoseLimitIsOffByOnePassesWhenTheLimitIsFoundByBisection() {
    // Bisection finds the limit the server has, one byte less than it was meant to have: only a
    // limit set for the run can tell. R9.1 reports the figure (MessageLimitTest checks it).
    assertThat(failuresWith(Bug.LIMIT_OFF_BY_ONE)).isEmpty();
  }

  @Test
  void serverThatLimitsFramesNotMessagesFailsTheFragmentedCasesAboveTheLimit() {
    assertThat(failuresWith(Bug.LIMITS_EACH_FRAME))
        .containsExactlyElementsOf(ids("R9.7", "R9.13", "R9.15"));
  }

  @Test
  void serverThatWaitsOnAnUnansweredCloseFailsOnlyThatCase() {
    // One connection at a time: each case alone, so that no check waits on the case before it.
    try (StrictServer server = StrictServer.start(Bug.WAITS_FOR_CLOSE_REPLY)) {
      EngineExecutionResults results =
          run(EndingTestCases.class, Map.of("wsrobustness.uri", server.uri().toString()));
      assertThat(failedCases(results)).containsExactly("R5.12");
      assertThat(failureOf(results, "R5.12").getMessage())
          .contains("R5.12 \u2014 the server's close is never answered: FAILED")
          .contains("while the case held its connections, a fresh client was not served");
    }
    try (StrictServer server = StrictServer.start()) {
      EngineExecutionResults results =
          run(EndingTestCases.class, Map.of("wsrobustness.uri", server.uri().toString()));
      assertThat(failedCases(results)).isEmpty();
    }
  }

  @Test
  void serverThatDropsPongsUnderLoadFailsThePingFlood() {
    Map<String, String> verdicts = new HashMap<>();
    assertThat(failuresWith(Bug.DROPS_PONGS_UNDER_LOAD, verdicts)).containsExactly("R8.5");
    assertThat(verdicts).containsEntry("R8.1", "OK").containsEntry("R8.2", "OK");
  }

  @Test
  void serverWithAFixedPoolOfWorkersFailsTheConnectionFloodsOnly() {
    try (StrictServer server = StrictServer.startWithLimit(1 << 20, Bug.FIXED_WORKER_POOL)) {
      EngineExecutionResults results =
          runFloods(Map.of("wsrobustness.uri", server.uri().toString()));
      assertThat(failedCases(results)).containsExactly("R8.3", "R8.4", "R8.6");
      assertThat(failureOf(results, "R8.3").getMessage())
          .contains("R8.3 \u2014 300 connections opened at once: FAILED")
          // The case's own connection, and the check's, take a worker each too.
          .containsPattern("\\b20\\d of 300 opening handshakes got no answer within 10000 ms");
    }
    // The rest of the catalogue (all but the floods) cannot tell it: 100 workers are plenty.
    assertThat(failuresWith(Bug.FIXED_WORKER_POOL)).isEmpty();
  }

  @Test
  void conformingServerServesAFreshClientThroughTheConnectionFloods() throws Exception {
    try (StrictServer server = StrictServer.startWithLimit(1 << 20)) {
      EngineExecutionResults results =
          runFloods(Map.of("wsrobustness.uri", server.uri().toString()));
      assertThat(verdicts(results)).hasSize(7).allSatisfy((id, v) -> assertThat(v).isEqualTo("OK"));
    }
    assertThat(report())
        .containsPattern(
            "50 request heads of \\d+ bytes, a byte every 20 ms \\([\\d.]+ s each\\): 50 upgraded,"
                + " [\\d.\\u2013]+ m?s after the last byte");
  }

  @Test
  void serverThatTakesItsFirstReadForTheHeadFailsOnlyTheDribbledHeads() throws Exception {
    try (StrictServer server = StrictServer.startWithLimit(1 << 20, Bug.TAKES_FIRST_READ_AS_HEAD)) {
      // R8.7 alone: the other floods send their heads whole, and their hundreds of connections
      // would only add load beside the tests running in parallel.
      EngineExecutionResults results = runDribbledHeads(server);
      assertThat(failedCases(results)).containsExactly("R8.7");
      assertThat(failureOf(results, "R8.7").getMessage())
          .contains("R8.7 \u2014 50 request heads dribbled a byte every 20 ms: FAILED")
          .contains(
              "a request head sent a byte every 20 ms was answered 400 before it was whole: a"
                  + " server must read a head that comes in pieces to its end");
    }
    // Every other request comes in one write: the rest of the catalogue cannot tell.
    assertThat(failuresWith(Bug.TAKES_FIRST_READ_AS_HEAD)).isEmpty();
  }

  @Test
  void serverThatTimesOutSlowHeadsPassesTheDribbledHeads() throws Exception {
    // A guard against slow requests is the server's right: 408, or a drop, before the head is
    // whole.
    for (int status : new int[] {408, 0}) {
      try (StrictServer server =
          StrictServer.startWithLimit(1 << 20).headTimeout(Duration.ofSeconds(1), status)) {
        EngineExecutionResults results = runDribbledHeads(server);
        assertThat(verdicts(results)).as("status %d", status).containsExactly(entry("R8.7", "OK"));
      }
      assertThat(report())
          .containsPattern(
              "50 timed out"
                  + (status > 0 ? " \\[408\\]" : "")
                  + " before the head was whole, [\\d.\\u2013]+ m?s after the first byte");
    }
  }

  @Test
  void serverWedgedByAResetStopsServingAfterEachResetCase() {
    // Each case on a fresh server: once wedged, this server refuses every later case too.
    for (String id : ids("R5.9-11")) {
      try (StrictServer server = StrictServer.start(Bug.STOPS_ACCEPTING_ON_RESET)) {
        EngineExecutionResults results =
            run(
                ResetTestCases.class,
                Map.of(
                    "wsrobustness.uri",
                    server.uri().toString(),
                    "wsrobustness.catalogue.cases",
                    "1.1.1, " + id));
        Map<String, String> verdicts = verdicts(results);
        assertThat(verdicts).as(id).containsEntry("1.1.1", "OK");
        assertThat(verdicts.get(id)).as(id).startsWith("STOPPED SERVING");
      }
    }
  }

  @Test
  void serverThatNeverAnswersPingsFailsEveryCaseThatNeedsAPong() {
    // Its liveness is judged by a handshake: by the default ping, it would stop serving at once.
    try (StrictServer server = StrictServer.start(Bug.NO_PONG)) {
      NoPongTestCases.target = server.uri();
      EngineExecutionResults results = run(NoPongTestCases.class, Map.of());
      Map<String, String> verdicts = verdicts(results);
      assertThat(verdicts).hasSize(35);
      assertThat(failedCases(results))
          .containsExactlyElementsOf(ids("2.1-4", "2.6", "2.9-11", "5.6-8", "5.19-20"));
      // A probe without a pong does not stop a script: the fail-fast cases still get their verdict.
      for (String id : ids("6.4.1-4")) assertThat(verdicts).containsEntry(id, "OK");
      assertThat(failureOf(results, "2.1").getMessage())
          .startsWith("2.1 \u2014 ping, empty payload: FAILED")
          .contains("expected pong, 0 bytes, but the server sent nothing");
    }
  }

  @Test
  void serverThatEchoesInvalidUtf8FailsEveryInvalidUtf8Case() {
    List<String> expected = new java.util.ArrayList<>(INVALID_UTF8);
    expected.add("7.5.1"); // a close reason that is not UTF-8, accepted: the reply is 1000
    expected.add("R3.9-12"); // the same, cut, overlong, past U+10FFFF, a lone continuation
    assertThat(failuresWith(Bug.ECHOES_INVALID_UTF8)).containsExactlyElementsOf(ids(expected));
  }

  @Test
  void serverThatKeepsTcpOpenIsReportedButNotFailed() {
    // RFC 6455 §7.1.1: the server SHOULD close TCP first; Autobahn reports it beside the verdict.
    try (StrictServer server = StrictServer.start(Bug.KEEPS_TCP_OPEN)) {
      EngineExecutionResults results =
          run(
              CloseSectionTestCases.class,
              Map.of(
                  "wsrobustness.uri",
                  server.uri().toString(),
                  "wsrobustness.catalogue.closeTimeout",
                  "400ms"));
      assertThat(failedCases(results)).isEmpty();
      Map<String, String> verdicts = verdicts(results);
      assertThat(verdicts).hasSize(21).containsEntry("7.1.6", "INFORMATIONAL");
      verdicts.remove("7.1.6");
      assertThat(verdicts)
          .allSatisfy(
              (id, verdict) -> assertThat(verdict).isEqualTo("OK, close server did not drop TCP"));
    }
  }

  @Test
  void serverThatRepliesToACloseWithoutACodeFailsNoCase() {
    // RFC 6455 §5.5.1: the code of a close frame is optional.
    Map<String, String> verdicts = new HashMap<>();
    assertThat(failuresWith(Bug.EMPTY_CLOSE_REPLY, verdicts)).isEmpty();
    assertThat(verdicts).containsEntry("7.7.2", "OK").containsEntry("1.1.1", "OK");
  }

  @Test
  void serverThatMasksItsFramesFailsEveryCase() {
    // RFC 6455 §5.1: a server must not mask; every case gets at least the server's close frame.
    try (StrictServer server = StrictServer.start(Bug.MASKS_ITS_FRAMES)) {
      EngineExecutionResults results =
          run(CloseSectionTestCases.class, Map.of("wsrobustness.uri", server.uri().toString()));
      assertThat(failedCases(results)).hasSize(21);
      assertThat(failureOf(results, "7.1.1").getMessage())
          .startsWith(
              "7.1.1 \u2014 echo, then a close: FAILED\nthe server broke RFC 6455 itself: frame is"
                  + " masked; RFC 6455 §5.1 forbids a server to mask its frames");
    }
  }

  @Test
  void serverThatClosesOnItsOwnAfterAnEchoClosedFromTheWrongEndpoint() {
    Map<String, String> verdicts = new HashMap<>();
    // One case fails: in a burst of 10,000 messages, a close with 1000 after the first echo is
    // neither all the echoes nor a refusal (1008).
    assertThat(failuresWith(Bug.CLOSES_AFTER_ECHO, verdicts)).containsExactly("R8.2");
    assertThat(verdicts)
        .containsEntry("1.1.1", "OK, close wrong endpoint")
        .containsEntry("6.2.1", "OK, close wrong endpoint")
        .containsEntry("3.2", "OK, close wrong code");
  }

  @Test
  void serverThatDropsInsteadOfClosingFailsNoCase() {
    // RFC 6455 §7.1.7: failing the connection may be a plain TCP drop.
    Map<String, String> verdicts = new HashMap<>();
    assertThat(failuresWith(Bug.DROPS_WITHOUT_CLOSE, verdicts)).isEmpty();
    assertThat(verdicts).containsEntry("3.1", "OK, close dropped");
    assertThat(verdicts).containsEntry("6.20.1", "OK, close dropped");
    assertThat(verdicts).containsEntry("7.9.1", "OK, close dropped");
  }

  @Test
  void serverThatValidatesUtf8LateIsNonStrict() {
    Map<String, String> verdicts = new HashMap<>();
    assertThat(failuresWith(Bug.VALIDATES_UTF8_AT_MESSAGE_END, verdicts)).isEmpty();
    for (String id : ids("6.4.1-4")) assertThat(verdicts).containsEntry(id, "NON-STRICT");
    assertThat(verdicts).containsEntry("6.3.1", "OK");
  }

  @Test
  void serverThatStopsAcceptingIsStoppedServing() {
    try (StrictServer server = StrictServer.start(Bug.STOPS_ACCEPTING_ON_RSV)) {
      StopsServingTestCases.target = server.uri();
      EngineExecutionResults results = run(StopsServingTestCases.class, Map.of());
      Map<String, String> verdicts = verdicts(results);
      assertThat(verdicts).containsEntry("1.1.1", "OK");
      assertThat(verdicts.get("3.1")).as("%s", verdicts).startsWith("STOPPED SERVING");
      assertThat(failedCases(results)).containsExactly("3.1", "3.2");
      assertThat(failureOf(results, "3.1").getMessage())
          .startsWith("3.1 \u2014 text frame with RSV3 set: STOPPED SERVING")
          .contains("after this case a fresh client was refused");
    }
  }

  @Test
  void launchedServerThatExitsOnReservedBitsDiesInEveryRsvCaseAndIsRestarted() {
    String launch =
        JAVA + " -cp " + CLASS_PATH + " io.github.wsrobustness.StrictServer 0 EXITS_ON_RSV";
    EngineExecutionResults results =
        run(
            LaunchedTestCases.class,
            Map.of(
                "wsrobustness.launch",
                launch,
                "wsrobustness.launch.readyWhenOutputMatches",
                "ready on port (\\d+)"));
    Map<String, String> verdicts = verdicts(results);
    assertThat(failedCases(results)).containsExactlyElementsOf(ids("3.1-7"));
    for (String id : ids("3.1-7")) assertThat(verdicts.get(id)).startsWith("DIED");
    // Started again after each death: the cases after them run against a live server.
    assertThat(verdicts).containsEntry("1.1.1", "OK").containsEntry("4.1.1", "OK");
    assertThat(failureOf(results, "3.7").getMessage())
        .contains("the server process died during this case")
        .contains("exited with code 3")
        .contains("fatal: RSV bits set");
    assertThat(results.containerEvents().failed().count()).as("no death left unanswered").isZero();
  }

  @Test
  void serverThatIgnoresTheContextTakeoverFailsTheRoundTripsThatKeepIt() {
    try (StrictServer server = StrictServer.startWithLimit(1 << 20, Bug.IGNORES_CONTEXT_TAKEOVER)) {
      EngineExecutionResults results = runCompression(server);
      // 13.1's offer carries the hint client_no_context_takeover: its client keeps no context, so
      // the bug cannot show there (RFC 7692 §7.1.1.2).
      Set<String> keepingContext = new TreeSet<>(CatalogueVerdictTest::compareIds);
      keepingContext.addAll(COMPRESSED_ROUND_TRIPS);
      keepingContext.remove("13.1.4");
      assertThat(failedCases(results)).containsExactlyElementsOf(keepingContext);
      assertThat(failureOf(results, "12.1.4").getMessage())
          .contains("12.1.4 \u2014 1000 compressed text messages of 1 KiB: FAILED")
          .containsPattern("the server ended the connection after 1 of 5 echoes")
          .contains("the server closed with 1007");
    }
  }

  @Test
  void serverThatEchoesTheCompressedBytesFailsOnTheFirstEcho() {
    try (StrictServer server =
        StrictServer.startWithLimit(1 << 20, Bug.ECHOES_COMPRESSED_PAYLOAD)) {
      EngineExecutionResults results = runCompression(server);
      assertThat(failedCases(results)).containsExactlyElementsOf(COMPRESSED_ROUND_TRIPS);
      assertThat(failureOf(results, "12.2.11").getMessage())
          .contains(
              "echo 1 of 5 is not the message sent (binary message 1 of the bitmap sample, 8,192"
                  + " bytes): it is ");
    }
  }

  @Test
  void serverThatAcceptsBadOffersFailsTheNegotiationCasesOnly() {
    try (StrictServer server =
        StrictServer.startWithLimit(1 << 20, Bug.ACCEPTS_BAD_DEFLATE_OFFERS)) {
      EngineExecutionResults results = runCompression(server);
      // Its plain answer also leaves out the server_max_window_bits that 13.3–6 ask for, which
      // the client's own check of the answer fails (RFC 7692 §7.1.2.1).
      assertThat(failedCases(results))
          .containsExactlyElementsOf(ids("13.3.4", "13.4.4", "13.5.4", "13.6.4", "R10.7-10"));
      assertThat(failureOf(results, "13.3.4").getMessage())
          .contains(
              "the opening handshake failed: the client asked for server_max_window_bits=9, and"
                  + " the server's answer leaves it out");
      assertThat(failureOf(results, "R10.9").getMessage())
          .contains(
              "it upgraded accepting the offer it must decline: Sec-WebSocket-Extensions:"
                  + " permessage-deflate after ");
    }
  }

  @Test
  void conformingServerPassesEveryCompressionCaseWithItsFigures() throws Exception {
    try (StrictServer server = StrictServer.startWithLimit(1 << 20)) {
      EngineExecutionResults results = runCompression(server);
      assertThat(verdicts(results))
          .hasSize(COMPRESSED_ROUND_TRIPS.size() + 9)
          .allSatisfy((id, v) -> assertThat(v).isEqualTo("OK"));
    }
    assertThat(report())
        .contains(
            "agreed: permessage-deflate; server_no_context_takeover; server_max_window_bits=9")
        .containsPattern("5 of 5 messages \\(5,120 bytes\\) sent compressed to [\\d,]+ bytes");
  }

  @Test
  void serverThatDeclinesCompressionHasTheCompressedCasesNotRun() throws Exception {
    try (StrictServer server = StrictServer.startWithLimit(1 << 20).withoutCompression()) {
      EngineExecutionResults results = runCompression(server);
      Map<String, String> verdicts = verdicts(results);
      assertThat(failedCases(results)).isEmpty();
      Set<String> notRun = new TreeSet<>(CatalogueVerdictTest::compareIds);
      notRun.addAll(COMPRESSED_ROUND_TRIPS);
      notRun.addAll(ids("R10.2-5"));
      verdicts.forEach(
          (id, v) -> assertThat(v).as(id).isEqualTo(notRun.contains(id) ? "INFORMATIONAL" : "OK"));
    }
    assertThat(report())
        .contains(
            "not run: the server agreed to no permessage-deflate offer (its answer had no"
                + " Sec-WebSocket-Extensions)");
  }

  /** The round-trip cases of {@link CompressionTestCases}. */
  private static final Set<String> COMPRESSED_ROUND_TRIPS =
      ids(
          "12.1.4", "12.2.11", "12.3.4", "13.1.4", "13.2.4", "13.3.4", "13.4.4", "13.5.4", "13.6.4",
          "13.7.4");

  private EngineExecutionResults runCompression(StrictServer server) {
    return run(CompressionTestCases.class, Map.of("wsrobustness.uri", server.uri().toString()));
  }

  // -----------------------------------------------------------------------------------------------
  // Fixtures

  /**
   * All but the connection floods (R8.3, R8.4, R8.6 and R8.7), which the tests of {@link
   * #runFloods} prove: hundreds of connections beside this run would starve its fresh-client
   * checks.
   */
  @WebSocketRobustness
  @CatalogueCases(exclude = {"R8.3", "R8.4", "R8.6", "R8.7"})
  static class ConformingTestCases extends CatalogueFixture {
    @WebSocketTarget static URI target;
  }

  /**
   * Sections 1–7 and 10 and R1–R6 and R8–R10: section 9 sends megabytes (R9 is about size, at a
   * small limit, but R9.16 and R10.1 send 256 MiB past it, and are proven by ResourceVerdictTest);
   * R7 re-runs sections 1–7 split; R8.3, R8.4, R8.6 and R8.7 open hundreds of connections, and
   * sections 12 and 13 send thousands of messages: each is proven on its own.
   */
  @WebSocketRobustness(deadline = "2s")
  @CatalogueCases(
      exclude = {"9", "12", "13", "R7", "R8.3", "R8.4", "R8.6", "R8.7", "R9.16", "R10.1"})
  static class PlantedBugTestCases extends CatalogueFixture {}

  /**
   * permessage-deflate: a case of each offer of section 13, the payloads of section 12 in one frame
   * and in 256-byte frames, and R10, five messages a case.
   */
  @WebSocketRobustness(deadline = "2s")
  @CatalogueCases(
      value = {"12.1.4", "12.2.11", "12.3.4", "13.*.4", "R10"},
      exclude = "R10.1",
      compressionMessages = "5")
  static class CompressionTestCases extends CatalogueFixture {}

  /** The endings without a close, one at a time, against a server that serves one at a time. */
  @WebSocketRobustness(deadline = "3s", liveness = "handshake")
  @Execution(ExecutionMode.SAME_THREAD)
  @CatalogueCases({"1.1.1", "R5"})
  static class EndingTestCases extends CatalogueFixture {}

  /** The floods, connections and messages. */
  @WebSocketRobustness(deadline = "2s")
  @CatalogueCases("R8")
  static class FloodTestCases extends CatalogueFixture {}

  /** Waits for pongs that never come end at the deadline: the sections with pings keep it quick. */
  @WebSocketRobustness(deadline = "1s", liveness = "handshake")
  @CatalogueCases({"2", "5", "6.4"})
  static class NoPongTestCases extends CatalogueFixture {
    @WebSocketTarget static URI target;
  }

  /** Tests running at once each hand it their server as a configuration parameter of their run. */
  @WebSocketRobustness(deadline = "2s")
  @CatalogueCases({"7.1", "7.3", "7.9"})
  static class CloseSectionTestCases extends CatalogueFixture {}

  @WebSocketRobustness
  @CatalogueCases({"1.1.1", "3.1", "3.2"})
  @Execution(ExecutionMode.SAME_THREAD) // in catalogue order: 1.1.1 before the damage
  static class StopsServingTestCases extends CatalogueFixture {
    @WebSocketTarget static URI target;
  }

  @WebSocketRobustness(deadline = "2s")
  @Execution(ExecutionMode.SAME_THREAD) // in catalogue order: 1.1.1 before the damage
  static class ResetTestCases extends CatalogueFixture {}

  /** Sections 1–7 whole, and R7, the same split. */
  @WebSocketRobustness(deadline = "2s")
  @CatalogueCases({"1", "2", "3", "4", "5", "6", "7", "R7"})
  static class SplitTestCases extends CatalogueFixture {}

  @WebSocketRobustness
  @CatalogueCases({"1.1.1", "2.1", "3", "4.1.1"})
  @Execution(ExecutionMode.SAME_THREAD) // in catalogue order: each death, then a restart
  static class LaunchedTestCases extends CatalogueFixture {}

  // -----------------------------------------------------------------------------------------------
  // Helpers

  private Set<String> failuresWith(Bug bug) {
    return failuresWith(bug, new HashMap<>());
  }

  /**
   * Runs sections 1–7, 10, R1–R6, R8 and R9 against a server with {@code bug} and a 1 MiB message
   * limit; the failed ids, sorted.
   */
  private Set<String> failuresWith(Bug bug, Map<String, String> verdictsOut) {
    return failuresWith(bug, verdictsOut, Map.of());
  }

  /**
   * As {@link #failuresWith(Bug, Map)}, with more configuration; the server's message limit is 1
   * MiB, so that R9 sends little.
   */
  private Set<String> failuresWith(
      Bug bug, Map<String, String> verdictsOut, Map<String, String> configuration) {
    try (StrictServer server = StrictServer.startWithLimit(1 << 20, bug)) {
      Map<String, String> all = new HashMap<>(configuration);
      all.put("wsrobustness.uri", server.uri().toString());
      EngineExecutionResults results = run(PlantedBugTestCases.class, all);
      Map<String, String> verdicts = verdicts(results);
      assertThat(verdicts).as("verdicts with %s", bug).hasSize(348);
      verdictsOut.putAll(verdicts);
      return failedCases(results);
    }
  }

  /** R8.7 alone against {@code server}. */
  private EngineExecutionResults runDribbledHeads(StrictServer server) {
    return runFloods(
        Map.of(
            "wsrobustness.uri", server.uri().toString(), "wsrobustness.catalogue.cases", "R8.7"));
  }

  /** {@link FloodTestCases} with {@code configuration}, while no other flood runs. */
  private EngineExecutionResults runFloods(Map<String, String> configuration) {
    FLOODS.lock();
    try {
      return run(FloodTestCases.class, configuration);
    } finally {
      FLOODS.unlock();
    }
  }

  /** The catalogue's report of the last run, as JSON. */
  private String report() throws java.io.IOException {
    return java.nio.file.Files.readString(
        reports.resolve("report.json"), java.nio.charset.StandardCharsets.UTF_8);
  }

  private EngineExecutionResults run(Class<?> fixture, Map<String, String> configuration) {
    Map<String, String> all = new HashMap<>(configuration);
    all.put("wsrobustness.catalogue.report", reports.toString());
    // The servers here run in this JVM, beside other tests: its heap is no server's alone, and its
    // collections would pause the tests beside these. ResourceVerdictTest judges memory, alone.
    all.putIfAbsent("wsrobustness.catalogue.memoryBudget", "off");
    return TestKit.run(fixture, all);
  }

  /** The ids of the cases whose tests failed, in catalogue order. */
  static Set<String> failedCases(EngineExecutionResults results) {
    Set<String> ids = new TreeSet<>(CatalogueVerdictTest::compareIds);
    for (Event event : results.testEvents().finished().list()) {
      TestExecutionResult result = event.getRequiredPayload(TestExecutionResult.class);
      if (result.getStatus() != TestExecutionResult.Status.FAILED) continue;
      ids.add(id(event));
      printIfLoadSensitive(event, result);
    }
    return ids;
  }

  /**
   * Prints how a case's server stopped serving or died, or how a flood (R8) failed. These are what
   * load beside a run could fake (a fresh client starved of the machine, a wait outlasted), and the
   * run's report is a temporary directory: when an assertion on the failed ids then fails, this is
   * what the build log keeps.
   */
  private static void printIfLoadSensitive(Event event, TestExecutionResult result) {
    String message = result.getThrowable().map(Throwable::getMessage).orElse("");
    String summary = message.lines().findFirst().orElse("");
    boolean flood = summary.startsWith("R8.");
    if (!flood && !summary.endsWith("STOPPED SERVING") && !summary.endsWith("DIED")) return;
    String head =
        message
            .lines()
            .limit(4)
            .map(line -> line.length() > 400 ? line.substring(0, 400) + " …" : line)
            .collect(java.util.stream.Collectors.joining("\n  "));
    System.err.printf(
        "[CatalogueVerdictTest] %s at %s:%n  %s%n", id(event), java.time.Instant.now(), head);
  }

  /** The failure of case {@code id}'s test. */
  static Throwable failureOf(EngineExecutionResults results, String id) {
    return results.testEvents().finished().stream()
        .filter(e -> id(e).equals(id))
        .map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable())
        .flatMap(java.util.Optional::stream)
        .findFirst()
        .orElseThrow(() -> new AssertionError("case " + id + " did not fail"));
  }

  /** Each case's verdict summary, from its report entry. */
  static Map<String, String> verdicts(EngineExecutionResults results) {
    Map<String, String> verdicts = new TreeMap<>(CatalogueVerdictTest::compareIds);
    for (Event event : results.allEvents().list()) {
      if (event.getType() != EventType.REPORTING_ENTRY_PUBLISHED) continue;
      String verdict =
          event.getRequiredPayload(ReportEntry.class).getKeyValuePairs().get("verdict");
      if (verdict != null) verdicts.put(id(event), verdict);
    }
    return verdicts;
  }

  private static String id(Event event) {
    String name = event.getTestDescriptor().getDisplayName();
    int dash = name.indexOf(" \u2014 ");
    return dash < 0 ? name : name.substring(0, dash);
  }

  /** Ids from specs such as {@code 6.12.1-8} (a range of the last number), in catalogue order. */
  static Set<String> ids(String... specs) {
    return ids(List.of(specs));
  }

  static Set<String> ids(List<String> specs) {
    Set<String> ids = new TreeSet<>(CatalogueVerdictTest::compareIds);
    for (String spec : specs) {
      int dash = spec.indexOf('-');
      if (dash < 0) {
        ids.add(spec);
        continue;
      }
      int dot = spec.lastIndexOf('.', dash);
      String prefix = spec.substring(0, dot + 1);
      int from = Integer.parseInt(spec.substring(dot + 1, dash));
      int to = Integer.parseInt(spec.substring(dash + 1));
      for (int n = from; n <= to; n++) ids.add(prefix + n);
    }
    return ids;
  }

  /** {@code R9} before {@code R10}: the letters, then the number after them. */
  private static int compareFamilies(String a, String b) {
    String letters = "^[A-Za-z]+";
    int c = a.replaceAll("\\d+$", "").compareTo(b.replaceAll("\\d+$", ""));
    if (c != 0 || !a.matches(letters + "\\d+") || !b.matches(letters + "\\d+")) {
      return c != 0 ? c : a.compareTo(b);
    }
    return Integer.compare(
        Integer.parseInt(a.replaceAll(letters, "")), Integer.parseInt(b.replaceAll(letters, "")));
  }

  /** Catalogue order: numbers as numbers, and the project's own ids (R1.1 …) after Autobahn's. */
  static int compareIds(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      boolean xNumber = x[i].matches("\\d+");
      boolean yNumber = y[i].matches("\\d+");
      int c =
          xNumber && yNumber
              ? Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]))
              : xNumber != yNumber ? (xNumber ? -1 : 1) : compareFamilies(x[i], y[i]);
      if (c != 0) return c;
    }
    return Integer.compare(x.length, y.length);
  }
}
