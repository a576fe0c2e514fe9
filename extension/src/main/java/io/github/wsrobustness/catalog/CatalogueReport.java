package io.github.wsrobustness.catalog;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The report of a catalogue run, made from its {@link CaseResult}s: a JSON document for tools and
 * one self-contained HTML page for people. The page is Autobahn|Testsuite's at-a-glance matrix
 * (cases down, targets across, a colour per verdict) with a summary per target, a legend, section
 * totals and, one click from each cell, everything known about that case on that target: what the
 * client sent, the RFC 6455 clause it checks, what a conforming server does, what this one did, the
 * script and the transcript.
 *
 * <p>The page loads nothing: its style and its small script are inline, so it opens from {@code
 * file://}, from a CI artifact or from an e-mail alike, and the matrix and the details work with
 * JavaScript off (details open through in-page anchors and CSS {@code :target}); the script only
 * adds the filters. Every text that comes from a result is escaped, since a transcript holds
 * whatever a server chose to send. A transcript longer than {@value #PAGE_TRANSCRIPT_MAX} bytes is
 * cut on the page (the JSON keeps it whole).
 *
 * <p>Tools and tests find their way by stable hooks rather than by layout: each case cell is a
 * {@code <td class="cell v-ok" data-case="1.1.1" data-target="Jetty" data-verdict="OK">} (the class
 * is {@code v-} and the verdict's label in lower case with hyphens, such as {@code
 * v-stopped-serving}; a pair that was not run is {@code class="cell not-run"} with an empty {@code
 * data-verdict}); each section's {@code <tr class="section">} holds a {@code
 * td.counts[data-target]} per target with one {@code span[data-verdict][data-count]} per verdict
 * present; each case row is a {@code tr.case[data-case]}; the summary has one {@code
 * tr[data-target]} per target.
 *
 * <p>Thread-safety: stateless; every method may be called from any thread. The list handed in is
 * copied first, and must not change while it is copied.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6455">RFC 6455, The WebSocket Protocol</a>
 */
public final class CatalogueReport {
  /** Transcripts longer than this many UTF-8 bytes are cut on the page. */
  static final int PAGE_TRANSCRIPT_MAX = 64 * 1024;

  /** How many bytes of the start of a cut transcript the page keeps: the handshake and setup. */
  static final int PAGE_TRANSCRIPT_HEAD = 16 * 1024;

  /** How many bytes of the end of a cut transcript the page keeps: where the case was decided. */
  static final int PAGE_TRANSCRIPT_TAIL = 32 * 1024;

  /** Longer texts in a detail (other than the transcript) are cut to this many characters. */
  static final int PAGE_TEXT_MAX = 8 * 1024;

  /** Runs at least this long of one item in a "; " list are shown once, with a count. */
  static final int REPEAT_RUN_MIN = 3;

  /** The JSON file {@link #write} makes. */
  static final String JSON_FILE = "report.json";

  /** The page {@link #write} makes. */
  static final String HTML_FILE = "index.html";

  /** The name of the Markdown summary {@link #write} puts beside them. */
  static final String MARKDOWN_FILE = "summary.md";

  /** The title of the page {@link #write} makes. */
  static final String DEFAULT_TITLE = "WebSocket Robustness: RFC 6455 conformance";

  private CatalogueReport() {}

  /**
   * The results as a JSON document: {@code generated} (an ISO-8601 instant), {@code targets} (in
   * the order they first appear) and {@code cases}, one object per result in the order given, with
   * the case ({@code id}, {@code section}, {@code sectionName}, {@code title}, {@code rfc}, {@code
   * description}, {@code expectation}), the judgement ({@code verdict}, {@code close}, {@code
   * reason}), the close frame ({@code closeCode}, null for none, and {@code closeReason}), {@code
   * durationMillis}, {@code waiver} (or null), {@code staleWaiver}, {@code failsTest}, {@code
   * script} and the whole {@code transcript}.
   *
   * @param results the results, any number of targets
   * @return the JSON text
   */
  public static String json(List<CaseResult> results) {
    return json(List.copyOf(results), now());
  }

  /**
   * The results as one HTML page that needs nothing else: the summary per target, the legend and
   * the matrix of verdicts, each cell opening the details of its case on its target. Cases are in
   * the natural order of their ids; when a (case, target) pair comes more than once, the last
   * result is the one shown.
   *
   * @param results the results, any number of targets
   * @param title the page's title and heading
   * @return the HTML text
   */
  public static String html(List<CaseResult> results, String title) {
    Objects.requireNonNull(title, "title");
    return new Page(Matrix.of(List.copyOf(results)), title, now()).render();
  }

  /**
   * Writes {@value #JSON_FILE}, {@value #HTML_FILE} and {@value #MARKDOWN_FILE} (UTF-8) into {@code
   * directory}, creating it as needed; the first two carry the same generation time.
   *
   * @param results the results, any number of targets
   * @param directory where the files go
   * @return the path of the page
   * @throws IOException if the directory or a file cannot be written
   */
  public static Path write(List<CaseResult> results, Path directory) throws IOException {
    List<CaseResult> copy = List.copyOf(results);
    Instant generated = now();
    Files.createDirectories(directory);
    Files.writeString(directory.resolve(JSON_FILE), json(copy, generated), StandardCharsets.UTF_8);
    Files.writeString(directory.resolve(MARKDOWN_FILE), markdown(copy), StandardCharsets.UTF_8);
    Path page = directory.resolve(HTML_FILE);
    Files.writeString(
        page, new Page(Matrix.of(copy), DEFAULT_TITLE, generated).render(), StandardCharsets.UTF_8);
    return page;
  }

  /**
   * A Markdown table for a README or a pull request: top sections down, targets across, each cell
   * the counts of the verdicts that occurred ({@code OK 16}, {@code OK 14, FAILED 2 (2 waived)}), a
   * total row, then for each target the cases that were not OK or INFORMATIONAL, by verdict.
   *
   * @param results the results, any number of targets
   * @return the Markdown text
   */
  public static String markdown(List<CaseResult> results) {
    Matrix matrix = Matrix.of(List.copyOf(results));
    StringBuilder out = new StringBuilder("| Section |");
    for (String target : matrix.targets())
      out.append(' ').append(markdownCell(target)).append(" |");
    out.append("\n|---|");
    out.append("---|".repeat(matrix.targets().size())).append('\n');
    Map<String, List<CatalogueCase>> all = new LinkedHashMap<>();
    for (Map.Entry<String, List<Integer>> section : matrix.sections().entrySet()) {
      List<CatalogueCase> cases = new ArrayList<>();
      for (int i : section.getValue()) cases.add(matrix.cases().get(i));
      all.put(section.getKey(), cases);
    }
    for (Map.Entry<String, List<CatalogueCase>> section : all.entrySet()) {
      out.append("| ").append(markdownCell(section.getKey())).append(" |");
      for (String target : matrix.targets()) {
        out.append(' ').append(counts(matrix, section.getValue(), target)).append(" |");
      }
      out.append('\n');
    }
    out.append("| **all** |");
    for (String target : matrix.targets()) {
      out.append(" **").append(counts(matrix, matrix.cases(), target)).append("** |");
    }
    out.append('\n');
    for (String target : matrix.targets()) {
      Map<Verdict, List<String>> notable = new java.util.EnumMap<>(Verdict.class);
      for (CatalogueCase c : matrix.cases()) {
        CaseResult result = matrix.result(c, target);
        if (result == null) continue;
        Verdict verdict = result.verdict();
        if (verdict == Verdict.OK || verdict == Verdict.INFORMATIONAL) continue;
        notable.computeIfAbsent(verdict, k -> new ArrayList<>()).add(c.id());
      }
      if (notable.isEmpty()) continue;
      out.append("\n- ").append(markdownCell(target)).append(':');
      notable.forEach(
          (verdict, ids) ->
              out.append(' ')
                  .append(verdict.label())
                  .append(' ')
                  .append(String.join(", ", ids))
                  .append(';'));
      out.setLength(out.length() - 1);
      out.append('.');
    }
    return out.append('\n').toString();
  }

  private static String counts(Matrix matrix, List<CatalogueCase> cases, String target) {
    Map<Verdict, Integer> counts = new java.util.EnumMap<>(Verdict.class);
    int waived = 0;
    for (CatalogueCase c : cases) {
      CaseResult result = matrix.result(c, target);
      if (result == null) continue;
      counts.merge(result.verdict(), 1, Integer::sum);
      if (result.waiver() != null && result.verdict().failsTest()) waived++;
    }
    if (counts.isEmpty()) return "not run";
    StringBuilder cell = new StringBuilder();
    counts.forEach((verdict, n) -> cell.append(verdict.label()).append(' ').append(n).append(", "));
    cell.setLength(cell.length() - 2);
    if (waived > 0) cell.append(" (").append(waived).append(" waived)");
    return cell.toString();
  }

  private static String markdownCell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }

  private static Instant now() {
    // Milliseconds are precise enough for a report and keep the stamp short.
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  // -----------------------------------------------------------------------------------------------
  // JSON

  static String json(List<CaseResult> results, Instant generated) {
    Set<String> targets = new LinkedHashSet<>();
    for (CaseResult result : results) targets.add(result.target());
    StringBuilder out = new StringBuilder(1024 + results.size() * 2048);
    out.append("{\n  \"generated\": ");
    jsonString(out, generated.toString());
    out.append(",\n  \"targets\": [");
    String separator = "";
    for (String target : targets) {
      out.append(separator);
      jsonString(out, target);
      separator = ", ";
    }
    out.append("],\n  \"cases\": [");
    separator = "\n";
    for (CaseResult result : results) {
      out.append(separator);
      jsonCase(out, result);
      separator = ",\n";
    }
    out.append(results.isEmpty() ? "]\n}\n" : "\n  ]\n}\n");
    return out.toString();
  }

  private static void jsonCase(StringBuilder out, CaseResult result) {
    CatalogueCase testCase = result.testCase();
    Judgement judgement = result.judgement();
    out.append("    {");
    jsonField(out, "target", result.target(), true);
    jsonField(out, "id", testCase.id(), false);
    jsonField(out, "section", testCase.section().id(), false);
    jsonField(out, "sectionName", testCase.section().name(), false);
    jsonField(out, "title", testCase.title(), false);
    jsonField(out, "rfc", testCase.rfc(), false);
    jsonField(out, "description", testCase.description(), false);
    jsonField(out, "expectation", testCase.expectation().describe(), false);
    jsonField(out, "verdict", judgement.verdict().label(), false);
    jsonField(out, "close", judgement.close().label(), false);
    jsonField(out, "reason", judgement.reason(), false);
    jsonKey(out, "closeCode", false);
    out.append(
        result.closeCode().isPresent() ? Integer.toString(result.closeCode().getAsInt()) : "null");
    jsonField(out, "closeReason", result.closeReason(), false);
    jsonKey(out, "durationMillis", false);
    out.append(millis(result.duration()));
    jsonField(out, "waiver", result.waiver(), false);
    jsonKey(out, "staleWaiver", false);
    out.append(result.isWaiverStale());
    jsonKey(out, "failsTest", false);
    out.append(result.failsTest());
    jsonKey(out, "script", false);
    out.append('[');
    String separator = "";
    for (String line : result.script()) {
      out.append(separator);
      jsonString(out, line);
      separator = ", ";
    }
    out.append(']');
    jsonField(out, "transcript", result.transcript(), false);
    out.append("\n    }");
  }

  private static void jsonField(StringBuilder out, String key, String value, boolean first) {
    jsonKey(out, key, first);
    if (value == null) {
      out.append("null");
    } else {
      jsonString(out, value);
    }
  }

  private static void jsonKey(StringBuilder out, String key, boolean first) {
    out.append(first ? "\n      \"" : ",\n      \"").append(key).append("\": ");
  }

  /** Milliseconds as a plain decimal (never an exponent, which some readers mishandle). */
  private static String millis(Duration duration) {
    BigDecimal millis = new BigDecimal(BigInteger.valueOf(duration.toNanos()), 6);
    return millis.stripTrailingZeros().toPlainString();
  }

  /**
   * Appends {@code value} as a JSON string. Besides what RFC 8259 requires (quote, backslash,
   * controls), U+2028 and U+2029 are escaped because JavaScript before ES2019 cannot take them in a
   * string literal, and a lone surrogate is escaped because it has no UTF-8 form: written raw it
   * would make the file unwritable or corrupt. Noncharacters such as U+FFFF are escaped as well:
   * some readers take a raw U+FFFF for the end of their input.
   */
  static void jsonString(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20
              || c == 0x7f
              || c == '\u2028'
              || c == '\u2029'
              || isNoncharacter(c)
              || isLoneSurrogate(value, i)) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** The noncharacters of the Basic Multilingual Plane (supplementary ones are pairs). */
  private static boolean isNoncharacter(char c) {
    return (c >= '\ufdd0' && c <= '\ufdef') || (c & 0xfffe) == 0xfffe;
  }

  private static boolean isLoneSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
    }
    return false;
  }

  // -----------------------------------------------------------------------------------------------
  // The matrix: which case, which target, which result

  /**
   * The results arranged as the page shows them: targets in the order they first appear, cases in
   * the natural order of their ids (so {@code 1.1.10} follows {@code 1.1.9}), grouped by top-level
   * section. When a (case, target) pair comes more than once the last result is shown: a rerun
   * replaces the run before it.
   */
  private record Matrix(
      List<String> targets,
      List<CatalogueCase> cases,
      Map<String, Map<String, CaseResult>> byCase,
      Map<String, List<Integer>> sections) {
    static Matrix of(List<CaseResult> results) {
      Set<String> targets = new LinkedHashSet<>();
      Map<String, CatalogueCase> cases = new HashMap<>();
      Map<String, Map<String, CaseResult>> byCase = new HashMap<>();
      for (CaseResult result : results) {
        targets.add(result.target());
        String id = result.testCase().id();
        cases.putIfAbsent(id, result.testCase());
        byCase.computeIfAbsent(id, k -> new HashMap<>()).put(result.target(), result);
      }
      List<CatalogueCase> sorted = new ArrayList<>(cases.values());
      sorted.sort((a, b) -> compareIds(a.id(), b.id()));
      Map<String, List<Integer>> sections = new LinkedHashMap<>();
      for (int i = 0; i < sorted.size(); i++) {
        sections.computeIfAbsent(sorted.get(i).section().top(), k -> new ArrayList<>()).add(i);
      }
      return new Matrix(List.copyOf(targets), List.copyOf(sorted), byCase, sections);
    }

    CaseResult result(CatalogueCase testCase, String target) {
      return byCase.getOrDefault(testCase.id(), Map.of()).get(target);
    }
  }

  /**
   * Dotted ids compared part by part: a part's letters first (none, Autobahn's, before the
   * project's {@code R}), then its number as a number, so that {@code 9} comes before {@code 10}
   * and {@code R9} before {@code R10}.
   */
  static int compareIds(String a, String b) {
    String[] left = a.split("\\.", -1);
    String[] right = b.split("\\.", -1);
    for (int i = 0; i < Math.min(left.length, right.length); i++) {
      java.util.regex.Matcher l = NUMBERED.matcher(left[i]);
      java.util.regex.Matcher r = NUMBERED.matcher(right[i]);
      int order;
      if (l.matches() && r.matches()) {
        order = l.group(1).compareTo(r.group(1));
        if (order == 0) order = new BigInteger(l.group(2)).compareTo(new BigInteger(r.group(2)));
      } else {
        order = left[i].compareTo(right[i]);
      }
      if (order != 0) return order;
    }
    int order = Integer.compare(left.length, right.length);
    return order != 0 ? order : a.compareTo(b);
  }

  /** A part of an id: letters, if any, then a number ({@code 12}, {@code R10}). */
  private static final java.util.regex.Pattern NUMBERED =
      java.util.regex.Pattern.compile("([A-Za-z]*)([0-9]+)");

  // -----------------------------------------------------------------------------------------------
  // HTML

  /** The CSS class of a verdict: {@code v-} and its label, lower case, spaces and hyphens as -. */
  static String verdictClass(Verdict verdict) {
    return "v-" + verdict.label().toLowerCase(Locale.ROOT).replaceAll("[ -]+", "-");
  }

  /** A transcript as the page shows it, and how many of its UTF-8 bytes it leaves out. */
  record PageTranscript(String text, long bytes, long leftOut) {}

  /**
   * Cuts a transcript longer than {@value #PAGE_TRANSCRIPT_MAX} bytes to its first {@value
   * #PAGE_TRANSCRIPT_HEAD} and last {@value #PAGE_TRANSCRIPT_TAIL} bytes, at line ends where the
   * kept parts have one, so that 900 cells of flood transcripts still make a page a browser opens.
   */
  static PageTranscript pageTranscript(String transcript) {
    long total = utf8Length(transcript, 0, transcript.length());
    if (total <= PAGE_TRANSCRIPT_MAX) return new PageTranscript(transcript, total, 0);
    int headEnd = 0;
    long headBytes = 0;
    while (headEnd < transcript.length()) {
      int cp = transcript.codePointAt(headEnd);
      int size = utf8Length(cp);
      if (headBytes + size > PAGE_TRANSCRIPT_HEAD) break;
      headBytes += size;
      headEnd += Character.charCount(cp);
    }
    // Whole lines read better, unless the last line end is so early that most of the budget goes.
    int lineEnd = transcript.lastIndexOf('\n', headEnd - 1);
    if (lineEnd >= headEnd / 2) headEnd = lineEnd + 1;
    int tailStart = transcript.length();
    long tailBytes = 0;
    while (tailStart > headEnd) {
      int cp = transcript.codePointBefore(tailStart);
      int size = utf8Length(cp);
      if (tailBytes + size > PAGE_TRANSCRIPT_TAIL) break;
      tailBytes += size;
      tailStart -= Character.charCount(cp);
    }
    if (transcript.charAt(tailStart - 1) != '\n') {
      int lineStart = transcript.indexOf('\n', tailStart) + 1;
      if (lineStart > 0 && lineStart - tailStart < (transcript.length() - tailStart) / 2) {
        tailStart = lineStart;
      }
    }
    String head = transcript.substring(0, headEnd);
    String tail = transcript.substring(tailStart);
    long leftOut = total - utf8Length(head, 0, head.length()) - utf8Length(tail, 0, tail.length());
    String text =
        head
            + (head.endsWith("\n") || head.isEmpty() ? "" : "\n")
            + String.format(Locale.ROOT, "\u2026 %,d bytes left out \u2026\n", leftOut)
            + tail;
    return new PageTranscript(text, total, leftOut);
  }

  /**
   * A "; "-separated list with each run of at least {@value #REPEAT_RUN_MIN} equal items shown once
   * with a count: an expectation of a thousand equal messages (9.8.x) would otherwise fill 50 KB of
   * every one of its cells' details. The first item of a run may carry the sentence's opening ("The
   * server sends back X; X; X"), which is kept in front of it.
   */
  static String collapseRepeats(String text) {
    String[] items = text.split("; ", -1);
    if (items.length < REPEAT_RUN_MIN) return text;
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < items.length; ) {
      String item = items[i];
      String opening = "";
      if (i + 1 < items.length && !items[i + 1].equals(item) && item.endsWith(" " + items[i + 1])) {
        opening = item.substring(0, item.length() - items[i + 1].length());
        item = items[i + 1];
      }
      int end = i + 1;
      while (end < items.length && items[end].equals(item)) end++;
      if (i > 0) out.append("; ");
      if (end - i >= REPEAT_RUN_MIN) {
        out.append(opening)
            .append(item)
            .append(String.format(Locale.ROOT, " (%,d times)", end - i));
        i = end;
      } else {
        out.append(items[i]);
        i++;
      }
    }
    return out.toString();
  }

  private static long utf8Length(String s, int from, int to) {
    long bytes = 0;
    for (int i = from; i < to; ) {
      int cp = s.codePointAt(i);
      bytes += utf8Length(cp);
      i += Character.charCount(cp);
    }
    return bytes;
  }

  private static int utf8Length(int cp) {
    if (cp < 0x80) return 1;
    if (cp < 0x800) return 2;
    // A lone surrogate is shown as U+FFFD, three bytes like any other BMP character.
    if (cp < 0x10000) return 3;
    return 4;
  }

  /**
   * Text made safe for HTML content and quoted attributes: the five markup characters become
   * references; a carriage return becomes a line feed, as every HTML parser would make it anyway
   * (some drop a lone one instead); C0 controls other than tab and line feed, and DEL, become their
   * Unicode control pictures so they stay visible; C1 controls and lone surrogates become U+FFFD
   * (the latter have no UTF-8 form at all); noncharacters such as U+FFFF become references, since
   * some parsers take a raw U+FFFF for the end of the input.
   */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        case '\t', '\n' -> out.append(c);
        case '\r' -> {
          if (i + 1 >= text.length() || text.charAt(i + 1) != '\n') out.append('\n');
        }
        default -> {
          if (isNoncharacter(c)) {
            out.append("&#x").append(Integer.toHexString(c).toUpperCase(Locale.ROOT)).append(';');
          } else if (c < 0x20) {
            out.append((char) (0x2400 + c));
          } else if (c == 0x7f) {
            out.append('\u2421');
          } else if ((c >= 0x80 && c <= 0x9f) || isLoneSurrogate(text, i)) {
            out.append('\ufffd');
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  private static String formatMillis(Duration duration) {
    double millis = duration.toNanos() / 1e6;
    if (millis < 1000) return String.format(Locale.ROOT, "%.1f ms", millis);
    return String.format(Locale.ROOT, "%.3f s", millis / 1000);
  }

  private static String formatTotal(Duration duration) {
    double seconds = duration.toNanos() / 1e9;
    if (seconds < 60) return String.format(Locale.ROOT, "%.1f s", seconds);
    long minutes = (long) (seconds / 60);
    return String.format(Locale.ROOT, "%d min %.1f s", minutes, seconds - minutes * 60);
  }

  /** Whether the cell shows the close verdict: only when it says something beyond "fine". */
  private static boolean showsClose(CloseVerdict close) {
    return close != CloseVerdict.CLEAN && close != CloseVerdict.NOT_CHECKED;
  }

  private static String meaning(Verdict verdict) {
    return switch (verdict) {
      case OK -> "The server did what RFC 6455 asks, at the earliest moment it could.";
      case NON_STRICT ->
          "The server did what RFC 6455 asks, but later than it could: it failed the connection"
              + " only after the whole message, or without echoing what came before the bad frame.";
      case INFORMATIONAL -> "RFC 6455 leaves the choice to the server; the case records it.";
      case UNIMPLEMENTED -> "The server lacks an optional feature the case needs (an extension).";
      case FAILED -> "The server broke RFC 6455. Fails the test.";
      case DIED -> "The launched server process exited during the case. Fails the test.";
      case STOPPED_SERVING ->
          "After the case, a fresh client could not complete a handshake and a ping. Fails the"
              + " test.";
    };
  }

  private static final String STYLE =
      """
      *{box-sizing:border-box}
      body{margin:0;padding:0 1.5rem 3rem;font:14px/1.45 system-ui,-apple-system,"Segoe UI",\
      Roboto,"Helvetica Neue",Arial,sans-serif;color:#1b1f23;background:#fff}
      h1{font-size:1.45rem;margin:1.1rem 0 .15rem}
      h2{font-size:1.05rem;margin:1.3rem 0 .45rem}
      .meta{color:#57606a;margin:0 0 .6rem}
      code,pre,.id{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",\
      monospace;font-size:12px}
      table{border-collapse:separate;border-spacing:0}
      .summary th,.summary td{padding:.25rem .5rem;border-bottom:1px solid #d8dee4;\
      text-align:right;white-space:nowrap}
      .summary th:first-child,.summary td:first-child{text-align:left}
      .summary thead th{white-space:normal;vertical-align:bottom;font-size:12.5px}
      .summary td.zero{color:#b0b7be}
      .v-ok{background:#66bb6a;color:#0b2e0d}
      .v-non-strict{background:#d4e157;color:#2f3300}
      .v-informational{background:#b0bec5;color:#1c262b}
      .v-unimplemented{background:#dcdcdc;color:#333}
      .v-failed{background:#e53935;color:#fff}
      .v-died{background:#6a1b9a;color:#fff}
      .v-stopped-serving{background:#fb8c00;color:#2b1700}
      .not-run{background:repeating-linear-gradient(135deg,#fff 0 4px,#eef0f2 4px 8px)}
      .swatch{display:inline-block;padding:.05rem .45rem;border-radius:3px;font-weight:600;\
      font-size:12px;white-space:nowrap}
      .legend{list-style:none;padding:0;margin:0;display:grid;\
      grid-template-columns:repeat(auto-fill,minmax(24rem,1fr));gap:.3rem 1.5rem}
      .legend li{display:flex;gap:.5rem;align-items:baseline}
      .notes{color:#57606a;margin:.5rem 0 0;max-width:62rem}
      .filters{margin:1rem 0 .4rem;display:flex;gap:1.5rem;align-items:center;flex-wrap:wrap}
      .filters label{cursor:pointer}
      #shown{color:#57606a}
      .matrix thead th{position:sticky;top:0;z-index:2;background:#263238;color:#fff;\
      text-align:left;padding:.4rem .6rem;white-space:nowrap}
      .matrix thead th.target{text-align:center}
      .matrix td,.matrix th{padding:.1rem .6rem;border-bottom:1px solid #eef0f2}
      .matrix tr.section>*{background:#eceff1;border-top:2px solid #90a4ae;\
      padding:.45rem .6rem .3rem;vertical-align:top}
      .matrix tr.section th{text-align:left;font-size:1rem;white-space:nowrap}
      .matrix tr.subsection th{text-align:left;color:#455a64;font-weight:600;\
      padding-top:.35rem;font-size:12.5px}
      .matrix .id{white-space:nowrap}
      .matrix .title{max-width:36rem}
      .counts .swatch{margin:0 .25rem .2rem 0;font-weight:500}
      .counts .swatch.not-run{border:1px solid #d0d7de;color:#57606a}
      td.cell{padding:0;text-align:center;min-width:9rem;border-left:2px solid #fff}
      td.cell a{display:block;padding:.1rem .5rem;color:inherit;text-decoration:none;\
      font-weight:600;font-size:12px;white-space:nowrap}
      td.cell a:hover,td.cell a:focus{outline:2px solid #1b1f23;outline-offset:-2px}
      .mark{font-weight:400;font-size:11px;margin-left:.1rem;padding:0 .3rem;\
      border-radius:3px;background:rgba(255,255,255,.7);color:#1b1f23}
      tr.case:hover>th,tr.case:hover>td.title{background:#f3f7fc}
      .detail{display:none}
      .detail:target{display:block;position:fixed;top:0;right:0;bottom:0;\
      width:min(64rem,100%);overflow:auto;background:#fff;border-left:1px solid #90a4ae;\
      box-shadow:-8px 0 28px rgba(0,0,0,.2);padding:.8rem 1.4rem 2rem;z-index:10}
      .detail h3{margin:.3rem 0 .5rem;font-size:1.15rem}
      .detail h4{margin:1rem 0 .3rem;font-size:.95rem}
      .dismiss{float:right;font-size:1.4rem;text-decoration:none;color:#57606a;line-height:1}
      .detail dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:.5rem 0}
      .detail dt{font-weight:600;color:#455a64}
      .detail dd{margin:0;white-space:pre-wrap}
      .detail pre{background:#f6f8fa;border:1px solid #d8dee4;padding:.6rem;overflow:auto;\
      max-height:70vh;margin:.3rem 0}
      .detail ol{margin:.2rem 0;padding-left:2.2rem}
      .others a{margin-right:.4rem;text-decoration:none}
      .note{color:#57606a;font-style:italic}
      """;

  // Filters only: the matrix and the details need no script. Nothing from a result is in here.
  private static final String SCRIPT =
      """
      (function () {
        var form = document.getElementById('filters');
        var disagree = document.getElementById('only-disagree');
        var notOk = document.getElementById('only-not-ok');
        var shown = document.getElementById('shown');
        function apply() {
          var visible = 0, total = 0;
          document.querySelectorAll('#matrix tbody').forEach(function (body) {
            var any = false, sub = null, subAny = false;
            body.querySelectorAll('tr').forEach(function (row) {
              if (row.classList.contains('case')) {
                var show = (!disagree.checked || row.dataset.disagree === 'true')
                    && (!notOk.checked || row.dataset.notOk === 'true');
                row.hidden = !show;
                total++;
                if (show) { visible++; any = true; subAny = true; }
              } else if (row.classList.contains('subsection')) {
                if (sub) sub.hidden = !subAny;
                sub = row;
                subAny = false;
              }
            });
            if (sub) sub.hidden = !subAny;
            body.hidden = !any;
          });
          shown.textContent = visible === total
              ? total + ' cases' : visible + ' of ' + total + ' cases shown';
        }
        disagree.addEventListener('change', apply);
        notOk.addEventListener('change', apply);
        document.addEventListener('keydown', function (e) {
          if (e.key === 'Escape' && location.hash.indexOf('#d-') === 0) location.hash = '_';
        });
        form.hidden = false;
        apply();
      })();
      """;

  /** One rendering of the page. */
  private static final class Page {
    private final Matrix matrix;
    private final String title;
    private final Instant generated;
    private final StringBuilder out = new StringBuilder(1 << 16);

    Page(Matrix matrix, String title, Instant generated) {
      this.matrix = matrix;
      this.title = title;
      this.generated = generated;
    }

    String render() {
      out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
          .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
          .append("<title>")
          .append(escape(title))
          .append("</title>\n<style>\n")
          .append(STYLE)
          .append("</style>\n</head>\n<body>\n<header>\n<h1>")
          .append(escape(title))
          .append("</h1>\n<p class=\"meta\">")
          .append(matrix.cases().size())
          .append(" cases \u00d7 ")
          .append(matrix.targets().size())
          .append(matrix.targets().size() == 1 ? " target" : " targets")
          .append(" \u00b7 generated <time datetime=\"")
          .append(generated)
          .append("\">")
          .append(generated)
          .append("</time> \u00b7 Autobahn|Testsuite cases, judged against ")
          .append("RFC 6455 (The WebSocket Protocol)</p>\n</header>\n");
      summary();
      legend();
      filters();
      table();
      details();
      out.append("<script>\n").append(SCRIPT).append("</script>\n</body>\n</html>\n");
      return out.toString();
    }

    private void summary() {
      out.append("<section id=\"summary\">\n<h2>Summary</h2>\n");
      if (matrix.targets().isEmpty()) {
        out.append("<p>No results.</p>\n</section>\n");
        return;
      }
      // Duration first: with seven verdict columns and more, the last column is the one cut off.
      out.append("<table class=\"summary\">\n<thead><tr><th>Target</th><th>duration</th>");
      for (Verdict verdict : Verdict.values()) {
        out.append("<th><span class=\"swatch ")
            .append(verdictClass(verdict))
            .append("\">")
            .append(verdict.label())
            .append("</span></th>");
      }
      out.append("<th>not run</th><th>waived</th><th>stale waivers</th>")
          .append("<th>failing tests</th></tr></thead>\n<tbody>\n");
      for (String target : matrix.targets()) {
        Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
        int notRun = 0;
        int waived = 0;
        int stale = 0;
        int failing = 0;
        Duration total = Duration.ZERO;
        for (CatalogueCase testCase : matrix.cases()) {
          CaseResult result = matrix.result(testCase, target);
          if (result == null) {
            notRun++;
            continue;
          }
          counts.merge(result.verdict(), 1, Integer::sum);
          if (result.isWaiverStale()) {
            stale++;
          } else if (result.waiver() != null) {
            waived++;
          }
          if (result.failsTest()) failing++;
          total = total.plus(result.duration());
        }
        out.append("<tr data-target=\"").append(escape(target)).append("\"><th>");
        out.append(escape(target)).append("</th><td>").append(formatTotal(total)).append("</td>");
        for (Verdict verdict : Verdict.values()) {
          countCell(counts.getOrDefault(verdict, 0), " data-verdict=\"" + verdict.label() + "\"");
        }
        countCell(notRun, " data-verdict=\"\"");
        countCell(waived, "");
        countCell(stale, "");
        countCell(failing, "");
        out.append("</tr>\n");
      }
      out.append("</tbody>\n</table>\n</section>\n");
    }

    private void countCell(int count, String attributes) {
      out.append(count == 0 ? "<td class=\"zero\"" : "<td")
          .append(attributes)
          .append('>')
          .append(count)
          .append("</td>");
    }

    private void legend() {
      out.append("<section id=\"legend\">\n<h2>Legend</h2>\n<ul class=\"legend\">\n");
      for (Verdict verdict : Verdict.values()) {
        out.append("<li><span class=\"swatch ")
            .append(verdictClass(verdict))
            .append("\">")
            .append(verdict.label())
            .append("</span><span>")
            .append(escape(meaning(verdict)))
            .append("</span></li>\n");
      }
      out.append("<li><span class=\"swatch not-run\">not run</span><span>No result for this case")
          .append(" on this target.</span></li>\n</ul>\n<p class=\"notes\">Beside a verdict: ")
          .append(
              "<em>close \u2026</em> when the connection did not end cleanly (RFC 6455 \u00a77:")
          .append(" dropped, wrong code, unclean, wrong endpoint, server did not drop TCP); ")
          .append("<em>waived</em> when a waiver keeps a failing case from failing its test; ")
          .append("<em>stale waiver</em> when a waiver covers a case that passes anyway. ")
          .append("Hover over a cell for the reason; click it for the case\u2019s details. ")
          .append("Transcripts over ")
          .append(PAGE_TRANSCRIPT_MAX / 1024)
          .append(" KiB show their first ")
          .append(PAGE_TRANSCRIPT_HEAD / 1024)
          .append(" KiB and last ")
          .append(PAGE_TRANSCRIPT_TAIL / 1024)
          .append(" KiB here; the JSON report keeps them whole.</p>\n</section>\n");
    }

    private void filters() {
      // Hidden until the script runs: without it the checkboxes would do nothing.
      out.append("<form id=\"filters\" class=\"filters\" hidden>")
          .append("<label><input type=\"checkbox\" id=\"only-disagree\"> Show only cases where")
          .append(" targets disagree</label>")
          .append("<label><input type=\"checkbox\" id=\"only-not-ok\"> Show only cases that are")
          .append(" not OK</label><span id=\"shown\"></span></form>\n");
    }

    private void table() {
      List<String> targets = matrix.targets();
      out.append("<table class=\"matrix\" id=\"matrix\">\n<thead><tr><th>Case</th><th>Title</th>");
      for (String target : targets) {
        out.append("<th class=\"target\" scope=\"col\">").append(escape(target)).append("</th>");
      }
      out.append("</tr></thead>\n");
      int sectionIndex = 0;
      for (Map.Entry<String, List<Integer>> section : matrix.sections().entrySet()) {
        out.append("<tbody id=\"s-").append(sectionIndex++).append("\">\n");
        sectionRow(section.getKey(), section.getValue());
        String subsection = null;
        for (int caseIndex : section.getValue()) {
          CatalogueCase testCase = matrix.cases().get(caseIndex);
          CatalogueCase.Section sub = testCase.section();
          // A top section without subsections ("2 Pings and pongs") needs no second heading.
          if (!sub.id().equals(sub.topId()) && !sub.id().equals(subsection)) {
            out.append("<tr class=\"subsection\"><th colspan=\"")
                .append(targets.size() + 2)
                .append("\">")
                .append(escape(sub.toString()))
                .append("</th></tr>\n");
          }
          subsection = sub.id();
          caseRow(caseIndex, testCase);
        }
        out.append("</tbody>\n");
      }
      out.append("</table>\n");
    }

    private void sectionRow(String name, List<Integer> caseIndexes) {
      out.append("<tr class=\"section\"><th colspan=\"2\" scope=\"rowgroup\">")
          .append(escape(name))
          .append("</th>");
      for (String target : matrix.targets()) {
        Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
        int notRun = 0;
        for (int caseIndex : caseIndexes) {
          CaseResult result = matrix.result(matrix.cases().get(caseIndex), target);
          if (result == null) {
            notRun++;
          } else {
            counts.merge(result.verdict(), 1, Integer::sum);
          }
        }
        out.append("<td class=\"counts\" data-target=\"").append(escape(target)).append("\">");
        counts.forEach(
            (verdict, count) ->
                out.append("<span class=\"swatch ")
                    .append(verdictClass(verdict))
                    .append("\" data-verdict=\"")
                    .append(verdict.label())
                    .append("\" data-count=\"")
                    .append(count)
                    .append("\">")
                    .append(verdict.label())
                    .append(' ')
                    .append(count)
                    .append("</span>"));
        if (notRun > 0) {
          out.append("<span class=\"swatch not-run\" data-verdict=\"\" data-count=\"")
              .append(notRun)
              .append("\">not run ")
              .append(notRun)
              .append("</span>");
        }
        out.append("</td>");
      }
      out.append("</tr>\n");
    }

    private void caseRow(int caseIndex, CatalogueCase testCase) {
      Set<Verdict> verdicts = new LinkedHashSet<>();
      boolean notOk = false;
      for (String target : matrix.targets()) {
        CaseResult result = matrix.result(testCase, target);
        if (result != null) {
          verdicts.add(result.verdict());
          notOk |= result.verdict() != Verdict.OK;
        }
      }
      String id = escape(testCase.id());
      out.append("<tr class=\"case\" id=\"c-")
          .append(caseIndex)
          .append("\" data-case=\"")
          .append(id)
          .append("\" data-disagree=\"")
          .append(verdicts.size() > 1)
          .append("\" data-not-ok=\"")
          .append(notOk)
          .append("\"><th class=\"id\" scope=\"row\">")
          .append(id)
          .append("</th><td class=\"title\">")
          .append(escape(testCase.title()))
          .append("</td>");
      for (int t = 0; t < matrix.targets().size(); t++) {
        String target = matrix.targets().get(t);
        CaseResult result = matrix.result(testCase, target);
        String hooks = " data-case=\"" + id + "\" data-target=\"" + escape(target) + "\"";
        if (result == null) {
          out.append("<td class=\"cell not-run\"")
              .append(hooks)
              .append(" data-verdict=\"\" title=\"not run\"></td>");
          continue;
        }
        Judgement judgement = result.judgement();
        out.append("<td class=\"cell ")
            .append(verdictClass(result.verdict()))
            .append('"')
            .append(hooks)
            .append(" data-verdict=\"")
            .append(result.verdict().label())
            .append("\" data-close=\"")
            .append(judgement.close().label())
            .append("\" title=\"")
            .append(escape(result.summary() + ": " + judgement.reason()))
            .append("\"><a href=\"#")
            .append(detailId(caseIndex, t))
            .append("\">")
            .append(result.verdict().label());
        if (showsClose(judgement.close())) {
          out.append(" <span class=\"mark\">close ")
              .append(judgement.close().label())
              .append("</span>");
        }
        if (result.waiver() != null) {
          out.append(" <span class=\"mark\">")
              .append(result.isWaiverStale() ? "stale waiver" : "waived")
              .append("</span>");
        }
        out.append("</a></td>");
      }
      out.append("</tr>\n");
    }

    private void details() {
      out.append("<div id=\"details\">\n");
      for (int c = 0; c < matrix.cases().size(); c++) {
        CatalogueCase testCase = matrix.cases().get(c);
        for (int t = 0; t < matrix.targets().size(); t++) {
          CaseResult result = matrix.result(testCase, matrix.targets().get(t));
          if (result != null) detail(c, t, testCase, result);
        }
      }
      out.append("</div>\n");
    }

    private void detail(int caseIndex, int targetIndex, CatalogueCase testCase, CaseResult result) {
      Judgement judgement = result.judgement();
      out.append("<section class=\"detail\" id=\"")
          .append(detailId(caseIndex, targetIndex))
          .append("\" data-case=\"")
          .append(escape(testCase.id()))
          .append("\" data-target=\"")
          .append(escape(result.target()))
          .append("\">\n<a class=\"dismiss\" href=\"#_\" title=\"Close (Esc)\">\u00d7</a>\n<h3>")
          .append(escape(testCase.displayName()))
          .append(" <small>on ")
          .append(escape(result.target()))
          .append("</small></h3>\n<p><span class=\"swatch ")
          .append(verdictClass(result.verdict()))
          .append("\">")
          .append(escape(result.summary()))
          .append("</span></p>\n");
      otherTargets(caseIndex, targetIndex, testCase);
      out.append("<dl>\n");
      definition("Section", testCase.section().toString());
      definition("RFC clause", testCase.rfc());
      definition("The client sends", testCase.description());
      definition("Expected", collapseRepeats(testCase.expectation().describe()));
      definition("Verdict", judgement.verdict().label());
      definition("Close", judgement.close().label());
      definition("Why", judgement.reason());
      definition(
          "Close frame",
          result.closeCode().isPresent()
              ? "code " + result.closeCode().getAsInt()
              : "no code (no close frame, or one without a code)");
      definition("Close reason", result.closeReason().isEmpty() ? "(none)" : result.closeReason());
      definition("Duration", formatMillis(result.duration()));
      if (result.waiver() != null) {
        definition(
            result.isWaiverStale() ? "Stale waiver" : "Waived",
            result.waiver()
                + (result.isWaiverStale() ? " (the case passes without it: remove it)" : ""));
      }
      out.append("</dl>\n<h4>Script</h4>\n");
      if (result.script().isEmpty()) {
        out.append("<p class=\"note\">No steps recorded.</p>\n");
      } else {
        out.append("<ol>\n");
        for (String line : result.script()) {
          out.append("<li><code>").append(escape(line)).append("</code></li>\n");
        }
        out.append("</ol>\n");
      }
      out.append("<h4>Transcript</h4>\n");
      PageTranscript transcript = pageTranscript(result.transcript());
      if (transcript.leftOut() > 0) {
        out.append(
            String.format(
                Locale.ROOT,
                "<p class=\"note\">The transcript is %,d bytes; this page keeps its first %d KiB"
                    + " and last %d KiB and leaves out %,d bytes in between. The JSON report"
                    + " keeps it whole.</p>\n",
                transcript.bytes(),
                PAGE_TRANSCRIPT_HEAD / 1024,
                PAGE_TRANSCRIPT_TAIL / 1024,
                transcript.leftOut()));
      }
      if (transcript.text().isEmpty()) {
        out.append("<p class=\"note\">Empty.</p>\n");
      } else {
        // The parser drops one newline right after <pre>: this one, not the transcript's own.
        out.append("<pre>\n").append(escape(transcript.text())).append("</pre>\n");
      }
      out.append("</section>\n");
    }

    /** Links to the same case on the other targets, to compare without going back. */
    private void otherTargets(int caseIndex, int targetIndex, CatalogueCase testCase) {
      StringBuilder links = new StringBuilder();
      for (int t = 0; t < matrix.targets().size(); t++) {
        if (t == targetIndex) continue;
        String target = matrix.targets().get(t);
        CaseResult other = matrix.result(testCase, target);
        if (other == null) continue;
        links
            .append("<a class=\"swatch ")
            .append(verdictClass(other.verdict()))
            .append("\" href=\"#")
            .append(detailId(caseIndex, t))
            .append("\">")
            .append(escape(target))
            .append(": ")
            .append(other.verdict().label())
            .append("</a>");
      }
      if (links.length() > 0) {
        out.append("<p class=\"others\">Same case on ").append(links).append("</p>\n");
      }
    }

    private void definition(String term, String value) {
      out.append("<dt>").append(escape(term)).append("</dt><dd>");
      if (value.length() > PAGE_TEXT_MAX) {
        out.append(escape(value.substring(0, PAGE_TEXT_MAX)))
            .append(
                String.format(
                    Locale.ROOT,
                    "\u2026 <em>(%,d more characters; the JSON report has the whole text)</em>",
                    value.length() - PAGE_TEXT_MAX));
      } else {
        out.append(escape(value));
      }
      out.append("</dd>\n");
    }

    private static String detailId(int caseIndex, int targetIndex) {
      return "d-" + caseIndex + "-" + targetIndex;
    }
  }
}
