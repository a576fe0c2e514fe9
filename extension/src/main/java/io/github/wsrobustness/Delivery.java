package io.github.wsrobustness;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * How bytes are cut into socket writes: all at once, in pieces of N bytes, or at chosen offsets,
 * with an optional pause between pieces. RFC 6455 §5.2 puts no relation between frames and TCP
 * segments, so a server must reassemble a frame however it arrives; this is how a test checks that
 * it does.
 *
 * <p>Thread-safety: immutable.
 */
public final class Delivery {
  private static final Delivery WHOLE = new Delivery(0, new long[0], Duration.ZERO);

  private final int chunkSize;
  private final long[] offsets;
  private final Duration pause;

  private Delivery(int chunkSize, long[] offsets, Duration pause) {
    this.chunkSize = chunkSize;
    this.offsets = offsets;
    this.pause = pause;
  }

  /** Everything in one write. */
  public static Delivery whole() {
    return WHOLE;
  }

  /** Writes of {@code bytes} each (the last may be shorter); 1 writes byte by byte. */
  public static Delivery inChunksOf(int bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("chunk size must be at least 1 byte, was " + bytes);
    }
    return new Delivery(bytes, new long[0], Duration.ZERO);
  }

  /** A write cut before each of these byte offsets, counted from the start of what is sent. */
  public static Delivery splitAt(long... offsets) {
    long[] sorted = offsets.clone();
    Arrays.sort(sorted);
    for (long offset : sorted) {
      if (offset <= 0) {
        throw new IllegalArgumentException("split offsets must be positive, was " + offset);
      }
    }
    return new Delivery(0, sorted, Duration.ZERO);
  }

  /**
   * The same cuts, with this pause after each piece but the last (the delay is the point of the
   * test).
   */
  public Delivery pauseBetween(Duration pause) {
    Objects.requireNonNull(pause, "pause");
    if (pause.isNegative())
      throw new IllegalArgumentException("pause must not be negative: " + pause);
    return new Delivery(chunkSize, offsets, pause);
  }

  /** The pause between pieces. */
  public Duration pause() {
    return pause;
  }

  /**
   * Given {@code position} bytes already sent, how many may go before the next cut (-1: no cut).
   */
  long bytesUntilCut(long position) {
    if (chunkSize > 0) return chunkSize - (position % chunkSize);
    for (long offset : offsets) if (offset > position) return offset - position;
    return -1;
  }

  /** How many writes {@code size} bytes take: the pauses between them number one fewer. */
  long pieces(long size) {
    if (size <= 0) return 1;
    if (chunkSize > 0) return (size + chunkSize - 1) / chunkSize;
    return 1 + Arrays.stream(offsets).filter(offset -> offset < size).distinct().count();
  }

  @Override
  public String toString() {
    if (chunkSize > 0) return "in chunks of " + chunkSize + " bytes" + pauseText();
    if (offsets.length > 0) return "split at " + Arrays.toString(offsets) + pauseText();
    return "whole";
  }

  private String pauseText() {
    return pause.isZero() ? "" : ", " + pause.toMillis() + " ms apart";
  }
}
