package io.github.wsrobustness.frame;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Random;
import okio.Buffer;
import okio.ByteString;
import org.junit.jupiter.api.Test;

/**
 * Compressed messages as a client reads them (RFC 7692 §7.2): inflated with the context kept or
 * reset as agreed, never past the reader's limit, and a server's broken compression reported.
 */
class PerMessageDeflateReadingTest {
  private static final PerMessageDeflate PLAIN = PerMessageDeflate.offer();
  private final FrameWriter writer = new FrameWriter(new Random(1));

  @Test
  void messagesCompressedWithContextTakeoverInflateInOrder() throws IOException {
    MessageDeflater deflater = MessageDeflater.withContextTakeover();
    Buffer wire = new Buffer();
    for (int i = 0; i < 3; i++) {
      write(wire, Frame.text(deflater.compress("hello, hello, hello " + i)).rsv1());
    }
    FrameReader reader = new FrameReader(wire, false, PLAIN, 1 << 20);
    for (int i = 0; i < 3; i++) {
      ReceivedFrame frame = reader.readFrame();
      assertThat(frame.violations()).isEmpty();
      assertThat(frame.message().utf8()).isEqualTo("hello, hello, hello " + i);
      assertThat(frame.messageLength()).isEqualTo(21);
    }
  }

  @Test
  void aMessageThatReliesOnAnEarlierOneBreaksServerNoContextTakeover() throws IOException {
    MessageDeflater deflater = MessageDeflater.withContextTakeover();
    String text = "a sentence long enough to be found again in the next message";
    Buffer wire = new Buffer();
    write(wire, Frame.text(deflater.compress(text)).rsv1());
    write(wire, Frame.text(deflater.compress(text)).rsv1());
    FrameReader reader = new FrameReader(wire, false, PLAIN.serverNoContextTakeover(), 1 << 20);
    assertThat(reader.readFrame().message().utf8()).isEqualTo(text);
    ReceivedFrame second = reader.readFrame();
    assertThat(second.violations())
        .singleElement()
        .asString()
        .startsWith("compressed message is not valid DEFLATE data (invalid distance too far back")
        .contains("the server agreed to server_no_context_takeover");
  }

  @Test
  void aFragmentedCompressedMessageInflatesWhole() throws IOException {
    ByteString compressed = MessageDeflater.noContextTakeover().compress("fragments, fragments!");
    Buffer wire = new Buffer();
    write(wire, Frame.text(compressed.substring(0, 5)).rsv1().fin(false));
    write(wire, Frame.continuation(compressed.substring(5, 9)).fin(false));
    write(wire, Frame.continuation(compressed.substring(9)));
    FrameReader reader = new FrameReader(wire, false, PLAIN, 1 << 20);
    assertThat(reader.readFrame().message()).isNull();
    assertThat(reader.readFrame().message()).isNull();
    ReceivedFrame last = reader.readFrame();
    assertThat(last.violations()).isEmpty();
    assertThat(last.message().utf8()).isEqualTo("fragments, fragments!");
  }

  @Test
  void aBombStopsInflatingAtTheLimitAndKeepsOnlyItsStart() throws IOException {
    ByteString bomb = MessageDeflater.bomb(256L << 20);
    assertThat(bomb.size()).isLessThan(512 * 1024); // 256 MiB of zeros in under half a MiB
    Buffer wire = new Buffer();
    write(wire, Frame.binary(bomb).rsv1());
    write(wire, Frame.binary(MessageDeflater.noContextTakeover().compress("after")).rsv1());
    FrameReader reader = new FrameReader(wire, false, PLAIN.serverNoContextTakeover(), 1 << 20);
    ReceivedFrame frame = reader.readFrame();
    assertThat(frame.isMessageTruncated()).isTrue();
    assertThat(frame.message().size()).isEqualTo(FrameReader.TRUNCATED_KEPT);
    // Inflation stopped one chunk past the limit: the rest was never made.
    assertThat(frame.messageLength()).isBetween((1L << 20) + 1, (1L << 20) + 64 * 1024);
    assertThat(frame.violations()).isEmpty();
    // Without context takeover the next message stands alone and inflates.
    assertThat(reader.readFrame().message().utf8()).isEqualTo("after");
  }

  @Test
  void aBombCutOffLosesTheSharedContextOfLaterMessages() throws IOException {
    Buffer wire = new Buffer();
    write(wire, Frame.binary(MessageDeflater.bomb(4L << 20)).rsv1());
    write(wire, Frame.binary(MessageDeflater.noContextTakeover().compress("after")).rsv1());
    FrameReader reader = new FrameReader(wire, false, PLAIN, 1 << 20);
    assertThat(reader.readFrame().isMessageTruncated()).isTrue();
    assertThat(reader.readFrame().violations())
        .containsExactly(
            "compressed message not inflated: the shared context was lost when a message was cut"
                + " off at 1048576 inflated bytes");
  }

  @Test
  void bytesThatAreNoDeflateDataAreReported() throws IOException {
    Buffer wire = new Buffer();
    write(wire, Frame.binary(ByteString.decodeHex("ffffffff")).rsv1());
    ReceivedFrame frame = new FrameReader(wire, false, PLAIN, 1 << 20).readFrame();
    assertThat(frame.violations())
        .singleElement()
        .asString()
        .startsWith("compressed message is not valid DEFLATE data (")
        .endsWith("; RFC 7692 §7.2.2)");
  }

  @Test
  void compressedTextIsCheckedAsUtf8OnceInflated() throws IOException {
    Buffer wire = new Buffer();
    ByteString invalid = ByteString.decodeHex("cebae1bdb9cf83cebcceb5eda080656469746564");
    write(wire, Frame.text(MessageDeflater.noContextTakeover().compress(invalid)).rsv1());
    ReceivedFrame frame = new FrameReader(wire, false, PLAIN, 1 << 20).readFrame();
    assertThat(frame.violations())
        .containsExactly("text message is not valid UTF-8 once inflated (RFC 6455 §8.1)");
  }

  @Test
  void aSmallWindowIsKeptByCodingLiteralsOnly() throws IOException {
    ByteString message = ByteString.encodeUtf8("abcabcabcabc".repeat(100));
    MessageDeflater small = MessageDeflater.forClient(PLAIN.clientMaxWindowBits(9));
    ByteString compressed = small.compress(message);
    // Literals only: smaller than the text, larger than with back-references.
    assertThat(compressed.size())
        .isLessThan(message.size())
        .isGreaterThan(MessageDeflater.noContextTakeover().compress(message).size());
    Buffer wire = new Buffer();
    write(wire, Frame.text(compressed).rsv1());
    assertThat(new FrameReader(wire, false, PLAIN, 1 << 20).readFrame().message())
        .isEqualTo(message);
  }

  @Test
  void withoutAnAgreementRsv1IsAViolationAndNothingIsInflated() throws IOException {
    Buffer wire = new Buffer();
    ByteString compressed = MessageDeflater.noContextTakeover().compress("x");
    write(wire, Frame.text(compressed).rsv1());
    ReceivedFrame frame =
        new FrameReader(wire, false, (PerMessageDeflate) null, 1 << 20).readFrame();
    assertThat(frame.violations())
        .contains("RSV1 is set but no negotiated extension defines it (RFC 6455 §5.2)");
    assertThat(frame.message()).isEqualTo(compressed);
  }

  private void write(Buffer wire, Frame frame) throws IOException {
    writer.write(frame.unmasked(), wire);
  }
}
