package io.github.wsrobustness;

import java.util.Locale;

/**
 * How much a server sent on one connection, and how much of it the client's event log let go to
 * stay within its byte budget ({@link RawWebSocketClient.Builder#eventLogBudget(long)}): a flooding
 * server is counted to the last frame, but only the most recent frames are kept.
 *
 * <pre>{@code received 1,048,576 frames (18.0 MiB), 1,048,000 not kept}</pre>
 *
 * <p>Thread-safety: immutable; a snapshot. RFC 6455 §5: frames are counted whole, payload bytes as
 * declared.
 */
public final class ReceivedCounts {
  private final long frames;
  private final long payloadBytes;
  private final long framesLetGo;
  private final long payloadBytesLetGo;
  private final String firstLetGo;
  private final String lastLetGo;

  ReceivedCounts(
      long frames,
      long payloadBytes,
      long framesLetGo,
      long payloadBytesLetGo,
      String firstLetGo,
      String lastLetGo) {
    this.frames = frames;
    this.payloadBytes = payloadBytes;
    this.framesLetGo = framesLetGo;
    this.payloadBytesLetGo = payloadBytesLetGo;
    this.firstLetGo = firstLetGo;
    this.lastLetGo = lastLetGo;
  }

  /** Frames received in all, kept or not. */
  public long frames() {
    return frames;
  }

  /** Payload bytes received in all, kept or not. */
  public long payloadBytes() {
    return payloadBytes;
  }

  /** Frames the event log let go to stay within its budget. */
  public long framesLetGo() {
    return framesLetGo;
  }

  /** Payload bytes of the frames let go. */
  public long payloadBytesLetGo() {
    return payloadBytesLetGo;
  }

  /** The first event let go ({@code TEXT fin len=16 at 12 ms}), or null when none was. */
  public String firstLetGo() {
    return firstLetGo;
  }

  /** The last event let go so far, or null when none was. */
  public String lastLetGo() {
    return lastLetGo;
  }

  /**
   * {@code received 3 frames (12 bytes)}, or with frames let go {@code received 1,048,576 frames
   * (18.0 MiB), 1,048,000 not kept (TEXT fin len=16 at 12 ms … TEXT fin len=16 at 3,402 ms)}.
   */
  public String describe() {
    String received =
        String.format(
            Locale.ROOT,
            "received %,d frame%s (%s)",
            frames,
            frames == 1 ? "" : "s",
            bytes(payloadBytes));
    if (framesLetGo == 0) return received;
    String range = firstLetGo.equals(lastLetGo) ? firstLetGo : firstLetGo + " … " + lastLetGo;
    return received + String.format(Locale.ROOT, ", %,d not kept (%s)", framesLetGo, range);
  }

  /** {@code 12 bytes}, {@code 18.0 MiB}, {@code 1.0 GiB}. */
  static String bytes(long count) {
    if (count < 1024) return count + (count == 1 ? " byte" : " bytes");
    if (count < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KiB", count / 1024.0);
    if (count < 1024L * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MiB", count / (1024.0 * 1024));
    }
    return String.format(Locale.ROOT, "%.1f GiB", count / (1024.0 * 1024 * 1024));
  }

  @Override
  public String toString() {
    return describe();
  }
}
