package io.github.wsrobustness.frame;

import java.util.Arrays;
import okio.Buffer;
import okio.Source;
import okio.Timeout;

/**
 * {@code size} copies of one byte, as a source: the payload of {@link Frame#filled}, made as it is
 * written so that a frame of hundreds of megabytes costs 8 KiB.
 *
 * <p>Thread-safety: not thread-safe; each write of a frame opens a fresh one.
 */
final class Filler implements Source {
  private final byte fill;
  private long left;
  private final byte[] chunk = new byte[8192];

  Filler(byte fill, long size) {
    this.fill = fill;
    this.left = size;
    Arrays.fill(chunk, fill);
  }

  @Override
  public long read(Buffer sink, long byteCount) {
    if (left == 0) return -1;
    int n = (int) Math.min(Math.min(byteCount, left), chunk.length);
    sink.write(chunk, 0, n);
    left -= n;
    return n;
  }

  @Override
  public Timeout timeout() {
    return Timeout.NONE;
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "filler 0x" + Integer.toHexString(fill & 0xff);
  }
}
