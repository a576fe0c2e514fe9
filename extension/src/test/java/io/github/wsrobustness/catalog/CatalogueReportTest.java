package io.github.wsrobustness.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report from realistic results: every case of the catalogue on two targets with every verdict,
 * close verdict and waiver state, a missing pair, hostile text and an oversized transcript.
 */
class CatalogueReportTest {
  private static final String JETTY = "Jetty";
  // Quotes, markup and an ampersand in a name that ends up in attributes and headings.
  private static final String ODD = "Netty \"edge\" <&>";
  private static final String HOSTILE = "<script>alert(\"x\")</script> & 'quotes'";
  private static final String CONTROLS = "tab\tnewline\ncr\rnul\u0000bell\u0007del\u007f";
  private static final List<CatalogueCase> CASES = AutobahnCases.all();

  /** Index (into {@link #CASES}) of the case {@link #ODD} did not run. */
  private static final int NOT_RUN = 7;

  /** Index of the case whose transcript on {@link #ODD} is too big for the page. */
  private static final int BIG = 2;

  private static final List<CaseResult> RESULTS = results();

  private static List<CaseResult> results() {
    List<CaseResult> results = new ArrayList<>();
    for (int i = 0; i < CASES.size(); i++) {
      CatalogueCase testCase = CASES.get(i);
      Verdict jetty = i % 17 == 5 ? Verdict.FAILED : i % 10 == 3 ? Verdict.NON_STRICT : Verdict.OK;
      results.add(
          result(
              JETTY,
              testCase,
              new Judgement(
                  jetty,
                  jetty == Verdict.FAILED ? CloseVerdict.WRONG_CODE : CloseVerdict.CLEAN,
                  i == 1 ? HOSTILE : "as expected for " + testCase.id()),
              i % 4 == 0 ? OptionalInt.empty() : OptionalInt.of(1000 + i % 12),
              i == 0 ? transcript(testCase) + HOSTILE + "\n" + CONTROLS : transcript(testCase),
              null));
    }
    // The second target runs in reverse order: the matrix must not depend on the order of results.
    for (int i = CASES.size() - 1; i >= 0; i--) {
      if (i == NOT_RUN) continue;
      CatalogueCase testCase = CASES.get(i);
      Verdict verdict = Verdict.values()[i % Verdict.values().length];
      CloseVerdict close = CloseVerdict.values()[i % CloseVerdict.values().length];
      String waiver =
          verdict == Verdict.FAILED && i % 3 == 0
              ? "known bug #12: \"close code\" <1002>"
              : verdict == Verdict.OK && i % 5 == 0 ? "fixed in 4.2" : null;
      String transcript =
          i == BIG
              ? "HEAD-MARK\n" + transcript(testCase).repeat(4000) + "TAIL-MARK\n"
              : transcript(testCase);
      results.add(
          result(
              ODD,
              testCase,
              new Judgement(verdict, close, "server said " + CONTROLS),
              OptionalInt.of(1002),
              transcript,
              waiver));
    }
    return List.copyOf(results);
  }

  private static CaseResult result(
      String target,
      CatalogueCase testCase,
      Judgement judgement,
      OptionalInt closeCode,
      String transcript,
      String waiver) {
    return new CaseResult(
        target,
        testCase,
        judgement,
        closeCode,
        closeCode.isPresent() ? "bye \"now\"" : "",
        Duration.ofNanos(1_234_567L + testCase.id().hashCode() % 1000),
        List.of("send TEXT fin len=" + testCase.id().length(), "expect " + testCase.title()),
        transcript,
        waiver);
  }

  private static String transcript(CatalogueCase testCase) {
    return "     0 ms -- connected\n     1 ms >> TEXT fin len=3 \"abc\" (case "
        + testCase.id()
        + ")\n            81 03 61 62 63\n     2 ms << CLOSE fin len=2 code=1000\n";
  }

  private static Map<String, Element> cellsByPair(Document page) {
    Map<String, Element> cells = new HashMap<>();
    for (Element cell : page.select("td.cell")) {
      String key = cell.attr("data-case") + "|" + cell.attr("data-target");
      assertThat(cells.put(key, cell)).as("a second cell for %s", key).isNull();
    }
    return cells;
  }

  @Test
  void casesAreOrderedNumberByNumberAutobahnsFirst() {
    List<String> ids =
        new java.util.ArrayList<>(
            List.of("R10.1", "R9.16", "12.1.1", "R1.1", "9.7.6", "10.1.1", "13.7.18", "9.10.1"));
    ids.sort(CatalogueReport::compareIds);
    assertThat(ids)
        .containsExactly(
            "9.7.6", "9.10.1", "10.1.1", "12.1.1", "13.7.18", "R1.1", "R9.16", "R10.1");
  }

  @Test
  void everyPairHasExactlyOneCellWithItsVerdictAndClass() {
    Document page = Jsoup.parse(CatalogueReport.html(RESULTS, "Report"));
    Map<String, Element> cells = cellsByPair(page);

    assertThat(cells).hasSize(CASES.size() * 2);
    for (CaseResult result : RESULTS) {
      Element cell = cells.get(result.testCase().id() + "|" + result.target());
      assertThat(cell).as("%s on %s", result.testCase().id(), result.target()).isNotNull();
      String label = result.verdict().label();
      assertThat(cell.attr("data-verdict")).isEqualTo(label);
      assertThat(cell.classNames())
          .contains("cell", "v-" + label.toLowerCase(Locale.ROOT).replaceAll("[ -]", "-"));
      assertThat(cell.attr("title")).contains(result.judgement().reason().substring(0, 6));
      assertThat(cell.text()).startsWith(label);
    }
    Element missing = cells.get(CASES.get(NOT_RUN).id() + "|" + ODD);
    assertThat(missing.classNames()).contains("cell", "not-run");
    assertThat(missing.attr("data-verdict")).isEmpty();
    assertThat(missing.text()).isEmpty();
    assertThat(missing.attr("title")).isEqualTo("not run");
  }

  @Test
  void longRunsOfEqualItemsAreShownOnceWithACount() {
    assertThat(CatalogueReport.collapseRepeats("The server sends back a; a; a; b; c; c; then x"))
        .isEqualTo("The server sends back a (3 times); b; c; c; then x");
    assertThat(CatalogueReport.collapseRepeats("x; y; y; y; y")).isEqualTo("x; y (4 times)");
    assertThat(CatalogueReport.collapseRepeats("one; two")).isEqualTo("one; two");
    CatalogueCase thousand =
        CASES.stream().filter(c -> c.id().equals("9.8.5")).findFirst().orElseThrow();
    String described = thousand.expectation().describe();
    String collapsed = CatalogueReport.collapseRepeats(described);
    assertThat(collapsed.length()).isLessThan(400).isLessThan(described.length() / 50);
    assertThat(collapsed).startsWith("The server sends back ").contains(" times)");
  }

  @Test
  void htmlEscapingKeepsEveryCharacterVisibleAndParseable() {
    assertThat(CatalogueReport.escape("<a href='x'>&\"</a>"))
        .isEqualTo("&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
    assertThat(CatalogueReport.escape("a\r\nb\rc\u0001\u0085\ud800\uffff\ufdd0\ud83d\ude00"))
        .isEqualTo("a\nb\nc\u2401\ufffd\ufffd&#xFFFF;&#xFDD0;\ud83d\ude00");
  }

  @Test
  void classesAreTheLabelsInLowerCaseWithHyphens() {
    assertThat(CatalogueReport.verdictClass(Verdict.NON_STRICT)).isEqualTo("v-non-strict");
    assertThat(CatalogueReport.verdictClass(Verdict.STOPPED_SERVING))
        .isEqualTo("v-stopped-serving");
    assertThat(CatalogueReport.verdictClass(Verdict.OK)).isEqualTo("v-ok");
  }

  @Test
  void cellsShowTheCloseVerdictAndWaiverMarks() {
    Map<String, Element> cells = cellsByPair(Jsoup.parse(CatalogueReport.html(RESULTS, "R")));
    for (CaseResult result : RESULTS) {
      Element cell = cells.get(result.testCase().id() + "|" + result.target());
      // What the one-line summary says, and the same close verdicts left out as "fine".
      String expected = result.verdict().label();
      CloseVerdict close = result.judgement().close();
      if (close != CloseVerdict.CLEAN && close != CloseVerdict.NOT_CHECKED) {
        expected += " close " + close.label();
      }
      if (result.waiver() != null) expected += result.isWaiverStale() ? " stale waiver" : " waived";
      assertThat(cell.text()).as(result.summary()).isEqualTo(expected);
    }
    assertThat(cells.values())
        .extracting(Element::text)
        .anyMatch(t -> t.endsWith(" waived"))
        .anyMatch(t -> t.endsWith(" stale waiver"))
        .anyMatch(t -> t.contains("close wrong code"));
  }

  @Test
  void rowsFollowTheCatalogueGroupedBySectionWithCountsPerTarget() {
    Document page = Jsoup.parse(CatalogueReport.html(RESULTS, "Report"));

    assertThat(page.select("#matrix thead th.target").eachText()).containsExactly(JETTY, ODD);
    assertThat(page.select("tr.case").eachAttr("data-case"))
        .containsExactlyElementsOf(CASES.stream().map(CatalogueCase::id).toList());

    Map<String, List<CatalogueCase>> sections = new LinkedHashMap<>();
    for (CatalogueCase c : CASES) {
      sections.computeIfAbsent(c.section().top(), k -> new ArrayList<>()).add(c);
    }
    List<Element> sectionRows = page.select("tr.section");
    assertThat(sectionRows).hasSize(sections.size());
    int row = 0;
    for (Map.Entry<String, List<CatalogueCase>> section : sections.entrySet()) {
      Element sectionRow = sectionRows.get(row++);
      assertThat(sectionRow.selectFirst("th").text()).isEqualTo(section.getKey());
      // The section's cases are the rows of its group, right after its header.
      assertThat(sectionRow.parent().select("tr.case").eachAttr("data-case"))
          .containsExactlyElementsOf(section.getValue().stream().map(CatalogueCase::id).toList());
      for (String target : List.of(JETTY, ODD)) {
        Map<String, Integer> expected = new HashMap<>();
        for (CatalogueCase c : section.getValue()) {
          CaseResult result = find(c, target);
          expected.merge(result == null ? "" : result.verdict().label(), 1, Integer::sum);
        }
        Element counts =
            sectionRow.select("td.counts").stream()
                .filter(td -> td.attr("data-target").equals(target))
                .findFirst()
                .orElseThrow();
        Map<String, Integer> shown = new HashMap<>();
        for (Element count : counts.select("[data-verdict]")) {
          int n = Integer.parseInt(count.attr("data-count"));
          shown.put(count.attr("data-verdict"), n);
          String label =
              count.attr("data-verdict").isEmpty() ? "not run" : count.attr("data-verdict");
          assertThat(count.text()).isEqualTo(label + " " + n);
        }
        assertThat(shown).as("%s on %s", section.getKey(), target).isEqualTo(expected);
      }
    }
    assertThat(page.select("tr.subsection th").eachText()).contains("1.1 Text messages");
  }

  @Test
  void theSummaryCountsEachTargetsVerdicts() {
    Document page = Jsoup.parse(CatalogueReport.html(RESULTS, "Report"));
    for (String target : List.of(JETTY, ODD)) {
      Map<Verdict, Integer> expected = new EnumMap<>(Verdict.class);
      for (CaseResult r : RESULTS) {
        if (r.target().equals(target)) expected.merge(r.verdict(), 1, Integer::sum);
      }
      Element row =
          page.select("table.summary tbody tr").stream()
              .filter(tr -> tr.attr("data-target").equals(target))
              .findFirst()
              .orElseThrow();
      Map<String, String> shown = new HashMap<>();
      for (Element td : row.select("td[data-verdict]")) {
        shown.put(td.attr("data-verdict"), td.text());
      }
      for (Verdict verdict : Verdict.values()) {
        assertThat(shown.get(verdict.label()))
            .isEqualTo(Integer.toString(expected.getOrDefault(verdict, 0)));
      }
      assertThat(shown.get("")).isEqualTo(target.equals(ODD) ? "1" : "0");
    }
    assertThat(page.select(".legend .swatch").eachText())
        .contains("OK", "NON-STRICT", "STOPPED SERVING", "not run");
  }

  @Test
  void thePageLoadsNothingFromOutside() {
    String html = CatalogueReport.html(RESULTS, "Report");
    Document page = Jsoup.parse(html);

    assertThat(page.select("[src]")).isEmpty();
    assertThat(page.select("link, img, iframe, object, embed, script[src], base")).isEmpty();
    assertThat(page.select("[href]").eachAttr("href"))
        .isNotEmpty()
        .allMatch(h -> h.startsWith("#"));
    // Every in-page link lands somewhere, except the one that closes a detail by targeting nothing.
    for (String href : page.select("[href]").eachAttr("href")) {
      if (!href.equals("#_"))
        assertThat(page.getElementById(href.substring(1))).as(href).isNotNull();
    }
    String style = page.select("style").html();
    assertThat(style).isNotBlank().doesNotContain("@import").doesNotContain("url(");
    assertThat(page.select("script")).hasSize(1);
    assertThat(page.select("script").html()).doesNotContain("http").doesNotContain("fetch(");
    assertThat(html).doesNotContainIgnoringCase("http://").doesNotContainIgnoringCase("https://");
  }

  @Test
  void textFromResultsIsEscaped() {
    Document page = Jsoup.parse(CatalogueReport.html(RESULTS, "<b>title</b>"));

    assertThat(page.select("script")).hasSize(1);
    assertThat(page.select("b")).isEmpty();
    assertThat(page.title()).isEqualTo("<b>title</b>");
    String first = CASES.get(0).id();
    Element detail = detailOf(page, first, JETTY);
    assertThat(detail.selectFirst("pre").wholeText()).contains(HOSTILE);
    // Controls stay visible as their Unicode pictures instead of vanishing or breaking the page.
    assertThat(detail.selectFirst("pre").wholeText()).contains("nul\u2400bell\u2407del\u2421");
    Element hostileReason = cellsByPair(page).get(CASES.get(1).id() + "|" + JETTY);
    assertThat(hostileReason.attr("title")).contains(HOSTILE);
    assertThat(page.select("th.target").eachText()).contains(ODD);
    assertThat(page.select("td.counts").eachAttr("data-target")).contains(ODD);
  }

  @Test
  void eachCellOpensItsCasesDetails() {
    Document page = Jsoup.parse(CatalogueReport.html(RESULTS, "Report"));
    Map<String, Element> cells = cellsByPair(page);
    for (CaseResult result : RESULTS) {
      Element cell = cells.get(result.testCase().id() + "|" + result.target());
      String href = cell.selectFirst("a").attr("href");
      Element detail = page.getElementById(href.substring(1));
      assertThat(detail).isNotNull();
      assertThat(detail.attr("data-case")).isEqualTo(result.testCase().id());
      assertThat(detail.attr("data-target")).isEqualTo(result.target());
      String text = detail.text();
      assertThat(text)
          .contains(result.testCase().description())
          .contains(result.testCase().rfc())
          .contains(CatalogueReport.collapseRepeats(result.testCase().expectation().describe()))
          .contains(result.script().get(1));
      if (result.closeCode().isPresent()) {
        assertThat(text).contains("code " + result.closeCode().getAsInt(), "bye \"now\"");
      }
      if (result.waiver() != null) assertThat(text).contains(result.waiver());
      if (result.testCase() != CASES.get(BIG)) {
        assertThat(detail.selectFirst("pre").wholeText())
            .isEqualTo(
                result
                    .transcript()
                    .replace("\r", "\n")
                    .replace("\u0000", "\u2400")
                    .replace("\u0007", "\u2407")
                    .replace("\u007f", "\u2421"));
      }
    }
    assertThat(page.select("section.detail")).hasSize(RESULTS.size());
  }

  @Test
  void longTranscriptsAreCutOnThePage() {
    Document page = Jsoup.parse(CatalogueReport.html(RESULTS, "Report"));
    Element detail = detailOf(page, CASES.get(BIG).id(), ODD);
    String shown = detail.selectFirst("pre").wholeText();
    String whole = find(CASES.get(BIG), ODD).transcript();

    assertThat(whole.length()).isGreaterThan(CatalogueReport.PAGE_TRANSCRIPT_MAX);
    assertThat(shown.length())
        .isLessThanOrEqualTo(
            CatalogueReport.PAGE_TRANSCRIPT_HEAD + CatalogueReport.PAGE_TRANSCRIPT_TAIL + 100);
    assertThat(shown).startsWith("HEAD-MARK\n").endsWith("TAIL-MARK\n").contains("bytes left out");
    assertThat(detail.select("p.note").text()).contains("16 KiB", "32 KiB", "JSON");
    // The cut is at line ends on both sides and says exactly how much went.
    String[] parts = shown.split("\u2026 [0-9,]+ bytes left out \u2026\n", -1);
    assertThat(parts).hasSize(2);
    assertThat(parts[0]).endsWith("\n");
    assertThat(whole).startsWith(parts[0]).endsWith(parts[1]);
    assertThat(whole.charAt(whole.length() - parts[1].length() - 1)).isEqualTo('\n');
    long leftOut =
        Long.parseLong(
            shown.replaceAll("(?s).*\u2026 ([0-9,]+) bytes left out.*", "$1").replace(",", ""));
    assertThat(leftOut + parts[0].length() + parts[1].length()).isEqualTo(whole.length());

    CatalogueReport.PageTranscript small = CatalogueReport.pageTranscript("abc\n");
    assertThat(small.text()).isEqualTo("abc\n");
    assertThat(small.leftOut()).isZero();
  }

  @Test
  void cutsCountUtf8BytesAndKeepSurrogatePairsWhole() {
    String line = "\ud83d\ude00\u00e9x\n"; // 4 + 2 + 1 + 1 = 8 bytes
    String transcript = line.repeat(20_000);
    CatalogueReport.PageTranscript cut = CatalogueReport.pageTranscript(transcript);

    assertThat(cut.bytes()).isEqualTo(160_000);
    String[] parts = cut.text().split("\u2026 [0-9,]+ bytes left out \u2026\n", -1);
    assertThat(parts[0]).isEqualTo(line.repeat(CatalogueReport.PAGE_TRANSCRIPT_HEAD / 8));
    assertThat(parts[1]).isEqualTo(line.repeat(CatalogueReport.PAGE_TRANSCRIPT_TAIL / 8));
    assertThat(cut.leftOut()).isEqualTo(160_000 - 16 * 1024 - 32 * 1024);
  }

  @Test
  void jsonHoldsEveryResultWithItsTextIntact() {
    Instant generated = Instant.parse("2025-01-02T03:04:05.678Z");
    String json = CatalogueReport.json(RESULTS, generated);

    assertThat(json).startsWith("{").contains("\"generated\": \"2025-01-02T03:04:05.678Z\"");
    assertThat(json).contains("\"targets\": [\"Jetty\", \"Netty \\\"edge\\\" <&>\"]");
    assertThat(json.split("\"id\":", -1)).hasSize(RESULTS.size() + 1);
    assertThat(json)
        .contains("\"closeCode\": null")
        .contains("\"closeCode\": 1002")
        .contains("\"waiver\": null")
        .contains("\"waiver\": \"known bug #12: \\\"close code\\\" <1002>\"")
        .contains("\"staleWaiver\": true")
        .contains("\"failsTest\": true")
        .contains("\"failsTest\": false")
        .contains("\"verdict\": \"STOPPED SERVING\"")
        .contains("\"close\": \"server did not drop TCP\"")
        .contains("tab\\tnewline\\ncr\\rnul\\u0000bell\\u0007del\\u007f")
        .contains("<script>alert(\\\"x\\\")</script>");
    // Nothing but escapes: no raw control character anywhere in the document's strings.
    assertThat(json.replace("\n", "")).doesNotContainPattern("[\\x00-\\x1f\\x7f]");

    @SuppressWarnings("unchecked")
    Map<String, Object> document = (Map<String, Object>) new MiniJson(json).parse();
    assertThat(document.get("targets")).isEqualTo(List.of(JETTY, ODD));
    List<?> cases = (List<?>) document.get("cases");
    assertThat(cases).hasSize(RESULTS.size());
    for (int i = 0; i < RESULTS.size(); i++) {
      CaseResult result = RESULTS.get(i);
      Map<?, ?> c = (Map<?, ?>) cases.get(i);
      assertThat(c.get("target")).isEqualTo(result.target());
      assertThat(c.get("id")).isEqualTo(result.testCase().id());
      assertThat(c.get("section")).isEqualTo(result.testCase().section().id());
      assertThat(c.get("sectionName")).isEqualTo(result.testCase().section().name());
      assertThat(c.get("title")).isEqualTo(result.testCase().title());
      assertThat(c.get("rfc")).isEqualTo(result.testCase().rfc());
      assertThat(c.get("description")).isEqualTo(result.testCase().description());
      assertThat(c.get("expectation")).isEqualTo(result.testCase().expectation().describe());
      assertThat(c.get("verdict")).isEqualTo(result.verdict().label());
      assertThat(c.get("close")).isEqualTo(result.judgement().close().label());
      assertThat(c.get("reason")).isEqualTo(result.judgement().reason());
      assertThat(c.get("closeCode"))
          .isEqualTo(
              result.closeCode().isPresent()
                  ? new BigDecimal(result.closeCode().getAsInt())
                  : null);
      assertThat(c.get("closeReason")).isEqualTo(result.closeReason());
      assertThat((BigDecimal) c.get("durationMillis"))
          .isEqualByComparingTo(BigDecimal.valueOf(result.duration().toNanos(), 6));
      assertThat(c.get("waiver")).isEqualTo(result.waiver());
      assertThat(c.get("staleWaiver")).isEqualTo(result.isWaiverStale());
      assertThat(c.get("failsTest")).isEqualTo(result.failsTest());
      assertThat(c.get("script")).isEqualTo(result.script());
      assertThat(c.get("transcript")).isEqualTo(result.transcript());
    }
  }

  @Test
  void jsonEscapesLineSeparatorsAndLoneSurrogates() {
    StringBuilder out = new StringBuilder();
    CatalogueReport.jsonString(out, "a\u2028b\u2029c\ud800d\udc00e\ud83d\ude00\\\"\b\f");
    assertThat(out.toString())
        .isEqualTo("\"a\\u2028b\\u2029c\\ud800d\\udc00e\ud83d\ude00\\\\\\\"\\b\\f\"");
    assertThat(CatalogueReport.json(List.of(), Instant.EPOCH))
        .isEqualTo(
            "{\n  \"generated\": \"1970-01-01T00:00:00Z\",\n  \"targets\": [],\n  \"cases\": []\n}\n");
  }

  @Test
  void theMarkdownSummaryCountsEachSectionPerTarget() {
    List<CaseResult> two = new java.util.ArrayList<>();
    for (CatalogueCase c : CASES) {
      if (!c.section().topId().equals("2")) continue;
      Verdict bad = c.id().equals("2.5") ? Verdict.FAILED : Verdict.OK;
      two.add(okOr(JETTY, c, Verdict.OK, null));
      two.add(okOr("Node | ws", c, bad, c.id().equals("2.5") ? "known" : null));
    }
    two.add(okOr(JETTY, CASES.get(0), Verdict.NON_STRICT, null));
    assertThat(CatalogueReport.markdown(two))
        .isEqualTo(
            "| Section | Jetty | Node \\| ws |\n"
                + "|---|---|---|\n"
                + "| 1 Framing | NON-STRICT 1 | not run |\n"
                + "| 2 Pings and pongs | OK 11 | OK 10, FAILED 1 (1 waived) |\n"
                + "| **all** | **OK 11, NON-STRICT 1** | **OK 10, FAILED 1 (1 waived)** |\n"
                + "\n"
                + "- Jetty: NON-STRICT 1.1.1.\n"
                + "- Node \\| ws: FAILED 2.5.\n");
  }

  private static CaseResult okOr(String target, CatalogueCase c, Verdict verdict, String waiver) {
    return result(
        target,
        c,
        new Judgement(verdict, CloseVerdict.CLEAN, "why"),
        OptionalInt.empty(),
        "",
        waiver);
  }

  @Test
  void anEmptyRunStillMakesAPage() {
    Document page = Jsoup.parse(CatalogueReport.html(List.of(), "Nothing"));
    assertThat(page.select("td.cell")).isEmpty();
    assertThat(page.select("#summary").text()).contains("No results");
  }

  @Test
  void writeMakesTheFilesInANewDirectory(@TempDir Path temp) throws Exception {
    // A lone surrogate has no UTF-8 form: written raw it would make the writer throw.
    CaseResult odd =
        result(
            JETTY,
            CASES.get(0),
            new Judgement(Verdict.OK, CloseVerdict.CLEAN, "half a pair: \ud800"),
            OptionalInt.empty(),
            "\udc00",
            null);
    Path directory = temp.resolve("reports/catalogue");
    Path page = CatalogueReport.write(List.of(odd, RESULTS.get(5)), directory);

    assertThat(page).isEqualTo(directory.resolve("index.html")).isRegularFile();
    assertThat(directory.resolve("report.json")).isRegularFile();
    assertThat(directory.resolve("summary.md")).isRegularFile();
    String html = Files.readString(page, StandardCharsets.UTF_8);
    String json = Files.readString(directory.resolve("report.json"), StandardCharsets.UTF_8);
    assertThat(html).startsWith("<!DOCTYPE html>").contains("half a pair: \ufffd");
    assertThat(json).contains("half a pair: \\ud800").contains("\"transcript\": \"\\udc00\"");
    String generated = json.replaceAll("(?s).*\"generated\": \"([^\"]+)\".*", "$1");
    assertThat(html).contains("datetime=\"" + generated + "\"");
  }

  private static Element detailOf(Document page, String caseId, String target) {
    Element cell = cellsByPair(page).get(caseId + "|" + target);
    return page.getElementById(cell.selectFirst("a").attr("href").substring(1));
  }

  private static CaseResult find(CatalogueCase testCase, String target) {
    return RESULTS.stream()
        .filter(r -> r.testCase() == testCase && r.target().equals(target))
        .findFirst()
        .orElse(null);
  }

  /**
   * Just enough of a strict JSON parser (RFC 8259) to read the report back: objects, arrays,
   * strings with every escape, numbers as BigDecimal, booleans and null. It rejects anything else,
   * raw control characters in strings included, so a round trip checks the syntax too.
   */
  private static final class MiniJson {
    private final String text;
    private int at;

    MiniJson(String text) {
      this.text = text;
    }

    Object parse() {
      Object value = value();
      space();
      if (at != text.length()) throw error("trailing text");
      return value;
    }

    private Object value() {
      space();
      if (at >= text.length()) throw error("end of text");
      char c = text.charAt(at);
      return switch (c) {
        case '{' -> object();
        case '[' -> array();
        case '"' -> string();
        default -> literal();
      };
    }

    private Object literal() {
      if (text.startsWith("true", at)) return word("true", Boolean.TRUE);
      if (text.startsWith("false", at)) return word("false", Boolean.FALSE);
      if (text.startsWith("null", at)) return word("null", null);
      return number();
    }

    private Object word(String word, Object value) {
      at += word.length();
      return value;
    }

    private Map<String, Object> object() {
      Map<String, Object> object = new LinkedHashMap<>();
      at++;
      space();
      if (text.charAt(at) == '}') {
        at++;
        return object;
      }
      while (true) {
        space();
        if (text.charAt(at) != '"') throw error("key");
        String key = string();
        space();
        expect(':');
        if (object.containsKey(key)) throw error("duplicate key " + key);
        object.put(key, value());
        space();
        if (text.charAt(at) == ',') {
          at++;
        } else {
          expect('}');
          return object;
        }
      }
    }

    private List<Object> array() {
      List<Object> array = new ArrayList<>();
      at++;
      space();
      if (text.charAt(at) == ']') {
        at++;
        return array;
      }
      while (true) {
        array.add(value());
        space();
        if (text.charAt(at) == ',') {
          at++;
        } else {
          expect(']');
          return array;
        }
      }
    }

    private String string() {
      expect('"');
      StringBuilder out = new StringBuilder();
      while (true) {
        char c = text.charAt(at++);
        if (c == '"') return out.toString();
        if (c < 0x20) throw error("raw control character");
        if (c != '\\') {
          out.append(c);
          continue;
        }
        char e = text.charAt(at++);
        switch (e) {
          case '"', '\\', '/' -> out.append(e);
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'u' -> {
            out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
            at += 4;
          }
          default -> throw error("escape \\" + e);
        }
      }
    }

    private BigDecimal number() {
      int start = at;
      while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) at++;
      String number = text.substring(start, at);
      if (!number.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
        throw error("number " + number);
      }
      return new BigDecimal(number);
    }

    private void expect(char c) {
      if (at >= text.length() || text.charAt(at) != c) throw error("expected " + c);
      at++;
    }

    private void space() {
      while (at < text.length() && " \t\n\r".indexOf(text.charAt(at)) >= 0) at++;
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException(what + " at " + at);
    }
  }
}
