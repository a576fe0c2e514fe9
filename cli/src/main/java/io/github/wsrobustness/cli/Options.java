package io.github.wsrobustness.cli;

import io.github.wsrobustness.RawWebSocketClient;
import io.github.wsrobustness.catalog.AutobahnCases;
import io.github.wsrobustness.catalog.CaseSelection;
import io.github.wsrobustness.catalog.CatalogueCase;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The command line's flags, parsed and checked before anything starts: every mistake is a {@link
 * UsageException} whose message is one sentence naming the flag and the fix (exit code 2).
 *
 * <p>Thread-safety: immutable once parsed.
 */
final class Options {
  static final String DEFAULT_LAUNCH_URI = "ws://127.0.0.1:{port}/";

  /** One server: at a URI, or a command to launch; named for the report. */
  record Target(String name, String uri, List<String> command) {}

  final List<Target> targets = new ArrayList<>();
  final List<String> cases = new ArrayList<>();
  final List<String> exclude = new ArrayList<>();
  final List<String[]> headers = new ArrayList<>();
  final List<String> redact = new ArrayList<>();
  final List<String> subprotocols = new ArrayList<>();
  String origin;
  String launchUri = DEFAULT_LAUNCH_URI;
  String ready;
  Duration readyDeadline;
  Path launchDirectory;
  Duration deadline;
  Path report = Path.of("wsrobustness-report");
  Path junitXml;
  Path waivers;
  Path baseline;
  Path writeBaseline;
  boolean strict;
  boolean insecure;
  boolean help;

  /** A mistake on the command line. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  static final String USAGE =
      String.join(
          "\n",
          "usage: java -jar websocket-robustness-cli.jar (--uri URI | --launch COMMAND)... [options]",
          "",
          "Runs the WebSocket conformance catalogue (Autobahn's server cases) against each server and",
          "exits 0 when every case passed, 1 when one FAILED, DIED or STOPPED SERVING, 2 on bad usage.",
          "",
          "Servers (several make one column each in the report):",
          "  --uri URI                 a running server, ws://host:port/path or wss://…",
          "  --launch COMMAND          a server to start, restarted after it dies; {port} in COMMAND",
          "                            is a free port (quote the command: --launch \"node s.js {port}\")",
          "  --name NAME               names the next --uri or --launch in the report",
          "  --launch-uri TEMPLATE     where launched servers listen (default "
              + DEFAULT_LAUNCH_URI
              + ")",
          "  --ready REGEX             a launched server is ready when its output matches REGEX;",
          "                            a group in it reads the port the server chose itself",
          "  --ready-deadline DURATION how long a launched server may take to be ready (default 30s)",
          "  --launch-directory DIR    where launched servers start",
          "",
          "Cases:",
          "  --cases PATTERNS          case ids, sections or globs, comma-separated (6.4.*,7.1.1)",
          "  --sections LIST           top sections, comma-separated (1,2,5; R1 is the project's own)",
          "  --exclude PATTERNS        cases to leave out",
          "  --waivers FILE            known deviations: a case pattern and the reason on each line",
          "  --strict                  NON-STRICT cases and stale waivers fail the run too",
          "",
          "Client:",
          "  --deadline DURATION       how long any one wait may take (500ms, 5s, PT5S; default 5s)",
          "  --header \"Name: value\"    a header for every upgrade request (repeatable)",
          "  --redact NAME             never show this header's value in reports (Authorization…)",
          "  --subprotocol NAME        offered in Sec-WebSocket-Protocol (repeatable)",
          "  --origin ORIGIN           the Origin header",
          "  --insecure                trust any certificate of a wss:// server (self-signed)",
          "",
          "Results:",
          "  --report DIR              the HTML and JSON report (default wsrobustness-report)",
          "  --junit-xml DIR           JUnit XML for CI",
          "  --write-baseline FILE     save each case's verdict as the expected results",
          "  --baseline FILE           fail only on cases that got worse than FILE says",
          "  --help                    this text");

  private Options() {}

  /** Parses {@code args}; the first mistake is thrown. */
  static Options parse(String... args) throws UsageException {
    Options options = new Options();
    String pendingName = null;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("--help") || flag.equals("-h")) {
        options.help = true;
        continue;
      }
      if (flag.equals("--strict")) {
        options.strict = true;
        continue;
      }
      if (flag.equals("--insecure")) {
        options.insecure = true;
        continue;
      }
      if (!VALUED.contains(flag)) {
        throw new UsageException(
            "'" + flag + "' is not an option; run with --help to see the options");
      }
      if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
        throw new UsageException(flag + " needs a value; " + example(flag));
      }
      String value = args[++i];
      switch (flag) {
        case "--uri" -> {
          options.addTarget(pendingName, checkUri(value), null);
          pendingName = null;
        }
        case "--launch" -> {
          List<String> command = split(value);
          if (command.isEmpty()) {
            throw new UsageException("--launch has an empty command; " + example(flag));
          }
          options.addTarget(pendingName, null, command);
          pendingName = null;
        }
        case "--name" -> {
          if (pendingName != null) {
            throw new UsageException(
                "--name " + pendingName + " names no server; put --uri or --launch after it");
          }
          pendingName = value.strip();
        }
        case "--launch-uri" -> {
          if (!value.contains("{port}") && !value.matches("wss?://[^/]*:\\d+.*")) {
            throw new UsageException(
                "--launch-uri " + value + " has neither {port} nor a port; " + example(flag));
          }
          checkUri(value.replace("{port}", "1"), "--launch-uri");
          options.launchUri = value;
        }
        case "--ready" -> {
          try {
            Pattern.compile(value);
          } catch (PatternSyntaxException e) {
            throw new UsageException(
                "--ready " + value + " is not a regular expression (" + e.getDescription() + ")");
          }
          options.ready = value;
        }
        case "--ready-deadline" -> options.readyDeadline = duration(flag, value);
        case "--launch-directory" -> {
          Path directory = path(flag, value);
          if (!Files.isDirectory(directory)) {
            throw new UsageException(
                "--launch-directory " + value + " is not a directory; give an existing one");
          }
          options.launchDirectory = directory;
        }
        case "--cases" -> options.cases.addAll(list(flag, value));
        case "--sections" -> {
          for (String section : list(flag, value)) {
            if (!section.matches("R?\\d+")) {
              throw new UsageException(
                  "--sections "
                      + value
                      + " has '"
                      + section
                      + "', which is no top section; "
                      + example(flag));
            }
            options.cases.add(section);
          }
        }
        case "--exclude" -> options.exclude.addAll(list(flag, value));
        case "--waivers" -> options.waivers = existingFile(flag, value);
        case "--baseline" -> options.baseline = existingFile(flag, value);
        case "--write-baseline" -> options.writeBaseline = path(flag, value);
        case "--report" -> options.report = path(flag, value);
        case "--junit-xml" -> options.junitXml = path(flag, value);
        case "--deadline" -> options.deadline = duration(flag, value);
        case "--header" -> {
          int colon = value.indexOf(':');
          if (colon <= 0 || value.chars().anyMatch(c -> c == '\r' || c == '\n')) {
            throw new UsageException("--header " + value + " is no header; " + example(flag));
          }
          options.headers.add(
              new String[] {value.substring(0, colon).strip(), value.substring(colon + 1).strip()});
        }
        case "--redact" -> options.redact.add(value.strip());
        case "--subprotocol" -> options.subprotocols.add(value.strip());
        case "--origin" -> options.origin = value;
        default -> throw new IllegalStateException(flag); // VALUED lists only the cases above
      }
    }
    if (options.help) return options;
    if (pendingName != null) {
      throw new UsageException(
          "--name " + pendingName + " names no server; put --uri or --launch after it");
    }
    if (options.targets.isEmpty()) {
      throw new UsageException(
          "no server to test; give --uri ws://host:port/path or --launch \"command {port}\"");
    }
    if (options.baseline != null
        && options.writeBaseline != null
        && options.baseline.equals(options.writeBaseline)) {
      throw new UsageException(
          "--baseline and --write-baseline name the same file; write the new baseline elsewhere");
    }
    try {
      List<CatalogueCase> all = AutobahnCases.all();
      CaseSelection.requireMatches(all, options.cases, "--cases/--sections");
      CaseSelection.requireMatches(all, options.exclude, "--exclude");
      if (CaseSelection.filter(all, options.cases, options.exclude).isEmpty()) {
        throw new UsageException(
            "--exclude leaves no case of those chosen; exclude fewer, or choose others");
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    boolean launches = options.targets.stream().anyMatch(t -> t.command() != null);
    if (!launches && (options.ready != null || options.launchDirectory != null)) {
      throw new UsageException(
          (options.ready != null ? "--ready" : "--launch-directory")
              + " applies to launched servers, and there is none; add --launch or drop it");
    }
    return options;
  }

  private static final Set<String> VALUED =
      Set.of(
          "--uri",
          "--launch",
          "--name",
          "--launch-uri",
          "--ready",
          "--ready-deadline",
          "--launch-directory",
          "--cases",
          "--sections",
          "--exclude",
          "--waivers",
          "--baseline",
          "--write-baseline",
          "--report",
          "--junit-xml",
          "--deadline",
          "--header",
          "--redact",
          "--subprotocol",
          "--origin");

  private void addTarget(String name, String uri, List<String> command) throws UsageException {
    String resolved = name != null ? name : uri != null ? uri : String.join(" ", command);
    for (Target other : targets) {
      if (other.name().equals(resolved)) {
        throw new UsageException(
            "two servers are named '" + resolved + "'; tell them apart with --name before each");
      }
    }
    targets.add(new Target(resolved, uri, command));
  }

  private static String example(String flag) {
    return switch (flag) {
      case "--uri" -> "write it like --uri ws://127.0.0.1:8080/echo";
      case "--launch" -> "write it like --launch \"node server.js {port}\"";
      case "--launch-uri" -> "write it like --launch-uri ws://127.0.0.1:{port}/echo";
      case "--sections" -> "write it like --sections 1,2,6,R1";
      case "--cases", "--exclude" -> "write it like " + flag + " 6.4.*,7.1.1";
      case "--header" -> "write it like --header \"Authorization: Bearer …\"";
      case "--deadline", "--ready-deadline" -> "write it like " + flag + " 5s";
      default -> "see --help";
    };
  }

  private static String checkUri(String uri) throws UsageException {
    return checkUri(uri, "--uri");
  }

  private static String checkUri(String uri, String flag) throws UsageException {
    try {
      return RawWebSocketClient.builder(uri).uri().toString();
    } catch (IllegalArgumentException e) {
      throw new UsageException(flag + " " + uri + ": " + e.getMessage());
    }
  }

  private static List<String> list(String flag, String value) throws UsageException {
    List<String> items = new ArrayList<>();
    for (String item : value.split(",")) {
      if (!item.isBlank()) items.add(item.strip());
    }
    if (items.isEmpty()) throw new UsageException(flag + " has no pattern; " + example(flag));
    return items;
  }

  private static Path path(String flag, String value) throws UsageException {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new UsageException(flag + " " + value + " is not a path (" + e.getReason() + ")");
    }
  }

  private static Path existingFile(String flag, String value) throws UsageException {
    Path file = path(flag, value);
    if (!Files.isRegularFile(file)) {
      throw new UsageException(
          flag
              + " "
              + value
              + " is not a file"
              + (flag.equals("--baseline") ? "; write one first with --write-baseline" : "")
              + (flag.equals("--waivers") ? "; give the path of an existing waiver file" : ""));
    }
    return file;
  }

  private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m)");

  private static Duration duration(String flag, String value) throws UsageException {
    Matcher simple = SIMPLE_DURATION.matcher(value.strip().toLowerCase(Locale.ROOT));
    Duration parsed = null;
    try {
      if (simple.matches()) {
        long amount = Long.parseLong(simple.group(1));
        parsed =
            switch (simple.group(2)) {
              case "ms" -> Duration.ofMillis(amount);
              case "s" -> Duration.ofSeconds(amount);
              default -> Duration.ofMinutes(amount);
            };
      } else {
        parsed = Duration.parse(value.strip());
      }
    } catch (RuntimeException e) {
      parsed = null;
    }
    if (parsed == null || parsed.isNegative() || parsed.isZero()) {
      throw new UsageException(
          flag + " " + value + " is not a positive duration; " + example(flag));
    }
    return parsed;
  }

  /** Splits a command line on white space, keeping what single or double quotes group. */
  static List<String> split(String command) throws UsageException {
    List<String> parts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean inPart = false;
    char quote = 0;
    for (int i = 0; i < command.length(); i++) {
      char c = command.charAt(i);
      if (quote != 0) {
        if (c == quote) quote = 0;
        else current.append(c);
      } else if (c == '"' || c == '\'') {
        quote = c;
        inPart = true;
      } else if (Character.isWhitespace(c)) {
        if (inPart) parts.add(current.toString());
        current.setLength(0);
        inPart = false;
      } else {
        current.append(c);
        inPart = true;
      }
    }
    if (quote != 0) {
      throw new UsageException(
          "--launch " + command + " has an unclosed " + quote + " quote; close it");
    }
    if (inPart) parts.add(current.toString());
    return parts;
  }

  /** The patterns chosen, for the configuration parameter. */
  String casesParameter() {
    return String.join(",", new LinkedHashSet<>(cases));
  }
}
