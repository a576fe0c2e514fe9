package io.github.wsrobustness.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.EOFException;
import java.io.IOException;
import okio.Buffer;
import okio.ByteString;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link FrameReader} over hex goldens of server frames: legal frames decode with no violation;
 * each illegal one (named in a comment) is reported with its exact sentence.
 */
class FrameReaderTest {
  /** A golden written with spaces between fields. */
  private static Buffer wire(String spacedHex) {
    return new Buffer().write(ByteString.decodeHex(spacedHex.replace(" ", "")));
  }

  /** A reader of server frames (unmasked, no extension) over these bytes. */
  private static FrameReader serverFrames(String spacedHex) {
    return FrameReader.forServerFrames(wire(spacedHex));
  }

  /** Reads the only frame in {@code spacedHex} and checks that nothing follows it. */
  private static ReceivedFrame only(String spacedHex) throws IOException {
    FrameReader reader = serverFrames(spacedHex);
    ReceivedFrame frame = reader.readFrame();
    assertThat(reader.readFrame()).as("after the frame").isNull();
    return frame;
  }

  /** {@code n} bytes counting 0, 1, 2 …, as hex. */
  private static String counting(int n) {
    Buffer buffer = new Buffer();
    for (int i = 0; i < n; i++) buffer.writeByte(i);
    return buffer.readByteString().hex();
  }

  @Nested
  class LegalFrames {
    @Test
    void unmaskedText() throws IOException {
      // legal: text "Hello".
      ReceivedFrame frame = only("81 05 48656c6c6f");
      assertThat(frame.violations()).isEmpty();
      assertThat(frame.isFin()).isTrue();
      assertThat(frame.isMasked()).isFalse();
      assertThat(frame.rsvFlags()).isZero();
      assertThat(frame.opcode()).isEqualTo(Opcode.TEXT.value());
      assertThat(frame.isControl()).isFalse();
      assertThat(frame.header().hex()).isEqualTo("8105");
      assertThat(frame.declaredLength()).isEqualTo(5);
      assertThat(frame.payloadUtf8()).isEqualTo("Hello");
      assertThat(frame.message()).isEqualTo(ByteString.encodeUtf8("Hello"));
      assertThat(frame.wireBytes().hex()).isEqualTo("810548656c6c6f");
      assertThat(frame.describe()).isEqualTo("TEXT fin len=5");
    }

    @Test
    void binary() throws IOException {
      // legal: binary 01 02 03.
      ReceivedFrame frame = only("82 03 010203");
      assertThat(frame.violations()).isEmpty();
      assertThat(frame.opcode()).isEqualTo(Opcode.BINARY.value());
      assertThat(frame.message().hex()).isEqualTo("010203");
    }

    @Test
    void emptyBinary() throws IOException {
      // legal: binary with no payload.
      ReceivedFrame frame = only("82 00");
      assertThat(frame.violations()).isEmpty();
      assertThat(frame.message()).isEqualTo(ByteString.EMPTY);
    }

    @Test
    void ping() throws IOException {
      // legal: ping "ping"; control frames take no part in messages.
      ReceivedFrame frame = only("89 04 70696e67");
      assertThat(frame.violations()).isEmpty();
      assertThat(frame.isPing()).isTrue();
      assertThat(frame.isControl()).isTrue();
      assertThat(frame.payloadUtf8()).isEqualTo("ping");
      assertThat(frame.message()).isNull();
    }

    @Test
    void pong() throws IOException {
      // legal: pong "pong".
      ReceivedFrame frame = only("8a 04 706f6e67");
      assertThat(frame.violations()).isEmpty();
      assertThat(frame.isPong()).isTrue();
      assertThat(frame.payloadUtf8()).isEqualTo("pong");
    }

    @Test
    void controlFrameOf125Bytes() throws IOException {
      // legal: a ping of exactly 125 bytes, the control-frame maximum.
      ReceivedFrame frame = only("89 7d " + counting(125));
      assertThat(frame.violations()).isEmpty();
      assertThat(frame.payload().size()).isEqualTo(125);
    }

    @Test
    void closeWithCodeAndReason() throws IOException {
      // legal: close 1000 with reason "bye".
      ReceivedFrame frame = only("88 05 03e8 627965");
      assertThat(frame.violations()).isEmpty();
      assertThat(frame.isClose()).isTrue();
      assertThat(frame.closeCode()).hasValue(1000);
      assertThat(frame.closeReason()).isEqualTo("bye");
      assertThat(frame.describe()).isEqualTo("CLOSE fin len=5 code=1000 reason=\"bye\"");
    }

    @Test
    void emptyClose() throws IOException {
      // legal: close with no status code.
      ReceivedFrame frame = only("88 00");
      assertThat(frame.violations()).isEmpty();
      assertThat(frame.closeCode()).isEmpty();
      assertThat(frame.closeReason()).isEmpty();
    }

    @Test
    void sixteenBitLength() throws IOException {
      // legal: 200 bytes in the 16-bit field.
      ReceivedFrame frame = only("82 7e 00c8 " + counting(200));
      assertThat(frame.violations()).isEmpty();
      assertThat(frame.declaredLength()).isEqualTo(200);
      assertThat(frame.payload().hex()).isEqualTo(counting(200));
      assertThat(frame.header().hex()).isEqualTo("827e00c8");
    }

    @Test
    void sixteenBitLengthOf126IsMinimal() throws IOException {
      // legal: 126, the smallest length that needs the 16-bit field.
      ReceivedFrame frame = only("82 7e 007e " + counting(126));
      assertThat(frame.violations()).isEmpty();
      assertThat(frame.payload().size()).isEqualTo(126);
    }

    @Test
    void sixtyFourBitLength() throws IOException {
      // legal: 65536, the smallest length that needs the 64-bit field.
      Buffer wire =
          wire("82 7f 0000000000010000").write(new byte[65536]).write(ByteString.decodeHex("8100"));
      FrameReader reader = FrameReader.forServerFrames(wire);
      ReceivedFrame frame = reader.readFrame();
      assertThat(frame.violations()).isEmpty();
      assertThat(frame.declaredLength()).isEqualTo(65536);
      assertThat(frame.payload()).isEqualTo(ByteString.of(new byte[65536]));
      assertThat(frame.header().hex()).isEqualTo("827f0000000000010000");
      // The next frame starts where this one ended.
      assertThat(reader.readFrame().header().hex()).isEqualTo("8100");
    }

    @Test
    void fragmentedText() throws IOException {
      // legal: "Hel" + "l" + "o" in a text frame and two continuation frames.
      FrameReader reader = serverFrames("01 03 48656c  00 01 6c  80 01 6f");
      ReceivedFrame first = reader.readFrame();
      ReceivedFrame middle = reader.readFrame();
      ReceivedFrame last = reader.readFrame();

      assertThat(first.violations()).isEmpty();
      assertThat(first.isFin()).isFalse();
      assertThat(first.message()).isNull();
      assertThat(middle.violations()).isEmpty();
      assertThat(middle.message()).isNull();
      assertThat(middle.payloadUtf8()).isEqualTo("l");
      assertThat(last.violations()).isEmpty();
      assertThat(last.payloadUtf8()).isEqualTo("o");
      assertThat(last.message()).isEqualTo(ByteString.encodeUtf8("Hello"));
      assertThat(reader.readFrame()).isNull();
    }

    @Test
    void fragmentedBinaryThenAnotherMessage() throws IOException {
      // legal: binary 01 02 in two fragments, then a text "x" that starts a fresh message.
      FrameReader reader = serverFrames("02 01 01  80 01 02  81 01 78");
      assertThat(reader.readFrame().message()).isNull();
      assertThat(reader.readFrame().message().hex()).isEqualTo("0102");
      ReceivedFrame next = reader.readFrame();
      assertThat(next.violations()).isEmpty();
      assertThat(next.message()).isEqualTo(ByteString.encodeUtf8("x"));
    }

    @Test
    void pingInterleavedInFragmentedMessage() throws IOException {
      // legal: a ping between two fragments of a text message (§5.4 allows control frames there).
      FrameReader reader = serverFrames("01 03 48656c  89 00  80 02 6c6f");
      ReceivedFrame first = reader.readFrame();
      ReceivedFrame ping = reader.readFrame();
      ReceivedFrame last = reader.readFrame();

      assertThat(first.violations()).isEmpty();
      assertThat(ping.violations()).isEmpty();
      assertThat(ping.isPing()).isTrue();
      assertThat(ping.message()).isNull();
      assertThat(last.violations()).isEmpty();
      assertThat(last.message()).isEqualTo(ByteString.encodeUtf8("Hello"));
    }

    @Test
    void frameAfterTheCloseFrameIsFlagged() throws IOException {
      // illegal: the continuation comes after the server's close (RFC 6455 §5.5.1); still joined
      // and reported.
      FrameReader reader = serverFrames("01 03 48656c  88 02 03e8  80 02 6c6f");
      reader.readFrame();
      assertThat(reader.readFrame().violations()).isEmpty();
      ReceivedFrame last = reader.readFrame();
      assertThat(last.violations())
          .containsExactly(
              "CONTINUATION frame arrived after the close frame; no data frame may follow a close"
                  + " (RFC 6455 §5.5.1)");
      assertThat(last.message()).isEqualTo(ByteString.encodeUtf8("Hello"));
    }

    @Test
    void aSecondCloseFrameIsNoViolation() throws IOException {
      // legal, if pointless: §5.5.1 forbids data frames after a close, not control frames.
      FrameReader reader = serverFrames("88 02 03ea  88 02 03e8");
      reader.readFrame();
      assertThat(reader.readFrame().violations()).isEmpty();
    }
  }

  @Nested
  class Violations {
    @Test
    void negotiatedRsv1IsAllowedOnlyOnTheFirstFrameOfADataMessage() throws IOException {
      // RSV1 (permessage-deflate) is legal on TEXT, illegal on its continuation and on a ping (RFC
      // 7692 §6).
      FrameReader reader = new FrameReader(wire("41 01 61  c0 01 62  c9 00"), false, 0x40, 1024);
      assertThat(reader.readFrame().violations()).isEmpty();
      assertThat(reader.readFrame().violations())
          .containsExactly("RSV1 is set but no negotiated extension defines it (RFC 6455 §5.2)");
      assertThat(reader.readFrame().violations())
          .containsExactly("RSV1 is set but no negotiated extension defines it (RFC 6455 §5.2)");
    }

    @Test
    void messageLongerThanTheLimitKeepsItsStart() throws IOException {
      // legal frames of 6 bytes each, but the message (12) exceeds the reader's 10-byte limit: no
      // violation of the server's, only a message the reader keeps the start of.
      FrameReader reader =
          new FrameReader(wire("02 06 000102030405  80 06 000102030405"), false, 0, 10);
      assertThat(reader.readFrame().violations()).isEmpty();
      ReceivedFrame last = reader.readFrame();
      assertThat(last.violations()).isEmpty();
      assertThat(last.isMessageTruncated()).isTrue();
      assertThat(last.messageLength()).isEqualTo(12);
      assertThat(last.message().hex()).isEqualTo("00010203040500010203");
      assertThat(last.payload().size()).isEqualTo(6);
    }

    @Test
    void maskedServerFrame() throws IOException {
      // illegal: the server masked its frame (key 11 22 33 44, "hello").
      ReceivedFrame frame = only("81 85 11223344 79475f287e");
      assertThat(frame.violations())
          .containsExactly("frame is masked; RFC 6455 §5.1 forbids a server to mask its frames");
      assertThat(frame.isMasked()).isTrue();
      assertThat(frame.header().hex()).isEqualTo("818511223344");
      assertThat(frame.payloadUtf8()).isEqualTo("hello");
      assertThat(frame.message()).isEqualTo(ByteString.encodeUtf8("hello"));
      assertThat(frame.wireBytes().hex()).isEqualTo("81851122334479475f287e");
    }

    @Test
    void maskedFrameAcrossSegmentsIsUnmaskedCorrectly() throws IOException {
      // illegal: a masked server frame of 20,001 bytes (16-bit length), so unmasking spans
      // segments.
      byte[] key = {0x11, 0x22, 0x33, 0x44};
      byte[] plain = new byte[20_001];
      for (int i = 0; i < plain.length; i++) plain[i] = (byte) (i % 253);
      byte[] masked = plain.clone();
      for (int i = 0; i < masked.length; i++) masked[i] ^= key[i % 4];

      ReceivedFrame frame =
          FrameReader.forServerFrames(wire("82 fe 4e21 11223344").write(masked)).readFrame();

      assertThat(frame.violations())
          .containsExactly("frame is masked; RFC 6455 §5.1 forbids a server to mask its frames");
      assertThat(frame.payload()).isEqualTo(ByteString.of(plain));
    }

    @Test
    void clientRoleReaderExpectsMaskedFrames() throws IOException {
      FrameReader reader =
          new FrameReader(
              wire("81 85 11223344 79475f287e  81 05 68656c6c6f"),
              true,
              0,
              FrameReader.DEFAULT_MAX_PAYLOAD);
      // legal from a client: masked.
      ReceivedFrame masked = reader.readFrame();
      assertThat(masked.violations()).isEmpty();
      assertThat(masked.payloadUtf8()).isEqualTo("hello");
      // illegal from a client: not masked.
      assertThat(reader.readFrame().violations())
          .containsExactly(
              "frame is not masked; RFC 6455 §5.1 requires every client frame to be masked");
    }

    @Test
    void rsv1WithoutExtension() throws IOException {
      // illegal: RSV1 set, no extension negotiated.
      assertThat(only("c1 05 48656c6c6f").violations())
          .containsExactly("RSV1 is set but no negotiated extension defines it (RFC 6455 §5.2)");
    }

    @Test
    void rsv2WithoutExtension() throws IOException {
      // illegal: RSV2 set, no extension negotiated.
      assertThat(only("a1 05 48656c6c6f").violations())
          .containsExactly("RSV2 is set but no negotiated extension defines it (RFC 6455 §5.2)");
    }

    @Test
    void rsv3WithoutExtension() throws IOException {
      // illegal: RSV3 set, no extension negotiated.
      assertThat(only("91 05 48656c6c6f").violations())
          .containsExactly("RSV3 is set but no negotiated extension defines it (RFC 6455 §5.2)");
    }

    @Test
    void rsv1AllowedByNegotiatedExtension() throws IOException {
      FrameReader reader =
          new FrameReader(
              wire("c1 05 48656c6c6f  e1 05 48656c6c6f"),
              false,
              WebSocketProtocol.B0_FLAG_RSV1,
              FrameReader.DEFAULT_MAX_PAYLOAD);
      // legal with permessage-deflate: RSV1.
      ReceivedFrame rsv1 = reader.readFrame();
      assertThat(rsv1.violations()).isEmpty();
      assertThat(rsv1.rsvFlags()).isEqualTo(WebSocketProtocol.B0_FLAG_RSV1);
      // illegal: RSV2 still has no extension.
      assertThat(reader.readFrame().violations())
          .containsExactly("RSV2 is set but no negotiated extension defines it (RFC 6455 §5.2)");
    }

    @Test
    void reservedNonControlOpcode() throws IOException {
      // illegal: opcode 0x3 is reserved.
      ReceivedFrame frame = only("83 00");
      assertThat(frame.violations()).containsExactly("opcode 0x3 is reserved (RFC 6455 §5.2)");
      assertThat(frame.message()).isNull();
    }

    @Test
    void reservedControlOpcode() throws IOException {
      // illegal: opcode 0xB is reserved.
      assertThat(only("8b 00").violations())
          .containsExactly("opcode 0xB is reserved (RFC 6455 §5.2)");
    }

    @Test
    void controlFrameOver125Bytes() throws IOException {
      // illegal: a 126-byte ping (in the minimal 16-bit field).
      ReceivedFrame frame = only("89 7e 007e " + counting(126));
      assertThat(frame.violations())
          .containsExactly(
              "PING frame declares 126 payload bytes; control frames may carry at most 125 (RFC 6455 §5.5)");
      assertThat(frame.payload().size()).isEqualTo(126);
    }

    @Test
    void fragmentedControlFrame() throws IOException {
      // illegal: a ping with FIN clear.
      assertThat(only("09 00").violations())
          .containsExactly(
              "PING frame is fragmented (FIN clear); control frames must not be (RFC 6455 §5.5)");
    }

    @Test
    void fragmentedCloseFrame() throws IOException {
      // illegal: a close with FIN clear.
      assertThat(only("08 02 03e8").violations())
          .containsExactly(
              "CLOSE frame is fragmented (FIN clear); control frames must not be (RFC 6455 §5.5)");
    }

    @Test
    void oneByteClosePayload() throws IOException {
      // illegal: a 1-byte close payload.
      ReceivedFrame frame = only("88 01 03");
      assertThat(frame.violations())
          .containsExactly(
              "close frame carries a 1-byte payload; it must be empty or start with a 2-byte status code"
                  + " (RFC 6455 §5.5.1)");
      assertThat(frame.closeCode()).isEmpty();
    }

    @ParameterizedTest(name = "close code {0}")
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535})
    void closeCodeThatMustNotBeSent(int code) throws IOException {
      // illegal: a code §7.4 forbids on the wire.
      ReceivedFrame frame = only(String.format("88 02 %04x", code));
      assertThat(frame.violations())
          .containsExactly(
              "close code " + code + " must not be sent in a close frame (RFC 6455 §7.4)");
      assertThat(frame.closeCode()).hasValue(code);
    }

    @ParameterizedTest(name = "close code {0}")
    @ValueSource(
        ints = {
          1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000,
          4999
        })
    void closeCodeAllowedOnTheWire(int code) throws IOException {
      // legal: a defined, registered or private close code.
      ReceivedFrame frame = only(String.format("88 02 %04x", code));
      assertThat(frame.violations()).isEmpty();
      assertThat(frame.closeCode()).hasValue(code);
    }

    @Test
    void closeReasonNotUtf8() throws IOException {
      // illegal: close 1000 whose reason c0 af is an overlong encoding.
      assertThat(only("88 04 03e8 c0af").violations())
          .containsExactly("close reason is not valid UTF-8 (RFC 6455 §5.5.1)");
    }

    @Test
    void closeReasonWithSurrogate() throws IOException {
      // illegal: Autobahn 7.5.1's reason, "κόσμε" followed by the surrogate ed a0 80 and "edited".
      assertThat(only("88 16 03e8 cebae1bdb9cf83cebcceb5eda080656469746564").violations())
          .containsExactly("close reason is not valid UTF-8 (RFC 6455 §5.5.1)");
    }

    @Test
    void textMessageNotUtf8() throws IOException {
      // illegal: text payload c0 af.
      ReceivedFrame frame = only("81 02 c0af");
      assertThat(frame.violations())
          .containsExactly("text message is not valid UTF-8 (RFC 6455 §8.1)");
      assertThat(frame.message().hex()).isEqualTo("c0af");
    }

    @Test
    void binaryMessageNeedNotBeUtf8() throws IOException {
      // legal: binary payload c0 af.
      assertThat(only("82 02 c0af").violations()).isEmpty();
    }

    @Test
    void textSplitInsideACharacterIsValidAsAWhole() throws IOException {
      // legal: "κόσμε" split inside ό (e1 bd | b9): neither fragment is UTF-8 alone, the message
      // is.
      FrameReader reader = serverFrames("01 04 cebae1bd  80 07 b9cf83cebcceb5");
      ReceivedFrame first = reader.readFrame();
      ReceivedFrame last = reader.readFrame();
      assertThat(Utf8.isValid(first.payload())).as("first fragment alone").isFalse();
      assertThat(Utf8.isValid(last.payload())).as("last fragment alone").isFalse();
      assertThat(first.violations()).isEmpty();
      assertThat(last.violations()).isEmpty();
      assertThat(last.message().hex()).isEqualTo("cebae1bdb9cf83cebcceb5");
    }

    @Test
    void fragmentedTextInvalidAsAWholeIsReportedOnTheFinalFrame() throws IOException {
      // illegal: "he" then c0 af; reported when the message completes.
      FrameReader reader = serverFrames("01 02 6865  80 02 c0af");
      assertThat(reader.readFrame().violations()).isEmpty();
      assertThat(reader.readFrame().violations())
          .containsExactly("text message is not valid UTF-8 (RFC 6455 §8.1)");
    }

    @Test
    void textFrameInsideFragmentedMessage() throws IOException {
      // illegal: a new TEXT frame while a fragmented text message is open.
      FrameReader reader = serverFrames("01 03 48656c  81 02 6c6f");
      reader.readFrame();
      ReceivedFrame intruder = reader.readFrame();
      assertThat(intruder.violations())
          .containsExactly(
              "TEXT frame arrived inside a fragmented TEXT message; only continuation frames may follow until FIN"
                  + " (RFC 6455 §5.4)");
      // The intruder starts a message of its own; the abandoned fragment is dropped.
      assertThat(intruder.message()).isEqualTo(ByteString.encodeUtf8("lo"));
    }

    @Test
    void binaryFrameInsideFragmentedTextMessage() throws IOException {
      // illegal: a BINARY frame while a fragmented text message is open.
      FrameReader reader = serverFrames("01 03 48656c  02 01 01  80 01 02");
      reader.readFrame();
      assertThat(reader.readFrame().violations())
          .containsExactly(
              "BINARY frame arrived inside a fragmented TEXT message; only continuation frames may follow until"
                  + " FIN (RFC 6455 §5.4)");
      ReceivedFrame last = reader.readFrame();
      assertThat(last.violations()).isEmpty();
      assertThat(last.message().hex()).isEqualTo("0102");
    }

    @Test
    void continuationWithNothingToContinue() throws IOException {
      // illegal: a continuation frame with no message open.
      ReceivedFrame frame = only("80 03 48656c");
      assertThat(frame.violations())
          .containsExactly(
              "continuation frame arrived with no fragmented message to continue (RFC 6455 §5.4)");
      assertThat(frame.message()).isNull();
    }

    @Test
    void continuationAfterACompletedMessage() throws IOException {
      // illegal: the message ended with FIN; a continuation follows anyway.
      FrameReader reader = serverFrames("81 02 6869  00 01 21");
      assertThat(reader.readFrame().violations()).isEmpty();
      assertThat(reader.readFrame().violations())
          .containsExactly(
              "continuation frame arrived with no fragmented message to continue (RFC 6455 §5.4)");
    }

    @Test
    void nonMinimalSixteenBitLength() throws IOException {
      // illegal: 5 in the 16-bit field; the next frame is still found.
      FrameReader reader = serverFrames("82 7e 0005 0102030405  81 00");
      ReceivedFrame frame = reader.readFrame();
      assertThat(frame.violations())
          .containsExactly(
              "payload length 5 is written in the 16-bit field; the minimal encoding is required (RFC 6455 §5.2)");
      assertThat(frame.payload().hex()).isEqualTo("0102030405");
      assertThat(reader.readFrame().violations()).isEmpty();
    }

    @Test
    void nonMinimalSixteenBitLengthAtTheBoundary() throws IOException {
      // illegal: 125 in the 16-bit field.
      assertThat(only("82 7e 007d " + counting(125)).violations())
          .containsExactly(
              "payload length 125 is written in the 16-bit field; the minimal encoding is required (RFC 6455 §5.2)");
    }

    @Test
    void nonMinimalSixtyFourBitLength() throws IOException {
      // illegal: 5 in the 64-bit field; the next frame is still found.
      FrameReader reader = serverFrames("82 7f 0000000000000005 0102030405  81 00");
      ReceivedFrame frame = reader.readFrame();
      assertThat(frame.violations())
          .containsExactly(
              "payload length 5 is written in the 64-bit field; the minimal encoding is required (RFC 6455 §5.2)");
      assertThat(frame.payload().hex()).isEqualTo("0102030405");
      assertThat(reader.readFrame().violations()).isEmpty();
    }

    @Test
    void nonMinimalSixtyFourBitLengthAtTheBoundary() throws IOException {
      // illegal: 65535 in the 64-bit field.
      ReceivedFrame frame =
          FrameReader.forServerFrames(wire("82 7f 000000000000ffff").write(new byte[65535]))
              .readFrame();
      assertThat(frame.violations())
          .containsExactly(
              "payload length 65535 is written in the 64-bit field; the minimal encoding is required"
                  + " (RFC 6455 §5.2)");
    }

    @Test
    void sixtyFourBitLengthWithTopBitSet() throws IOException {
      // illegal: 64-bit length 2^63. The reader follows it like any length, so the stream ends
      // inside it, and the violation comes with the end of the stream.
      FrameReader reader = serverFrames("82 7f 8000000000000000 0102  81 00");
      TruncatedFrameException e =
          catchThrowableOfType(TruncatedFrameException.class, reader::readFrame);
      assertThat(e)
          .hasMessage("stream ended inside a frame after 4 of 9223372036854775808 payload bytes");
      assertThat(e.violations())
          .containsExactly(
              "64-bit payload length 9223372036854775808 has its most significant bit set (RFC 6455 §5.2)");
      assertThat(e.declaredLength()).isEqualTo(1L << 63);
      assertThat(e.payloadBytesReceived()).isEqualTo(4);
      assertThat(e.header().hex()).isEqualTo("827f8000000000000000");
      assertThat(e.partialPayload().hex()).isEqualTo("01028100");
      assertThat(reader.readFrame()).isNull();
    }

    @Test
    void sixtyFourBitLengthAllOnes() {
      // illegal: 64-bit length 2^64-1, with no payload before the end.
      TruncatedFrameException e =
          catchThrowableOfType(
              TruncatedFrameException.class,
              () -> serverFrames("82 7f ffffffffffffffff").readFrame());
      assertThat(e)
          .hasMessage("stream ended inside a frame after 0 of 18446744073709551615 payload bytes");
      assertThat(e.isHeaderComplete()).isTrue();
      assertThat(e.violations())
          .containsExactly(
              "64-bit payload length 18446744073709551615 has its most significant bit set (RFC 6455 §5.2)");
    }

    @Test
    void payloadAboveMaxPayloadIsReadThroughAndKeepsItsStart() throws IOException {
      // legal on the wire, but 11 bytes exceed this reader's limit of 10: the frame is read to its
      // end, keeps its first 10 bytes, and the next frame is found.
      FrameReader reader = new FrameReader(wire("82 0b " + counting(11) + " 81 00"), false, 0, 10);
      ReceivedFrame frame = reader.readFrame();
      assertThat(frame.violations()).isEmpty();
      assertThat(frame.declaredLength()).isEqualTo(11);
      assertThat(frame.isPayloadTruncated()).isTrue();
      assertThat(frame.payload().hex()).isEqualTo(counting(10).replace(" ", ""));
      assertThat(frame.isMessageTruncated()).isTrue();
      assertThat(frame.messageLength()).isEqualTo(11);
      ReceivedFrame next = reader.readFrame();
      assertThat(next.violations()).isEmpty();
      assertThat(next.message()).isEqualTo(ByteString.EMPTY);
    }

    @Test
    void longPayloadKeepsOnlyItsFirstKibibyte() throws IOException {
      // legal: a 100,000-byte binary frame over a 64 KiB limit is read through in chunks.
      Buffer wire =
          wire("82 7f 00000000000186a0")
              .write(new byte[100_000])
              .write(ByteString.decodeHex("8100"));
      FrameReader reader = new FrameReader(wire, false, 0, 64 * 1024);
      ReceivedFrame frame = reader.readFrame();
      assertThat(frame.payload().size()).isEqualTo(FrameReader.TRUNCATED_KEPT);
      assertThat(frame.isPayloadTruncated()).isTrue();
      assertThat(reader.readFrame().isFin()).isTrue();
    }

    @Test
    void payloadAtMaxPayloadIsRead() throws IOException {
      // legal: exactly the reader's limit of 10.
      FrameReader reader = new FrameReader(wire("82 0a " + counting(10) + " 81 00"), false, 0, 10);
      ReceivedFrame frame = reader.readFrame();
      assertThat(frame.violations()).isEmpty();
      assertThat(frame.isPayloadTruncated()).isFalse();
      assertThat(frame.message()).isSameAs(frame.payload()); // one frame, one message: no copy
      assertThat(reader.readFrame().violations()).isEmpty();
    }

    @Test
    void negativeMaxPayloadIsRejected() {
      assertThatThrownBy(() -> new FrameReader(new Buffer(), false, 0, -1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("maxPayload must not be negative: -1");
    }

    @Test
    void everyViolationOfOneFrameIsReported() throws IOException {
      // illegal: FIN clear, RSV1-3 set, reserved control opcode 0xB, masked, 5 in the 16-bit field.
      ReceivedFrame frame = only("7b fe 0005 11223344 1020304050");
      assertThat(frame.violations())
          .containsExactly(
              "frame is masked; RFC 6455 §5.1 forbids a server to mask its frames",
              "RSV1 is set but no negotiated extension defines it (RFC 6455 §5.2)",
              "RSV2 is set but no negotiated extension defines it (RFC 6455 §5.2)",
              "RSV3 is set but no negotiated extension defines it (RFC 6455 §5.2)",
              "opcode 0xB is reserved (RFC 6455 §5.2)",
              "payload length 5 is written in the 16-bit field; the minimal encoding is required (RFC 6455 §5.2)",
              "reserved 0xB frame is fragmented (FIN clear); control frames must not be (RFC 6455 §5.5)");
      assertThat(frame.payload().hex()).isEqualTo("0102030441");
    }

    @Test
    void everyViolationOfOneCloseFrameIsReported() throws IOException {
      // illegal: oversized close (126 bytes) with code 1005 and a reason that is not UTF-8.
      String reason = "ff".repeat(124);
      ReceivedFrame frame = only("88 7e 007e 03ed " + reason);
      assertThat(frame.violations())
          .containsExactly(
              "CLOSE frame declares 126 payload bytes; control frames may carry at most 125 (RFC 6455 §5.5)",
              "close code 1005 must not be sent in a close frame (RFC 6455 §7.4)",
              "close reason is not valid UTF-8 (RFC 6455 §5.5.1)");
    }

    @Test
    void violationsAreNotCarriedToTheNextFrame() throws IOException {
      // illegal, then legal: a reserved opcode followed by a clean text frame.
      FrameReader reader = serverFrames("c3 00  81 00");
      assertThat(reader.readFrame().violations()).hasSize(2);
      assertThat(reader.readFrame().violations()).isEmpty();
    }
  }

  @Nested
  class EndOfStream {
    @Test
    void emptyStreamEndsCleanly() throws IOException {
      assertThat(serverFrames("").readFrame()).isNull();
    }

    @Test
    void streamEndingAtFrameBoundaryEndsCleanly() throws IOException {
      FrameReader reader = serverFrames("81 02 6869");
      assertThat(reader.readFrame()).isNotNull();
      assertThat(reader.readFrame()).isNull();
      assertThat(reader.readFrame()).isNull();
    }

    @Test
    void endInsideTheFirstHeaderByte() {
      TruncatedFrameException e = truncated("81");
      assertThat(e)
          .isInstanceOf(EOFException.class)
          .hasMessage("stream ended inside a frame header after 1 bytes");
      assertThat(e.header().hex()).isEqualTo("81");
      assertThat(e.partialPayload()).isEqualTo(ByteString.EMPTY);
      assertThat(e.declaredLength()).isEqualTo(-1);
    }

    @Test
    void endInsideTheExtendedLength() {
      TruncatedFrameException e = truncated("82 7f 000000");
      assertThat(e).hasMessage("stream ended inside a frame header after 5 bytes");
      assertThat(e.header().hex()).isEqualTo("827f000000");
      assertThat(e.declaredLength()).isEqualTo(-1);
    }

    @Test
    void endInsideTheMaskingKey() {
      TruncatedFrameException e = truncated("81 85 1122");
      assertThat(e).hasMessage("stream ended inside a frame header after 4 bytes");
      assertThat(e.header().hex()).isEqualTo("81851122");
    }

    @Test
    void endInsideThePayload() {
      TruncatedFrameException e = truncated("81 05 4865");
      assertThat(e).hasMessage("stream ended inside a frame after 2 of 5 payload bytes");
      assertThat(e.header().hex()).isEqualTo("8105");
      assertThat(e.partialPayload().hex()).isEqualTo("4865");
      assertThat(e.declaredLength()).isEqualTo(5);
    }

    @Test
    void endBeforeAnyPayloadByte() {
      TruncatedFrameException e = truncated("82 7e 00c8");
      assertThat(e).hasMessage("stream ended inside a frame after 0 of 200 payload bytes");
      assertThat(e.header().hex()).isEqualTo("827e00c8");
      assertThat(e.partialPayload()).isEqualTo(ByteString.EMPTY);
    }

    @Test
    void endInsideAMaskedPayloadKeepsItMasked() {
      TruncatedFrameException e = truncated("81 85 11223344 7947");
      assertThat(e).hasMessage("stream ended inside a frame after 2 of 5 payload bytes");
      assertThat(e.header().hex()).isEqualTo("818511223344");
      assertThat(e.partialPayload().hex()).isEqualTo("7947");
    }

    @Test
    void endInsideTheSecondFrame() throws IOException {
      FrameReader reader = serverFrames("81 02 6869  82 03 01");
      assertThat(reader.readFrame().payloadUtf8()).isEqualTo("hi");
      TruncatedFrameException e =
          catchThrowableOfType(TruncatedFrameException.class, reader::readFrame);
      assertThat(e).hasMessage("stream ended inside a frame after 1 of 3 payload bytes");
      assertThat(e.partialPayload().hex()).isEqualTo("01");
    }

    private TruncatedFrameException truncated(String spacedHex) {
      return catchThrowableOfType(
          TruncatedFrameException.class, () -> serverFrames(spacedHex).readFrame());
    }
  }

  @Nested
  class StrictUtf8 {
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
      "c0af, overlong encoding of '/'",
      "e080af, overlong 3-byte encoding of '/'",
      "eda080, UTF-16 surrogate U+D800",
      "edbfbf, UTF-16 surrogate U+DFFF",
      "e282, truncated 3-byte sequence",
      "f4908080, above U+10FFFF",
      "ff, never valid in UTF-8",
      "80, lone continuation byte",
      "cebae1bdb9cf83cebcceb5eda080656469746564, kosme then a surrogate (Autobahn 6.3.1)",
    })
    void invalid(String hex, String why) throws IOException {
      assertThat(Utf8.isValid(ByteString.decodeHex(hex))).isFalse();
      assertThat(only("81 " + String.format("%02x", hex.length() / 2) + " " + hex).violations())
          .containsExactly("text message is not valid UTF-8 (RFC 6455 §8.1)");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
      "cebae1bdb9cf83cebcceb5, κόσμε (the Markus Kuhn sample Autobahn uses)",
      "'', empty",
      "00, NUL",
      "7f, DEL",
      "c280, U+0080",
      "efbfbf, U+FFFF",
      "ed9fbf, U+D7FF below the surrogates",
      "ee8080, U+E000 above the surrogates",
      "f48fbfbf, U+10FFFF",
    })
    void valid(String hex, String what) throws IOException {
      assertThat(Utf8.isValid(ByteString.decodeHex(hex))).isTrue();
      assertThat(only("81 " + String.format("%02x", hex.length() / 2) + " " + hex).violations())
          .isEmpty();
    }
  }
}
