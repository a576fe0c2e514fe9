package io.github.wsrobustness.frame;

import java.util.Locale;
import okio.Buffer;

/**
 * A manual benchmark, not a test: masks a 16 MiB {@link Buffer} in place with {@link
 * WebSocketProtocol#toggleMask(Buffer, long, long, byte[], long)} and compares it with a naive
 * byte-at-a-time loop over a {@code byte[]}, measured in the same run. Figures depend on the
 * machine; only the ratio means much.
 *
 * <pre>
 * mvn -q test-compile -pl extension
 * mvn -q dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -pl extension
 * java -cp extension/target/test-classes:extension/target/classes:$(cat /tmp/cp.txt) \
 *     io.github.wsrobustness.frame.MaskingThroughput
 * </pre>
 */
public final class MaskingThroughput {
  private static final int SIZE = 16 * 1024 * 1024;
  private static final int WARM_UP_RUNS = 10;
  private static final int MEASURED_RUNS = 20;
  private static final byte[] KEY = {0x11, 0x22, 0x33, 0x44};

  /** Defeats dead-code elimination of the naive loop. */
  private static volatile int sink;

  private MaskingThroughput() {}

  public static void main(String[] args) {
    Buffer buffer = new Buffer().write(new byte[SIZE]);
    byte[] array = new byte[SIZE];

    for (int i = 0; i < WARM_UP_RUNS; i++) {
      WebSocketProtocol.toggleMask(buffer, 0, SIZE, KEY, i);
      naive(array, KEY, i);
    }

    long segmentNanos = 0;
    long naiveNanos = 0;
    // Alternate the two so drift in machine load touches both alike.
    for (int i = 0; i < MEASURED_RUNS; i++) {
      long start = System.nanoTime();
      WebSocketProtocol.toggleMask(buffer, 0, SIZE, KEY, i);
      segmentNanos += System.nanoTime() - start;

      start = System.nanoTime();
      naive(array, KEY, i);
      naiveNanos += System.nanoTime() - start;
    }
    sink = buffer.getByte(SIZE - 1) ^ array[SIZE - 1];

    double segmentMbPerS = megabytesPerSecond(segmentNanos);
    double naiveMbPerS = megabytesPerSecond(naiveNanos);
    System.out.printf(
        Locale.ROOT,
        "toggleMask over Buffer segments: %.0f MB/s%n"
            + "naive byte[] loop:               %.0f MB/s%n"
            + "ratio (segments / naive):        %.2f%n"
            + "(%d MiB, %d warm-up runs, %d measured runs each, %s)%n",
        segmentMbPerS,
        naiveMbPerS,
        segmentMbPerS / naiveMbPerS,
        SIZE / (1024 * 1024),
        WARM_UP_RUNS,
        MEASURED_RUNS,
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
  }

  /** One byte at a time, the key position computed per byte: what toggleMask is meant to beat. */
  private static void naive(byte[] data, byte[] key, long keyIndex) {
    for (int i = 0; i < data.length; i++) {
      data[i] ^= key[(int) ((keyIndex + i) & 3)];
    }
  }

  private static double megabytesPerSecond(long nanos) {
    double bytes = (double) SIZE * MEASURED_RUNS;
    return bytes / 1e6 / (nanos / 1e9);
  }
}
