package io.github.wsrobustness.benchmarks;

import io.github.wsrobustness.demo.servers.JettyEchoServer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Runs the benchmarks of {@code RawWebSocketClient} and prints each figure as it comes, then one
 * summary: see {@code benchmarks/README.md} for what each figure means.
 *
 * <p>Usage: {@code Benchmarks [--quick] [negative|negative-jetty|negative-node|echo|deflate|
 * inflate|catalogue| memory|flood|ping-flood|bomb|stream-out]...}; no name runs them all. {@code
 * --quick} cuts warm-up and rounds to a smoke run whose figures mean nothing. The Node server's
 * directory is the system property {@code wsrobustness.benchmarks.nodeDir} (default {@code
 * demo-tests/node}, or {@code ../demo-tests/node} when run from {@code benchmarks/}).
 *
 * <p>Exit code 0 when every benchmark ran (a client dying in a memory scenario is a result, not a
 * failure), 1 when one could not run, 2 for bad usage.
 *
 * <p>Thread-safety: a program.
 */
public final class Benchmarks {
  /**
   * The largest message the benchmarks' Jetty accepts: twice the echo's 16 MiB (Jetty's default of
   * 64 KiB would refuse it).
   */
  private static final long MAX_MESSAGE = 32L * 1024 * 1024;

  private static final List<String> ALL =
      List.of(
          "negative-jetty",
          "negative-node",
          "echo",
          "deflate",
          "inflate",
          "catalogue",
          "flood",
          "ping-flood",
          "bomb",
          "stream-out");

  private Benchmarks() {}

  /** Runs the named benchmarks, or all of them. */
  public static void main(String[] args) throws Exception {
    boolean quick = false;
    Set<String> selected = new LinkedHashSet<>();
    for (String arg : args) {
      switch (arg) {
        case "--quick" -> quick = true;
        case "negative" -> selected.addAll(List.of("negative-jetty", "negative-node"));
        case "memory" -> selected.addAll(List.of("flood", "ping-flood", "bomb", "stream-out"));
        default -> {
          if (!ALL.contains(arg)) {
            System.err.println(
                "unknown benchmark '" + arg + "'; choose from " + ALL + ", negative, memory");
            System.exit(2);
          }
          selected.add(arg);
        }
      }
    }
    if (selected.isEmpty()) selected.addAll(ALL);
    // In the order of ALL, whatever order they were named in.
    List<String> toRun = ALL.stream().filter(selected::contains).toList();

    long start = System.nanoTime();
    String header = header();
    System.out.println(header);
    if (quick) System.out.println("--quick: a smoke run; these figures mean nothing");

    List<PairedRun.Result> paired = new ArrayList<>();
    List<CatalogueBenchmark.Result> catalogue = new ArrayList<>();
    List<MemoryBenchmark.Result> memory = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (String name : toRun) {
      try {
        switch (name) {
          case "negative-jetty" -> {
            try (JettyEchoServer jetty = JettyEchoServer.startAccepting(MAX_MESSAGE)) {
              paired.add(
                  NegativeBenchmark.run(
                      "negative jetty", jetty.uri(), plan(NegativeBenchmark.PLAN, quick)));
            }
          }
          case "negative-node" -> {
            try (NodeEchoServer node = NodeEchoServer.start(nodeDirectory())) {
              PairedRun.Result result =
                  NegativeBenchmark.run(
                      "negative node ws", node.uri(), plan(NegativeBenchmark.PLAN, quick));
              node.requireAlive();
              paired.add(result);
            }
          }
          case "echo" -> {
            try (JettyEchoServer jetty = JettyEchoServer.startAccepting(MAX_MESSAGE);
                EchoBenchmark echo = new EchoBenchmark(jetty.uri())) {
              paired.add(echo.run("echo 16MiB vs OkHttp", plan(EchoBenchmark.PLAN, quick)));
            }
          }
          case "deflate" ->
              paired.add(new DeflateBenchmark().runDeflate(plan(DeflateBenchmark.PLAN, quick)));
          case "inflate" ->
              paired.add(new DeflateBenchmark().runInflate(plan(DeflateBenchmark.PLAN, quick)));
          case "catalogue" -> {
            try (JettyEchoServer jetty = JettyEchoServer.startAccepting(MAX_MESSAGE)) {
              CatalogueBenchmark.Plan plan = CatalogueBenchmark.PLAN;
              catalogue.add(
                  CatalogueBenchmark.run(
                      "catalogue jetty", jetty.uri(), quick ? plan.quick() : plan));
            }
          }
          default ->
              memory.add(
                  MemoryBenchmark.run(
                      HostileServer.Scenario.valueOf(
                          name.toUpperCase(Locale.ROOT).replace('-', '_')),
                      MemoryBenchmark.CHILD_TIMEOUT));
        }
      } catch (Exception | AssertionError | LinkageError e) {
        // AssertionError: our client's own verbs fail that way; LinkageError: a classpath clash.
        failures.add(name + ": " + e);
        System.out.println(name + " FAILED: " + e);
        e.printStackTrace(System.out);
      }
    }

    System.out.println();
    System.out.println("================ Summary ================");
    System.out.println(header);
    if (!paired.isEmpty()) {
      System.out.println();
      System.out.println(
          "Ratios are ours / baseline per round (baseline: bare socket for negative, OkHttp for");
      System.out.println(
          "echo, java.util.zip for deflate and inflate); below 1.00 ours is faster. Times are"
              + " medians per op.");
      System.out.print(Report.pairedTable(paired));
    }
    if (!catalogue.isEmpty()) {
      System.out.println();
      System.out.println(
          "Catalogue: Autobahn sections 1-7 and 10; ratio = median case / median bare-socket");
      System.out.println(
          "negative case, per round; pass wall = one run() of every case; rounds x cases.");
      System.out.print(Report.catalogueTable(catalogue));
    }
    if (!memory.isEmpty()) {
      System.out.println();
      System.out.println(
          "Memory: client in a child JVM with "
              + MemoryBenchmark.CHILD_HEAP
              + "; peak heap = sum of heap pools' peaks.");
      System.out.print(Report.memoryTable(memory));
    }
    for (String failure : failures) System.out.println("FAILED " + failure);
    System.out.printf(
        Locale.ROOT,
        "total %.0f s; load average at the end %.2f%n",
        (System.nanoTime() - start) / 1e9,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    System.exit(failures.isEmpty() ? 0 : 1);
  }

  private static PairedRun.Plan plan(PairedRun.Plan plan, boolean quick) {
    return quick ? plan.quick() : plan;
  }

  private static String header() {
    return String.format(
        Locale.ROOT,
        "%s, nproc %d, Java %s (%s), %s %s, load average %.2f",
        LocalDate.now(),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  private static Path nodeDirectory() {
    String configured = System.getProperty("wsrobustness.benchmarks.nodeDir");
    if (configured != null) return Path.of(configured);
    Path fromRoot = Path.of("demo-tests", "node");
    return Files.isDirectory(fromRoot) ? fromRoot : Path.of("..", "demo-tests", "node");
  }
}
