package io.github.wsrobustness;

import io.github.wsrobustness.frame.Previews;
import io.github.wsrobustness.frame.ReceivedFrame;
import io.github.wsrobustness.frame.WebSocketProtocol;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import okio.Buffer;
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

  /**
   * One line (or a few) of the transcript; {@code hex} holds at most {@value #HEX_MAX} bytes. A
   * small received frame is kept as it is and put into words only when the transcript is rendered:
   * a flood lets most entries go before anyone reads them.
   */
  private record Entry(
      long nanos,
      Direction direction,
      String summary,
      ByteString hex,
      long hexTotal,
      ReceivedFrame frame) {
    /** Roughly what the entry costs, in bytes of heap. */
    long cost() {
      if (frame != null) {
        return 256
            + frame.header().size()
            + frame.payload().size()
            + EventLog.violationsCost(frame);
      }
      return 64 + 2L * summary.length() + (hex == null ? 0 : hex.size() + 16);
    }
  }

  /** Payloads up to this size are small enough to keep a frame's entry unrendered. */
  private static final int LAZY_PAYLOAD_MAX = 64;

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
    add(new Entry(System.nanoTime(), direction, cap(summary), null, 0, null));
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
    add(new Entry(System.nanoTime(), direction, cap(summary), shown, total, null));
  }

  /** Records a frame the server sent: its header line, payload preview, violations and hex. */
  void recordReceived(ReceivedFrame frame) {
    boolean small =
        frame.payload().size() <= LAZY_PAYLOAD_MAX
            && (frame.message() == null || frame.message() == frame.payload());
    if (small) {
      add(new Entry(System.nanoTime(), Direction.RECEIVED, null, null, 0, frame));
    } else {
      record(Direction.RECEIVED, summary(frame), frame.header(), wirePayloadStart(frame));
    }
  }

  /** The summary line of a received frame: header, payload preview, truncation, violations. */
  static String summary(ReceivedFrame frame) {
    StringBuilder out = new StringBuilder(frame.describe());
    if (!frame.isClose()) out.append(Connection.preview(frame.payload(), frame.opcode()));
    if (frame.isPayloadTruncated()) {
      out.append(" (")
          .append(ReceivedCounts.bytes(frame.declaredLength()))
          .append(", first ")
          .append(frame.payload().size())
          .append(" kept)");
    }
    if (!frame.violations().isEmpty()) {
      out.append("  !! ").append(String.join("; ", frame.violations()));
    }
    return out.toString();
  }

  /** The start of the payload as it was on the wire (masked again, if the server masked it). */
  private static ByteString wirePayloadStart(ReceivedFrame frame) {
    ByteString start = frame.payload();
    if (start.size() > HEX_MAX) start = start.substring(0, HEX_MAX);
    if (frame.isMasked() && frame.header().size() >= 6) {
      byte[] key = frame.header().substring(frame.header().size() - 4).toByteArray();
      start = WebSocketProtocol.toggleMask(start, key);
    }
    return start;
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

  /**
   * The last {@code entries} entries as they are now, rendered (after {@code heading}) only when
   * asked: an outcome keeps one for its failure message, which most outcomes never need.
   */
  synchronized Supplier<String> tailSnapshot(int entries, String heading) {
    List<Entry> last = lastEntries(entries);
    long earlier = head.size() + tail.size() + omittedEntries - last.size();
    return new Supplier<>() {
      private String rendered;

      @Override
      public synchronized String get() {
        if (rendered == null) rendered = heading + render(last, earlier);
        return rendered;
      }
    };
  }

  private List<Entry> lastEntries(int entries) {
    List<Entry> last = new ArrayList<>(entries);
    tail.descendingIterator()
        .forEachRemaining(
            e -> {
              if (last.size() < entries) last.add(0, e);
            });
    for (int i = head.size() - 1; i >= 0 && last.size() < entries; i--) last.add(0, head.get(i));
    return last;
  }

  private String render(List<Entry> last, long earlier) {
    StringBuilder out = new StringBuilder();
    if (earlier > 0) {
      out.append(String.format(Locale.ROOT, "      ... %,d earlier entries ...%n", earlier));
    }
    for (Entry entry : last) append(out, entry);
    return out.toString();
  }

  private void append(StringBuilder out, Entry entry) {
    if (entry.frame != null) {
      ReceivedFrame frame = entry.frame;
      ByteString wire =
          new Buffer().write(frame.header()).write(wirePayloadStart(frame)).readByteString();
      entry =
          new Entry(
              entry.nanos,
              entry.direction,
              summary(frame),
              wire.size() > HEX_MAX ? wire.substring(0, HEX_MAX) : wire,
              (long) frame.header().size() + frame.payload().size(),
              null);
    }
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
