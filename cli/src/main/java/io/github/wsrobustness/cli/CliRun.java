package io.github.wsrobustness.cli;

import io.github.wsrobustness.Catalogue;
import io.github.wsrobustness.WebSocketRobustnessExtension;
import io.github.wsrobustness.catalog.CaseResult;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One command-line run: the options, turned into the extension that {@link CliCatalogueTest}
 * registers, and the results its catalogue reports as each case ends. The JUnit class finds the run
 * through {@link #current()}, since the Launcher makes its instances itself.
 *
 * <p>Thread-safety: results are added by the thread running the cases and read after the run.
 */
final class CliRun {
  private static volatile CliRun current;

  private final Options options;
  private final List<CaseResult> results = new ArrayList<>(); // guarded by this
  private volatile Consumer<CaseResult> progress = result -> {};
  private volatile int total;

  CliRun(Options options) {
    this.options = options;
  }

  /** Hands each result to {@code progress} too, as soon as it is recorded. */
  void reportTo(Consumer<CaseResult> progress) {
    this.progress = progress;
  }

  /** The run the JUnit class belongs to. */
  static CliRun current() {
    CliRun run = current;
    if (run == null) {
      throw new IllegalStateException(
          "CliCatalogueTest runs only from the command line's Main, which sets up its run");
    }
    return run;
  }

  static void begin(CliRun run) {
    current = run;
  }

  static void end() {
    current = null;
  }

  /** The extension for the options' servers and client settings. */
  WebSocketRobustnessExtension extension() {
    WebSocketRobustnessExtension.Builder builder = WebSocketRobustnessExtension.builder();
    for (Options.Target target : options.targets) {
      if (target.uri() != null) builder.uri(target.name(), target.uri());
      else builder.launch(target.name(), target.command(), options.launchUri);
    }
    if (options.deadline != null) builder.deadline(options.deadline);
    if (options.ready != null) builder.readyWhenOutputMatches(options.ready);
    if (options.readyDeadline != null) builder.readyDeadline(options.readyDeadline);
    if (options.launchDirectory != null) {
      builder.launchDirectory(options.launchDirectory.toString());
    }
    if (options.insecure) builder.trustAllCertificatesInsecurely();
    for (String name : options.redact) builder.redactHeader(name);
    for (String[] header : options.headers) builder.header(header[0], header[1]);
    if (!options.subprotocols.isEmpty()) {
      builder.subprotocols(options.subprotocols.toArray(new String[0]));
    }
    if (options.origin != null) builder.origin(options.origin);
    return builder.build();
  }

  /** The catalogue the options choose, reporting each result here. */
  Catalogue configure(Catalogue catalogue) {
    total = catalogue.cases().size() * options.targets.size();
    return catalogue.onResult(this::record);
  }

  private void record(CaseResult result) {
    synchronized (this) {
      results.add(result);
    }
    progress.accept(result);
  }

  synchronized List<CaseResult> results() {
    return List.copyOf(results);
  }

  /** How many cases the run will judge, once the catalogue is made; 0 before. */
  int total() {
    return total;
  }
}
