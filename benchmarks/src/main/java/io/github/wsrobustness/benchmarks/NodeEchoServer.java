package io.github.wsrobustness.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo's Node.js {@code ws} echo server ({@code demo-tests/node/echo-server.js}), run as a
 * child process on a port it picks itself (it is started with port 0 and reports the port it bound
 * in its {@code listening on 127.0.0.1:<port>} line).
 *
 * <p>Its output is always drained (it logs one line per rejected frame, and a full pipe would stall
 * it mid-benchmark), keeping the last lines for error messages. The process is ended by its own
 * handle ({@link Process#destroy()}, then {@link Process#destroyForcibly()}) on {@link #close()},
 * and by a shutdown hook should the benchmark JVM exit first.
 *
 * <p>Thread-safety: {@link #uri()} may be called from any thread; {@link #close()} is for the
 * owner.
 */
final class NodeEchoServer implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
  private static final int TAIL_LINES = 20;

  private final Process process;
  private final Thread shutdownHook;
  private final int port;

  /** The last lines the process printed; guarded by itself. */
  private final Deque<String> tail;

  private NodeEchoServer(Process process, Thread shutdownHook, int port, Deque<String> tail) {
    this.process = process;
    this.shutdownHook = shutdownHook;
    this.port = port;
    this.tail = tail;
  }

  /**
   * Starts {@code node echo-server.js 0} in {@code directory} and waits, at most 20 s, for its
   * readiness line.
   *
   * @throws IllegalStateException when the npm packages are missing, or the server died or stayed
   *     silent; the message has the fix or the server's last output
   */
  static NodeEchoServer start(Path directory) throws IOException, InterruptedException {
    if (!Files.isDirectory(directory.resolve("node_modules").resolve("ws"))) {
      throw new IllegalStateException(
          "the Node demo server's packages are missing in "
              + directory.toAbsolutePath().normalize()
              + "; run `npm ci` there first (the command in benchmarks/README.md does)");
    }
    Process process =
        new ProcessBuilder("node", "echo-server.js", "0")
            .directory(directory.toFile())
            .redirectErrorStream(true)
            .start();
    Thread hook = new Thread(process::destroyForcibly, "stop node echo-server.js");
    Runtime.getRuntime().addShutdownHook(hook);
    Deque<String> tail = new ArrayDeque<>();
    CompletableFuture<Integer> ready = new CompletableFuture<>();
    Thread drain =
        new Thread(
            () -> drain(process, tail, ready), "drain node echo-server.js pid " + process.pid());
    drain.setDaemon(true);
    drain.start();
    try {
      int port = ready.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return new NodeEchoServer(process, hook, port, tail);
    } catch (ExecutionException | TimeoutException e) {
      stop(process);
      Runtime.getRuntime().removeShutdownHook(hook);
      String why =
          e instanceof TimeoutException
              ? "printed no `listening on` line within " + READY_TIMEOUT.toSeconds() + " s"
              : e.getCause().getMessage();
      throw new IllegalStateException(
          "node echo-server.js (pid "
              + process.pid()
              + ") "
              + why
              + "; last output:\n"
              + tail(tail),
          e);
    }
  }

  private static void drain(Process process, Deque<String> tail, CompletableFuture<Integer> ready) {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        synchronized (tail) {
          tail.addLast(line);
          if (tail.size() > TAIL_LINES) tail.removeFirst();
        }
        Matcher m = LISTENING.matcher(line);
        if (!ready.isDone() && m.find()) ready.complete(Integer.parseInt(m.group(1)));
      }
    } catch (IOException e) {
      // The pipe closes when the process is destroyed; nothing to report beyond the exit below.
    }
    ready.completeExceptionally(new IllegalStateException("exited before it was ready"));
  }

  private static String tail(Deque<String> tail) {
    synchronized (tail) {
      return tail.isEmpty() ? "  (nothing)" : "  " + String.join("\n  ", tail);
    }
  }

  /** The echo endpoint, {@code ws://127.0.0.1:<port>/}. */
  URI uri() {
    return URI.create("ws://127.0.0.1:" + port + "/");
  }

  /**
   * Fails when the server process has died: a benchmark that kept going would time a refused
   * connection.
   */
  void requireAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "node echo-server.js (pid "
              + process.pid()
              + ") exited with code "
              + process.exitValue()
              + "; last output:\n"
              + tail(tail));
    }
  }

  /** Ends the process by its handle, forcibly if it does not stop within 5 s. */
  @Override
  public void close() {
    try {
      stop(process);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    Runtime.getRuntime().removeShutdownHook(shutdownHook);
  }

  private static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            "node echo-server.js (pid " + process.pid() + ") would not stop");
      }
    }
  }
}
