package io.github.wsrobustness.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.wsrobustness.RawWebSocketClient;
import io.github.wsrobustness.WebSocketRobustness;
import io.github.wsrobustness.frame.Frame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.OutputDirectoryCreator;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.FileEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The headline demo: one unmasked frame kills a {@code ws} server that forgot the per-socket {@code
 * 'error'} listener, a common real-world bug. {@code ws} still answers correctly (close 1002, then
 * FIN), so a test that only checks the close code passes; then Node treats the unhandled {@code
 * 'error'} event as an uncaught exception and the process exits with code 1, taking every other
 * connection with it. Only {@code assertProcessAlive()} catches it.
 *
 * <p>The fixture must fail, so it runs here through {@link EngineTestKit} and we assert
 * <em>how</em> it fails. Surefire does not run the fixture on its own: its default excludes skip
 * nested classes ({@code *$*}), and below a selected class Jupiter discovers only {@code @Nested}
 * inner classes.
 */
class NodeWsWithoutErrorListenerTest {

  @WebSocketRobustness(
      launch = {"node", "echo-server.js", "{port}", "--no-error-listener"},
      launchDirectory = "node",
      readyWhenOutputMatches = "listening on")
  static class UnmaskedFrameTestCases {
    @Test
    void unmaskedFrameIsRejected(RawWebSocketClient ws) {
      ws.send(Frame.text("hello").unmasked());
      ws.assertClosesWith(1002);
      ws.assertProcessAlive();
    }
  }

  @Test
  void oneUnmaskedFrameKillsTheServer(@TempDir Path outputs) throws IOException {
    EngineExecutionResults results =
        EngineTestKit.engine("junit-jupiter")
            .selectors(selectClass(UnmaskedFrameTestCases.class))
            .outputDirectoryCreator(inside(outputs)) // so the extension can attach the transcript
            .execute();

    results
        .containerEvents()
        .assertStatistics(stats -> stats.failed(0)); // launching and killing went fine
    results.testEvents().assertStatistics(stats -> stats.started(1).failed(1));
    Throwable failure =
        results.testEvents().failed().stream()
            .map(
                event ->
                    event
                        .getRequiredPayload(TestExecutionResult.class)
                        .getThrowable()
                        .orElseThrow())
            .findFirst()
            .orElseThrow();
    assertThat(failure)
        .isInstanceOf(AssertionError.class)
        // assertClosesWith(1002) passed: the failure is assertProcessAlive()'s, and the close frame
        // is in it
        .hasMessageStartingWith("Expecting the server at ws://127.0.0.1:")
        .hasMessageContaining("to be alive")
        .hasMessageContaining("88 02 03 ea")
        // the verdict names the exit code and quotes the server's dying words from stderr
        .hasMessageContaining("exited with code 1")
        .hasMessageContaining("RangeError: Invalid WebSocket frame: MASK must be set");

    Path transcript =
        results.testEvents().fileEntryPublished().stream()
            .map(event -> event.getRequiredPayload(FileEntry.class).getPath())
            .findFirst()
            .orElseThrow();
    assertThat(Files.readString(transcript))
        .contains("TEXT fin unmasked len=5 \"hello\"", "88 02 03 ea");

    // The extension cleaned up after the class: no server process of this run is left behind.
    assertThat(
            ProcessHandle.current()
                .descendants()
                .map(process -> process.info().commandLine().orElse(""))
                .filter(
                    line ->
                        line.contains("echo-server.js") && line.contains("--no-error-listener")))
        .isEmpty();
  }

  private static OutputDirectoryCreator inside(Path root) {
    return new OutputDirectoryCreator() {
      @Override
      public Path getRootDirectory() {
        return root;
      }

      @Override
      public Path createOutputDirectory(TestDescriptor descriptor) throws IOException {
        return Files.createTempDirectory(root, "test-");
      }
    };
  }
}
