package io.github.wsrobustness;

import io.github.wsrobustness.frame.ReceivedFrame;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import okio.ByteString;

/**
 * The event log of one connection: everything the server did, in order, within a byte budget, and
 * every wait on it (the role OkHttp's {@code WebSocketRecorder} plays in its tests).
 *
 * <p><b>Bounded.</b> The log keeps the most recent events whose payloads fit its budget and lets
 * the older ones go, counting them ({@link ReceivedCounts}). The facts a verdict rests on are kept
 * apart from that window, as they happen, so no flood can push them out: the first close frame, the
 * event that ended the connection, the first frame after the test's last send, and the pong of a
 * pending probe.
 *
 * <p><b>Waits read.</b> A wait first looks at what is there; when that does not decide it, it reads
 * from the socket itself (through the {@link Pump}) until an event decides or the deadline passes,
 * unless another thread is reading, in which case it waits for that thread's events. So a client
 * needs no thread of its own to stay responsive, and a verdict is decided as soon as the deciding
 * event arrives.
 *
 * <p>Thread-safety: thread-safe; guarded by {@code this}. The reading side adds, any thread waits.
 */
final class EventLog {
  /** Reads the socket on behalf of a waiting thread. */
  interface Pump {
    /**
     * Reads until one event is added or {@code deadlineNanos} passes. Returns false at once when it
     * cannot read now: another thread holds the turn, reading is stopped, or reading has ended.
     */
    boolean pump(long deadlineNanos);
  }

  /**
   * Heap an event costs beyond its header and payload bytes (the event, the frame, two byte strings
   * and their arrays), so that a flood of empty frames is bounded too.
   */
  private static final int EVENT_OVERHEAD = 192;

  /** Payload prefix of probe pings: their pongs are the client's business, not the test's. */
  static final String PROBE_PREFIX = "wsrobustness-probe-";

  private final long startNanos;
  private final long budget;
  private volatile Pump pump;
  private volatile Throwable readerFailure;

  // Guarded by this.
  private final ArrayDeque<ServerEvent> window = new ArrayDeque<>();
  private long keptBytes;
  private long nextIndex;
  private long frames;
  private long payloadBytes;
  private long framesLetGo;
  private long bytesLetGo;
  private String firstLetGo;
  private ServerEvent lastLetGo;
  private String lastLetGoDescription;
  private ServerEvent closeFrame;
  private ServerEvent terminal;
  private ServerEvent answer;
  private boolean answerOutsideWindow;
  private long answerFromIndex;
  private long lastSendNanos;
  private ByteString pendingProbe;
  private ServerEvent probeAnswer;
  private boolean clientClosed;
  private long turnHandOffs;

  EventLog(long startNanos, long budget) {
    this.startNanos = startNanos;
    this.budget = budget;
    this.lastSendNanos = startNanos;
  }

  /** Lets waits read from now on (once the opening handshake is done). */
  void attach(Pump pump) {
    this.pump = pump;
  }

  // ---------------------------------------------------------------------------------------------
  // Recording

  /** Records an event now and wakes every wait. */
  synchronized void add(ServerEvent.Kind kind, ReceivedFrame frame, String detail) {
    long now = System.nanoTime();
    ServerEvent event =
        new ServerEvent(nextIndex++, kind, frame, detail, now - startNanos, now - lastSendNanos);
    if (frame != null) {
      frames++;
      payloadBytes = saturatedAdd(payloadBytes, frame.declaredLength());
      if (frame.isClose()) {
        if (closeFrame == null) closeFrame = event;
      } else if (isPendingProbeAnswer(frame)) {
        probeAnswer = event;
      } else if (answer == null && event.index() >= answerFromIndex && !isProbeAnswer(frame)) {
        answer = event;
      }
    } else if (terminal == null) {
      terminal = event;
    }
    window.addLast(event);
    keptBytes += cost(event);
    while (keptBytes > budget && window.size() > 1) letGo(window.removeFirst());
    notifyAll();
  }

  private void letGo(ServerEvent event) {
    // The answer a verdict may still name stays, and stays counted, until the next send.
    if (event == answer) {
      answerOutsideWindow = true;
    } else {
      keptBytes -= cost(event);
    }
    if (event.frame() == null) return;
    framesLetGo++;
    bytesLetGo = saturatedAdd(bytesLetGo, event.frame().declaredLength());
    if (firstLetGo == null) firstLetGo = describeBriefly(event);
    // Described only when asked for: a flood lets go of millions of frames.
    if (event.frame().payload().size() <= 1024) {
      lastLetGo = event;
      lastLetGoDescription = null;
    } else {
      lastLetGo = null;
      lastLetGoDescription = describeBriefly(event);
    }
  }

  private static String describeBriefly(ServerEvent event) {
    return event.frame().describe() + " at " + event.elapsed().toMillis() + " ms";
  }

  private static long cost(ServerEvent event) {
    ReceivedFrame frame = event.frame();
    if (frame == null) return EVENT_OVERHEAD;
    long cost = EVENT_OVERHEAD + frame.header().size() + frame.payload().size();
    if (frame.message() != null && frame.message() != frame.payload())
      cost += frame.message().size();
    return cost + violationsCost(frame);
  }

  /** A violation is a sentence of its own: a frame that breaks seven rules costs seven of them. */
  static long violationsCost(ReceivedFrame frame) {
    long cost = 0;
    for (String violation : frame.violations()) cost += 48 + 2L * violation.length();
    return cost;
  }

  private static long saturatedAdd(long total, long unsignedAmount) {
    if (unsignedAmount < 0 || total + unsignedAmount < 0) return Long.MAX_VALUE;
    return total + unsignedAmount;
  }

  /** The test sent something now: what the server does next is its answer to it. */
  synchronized void markSend(long nanos) {
    lastSendNanos = nanos;
    answerFromIndex = nextIndex;
    if (answer != null && answerOutsideWindow) keptBytes -= cost(answer);
    answer = null;
    answerOutsideWindow = false;
  }

  /**
   * The reader failed and could not even record it (it ran out of memory, say): the waits end now
   * instead of at their deadlines, and the outcome names the failure. Allocates nothing.
   */
  void readerFailed(Throwable failure) {
    readerFailure = failure;
    synchronized (this) {
      notifyAll();
    }
  }

  /** Why the reader failed without an event, or null. */
  Throwable readerFailure() {
    return readerFailure;
  }

  /** The client closed the connection itself: nothing more will be read. */
  synchronized void clientClosed() {
    clientClosed = true;
    notifyAll();
  }

  /** Wakes every wait to look again (a write failed, reading resumed, a reading turn ended). */
  synchronized void wakeAll() {
    turnHandOffs++;
    notifyAll();
  }

  // ---------------------------------------------------------------------------------------------
  // Snapshots

  /** The events kept, oldest first. */
  synchronized List<ServerEvent> events() {
    return List.copyOf(window);
  }

  /** How much was received, and how much of it was let go. */
  synchronized ReceivedCounts counts() {
    String last = lastLetGoDescription;
    if (last == null && lastLetGo != null) last = describeBriefly(lastLetGo);
    return new ReceivedCounts(frames, payloadBytes, framesLetGo, bytesLetGo, firstLetGo, last);
  }

  synchronized ServerEvent closeFrame() {
    return closeFrame;
  }

  synchronized ServerEvent terminal() {
    return terminal;
  }

  /** The first frame after the test's last send, or null. */
  synchronized ServerEvent answer() {
    return answer;
  }

  // ---------------------------------------------------------------------------------------------
  // Waiting

  /**
   * Waits until {@code decided} returns a value (evaluated while holding this log's lock, after
   * each event), the connection has ended, or the deadline passes; returns the value, or null.
   */
  <T> T await(Supplier<T> decided, long deadlineNanos) {
    while (true) {
      long handOffs;
      synchronized (this) {
        T result = decided.get();
        if (result != null) return result;
        if (terminal != null || clientClosed || readerFailure != null) return null; // no more
        if (System.nanoTime() - deadlineNanos >= 0) return null;
        handOffs = turnHandOffs;
      }
      Pump reader = pump;
      if (reader != null && reader.pump(deadlineNanos)) continue;
      synchronized (this) {
        // Another thread reads (or reading is stopped): its events, or its hand-off, wake us.
        long remaining = deadlineNanos - System.nanoTime();
        if (turnHandOffs == handOffs && remaining > 0 && decided.get() == null) {
          try {
            TimeUnit.NANOSECONDS.timedWait(this, remaining);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
          }
        }
      }
    }
  }

  /**
   * The first event at or after {@code fromIndex} that matches, waiting until {@code
   * deadlineNanos}; null at the deadline or when the connection ended without one. Events let go
   * before the wait saw them cannot match.
   */
  ServerEvent awaitEvent(long fromIndex, Predicate<ServerEvent> matcher, long deadlineNanos) {
    long[] scanned = {fromIndex};
    return await(() -> scan(scanned, matcher), deadlineNanos);
  }

  /** Scans the events kept from {@code scanned[0]} on; remembers how far it got. Holds the lock. */
  private ServerEvent scan(long[] scanned, Predicate<ServerEvent> matcher) {
    // Events are appended in index order: only the ones after the last scan need a look.
    ArrayDeque<ServerEvent> fresh = new ArrayDeque<>();
    for (var it = window.descendingIterator(); it.hasNext(); ) {
      ServerEvent event = it.next();
      if (event.index() < scanned[0]) break;
      fresh.addFirst(event);
    }
    for (ServerEvent event : fresh) {
      if (matcher.test(event)) return event;
    }
    scanned[0] = nextIndex;
    return null;
  }

  /** How many frames at or after {@code fromIndex} were let go before anyone saw them. */
  synchronized long framesLetGoFrom(long fromIndex) {
    ServerEvent oldest = window.peekFirst();
    if (oldest == null || oldest.index() <= fromIndex) return 0;
    return oldest.index() - fromIndex;
  }

  /** The budget this log keeps its events within. */
  long budget() {
    return budget;
  }

  // ---------------------------------------------------------------------------------------------
  // Probes

  /** A fresh probe payload; its pong will be recorded apart from the window. */
  synchronized ByteString newProbe(long serial) {
    pendingProbe = ByteString.encodeUtf8(PROBE_PREFIX + serial);
    probeAnswer = null;
    return pendingProbe;
  }

  /**
   * Whether the pending probe proved the connection open: TRUE when its pong came before any close
   * frame or end of the connection, FALSE when one of those came first, null while neither has.
   */
  synchronized Boolean probeVerdict() {
    long pong = probeAnswer == null ? Long.MAX_VALUE : probeAnswer.index();
    long end =
        Math.min(
            closeFrame == null ? Long.MAX_VALUE : closeFrame.index(),
            terminal == null ? Long.MAX_VALUE : terminal.index());
    if (pong == Long.MAX_VALUE && end == Long.MAX_VALUE) return null;
    return pong < end;
  }

  private boolean isPendingProbeAnswer(ReceivedFrame frame) {
    return pendingProbe != null && frame.isPong() && frame.payload().equals(pendingProbe);
  }

  /** Whether {@code frame} is the pong to one of the client's probes, which frame waits skip. */
  static boolean isProbeAnswer(ReceivedFrame frame) {
    return frame.isPong() && frame.payload().startsWith(ByteString.encodeUtf8(PROBE_PREFIX));
  }

  /** {@code 1,048,000 frames (18.0 MiB)}: for messages about frames let go. */
  static String framesAndBytes(long count, long bytes) {
    return String.format(
        Locale.ROOT, "%,d frame%s (%s)", count, count == 1 ? "" : "s", ReceivedCounts.bytes(bytes));
  }

  @Override
  public synchronized String toString() {
    List<String> kinds = new ArrayList<>();
    for (ServerEvent event : window) kinds.add(event.kind().name());
    return "EventLog" + kinds;
  }
}
