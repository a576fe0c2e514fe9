package io.github.wsrobustness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A process for {@link ResourceProbeTest} to watch, in a JVM of its own: it reads commands from
 * standard input and answers each with one line. {@code listen} binds a server socket on 127.0.0.1
 * and answers {@code port <n>}; {@code grow <n>} allocates and touches n MiB, kept until exit, and
 * answers {@code grown <n>}. It exits when its input ends, so when the test closes it or dies.
 *
 * <p>Thread-safety: single-threaded.
 */
public final class ResourceFixtureMain {
  /** Everything allocated or bound, kept reachable so the collector cannot give it back. */
  private static final List<Object> KEPT = new ArrayList<>();

  private ResourceFixtureMain() {}

  public static void main(String[] args) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    // Bounded twice: by the end of the input, and by a number of commands no test comes near.
    for (int i = 0; i < 1_000; i++) {
      String line = in.readLine();
      if (line == null) return;
      String[] words = line.trim().split(" ");
      switch (words[0]) {
        case "listen" -> {
          ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
          KEPT.add(server);
          print("port " + server.getLocalPort());
        }
        case "grow" -> {
          int mebibytes = Integer.parseInt(words[1]);
          for (int mib = 0; mib < mebibytes; mib++) {
            // Filled, not just allocated: memory never written need not be resident.
            byte[] chunk = new byte[1024 * 1024];
            Arrays.fill(chunk, (byte) 1);
            KEPT.add(chunk);
          }
          print("grown " + mebibytes);
        }
        default -> print("unknown command " + line);
      }
    }
  }

  private static void print(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
