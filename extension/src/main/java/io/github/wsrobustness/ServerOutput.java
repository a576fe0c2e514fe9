package io.github.wsrobustness;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What a launched server writes to stdout and stderr: always drained, so the server never blocks on
 * a full pipe (nor dies of a closed one), cut into lines of at most {@value #LINE_MAX} bytes
 * ({@code … 536,870,912 more bytes}), the last {@value #LINES_KEPT} kept for messages. Nothing the
 * server prints can make the launcher fail, block or run out of memory.
 *
 * <p>Thread-safety: thread-safe; one daemon thread pumps each stream, the kept lines are guarded by
 * {@code lines}.
 */
final class ServerOutput {
  static final int LINE_MAX = 4096;
  static final int LINES_KEPT = 200;
  static final int LINES_SHOWN = 40;

  private final Deque<String> lines = new ArrayDeque<>();
  private final List<Thread> pumps = new ArrayList<>();
  private final Consumer<String> onLine;

  /** {@code onLine} sees every line as it is kept (the readiness pattern's matcher). */
  ServerOutput(Consumer<String> onLine) {
    this.onLine = onLine;
  }

  /** Drains {@code stream} on a daemon thread, each line prefixed. */
  void pump(InputStream stream, String prefix, String threadName) {
    Thread pump = new Thread(() -> drain(stream, prefix), threadName);
    pump.setDaemon(true);
    synchronized (pumps) {
      pumps.add(pump);
    }
    pump.start();
  }

  private void drain(InputStream stream, String prefix) {
    byte[] buffer = new byte[8192];
    byte[] line = new byte[LINE_MAX];
    int length = 0;
    long cut = 0;
    boolean cutCr = false; // the last byte cut was a '\r', which belongs to a CRLF, not to the line
    try (stream) {
      for (int n; (n = stream.read(buffer)) != -1; ) {
        for (int i = 0; i < n; i++) {
          byte b = buffer[i];
          if (b == '\n') {
            add(prefix, line, length, cutCr ? cut - 1 : cut);
            length = 0;
            cut = 0;
            cutCr = false;
          } else if (length < LINE_MAX) {
            line[length++] = b;
          } else {
            cut++; // read on, keep nothing: one endless line must not fill the heap
            cutCr = b == '\r';
          }
        }
      }
      if (length > 0 || cut > 0) add(prefix, line, length, cut);
    } catch (IOException e) {
      keep("[output unreadable: " + e.getMessage() + "]");
    }
  }

  private void add(String prefix, byte[] line, int length, long cut) {
    int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
    String text = new String(line, 0, end, StandardCharsets.UTF_8);
    if (cut > 0) text += String.format(Locale.ROOT, "… %,d more bytes", cut);
    keep(prefix + text);
    onLine.accept(text);
  }

  private void keep(String line) {
    synchronized (lines) {
      lines.addLast(line);
      if (lines.size() > LINES_KEPT) lines.removeFirst();
    }
  }

  /** Waits, {@code millis} at most in all, for the pumps to reach the end of their streams. */
  void join(long millis) {
    List<Thread> all;
    synchronized (pumps) {
      all = List.copyOf(pumps);
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    for (Thread pump : all) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) return;
      try {
        pump.join(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Whether any kept line contains {@code text}, ignoring case. */
  boolean mentions(String text) {
    String wanted = text.toLowerCase(Locale.ROOT);
    synchronized (lines) {
      return lines.stream().anyMatch(l -> l.toLowerCase(Locale.ROOT).contains(wanted));
    }
  }

  /** The last lines, headed with the command, or a note that there were none. */
  String tail(String commandLine) {
    List<String> kept;
    synchronized (lines) {
      kept = new ArrayList<>(lines);
    }
    if (kept.isEmpty()) return "\n(the process wrote no output)";
    int from = Math.max(0, kept.size() - LINES_SHOWN);
    StringBuilder out = new StringBuilder("\nlast output of `").append(commandLine).append("`:\n");
    for (String line : kept.subList(from, kept.size())) out.append("  ").append(line).append('\n');
    return out.toString().stripTrailing();
  }
}
