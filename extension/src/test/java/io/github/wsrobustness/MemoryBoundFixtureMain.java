package io.github.wsrobustness;

import io.github.wsrobustness.frame.ReceivedFrame;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.time.Duration;

/**
 * The client side of {@link MemoryBoundTest}, run in a JVM with a small heap: {@code
 * MemoryBoundFixtureMain <scenario> <uri>} connects, lets the hostile server do its worst, asserts
 * what a test would, and prints the outcome, what was received and the peak heap. It exits with
 * status 0 only when every verb gave the right answer; running out of memory ends it otherwise.
 */
public final class MemoryBoundFixtureMain {
  private MemoryBoundFixtureMain() {}

  public static void main(String[] args) {
    String scenario = args[0];
    URI uri = URI.create(args[1]);
    // The deadline only bounds a broken run; each verb here is decided by the server's last act.
    try (RawWebSocketClient ws =
        RawWebSocketClient.builder(uri).deadline(Duration.ofSeconds(90)).connect()) {
      switch (scenario) {
        case "flood", "ping-flood" -> print("outcome: " + ws.assertClosesWith(1000).describe());
        case "one-big-frame" -> {
          ReceivedFrame frame = ws.awaitMessage();
          print(
              "frame: "
                  + frame.describe()
                  + ", kept "
                  + frame.payload().size()
                  + ", truncated "
                  + frame.isPayloadTruncated());
          print("outcome: " + ws.assertClosesWith(1000).describe());
        }
        case "bomb", "violation-flood" ->
            print("outcome: " + ws.assertConnectionDropped().describe());
        default -> throw new IllegalArgumentException("no scenario " + scenario);
      }
      print("received: " + ws.received().describe());
      print("transcript: " + ws.transcript().length() + " characters");
    }
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) peak += pool.getPeakUsage().getUsed();
    }
    print("peak heap: " + peak / (1024 * 1024) + " MiB");
  }

  private static void print(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
