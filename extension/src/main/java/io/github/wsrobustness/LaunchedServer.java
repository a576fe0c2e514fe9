package io.github.wsrobustness;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * A server process the extension started, from launch to kill.
 *
 * <ul>
 *   <li><b>Its port.</b> A server that binds port 0 reports the port it got, read from its ready
 *       line by the readiness pattern's first group ({@code listening on (\d+)}): nothing can race
 *       for it. Otherwise a free port is handed in through {@code {port}}, and a launch that fails
 *       because the port was taken meanwhile ("address already in use") is tried again on another.
 *   <li><b>Ready</b> means its ready line was printed, or, without a readiness pattern, that it
 *       answers a WebSocket handshake: a socket that merely accepts on the port may be someone
 *       else's.
 *   <li><b>Its output</b> is always drained, line by bounded line ({@link ServerOutput}).
 *   <li><b>Its end.</b> It runs as the leader of a process group that a watchdog kills when this
 *       JVM goes, however it goes ({@link ProcessGroup}); {@link #close()} ends the group too.
 *   <li><b>Alive</b> means the process runs and a fresh client is served, as the liveness check
 *       says, all in one deadline; when it died, the verdict names the exit code and ends with the
 *       tail of its output.
 * </ul>
 *
 * <p>Thread-safety: thread-safe.
 */
final class LaunchedServer implements ServerUnderTest, AutoCloseable {
  static final String PORT_PLACEHOLDER = "{port}";
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  /** How long a process that no longer answers has to exit before it counts as alive after all. */
  private static final Duration DYING_GRACE = Duration.ofSeconds(1);

  private static final int PORT_ATTEMPTS = 5;

  /**
   * How long one readiness handshake may take: a socket that accepts and stays silent is not it.
   */
  private static final Duration READY_PROBE = Duration.ofMillis(500);

  /** What to launch. */
  record Spec(
      List<String> command,
      File directory,
      Map<String, String> environment,
      String uriTemplate,
      Pattern readyPattern,
      Duration readyDeadline,
      Duration deadline,
      boolean trustAllCertificates,
      ServingChecks liveness) {

    /**
     * Whether the server reports its own port: in the readiness pattern's group named {@code port},
     * else its first group.
     */
    boolean portFromOutput() {
      return readyPattern != null && readyPattern.matcher("").groupCount() >= 1;
    }

    /**
     * What makes two launches the same process: everything but the checks' settings, so that a
     * {@code @Nested} class that only changes a deadline or the liveness shares its outer class's
     * server.
     */
    String launchKey() {
      return List.of(
              command,
              String.valueOf(directory),
              environment,
              uriTemplate,
              readyPattern == null ? "" : readyPattern.pattern(),
              readyDeadline,
              trustAllCertificates)
          .toString();
    }

    /** Whether {@code {port}} is handed to the process, in its arguments or environment. */
    boolean handsInPort() {
      return command.stream().anyMatch(part -> part.contains(PORT_PLACEHOLDER))
          || environment.values().stream().anyMatch(value -> value.contains(PORT_PLACEHOLDER));
    }
  }

  /** The launch found its port taken: worth another try, on another port. */
  private static final class PortTaken extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PortTaken(String message) {
      super(message);
    }
  }

  private final Spec spec;
  private final Process process;
  private final String commandLine;
  private final ProcessGroup group; // null where process groups are not supported
  private final ServerOutput output;
  private final CompletableFuture<String> readyLine = new CompletableFuture<>();
  private final Thread shutdownHook;
  private volatile URI uri;

  private LaunchedServer(Spec spec, Process process, String commandLine, ProcessGroup group) {
    this.spec = spec;
    this.process = process;
    this.commandLine = commandLine;
    this.group = group;
    this.output =
        new ServerOutput(
            line -> {
              if (spec.readyPattern() == null || readyLine.isDone()) return;
              try {
                if (spec.readyPattern().matcher(line).find()) readyLine.complete(line);
              } catch (RuntimeException | StackOverflowError e) {
                // A pattern that cannot match this line (a catastrophic regex) must not stop the
                // draining: the server would block on a full pipe. Not ready by this line.
              }
            });
    this.shutdownHook = new Thread(this::destroy, "wsrobustness-kill " + commandLine);
  }

  /** Starts the process and waits until it is ready, on a fresh free port each time it must. */
  static LaunchedServer start(Spec spec) {
    return start(spec, LaunchedServer::freePort);
  }

  /**
   * As {@link #start(Spec)}, taking the ports to hand in from {@code ports}.
   *
   * @throws ExtensionConfigurationException when it cannot start, exits early, or is not ready in
   *     time; the message names the command and shows its output
   */
  static LaunchedServer start(Spec spec, IntSupplier ports) {
    List<String> taken = new ArrayList<>();
    for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
      int port = spec.portFromOutput() ? 0 : ports.getAsInt();
      LaunchedServer server = launch(spec, port);
      boolean ready = false;
      try {
        server.awaitReady(port);
        ready = true;
        return server;
      } catch (PortTaken e) {
        taken.add(e.getMessage());
      } finally {
        if (!ready) server.close(); // whatever went wrong, an unready server is ended
      }
    }
    throw new ExtensionConfigurationException(
        "the server process could not bind a port in "
            + PORT_ATTEMPTS
            + " attempts, each taken by someone else meanwhile; let it bind port 0 and print the"
            + " port it got, read by a group in readyWhenOutputMatches (e.g. \"listening on"
            + " (\\\\d+)\"):\n"
            + String.join("\n", taken));
  }

  private static LaunchedServer launch(Spec spec, int port) {
    String portText = Integer.toString(port);
    List<String> command = new ArrayList<>();
    for (String part : spec.command()) command.add(part.replace(PORT_PLACEHOLDER, portText));
    String commandLine = String.join(" ", command);
    boolean grouped = ProcessGroup.supported();
    ProcessBuilder builder = new ProcessBuilder(grouped ? ProcessGroup.leaderOf(command) : command);
    if (spec.directory() != null) builder.directory(spec.directory());
    spec.environment()
        .forEach(
            (name, value) ->
                builder.environment().put(name, value.replace(PORT_PLACEHOLDER, portText)));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw cannotStart(spec, commandLine, e.getMessage(), e);
    }
    ProcessGroup group = null;
    if (grouped) {
      try {
        group = ProcessGroup.watch(process);
      } catch (IOException e) {
        process.destroyForcibly();
        throw new UncheckedIOException("could not start the watchdog of `" + commandLine + "`", e);
      }
    }
    LaunchedServer server = new LaunchedServer(spec, process, commandLine, group);
    Runtime.getRuntime().addShutdownHook(server.shutdownHook);
    server.output.pump(process.getInputStream(), "", "wsrobustness-output " + commandLine);
    server.output.pump(process.getErrorStream(), "[stderr] ", "wsrobustness-stderr " + commandLine);
    if (!spec.portFromOutput()) server.uri = uriWith(spec, port);
    return server;
  }

  private static ExtensionConfigurationException cannotStart(
      Spec spec, String commandLine, String reason, Throwable cause) {
    return new ExtensionConfigurationException(
        "could not start the server process `"
            + commandLine
            + "`"
            + (spec.directory() != null ? " in " + spec.directory().getAbsolutePath() : "")
            + ": "
            + reason
            + "; check the launch command and launchDirectory",
        cause);
  }

  private static URI uriWith(Spec spec, int port) {
    return URI.create(spec.uriTemplate().replace(PORT_PLACEHOLDER, Integer.toString(port)));
  }

  /** Where the OS hands out ports to {@code bind(0)} and outgoing connections. */
  private static final int[] EPHEMERAL = ephemeralRange();

  private static final int LOWEST_CHOSEN = 10_000;

  /** The first port of the OS's ephemeral range. */
  static int ephemeralRangeStart() {
    return EPHEMERAL[0];
  }

  /**
   * A port that is free now, chosen at random <em>below</em> the OS's ephemeral range: a port from
   * {@code bind(0)} is the very kind every other process's {@code bind(0)} and outgoing connection
   * may get next, and a machine busy binding took it from a launched server in 5 launches of 160;
   * below the range only a process that names a port can take it, and that is rare enough for a
   * retry to handle. Falls back to {@code bind(0)} when nothing there is free.
   */
  static int freePort() {
    int high = EPHEMERAL[0] - 1;
    for (int attempt = 0; high > LOWEST_CHOSEN && attempt < 50; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST_CHOSEN, high + 1);
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        return port;
      } catch (IOException e) {
        // taken: try another
      }
    }
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new ExtensionConfigurationException(
          "could not find a free port on 127.0.0.1: " + e.getMessage(), e);
    }
  }

  /**
   * Linux says; elsewhere (macOS, Windows) the IANA range they use. Read by lines: {@code
   * Files.readString} trusts the size {@code /proc} reports, which is 0.
   */
  private static int[] ephemeralRange() {
    try {
      String[] range =
          Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
              .get(0)
              .trim()
              .split("\\s+");
      return new int[] {Integer.parseInt(range[0]), Integer.parseInt(range[1])};
    } catch (IOException | RuntimeException e) {
      return new int[] {49152, 65535};
    }
  }

  private void awaitReady(int port) {
    long deadline = System.nanoTime() + spec.readyDeadline().toNanos();
    String waitedFor =
        spec.readyPattern() != null
            ? "a line of output matching '" + spec.readyPattern().pattern() + "'"
            : uri + " to answer a WebSocket handshake";
    String lastProbe = null;
    while (true) {
      if (spec.readyPattern() != null) {
        if (readyLine.isDone()) {
          if (spec.portFromOutput()) uri = uriWith(spec, portIn(readyLine.join()));
          return;
        }
      } else {
        lastProbe = probe(deadline);
        // Answered while our process runs: it is ours, unless another process holds the port,
        // and then ours exits on "address in use", which the next look sees.
        if (lastProbe == null && process.isAlive()) return;
      }
      if (!process.isAlive()) {
        output.join(2_000); // its last words (why it could not start) may still be in the pipes
        if (process.exitValue() == 127 && output.mentions("setsid: failed to execute")) {
          // The program itself could not be run: the same failure as a start without setsid.
          String reason = output.tail(commandLine).lines().reduce((a, b) -> b).orElse("").trim();
          throw cannotStart(spec, commandLine, reason, null);
        }
        String exit =
            "the server process `"
                + commandLine
                + "` exited with code "
                + process.exitValue()
                + " before it was ready (waited for "
                + waitedFor
                + ")"
                + output.tail(commandLine);
        if (!spec.portFromOutput() && portTaken()) throw new PortTaken(exit);
        throw new ExtensionConfigurationException(exit);
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
                + (lastProbe != null ? "; the last handshake: " + lastProbe : "")
                + output.tail(commandLine));
      }
      // Wake on whichever comes first: the ready line, the process's exit, or the next handshake.
      CompletableFuture<?> event =
          spec.readyPattern() != null
              ? CompletableFuture.anyOf(readyLine, process.onExit())
              : process.onExit();
      long waitNanos =
          spec.readyPattern() != null
              ? remaining
              : Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(25));
      try {
        event.get(waitNanos, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        // no event yet: look again
      } catch (ExecutionException e) {
        throw new IllegalStateException("waiting for the server process failed", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ExtensionConfigurationException(
            "interrupted while waiting for `" + commandLine + "`", e);
      }
    }
  }

  /** The port the ready line reports in the pattern's group named {@code port}, else its first. */
  private int portIn(String line) {
    Matcher matcher = spec.readyPattern().matcher(line);
    String found = null;
    if (matcher.find()) {
      try {
        found = matcher.group("port");
      } catch (IllegalArgumentException e) {
        found = matcher.group(1); // no group named port (Pattern.namedGroups() is Java 20's)
      }
    }
    try {
      int port = Integer.parseInt(String.valueOf(found).trim());
      if (port > 0 && port <= 65535) return port;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ExtensionConfigurationException(
        "the ready line '"
            + line
            + "' of `"
            + commandLine
            + "` gives port '"
            + found
            + "'; make the first group of readyWhenOutputMatches match the port number, e.g."
            + " \"listening on (\\\\d+)\", or name it (?<port>…) and make other groups (?:…)");
  }

  /** Whether the process said its port was taken. */
  private boolean portTaken() {
    return output.mentions("address already in use")
        || output.mentions("EADDRINUSE")
        || output.mentions("BindException")
        || output.mentions("address in use");
  }

  /** Whether the server completes a WebSocket handshake: the only readiness a port cannot fake. */
  /**
   * Null when the server answers the opening handshake, with any HTTP response at all (a server
   * that wants a token answers 401, and serves); else why not, for the message should it never.
   */
  private String probe(long deadlineNanos) {
    long remaining = deadlineNanos - System.nanoTime();
    if (remaining <= 0) return "no time left";
    Duration probe = Duration.ofNanos(Math.min(remaining, READY_PROBE.toNanos()));
    try {
      freshClient().deadline(probe).connect().close();
      return null;
    } catch (HandshakeException e) {
      return e.response() != null ? null : e.getMessage().lines().findFirst().orElse("");
    } catch (UncheckedIOException e) {
      return e.getMessage();
    }
  }

  private RawWebSocketClient.Builder freshClient() {
    return freshClient(spec.deadline(), spec.trustAllCertificates(), UpgradeOptions.NONE);
  }

  private RawWebSocketClient.Builder freshClient(
      Duration deadline, boolean trustAll, UpgradeOptions upgrade) {
    return upgrade.applyTo(ExtensionSettings.clientBuilder(uri, deadline, trustAll));
  }

  /**
   * This server as a test class with these settings checks it: a {@code @Nested} class may share
   * the process and still have its own deadline and liveness.
   */
  ServerUnderTest checkedWith(
      Duration deadline, boolean trustAll, ServingChecks liveness, UpgradeOptions upgrade) {
    return new ServerUnderTest() {
      @Override
      public URI uri() {
        return uri;
      }

      @Override
      public Liveness checkAlive() {
        return LaunchedServer.this.checkAlive(deadline, trustAll, liveness, upgrade);
      }

      @Override
      public Liveness checkServes() {
        return liveness.check(
            () -> freshClient(deadline, trustAll, upgrade), System.nanoTime() + deadline.toNanos());
      }

      @Override
      public String toString() {
        return LaunchedServer.this.toString();
      }
    };
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

  /**
   * Whether the process runs and serves, in one deadline: when it does not serve and is on its way
   * out, the time left goes to waiting for its exit code rather than racing it.
   */
  @Override
  public Liveness checkAlive() {
    return checkAlive(
        spec.deadline(), spec.trustAllCertificates(), spec.liveness(), UpgradeOptions.NONE);
  }

  private Liveness checkAlive(
      Duration within, boolean trustAll, ServingChecks liveness, UpgradeOptions upgrade) {
    long deadline = System.nanoTime() + within.toNanos();
    if (!process.isAlive()) return Liveness.dead(exitDescription());
    Liveness serves = liveness.check(() -> freshClient(within, trustAll, upgrade), deadline);
    if (serves.isAlive()) {
      return Liveness.alive("process " + process.pid() + " is running and " + serves.description());
    }
    try {
      process.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      return Liveness.dead(exitDescription());
    } catch (TimeoutException e) {
      return Liveness.dead(
          serves.description()
              + " (process "
              + process.pid()
              + " is running)"
              + output.tail(commandLine));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Liveness.dead(serves.description() + " (interrupted while checking the process)");
    } catch (ExecutionException e) {
      return Liveness.dead("waiting for the process failed: " + e.getCause());
    }
  }

  @Override
  public Liveness checkServes() {
    return spec.liveness().check(this::freshClient, System.nanoTime() + spec.deadline().toNanos());
  }

  /** Whether the process still runs. */
  boolean isRunning() {
    return process.isAlive();
  }

  /**
   * Whether the process still runs after a test that may have hurt it. A process on its way out can
   * run on for a moment after the test's last assertion, so its running is not the answer; a fresh
   * connection is: answered at all (even with a 401), it serves; refused or cut off, what decides
   * is whether the process exits within the deadline.
   */
  boolean survived() {
    if (!process.isAlive()) return false;
    long deadline = System.nanoTime() + spec.deadline().toNanos();
    try {
      freshClient().connect().close();
      return true;
    } catch (HandshakeException e) {
      if (e.response() != null) return true;
    } catch (UncheckedIOException e) {
      if (reachedTls(e)) return true; // a TLS layer answered: the process serves, our trust aside
    }
    // Refused, cut off, or silent: a process on its way out exits within moments. One that runs on
    // lives, though it serves badly, and the next test's verdicts will say so.
    long wait = Math.min(deadline - System.nanoTime(), DYING_GRACE.toNanos());
    try {
      process.onExit().get(Math.max(0, wait), TimeUnit.NANOSECONDS);
      return false;
    } catch (TimeoutException e) {
      return true;
    } catch (ExecutionException e) {
      throw new IllegalStateException("waiting for the server process failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return process.isAlive();
    }
  }

  private static boolean reachedTls(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof javax.net.ssl.SSLException) return true;
    }
    return false;
  }

  /** "process `node server.js 4711` exited with code 1", then the tail of its output. */
  String exitDescription() {
    output.join(
        2_000); // the last lines (a stack trace, typically) are written just before the exit
    return "process `"
        + commandLine
        + "` exited with code "
        + process.exitValue()
        + output.tail(commandLine);
  }

  /** Kills the process group (or the tree it can see): politely first, forcibly after 5 s. */
  @Override
  public void close() {
    destroy();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down; the hook runs or ran anyway
    }
  }

  private void destroy() {
    if (group != null && group.watchdog().isAlive()) {
      group.release();
      // The watchdog ends once no member of the group runs, double-forked ones included (and
      // counts one that exited but waits to be reaped as ended, which no ProcessHandle can tell).
      if (exited(group.watchdog(), STOP_GRACE.plusSeconds(1))) return;
      group.watchdog().destroyForcibly();
    }
    // No watchdog (no process groups here, or a signal to the JVM's group took it): the tree we
    // see.
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    exited(process, STOP_GRACE); // our child: its exit is an event; the others are not our children
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  private static boolean exited(Process process, Duration within) {
    try {
      return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  @Override
  public String toString() {
    return "launched server `" + commandLine + "` at " + uri;
  }
}
