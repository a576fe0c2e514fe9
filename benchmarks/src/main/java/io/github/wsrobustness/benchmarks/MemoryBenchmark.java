package io.github.wsrobustness.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The memory benchmark: our client under a hostile server, in a child JVM with {@code -Xmx64m}
 * ({@link MemoryChild}), the server ({@link HostileServer}) in this JVM. A robustness tool that
 * dies of a flood cannot report what the server did, so each scenario answers: did the client
 * complete, and how much heap did it need?
 *
 * <p>A child that dies (an {@link OutOfMemoryError} is a result here, not a failure of the
 * benchmark) or runs past {@link #CHILD_TIMEOUT} is reported as such; one that overruns is ended by
 * its own process handle, gently and then forcibly.
 *
 * <p>Thread-safety: stateless; one thread runs it.
 */
final class MemoryBenchmark {
  /** The heap of the child JVM. */
  static final String CHILD_HEAP = "-Xmx64m";

  /** How long a child may run before it is destroyed. */
  static final Duration CHILD_TIMEOUT = Duration.ofMinutes(4);

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final int TAIL_LINES = 8;

  /**
   * What one scenario did.
   *
   * @param scenario the scenario's id
   * @param completed whether the child reported a completed scenario (exit code 0)
   * @param exit the child's exit code, or a note that it was destroyed
   * @param wallNanos from the child's start to its end, JVM start-up included
   * @param peakHeapBytes sum of the heap pools' peak use, -1 when the child did not say
   * @param outcome the outcome line the child printed (or null)
   * @param error the first error the child reported (or null)
   * @param server what the server did
   * @param outputTail the child's last lines that were not results (stack traces, JVM messages)
   */
  record Result(
      String scenario,
      boolean completed,
      String exit,
      long wallNanos,
      long peakHeapBytes,
      String outcome,
      String error,
      String server,
      List<String> outputTail) {}

  private MemoryBenchmark() {}

  /**
   * Runs one scenario in a fresh child JVM, destroyed if it runs longer than {@code childTimeout}.
   */
  static Result run(HostileServer.Scenario scenario, Duration childTimeout) throws Exception {
    System.out.printf("%n== memory: %s (child JVM %s)%n", scenario.id(), CHILD_HEAP);
    HostileServer server = HostileServer.start(scenario);
    try {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process child =
          new ProcessBuilder(
                  java,
                  CHILD_HEAP,
                  "-cp",
                  System.getProperty("java.class.path"),
                  MemoryChild.class.getName(),
                  scenario.id(),
                  server.uri().toString())
              .redirectErrorStream(true)
              .start();
      // Should this JVM be stopped meanwhile, the child must not outlive it.
      Thread hook = new Thread(child::destroyForcibly, "stop memory child pid " + child.pid());
      Runtime.getRuntime().addShutdownHook(hook);
      long start = System.nanoTime();
      Map<String, String> results = new LinkedHashMap<>();
      Deque<String> tail = new ArrayDeque<>();
      Thread drain =
          new Thread(() -> drain(child, results, tail), "drain memory child pid " + child.pid());
      drain.setDaemon(true);
      drain.start();

      String exit;
      if (child.waitFor(childTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        exit = "exit " + child.exitValue();
      } else {
        child.destroy();
        if (!child.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          child.destroyForcibly();
          child.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        exit = "destroyed after " + childTimeout.toSeconds() + " s";
      }
      long wall = System.nanoTime() - start;
      Runtime.getRuntime().removeShutdownHook(hook);
      drain.join(STOP_TIMEOUT.toMillis());
      String died;
      synchronized (results) {
        died = results.get("seconds-to-first-error");
      }
      if (exit.startsWith("exit ") && !exit.equals("exit 0")) {
        exit +=
            switch (exit) {
              case "exit 3" -> ": OutOfMemoryError";
              case "exit 4" -> ": the child's deadline passed";
              default -> ": error";
            };
        if (died != null) {
          exit += String.format(Locale.ROOT, " at %.1f s", Double.parseDouble(died));
        }
      }
      // Ends a write that a dead client left blocked, so that the report is final (idempotent).
      server.close();

      Result result;
      synchronized (results) {
        result =
            new Result(
                scenario.id(),
                exit.equals("exit 0"),
                exit,
                wall,
                parseLong(results.get("peak-heap-bytes")),
                nullable(results.get("outcome")),
                nullable(results.get("error")),
                server.report(),
                List.copyOf(tail));
      }
      print(result);
      return result;
    } finally {
      server.close();
    }
  }

  private static void print(Result r) {
    System.out.println("completed:   " + (r.completed() ? "yes" : "NO") + " (" + r.exit() + ")");
    System.out.println("wall time:   " + Report.duration(r.wallNanos()));
    System.out.println("peak heap:   " + Report.bytes(r.peakHeapBytes()) + " (sum of pool peaks)");
    System.out.println(
        "outcome:     "
            + (r.outcome() != null ? r.outcome() : "none (the client's wait never returned)"));
    if (r.error() != null) System.out.println("error:       " + r.error());
    System.out.println("server:      " + r.server());
    if (!r.completed() && !r.outputTail().isEmpty()) {
      System.out.println("child's last lines:");
      for (String line : r.outputTail()) System.out.println("  " + line);
    }
  }

  private static void drain(Process child, Map<String, String> results, Deque<String> tail) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        synchronized (results) {
          if (line.startsWith(MemoryChild.PREFIX)) {
            String entry = line.substring(MemoryChild.PREFIX.length());
            int colon = entry.indexOf(": ");
            if (colon > 0) results.put(entry.substring(0, colon), entry.substring(colon + 2));
          } else {
            tail.addLast(line);
            if (tail.size() > TAIL_LINES) tail.removeFirst();
          }
        }
      }
    } catch (IOException e) {
      // The pipe ends with the child; what was read is all there is.
    }
  }

  private static long parseLong(String value) {
    try {
      return value == null ? -1 : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String nullable(String value) {
    return value == null || value.equals("null") ? null : value;
  }
}
