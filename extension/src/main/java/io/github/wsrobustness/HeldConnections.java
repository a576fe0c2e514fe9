package io.github.wsrobustness;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import okio.ByteString;

/**
 * Connections a catalogue case opens beside its own and holds until it ends (R8's connection
 * floods): opened at once by {@value #OPENERS} threads, each sending its opening handshake (RFC
 * 6455 §4.1) and waiting for the answer, then kept idle; counted by how the server answered, and
 * ended together, with a FIN or a reset.
 *
 * <p>Thread-safety: used by the thread running one case; the openers only fill their own results.
 */
final class HeldConnections implements AutoCloseable {
  /** How many connections are being opened at any one time. */
  static final int OPENERS = 32;

  private final List<RawWebSocketClient> clients = new ArrayList<>();
  private int upgraded;
  private int refused;
  private int ended;
  private int silent;
  private int failed;
  private String firstFailure;
  private final int count;
  private final Duration wait;
  private boolean closed;

  /** Whether the connections sent unfinished heads: nothing was awaited, nothing counted. */
  private boolean unfinished;

  private HeldConnections(int count, Duration wait) {
    this.count = count;
    this.wait = wait;
  }

  /** How one opening went. */
  private record Opened(RawWebSocketClient client, String how, String failure) {}

  /**
   * Opens {@code count} connections to {@code uri}, {@value #OPENERS} at a time, each sending its
   * opening handshake; then waits for their answers, all by one deadline, {@code wait} from then.
   * {@code unfinished}: each sends its request head without the blank line that ends it, and no
   * answer is awaited: nothing is due.
   */
  static HeldConnections open(
      URI uri,
      Function<URI, RawWebSocketClient.Builder> builders,
      int count,
      Duration wait,
      boolean unfinished) {
    HeldConnections held = new HeldConnections(count, wait);
    held.unfinished = unfinished;
    ExecutorService openers =
        Executors.newFixedThreadPool(
            Math.min(OPENERS, count),
            r -> {
              Thread thread = new Thread(r, "wsrobustness-opener");
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<Callable<Opened>> sends = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        sends.add(() -> sendOne(uri, builders, wait, unfinished));
      }
      // Each connect and request is bounded by the wait; this bounds them all, in rounds.
      long rounds = (count + OPENERS - 1) / OPENERS;
      List<RawWebSocketClient> sent = new ArrayList<>(count);
      for (Future<Opened> future :
          openers.invokeAll(sends, wait.toMillis() * rounds + 5_000, TimeUnit.MILLISECONDS)) {
        Opened opened = held.result(future);
        if (opened.client() != null) sent.add(opened.client());
        else held.count(opened);
      }
      if (!unfinished) {
        long deadline = System.nanoTime() + wait.toNanos();
        List<Callable<Opened>> answers = new ArrayList<>(sent.size());
        for (RawWebSocketClient client : sent) answers.add(() -> answerOf(client, deadline));
        for (Future<Opened> future :
            openers.invokeAll(answers, wait.toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
          held.count(held.result(future));
        }
      }
      held.clients.addAll(sent);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      openers.shutdownNow();
    }
    return held;
  }

  /**
   * Connects and sends the opening handshake, or with {@code unfinished} its head but for the last
   * CRLF; a client, or how it failed.
   */
  private static Opened sendOne(
      URI uri,
      Function<URI, RawWebSocketClient.Builder> builders,
      Duration wait,
      boolean unfinished) {
    RawWebSocketClient client;
    try {
      client = builders.apply(uri).deadline(wait).connectWithoutUpgrade();
    } catch (RuntimeException e) {
      return new Opened(null, "failed", ServingChecks.firstLine(e.getMessage()));
    }
    try {
      if (unfinished) {
        ByteString head = client.handshakeRequest().toBytes(uri);
        // The head ends in an empty line: CRLF CRLF. One CRLF less leaves it open.
        client.sendRaw(head.substring(0, head.size() - 2));
      } else {
        client.sendHandshake(client.handshakeRequest());
      }
      return new Opened(client, "sent", null);
    } catch (RuntimeException e) {
      client.close();
      return new Opened(null, "failed", ServingChecks.firstLine(e.getMessage()));
    }
  }

  /** How the server answered {@code client}'s handshake by the deadline. */
  private static Opened answerOf(RawWebSocketClient client, long deadlineNanos) {
    try {
      Handshake.Answer answer = client.awaitAnswer(deadlineNanos);
      if (answer.response() != null) {
        return new Opened(client, answer.response().status() == 101 ? "upgraded" : "refused", null);
      }
      return switch (answer.why()) {
        case CONNECTION_ENDED -> new Opened(client, "ended", null);
        case TIMED_OUT -> new Opened(client, "silent", null);
        case NOT_HTTP -> new Opened(client, "failed", ServingChecks.firstLine(answer.failure()));
      };
    } catch (RuntimeException e) {
      return new Opened(client, "failed", ServingChecks.firstLine(e.getMessage()));
    }
  }

  /** A finished task's result; one cut off by the bound of them all is unanswered. */
  private Opened result(Future<Opened> future) {
    try {
      return future.get();
    } catch (java.util.concurrent.CancellationException e) {
      return new Opened(null, "silent", null);
    } catch (ExecutionException e) {
      return new Opened(null, "failed", String.valueOf(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Opened(null, "failed", "interrupted");
    }
  }

  private void count(Opened opened) {
    switch (opened.how()) {
      case "upgraded" -> upgraded++;
      case "refused" -> refused++;
      case "ended" -> ended++;
      case "silent" -> silent++;
      default -> {
        failed++;
        if (firstFailure == null) firstFailure = opened.failure();
      }
    }
  }

  /** {@code 300 connections opened at once: 300 upgraded}, for the case's note. */
  String describe() {
    if (unfinished) {
      return String.format("%,d", clients.size())
          + " of "
          + String.format("%,d", count)
          + " unfinished request heads held"
          + (failed > 0 ? "; " + failed + " connections failed (" + firstFailure + ")" : "");
    }
    List<String> parts = new ArrayList<>();
    if (upgraded > 0) parts.add(upgraded + " upgraded");
    if (refused > 0) parts.add(refused + " refused");
    if (ended > 0) parts.add(ended + " dropped");
    if (silent > 0) parts.add(silent + " unanswered");
    if (failed > 0) parts.add(failed + " failed (" + firstFailure + ")");
    return String.format("%,d", count) + " connections opened at once: " + String.join(", ", parts);
  }

  /**
   * Why the server failed the flood, or null: a handshake it neither answered nor dropped within
   * the wait (a refusal or a drop is its right), or a connection that could not even be made.
   */
  String failure() {
    if (silent > 0) {
      return silent
          + " of "
          + String.format("%,d", count)
          + " opening handshakes got no answer within "
          + wait.toMillis()
          + " ms";
    }
    if (failed > 0) {
      return failed + " of " + String.format("%,d", count) + " connections failed: " + firstFailure;
    }
    return null;
  }

  /** Ends every held connection at once: a reset (SO_LINGER 0), or the end of TCP (a FIN). */
  void end(boolean reset) {
    if (closed) return;
    closed = true;
    endAll(clients, reset);
  }

  /** Ends each of {@code clients}: a reset (SO_LINGER 0), or the end of TCP (a FIN). */
  static void endAll(Iterable<RawWebSocketClient> clients, boolean reset) {
    for (RawWebSocketClient client : clients) {
      if (reset) client.abort();
      client.close();
    }
  }

  @Override
  public void close() {
    end(false);
  }
}
