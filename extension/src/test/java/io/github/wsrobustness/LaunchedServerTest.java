package io.github.wsrobustness;

import static io.github.wsrobustness.TestKit.assertSucceeded;
import static io.github.wsrobustness.TestKit.childrenRunning;
import static io.github.wsrobustness.TestKit.containerFailure;
import static io.github.wsrobustness.TestKit.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.wsrobustness.frame.Frame;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The launcher under hostile conditions: ports taken by someone else, a JVM killed with SIGKILL, a
 * server that prints without end or never answers pings, a test that kills the server. Each test
 * here failed on the launcher before it was hardened (issue 7).
 */
class LaunchedServerTest {
  private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
  private static final String CLASS_PATH = System.getProperty("java.class.path");
  private static final String RULE_SERVER = "io.github.wsrobustness.RuleServer";

  /**
   * {@code java -cp <this test run's classpath> RuleServer <args>}, as one configuration string.
   */
  private static String ruleServer(String args) {
    return JAVA + " -cp " + CLASS_PATH + " " + RULE_SERVER + " " + args;
  }

  /** The configuration that launches a RuleServer with {@code args}, ready by {@code ready}. */
  private static Map<String, String> launching(String args, String ready) {
    return Map.of(
        "wsrobustness.launch",
        ruleServer(args),
        "wsrobustness.launch.readyWhenOutputMatches",
        ready);
  }

  static LaunchedServer.Spec spec(String args, Pattern ready) {
    return new LaunchedServer.Spec(
        List.of(ruleServer(args).split(" ")),
        null,
        Map.of(),
        ExtensionSettings.DEFAULT_LAUNCH_URI,
        ready,
        Duration.ofSeconds(30),
        Duration.ofSeconds(5),
        false,
        ServingChecks.ping());
  }

  static void assertEchoes(URI uri) {
    try (RawWebSocketClient ws = RawWebSocketClient.connect(uri)) {
      ws.sendText("ours");
      ws.assertReceivesText("ours");
    }
  }

  /** The RuleServer at {@code uri} is the one launched with {@code marker} among its arguments. */
  static void assertIsTheOneWith(URI uri, String marker) {
    try (RawWebSocketClient ws = RawWebSocketClient.connect(uri)) {
      ws.sendText("whoami");
      assertThat(ws.awaitMessage().message().utf8().split(" ")).contains(marker);
    }
  }

  // --- ports -----------------------------------------------------------------------------------

  @Test
  void aPortTakenMeanwhileIsTriedAgainAndAStrangerAcceptingOnItIsNotTakenForTheServer()
      throws IOException {
    // The stranger accepts connections (into its backlog) and never answers: readiness by "the
    // port accepts" took it for the server and blamed the server for its silence.
    try (ServerSocket stranger = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Integer> handedIn = new CopyOnWriteArrayList<>();
      IntSupplier ports =
          () -> {
            int port = handedIn.isEmpty() ? stranger.getLocalPort() : LaunchedServer.freePort();
            handedIn.add(port);
            return port;
          };
      try (LaunchedServer server = LaunchedServer.start(spec("{port} port-taken", null), ports)) {
        assertThat(handedIn).hasSize(2).startsWith(stranger.getLocalPort());
        assertThat(server.uri().getPort()).isEqualTo(handedIn.get(1));
        assertEchoes(server.uri());
      }
    }
    assertThat(childrenRunning("port-taken")).isEmpty();
  }

  @Test
  void withoutAPatternAnyHttpAnswerToTheHandshakeMeansReady() {
    // A server that wants a token answers 401 (here /reject answers 400): it is up, and serves.
    LaunchedServer.Spec spec =
        new LaunchedServer.Spec(
            List.of(ruleServer("{port} http-answer").split(" ")),
            null,
            Map.of(),
            "ws://127.0.0.1:{port}/reject",
            null,
            Duration.ofSeconds(30),
            Duration.ofSeconds(5),
            false,
            ServingChecks.named("handshake"));
    try (LaunchedServer server = LaunchedServer.start(spec)) {
      assertThat(server.uri().getPath()).isEqualTo("/reject");
    }
    assertThat(childrenRunning("http-answer")).isEmpty();
  }

  @Test
  void aPortAlwaysTakenFailsAfterFiveAttemptsNamingTheWayOut() throws IOException {
    try (ServerSocket stranger = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      assertThat(
              org.assertj.core.api.Assertions.catchThrowable(
                  () ->
                      LaunchedServer.start(
                          spec("{port} always-taken", Pattern.compile("ready on port")),
                          stranger::getLocalPort)))
          .isInstanceOf(ExtensionConfigurationException.class)
          .hasMessageStartingWith(
              "the server process could not bind a port in 5 attempts, each taken by someone else"
                  + " meanwhile; let it bind port 0 and print the port it got, read by a group in"
                  + " readyWhenOutputMatches (e.g. \"listening on (\\\\d+)\"):\nthe server process `")
          .hasMessageContaining("BindException");
    }
    assertThat(childrenRunning("always-taken")).isEmpty();
  }

  @WebSocketRobustness
  static class PortFromOutputTestCases {
    @Test
    void echoes(RawWebSocketClient ws, ServerUnderTest server) {
      assertThat(childrenRunning("port-from-output"))
          .singleElement()
          .satisfies(p -> assertThat(p.info().arguments().orElseThrow()).contains("0"));
      assertThat(server.uri().getPort()).isPositive();
      ws.sendText("hello");
      ws.assertReceivesText("hello");
    }
  }

  @Test
  void aServerThatBindsPortZeroReportsItsPortInTheReadyLine() {
    var results =
        TestKit.run(
            PortFromOutputTestCases.class,
            launching("{port} port-from-output", "ready on port (\\d+)"));
    assertSucceeded(results, "echoes");
  }

  @Test
  void aReadyLineWhoseGroupIsNoPortIsReportedNamingTheSetting() {
    var results =
        TestKit.run(
            PortFromOutputTestCases.class, launching("{port} group-no-port", "(ready) on port"));
    assertThat(containerFailure(results))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessageMatching(
            "the ready line 'ready on port \\d+' of `\\S+ -cp \\S+ io\\.github\\.wsrobustness\\.RuleServer 0"
                + " group-no-port` gives port 'ready'; make the first group of readyWhenOutputMatches"
                + " match the port number, e\\.g\\. \"listening on \\(\\\\\\\\d\\+\\)\", or name it"
                + " \\(\\?<port>…\\) and make other groups \\(\\?:…\\)");
    assertThat(childrenRunning("group-no-port")).isEmpty();
  }

  // --- no orphans --------------------------------------------------------------------------------

  /** In a child JVM: launches the server, says so, and waits to be killed. */
  @WebSocketRobustness(
      launch = {
        "sh",
        "-c",
        // The server, and beside it a double-forked process that is nobody's descendant.
        "(exec sleep \"$WSR_MARKER\" &); exec \"$WSR_JAVA\" -cp \"$WSR_CP\""
            + " io.github.wsrobustness.RuleServer \"$0\" \"$WSR_MARKER\"",
        "{port}"
      },
      readyWhenOutputMatches = "ready on port")
  static class KilledJvmTestCases {
    @Test
    void launchesAndWaits(ServerUnderTest server) throws InterruptedException {
      System.out.println("launched " + server.uri());
      System.out.flush();
      new CountDownLatch(1).await(120, TimeUnit.SECONDS); // until the parent kills this JVM
    }
  }

  @Test
  void aJvmKilledWithSigkillLeavesNoProcessOfItsLaunchBehind() throws Exception {
    assumeTrue(ProcessGroup.supported(), "process groups need setsid and /bin/sh");
    // A duration sleep accepts, unique to this run: it marks the server and the double-forked one.
    String marker = "3000." + ThreadLocalRandom.current().nextInt(100_000, 1_000_000);
    ProcessBuilder builder =
        new ProcessBuilder(
            JAVA,
            "-cp",
            CLASS_PATH,
            "io.github.wsrobustness.ChildJvmFixtureMain",
            KilledJvmTestCases.class.getName());
    builder
        .environment()
        .putAll(Map.of("WSR_MARKER", marker, "WSR_JAVA", JAVA, "WSR_CP", CLASS_PATH));
    Process child = builder.redirectErrorStream(true).start();
    ChildOutput output = new ChildOutput(child);
    CompletableFuture<String> launched = output.line("launched ");
    List<ProcessHandle> launch = new ArrayList<>();
    try {
      assertThat(launched)
          .as("the child JVM's report of its launch; it printed:%n%s", output)
          .succeedsWithin(60, TimeUnit.SECONDS)
          .asString()
          .startsWith("launched ws://");
      launch.addAll(processesWithArgument(marker));
      ProcessHandle server =
          launch.stream()
              .filter(
                  p ->
                      String.join(" ", p.info().arguments().orElse(new String[0]))
                          .contains(RULE_SERVER))
              .findFirst()
              .orElseThrow();
      ProcessHandle doubleForked =
          launch.stream()
              .filter(p -> p.info().command().orElse("").endsWith("sleep"))
              .findFirst()
              .orElseThrow();
      assertThat(child.descendants().map(ProcessHandle::pid))
          .as("the double-forked process is no descendant of the JVM")
          .doesNotContain(doubleForked.pid());
      ProcessHandle.allProcesses()
          .filter(
              p ->
                  List.of(p.info().arguments().orElse(new String[0]))
                      .contains(Long.toString(server.pid())))
          .filter(
              p ->
                  List.of(p.info().arguments().orElse(new String[0]))
                      .contains("wsrobustness-watchdog"))
          .forEach(launch::add);
      assertThat(launch).as("server, double-forked process and watchdog").hasSize(3);

      long killed = System.nanoTime();
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no JUnit store closes anything
      long deadline = killed + TimeUnit.SECONDS.toNanos(2);
      List<ProcessHandle> left = launch;
      while (!left.isEmpty() && System.nanoTime() < deadline) {
        // A process that is not our child ends with no event we could wait on: look again soon.
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        left = left.stream().filter(p -> !ended(p)).toList();
      }
      assertThat(left.stream().map(LaunchedServerTest::describe))
          .as("processes of the launch left 2 s after the JVM that launched it was killed")
          .isEmpty();
      System.out.printf(
          "every process of the launch ended %d ms after the SIGKILL of its JVM%n",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
    } finally {
      child.destroyForcibly();
      launch.forEach(ProcessHandle::destroyForcibly);
      processesWithArgument(marker).forEach(ProcessHandle::destroyForcibly);
    }
  }

  /**
   * Whether the process ended: gone, or a zombie waiting for init to reap it (which init does here
   * only every second or so; a zombie runs no code and holds no port).
   */
  private static boolean ended(ProcessHandle process) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException e) {
      return true; // no such process
    }
  }

  private static String describe(ProcessHandle process) {
    String stat;
    try {
      stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat")).strip();
    } catch (IOException e) {
      stat = "(gone)";
    }
    return process.pid() + " " + process.info().command().orElse("?") + ": " + stat;
  }

  private static List<ProcessHandle> processesWithArgument(String marker) {
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(p -> List.of(p.info().arguments().orElse(new String[0])).contains(marker))
        .toList();
  }

  /**
   * A child JVM's output, read on a thread of its own so that every wait has a deadline; bounded.
   */
  private static final class ChildOutput {
    private final StringBuilder seen = new StringBuilder(); // guarded by itself
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final Map<String, CompletableFuture<String>> awaited = new ConcurrentHashMap<>();

    ChildOutput(Process child) {
      Thread reader = new Thread(() -> read(child), "child JVM output");
      reader.setDaemon(true);
      reader.start();
    }

    private void read(Process child) {
      try (BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          synchronized (seen) {
            if (seen.length() < 64 * 1024) seen.append(line).append('\n');
          }
          for (var entry : awaited.entrySet()) {
            if (line.startsWith(entry.getKey())) entry.getValue().complete(line);
          }
        }
      } catch (IOException e) {
        // the child was killed: its output ends here
      }
      ended.complete(null);
    }

    /** The first line starting with {@code prefix}, once it comes; call before it can come. */
    CompletableFuture<String> line(String prefix) {
      return awaited.computeIfAbsent(prefix, k -> new CompletableFuture<>());
    }

    /** All it printed (the first 64 KiB), once it ended, within the deadline. */
    String all(Duration deadline) throws Exception {
      ended.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
      return toString();
    }

    @Override
    public String toString() {
      synchronized (seen) {
        return seen.toString();
      }
    }
  }

  // --- output ----------------------------------------------------------------------------------

  @WebSocketRobustness
  static class LongLineTestCases {
    @Test
    void servesAfterItsLongLine(RawWebSocketClient ws) {
      ws.sendText("still here");
      ws.assertReceivesText("still here");
      ws.assertProcessAlive();
    }
  }

  /**
   * A server that prints 128 MiB without a newline before its ready line, launched from a JVM with
   * a 64 MiB heap: the launcher drains it all, keeps 4,096 characters, and the server lives.
   */
  @Test
  void aHugeLineOfOutputNeitherExhaustsTheLauncherNorKillsTheServer() throws Exception {
    Process child =
        new ProcessBuilder(
                JAVA,
                "-Xmx64m",
                "-cp",
                CLASS_PATH,
                "io.github.wsrobustness.ChildJvmFixtureMain",
                LongLineTestCases.class.getName(),
                "wsrobustness.launch=" + ruleServer("{port} long-line=134217728 long-line-marker"),
                "wsrobustness.launch.readyWhenOutputMatches=ready on port")
            .redirectErrorStream(true)
            .start();
    ChildOutput output = new ChildOutput(child);
    try {
      String printed = output.all(Duration.ofSeconds(120));
      assertThat(child.onExit()).succeedsWithin(10, TimeUnit.SECONDS);
      assertThat(printed).contains("SUCCESSFUL servesAfterItsLongLine(RawWebSocketClient)");
      assertThat(child.exitValue())
          .as("exit status of the child JVM, which printed:\n" + printed)
          .isZero();
    } finally {
      child.descendants().forEach(ProcessHandle::destroyForcibly);
      child.destroyForcibly();
    }
  }

  // --- liveness --------------------------------------------------------------------------------

  @WebSocketRobustness(liveness = "handshake", deadline = "1s")
  static class HandshakeLivenessTestCases {
    @Test
    void alive(RawWebSocketClient ws, ServerUnderTest server) {
      ws.sendText("served");
      ws.assertReceivesText("served");
      ws.assertProcessAlive();
      ws.assertServerStillServes();
      assertThat(server.checkAlive().description())
          .matches("process \\d+ is running and a fresh client completed the handshake in \\d+ ms");
    }
  }

  @WebSocketRobustness(liveness = "echo", deadline = "1s")
  static class EchoLivenessTestCases {
    @Test
    void alive(RawWebSocketClient ws) {
      ws.assertProcessAlive();
    }
  }

  @WebSocketRobustness(deadline = "1s")
  static class PingLivenessTestCases {
    static volatile long elapsedNanos;

    @Test
    void notAlive(RawWebSocketClient ws) {
      long start = System.nanoTime();
      try {
        ws.assertProcessAlive();
      } finally {
        elapsedNanos = System.nanoTime() - start;
      }
    }
  }

  @Test
  void aServerThatNeverAnswersPingsServesByHandshakeOrEchoButNotByPing() {
    Map<String, String> launch = launching("{port} no-pong no-pong-marker", "ready on port");
    assertSucceeded(TestKit.run(HandshakeLivenessTestCases.class, launch), "alive");
    assertSucceeded(TestKit.run(EchoLivenessTestCases.class, launch), "alive");
    assertThat(failure(TestKit.run(PingLivenessTestCases.class, launch), "notAlive"))
        .isInstanceOf(AssertionError.class)
        .hasMessageMatching(
            "(?s)Expecting the server at ws://127\\.0\\.0\\.1:\\d+/ to be alive, but a fresh client"
                + " completed the handshake, then its ping got no pong within \\d+ ms; set liveness ="
                + " \"handshake\" if the server does not answer pings \\(process \\d+ is running\\)\n.*");
    // The process, the handshake and the ping share one deadline of 1 s: nothing waits twice.
    assertThat(Duration.ofNanos(PingLivenessTestCases.elapsedNanos))
        .isLessThan(Duration.ofMillis(1750));
    assertThat(childrenRunning("no-pong-marker")).isEmpty();
  }

  /** A check of the user's: the server must echo a message the client chooses. */
  public static class EchoesMarco implements ServingCheck {
    @Override
    public void check(RawWebSocketClient freshClient) {
      freshClient.sendText("marco");
      freshClient.assertReceivesText("marco");
    }
  }

  /** A check no server can pass, to show its failure becomes the verdict. */
  public static class ExpectsPolo implements ServingCheck {
    @Override
    public void check(RawWebSocketClient freshClient) {
      freshClient.sendText("marco");
      freshClient.assertReceivesText("polo");
    }
  }

  @WebSocketRobustness(liveness = "io.github.wsrobustness.LaunchedServerTest$EchoesMarco")
  static class CustomLivenessTestCases {
    @Test
    void alive(RawWebSocketClient ws) {
      ws.assertServerStillServes();
    }
  }

  @WebSocketRobustness
  static class ConfiguredLivenessTestCases {
    @Test
    void notServing(RawWebSocketClient ws) {
      ws.assertServerStillServes();
    }
  }

  @Test
  void aServingCheckOfTheUsersDecidesLiveness() {
    String uri = RuleServer.shared().uri().toString();
    assertSucceeded(
        TestKit.run(CustomLivenessTestCases.class, Map.of("wsrobustness.uri", uri)), "alive");
    var failing =
        TestKit.run(
            ConfiguredLivenessTestCases.class,
            Map.of(
                "wsrobustness.uri",
                uri,
                "wsrobustness.liveness",
                "io.github.wsrobustness.LaunchedServerTest$ExpectsPolo",
                "wsrobustness.deadline",
                "1s"));
    assertThat(failure(failing, "notServing"))
        .hasMessageStartingWith(
            "Expecting the server at " + uri + " to still serve a fresh client, but ");
  }

  // --- deaths ----------------------------------------------------------------------------------

  @WebSocketRobustness
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  @Execution(ExecutionMode.SAME_THREAD)
  static class DeathTestCases {
    static final List<URI> servers = new CopyOnWriteArrayList<>();

    @Test
    @Order(1)
    void killsTheServerAndAcceptsTheDrop(RawWebSocketClient ws, ServerUnderTest server) {
      servers.add(server.uri());
      ws.send(Frame.text("x").unmasked());
      ws.assertFailsConnection(); // a close frame or a drop: the death is not this verb's business
    }

    @Test
    @Order(2)
    void getsALiveServer(RawWebSocketClient ws, ServerUnderTest server) {
      servers.add(server.uri());
      ws.assertProcessAlive();
    }

    @Test
    @Order(3)
    @ServerMayDie
    void killsTheServerOnPurpose(RawWebSocketClient ws, ServerUnderTest server) {
      servers.add(server.uri());
      ws.send(Frame.text("x").unmasked());
      ws.assertFailsConnection();
    }

    @Test
    @Order(4)
    void getsALiveServerAgain(RawWebSocketClient ws, ServerUnderTest server) {
      servers.add(server.uri());
      ws.assertProcessAlive();
    }
  }

  @Test
  void aServerThatDiesDuringATestFailsItAndTheNextTestGetsItStartedAgain() {
    DeathTestCases.servers.clear();
    var results =
        TestKit.run(
            DeathTestCases.class,
            launching("{port} die-on-unmasked death-marker", "ready on port (\\d+)"));
    assertThat(failure(results, "killsTheServerAndAcceptsTheDrop"))
        .isInstanceOf(org.opentest4j.AssertionFailedError.class)
        .hasMessageMatching(
            "(?s)the launched server died during this test: process `[^`]+ death-marker` exited with"
                + " code 3\nlast output of `[^`]+`:\n  ready on port \\d+\n  \\[stderr\\] fatal:"
                + " Invalid WebSocket frame: MASK must be set\n\\(annotate the test @ServerMayDie if"
                + " it kills the server on purpose; the next test gets it started again\\)");
    assertSucceeded(results, "getsALiveServer");
    assertSucceeded(results, "killsTheServerOnPurpose");
    assertSucceeded(results, "getsALiveServerAgain");
    List<URI> servers = DeathTestCases.servers;
    assertThat(servers).hasSize(4);
    assertThat(servers.get(1)).isNotEqualTo(servers.get(0)).isEqualTo(servers.get(2));
    assertThat(servers.get(3)).isNotEqualTo(servers.get(2));
    assertThat(childrenRunning("death-marker")).isEmpty();
  }

  @WebSocketRobustness(launchPer = "method")
  static class PerMethodTestCases {
    static final List<Long> pids = new CopyOnWriteArrayList<>();

    @Test
    void first() {
      assertThat(childrenRunning("per-method-marker"))
          .singleElement()
          .satisfies(p -> pids.add(p.pid()));
    }

    @Test
    void second() {
      assertThat(childrenRunning("per-method-marker"))
          .singleElement()
          .satisfies(p -> pids.add(p.pid()));
    }
  }

  @Test
  void launchPerMethodGivesEachTestAServerOfItsOwn() {
    PerMethodTestCases.pids.clear();
    var results =
        TestKit.run(
            PerMethodTestCases.class,
            Map.of(
                "wsrobustness.launch",
                ruleServer("{port} per-method-marker"),
                "wsrobustness.launch.readyWhenOutputMatches",
                "ready on port (\\d+)",
                "junit.jupiter.execution.parallel.mode.default",
                "same_thread"));
    assertSucceeded(results, "first");
    assertSucceeded(results, "second");
    assertThat(PerMethodTestCases.pids).hasSize(2).doesNotHaveDuplicates();
    assertThat(childrenRunning("per-method-marker")).isEmpty();
  }

  @WebSocketRobustness(launchPer = "method")
  static class PerMethodBeforeAllTestCases {
    @org.junit.jupiter.api.BeforeAll
    static void before(ServerUnderTest server) {}

    @Test
    void test() {}
  }

  @Test
  void launchPerMethodHasNoServerForBeforeAll() {
    var results =
        TestKit.run(
            PerMethodBeforeAllTestCases.class,
            launching("{port} per-method-before-all", "ready on port (\\d+)"));
    assertThat(containerFailure(results))
        .hasMessage(
            "launchPer = \"method\" gives each test a server of its own, so there is none for"
                + " ServerUnderTest parameter 1 of PerMethodBeforeAllTestCases.before(); take the"
                + " parameter in the test method, or launch per class");
    assertThat(childrenRunning("per-method-before-all")).isEmpty();
  }

  // --- settings --------------------------------------------------------------------------------

  /** The outer launch reads its port from the ready line; the inner one's is handed in. */
  @WebSocketRobustness(
      launch = {
        "sh",
        "-c",
        "exec \"$WSR_JAVA\" -cp \"$WSR_CP\" io.github.wsrobustness.RuleServer \"$WSR_PORT\""
            + " outer-launch-marker"
      },
      readyWhenOutputMatches = "^ready on port (\\d+)$")
  static class OwnLaunchTestCases {
    @Nested
    @WebSocketRobustness(
        launch = {
          "sh",
          "-c",
          "exec \"$WSR_JAVA\" -cp \"$WSR_CP\" io.github.wsrobustness.RuleServer \"$WSR_PORT\""
              + " inner-launch-marker"
        })
    class Inner {
      @Test
      void getsItsPortHandedIn(ServerUnderTest server) {
        assertThat(childrenRunning("inner-launch-marker"))
            .singleElement()
            .satisfies(
                p ->
                    assertThat(p.info().arguments().orElseThrow())
                        .contains(Integer.toString(server.uri().getPort())));
        assertIsTheOneWith(server.uri(), "inner-launch-marker");
      }
    }
  }

  @Test
  void aNestedClassWithItsOwnLaunchTakesNoLaunchSettingsFromOutside() {
    var results =
        TestKit.run(
            OwnLaunchTestCases.class,
            Map.of(
                "wsrobustness.launch.environment",
                "WSR_PORT={port};WSR_JAVA=" + JAVA + ";WSR_CP=" + CLASS_PATH + ";"));
    assertSucceeded(results, "getsItsPortHandedIn");
    assertThat(childrenRunning("launch-marker")).isEmpty();
  }

  @WebSocketRobustness(
      launch = {
        "sh",
        "-c",
        "exec \"$WSR_JAVA\" -cp \"$WSR_CP\" io.github.wsrobustness.RuleServer \"$WSR_PORT\""
            + " no-pong merged-marker"
      },
      deadline = "4s",
      liveness = "handshake")
  static class MergedSettingsTestCases {
    static final List<URI> servers = new CopyOnWriteArrayList<>();

    @Test
    void outer(RawWebSocketClient ws, ServerUnderTest server) {
      servers.add(server.uri());
      assertThat(ws.deadline()).hasSeconds(4);
    }

    @Nested
    @WebSocketRobustness(deadline = "3s")
    class Inner {
      @Test
      void inner(RawWebSocketClient ws, ServerUnderTest server) {
        servers.add(server.uri());
        assertThat(ws.deadline()).hasSeconds(3);
        ws.assertProcessAlive(); // by handshake, set outside: the server answers no ping
      }
    }
  }

  @Test
  void nestedSettingsOverrideOnlyWhatTheySetAndTheLaunchEnvironmentHasAParameter() {
    MergedSettingsTestCases.servers.clear();
    var results =
        TestKit.run(
            MergedSettingsTestCases.class,
            Map.of(
                "wsrobustness.launch.environment",
                "WSR_PORT={port}; WSR_JAVA=" + JAVA + ";WSR_CP=" + CLASS_PATH,
                "wsrobustness.launch.readyWhenOutputMatches",
                "ready on port"));
    assertSucceeded(results, "outer");
    assertSucceeded(results, "inner");
    assertThat(MergedSettingsTestCases.servers).hasSize(2);
    assertThat(MergedSettingsTestCases.servers.get(0))
        .isEqualTo(MergedSettingsTestCases.servers.get(1));
  }

  @WebSocketRobustness(liveness = "pong")
  static class UnknownLivenessTestCases {
    @Test
    void test(RawWebSocketClient ws) {}
  }

  @WebSocketRobustness(launchPer = "test")
  static class UnknownLaunchPerTestCases {
    @Test
    void test(RawWebSocketClient ws) {}
  }

  @Test
  void unknownLivenessOrLaunchPerIsNamedBeforeAnythingStarts() {
    Map<String, String> uri = Map.of("wsrobustness.uri", RuleServer.shared().uri().toString());
    assertThat(containerFailure(TestKit.run(UnknownLivenessTestCases.class, uri)))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessage(
            "@WebSocketRobustness(liveness = \"pong\") on UnknownLivenessTestCases is neither"
                + " handshake, ping nor echo, nor the class name of a ServingCheck with a public"
                + " no-argument constructor");
    assertThat(containerFailure(TestKit.run(UnknownLaunchPerTestCases.class, uri)))
        .hasMessage(
            "@WebSocketRobustness(launchPer = \"test\") on UnknownLaunchPerTestCases must be class or"
                + " method");
    assertThat(
            containerFailure(
                TestKit.run(
                    PingLivenessTestCases.class,
                    Map.of(
                        "wsrobustness.uri",
                        RuleServer.shared().uri().toString(),
                        "wsrobustness.liveness",
                        "java.lang.String"))))
        .hasMessage(
            "configuration parameter wsrobustness.liveness = \"java.lang.String\" is neither"
                + " handshake, ping nor echo, nor the class name of a ServingCheck with a public"
                + " no-argument constructor");
  }
}
