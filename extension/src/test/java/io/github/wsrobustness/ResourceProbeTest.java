package io.github.wsrobustness;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link ResourceProbe} reads of real processes: a shell and its children, a JVM that grows,
 * servers listening in this JVM and in another, and processes that end under it.
 */
class ResourceProbeTest {
  private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
  private static final long MIB = 1024 * 1024;

  @BeforeEach
  void linux() {
    Assumptions.assumeTrue(ResourceProbe.supported(), "/proc is readable here");
  }

  @Test
  void processTreeCountsAShellAndItsChildrenAndNothingOnceTheyAreGone() throws Exception {
    // "ready" comes once both children are forked: the tree is then exactly three processes.
    Process shell =
        new ProcessBuilder("sh", "-c", "sleep 30 & sleep 30 & echo ready; wait")
            .redirectErrorStream(true)
            .start();
    try (Lines out = new Lines(shell)) {
      assertThat(out.next()).isEqualTo("ready");
      ResourceProbe probe = ResourceProbe.processTree(shell.pid());
      // The command is the executable's, links resolved: "dash" on Debian.
      assertThat(probe.describe()).startsWith("the process tree of pid " + shell.pid() + " (");

      ResourceSample whole = probe.sample();
      assertThat(whole.processes()).isEqualTo(3);
      assertThat(whole.threads()).isEqualTo(3);
      assertThat(whole.residentBytes()).isGreaterThan(0);
      assertThat(whole.descriptors()).isGreaterThanOrEqualTo(3 * 3); // stdin, stdout, stderr each
      assertThat(whole.heapBytes()).isEqualTo(-1);
      assertThat(probe.settled().processes()).isEqualTo(3);

      // One child ends: once the shell has reaped it, the tree is one process fewer.
      ProcessHandle child = shell.descendants().findFirst().orElseThrow();
      child.destroyForcibly();
      child.onExit().get(30, SECONDS);
      ResourceSample fewer = probe.sample();
      assertThat(fewer.processes()).isEqualTo(2);
      assertThat(fewer.threads()).isEqualTo(2);

      shell.descendants().forEach(ProcessHandle::destroyForcibly);
      shell.destroyForcibly();
      shell.onExit().get(30, SECONDS);
      assertThat(probe.sample()).isEqualTo(new ResourceSample(0, -1, 0, 0, 0));
    } finally {
      shell.descendants().forEach(ProcessHandle::destroyForcibly);
      shell.destroyForcibly();
    }
  }

  @Test
  void aZombieIsNoProcessOfTheTree() throws Exception {
    // The child echoes and exits; its parent then is a sleep, which never reaps it. The pipe
    // ends once the child has exited, the root's output going elsewhere after its exec.
    Process root =
        new ProcessBuilder("sh", "-c", "(echo child) & exec sleep 30 >/dev/null 2>&1")
            .redirectErrorStream(true)
            .start();
    try (Lines out = new Lines(root)) {
      assertThat(out.next()).isEqualTo("child");
      assertThat(out.next()).isNull();
      assertThat(root.descendants().count()).as("ProcessHandle sees the zombie").isEqualTo(1);
      ResourceSample sample = ResourceProbe.processTree(root.pid()).sample();
      assertThat(sample.processes()).isEqualTo(1);
      assertThat(sample.threads()).isEqualTo(1);
    } finally {
      root.destroyForcibly(); // the zombie goes with it, reaped by whoever adopts it
    }
  }

  @Test
  void processTreeOfThisJvmCountsEveryThreadOfIt() {
    ResourceSample sample = ResourceProbe.processTree(ProcessHandle.current().pid()).sample();
    // The OS threads of a JVM are its Java threads and more (compiler, GC threads).
    assertThat(sample.threads())
        .isGreaterThanOrEqualTo(ManagementFactory.getThreadMXBean().getThreadCount());
    assertThat(sample.processes()).isGreaterThanOrEqualTo(1);
    assertThat(sample.residentBytes()).isGreaterThan(16 * MIB);
    assertThat(sample.descriptors()).isGreaterThan(3);
  }

  @Test
  void processTreeOfAPidThatIsNoProcessHasNothing() throws Exception {
    Process ended = new ProcessBuilder("true").start();
    assertThat(ended.waitFor(30, SECONDS)).isTrue();
    // A pid that was, and no longer is (unless reused at once, when it is some other process).
    ResourceProbe gone = ResourceProbe.processTree(ended.pid());
    assertThat(gone.sample().processes()).isLessThanOrEqualTo(1);
    ResourceProbe never = ResourceProbe.processTree(Long.MAX_VALUE);
    assertThat(never.sample()).isEqualTo(new ResourceSample(0, -1, 0, 0, 0));
    assertThat(never.describe()).isEqualTo("the process tree of pid " + Long.MAX_VALUE);
  }

  @Test
  void residentMemoryAChildTouchesIsSeen() throws Exception {
    try (Child child = new Child()) {
      ResourceProbe probe = ResourceProbe.processTree(child.pid());
      // Started and answering: what the JVM's start takes is not growth.
      assertThat(child.ask("grow 0")).isEqualTo("grown 0");
      ResourceSample before = probe.sample();
      assertThat(child.ask("grow 200")).isEqualTo("grown 200");
      ResourceSample after = probe.sample();
      assertThat(after.residentBytes() - before.residentBytes())
          .as("growth from %s to %s", before.describe(), after.describe())
          .isGreaterThanOrEqualTo(150 * MIB);
      assertThat(after.processes()).isEqualTo(1);
      assertThat(after.threads()).isGreaterThan(1);
    }
  }

  @Test
  void listeningOnFindsAServerSocketOfThisJvm() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      Optional<ResourceProbe> probe = ResourceProbe.listeningOn(server.getLocalPort());
      assertThat(probe).isPresent();
      assertThat(probe.get().describe()).contains("this JVM");
      assertThat(probe.get().sample().heapBytes()).isGreaterThan(0);
    }
  }

  @Test
  void listeningOnFindsAServerSocketOnEveryAddress() throws Exception {
    // Bound to the unspecified address: on a host with IPv6 a line of /proc/net/tcp6 (::).
    try (ServerSocket server = new ServerSocket(0)) {
      assertThat(ResourceProbe.listeningOn(server.getLocalPort()))
          .hasValueSatisfying(p -> assertThat(p.describe()).contains("this JVM"));
    }
  }

  @Test
  void listeningOnFindsAServerInAChildProcess() throws Exception {
    try (Child child = new Child()) {
      String answer = child.ask("listen");
      assertThat(answer).startsWith("port ");
      int port = Integer.parseInt(answer.substring("port ".length()));
      Optional<ResourceProbe> probe = ResourceProbe.listeningOn(port);
      assertThat(probe).isPresent();
      assertThat(probe.get().describe()).contains("pid " + child.pid()).contains("java");
      ResourceSample sample = probe.get().sample();
      assertThat(sample.processes()).isEqualTo(1);
      assertThat(sample.residentBytes()).isGreaterThan(0);
    }
  }

  @Test
  void listeningOnIsEmptyWhereNobodyListens() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Socket client = new Socket();
        Socket accepted = connect(server, client)) {
      // A connected socket's port is in the tables too, but not listening.
      assertThat(accepted.isConnected()).isTrue();
      assertThat(ResourceProbe.listeningOn(client.getLocalPort())).isEmpty();
    }
    // Not a port just closed: a test beside this one may be given it by its next bind(0). Port 1
    // (tcpmux) is served nowhere, and none but root may bind it.
    assertThat(ResourceProbe.listeningOn(1)).isEmpty();
    assertThat(ResourceProbe.listeningOn(0)).isEmpty();
    assertThat(ResourceProbe.listeningOn(70_000)).isEmpty();
  }

  @Test
  void thisJvmCountsHeapThreadsAndDescriptors() throws IOException {
    ResourceProbe probe = ResourceProbe.thisJvm();
    assertThat(probe.describe()).isEqualTo("this JVM (the server runs in the test's JVM)");
    ResourceSample settled = probe.settled();
    assertThat(settled.heapBytes()).isGreaterThan(0);
    assertThat(settled.residentBytes()).isEqualTo(-1);
    assertThat(settled.threads()).isGreaterThan(0);
    assertThat(settled.processes()).isEqualTo(1);

    ResourceSample before = probe.sample();
    List<Pipe> pipes = new ArrayList<>();
    try {
      for (int i = 0; i < 200; i++) pipes.add(Pipe.open()); // two descriptors each
      // Slack for the tests running beside this one, which open and close descriptors too.
      assertThat(probe.sample().descriptors() - before.descriptors()).isBetween(300, 500);
    } finally {
      for (Pipe pipe : pipes) {
        pipe.sink().close();
        pipe.source().close();
      }
    }
  }

  @Test
  void mebibytesForMessages() {
    assertThat(ResourceSample.mib(412 * MIB)).isEqualTo("412 MiB");
    assertThat(ResourceSample.mib(412 * MIB + MIB / 2)).isEqualTo("413 MiB");
    assertThat(ResourceSample.mib(3 * MIB + 4 * MIB / 10)).isEqualTo("3.4 MiB");
    assertThat(ResourceSample.mib(10 * MIB)).isEqualTo("10 MiB");
    assertThat(ResourceSample.mib(10 * MIB - MIB / 100)).isEqualTo("10 MiB");
    assertThat(ResourceSample.mib(MIB / 10)).isEqualTo("0.1 MiB");
    assertThat(ResourceSample.mib(0)).isEqualTo("0.0 MiB");
    assertThat(ResourceSample.mib(-3 * MIB)).isEqualTo("-3.0 MiB");
    assertThat(ResourceSample.mib(-1)).isEqualTo("0.0 MiB");
    assertThat(ResourceSample.mib(64L * 1024 * MIB)).isEqualTo("65536 MiB");
  }

  @Test
  void aSampleDescribesTheFiguresItHas() {
    assertThat(new ResourceSample(412 * MIB, -1, 23, 41, 2).describe())
        .isEqualTo("resident 412 MiB, 23 threads, 41 descriptors, 2 processes");
    assertThat(new ResourceSample(-1, 3 * MIB + 4 * MIB / 10, 1, -1, 1).describe())
        .isEqualTo("heap 3.4 MiB, 1 thread, 1 process");
  }

  private static Socket connect(ServerSocket server, Socket client) throws IOException {
    client.connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()), 30_000);
    server.setSoTimeout(30_000);
    return server.accept();
  }

  /**
   * A process's output, line by line, each line awaited for at most 30 s: the read runs on a thread
   * of its own, so a process that never answers fails the test instead of hanging it.
   */
  private static final class Lines implements AutoCloseable {
    private final BufferedReader reader;
    private final ExecutorService thread = Executors.newSingleThreadExecutor();

    Lines(Process process) {
      reader =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    String next() throws Exception {
      return CompletableFuture.supplyAsync(
              () -> {
                try {
                  return reader.readLine();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              },
              thread)
          .get(30, SECONDS);
    }

    @Override
    public void close() {
      thread.shutdownNow(); // a read still blocked ends when the process does
    }
  }

  /** A {@link ResourceFixtureMain} in a JVM of its own, ended on close. */
  private static final class Child implements AutoCloseable {
    private final Process process;
    private final Writer commands;
    private final Lines answers;

    Child() throws IOException {
      process =
          new ProcessBuilder(
                  JAVA,
                  "-Xmx512m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  ResourceFixtureMain.class.getName())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      commands = process.outputWriter(StandardCharsets.UTF_8);
      answers = new Lines(process);
    }

    long pid() {
      return process.pid();
    }

    String ask(String command) throws Exception {
      commands.write(command + "\n");
      commands.flush();
      return answers.next();
    }

    @Override
    public void close() {
      try {
        process.destroyForcibly();
        if (!process.waitFor(30, SECONDS)) {
          throw new IllegalStateException("pid " + process.pid() + " outlived SIGKILL by 30 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the test is being stopped: let it stop
      } finally {
        answers.close();
      }
    }
  }
}
