package io.github.wsrobustness;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * A server process the extension started: it picks a free port, hands it over through {@code
 * {port}} in the command line, environment and URI, waits until the server is ready (a matching
 * output line, or its port accepting), captures its output, and kills the whole process tree on
 * {@link #close()} or when the JVM exits.
 *
 * <p>Alive means the OS process runs and a fresh client completes a handshake and ping/pong: a
 * process that is dying may still accept TCP connections for a few milliseconds. When it died, the
 * verdict names the exit code and ends with the tail of its output.
 *
 * <p>Thread-safety: thread-safe.
 */
final class LaunchedServer implements ServerUnderTest, AutoCloseable {
  static final String PORT_PLACEHOLDER = "{port}";
  private static final int OUTPUT_LINES_KEPT = 200;
  private static final int OUTPUT_LINES_SHOWN = 40;
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  /** What to launch. */
  record Spec(
      List<String> command,
      File directory,
      Map<String, String> environment,
      String uriTemplate,
      Pattern readyPattern,
      Duration readyDeadline,
      Duration deadline,
      boolean trustAllCertificates) {}

  private final Spec spec;
  private final Process process;
  private final String commandLine;
  private final URI uri;
  private final Deque<String> output = new ArrayDeque<>();
  private final List<Thread> pumps = new ArrayList<>();
  private final CompletableFuture<String> readyLine = new CompletableFuture<>();
  private final Thread shutdownHook;

  private LaunchedServer(Spec spec, Process process, String commandLine, URI uri) {
    this.spec = spec;
    this.process = process;
    this.commandLine = commandLine;
    this.uri = uri;
    this.shutdownHook = new Thread(this::destroyTree, "wsrobustness-kill " + commandLine);
  }

  /**
   * Starts the process and waits until it is ready.
   *
   * @throws ExtensionConfigurationException when it cannot start, exits early, or is not ready in
   *     time; the message names the command and shows its output
   */
  static LaunchedServer start(Spec spec) {
    int port = freePort();
    String portText = Integer.toString(port);
    List<String> command = new ArrayList<>();
    for (String part : spec.command()) command.add(part.replace(PORT_PLACEHOLDER, portText));
    String commandLine = String.join(" ", command);
    URI uri = URI.create(spec.uriTemplate().replace(PORT_PLACEHOLDER, portText));

    ProcessBuilder builder = new ProcessBuilder(command);
    if (spec.directory() != null) builder.directory(spec.directory());
    spec.environment()
        .forEach(
            (name, value) ->
                builder.environment().put(name, value.replace(PORT_PLACEHOLDER, portText)));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new ExtensionConfigurationException(
          "could not start the server process `"
              + commandLine
              + "`"
              + (spec.directory() != null ? " in " + spec.directory().getAbsolutePath() : "")
              + ": "
              + e.getMessage()
              + "; check the launch command and launchDirectory",
          e);
    }
    LaunchedServer server = new LaunchedServer(spec, process, commandLine, uri);
    Runtime.getRuntime().addShutdownHook(server.shutdownHook);
    server.pump(process.getInputStream(), "");
    server.pump(process.getErrorStream(), "[stderr] ");
    try {
      server.awaitReady(port);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new ExtensionConfigurationException(
          "could not find a free port on 127.0.0.1: " + e.getMessage(), e);
    }
  }

  private void pump(InputStream stream, String prefix) {
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                  synchronized (output) {
                    output.addLast(prefix + line);
                    if (output.size() > OUTPUT_LINES_KEPT) output.removeFirst();
                  }
                  if (spec.readyPattern() != null && spec.readyPattern().matcher(line).find())
                    readyLine.complete(line);
                }
              } catch (IOException e) {
                synchronized (output) {
                  output.addLast("[output unreadable: " + e.getMessage() + "]");
                }
              }
            },
            "wsrobustness-output " + commandLine);
    pump.setDaemon(true);
    pump.start();
    pumps.add(pump);
  }

  private void awaitReady(int port) {
    long deadline = System.nanoTime() + spec.readyDeadline().toNanos();
    String waitedFor =
        spec.readyPattern() != null
            ? "a line of output matching '" + spec.readyPattern().pattern() + "'"
            : "port " + port + " to accept a connection";
    while (true) {
      if (spec.readyPattern() != null ? readyLine.isDone() : portAccepts(port)) return;
      if (!process.isAlive()) {
        joinPumps(); // its last words (why it could not start) may still be on their way from the
        // pipes
        throw new ExtensionConfigurationException(
            "the server process `"
                + commandLine
                + "` exited with code "
                + process.exitValue()
                + " before it was ready (waited for "
                + waitedFor
                + ")"
                + outputTail());
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        throw new ExtensionConfigurationException(
            "the server process `"
                + commandLine
                + "` was not ready within "
                + spec.readyDeadline().toMillis()
                + " ms (waited for "
                + waitedFor
                + "); raise readyDeadline if it is just slow"
                + outputTail());
      }
      // Wake on whichever comes first: readiness, the process's exit, or the next poll of the port.
      CompletableFuture<?> event =
          spec.readyPattern() != null
              ? CompletableFuture.anyOf(readyLine, process.onExit())
              : process.onExit();
      long pollNanos =
          spec.readyPattern() != null
              ? remaining
              : Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(25));
      try {
        event.get(pollNanos, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        // no event yet: poll again
      } catch (ExecutionException e) {
        throw new IllegalStateException("waiting for the server process failed", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ExtensionConfigurationException(
            "interrupted while waiting for `" + commandLine + "`", e);
      }
    }
  }

  private static boolean portAccepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 250);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public URI uri() {
    return uri;
  }

  /** The command line that was started, placeholders replaced. */
  String commandLine() {
    return commandLine;
  }

  /** The OS process. */
  Process process() {
    return process;
  }

  @Override
  public Liveness checkAlive() {
    if (!process.isAlive()) return Liveness.dead(exitDescription());
    Liveness serves = checkServes();
    if (serves.isAlive()) {
      return Liveness.alive("process " + process.pid() + " is running and " + serves.description());
    }
    // Not serving: if the process is on its way out, wait for its exit code rather than race it.
    try {
      process.onExit().get(spec.deadline().toMillis(), TimeUnit.MILLISECONDS);
      return Liveness.dead(exitDescription());
    } catch (TimeoutException e) {
      return Liveness.dead(
          "process " + process.pid() + " is running, but " + serves.description() + outputTail());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Liveness.dead("interrupted while checking the process; " + serves.description());
    } catch (ExecutionException e) {
      return Liveness.dead("waiting for the process failed: " + e.getCause());
    }
  }

  @Override
  public Liveness checkServes() {
    return RemoteServer.checkServes(
        () -> ExtensionSettings.clientBuilder(uri, spec.deadline(), spec.trustAllCertificates()),
        spec.deadline());
  }

  private String exitDescription() {
    joinPumps(); // the last lines (a stack trace, typically) are written just before the exit
    return "process `" + commandLine + "` exited with code " + process.exitValue() + outputTail();
  }

  private void joinPumps() {
    for (Thread pump : pumps) {
      try {
        pump.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The last lines of the process's output, headed, or a note that there was none. */
  String outputTail() {
    List<String> lines;
    synchronized (output) {
      lines = new ArrayList<>(output);
    }
    if (lines.isEmpty()) return "\n(the process wrote no output)";
    int from = Math.max(0, lines.size() - OUTPUT_LINES_SHOWN);
    StringBuilder out = new StringBuilder("\nlast output of `").append(commandLine).append("`:\n");
    for (String line : lines.subList(from, lines.size()))
      out.append("  ").append(line).append('\n');
    return out.toString().stripTrailing();
  }

  /** Kills the process tree: politely first, forcibly after a grace period. Idempotent. */
  @Override
  public void close() {
    destroyTree();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down; the hook runs or ran anyway
    }
  }

  private void destroyTree() {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + STOP_GRACE.toNanos();
    for (ProcessHandle handle : tree) {
      long remaining = deadline - System.nanoTime();
      try {
        handle.onExit().get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException e) {
        handle.destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        handle.destroyForcibly();
      }
    }
  }

  @Override
  public String toString() {
    return "launched server `" + commandLine + "` at " + uri;
  }
}
