package io.github.wsrobustness;

import static io.github.wsrobustness.TestKit.childrenRunning;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Launches beside a machine that binds ephemeral ports as fast as it can, the race the launcher
 * lost before issue 7 (5 of 160 launches at 200 binds/s): a port found free by {@code bind(0)} is
 * the very kind the next {@code bind(0)} elsewhere gets. Isolated: the competing binder would take
 * the ports of every other test's launches too. {@code -Dwsrobustness.test.launches=N} runs more
 * launches than CI's 12.
 */
@Isolated
class PortRaceTest {

  /**
   * Launches in parallel while a competing binder holds a moving window of 2,048 ephemeral ports:
   * every launch ends with our own server, ready and echoing. Handed-in ports come from below the
   * ephemeral range, where no {@code bind(0)} can take them; a retry (printed) would mean another
   * process named the same port. Ports read from the ready line need no choosing at all.
   */
  @Test
  void parallelLaunchesBesideABusyBinderAllGetTheirOwnServer() throws Exception {
    int launches = Integer.getInteger("wsrobustness.test.launches", 12);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger binds = new AtomicInteger();
    Thread binder = new Thread(() -> bindWithoutEnd(stop, binds), "competing binder");
    binder.start();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    AtomicInteger handedIn = new AtomicInteger();
    List<Integer> chosen = new CopyOnWriteArrayList<>();
    Map<String, Integer> attempts = new ConcurrentHashMap<>();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < launches; i++) {
        boolean fromOutput = i % 3 == 2;
        String name = "busy-binder-" + i;
        done.add(
            pool.submit(
                () -> {
                  AtomicInteger tries = new AtomicInteger();
                  IntSupplier ports =
                      () -> {
                        tries.incrementAndGet();
                        handedIn.incrementAndGet();
                        int port = LaunchedServer.freePort();
                        chosen.add(port);
                        return port;
                      };
                  LaunchedServer.Spec spec =
                      fromOutput
                          ? LaunchedServerTest.spec(
                              "{port} " + name, Pattern.compile("ready on port (\\d+)"))
                          : LaunchedServerTest.spec("{port} " + name, null);
                  try (LaunchedServer server = LaunchedServer.start(spec, ports)) {
                    LaunchedServerTest.assertIsTheOneWith(server.uri(), name);
                  }
                  attempts.put(name, fromOutput ? 1 : tries.get());
                  if (fromOutput) assertThat(tries).hasValue(0);
                  return null;
                }));
      }
      for (Future<?> future : done) future.get(120, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
      stop.set(true);
      binder.join(10_000);
    }
    int retries = attempts.values().stream().mapToInt(a -> a - 1).sum();
    System.out.printf(
        "%d launches beside %d competing binds: all served, %d handed-in port(s) retried%n",
        launches, binds.get(), retries);
    assertThat(attempts).hasSize(launches);
    assertThat(chosen).isNotEmpty().allMatch(port -> port < LaunchedServer.ephemeralRangeStart());
    assertThat(childrenRunning("busy-binder-")).isEmpty();
  }

  /** Binds ephemeral ports, holding the last 2,048, until stopped; bounded in count and time. */
  private static void bindWithoutEnd(AtomicBoolean stop, AtomicInteger binds) {
    Deque<ServerSocket> held = new ArrayDeque<>();
    long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    try {
      while (!stop.get() && binds.get() < 5_000_000 && System.nanoTime() < end) {
        try {
          held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
          binds.incrementAndGet();
        } catch (IOException e) {
          // the port range is exhausted for a moment: release one and go on
        }
        if (held.size() >= 2048 || (!held.isEmpty() && binds.get() % 2048 == 0)) {
          closeQuietly(held.poll());
        }
      }
    } finally {
      held.forEach(PortRaceTest::closeQuietly);
    }
  }

  private static void closeQuietly(ServerSocket socket) {
    try {
      if (socket != null) socket.close();
    } catch (IOException e) {
      // closing a listening socket fails only if it is closed already
    }
  }
}
