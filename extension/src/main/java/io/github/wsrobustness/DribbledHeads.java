package io.github.wsrobustness;

import io.github.wsrobustness.http.HandshakeRequest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Connections a catalogue case opens beside its own, each sending its opening handshake (RFC 6455
 * §4.1) one byte per interval: the slow-request attack (a slowloris) that does finish. They dribble
 * in the background while the case goes on (a fresh client is checked meanwhile); {@link
 * #awaitAnswers()} then collects how the server met each: it upgraded the whole head, refused it,
 * or timed it out before it was whole, and when.
 *
 * <p>A server may time out a head that comes this slowly (408 Request Timeout, RFC 9110 §15.5.9, or
 * a drop) or refuse it for load (429, 503); it must not answer before the head is whole with
 * anything else, nor refuse a whole head that it would upgrade in one write, nor leave a whole head
 * unanswered.
 *
 * <p>Thread-safety: used by the thread running one case; each sender fills only its own result.
 */
final class DribbledHeads implements AutoCloseable {
  /** The most connections that dribble at once: each takes a thread for the whole dribble. */
  static final int MAX_COUNT = 200;

  private final int count;
  private final Duration interval;
  private final Duration wait;
  private final ExecutorService senders;
  private final List<Future<Result>> futures = new ArrayList<>();
  private final Set<RawWebSocketClient> clients = ConcurrentHashMap.newKeySet();

  /** The results, once {@link #awaitAnswers()} collected them. */
  private final List<Result> results = new ArrayList<>();

  /**
   * How many bytes a head has: they differ only by a key of fixed length, so one stands for all.
   */
  private volatile int headBytes;

  private volatile boolean closed;

  /**
   * How the server met one head.
   *
   * @param how upgraded, refused (a status after the whole head), dropped (after it), timed out
   *     (408, 429, 503 or a drop before the head was whole), misjudged (another answer before it),
   *     silent, or failed (the client's own connect)
   * @param status the answer's status, or 0: none
   * @param afterNanos from the first byte to the server's answer or drop; from the last byte when
   *     the head was whole
   * @param detail the first line of a failure, or null
   */
  private record Result(String how, int status, long afterNanos, String detail) {}

  private DribbledHeads(int count, Duration interval, Duration wait) {
    this.count = count;
    this.interval = interval;
    this.wait = wait;
    this.senders =
        Executors.newFixedThreadPool(
            count,
            r -> {
              Thread thread = new Thread(r, "wsrobustness-dribbler");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Starts {@code count} connections to {@code uri}, each sending its client's own opening
   * handshake a byte every {@code interval}; returns at once. After its last byte each waits {@code
   * wait} for the answer.
   */
  static DribbledHeads start(
      URI uri,
      Function<URI, RawWebSocketClient.Builder> builders,
      int count,
      Duration interval,
      Duration wait) {
    if (count < 1 || count > MAX_COUNT) {
      throw new IllegalArgumentException("count must be 1 to " + MAX_COUNT + ": " + count);
    }
    DribbledHeads heads = new DribbledHeads(count, interval, wait);
    for (int i = 0; i < count; i++) {
      heads.futures.add(heads.senders.submit(() -> heads.dribbleOne(uri, builders)));
    }
    heads.senders.shutdown(); // the threads end with their heads
    return heads;
  }

  private Result dribbleOne(URI uri, Function<URI, RawWebSocketClient.Builder> builders) {
    RawWebSocketClient client;
    try {
      client = builders.apply(uri).deadline(wait).connectWithoutUpgrade();
    } catch (RuntimeException e) {
      return new Result("failed", 0, 0, ServingChecks.firstLine(e.getMessage()));
    }
    clients.add(client);
    if (closed) {
      client.close();
      return new Result("failed", 0, 0, "the case ended first");
    }
    try {
      HandshakeRequest request = client.handshakeRequest();
      headBytes = request.toBytes(uri).size();
      long start = System.nanoTime();
      // Each pause is spent listening: a server that answers or closes mid-head ends the send.
      boolean whole =
          client.sendHandshake(request, Delivery.inChunksOf(1).pauseBetween(interval))
              && client.writeFailure() == null;
      long sent = System.nanoTime();
      Handshake.Answer answer = client.awaitAnswer(sent + wait.toNanos());
      long answered = System.nanoTime();
      if (answer.response() == null) {
        return switch (answer.why()) {
          case TIMED_OUT -> new Result("silent", 0, answered - sent, null);
          case CONNECTION_ENDED ->
              whole
                  ? new Result("dropped", 0, answered - sent, null)
                  : new Result("timed out", 0, sent - start, null);
          case NOT_HTTP -> new Result("misjudged", 0, 0, ServingChecks.firstLine(answer.failure()));
        };
      }
      int status = answer.response().status();
      if (!whole) {
        boolean timeout = status == 408 || status == 429 || status == 503;
        return new Result(timeout ? "timed out" : "misjudged", status, sent - start, null);
      }
      return new Result(status == 101 ? "upgraded" : "refused", status, answered - sent, null);
    } catch (RuntimeException e) {
      return new Result("failed", 0, 0, ServingChecks.firstLine(e.getMessage()));
    }
  }

  /**
   * Waits until every head was sent whole and answered, or ended on the way, or its wait ran out:
   * all by one deadline, the dribble's length and the wait from now.
   */
  void awaitAnswers() {
    if (!results.isEmpty() || closed) return;
    // An outer bound only: each sender's connect, paced send and answer have bounds of their own.
    long dribble = interval.toNanos() * (headBytes > 0 ? headBytes : 1024);
    long deadline = System.nanoTime() + dribble + wait.toNanos() + TimeUnit.SECONDS.toNanos(5);
    for (Future<Result> future : futures) {
      try {
        results.add(future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      } catch (TimeoutException | CancellationException e) {
        future.cancel(true);
        results.add(new Result("silent", 0, wait.toNanos(), null));
      } catch (ExecutionException e) {
        results.add(new Result("failed", 0, 0, String.valueOf(e.getCause())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        results.add(new Result("failed", 0, 0, "interrupted"));
      }
    }
  }

  /**
   * For the case's note: {@code 50 request heads of 153 bytes, a byte every 20 ms (3.0 s each): 50
   * upgraded, 1–4 ms after the last byte}.
   */
  String describe() {
    List<String> parts = new ArrayList<>();
    for (String how :
        List.of("upgraded", "refused", "dropped", "timed out", "misjudged", "silent")) {
      List<Result> these = results.stream().filter(r -> r.how().equals(how)).toList();
      if (!these.isEmpty()) parts.add(these.size() + " " + how + range(how, these));
    }
    List<Result> failed = results.stream().filter(r -> r.how().equals("failed")).toList();
    if (!failed.isEmpty()) {
      parts.add(failed.size() + " failed (" + failed.get(0).detail() + ")");
    }
    return String.format(
            Locale.ROOT,
            "%,d request heads of %,d bytes, a byte every %d ms (%.1f s each): ",
            count,
            headBytes,
            interval.toMillis(),
            interval.toMillis() * Math.max(headBytes - 1, 0) / 1000.0)
        + String.join(", ", parts);
  }

  /** {@code (408), after 2.0–2.1 s}: the statuses and times of one kind of result. */
  private static String range(String how, List<Result> these) {
    List<Integer> statuses =
        these.stream().map(Result::status).filter(s -> s > 0).distinct().sorted().toList();
    String status = statuses.isEmpty() || how.equals("upgraded") ? "" : " " + statuses;
    if (how.equals("silent")) return status;
    long min = these.stream().mapToLong(Result::afterNanos).min().orElse(0) / 1_000_000;
    long max = these.stream().mapToLong(Result::afterNanos).max().orElse(0) / 1_000_000;
    String span = span(min, max);
    boolean fromLastByte = !how.equals("timed out") && !how.equals("misjudged");
    return status
        + (fromLastByte
            ? ", " + span + " after the last byte"
            : " before the head was whole, " + span + " after the first byte");
  }

  /** {@code 3–12 ms}, {@code 2.0–2.1 s}, {@code 4 ms}: in one unit, the larger's. */
  private static String span(long minMillis, long maxMillis) {
    if (maxMillis < 1000) {
      return minMillis == maxMillis ? maxMillis + " ms" : minMillis + "\u2013" + maxMillis + " ms";
    }
    String min = String.format(Locale.ROOT, "%.1f", minMillis / 1000.0);
    String max = String.format(Locale.ROOT, "%.1f", maxMillis / 1000.0);
    return (min.equals(max) ? max : min + "\u2013" + max) + " s";
  }

  /**
   * Why the server failed, or null: a head answered before it was whole with anything but a time
   * out or a refusal for load, a whole head refused with another status or left unanswered within
   * the wait, or a connection that could not be made.
   */
  String failure() {
    for (Result result : results) {
      switch (result.how()) {
        case "misjudged" -> {
          return result.status() > 0
              ? "a request head sent a byte every "
                  + interval.toMillis()
                  + " ms was answered "
                  + result.status()
                  + " before it was whole: a server must read a head that comes in pieces to its"
                  + " end, and may only time it out (408, or a drop) or refuse it for load (429,"
                  + " 503)"
              : "a request head sent a byte every "
                  + interval.toMillis()
                  + " ms got an answer that is no HTTP: "
                  + result.detail();
        }
        case "refused" -> {
          if (result.status() > 0
              && result.status() != 408
              && result.status() != 429
              && result.status() != 503) {
            return "a request head sent whole, a byte every "
                + interval.toMillis()
                + " ms, was refused with "
                + result.status()
                + ", while the same head in one write is upgraded: the server misread a head that"
                + " came in pieces";
          }
        }
        case "silent" -> {
          return silentCount()
              + " of "
              + String.format(Locale.ROOT, "%,d", count)
              + " request heads sent whole, a byte every "
              + interval.toMillis()
              + " ms, got no answer within "
              + wait.toMillis()
              + " ms of their last byte";
        }
        case "failed" -> {
          return "a connection to dribble a request head on failed: " + result.detail();
        }
        default -> {}
      }
    }
    return null;
  }

  private long silentCount() {
    return results.stream().filter(r -> r.how().equals("silent")).count();
  }

  /** Ends every connection at once: a reset (SO_LINGER 0), or the end of TCP (a FIN). */
  void end(boolean reset) {
    if (closed) return;
    closed = true;
    senders.shutdownNow();
    HeldConnections.endAll(clients, reset);
  }

  @Override
  public void close() {
    end(false);
  }
}
