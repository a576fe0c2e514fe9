package io.github.wsrobustness;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsrobustness.frame.ReceivedFrame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okio.Buffer;
import okio.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Nothing a server sends can exhaust the client: floods and bombs of 64 MiB against a client in a
 * JVM with a 64 MiB heap ({@link MemoryBoundFixtureMain}). Before the event log had a byte budget,
 * 18 MiB of small frames held 376 MiB live; each of these ran out of memory.
 */
class MemoryBoundTest {
  private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
  private static final int MIB = 1024 * 1024;

  /** What the hostile server sends after the handshake, mebibyte by mebibyte. */
  private static final long FLOOD_BYTES = 64L * MIB;

  @ParameterizedTest(name = "{0}")
  @CsvSource({"flood, 81 10", "ping-flood, 89 10"})
  void floodOfSmallFrames(String scenario, String header, @TempDir Path dir) throws Exception {
    String output = run(scenario, dir, c -> flood(c, header));
    assertThat(output)
        .contains("outcome: the server closed with 1000 (NORMAL_CLOSURE) after")
        .containsPattern("received 3,728,257 frames \\(56\\.9 MiB\\), 3,[0-9,]+ not kept")
        // its first 64 KiB and last 256 KiB of entries, however many frames came
        .containsPattern("transcript: [0-9]{5,6} characters");
  }

  @Test
  void oneFrameLargerThanTheHeapCanHold(@TempDir Path dir) throws Exception {
    String output =
        run(
            "one-big-frame",
            dir,
            c -> {
              c.acceptHandshake();
              c.writeHex("82 7f " + String.format("%016x", FLOOD_BYTES));
              writeMebibytes(c, ByteString.of(new byte[MIB]), FLOOD_BYTES / MIB);
              closeAfterTheClientsReply(c);
            });
    assertThat(output)
        .contains("frame: BINARY fin len=67108864, kept 1024, truncated true")
        .contains("outcome: the server closed with 1000 (NORMAL_CLOSURE)");
  }

  @Test
  void frameDeclaringTwoToTheSixtySecondBytes(@TempDir Path dir) throws Exception {
    String output =
        run(
            "bomb",
            dir,
            c -> {
              c.acceptHandshake();
              c.writeHex("82 7f 4000000000000000");
              writeMebibytes(c, ByteString.of(new byte[MIB]), FLOOD_BYTES / MIB);
            });
    assertThat(output)
        .contains(
            "outcome: the server dropped the connection without a close frame (end of stream"
                + " inside a frame: stream ended inside a frame after 67108864 of"
                + " 4611686018427387904 payload bytes)");
  }

  @Test
  void floodOfFramesThatEachBreakSevenRules(@TempDir Path dir) throws Exception {
    // Each 8-byte frame carries seven violation sentences: the event log must count them.
    String output =
        run(
            "violation-flood",
            dir,
            c -> {
              c.acceptHandshake();
              // FIN clear, RSV1-3, reserved control opcode 0xB, masked, 0 in the 16-bit field
              ByteString frame = ByteString.decodeHex("7bfe000011223344");
              Buffer chunk = new Buffer();
              for (int i = 0; i < 128 * 1024; i++) chunk.write(frame);
              writeMebibytes(c, chunk.readByteString(), 8);
              c.socket.shutdownOutput(); // FIN, and keep reading: the client's probe ping must
              c.awaitEndOfStream(); // not sit unread, or closing would reset the connection
            });
    assertThat(output)
        .contains(
            "outcome: the server dropped the connection without a close frame (end of stream)")
        .containsPattern("received 1,048,576 frames \\(0 bytes\\), [0-9,]+ not kept");
    // Each kept frame costs its sentences too: an 8 MiB budget holds a few thousand of these, where
    // counting the bare frames would keep some forty thousand, several times what it says.
    Matcher notKept =
        Pattern.compile("1,048,576 frames \\(0 bytes\\), ([0-9,]+) not kept").matcher(output);
    assertThat(notKept.find()).isTrue();
    long kept = 1_048_576 - Long.parseLong(notKept.group(1).replace(",", ""));
    assertThat(kept).isBetween(1_000L, 10_000L);
  }

  /** 18-byte frames with this 2-byte header and a 16-byte payload, 64 MiB of them, then close. */
  private static void flood(TestPeer.Connection c, String header) throws IOException {
    c.acceptHandshake();
    Buffer chunk = new Buffer();
    ByteString frame = ByteString.decodeHex(header.replace(" ", "") + "66".repeat(16));
    while (chunk.size() + frame.size() <= MIB) chunk.write(frame);
    writeMebibytes(c, chunk.readByteString(), FLOOD_BYTES / MIB);
    closeAfterTheClientsReply(c);
  }

  /** Sends close 1000, reads until the client's close reply, then ends TCP: a clean close. */
  private static void closeAfterTheClientsReply(TestPeer.Connection c) throws IOException {
    c.writeHex("88 02 03 e8");
    for (ReceivedFrame frame = c.readFrame(); frame != null && !frame.isClose(); ) {
      frame = c.readFrame(); // the client's probe ping, sent when the flood began, comes first
    }
    c.close();
  }

  private static void writeMebibytes(TestPeer.Connection c, ByteString chunk, long count)
      throws IOException {
    for (long i = 0; i < count; i++) c.sink.write(chunk);
    c.sink.flush();
  }

  /** Serves {@code script} and runs the fixture against it in a JVM with a 64 MiB heap. */
  private static String run(String scenario, Path dir, TestPeer.Script script) throws Exception {
    Path out = dir.resolve(scenario + ".out");
    try (TestPeer peer = TestPeer.start(script)) {
      Process child =
          new ProcessBuilder(
                  JAVA,
                  "-Xmx64m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  "io.github.wsrobustness.MemoryBoundFixtureMain",
                  scenario,
                  peer.uri().toString())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      try {
        boolean exited = child.waitFor(120, TimeUnit.SECONDS);
        String printed = Files.readString(out);
        assertThat(exited).as("the client JVM ends within 120 s; it printed:\n" + printed).isTrue();
        assertThat(child.exitValue())
            .as("exit status; the client JVM printed:\n" + printed)
            .isZero();
        return printed;
      } finally {
        child.destroyForcibly();
      }
    }
  }
}
