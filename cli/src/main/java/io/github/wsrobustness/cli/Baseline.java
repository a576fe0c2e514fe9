package io.github.wsrobustness.cli;

import io.github.wsrobustness.catalog.CaseResult;
import io.github.wsrobustness.catalog.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Expected results: each case's verdict per server, saved by one run ({@code --write-baseline}) and
 * compared by a later one ({@code --baseline}), so that a server with known deviations gates CI on
 * regressions only. One line per case, tab-separated: server name, case id, verdict.
 *
 * <p>Thread-safety: immutable.
 */
final class Baseline {
  private static final String HEADER =
      "# WebSocket Robustness baseline: server <TAB> case id <TAB> verdict, one case a line.\n"
          + "# Written by --write-baseline; --baseline fails a run only on a case that got worse.\n";

  private final Map<String, Verdict> verdicts; // "server\tid" → verdict

  private Baseline(Map<String, Verdict> verdicts) {
    this.verdicts = verdicts;
  }

  /** A change from the baseline: a case that got worse fails the run, a better one is news. */
  record Change(String server, String id, Verdict was, Verdict now) {
    boolean worse() {
      return rank(now) > rank(was);
    }

    @Override
    public String toString() {
      return server + "  " + id + ": " + was.label() + " → " + now.label();
    }
  }

  /** Reads {@code file}; a malformed line is a usage mistake naming the line. */
  static Baseline read(Path file) throws Options.UsageException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new Options.UsageException("--baseline " + file + " could not be read: " + e);
    }
    Map<String, Verdict> verdicts = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#")) continue;
      String[] parts = line.split("\t");
      Verdict verdict = parts.length == 3 ? verdict(parts[2].strip()) : null;
      if (verdict == null) {
        throw new Options.UsageException(
            "line "
                + (i + 1)
                + " of --baseline "
                + file
                + " is not 'server<TAB>case id<TAB>verdict'; write the file again with"
                + " --write-baseline");
      }
      verdicts.put(parts[0] + "\t" + parts[1], verdict);
    }
    return new Baseline(verdicts);
  }

  /** Writes each result's verdict to {@code file}. */
  static void write(List<CaseResult> results, Path file) throws IOException {
    StringBuilder text = new StringBuilder(HEADER);
    for (CaseResult result : results) {
      text.append(result.target())
          .append('\t')
          .append(result.testCase().id())
          .append('\t')
          .append(result.verdict().label())
          .append('\n');
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  /** The cases whose verdict differs from the baseline's; cases it does not know are left out. */
  List<Change> compare(List<CaseResult> results) {
    List<Change> changes = new ArrayList<>();
    for (CaseResult result : results) {
      Verdict was = verdicts.get(result.target() + "\t" + result.testCase().id());
      if (was != null && was != result.verdict()) {
        changes.add(new Change(result.target(), result.testCase().id(), was, result.verdict()));
      }
    }
    return changes;
  }

  /** Whether the baseline knows the case at all; a case it does not know is judged as usual. */
  boolean knows(CaseResult result) {
    return verdicts.containsKey(result.target() + "\t" + result.testCase().id());
  }

  /** Whether the baseline has any case of {@code server}. */
  boolean knowsServer(String server) {
    return verdicts.keySet().stream().anyMatch(key -> key.startsWith(server + "\t"));
  }

  /** How bad a verdict is: OK and INFORMATIONAL alike, a death worst. */
  static int rank(Verdict verdict) {
    return switch (verdict) {
      case OK, INFORMATIONAL, UNIMPLEMENTED -> 0;
      case NON_STRICT -> 1;
      case FAILED -> 2;
      case STOPPED_SERVING -> 3;
      case DIED -> 4;
    };
  }

  private static Verdict verdict(String label) {
    for (Verdict verdict : Verdict.values()) {
      if (verdict.label().equals(label)) return verdict;
    }
    return null;
  }
}
