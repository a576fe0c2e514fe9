package io.github.wsrobustness.benchmarks;

import io.github.wsrobustness.Outcome;
import io.github.wsrobustness.RawWebSocketClient;
import io.github.wsrobustness.frame.Frame;
import io.github.wsrobustness.frame.Opcode;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import okio.Buffer;
import okio.Source;
import okio.Timeout;

/**
 * The client side of one memory scenario, run by {@link MemoryBenchmark} in a JVM of its own with a
 * small heap ({@code -Xmx64m}): a client that holds what a hostile server sends dies here, not in
 * the benchmark.
 *
 * <p>Usage: {@code MemoryChild <flood|ping-flood|bomb|stream-out> <ws-uri>}. It prints its results
 * as {@code wsrobustness-child <key>: <value>} lines on stdout, last of all the peak heap, and
 * exits with 0 when the scenario completed, 3 after an {@link OutOfMemoryError} on any thread, 4
 * when its own deadline passed first, 1 for any other failure. It ends with {@link
 * Runtime#halt(int)}, so that a thread stuck after an error cannot keep it alive.
 *
 * <p>Reporting from a JVM whose heap is full takes care: the first error frees a reserve set aside
 * at start, the error path allocates nothing until it has woken {@code main}, and lines are built
 * with {@link StringBuilder} (string {@code +} links a call site on its first use, which
 * allocates). No GC notification listener is registered: its notifications allocate on every
 * collection and keep a full heap collecting for minutes instead of failing.
 *
 * <p>Thread-safety: a program; its shared fields are atomics or volatile, written by whichever
 * thread fails first.
 */
public final class MemoryChild {
  /** Prefix of every result line; the parent ignores other output but its last lines. */
  static final String PREFIX = "wsrobustness-child ";

  /** The scenario's outcome wait; the parent's timeout on the whole child is longer. */
  private static final Duration OUTCOME_WAIT = Duration.ofMinutes(3);

  /** Time left to the scenario's thread to finish once another thread died of an error. */
  private static final Duration GRACE = Duration.ofSeconds(5);

  /**
   * Heap set aside at start and freed at the first {@link OutOfMemoryError}, so that the child can
   * still print what happened: without it, a heap held full by the client fails every print too.
   */
  private static volatile byte[] reserve = new byte[2 * 1024 * 1024];

  /**
   * The classes the failure path names, resolved while the heap is empty: resolving a class on
   * first use goes through the application class loader, which allocates, so on a full heap the
   * {@code instanceof} or {@code catch} itself would throw.
   */
  private static final List<Class<?>> RESOLVED_EARLY =
      List.of(OutOfMemoryError.class, Throwable.class, StringBuilder.class);

  private static final AtomicBoolean outOfMemory = new AtomicBoolean();
  private static final AtomicReference<String> error = new AtomicReference<>();
  private static final AtomicLong firstErrorNanos = new AtomicLong();
  private static final CountDownLatch ended = new CountDownLatch(1);

  private MemoryChild() {}

  /** Runs one scenario; see the class comment for arguments, output and exit codes. */
  public static void main(String[] args) {
    if (args.length != 2) {
      System.out.println("usage: MemoryChild <flood|ping-flood|bomb|stream-out> <ws-uri>");
      Runtime.getRuntime().halt(2);
    }
    String scenario = args[0];
    URI uri = URI.create(args[1]);
    // Takes the printing path once while the heap is empty, so that the report needs no linking.
    print("started", scenario);
    Thread.setDefaultUncaughtExceptionHandler((thread, e) -> failed(thread, e, true));

    AtomicReference<String> outcome = new AtomicReference<>();
    Thread worker =
        new Thread(
            () -> {
              try {
                outcome.set(run(scenario, uri));
              } catch (Throwable e) {
                failed(Thread.currentThread(), e, false);
              } finally {
                ended.countDown();
              }
            },
            "scenario " + scenario);
    long start = System.nanoTime();
    worker.start();
    int exit;
    try {
      boolean done = ended.await(OUTCOME_WAIT.plusSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
      // A reader that died of an error may still be reported by the scenario's wait: give it time.
      worker.join(GRACE.toMillis());
      if (!done && worker.isAlive()) error.compareAndSet(null, "the child's own deadline passed");
      if (outOfMemory.get()) {
        exit = 3;
      } else if (error.get() != null) {
        exit = worker.isAlive() ? 4 : 1;
      } else {
        exit = 0;
      }
    } catch (InterruptedException e) {
      error.compareAndSet(null, e.toString());
      exit = 1;
    }
    try {
      long firstError = firstErrorNanos.get();
      print("seconds", Double.toString((System.nanoTime() - start) / 1e9));
      if (firstError != 0) {
        print("seconds-to-first-error", Double.toString((firstError - start) / 1e9));
      }
      print("outcome", String.valueOf(outcome.get()));
      print("error", String.valueOf(error.get()));
      print("peak-heap-bytes", Long.toString(peakHeapBytes()));
      System.out.flush();
    } finally {
      Runtime.getRuntime().halt(exit);
    }
  }

  private static void print(String key, String value) {
    System.out.println(new StringBuilder(PREFIX).append(key).append(": ").append(value));
  }

  /**
   * Notes the first failure and wakes {@code main}: flags and the latch first, allocating nothing
   * (no string constant either: resolving one allocates), then the message, which a second {@link
   * OutOfMemoryError} may cost; the flag then says enough.
   */
  private static void failed(Thread thread, Throwable e, boolean uncaught) {
    if (e instanceof OutOfMemoryError) {
      outOfMemory.set(true);
      reserve = null;
    }
    firstErrorNanos.compareAndSet(0, System.nanoTime());
    ended.countDown();
    try {
      error.compareAndSet(
          null,
          new StringBuilder()
              .append(e)
              .append(" in thread ")
              .append(thread.getName())
              .append(uncaught ? " (uncaught)" : "")
              .toString());
    } catch (Throwable again) {
      // Nothing more to record: the flag and the exit code say what happened.
    }
  }

  /** The scenario itself; returns the outcome line. */
  private static String run(String scenario, URI uri) {
    switch (scenario) {
      case "flood", "ping-flood", "bomb" -> {
        try (RawWebSocketClient ws = RawWebSocketClient.connect(uri)) {
          Outcome o = ws.awaitOutcome(OUTCOME_WAIT);
          return o.describe();
        }
      }
      case "stream-out" -> {
        try (RawWebSocketClient ws = RawWebSocketClient.connect(uri)) {
          ws.send(
              Frame.streamed(
                      Opcode.BINARY, HostileServer.GIB, () -> new PatternSource(HostileServer.GIB))
                  .declaredLength(1L << 62));
          if (ws.writeFailure() != null) {
            return "the send failed: " + ws.writeFailure();
          }
          // Our FIN tells the server the stream is over; it then ends TCP, which ends the wait.
          ws.shutdownOutput();
          return "sent 1 GiB; " + ws.awaitOutcome(OUTCOME_WAIT).describe();
        }
      }
      default -> throw new IllegalArgumentException("unknown scenario " + scenario);
    }
  }

  /**
   * The figure the memory benchmark reports: the sum over heap pools of each pool's peak use. Pools
   * peak at different moments, so the sum can exceed both the true peak and {@code -Xmx}.
   */
  private static long peakHeapBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) sum += pool.getPeakUsage().getUsed();
    }
    return sum;
  }

  /**
   * {@code length} bytes of a repeated 64 KiB pattern, produced on the fly: a payload of any size
   * that costs no memory to hold.
   *
   * <p>Thread-safety: not thread-safe; one writer reads it.
   */
  private static final class PatternSource implements Source {
    private static final byte[] PATTERN = new byte[64 * 1024];

    static {
      for (int i = 0; i < PATTERN.length; i++) PATTERN[i] = (byte) (i * 31);
    }

    private long remaining;

    PatternSource(long length) {
      this.remaining = length;
    }

    @Override
    public long read(Buffer sink, long byteCount) {
      if (remaining == 0) return -1;
      int n = (int) Math.min(Math.min(byteCount, remaining), PATTERN.length);
      sink.write(PATTERN, 0, n);
      remaining -= n;
      return n;
    }

    @Override
    public Timeout timeout() {
      return Timeout.NONE;
    }

    @Override
    public void close() {}
  }
}
