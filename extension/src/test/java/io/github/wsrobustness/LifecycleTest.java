package io.github.wsrobustness;

import static io.github.wsrobustness.TestKit.assertSucceeded;
import static io.github.wsrobustness.TestKit.childrenRunning;
import static io.github.wsrobustness.TestKit.containerFailure;
import static io.github.wsrobustness.TestKit.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsrobustness.frame.Frame;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.reporting.OutputDirectoryProvider;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * What the extension starts and cleans up: clients after each test, launched process trees after
 * the class (also when tests fail), and transcripts attached to failing tests.
 */
class LifecycleTest {
  private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
  private static final TestPeer server = RuleServer.shared();

  /** {@code java -cp <this test run's classpath> <main> <args>}, as one configuration string. */
  private static String javaCommand(String main, String args) {
    return JAVA + " -cp " + System.getProperty("java.class.path") + " " + main + " " + args;
  }

  // --- clients ---------------------------------------------------------------------------------

  @WebSocketRobustness
  static class ClientCleanupTestCases {
    static final List<RawWebSocketClient> injected = new CopyOnWriteArrayList<>();

    @Test
    void passes(RawWebSocketClient ws, @NoHandshake RawWebSocketClient raw) {
      injected.add(ws);
      injected.add(raw);
      assertThat(ws.isClosedLocally()).isFalse();
    }

    @Test
    void fails(RawWebSocketClient ws) {
      injected.add(ws);
      throw new AssertionError("deliberate");
    }
  }

  @Test
  void clientsAreClosedAfterEachTestAlsoWhenItFails() {
    var results =
        TestKit.run(
            ClientCleanupTestCases.class, Map.of("wsrobustness.uri", server.uri().toString()));
    assertSucceeded(results, "passes");
    assertThat(failure(results, "fails")).hasMessage("deliberate");
    assertThat(ClientCleanupTestCases.injected)
        .hasSize(3)
        .allSatisfy(ws -> assertThat(ws.isClosedLocally()).isTrue());
  }

  @WebSocketRobustness
  @org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.MethodName.class)
  @org.junit.jupiter.api.parallel.Execution(
      org.junit.jupiter.api.parallel.ExecutionMode.SAME_THREAD)
  static class ClassLevelClientTestCases {
    static RawWebSocketClient classClient;
    static RawWebSocketClient firstTestClient;

    @BeforeAll
    static void connectOnce(RawWebSocketClient ws) {
      classClient = ws;
    }

    @Test
    void a(RawWebSocketClient ws) {
      firstTestClient = ws;
    }

    @Test
    void b(RawWebSocketClient ws) {
      assertThat(firstTestClient.isClosedLocally()).as("the first test's client").isTrue();
      assertThat(classClient.isClosedLocally()).as("the class-level client").isFalse();
    }
  }

  @Test
  void aTestsClientsAreClosedAfterItEvenBesideAClassLevelClient() {
    var results =
        TestKit.run(
            ClassLevelClientTestCases.class, Map.of("wsrobustness.uri", server.uri().toString()));
    assertSucceeded(results, "a");
    assertSucceeded(results, "b");
    assertThat(ClassLevelClientTestCases.classClient.isClosedLocally())
        .as("after the class")
        .isTrue();
  }

  // --- launched servers ------------------------------------------------------------------------

  @WebSocketRobustness
  static class LaunchedTestCases {
    static final List<URI> servers = new CopyOnWriteArrayList<>();

    @Test
    void echoes(RawWebSocketClient ws, ServerUnderTest server) {
      servers.add(server.uri());
      assertThat(childrenRunning("lifecycle-shared")).hasSize(1);
      ws.sendText("launched");
      ws.assertReceivesText("launched");
      ws.assertProcessAlive();
    }

    @Test
    void fails(ServerUnderTest server) {
      servers.add(server.uri());
      throw new AssertionError("deliberate");
    }

    @Nested
    class Inner {
      @Test
      void sharesTheOuterServer(ServerUnderTest server) {
        servers.add(server.uri());
      }
    }
  }

  @Test
  void launchedServerIsSharedByTheClassAndKilledAfterItAlsoWhenATestFails() {
    var results =
        TestKit.run(
            LaunchedTestCases.class,
            Map.of(
                "wsrobustness.launch",
                javaCommand("io.github.wsrobustness.RuleServer", "{port} lifecycle-shared"),
                "wsrobustness.launch.readyWhenOutputMatches",
                "ready on port \\d+"));
    assertSucceeded(results, "echoes");
    assertSucceeded(results, "sharesTheOuterServer");
    assertThat(failure(results, "fails")).hasMessage("deliberate");
    assertThat(LaunchedTestCases.servers).hasSize(3).containsOnly(LaunchedTestCases.servers.get(0));
    assertThat(LaunchedTestCases.servers.get(0).toString()).matches("ws://127\\.0\\.0\\.1:\\d+/");
    assertThat(childrenRunning("lifecycle-shared")).isEmpty();
  }

  @WebSocketRobustness
  static class DyingServerTestCases {
    @Test
    void unmaskedFrameKillsTheServer(RawWebSocketClient ws) {
      ws.send(Frame.text("hello").unmasked());
      ws.assertClosesWith(1002); // the close frame goes out before the process dies
      ws.assertProcessAlive();
    }
  }

  @Test
  void deadProcessIsReportedWithItsExitCodeAndOutput() {
    var results =
        TestKit.run(
            DyingServerTestCases.class,
            Map.of(
                "wsrobustness.launch",
                javaCommand(
                    "io.github.wsrobustness.RuleServer",
                    "{port} die-on-unmasked reports-exit-code"),
                "wsrobustness.launch.readyWhenOutputMatches",
                "ready on port"));
    assertThat(failure(results, "unmaskedFrameKillsTheServer"))
        .isInstanceOf(AssertionError.class)
        .hasMessageMatching(
            "(?s)Expecting the server at ws://127\\.0\\.0\\.1:\\d+/ to be alive, but process `\\S+ -cp \\S+ io\\.github\\.wsrobustness\\.RuleServer \\d+ die-on-unmasked reports-exit-code`"
                + " exited with"
                + " code 3\nlast output of `[^`]+`:\n  ready on port \\d+\n"
                + "  \\[stderr\\] fatal: Invalid WebSocket frame: MASK must be set\n\nTranscript \\(last 20 entries\\).*")
        .hasMessageContaining("<< CLOSE fin len=2 code=1002");
    assertThat(childrenRunning("reports-exit-code")).isEmpty();
  }

  @Test
  void launchedServerIsKilledWhenTheJvmExitsBeforeJUnitCanCloseIt(@TempDir Path dir)
      throws Exception {
    String marker = "killed-on-jvm-exit";
    Path output = dir.resolve("child-jvm.out");
    Process child =
        new ProcessBuilder(
                JAVA,
                "-cp",
                System.getProperty("java.class.path"),
                "io.github.wsrobustness.JvmExitFixtureMain",
                javaCommand("io.github.wsrobustness.RuleServer", "{port} " + marker),
                marker)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    List<ProcessHandle> servers = List.of();
    try {
      boolean exited = child.waitFor(60, TimeUnit.SECONDS);
      String printed = Files.readString(output);
      // Read before asserting, so that the finally block can kill them whatever fails.
      servers =
          printed
              .lines()
              .filter(line -> line.startsWith("server pid "))
              .map(line -> ProcessHandle.of(Long.parseLong(line.substring("server pid ".length()))))
              .flatMap(Optional::stream)
              .toList();
      assertThat(exited).as("the child JVM exits within 60 s; it printed:\n" + printed).isTrue();
      assertThat(child.exitValue())
          .as("exit status of the child JVM, which printed:\n" + printed)
          .isZero();
      assertThat(printed).as("the child JVM saw its launched server").contains("server pid ");
      for (ProcessHandle server : servers) {
        // The hook waits for the tree before the JVM exits; the bound only allows the kernel to
        // reap it.
        assertThat(server.onExit())
            .as("server process %d, 10 s after the JVM that launched it exited", server.pid())
            .succeedsWithin(10, TimeUnit.SECONDS);
      }
    } finally {
      // A SIGKILLed child runs no hook: its own children go first, while they are still its
      // descendants.
      child.descendants().forEach(ProcessHandle::destroyForcibly);
      child.destroyForcibly();
      servers.forEach(ProcessHandle::destroyForcibly);
    }
  }

  @WebSocketRobustness
  static class DeadServerStillServesTestCases {
    @Test
    void unmaskedFrameKillsTheServer(RawWebSocketClient ws) {
      ws.send(Frame.text("hello").unmasked());
      ws.assertClosesWith(1002);
      ws.assertServerStillServes();
    }
  }

  @Test
  void serverThatNoLongerServesFailsStillServes() {
    var results =
        TestKit.run(
            DeadServerStillServesTestCases.class,
            Map.of(
                "wsrobustness.launch",
                javaCommand(
                    "io.github.wsrobustness.RuleServer", "{port} die-on-unmasked still-serves"),
                "wsrobustness.launch.readyWhenOutputMatches",
                "ready on port"));
    // Refused once the process is gone; reset or cut off while it dies: either way, no round trip.
    assertThat(failure(results, "unmaskedFrameKillsTheServer"))
        .hasMessageMatching(
            "(?s)Expecting the server at ws://127\\.0\\.0\\.1:\\d+/ to still serve a fresh client,"
                + " but a fresh client('s handshake failed: .+| could not connect to ws://127\\.0\\.0\\.1:\\d+/ within 5000 ms: .+)"
                + "\n\nTranscript \\(last 20 entries\\).*");
    assertThat(childrenRunning("still-serves")).isEmpty();
  }

  @WebSocketRobustness(
      launch = {
        "java",
        "-cp",
        "target/test-classes",
        "io.github.wsrobustness.LaunchFixtureMain",
        "exit",
        "{port}"
      })
  static class ExitingServerTestCases {
    @Test
    void test(RawWebSocketClient ws) {}
  }

  @WebSocketRobustness(
      launch = {
        "java",
        "-cp",
        "target/test-classes",
        "io.github.wsrobustness.LaunchFixtureMain",
        "hang",
        "{port}"
      },
      readyWhenOutputMatches = "^ready$",
      readyDeadline = "4s")
  static class HangingServerTestCases {
    @Test
    void test(RawWebSocketClient ws) {}
  }

  @WebSocketRobustness(launch = {"no-such-command-wsrobustness", "{port}"})
  static class UnstartableServerTestCases {
    @Test
    void test(RawWebSocketClient ws) {}
  }

  @WebSocketRobustness(
      launch = {"java", "-version", "{port}"},
      launchDirectory = "no/such/directory")
  static class MissingDirectoryTestCases {
    @Test
    void test(RawWebSocketClient ws) {}
  }

  @WebSocketRobustness(launch = {"node", "server.js"})
  static class PortNeverHandedOverTestCases {
    @Test
    void test(RawWebSocketClient ws) {}
  }

  @WebSocketRobustness(uri = "ws://127.0.0.1:{port}/")
  static class TemplateWithoutLaunchTestCases {
    @Test
    void test(RawWebSocketClient ws) {}
  }

  @Test
  void serversThatCannotStartAreReportedWithTheirOutput() {
    assertThat(containerFailure(TestKit.run(ExitingServerTestCases.class, Map.of())))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessageMatching(
            "the server process `java -cp target/test-classes io\\.github\\.wsrobustness\\."
                + "LaunchFixtureMain exit \\d+` exited with code 7 before it was ready \\(waited for"
                + " ws://127\\.0\\.0\\.1:\\d+/ to answer a WebSocket handshake\\)\nlast output of `[^`]+`:\n"
                + "  \\[stderr\\] cannot start: no configuration found");
    assertThat(containerFailure(TestKit.run(HangingServerTestCases.class, Map.of())))
        .hasMessageMatching(
            "the server process `[^`]+ hang \\d+` was not ready within 4000 ms \\(waited for a line of"
                + " output matching '\\^ready\\$'\\); raise readyDeadline if it is just slow\nlast output of `[^`]+`:\n"
                + "  starting, but never ready");
    assertThat(childrenRunning("LaunchFixtureMain")).isEmpty();
    assertThat(containerFailure(TestKit.run(UnstartableServerTestCases.class, Map.of())))
        .hasMessageMatching(
            "could not start the server process `no-such-command-wsrobustness \\d+`: (Cannot run"
                + " program \"no-such-command-wsrobustness\": error=2, No such file or directory"
                + "|\\[stderr\\] setsid: failed to execute no-such-command-wsrobustness: No such file or"
                + " directory); check the launch command and launchDirectory");
    assertThat(containerFailure(TestKit.run(MissingDirectoryTestCases.class, Map.of())))
        .hasMessageStartingWith(
            "launchDirectory \"no/such/directory\" is not a directory (resolved to ");
    assertThat(containerFailure(TestKit.run(PortNeverHandedOverTestCases.class, Map.of())))
        .hasMessage(
            "the launched server `node server.js` is never told its port: put {port} in an argument or in"
                + " launchEnvironment (e.g. \"PORT={port}\"), let it bind port 0 and read the port it"
                + " prints with a group in readyWhenOutputMatches (e.g. \"listening on (\\\\d+)\"), or"
                + " give its fixed port in uri");
    assertThat(containerFailure(TestKit.run(TemplateWithoutLaunchTestCases.class, Map.of())))
        .hasMessage(
            "@WebSocketRobustness(uri = \"ws://127.0.0.1:{port}/\") on TemplateWithoutLaunchTestCases uses"
                + " {port}, but nothing is launched to receive the port; add launch = {...} or give the real port");
  }

  // --- transcripts attached to failures --------------------------------------------------------

  @WebSocketRobustness
  static class AttachmentTestCases {
    @Test
    void fails(RawWebSocketClient ws) {
      ws.sendText("attach me");
      ws.assertReceivesText("something else");
    }

    @Test
    void passes(RawWebSocketClient ws) {
      ws.sendText("fine");
      ws.assertReceivesText("fine");
    }
  }

  @Test
  // OutputDirectoryProvider is JUnit 5.12's API and deprecated from 5.14: these tests run on both.
  @SuppressWarnings("deprecation")
  void failingTestGetsItsTranscriptAttached(@TempDir Path reports) throws IOException {
    EngineExecutionResults results =
        EngineTestKit.engine("junit-jupiter")
            .selectors(
                org.junit.platform.engine.discovery.DiscoverySelectors.selectClass(
                    AttachmentTestCases.class))
            .configurationParameter("wsrobustness.uri", server.uri().toString())
            .outputDirectoryProvider(
                new OutputDirectoryProvider() {
                  @Override
                  public Path getRootDirectory() {
                    return reports;
                  }

                  @Override
                  public Path createOutputDirectory(TestDescriptor descriptor) throws IOException {
                    return Files.createDirectories(
                        reports.resolve(
                            descriptor.getUniqueId().toString().replaceAll("\\W+", "_")));
                  }
                })
            .execute();
    assertThat(TestKit.filesPublished(results)).isEqualTo(1);
    try (var files = Files.walk(reports)) {
      List<Path> transcripts =
          files.filter(p -> p.getFileName().toString().equals("websocket-transcript.txt")).toList();
      assertThat(transcripts).hasSize(1);
      assertThat(transcripts.get(0).getParent().toString()).contains("fails");
      assertThat(Files.readString(transcripts.get(0)))
          .startsWith(server.uri().toString())
          .contains(">> TEXT fin masked len=9 \"attach me\"", "<< TEXT fin len=9 \"attach me\"");
    }
  }
}
