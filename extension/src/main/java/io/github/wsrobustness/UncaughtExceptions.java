package io.github.wsrobustness;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Records exceptions no thread caught, JVM-wide, by chaining the default uncaught exception handler
 * once. A test takes a {@link #mark()} before it runs and asks for what came {@link #since(long)}
 * after: an in-JVM server whose worker thread died shows up there. With parallel tests, an
 * exception is reported to every test that was running when it was thrown.
 *
 * <p>Thread-safety: thread-safe.
 */
final class UncaughtExceptions {
  private static final int KEPT = 100;
  private static final Deque<Recorded> RECORDED = new ArrayDeque<>();
  private static long count;
  private static boolean installed;

  /** One uncaught exception and the thread that threw it. */
  record Recorded(long sequence, String threadName, Throwable throwable) {}

  private UncaughtExceptions() {}

  /** Installs the recording handler, once per JVM; the previous handler still runs after it. */
  static synchronized void install() {
    if (installed) return;
    installed = true;
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, throwable) -> {
          record(thread, throwable);
          if (previous != null) {
            previous.uncaughtException(thread, throwable);
          } else {
            // What the JVM prints when no handler is set, so installing ours hides nothing.
            System.err.print("Exception in thread \"" + thread.getName() + "\" ");
            throwable.printStackTrace(System.err);
          }
        });
  }

  private static synchronized void record(Thread thread, Throwable throwable) {
    RECORDED.addLast(new Recorded(count++, thread.getName(), throwable));
    if (RECORDED.size() > KEPT) RECORDED.removeFirst();
  }

  /** The position to ask {@link #since(long)} from later. */
  static synchronized long mark() {
    return count;
  }

  /** The exceptions recorded after {@code mark} (at most the last {@value #KEPT}). */
  static synchronized List<Recorded> since(long mark) {
    List<Recorded> result = new ArrayList<>();
    for (Recorded recorded : RECORDED) if (recorded.sequence() >= mark) result.add(recorded);
    return result;
  }
}
