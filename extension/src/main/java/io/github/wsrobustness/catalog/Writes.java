package io.github.wsrobustness.catalog;

import java.util.Arrays;

/**
 * How a case's frames are cut into socket writes (RFC 6455 §5.2 ties frames to no TCP segment, so a
 * server must read them however they arrive): all in one write, each frame in its own, one byte per
 * write, in chunks, or cut at chosen offsets.
 *
 * <p>Thread-safety: immutable.
 */
public final class Writes {
  /** The ways of cutting. */
  public enum Kind {
    /** Every frame of the step in one write. */
    ONE_WRITE,
    /** Each frame in its own write. */
    EACH_FRAME,
    /** Writes of a fixed number of bytes (1: byte by byte). */
    CHUNKS,
    /** A write cut before each chosen offset. */
    SPLIT,
    /**
     * Each frame cut where a parser's state changes: after its first byte, inside and after its
     * length field, inside and after its masking key, and in the middle of its payload; a pause of
     * {@link Writes#BOUNDARY_PAUSE} between the pieces, so that each arrives in a read of its own.
     */
    BOUNDARIES
  }

  /** The pause between the pieces of {@link Kind#BOUNDARIES}. */
  public static final java.time.Duration BOUNDARY_PAUSE = java.time.Duration.ofMillis(1);

  private static final Writes ONE = new Writes(Kind.ONE_WRITE, 0, new long[0]);
  private static final Writes EACH = new Writes(Kind.EACH_FRAME, 0, new long[0]);
  private static final Writes BOUNDARIES = new Writes(Kind.BOUNDARIES, 0, new long[0]);

  private final Kind kind;
  private final int chunk;
  private final long[] offsets;

  private Writes(Kind kind, int chunk, long[] offsets) {
    this.kind = kind;
    this.chunk = chunk;
    this.offsets = offsets;
  }

  /** Every frame of the step in one write. */
  public static Writes oneWrite() {
    return ONE;
  }

  /** Each frame flushed in its own write. */
  public static Writes eachFrame() {
    return EACH;
  }

  /** Every byte in a write of its own. */
  public static Writes eachByte() {
    return chunksOf(1);
  }

  /** Each frame cut at its header boundaries and mid-payload, the pieces 1 ms apart. */
  public static Writes atBoundaries() {
    return BOUNDARIES;
  }

  /** Writes of {@code bytes} bytes each. */
  public static Writes chunksOf(int bytes) {
    if (bytes < 1) throw new IllegalArgumentException("chunks need at least 1 byte: " + bytes);
    return new Writes(Kind.CHUNKS, bytes, new long[0]);
  }

  /** A write cut before each offset, counted from the first byte of the step. */
  public static Writes splitAt(long... offsets) {
    return new Writes(Kind.SPLIT, 0, offsets.clone());
  }

  /** The way of cutting. */
  public Kind kind() {
    return kind;
  }

  /** The chunk size for {@link Kind#CHUNKS}. */
  public int chunk() {
    return chunk;
  }

  /** The cut offsets for {@link Kind#SPLIT}. */
  public long[] offsets() {
    return offsets.clone();
  }

  @Override
  public String toString() {
    return switch (kind) {
      case ONE_WRITE -> "in one write";
      case EACH_FRAME -> "each frame in its own write";
      case CHUNKS -> chunk == 1 ? "one byte per write" : "in writes of " + chunk + " bytes";
      case SPLIT -> "in writes cut at bytes " + Arrays.toString(offsets);
      case BOUNDARIES ->
          "each frame cut after its first byte, inside and after its length and masking key, and"
              + " mid-payload, the pieces 1 ms apart";
    };
  }
}
