package io.github.wsrobustness.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import okio.ByteString;

/**
 * Everything that crossed one connection, in both directions, with the milliseconds since the
 * connection started: frames with their decoded header, raw chunks, HTTP messages and notes (EOF,
 * reset, write failures). It renders as plain text for failure messages.
 *
 * <p>Bounded: the first {@value #HEAD_LIMIT} and the last {@value #TAIL_LIMIT} entries are kept, so
 * a flooding server cannot exhaust memory; the count of dropped entries is shown.
 *
 * <p>Thread-safety: thread-safe; the reader thread and the test thread both record.
 *
 * <p>No compatibility promise: internal.
 */
public final class Transcript {
  static final int HEAD_LIMIT = 2_000;
  static final int TAIL_LIMIT = 2_000;

  /** Payload bytes shown in full; longer ones show their start and end. */
  static final int HEX_LIMIT = 64;

  /** Who an entry is about. */
  public enum Direction {
    SENT(">>"),
    RECEIVED("<<"),
    NOTE("--");

    final String arrow;

    Direction(String arrow) {
      this.arrow = arrow;
    }
  }

  private record Entry(long nanos, Direction direction, String summary, ByteString bytes) {}

  private final long startNanos;
  private final List<Entry> head = new ArrayList<>();
  private final Deque<Entry> tail = new ArrayDeque<>();
  private long dropped;

  public Transcript(long startNanos) {
    this.startNanos = startNanos;
  }

  /** Records an entry now; {@code bytes} may be null when there is nothing to show in hex. */
  public synchronized void record(Direction direction, String summary, ByteString bytes) {
    Entry entry = new Entry(System.nanoTime(), direction, summary, bytes);
    if (head.size() < HEAD_LIMIT) {
      head.add(entry);
      return;
    }
    tail.addLast(entry);
    if (tail.size() > TAIL_LIMIT) {
      tail.removeFirst();
      dropped++;
    }
  }

  /** The whole transcript as text, one entry per line (hex on an indented second line). */
  public synchronized String render() {
    StringBuilder out = new StringBuilder();
    for (Entry entry : head) append(out, entry);
    if (dropped > 0) out.append("      ... ").append(dropped).append(" entries omitted ...\n");
    for (Entry entry : tail) append(out, entry);
    return out.toString();
  }

  /** The last {@code entries} entries as text, preceded by a line saying how many came before. */
  public synchronized String renderTail(int entries) {
    List<Entry> all = new ArrayList<>(head);
    all.addAll(tail);
    int from = Math.max(0, all.size() - entries);
    StringBuilder out = new StringBuilder();
    long earlier = from + dropped;
    if (earlier > 0) out.append("      ... ").append(earlier).append(" earlier entries ...\n");
    for (Entry entry : all.subList(from, all.size())) append(out, entry);
    return out.toString();
  }

  private void append(StringBuilder out, Entry entry) {
    long millis = (entry.nanos - startNanos) / 1_000_000;
    out.append(
        String.format(Locale.ROOT, "%6d ms %s %s%n", millis, entry.direction.arrow, entry.summary));
    if (entry.bytes != null && entry.bytes.size() > 0) {
      out.append("            ").append(hex(entry.bytes)).append('\n');
    }
  }

  /**
   * A short look at a payload for the summary line: quoted text when it is printable UTF-8; when
   * the wire bytes are masked (and so unreadable in the hex line), the unmasked payload in hex;
   * else nothing.
   */
  public static String preview(ByteString payload, boolean masked) {
    if (payload.size() == 0) return "";
    String text = payload.utf8();
    boolean printable = text.codePoints().allMatch(c -> c >= 0x20 && c != 0x7f && c != 0xfffd);
    if (printable) {
      return text.length() <= 40 ? " \"" + text + "\"" : " \"" + text.substring(0, 40) + "\"...";
    }
    return masked ? " payload " + hex(payload) : "";
  }

  /** Space-separated hex, with the middle of long byte strings elided. */
  public static String hex(ByteString bytes) {
    if (bytes.size() <= HEX_LIMIT) return spaced(bytes);
    ByteString start = bytes.substring(0, 32);
    ByteString end = bytes.substring(bytes.size() - 16);
    return spaced(start) + " ... (" + (bytes.size() - 48) + " bytes) ... " + spaced(end);
  }

  private static String spaced(ByteString bytes) {
    StringBuilder out = new StringBuilder(bytes.size() * 3);
    String hex = bytes.hex();
    for (int i = 0; i < hex.length(); i += 2) {
      if (i > 0) out.append(' ');
      out.append(hex, i, i + 2);
    }
    return out.toString();
  }
}
