package io.github.wsrobustness;

import java.util.Locale;

/**
 * What a server under test held at one moment, as read by a {@link ResourceProbe}: resident memory,
 * heap in use, threads, open file descriptors and the number of processes the figures add up. A
 * figure the probe cannot read is {@code -1}: a process probe knows no heap, and this JVM's
 * resident memory is not the server's alone.
 *
 * <p>Thread-safety: immutable.
 *
 * @param residentBytes resident memory (RSS) of all the processes, or -1
 * @param heapBytes Java heap in use, or -1
 * @param threads threads of all the processes, or -1
 * @param descriptors open file descriptors of all the processes, or -1
 * @param processes how many processes were read; 0 once the server is gone
 */
record ResourceSample(
    long residentBytes, long heapBytes, int threads, int descriptors, int processes) {
  private static final double MIB = 1024 * 1024;

  /**
   * {@code bytes} in mebibytes for a message: whole ones from 10 MiB on ({@code "412 MiB"}), one
   * decimal below ({@code "3.4 MiB"}), where a whole number would say a small budget was used up by
   * nothing. A negative amount (a difference: memory given back) keeps its sign; -1, "not
   * available", is the caller's to tell apart, as {@link #describe()} does.
   */
  static String mib(long bytes) {
    double mebibytes = Math.abs((double) bytes) / MIB;
    // Rounded to tenths first, so that 9.96 MiB reads "10 MiB", not "10.0 MiB".
    long tenths = Math.round(mebibytes * 10);
    String magnitude =
        tenths < 100
            ? String.format(Locale.ROOT, "%d.%d MiB", tenths / 10, tenths % 10)
            : Math.round(mebibytes) + " MiB";
    return bytes < 0 && tenths > 0 ? "-" + magnitude : magnitude;
  }

  /**
   * The figures for a message, those not available left out: {@code "resident 412 MiB, 23 threads,
   * 41 descriptors, 2 processes"}.
   */
  String describe() {
    StringBuilder text = new StringBuilder();
    if (residentBytes >= 0) text.append("resident ").append(mib(residentBytes)).append(", ");
    if (heapBytes >= 0) text.append("heap ").append(mib(heapBytes)).append(", ");
    if (threads >= 0) text.append(threads).append(threads == 1 ? " thread, " : " threads, ");
    if (descriptors >= 0) {
      text.append(descriptors).append(descriptors == 1 ? " descriptor, " : " descriptors, ");
    }
    return text.append(processes).append(processes == 1 ? " process" : " processes").toString();
  }
}
