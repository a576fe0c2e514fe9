package io.github.wsrobustness;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Enforces a deadline on a blocking operation that has no timeout of its own (a socket write, a TLS
 * handshake read byte by byte): at the deadline it runs an action, typically closing the socket, so
 * the blocked call fails at once. One daemon thread serves every client of the JVM.
 *
 * <p>Thread-safety: thread-safe.
 */
final class Watchdog {
  private static final ScheduledThreadPoolExecutor TIMER = newTimer();

  private Watchdog() {}

  private static ScheduledThreadPoolExecutor newTimer() {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, "wsrobustness-deadline");
              thread.setDaemon(true);
              return thread;
            });
    timer.setRemoveOnCancelPolicy(true); // a disarmed guard must not linger until its deadline
    return timer;
  }

  /**
   * Runs {@code action} at {@code deadlineNanos} (a {@link System#nanoTime()} value) unless closed.
   */
  static Guard arm(long deadlineNanos, Runnable action) {
    return new Guard(deadlineNanos, action);
  }

  /** An armed deadline; closing it disarms it. Thread-safety: thread-safe. */
  static final class Guard implements AutoCloseable {
    private final Runnable action;
    private ScheduledFuture<?> future; // guarded by this
    private long deadlineNanos; // guarded by this
    private volatile boolean fired;

    private Guard(long deadlineNanos, Runnable action) {
      this.action = action;
      schedule(deadlineNanos);
    }

    private synchronized void schedule(long deadline) {
      deadlineNanos = deadline;
      future = TIMER.schedule(this::fire, deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    private void fire() {
      fired = true;
      action.run();
    }

    /**
     * Moves the deadline later by {@code nanos}: a pause the test asked for is not the server's.
     */
    synchronized void extend(long nanos) {
      if (fired || nanos <= 0) return;
      future.cancel(false);
      schedule(deadlineNanos + nanos);
    }

    /** Whether the deadline passed and the action ran. */
    boolean fired() {
      return fired;
    }

    @Override
    public synchronized void close() {
      future.cancel(false);
    }
  }
}
