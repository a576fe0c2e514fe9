package io.github.wsrobustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How a launched server's output is kept: cut lines, a bounded tail, every line seen. */
class ServerOutputTest {

  private static String drain(InputStream stream, List<String> seen) {
    ServerOutput output = new ServerOutput(seen::add);
    output.pump(stream, "", "test output");
    output.join(10_000);
    return output.tail("server");
  }

  private static InputStream text(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aLongLineIsCutAndCountedAndTheNextLineIsKeptWhole() {
    List<String> seen = new CopyOnWriteArrayList<>();
    InputStream longLine =
        new SequenceInputStream(
            Collections.enumeration(
                List.of(text("x".repeat(10_000)), text("\r\nready on port 4711\r\n"))));
    String tail = drain(longLine, seen);
    assertThat(seen)
        .containsExactly(
            "x".repeat(ServerOutput.LINE_MAX) + "… 5,904 more bytes", "ready on port 4711");
    assertThat(tail).endsWith("… 5,904 more bytes\n  ready on port 4711");
  }

  @Test
  void onlyTheLastLinesAreKeptAndTheLastFortyShown() {
    List<String> seen = new CopyOnWriteArrayList<>();
    String lines =
        IntStream.rangeClosed(1, 1000).mapToObj(i -> "line " + i).collect(Collectors.joining("\n"));
    String tail = drain(text(lines), seen);
    assertThat(seen).hasSize(1000).endsWith("line 1000"); // a line without a newline counts too
    assertThat(tail.lines().skip(2)) // the blank line and the header
        .hasSize(ServerOutput.LINES_SHOWN)
        .startsWith("  line 961")
        .endsWith("  line 1000");
  }

  @Test
  void aServerThatWroteNothingSaysSo() {
    assertThat(drain(text(""), new CopyOnWriteArrayList<>()))
        .isEqualTo("\n(the process wrote no output)");
  }
}
