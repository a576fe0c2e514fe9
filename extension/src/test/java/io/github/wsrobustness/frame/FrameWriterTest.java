package io.github.wsrobustness.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import okio.Buffer;
import okio.ByteString;
import okio.Source;
import okio.Timeout;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hex goldens for {@link FrameWriter}: every header field, legal or not, written exactly as the
 * {@link Frame} says. Goldens are spaced by field (b0 b1 [extended length] [key] payload); the
 * masked payloads were computed independently (Python, byte-by-byte XOR) and never by the code
 * under test. Each case names what is illegal about its frame, or says "legal".
 */
class FrameWriterTest {
  /** The chosen key of most goldens: bytes 11 22 33 44. */
  private static final int KEY = 0x11223344;

  /**
   * Encodes with a writer whose random key source is seeded, so even random keys are deterministic.
   */
  private static String encode(Frame frame) {
    return new FrameWriter(new Random(0)).encode(frame).readByteString().hex();
  }

  /** A golden written with spaces between fields, as compared. */
  private static String golden(String spaced) {
    return spaced.replace(" ", "");
  }

  @Nested
  class Byte0 {
    @Test
    void finSet() {
      // legal: a final text frame, masked as a client must.
      assertThat(encode(Frame.text("hi").maskKey(KEY))).isEqualTo(golden("81 82 11223344 794b"));
    }

    @Test
    void finClear() {
      // legal: the first fragment of a text message (FIN clear).
      assertThat(encode(Frame.text("hi").fin(false).maskKey(KEY)))
          .isEqualTo(golden("01 82 11223344 794b"));
    }

    @Test
    void rsv1Alone() {
      // illegal: RSV1 set with no extension negotiated.
      assertThat(encode(Frame.text("hi").rsv1().maskKey(KEY)))
          .isEqualTo(golden("c1 82 11223344 794b"));
    }

    @Test
    void rsv2Alone() {
      // illegal: RSV2 set with no extension negotiated.
      assertThat(encode(Frame.text("hi").rsv2().maskKey(KEY)))
          .isEqualTo(golden("a1 82 11223344 794b"));
    }

    @Test
    void rsv3Alone() {
      // illegal: RSV3 set with no extension negotiated.
      assertThat(encode(Frame.text("hi").rsv3().maskKey(KEY)))
          .isEqualTo(golden("91 82 11223344 794b"));
    }

    @Test
    void allRsvBitsTogether() {
      // illegal: RSV1, RSV2 and RSV3 all set.
      assertThat(encode(Frame.text("hi").rsv1().rsv2().rsv3().maskKey(KEY)))
          .isEqualTo(golden("f1 82 11223344 794b"));
    }

    @Test
    void rsvBitsAccumulateAndKeepFinAndOpcode() {
      // illegal: RSV1 and RSV3 on a non-final binary fragment; FIN and opcode must survive the RSV
      // calls.
      Frame frame = Frame.binary(ByteString.encodeUtf8("hi")).fin(false).rsv3().rsv1().maskKey(KEY);
      assertThat(encode(frame)).isEqualTo(golden("52 82 11223344 794b"));
      assertThat(frame.rsvFlags())
          .isEqualTo(WebSocketProtocol.B0_FLAG_RSV1 | WebSocketProtocol.B0_FLAG_RSV3);
    }

    @ParameterizedTest(name = "rsvField({0}) -> b0 {1}: {2}")
    @CsvSource({
      "0, 81, legal: no RSV bit",
      "1, 91, illegal: RSV3",
      "2, a1, illegal: RSV2",
      "3, b1, illegal: RSV2 and RSV3",
      "4, c1, illegal: RSV1",
      "5, d1, illegal: RSV1 and RSV3",
      "6, e1, illegal: RSV1 and RSV2",
      "7, f1, illegal: RSV1 RSV2 and RSV3",
    })
    void rsvField(int field, String b0, String illegal) {
      assertThat(encode(Frame.text("hi").rsvField(field).maskKey(KEY)))
          .isEqualTo(b0 + golden("82 11223344 794b"));
    }

    @Test
    void rsvFieldReplacesEarlierBits() {
      // illegal: RSV2 (field 2); the RSV1 set before is replaced, not kept.
      assertThat(encode(Frame.text("hi").rsv1().rsvField(2).maskKey(KEY)))
          .isEqualTo(golden("a1 82 11223344 794b"));
    }

    @ParameterizedTest(name = "opcode 0x{0} -> {1}: {2}")
    @CsvSource({
      "0, 80 82 11223344 794b, legal only inside a fragmented message: continuation",
      "1, 81 82 11223344 794b, legal: text",
      "2, 82 82 11223344 794b, legal: binary",
      "3, 83 82 11223344 794b, illegal: reserved non-control opcode 0x3",
      "4, 84 82 11223344 794b, illegal: reserved non-control opcode 0x4",
      "5, 85 82 11223344 794b, illegal: reserved non-control opcode 0x5",
      "6, 86 82 11223344 794b, illegal: reserved non-control opcode 0x6",
      "7, 87 82 11223344 794b, illegal: reserved non-control opcode 0x7",
      "8, 88 82 11223344 794b, illegal: close with a 2-byte code 0x6869 = 26729",
      "9, 89 82 11223344 794b, legal: ping",
      "a, 8a 82 11223344 794b, legal: pong",
      "b, 8b 82 11223344 794b, illegal: reserved control opcode 0xB",
      "c, 8c 82 11223344 794b, illegal: reserved control opcode 0xC",
      "d, 8d 82 11223344 794b, illegal: reserved control opcode 0xD",
      "e, 8e 82 11223344 794b, illegal: reserved control opcode 0xE",
      "f, 8f 82 11223344 794b, illegal: reserved control opcode 0xF",
    })
    void everyOpcodeNibble(String nibble, String expected, String illegal) {
      Frame frame =
          Frame.binary(ByteString.encodeUtf8("hi"))
              .opcode(Integer.parseInt(nibble, 16))
              .maskKey(KEY);
      assertThat(encode(frame)).isEqualTo(golden(expected));
    }

    @Test
    void opcodeNibbleAndRsvAndFinTogether() {
      // illegal: reserved opcode 0xF, all RSV bits, FIN set: byte 0 is all ones.
      assertThat(encode(Frame.ping("hi").opcode(0xF).rsvField(7).maskKey(KEY)))
          .isEqualTo(golden("ff 82 11223344 794b"));
      // illegal: reserved opcode 0xF, all RSV bits, FIN clear.
      assertThat(encode(Frame.ping("hi").opcode(0xF).rsvField(7).fin(false).maskKey(KEY)))
          .isEqualTo(golden("7f 82 11223344 794b"));
    }
  }

  @Nested
  class Masking {
    @Test
    void chosenKey() {
      // legal: masked with the chosen key 11 22 33 44; "hello" XOR key.
      assertThat(encode(Frame.text("hello").maskKey(KEY)))
          .isEqualTo(golden("81 85 11223344 79475f287e"));
    }

    @Test
    void chosenKeyAsBytes() {
      // legal: the byte[] overload, same key.
      byte[] key = {0x11, 0x22, 0x33, 0x44};
      Frame frame = Frame.text("hello").maskKey(key);
      key[0] = 0; // the frame copied the array
      assertThat(encode(frame)).isEqualTo(golden("81 85 11223344 79475f287e"));
    }

    @Test
    void maskOff() {
      // illegal: MASK clear on a client frame; no key, payload in the clear.
      assertThat(encode(Frame.text("hello").unmasked())).isEqualTo(golden("81 05 68656c6c6f"));
    }

    @Test
    void maskKeyAfterUnmaskedMasksAgain() {
      // legal: .maskKey(...) after .unmasked() turns MASK back on.
      assertThat(encode(Frame.text("hello").unmasked().maskKey(KEY)))
          .isEqualTo(golden("81 85 11223344 79475f287e"));
    }

    @Test
    void randomKeyFromSeededRandom() {
      // legal: masked with a key drawn from the injected Random.
      ByteString payload = ByteString.encodeUtf8("hello");
      ByteString wire =
          new FrameWriter(new Random(42)).encode(Frame.text(payload)).readByteString();

      byte[] expectedKey = new byte[4];
      new Random(42).nextBytes(expectedKey);
      assertThat(wire.substring(0, 2).hex()).isEqualTo("8185");
      assertThat(wire.substring(2, 6).toByteArray()).isEqualTo(expectedKey);
      byte[] masked = wire.substring(6).toByteArray();
      for (int i = 0; i < masked.length; i++) {
        assertThat((byte) (masked[i] ^ expectedKey[i % 4]))
            .as("payload byte %d", i)
            .isEqualTo(payload.getByte(i));
      }
      // java.util.Random's sequence is specified, so the bytes are fixed too (key 35 9d 41 ba).
      assertThat(wire.hex()).isEqualTo(golden("81 85 359d41ba 5df82dd65a"));
    }

    @Test
    void freshRandomKeyForEveryFrame() throws IOException {
      // legal: two frames from one writer each get the next key from the Random.
      FrameWriter writer = new FrameWriter(new Random(0));
      Buffer both = new Buffer();
      both.writeAll(writer.encode(Frame.text("hi")));
      both.writeAll(writer.encode(Frame.text("hi")));

      // new Random(0).nextBytes gives 60 b4 20 bb, then 38 51 d9 d4; "hi" XOR each.
      Random expected = new Random(0);
      byte[] first = new byte[4];
      byte[] second = new byte[4];
      expected.nextBytes(first);
      expected.nextBytes(second);
      assertThat(ByteString.of(first).hex()).isEqualTo("60b420bb");
      assertThat(ByteString.of(second).hex()).isEqualTo("3851d9d4");
      assertThat(both.readByteString().hex())
          .isEqualTo(golden("81 82 60b420bb 08dd 81 82 3851d9d4 5038"));
    }

    @Test
    void writeReturnsTheKeyItUsed() throws Exception {
      FrameWriter writer = new FrameWriter(new Random(0));
      assertThat(writer.write(Frame.text("hi").maskKey(KEY), new Buffer()))
          .containsExactly(0x11, 0x22, 0x33, 0x44);
      assertThat(writer.write(Frame.text("hi").unmasked(), new Buffer())).isNull();
      assertThat(writer.write(Frame.text("hi"), new Buffer()))
          .containsExactly(0x60, 0xb4, 0x20, 0xbb); // new Random(0)'s first four bytes
    }

    @Test
    void unmaskedFrameDrawsNoKey() {
      // illegal: MASK clear; an unmasked frame must not consume the Random, so the next key is
      // unchanged.
      FrameWriter writer = new FrameWriter(new Random(0));
      writer.encode(Frame.text("hi").unmasked());
      assertThat(writer.encode(Frame.text("hi")).readByteString().hex())
          .isEqualTo(golden("81 82 60b420bb 08dd"));
    }
  }

  @Nested
  class PayloadLength {
    /** {@code n} zero bytes masked with 11 22 33 44: the key repeated, cut to {@code n} bytes. */
    private String maskedZeros(int n) {
      return "11223344".repeat(n / 4 + 1).substring(0, 2 * n);
    }

    @Test
    void zero() {
      // legal: empty payload, length 0 in the 7-bit field.
      assertThat(encode(Frame.binary(ByteString.EMPTY).maskKey(KEY)))
          .isEqualTo(golden("82 80 11223344"));
    }

    @Test
    void oneHundredTwentyFiveIsTheLargestSevenBitLength() {
      // legal: 125 in the 7-bit field.
      assertThat(encode(Frame.binary(new byte[125]).maskKey(KEY)))
          .isEqualTo(golden("82 fd 11223344 " + maskedZeros(125)));
    }

    @Test
    void oneHundredTwentySixTakesTheSixteenBitField() {
      // legal: 126 must use the 16-bit field (126 in the 7-bit field means "16 bits follow").
      assertThat(encode(Frame.binary(new byte[126]).maskKey(KEY)))
          .isEqualTo(golden("82 fe 007e 11223344 " + maskedZeros(126)));
    }

    @Test
    void oneHundredTwentySeven() {
      // legal: 127 in the 16-bit field.
      assertThat(encode(Frame.binary(new byte[127]).maskKey(KEY)))
          .isEqualTo(golden("82 fe 007f 11223344 " + maskedZeros(127)));
    }

    @Test
    void sixtyFiveThousandFiveHundredThirtyFiveIsTheLargestSixteenBitLength() throws IOException {
      // legal: 65535 in the 16-bit field; header checked, then the size.
      Buffer wire =
          new FrameWriter(new Random(0)).encode(Frame.binary(new byte[65535]).maskKey(KEY));
      assertThat(wire.size()).isEqualTo(8 + 65535);
      assertThat(wire.readByteString(8).hex()).isEqualTo(golden("82 fe ffff 11223344"));
      assertThat(wire.readByteString(8).hex()).isEqualTo("1122334411223344");
    }

    @Test
    void sixtyFiveThousandFiveHundredThirtySixTakesTheSixtyFourBitField() throws IOException {
      // legal: 65536 in the 64-bit field.
      Buffer wire =
          new FrameWriter(new Random(0)).encode(Frame.binary(new byte[65536]).maskKey(KEY));
      assertThat(wire.size()).isEqualTo(14 + 65536);
      assertThat(wire.readByteString(14).hex())
          .isEqualTo(golden("82 ff 0000000000010000 11223344"));
    }

    @Test
    void fiveBytesInSixteenBitField() {
      // illegal: non-minimal length, 5 written in the 16-bit field.
      assertThat(
              encode(Frame.text("hello").lengthEncoding(LengthEncoding.SIXTEEN_BIT).maskKey(KEY)))
          .isEqualTo(golden("81 fe 0005 11223344 79475f287e"));
    }

    @Test
    void fiveBytesInSixtyFourBitField() {
      // illegal: non-minimal length, 5 written in the 64-bit field.
      assertThat(
              encode(
                  Frame.text("hello").lengthEncoding(LengthEncoding.SIXTY_FOUR_BIT).maskKey(KEY)))
          .isEqualTo(golden("81 ff 0000000000000005 11223344 79475f287e"));
    }

    @Test
    void twoHundredBytesInSixtyFourBitFieldUnmasked() throws IOException {
      // illegal: non-minimal length (200 in the 64-bit field) and MASK clear.
      Buffer wire =
          new FrameWriter(new Random(0))
              .encode(
                  Frame.binary(new byte[200])
                      .lengthEncoding(LengthEncoding.SIXTY_FOUR_BIT)
                      .unmasked());
      assertThat(wire.readByteString(10).hex()).isEqualTo(golden("82 7f 00000000000000c8"));
      assertThat(wire.readByteString()).isEqualTo(ByteString.of(new byte[200]));
    }

    @Test
    void declaredLengthShorterThanPayload() {
      // illegal: header declares 2 bytes, all 5 payload bytes follow anyway.
      assertThat(encode(Frame.text("hello").declaredLength(2).maskKey(KEY)))
          .isEqualTo(golden("81 82 11223344 79475f287e"));
    }

    @Test
    void declaredLengthLongerThanPayload() {
      // illegal: header declares 1000 bytes (minimal 16-bit field for 1000), only 5 follow.
      assertThat(encode(Frame.text("hello").declaredLength(1000).maskKey(KEY)))
          .isEqualTo(golden("81 fe 03e8 11223344 79475f287e"));
    }

    @Test
    void declaredLengthWithTopBitSet() {
      // illegal: 64-bit length 2^63, whose most significant bit must be 0.
      assertThat(encode(Frame.text("hello").declaredLength(1L << 63).maskKey(KEY)))
          .isEqualTo(golden("81 ff 8000000000000000 11223344 79475f287e"));
    }

    @Test
    void declaredLengthAllOnes() {
      // illegal: 64-bit length 2^64-1 (written as -1L), top bit set and far beyond the payload.
      assertThat(encode(Frame.text("hello").declaredLength(-1L).maskKey(KEY)))
          .isEqualTo(golden("81 ff ffffffffffffffff 11223344 79475f287e"));
    }

    @Test
    void declaredLengthKeepsAForcedEncoding() {
      // illegal: declares 1000 in a forced 64-bit field (non-minimal, and a lie).
      assertThat(
              encode(
                  Frame.text("hello")
                      .lengthEncoding(LengthEncoding.SIXTY_FOUR_BIT)
                      .declaredLength(1000)
                      .maskKey(KEY)))
          .isEqualTo(golden("81 ff 00000000000003e8 11223344 79475f287e"));
    }

    @Test
    void sevenBitFieldCarrying126Raw() {
      // illegal: 126 in the 7-bit field with no 16-bit length after it; the key follows at once.
      assertThat(
              encode(
                  Frame.text("hello")
                      .lengthEncoding(LengthEncoding.SEVEN_BIT)
                      .declaredLength(126)
                      .maskKey(KEY)))
          .isEqualTo(golden("81 fe 11223344 79475f287e"));
    }

    @Test
    void sevenBitFieldCarrying127Raw() {
      // illegal: 127 in the 7-bit field with no 64-bit length after it; unmasked so the payload
      // follows.
      assertThat(
              encode(
                  Frame.text("hello")
                      .declaredLength(127)
                      .lengthEncoding(LengthEncoding.SEVEN_BIT)
                      .unmasked()))
          .isEqualTo(golden("81 7f 68656c6c6f"));
    }

    @Test
    void declaredLengthTooLongForForcedSevenBitField() {
      assertThatThrownBy(
              () ->
                  Frame.text("hello").lengthEncoding(LengthEncoding.SEVEN_BIT).declaredLength(128))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "length 128 does not fit a SEVEN_BIT length field;"
                  + " choose a wider LengthEncoding or a smaller declared length");
    }

    @Test
    void declaredLengthTooLongForForcedSixteenBitField() {
      // The other order: declared first, then the field forced.
      assertThatThrownBy(
              () ->
                  Frame.text("hello")
                      .declaredLength(65536)
                      .lengthEncoding(LengthEncoding.SIXTEEN_BIT))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "length 65536 does not fit a SIXTEEN_BIT length field;"
                  + " choose a wider LengthEncoding or a smaller declared length");
    }

    @Test
    void unsignedDeclaredLengthTooLongForForcedSixteenBitField() {
      assertThatThrownBy(
              () ->
                  Frame.text("hello")
                      .lengthEncoding(LengthEncoding.SIXTEEN_BIT)
                      .declaredLength(-1L))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "length 18446744073709551615 does not fit a SIXTEEN_BIT length field;"
                  + " choose a wider LengthEncoding or a smaller declared length");
    }

    @Test
    void realPayloadTooLongForForcedSevenBitField() {
      assertThatThrownBy(() -> Frame.binary(new byte[200]).lengthEncoding(LengthEncoding.SEVEN_BIT))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "length 200 does not fit a SEVEN_BIT length field;"
                  + " choose a wider LengthEncoding or a smaller declared length");
    }

    @Test
    void largestLengthsThatFitForcedFields() {
      // illegal: the header lies (127 and 65535 declared, 5 sent), but each length fits its forced
      // field.
      assertThat(
              encode(
                  Frame.text("hello")
                      .lengthEncoding(LengthEncoding.SEVEN_BIT)
                      .declaredLength(127)
                      .unmasked()))
          .isEqualTo(golden("81 7f 68656c6c6f"));
      assertThat(
              encode(
                  Frame.text("hello")
                      .lengthEncoding(LengthEncoding.SIXTEEN_BIT)
                      .declaredLength(65535)
                      .unmasked()))
          .isEqualTo(golden("81 7e ffff 68656c6c6f"));
    }
  }

  @Nested
  class Factories {
    @Test
    void closeWithCodeAndReason() {
      // legal: close 1000 (03e8) with reason "bye".
      assertThat(encode(Frame.close(1000, "bye").maskKey(KEY)))
          .isEqualTo(golden("88 85 11223344 12ca513d74"));
    }

    @Test
    void closeWithoutPayload() {
      // legal: close with no status code.
      assertThat(encode(Frame.close().maskKey(KEY))).isEqualTo(golden("88 80 11223344"));
    }

    @Test
    void closeWithCodeThatMustNotBeSent() {
      // illegal: close code 1005 (03ed) may never appear on the wire.
      assertThat(encode(Frame.close(1005).maskKey(KEY))).isEqualTo(golden("88 82 11223344 12cf"));
      assertThat(encode(Frame.close(1005).unmasked())).isEqualTo(golden("88 02 03ed"));
    }

    @Test
    void closeWithOneBytePayload() {
      // illegal: a 1-byte close payload (a status code is 2 bytes).
      assertThat(encode(Frame.closeWithPayload(ByteString.decodeHex("03")).maskKey(KEY)))
          .isEqualTo(golden("88 81 11223344 12"));
    }

    @Test
    void pingWithPayload() {
      // legal: ping carrying "ping".
      assertThat(encode(Frame.ping("ping").maskKey(KEY)))
          .isEqualTo(golden("89 84 11223344 614b5d23"));
    }

    @Test
    void pongWithPayload() {
      // legal: pong carrying "pong".
      assertThat(encode(Frame.pong("pong").maskKey(KEY)))
          .isEqualTo(golden("8a 84 11223344 614d5d23"));
    }

    @Test
    void emptyPingAndPong() {
      // legal: ping and pong with no payload.
      assertThat(encode(Frame.ping().maskKey(KEY))).isEqualTo(golden("89 80 11223344"));
      assertThat(encode(Frame.pong().maskKey(KEY))).isEqualTo(golden("8a 80 11223344"));
    }

    @Test
    void pingLongerThanControlLimit() throws IOException {
      // illegal: a 126-byte ping (control frames carry at most 125).
      Buffer wire =
          new FrameWriter(new Random(0))
              .encode(Frame.ping(ByteString.of(new byte[126])).unmasked());
      assertThat(wire.readByteString(4).hex()).isEqualTo(golden("89 7e 007e"));
      assertThat(wire.size()).isEqualTo(126);
    }

    @Test
    void fragmentedPing() {
      // illegal: control frame with FIN clear.
      assertThat(encode(Frame.ping("ping").fin(false).maskKey(KEY)))
          .isEqualTo(golden("09 84 11223344 614b5d23"));
    }

    @Test
    void textWithInvalidUtf8IsWrittenUnchanged() {
      // illegal: text payload ff fe is not UTF-8; the writer must not replace or drop the bytes.
      assertThat(encode(Frame.text(ByteString.decodeHex("fffe")).unmasked()))
          .isEqualTo(golden("81 02 fffe"));
      assertThat(encode(Frame.text(ByteString.decodeHex("fffe")).maskKey(KEY)))
          .isEqualTo(golden("81 82 11223344 eedc"));
    }

    @Test
    void textWithNonAsciiUtf8() {
      // legal: "κ" is ce ba in UTF-8, unmasked so the encoding shows.
      assertThat(encode(Frame.text("κ").unmasked())).isEqualTo(golden("81 02 ceba"));
    }

    @Test
    void nonFinalContinuation() {
      // legal inside a fragmented message: a middle continuation frame (opcode 0, FIN clear).
      assertThat(encode(Frame.continuation("lo").fin(false).maskKey(KEY)))
          .isEqualTo(golden("00 82 11223344 7d4d"));
    }

    @Test
    void finalContinuation() {
      // legal inside a fragmented message: the last continuation frame.
      assertThat(encode(Frame.continuation(ByteString.encodeUtf8("lo")).maskKey(KEY)))
          .isEqualTo(golden("80 82 11223344 7d4d"));
    }

    @Test
    void binaryFromArrayCopiesTheArray() {
      // legal: binary 01 02 03; changing the array afterwards does not change the frame.
      byte[] bytes = {1, 2, 3};
      Frame frame = Frame.binary(bytes).unmasked();
      bytes[0] = 9;
      assertThat(encode(frame)).isEqualTo(golden("82 03 010203"));
    }
  }

  @Nested
  class Streamed {
    private static final int LENGTH = 200_000;

    /**
     * The pattern a {@link PatternSource} produces: period 251, so it never lines up with the
     * 4-byte key.
     */
    private ByteString pattern(int length) {
      byte[] bytes = new byte[length];
      for (int i = 0; i < length; i++) bytes[i] = (byte) (i % 251);
      return ByteString.of(bytes);
    }

    @Test
    void streamedFrameEqualsInMemoryFrameAcrossChunkBoundaries() {
      // legal: 200,000 bytes (more than three 64 KiB chunks), 64-bit length field.
      List<PatternSource> opened = new ArrayList<>();
      Frame streamed =
          Frame.streamed(Opcode.BINARY, LENGTH, supplier(LENGTH, Long.MAX_VALUE, opened))
              .maskKey(KEY);
      ByteString wire = new FrameWriter(new Random(0)).encode(streamed).readByteString();

      assertThat(wire.substring(0, 14).hex()).isEqualTo(golden("82 ff 0000000000030d40 11223344"));
      assertThat(wire).isEqualTo(inMemory(LENGTH));
      assertThat(unmaskNaively(wire.substring(14))).isEqualTo(pattern(LENGTH));
      assertThat(opened).hasSize(1);
      assertThat(opened.get(0).closed).as("the writer closes the source it opened").isTrue();
    }

    @Test
    void streamedFrameWithShortOddReadsContinuesTheKeyPosition() {
      // legal: the source returns at most 7,777 bytes a read, so chunks end at every key position.
      Frame streamed =
          Frame.streamed(Opcode.BINARY, LENGTH, supplier(LENGTH, 7_777, new ArrayList<>()))
              .maskKey(KEY);
      ByteString wire = new FrameWriter(new Random(0)).encode(streamed).readByteString();

      assertThat(wire).isEqualTo(inMemory(LENGTH));
      assertThat(unmaskNaively(wire.substring(14))).isEqualTo(pattern(LENGTH));
    }

    @Test
    void streamedFrameWithRandomKeyUsesOneKeyForTheWholePayload() {
      // legal: a streamed frame with a random key from the seeded Random.
      Frame streamed =
          Frame.streamed(Opcode.BINARY, LENGTH, supplier(LENGTH, 10_001, new ArrayList<>()));
      ByteString wire = new FrameWriter(new Random(7)).encode(streamed).readByteString();

      byte[] key = new byte[4];
      new Random(7).nextBytes(key);
      assertThat(wire.substring(10, 14).toByteArray()).isEqualTo(key);
      assertThat(WebSocketProtocol.toggleMask(pattern(LENGTH), key)).isEqualTo(wire.substring(14));
    }

    @Test
    void streamedFrameOpensAFreshSourceOnEveryWrite() {
      // legal: the same frame written twice gives the same bytes, each from its own source.
      List<PatternSource> opened = new ArrayList<>();
      Frame streamed =
          Frame.streamed(Opcode.BINARY, LENGTH, supplier(LENGTH, 5_000, opened)).maskKey(KEY);
      FrameWriter writer = new FrameWriter(new Random(0));

      ByteString first = writer.encode(streamed).readByteString();
      ByteString second = writer.encode(streamed).readByteString();

      assertThat(second).isEqualTo(first);
      assertThat(opened).hasSize(2);
      assertThat(opened.get(0)).isNotSameAs(opened.get(1));
    }

    @Test
    void streamedSourceEndingEarlyWritesWhatItHasUnderTheFullHeader() {
      // illegal: the header declares 200,000 bytes but the source ends after 100,001.
      Frame streamed =
          Frame.streamed(Opcode.BINARY, LENGTH, supplier(100_001, 9_999, new ArrayList<>()))
              .maskKey(KEY);
      ByteString wire = new FrameWriter(new Random(0)).encode(streamed).readByteString();

      assertThat(wire.size()).isEqualTo(14 + 100_001);
      assertThat(wire.substring(0, 14).hex()).isEqualTo(golden("82 ff 0000000000030d40 11223344"));
      assertThat(unmaskNaively(wire.substring(14))).isEqualTo(pattern(100_001));
    }

    @Test
    void streamedSourceLongerThanTheLengthIsReadOnlyUpToTheLength() {
      // legal: the source could give 300,000 bytes; only the frame's 200,000 are written.
      List<PatternSource> opened = new ArrayList<>();
      Frame streamed =
          Frame.streamed(Opcode.BINARY, LENGTH, supplier(300_000, Long.MAX_VALUE, opened))
              .maskKey(KEY);
      ByteString wire = new FrameWriter(new Random(0)).encode(streamed).readByteString();

      assertThat(wire).isEqualTo(inMemory(LENGTH));
      assertThat(opened.get(0).position).isEqualTo(LENGTH);
    }

    @Test
    void streamedFrameWithAnyOpcodeAndSmallLength() {
      // illegal: reserved opcode 0x3, unmasked, 5 streamed bytes 00 01 02 03 04.
      Frame streamed =
          Frame.streamed(0x3, 5, supplier(5, Long.MAX_VALUE, new ArrayList<>())).unmasked();
      assertThat(encode(streamed)).isEqualTo(golden("83 05 0001020304"));
    }

    @Test
    void negativeStreamedLengthIsRejected() {
      assertThatThrownBy(() -> Frame.streamed(Opcode.BINARY, -1, () -> new Buffer()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("a payload length cannot be negative: -1");
    }

    private ByteString inMemory(int length) {
      return new FrameWriter(new Random(0))
          .encode(Frame.binary(pattern(length)).maskKey(KEY))
          .readByteString();
    }

    /**
     * Byte-by-byte XOR with 11 22 33 44: an oracle independent of {@link
     * WebSocketProtocol#toggleMask}.
     */
    private ByteString unmaskNaively(ByteString masked) {
      byte[] key = {0x11, 0x22, 0x33, 0x44};
      byte[] bytes = masked.toByteArray();
      for (int i = 0; i < bytes.length; i++) bytes[i] ^= key[i % 4];
      return ByteString.of(bytes);
    }

    private Supplier<Source> supplier(long available, long maxPerRead, List<PatternSource> opened) {
      return () -> {
        PatternSource source = new PatternSource(available, maxPerRead);
        opened.add(source);
        return source;
      };
    }
  }

  /** Generates {@code i % 251} for byte {@code i}, at most {@code maxPerRead} bytes per read. */
  static final class PatternSource implements Source {
    private final long available;
    private final long maxPerRead;
    long position;
    boolean closed;

    PatternSource(long available, long maxPerRead) {
      this.available = available;
      this.maxPerRead = maxPerRead;
    }

    @Override
    public long read(Buffer sink, long byteCount) {
      if (position == available) return -1;
      long n = Math.min(byteCount, Math.min(maxPerRead, available - position));
      for (long i = 0; i < n; i++) sink.writeByte((int) ((position + i) % 251));
      position += n;
      return n;
    }

    @Override
    public Timeout timeout() {
      return Timeout.NONE;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Nested
  class Validation {
    @Test
    void opcodeSixteenDoesNotFitTheNibble() {
      assertThatThrownBy(() -> Frame.text("x").opcode(16))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("opcode 16 does not fit the 4-bit opcode field; use a value from 0x0 to 0xF");
    }

    @Test
    void negativeOpcode() {
      assertThatThrownBy(() -> Frame.text("x").opcode(-1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("opcode -1 does not fit the 4-bit opcode field; use a value from 0x0 to 0xF");
    }

    @Test
    void threeByteMaskKey() {
      assertThatThrownBy(() -> Frame.text("x").maskKey(new byte[3]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("a masking key is 4 bytes (RFC 6455 §5.3), but 3 were given");
    }

    @Test
    void rsvFieldEight() {
      assertThatThrownBy(() -> Frame.text("x").rsvField(8))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("the RSV field is 3 bits: use 0 to 7, was 8");
    }

    @Test
    void rsvFieldNegative() {
      assertThatThrownBy(() -> Frame.text("x").rsvField(-1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("the RSV field is 3 bits: use 0 to 7, was -1");
    }

    @Test
    void builderCallsReturnCopies() {
      Frame original = Frame.text("hi");
      original.rsv1();
      original.unmasked();
      original.opcode(0x3);
      original.declaredLength(1000);
      assertThat(original.rsvFlags()).isZero();
      assertThat(original.isMasked()).isTrue();
      assertThat(original.opcode()).isEqualTo(Opcode.TEXT.value());
      assertThat(original.hasDeclaredLengthOverride()).isFalse();
      assertThat(original.lengthEncoding()).isEqualTo(LengthEncoding.SEVEN_BIT);
    }
  }

  @Nested
  class Protocol {
    @Test
    void acceptHeaderOfTheRfcExample() {
      // RFC 6455 §1.3.
      assertThat(WebSocketProtocol.acceptHeader("dGhlIHNhbXBsZSBub25jZQ=="))
          .isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @ParameterizedTest(name = "offset {0}, count {1}, keyIndex {2}")
    @CsvSource({
      "7, 24567, 3", // odd offset, spans all segments, ends before the last byte
      "1, 8190, 1", // ends inside the first segment
      "8187, 5, 2", // crosses the first segment boundary with a 5-byte span
      "8188, 1, 1", // the last byte of the first segment only
      "8186, 3, 0", // ends exactly on the first segment boundary
      "8189, 3, 3", // starts exactly on the second segment
      "0, 24604, 0", // the whole buffer, key aligned
      "13, 0, 5", // nothing to mask
      "16000, 8601, 6", // starts inside the second segment, keyIndex beyond 3
    })
    void toggleMaskOverSegmentsEqualsNaiveXor(long offset, long count, long keyIndex)
        throws IOException {
      byte[] key = {(byte) 0xa5, 0x3c, (byte) 0xf0, 0x0f};
      Buffer buffer = threeSegmentBuffer();
      byte[] expected = buffer.snapshot().toByteArray();
      for (long i = 0; i < count; i++) {
        expected[(int) (offset + i)] ^= key[(int) ((keyIndex + i) % 4)];
      }

      long next = WebSocketProtocol.toggleMask(buffer, offset, count, key, keyIndex);

      assertThat(next).isEqualTo(keyIndex + count);
      assertThat(buffer.snapshot()).isEqualTo(ByteString.of(expected));
    }

    @Test
    void toggleMaskTwiceRestoresTheBuffer() throws IOException {
      byte[] key = {1, 2, 3, 4};
      Buffer buffer = threeSegmentBuffer();
      ByteString before = buffer.snapshot();
      long next = WebSocketProtocol.toggleMask(buffer, 3, 20_001, key, 2);
      assertThat(buffer.snapshot()).isNotEqualTo(before);
      WebSocketProtocol.toggleMask(buffer, 3, 20_001, key, 2);
      assertThat(buffer.snapshot()).isEqualTo(before);
      assertThat(next).isEqualTo(20_003);
    }

    @Test
    void toggleMaskInPiecesEqualsOneCall() throws IOException {
      // Masking a payload in pieces, passing on the key position, equals masking it at once.
      byte[] key = {(byte) 0x81, 0x42, 0x24, 0x18};
      Buffer whole = threeSegmentBuffer();
      Buffer pieces = threeSegmentBuffer();
      WebSocketProtocol.toggleMask(whole, 0, whole.size(), key, 0);
      long keyIndex = 0;
      long at = 0;
      for (long piece : new long[] {1, 2, 8190, 7, 4097, 12_307}) {
        keyIndex = WebSocketProtocol.toggleMask(pieces, at, piece, key, keyIndex);
        at += piece;
      }
      assertThat(at).isEqualTo(whole.size());
      assertThat(pieces.snapshot()).isEqualTo(whole.snapshot());
    }

    @Test
    void toggleMaskOfByteString() {
      assertThat(
              WebSocketProtocol.toggleMask(
                      ByteString.encodeUtf8("hello"), new byte[] {0x11, 0x22, 0x33, 0x44})
                  .hex())
          .isEqualTo("79475f287e");
    }

    /**
     * 24,604 bytes ({@code i * 31 + 7}) in three segments of 8,189, 8,192 and 8,192 bytes plus a
     * fourth of 31: the head was skipped into, so segment boundaries fall at odd offsets.
     */
    private Buffer threeSegmentBuffer() throws IOException {
      Buffer buffer = new Buffer();
      buffer.writeUtf8("abc");
      for (int i = 0; i < 24_604; i++) buffer.writeByte(i * 31 + 7);
      buffer.skip(3);
      List<Integer> sizes = new ArrayList<>();
      try (Buffer.UnsafeCursor cursor = buffer.readUnsafe()) {
        for (int n = cursor.next(); n != -1; n = cursor.next()) sizes.add(n);
      }
      assertThat(sizes)
          .as("segment sizes (test precondition)")
          .containsExactly(8189, 8192, 8192, 31);
      return buffer;
    }
  }

  @Test
  void inMemoryFrameCanBeWrittenTwice() {
    // legal: an in-memory frame opens a new source for each write, so writing it again gives the
    // same bytes.
    Frame frame = Frame.text("hello").maskKey(KEY);
    FrameWriter writer = new FrameWriter(new Random(0));
    assertThat(writer.encode(frame).readByteString().hex())
        .isEqualTo(golden("81 85 11223344 79475f287e"));
    assertThat(writer.encode(frame).readByteString().hex())
        .isEqualTo(golden("81 85 11223344 79475f287e"));
  }

  @Test
  void describeNamesEveryHeaderField() {
    assertThat(Frame.text("hello").describe()).isEqualTo("TEXT fin masked len=5");
    assertThat(Frame.text("hello").opcode(0x3).rsv1().rsv3().fin(false).unmasked().describe())
        .isEqualTo("reserved 0x3 no-fin rsv1 rsv3 unmasked len=5");
    assertThat(Frame.text("hello").declaredLength(1000).describe())
        .isEqualTo("TEXT fin masked len=5 (declared 1000, 16-bit field)");
    assertThat(Frame.ping("x").lengthEncoding(LengthEncoding.SIXTY_FOUR_BIT).describe())
        .isEqualTo("PING fin masked len=1 (declared 1, 64-bit field)");
  }
}
