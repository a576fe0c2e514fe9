package io.github.wsrobustness;

import io.github.wsrobustness.frame.Previews;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import okio.ByteString;

/**
 * Everything that crossed one connection, in both directions, with the milliseconds since the
 * connection started: frames with their decoded header, raw chunks, HTTP messages and notes (EOF,
 * reset, write failures). It renders as plain text for failure messages and attached files.
 *
 * <p>Bounded in bytes, whatever crosses the socket: each entry keeps a summary of at most {@value
 * #SUMMARY_MAX} characters and at most {@value #HEX_MAX} bytes for its hex line, and the transcript
 * keeps its first {@value #HEAD_BUDGET} and last {@value #TAIL_BUDGET} bytes of entries, counting
 * what it leaves out in between. Credentials are redacted by the recorder before they get here.
 *
 * <p>Thread-safety: thread-safe; the reading and the writing side both record. Guarded by {@code
 * this}.
 */
final class Transcript {
  static final int SUMMARY_MAX = 2_000;
  static final int HEX_MAX = 32;
  static final int HEAD_BUDGET = 64 * 1024;
  static final int TAIL_BUDGET = 256 * 1024;

  /** Who an entry is about. */
  enum Direction {
    SENT(">>"),
    RECEIVED("<<"),
    NOTE("--");

    final String arrow;

    Direction(String arrow) {
      this.arrow = arrow;
    }
  }

  /** One line (or a few) of the transcript; {@code hex} holds at most {@value #HEX_MAX} bytes. */
  private record Entry(
      long nanos, Direction direction, String summary, ByteString hex, long hexTotal) {
    /** Roughly what the entry costs, in bytes of heap. */
    long cost() {
      return 64 + 2L * summary.length() + (hex == null ? 0 : hex.size() + 16);
    }
  }

  private final long startNanos;
  private final List<Entry> head = new ArrayList<>();
  private long headCost;
  private final Deque<Entry> tail = new ArrayDeque<>();
  private long tailCost;
  private long omittedEntries;
  private boolean headFull;

  Transcript(long startNanos) {
    this.startNanos = startNanos;
  }

  /** Records an entry now with no bytes to show. */
  void note(Direction direction, String summary) {
    add(new Entry(System.nanoTime(), direction, cap(summary), null, 0));
  }

  /**
   * Records an entry now whose hex line shows the start of {@code header} followed by {@code
   * payload} (either may be empty); only the shown bytes are kept.
   */
  void record(Direction direction, String summary, ByteString header, ByteString payload) {
    long total = (long) header.size() + payload.size();
    ByteString shown;
    if (header.size() >= HEX_MAX) {
      shown = header.substring(0, HEX_MAX);
    } else if (payload.size() == 0) {
      shown = header;
    } else {
      int fromPayload = Math.min(payload.size(), HEX_MAX - header.size());
      byte[] bytes = new byte[header.size() + fromPayload];
      header.copyInto(0, bytes, 0, header.size());
      payload.copyInto(0, bytes, header.size(), fromPayload);
      shown = ByteString.of(bytes);
    }
    add(new Entry(System.nanoTime(), direction, cap(summary), shown, total));
  }

  private static String cap(String summary) {
    if (summary.length() <= SUMMARY_MAX) return summary;
    return summary.substring(0, SUMMARY_MAX)
        + String.format(Locale.ROOT, "… (%,d more characters)", summary.length() - SUMMARY_MAX);
  }

  private synchronized void add(Entry entry) {
    if (!headFull && headCost + entry.cost() <= HEAD_BUDGET) {
      head.add(entry);
      headCost += entry.cost();
      return;
    }
    headFull = true;
    tail.addLast(entry);
    tailCost += entry.cost();
    while (tailCost > TAIL_BUDGET && tail.size() > 1) {
      tailCost -= tail.removeFirst().cost();
      omittedEntries++;
    }
  }

  /** The whole transcript as text, one entry per line (hex on an indented second line). */
  synchronized String render() {
    StringBuilder out = new StringBuilder();
    for (Entry entry : head) append(out, entry);
    if (omittedEntries > 0) {
      out.append(String.format(Locale.ROOT, "      ... %,d entries omitted ...%n", omittedEntries));
    }
    for (Entry entry : tail) append(out, entry);
    return out.toString();
  }

  /** The last {@code entries} entries as text, preceded by a line saying how many came before. */
  synchronized String renderTail(int entries) {
    List<Entry> last = new ArrayList<>(entries);
    tail.descendingIterator()
        .forEachRemaining(
            e -> {
              if (last.size() < entries) last.add(0, e);
            });
    for (int i = head.size() - 1; i >= 0 && last.size() < entries; i--) last.add(0, head.get(i));
    long earlier = head.size() + tail.size() + omittedEntries - last.size();
    StringBuilder out = new StringBuilder();
    if (earlier > 0) {
      out.append(String.format(Locale.ROOT, "      ... %,d earlier entries ...%n", earlier));
    }
    for (Entry entry : last) append(out, entry);
    return out.toString();
  }

  private void append(StringBuilder out, Entry entry) {
    long millis = (entry.nanos - startNanos) / 1_000_000;
    out.append(String.format(Locale.ROOT, "%6d ms %s ", millis, entry.direction.arrow))
        .append(entry.summary)
        .append('\n');
    if (entry.hex != null && entry.hexTotal > 0) {
      out.append("            ").append(Previews.hex(entry.hex, HEX_MAX));
      long more = entry.hexTotal - entry.hex.size();
      if (more > 0) out.append(String.format(Locale.ROOT, " … (%,d more bytes)", more));
      out.append('\n');
    }
  }
}
