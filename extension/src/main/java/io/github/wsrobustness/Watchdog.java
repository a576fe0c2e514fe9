package io.github.wsrobustness;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * Enforces a deadline on a blocking operation that has no timeout of its own (a socket write, a TLS
 * handshake read byte by byte): at the deadline it runs an action, typically closing the socket, so
 * the blocked call fails at once. One daemon thread serves every client of the JVM.
 *
 * <p>Arming and disarming are cheap because nearly every guard is disarmed long before its
 * deadline: disarming only marks the guard, and the thread, which sleeps until the earliest
 * deadline, is woken only when a guard earlier than that arrives. A test sending thousands of
 * frames with a 5 s deadline so wakes the thread about once per 5 s, not once per frame.
 *
 * <p>Thread-safety: thread-safe; the queue and the thread's wake-up time are guarded by {@link
 * #LOCK}.
 */
final class Watchdog {
  private static final Object LOCK = new Object();

  /** Guards by deadline, disarmed ones included until they reach the head. Guarded by LOCK. */
  private static final PriorityQueue<Guard> QUEUE =
      new PriorityQueue<>(Comparator.comparingLong((Guard guard) -> guard.deadlineNanos));

  /** Past this many guards, the disarmed ones are swept out when the next one is armed. */
  private static final int SWEEP_ABOVE = 10_000;

  private static Thread thread; // guarded by LOCK
  private static long wakeAtNanos; // guarded by LOCK; meaningful while sleeping
  private static boolean sleepingUntil; // guarded by LOCK; false: waiting for any guard

  private Watchdog() {}

  /**
   * Runs {@code action} at {@code deadlineNanos} (a {@link System#nanoTime()} value) unless closed.
   */
  static Guard arm(long deadlineNanos, Runnable action) {
    Guard guard = new Guard(deadlineNanos, action);
    synchronized (LOCK) {
      if (QUEUE.size() > SWEEP_ABOVE) QUEUE.removeIf(g -> g.disarmed);
      QUEUE.add(guard);
      if (thread == null) {
        thread = new Thread(Watchdog::run, "wsrobustness-deadline");
        thread.setDaemon(true);
        thread.start();
      } else if (!sleepingUntil || deadlineNanos - wakeAtNanos < 0) {
        LOCK.notify(); // earlier than the thread's next wake-up
      }
    }
    return guard;
  }

  private static void run() {
    while (true) {
      Guard due;
      synchronized (LOCK) {
        due = QUEUE.peek();
        while (due != null && due.disarmed) {
          QUEUE.poll();
          due = QUEUE.peek();
        }
        long now = System.nanoTime();
        if (due == null || due.deadlineNanos - now > 0) {
          sleepingUntil = due != null;
          wakeAtNanos = due == null ? 0 : due.deadlineNanos;
          try {
            if (due == null) {
              LOCK.wait();
            } else {
              TimeUnit.NANOSECONDS.timedWait(LOCK, due.deadlineNanos - now);
            }
          } catch (InterruptedException e) {
            // Nobody should interrupt this thread; if someone does, the deadlines still count.
          }
          continue;
        }
        QUEUE.poll();
      }
      due.fire(); // outside the lock: closing a socket may take a moment
    }
  }

  /** An armed deadline; closing it disarms it. Thread-safety: thread-safe. */
  static final class Guard implements AutoCloseable {
    /** Null once disarmed: a guard waiting in the queue must not keep a closed client reachable. */
    private Runnable action; // guarded by this

    private long deadlineNanos; // guarded by LOCK once armed
    private volatile boolean disarmed;
    private volatile boolean fired;

    private Guard(long deadlineNanos, Runnable action) {
      this.deadlineNanos = deadlineNanos;
      this.action = action;
    }

    private void fire() {
      Runnable toRun;
      synchronized (this) {
        if (disarmed) return;
        fired = true;
        toRun = action;
      }
      try {
        toRun.run();
      } catch (RuntimeException | Error e) {
        // One failed action must not stop the thread that every other deadline relies on.
      }
    }

    /**
     * Moves the deadline later by {@code nanos}: a pause the test asked for is not the server's.
     */
    void extend(long nanos) {
      if (nanos <= 0) return;
      synchronized (LOCK) {
        if (!QUEUE.remove(this)) return; // fired, or about to: the extension comes too late
        deadlineNanos += nanos;
        QUEUE.add(this);
      }
    }

    /** Whether the deadline passed and the action ran. */
    boolean fired() {
      return fired;
    }

    @Override
    public synchronized void close() {
      disarmed = true;
      action = null;
    }
  }
}
