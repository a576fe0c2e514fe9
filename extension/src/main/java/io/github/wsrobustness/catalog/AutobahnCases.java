package io.github.wsrobustness.catalog;

import io.github.wsrobustness.frame.Frame;
import io.github.wsrobustness.frame.FrameWriter;
import io.github.wsrobustness.frame.Opcode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import okio.Buffer;
import okio.ByteString;

/**
 * Autobahn|Testsuite's server cases of sections 1–7, 9, 10, 12 and 13 (517 cases, Autobahn's ids),
 * written as data: what the client sends, cut into writes the way Autobahn cuts them, and what a
 * conforming server does, each citing the clause it checks (RFC 6455: §5.2 framing, §5.4
 * fragmentation, §5.5 control frames, §7.4 close codes, §8.1 UTF-8, §10.4 limits; RFC 7692 §7.2:
 * compressed messages, {@link CompressionSections}). Where Autobahn pauses to let the server act,
 * the script sends a probe ping and waits for its pong instead ({@link Step.Sync}); the
 * descriptions say where.
 *
 * <p>Thread-safety: the list is immutable; scripts are made fresh for each run.
 */
public final class AutobahnCases {
  /** The Greek word kosme, UTF-8 with 2- and 3-byte sequences: Autobahn's section 6 staple. */
  private static final ByteString KOSME = ByteString.decodeHex("cebae1bdb9cf83cebcceb5");

  private static final List<CatalogueCase> ALL = build();

  private final CaseList list = new CaseList();

  private AutobahnCases() {}

  /** Every case, in Autobahn's order. */
  public static List<CatalogueCase> all() {
    return ALL;
  }

  private static List<CatalogueCase> build() {
    AutobahnCases b = new AutobahnCases();
    b.framing();
    b.pingsAndPongs();
    b.reservedBits();
    b.opcodes();
    b.fragmentation();
    b.utf8();
    b.closeHandling();
    b.limits();
    b.autoFragmentation();
    new CompressionSections(b.list).add();
    return b.list.cases();
  }

  // -----------------------------------------------------------------------------------------------
  // 1 Framing

  private void framing() {
    list.top("1 Framing");
    int[] sizes = {0, 125, 126, 127, 128, 65535, 65536};
    String[] lengthNotes = {
      "empty payload",
      "125 bytes, the largest 7-bit length",
      "126 bytes, the smallest 16-bit length",
      "127 bytes, 16-bit length",
      "128 bytes, 16-bit length",
      "65535 bytes, the largest 16-bit length",
      "65536 bytes, the smallest 64-bit length"
    };
    for (int binary = 0; binary < 2; binary++) {
      boolean isText = binary == 0;
      list.sub(isText ? "1.1" : "1.2", isText ? "Text messages" : "Binary messages");
      String kind = isText ? "text" : "binary";
      for (int i = 0; i < sizes.length; i++) {
        ByteString payload = filler(sizes[i], isText);
        list.add(
            list.section().id() + "." + (i + 1),
            kind + " frame, " + lengthNotes[i],
            "§5.2",
            "One unfragmented " + kind + " frame of " + sizes[i] + " bytes.",
            () -> List.of(Step.send(data(isText, payload))),
            Expectation.echo(List.of(expected(isText, payload))));
      }
      ByteString big = filler(65536, isText);
      list.add(
          list.section().id() + ".8",
          kind + " frame, 65536 bytes in 997-byte writes",
          "§5.2",
          "One unfragmented " + kind + " frame of 65536 bytes, written in pieces of 997 bytes.",
          () -> List.of(Step.send(Writes.chunksOf(997), data(isText, big))),
          Expectation.echo(List.of(expected(isText, big))));
    }
  }

  // -----------------------------------------------------------------------------------------------
  // 2 Pings and pongs

  private void pingsAndPongs() {
    list.top("2 Pings and pongs");
    list.sub("2", "Pings and pongs");
    ByteString hello = ByteString.encodeUtf8("Hello, world!");
    ByteString binary =
        ByteString.of(
            (byte) 0,
            (byte) 0xff,
            (byte) 0xfe,
            (byte) 0xfd,
            (byte) 0xfc,
            (byte) 0xfb,
            (byte) 0,
            (byte) 0xff);
    ByteString max = filler(125, false);
    pingCase("2.1", "ping, empty payload", ByteString.EMPTY, Writes.oneWrite());
    pingCase("2.2", "ping with a text payload", hello, Writes.oneWrite());
    pingCase("2.3", "ping with a binary payload", binary, Writes.oneWrite());
    pingCase("2.4", "ping, 125 bytes (the control frame maximum)", max, Writes.oneWrite());
    ByteString over = filler(126, false);
    list.add(
        "2.5",
        "ping, 126 bytes (over the control frame maximum)",
        "§5.5",
        "A ping with a 126-byte payload: control frames carry at most 125 bytes.",
        () -> List.of(Step.send(Frame.ping(over))),
        Expectation.fail(List.of(), 1002));
    pingCase("2.6", "ping, 125 bytes, one byte per write", max, Writes.eachByte());
    list.add(
        "2.7",
        "unsolicited pong, empty, then close",
        "§5.5.3",
        "An unsolicited empty pong, then a close frame with 1000: the pong needs no answer.",
        () -> List.of(Step.send(Frame.pong(), Frame.close(1000))),
        Expectation.closeReply(List.of(), 1000));
    list.add(
        "2.8",
        "unsolicited pong with payload, then close",
        "§5.5.3",
        "An unsolicited pong with a payload, then a close frame with 1000.",
        () ->
            List.of(
                Step.send(
                    Frame.pong(ByteString.encodeUtf8("unsolicited pong payload")),
                    Frame.close(1000))),
        Expectation.closeReply(List.of(), 1000));
    ByteString pingPayload = ByteString.encodeUtf8("ping payload");
    list.add(
        "2.9",
        "unsolicited pong, then ping",
        "§5.5.3",
        "An unsolicited pong, then a ping: exactly one pong comes back, the ping's.",
        () ->
            List.of(
                Step.send(
                    Frame.pong(ByteString.encodeUtf8("unsolicited pong payload")),
                    Frame.ping(pingPayload))),
        Expectation.echo(List.of(Expected.pong(pingPayload))));
    tenPings("2.10", "ten pings in a row", Writes.oneWrite());
    tenPings("2.11", "ten pings in a row, one byte per write", Writes.eachByte());
  }

  private void pingCase(String id, String title, ByteString payload, Writes writes) {
    list.add(
        id,
        title,
        "§5.5.2",
        "A ping with a " + payload.size() + "-byte payload, " + writes + ".",
        () -> List.of(Step.send(writes, Frame.ping(payload))),
        Expectation.echo(List.of(Expected.pong(payload))));
  }

  private void tenPings(String id, String title, Writes writes) {
    List<Frame> pings = new ArrayList<>();
    List<Expected> pongs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ByteString payload = ByteString.encodeUtf8("payload-" + i);
      pings.add(Frame.ping(payload));
      pongs.add(Expected.pong(payload));
    }
    list.add(
        id,
        title,
        "§5.5.2",
        "Ten pings with different payloads, back to back, "
            + writes
            + ": ten pongs come back in order.",
        () -> List.of(new Step.Send(pings, writes)),
        Expectation.echo(pongs));
  }

  // -----------------------------------------------------------------------------------------------
  // 3 Reserved bits

  private void reservedBits() {
    list.top("3 Reserved bits");
    list.sub("3", "Reserved bits");
    ByteString hello = ByteString.encodeUtf8("Hello, world!");
    list.add(
        "3.1",
        "text frame with RSV3 set",
        "§5.2",
        "A short text frame with RSV3 set; no extension was negotiated.",
        () -> List.of(Step.send(Frame.text(hello).rsvField(1))),
        Expectation.fail(List.of(), 1002));
    rsvAfterValid("3.2", 2, "RSV2", Writes.oneWrite());
    rsvAfterValid("3.3", 3, "RSV2 and RSV3", Writes.eachFrame());
    rsvAfterValid("3.4", 4, "RSV1", Writes.eachByte());
    ByteString bytes = filler(8, false);
    list.add(
        "3.5",
        "binary frame with RSV1 and RSV3 set",
        "§5.2",
        "A small binary frame with RSV1 and RSV3 set.",
        () -> List.of(Step.send(Frame.binary(bytes).rsvField(5))),
        Expectation.fail(List.of(), 1002));
    list.add(
        "3.6",
        "binary frame with RSV1 and RSV2 set",
        "§5.2",
        "A small binary frame with RSV1 and RSV2 set (Autobahn's title says ping; it sends a"
            + " binary frame, and so does this case).",
        () -> List.of(Step.send(Frame.binary(bytes).rsvField(6))),
        Expectation.fail(List.of(), 1002));
    list.add(
        "3.7",
        "close frame with all RSV bits set",
        "§5.2",
        "A close frame with no payload and RSV1, RSV2 and RSV3 set.",
        () -> List.of(Step.send(Frame.close().rsvField(7))),
        Expectation.fail(List.of(), 1002));
  }

  private void rsvAfterValid(String id, int field, String bits, Writes writes) {
    ByteString hello = ByteString.encodeUtf8("Hello, world!");
    list.add(
        id,
        "valid text, then text with " + bits + " set, then ping, " + writes,
        "§5.2",
        "A valid text frame, the same frame with "
            + bits
            + " set, and a ping, "
            + writes
            + ": the valid one is echoed, then the connection fails; no pong.",
        () ->
            List.of(
                Step.send(
                    writes, Frame.text(hello), Frame.text(hello).rsvField(field), Frame.ping())),
        Expectation.fail(List.of(Expected.text(hello)), 1002));
  }

  // -----------------------------------------------------------------------------------------------
  // 4 Opcodes

  private void opcodes() {
    list.top("4 Opcodes");
    list.sub("4.1", "Reserved data opcodes");
    reservedOpcodes("4.1", 0x3, "data");
    list.sub("4.2", "Reserved control opcodes");
    reservedOpcodes("4.2", 0xB, "control");
  }

  private void reservedOpcodes(String prefix, int first, String kind) {
    ByteString hello = ByteString.encodeUtf8("Hello, world!");
    for (int i = 0; i < 5; i++) {
      int opcode = first + i;
      String hex = String.format("0x%X", opcode);
      ByteString payload =
          i == 0 || i == 2 ? ByteString.EMPTY : ByteString.encodeUtf8("reserved opcode " + hex);
      Frame bad = Frame.binary(payload).opcode(opcode);
      String id = prefix + "." + (i + 1);
      if (i < 2) {
        list.add(
            id,
            "reserved " + kind + " opcode " + hex + (payload.size() == 0 ? "" : " with payload"),
            "§5.2",
            "A frame with the reserved " + kind + " opcode " + hex + ".",
            () -> List.of(Step.send(bad)),
            Expectation.fail(List.of(), 1002));
      } else {
        Writes writes = i == 4 ? Writes.eachByte() : Writes.oneWrite();
        list.add(
            id,
            "valid text, then opcode " + hex + ", then ping, " + writes,
            "§5.2",
            "A valid text frame, a frame with the reserved "
                + kind
                + " opcode "
                + hex
                + " and a ping, "
                + writes
                + ": the valid one is echoed, then the connection fails; no pong.",
            () -> List.of(Step.send(writes, Frame.text(hello), bad, Frame.ping())),
            Expectation.fail(List.of(Expected.text(hello)), 1002));
      }
    }
  }

  // -----------------------------------------------------------------------------------------------
  // 5 Fragmentation

  private void fragmentation() {
    list.top("5 Fragmentation");
    list.sub("5", "Fragmentation");
    ByteString one = ByteString.encodeUtf8("fragment1");
    ByteString two = ByteString.encodeUtf8("fragment2");
    list.add(
        "5.1",
        "ping in two fragments",
        "§5.4",
        "A ping with FIN clear, then a continuation frame: control frames must not be fragmented.",
        () -> List.of(Step.send(Frame.ping(one).fin(false), Frame.continuation(two))),
        Expectation.fail(List.of(), 1002));
    list.add(
        "5.2",
        "pong in two fragments",
        "§5.4",
        "A pong with FIN clear, then a continuation frame.",
        () -> List.of(Step.send(Frame.pong(one).fin(false), Frame.continuation(two))),
        Expectation.fail(List.of(), 1002));
    Writes[] cuts = {Writes.oneWrite(), Writes.eachFrame(), Writes.eachByte()};
    ByteString joined = ByteString.encodeUtf8("fragment1fragment2");
    for (int i = 0; i < 3; i++) {
      Writes writes = cuts[i];
      list.add(
          "5." + (3 + i),
          "text message in two fragments, " + writes,
          "§5.4",
          "A text message in two fragments, " + writes + ".",
          () -> List.of(Step.send(writes, Frame.text(one).fin(false), Frame.continuation(two))),
          Expectation.echo(List.of(Expected.text(joined))));
    }
    ByteString pongMe = ByteString.encodeUtf8("pongme!");
    for (int i = 0; i < 3; i++) {
      Writes writes = cuts[i];
      list.add(
          "5." + (6 + i),
          "ping between two text fragments, " + writes,
          "§5.4",
          "A text fragment, a ping, and the last fragment, "
              + writes
              + ": the pong comes first, then the message.",
          () ->
              List.of(
                  Step.send(
                      writes,
                      Frame.text(one).fin(false),
                      Frame.ping(pongMe),
                      Frame.continuation(two))),
          Expectation.echo(List.of(Expected.pong(pongMe), Expected.text(joined))));
    }
    ByteString orphan = ByteString.encodeUtf8("non-continuation payload");
    ByteString hello = ByteString.encodeUtf8("Hello, world!");
    for (int fin = 1; fin >= 0; fin--) {
      for (int i = 0; i < 3; i++) {
        Writes writes = cuts[i];
        boolean isFinal = fin == 1;
        list.add(
            "5." + (isFinal ? 9 + i : 12 + i),
            "continuation with nothing to continue, FIN "
                + (isFinal ? "set" : "clear")
                + ", "
                + writes,
            "§5.4",
            "A continuation frame (FIN "
                + (isFinal ? "set" : "clear")
                + ") that starts no message, then a text frame, "
                + writes
                + ".",
            () ->
                List.of(
                    Step.send(writes, Frame.continuation(orphan).fin(isFinal), Frame.text(hello))),
            Expectation.fail(List.of(), 1002));
      }
    }
    ByteString three = ByteString.encodeUtf8("fragment3");
    ByteString four = ByteString.encodeUtf8("fragment4");
    list.add(
        "5.15",
        "valid two-fragment message, then an orphan continuation",
        "§5.4",
        "A valid two-fragment text message, then a continuation frame with FIN clear that"
            + " continues nothing, then a text frame.",
        () ->
            List.of(
                Step.send(
                    Frame.text(one).fin(false),
                    Frame.continuation(two),
                    Frame.continuation(three).fin(false),
                    Frame.text(four))),
        Expectation.fail(List.of(Expected.text(joined)), 1002));
    for (int fin = 0; fin < 2; fin++) {
      boolean isFinal = fin == 1;
      list.add(
          isFinal ? "5.17" : "5.16",
          "orphan continuation (FIN " + (isFinal ? "set" : "clear") + ") before a message, twice",
          "§5.4",
          "Twice: a continuation frame (FIN "
              + (isFinal ? "set" : "clear")
              + ") that continues nothing, then a text message in two fragments.",
          () -> {
            List<Frame> frames = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
              frames.add(Frame.continuation(one).fin(isFinal));
              frames.add(Frame.text(two).fin(false));
              frames.add(Frame.continuation(three));
            }
            return List.of(new Step.Send(frames, Writes.oneWrite()));
          },
          Expectation.fail(List.of(), 1002));
    }
    list.add(
        "5.18",
        "text fragment, then a second text frame instead of a continuation",
        "§5.4",
        "A text frame with FIN clear, then another text frame (not a continuation) with FIN set.",
        () -> List.of(Step.send(Frame.text(one).fin(false), Frame.text(two))),
        Expectation.fail(List.of(), 1002));
    for (int i = 0; i < 2; i++) {
      Writes writes = i == 0 ? Writes.oneWrite() : Writes.eachFrame();
      list.add(
          "5." + (19 + i),
          "five-fragment message with two pings between fragments, " + writes,
          "§5.4",
          "A text message in five fragments with a ping after the second and the fourth, "
              + writes
              + ". Autobahn pauses 1 s after the first ping; this case waits for a probe's pong"
              + " there instead: the pause's length is not what is tested.",
          () -> fiveFragments(writes),
          Expectation.echo(
              List.of(
                  Expected.pong(ByteString.encodeUtf8("pongme 1!")),
                  Expected.pong(ByteString.encodeUtf8("pongme 2!")),
                  Expected.text("fragment1fragment2fragment3fragment4fragment5"))));
    }
  }

  private static List<Step> fiveFragments(Writes writes) {
    return List.of(
        Step.send(
            writes,
            Frame.text("fragment1").fin(false),
            Frame.continuation("fragment2").fin(false),
            Frame.ping("pongme 1!")),
        Step.sync(),
        Step.send(
            writes,
            Frame.continuation("fragment3").fin(false),
            Frame.continuation("fragment4").fin(false),
            Frame.ping("pongme 2!"),
            Frame.continuation("fragment5")));
  }

  // -----------------------------------------------------------------------------------------------
  // 6 UTF-8 handling

  private void utf8() {
    list.top("6 UTF-8 handling");
    list.sub("6.1", "Valid UTF-8 with empty fragments");
    list.add(
        "6.1.1",
        "empty text frame",
        "§8.1",
        "One empty text frame.",
        () -> List.of(Step.send(Frame.text(""))),
        Expectation.echo(List.of(Expected.text(""))));
    list.add(
        "6.1.2",
        "text message of three empty fragments",
        "§8.1",
        "A text message made of three empty fragments.",
        () ->
            List.of(
                Step.send(
                    Frame.text("").fin(false),
                    Frame.continuation("").fin(false),
                    Frame.continuation(""))),
        Expectation.echo(List.of(Expected.text(""))));
    list.add(
        "6.1.3",
        "empty, non-empty and empty fragments",
        "§8.1",
        "A text message of three fragments: empty, ASCII text, empty.",
        () ->
            List.of(
                Step.send(
                    Frame.text("").fin(false),
                    Frame.continuation("middle frame payload").fin(false),
                    Frame.continuation(""))),
        Expectation.echo(List.of(Expected.text("middle frame payload"))));

    list.sub("6.2", "Valid UTF-8, whole and fragmented");
    ByteString mixed =
        ByteString.encodeUtf8("Hello-\u00b5@\u00df\u00f6\u00e4\u00fc\u00e0\u00e1-UTF-8!!");
    utf8Message("6.2.1", "Latin-1 letters in one frame", mixed, List.of(mixed), true);
    utf8Message(
        "6.2.2",
        "Latin-1 letters, two fragments cut between code points",
        mixed,
        List.of(mixed.substring(0, 11), mixed.substring(11)),
        true);
    utf8Message(
        "6.2.3", "Latin-1 letters, one byte per fragment", mixed, oneBytePieces(mixed), true);
    utf8Message(
        "6.2.4",
        "Greek \u03ba\u1f79\u03c3\u03bc\u03b5, one byte per fragment",
        KOSME,
        oneBytePieces(KOSME),
        true);

    list.sub("6.3", "Invalid UTF-8, whole and fragmented");
    ByteString invalid =
        new Buffer()
            .write(KOSME)
            .write(ByteString.decodeHex("eda080"))
            .writeUtf8("edited")
            .readByteString();
    utf8Message(
        "6.3.1",
        "encoded surrogate inside Greek text, one frame",
        invalid,
        List.of(invalid),
        false);
    utf8Message(
        "6.3.2",
        "encoded surrogate inside Greek text, one byte per fragment",
        invalid,
        oneBytePieces(invalid),
        false);

    list.sub("6.4", "Fail-fast on invalid UTF-8");
    failFastFragments(
        "6.4.1",
        "invalid code point in the second of three fragments",
        KOSME,
        ByteString.decodeHex("f4908080"),
        ByteString.encodeUtf8("edited"));
    failFastFragments(
        "6.4.2",
        "the one invalidating byte alone in the second of three fragments",
        new Buffer().write(KOSME).writeByte(0xf4).readByteString(),
        ByteString.decodeHex("90"),
        new Buffer().write(ByteString.decodeHex("8080")).writeUtf8("edited").readByteString());
    failFastInFrame("6.4.3", "invalid code point in the middle of one frame", 11, 4);
    failFastInFrame("6.4.4", "the one invalidating byte in the middle of one frame", 12, 1);

    list.sub("6.5", "Some valid UTF-8 sequences");
    single("6.5.1", "68656c6c6f24776f726c64", true, "'hello$world'");
    single("6.5.2", "68656c6c6fc2a2776f726c64", true, "U+00A2 between words");
    single("6.5.3", "68656c6c6fe282ac776f726c64", true, "U+20AC between words");
    single("6.5.4", "68656c6c6ff0a4ada2776f726c64", true, "U+24B62 between words");
    single("6.5.5", "cebae1bdb9cf83cebcceb5", true, "Greek \u03ba\u1f79\u03c3\u03bc\u03b5");

    list.sub("6.6", "Every prefix of a valid multi-byte string");
    for (int n = 1; n <= KOSME.size(); n++) {
      ByteString prefix = KOSME.substring(0, n);
      boolean valid = n == 2 || n == 5 || n == 7 || n == 9 || n == 11;
      single(
          "6.6." + n,
          prefix.hex(),
          valid,
          "first " + n + (n == 1 ? " byte" : " bytes") + " of \u03ba\u1f79\u03c3\u03bc\u03b5");
    }

    list.sub("6.7", "First code point of each sequence length");
    single("6.7.1", "00", true, "U+0000");
    single("6.7.2", "c280", true, "U+0080");
    single("6.7.3", "e0a080", true, "U+0800");
    single("6.7.4", "f0908080", true, "U+10000");

    list.sub("6.8", "First 5- and 6-byte sequences (not UTF-8)");
    single("6.8.1", "f888808080", false, "5-byte sequence");
    single("6.8.2", "fc8480808080", false, "6-byte sequence");

    list.sub("6.9", "Last code point of each sequence length");
    single("6.9.1", "7f", true, "U+007F");
    single("6.9.2", "dfbf", true, "U+07FF");
    single("6.9.3", "efbfbf", true, "U+FFFF");
    single("6.9.4", "f48fbfbf", true, "U+10FFFF");

    list.sub("6.10", "Last 4-, 5- and 6-byte sequences (not UTF-8)");
    single("6.10.1", "f7bfbfbf", false, "4-byte U+1FFFFF, beyond Unicode");
    single("6.10.2", "fbbfbfbfbf", false, "5-byte sequence");
    single("6.10.3", "fdbfbfbfbfbf", false, "6-byte sequence");

    list.sub("6.11", "Other boundaries");
    single("6.11.1", "ed9fbf", true, "U+D7FF, below the surrogates");
    single("6.11.2", "ee8080", true, "U+E000, above the surrogates");
    single("6.11.3", "efbfbd", true, "U+FFFD");
    single("6.11.4", "f48fbfbf", true, "U+10FFFF");
    single("6.11.5", "f4908080", false, "U+110000, beyond Unicode");

    list.sub("6.12", "Unexpected continuation bytes");
    single("6.12.1", "80", false, "lone continuation byte 0x80");
    single("6.12.2", "bf", false, "lone continuation byte 0xBF");
    String run = "80bf80bf80bf";
    for (int n = 2; n <= 6; n++) {
      single("6.12." + (n + 1), run.substring(0, 2 * n), false, n + " continuation bytes");
    }
    single("6.12.8", byteRange(0x80, 0xbe, ""), false, "every continuation byte 0x80-0xBE");

    list.sub("6.13", "Lead bytes followed by a space");
    single(
        "6.13.1", byteRange(0xc0, 0xde, "20"), false, "2-byte leads 0xC0-0xDE, each then a space");
    single(
        "6.13.2", byteRange(0xe0, 0xee, "20"), false, "3-byte leads 0xE0-0xEE, each then a space");
    single(
        "6.13.3", byteRange(0xf0, 0xf6, "20"), false, "4-byte leads 0xF0-0xF6, each then a space");
    single(
        "6.13.4", byteRange(0xf8, 0xfa, "20"), false, "5-byte leads 0xF8-0xFA, each then a space");
    single("6.13.5", byteRange(0xfc, 0xfc, "20"), false, "6-byte lead 0xFC, then a space");

    list.sub("6.14", "Sequences missing their last byte");
    String[] truncated = {
      "c0", "e080", "f08080", "f8808080", "fc80808080",
      "df", "efbf", "f7bfbf", "fbbfbfbf", "fdbfbfbfbf"
    };
    for (int i = 0; i < truncated.length; i++) {
      int length = i % 5 + 2;
      single(
          "6.14." + (i + 1), truncated[i], false, length + "-byte sequence without its last byte");
    }

    list.sub("6.15", "Truncated sequences in a row");
    single("6.15.1", String.join("", truncated), false, "the ten truncated sequences of 6.14");

    list.sub("6.16", "Bytes that never appear in UTF-8");
    single("6.16.1", "fe", false, "byte 0xFE");
    single("6.16.2", "ff", false, "byte 0xFF");
    single("6.16.3", "fefeffff", false, "bytes FE FE FF FF");

    list.sub("6.17", "Overlong slash");
    String[] slash = {"c0af", "e080af", "f08080af", "f8808080af", "fc80808080af"};
    for (int i = 0; i < slash.length; i++) {
      single("6.17." + (i + 1), slash[i], false, "'/' overlong in " + (i + 2) + " bytes");
    }

    list.sub("6.18", "Largest overlong sequences");
    String[] largest = {"c1bf", "e09fbf", "f08fbfbf", "f887bfbfbf", "fc83bfbfbfbf"};
    for (int i = 0; i < largest.length; i++) {
      single(
          "6.18." + (i + 1), largest[i], false, "largest overlong " + (i + 2) + "-byte sequence");
    }

    list.sub("6.19", "Overlong NUL");
    String[] nul = {"c080", "e08080", "f0808080", "f880808080", "fc8080808080"};
    for (int i = 0; i < nul.length; i++) {
      single("6.19." + (i + 1), nul[i], false, "NUL overlong in " + (i + 2) + " bytes");
    }

    list.sub("6.20", "Single UTF-16 surrogates");
    int[] surrogates = {0xd800, 0xdb7f, 0xdb80, 0xdbff, 0xdc00, 0xdf80, 0xdfff};
    for (int i = 0; i < surrogates.length; i++) {
      single(
          "6.20." + (i + 1),
          threeByteForm(surrogates[i]),
          false,
          String.format("surrogate U+%04X", surrogates[i]));
    }

    list.sub("6.21", "Paired UTF-16 surrogates");
    int[] high = {0xd800, 0xd800, 0xdb7f, 0xdb7f, 0xdb80, 0xdb80, 0xdbff, 0xdbff};
    for (int i = 0; i < high.length; i++) {
      int low = i % 2 == 0 ? 0xdc00 : 0xdfff;
      single(
          "6.21." + (i + 1),
          threeByteForm(high[i]) + threeByteForm(low),
          false,
          String.format("surrogate pair U+%04X U+%04X, each encoded", high[i], low));
    }

    list.sub("6.22", "Noncharacters (valid UTF-8)");
    for (int plane = 0; plane <= 16; plane++) {
      for (int last = 0; last < 2; last++) {
        int codePoint = (plane << 16) | (0xfffe + last);
        single(
            "6.22." + (plane * 2 + last + 1),
            utf8Hex(codePoint),
            true,
            String.format("noncharacter U+%04X", codePoint));
      }
    }

    list.sub("6.23", "Specials (valid UTF-8)");
    for (int i = 0; i < 7; i++) {
      int codePoint = 0xfff9 + i;
      single(
          "6.23." + (i + 1),
          utf8Hex(codePoint),
          true,
          String.format(
              "U+%04X%s", codePoint, codePoint == 0xfffd ? ", the replacement character" : ""));
    }
  }

  private void utf8Message(
      String id, String title, ByteString payload, List<ByteString> pieces, boolean valid) {
    String how = pieces.size() == 1 ? "in one frame" : "in " + pieces.size() + " fragments";
    list.add(
        id,
        title + (valid ? "" : ", invalid"),
        "§8.1",
        (valid ? "Valid" : "Invalid") + " UTF-8 text " + how + ".",
        () -> List.of(new Step.Send(fragments(pieces), Writes.oneWrite())),
        valid
            ? Expectation.echo(List.of(Expected.text(payload)))
            : Expectation.fail(List.of(), 1007));
  }

  private void single(String id, String hex, boolean valid, String what) {
    ByteString payload = ByteString.decodeHex(hex);
    String shown = payload.size() > 12 ? payload.substring(0, 12).hex() + "…" : payload.hex();
    list.add(
        id,
        what + ", " + (valid ? "valid" : "invalid"),
        "§8.1",
        "One text frame carrying "
            + payload.size()
            + (payload.size() == 1 ? " byte" : " bytes")
            + " ("
            + shown
            + "): "
            + what
            + (valid ? ", valid UTF-8." : ", not valid UTF-8."),
        () -> List.of(Step.send(Frame.text(payload))),
        valid
            ? Expectation.echo(List.of(Expected.text(payload)))
            : Expectation.fail(List.of(), 1007));
  }

  private void failFastFragments(
      String id, String title, ByteString first, ByteString bad, ByteString rest) {
    list.add(
        id,
        title,
        "§8.1",
        "A text message in three fragments: valid, invalid, the rest. Autobahn pauses 1 s after"
            + " the first and the second; this case waits for a probe's pong after each instead:"
            + " the pong after the first proves the server kept the valid part, the one after the"
            + " second proves it did not fail fast.",
        () ->
            List.of(
                Step.send(Frame.text(first).fin(false)),
                Step.sync(),
                Step.send(Frame.continuation(bad).fin(false)),
                Step.sync(),
                Step.send(Frame.continuation(rest))),
        Expectation.failFast(2, 1007));
  }

  private void failFastInFrame(String id, String title, int validBytes, int badBytes) {
    ByteString payload =
        new Buffer()
            .write(KOSME)
            .write(ByteString.decodeHex("f4908080"))
            .writeUtf8("edited")
            .readByteString();
    list.add(
        id,
        title,
        "§8.1",
        "One text frame with an invalid code point, written in three parts cut around the"
            + " invalid byte"
            + (badBytes == 1 ? "" : "s")
            + ". Autobahn pauses 1 s after each part; no event can show how far a server read into"
            + " a frame, so after each of the first two parts this case waits a short grace"
            + " (wsrobustness.catalogue.midFrameGrace, 100 ms by default) for the server to end"
            + " the connection: after the valid part it must not, after the invalid one it should"
            + " (the second wait decides between OK and NON-STRICT only).",
        () -> {
          // Encoded once with a fixed key, so that the parts can go out as separate steps.
          ByteString wire =
              new FrameWriter(new Random(6_4L)).encode(Frame.text(payload)).readByteString();
          int header = wire.size() - payload.size();
          int cut1 = header + validBytes;
          int cut2 = cut1 + badBytes;
          return List.of(
              new Step.SendBytes(wire.substring(0, cut1)),
              new Step.AwaitEnd(),
              new Step.SendBytes(wire.substring(cut1, cut2)),
              new Step.AwaitEnd(),
              new Step.SendBytes(wire.substring(cut2)));
        },
        Expectation.failFast(2, 1007));
  }

  // -----------------------------------------------------------------------------------------------
  // 7 Close handling

  private void closeHandling() {
    list.top("7 Close handling");
    list.sub("7.1", "Basic close behaviour");
    list.add(
        "7.1.1",
        "echo, then a close",
        "§7.1.2",
        "A text message; once it is echoed the client closes with 1000.",
        () -> List.of(Step.send(Frame.text("Hello World!"))),
        Expectation.echo(List.of(Expected.text("Hello World!"))).fatalOn(CloseVerdict.WRONG_CODE));
    closeThen("7.1.2", "close, then a second close", "a second, empty close frame", Frame.close());
    closeThen("7.1.3", "close, then a ping", "a ping", Frame.ping("Hello World!"));
    closeThen("7.1.4", "close, then a text frame", "a text frame", Frame.text("Hello World!"));
    list.add(
        "7.1.5",
        "close between two fragments of a message",
        "§7.1.2",
        "The first fragment of a text message, a close frame with 1000, then the last fragment:"
            + " nothing is echoed.",
        () ->
            List.of(
                Step.send(
                    Frame.text("fragment1").fin(false),
                    Frame.close(1000),
                    Frame.continuation("fragment2"))),
        Expectation.closeReply(List.of(), 1000).fatalOn(CloseVerdict.WRONG_CODE));
    ByteString large = filler(256 * 1024, true);
    list.add(
        "7.1.6",
        "large message, small message, close and ping back to back",
        "§7.1.2",
        "A 256 KiB text message, a small text message, a close frame with 1000 and a ping, in one"
            + " write: records which echoes the server sent before its close.",
        () ->
            List.of(
                Step.send(
                    Frame.text(large),
                    Frame.text("Hello World!"),
                    Frame.close(1000),
                    Frame.ping())),
        Expectation.informational());

    list.sub("7.3", "Close frame payload length");
    closeCase("7.3.1", "close with an empty payload", Frame.close(), Expectation.NO_CODE, 1000);
    closeCase(
        "7.3.2",
        "close with a 1-byte payload",
        Frame.closeWithPayload(ByteString.of((byte) 0x03)),
        1002);
    closeCase("7.3.3", "close with code 1000", Frame.close(1000), 1000);
    closeCase("7.3.4", "close with code and reason", Frame.close(1000, "Hello World!"), 1000);
    closeCase(
        "7.3.5",
        "close with a 123-byte reason (125-byte payload)",
        Frame.close(1000, "*".repeat(123)),
        1000);
    closeCase(
        "7.3.6",
        "close with a 124-byte reason (126-byte payload)",
        Frame.close(1000, "*".repeat(124)),
        1002);

    list.sub("7.5", "Close frame reason");
    ByteString badReason =
        new Buffer()
            .writeShort(1000)
            .write(KOSME)
            .write(ByteString.decodeHex("eda080"))
            .writeUtf8("edited")
            .readByteString();
    closeCase(
        "7.5.1", "close reason that is not UTF-8", Frame.closeWithPayload(badReason), 1002, 1007);

    list.sub("7.7", "Valid close codes");
    int[] valid = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999};
    for (int i = 0; i < valid.length; i++) {
      closeCase(
          "7.7." + (i + 1), "close with code " + valid[i], Frame.close(valid[i]), 1000, valid[i]);
    }

    list.sub("7.9", "Close codes not allowed on the wire");
    int[] invalid = {0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999};
    for (int i = 0; i < invalid.length; i++) {
      closeCase(
          "7.9." + (i + 1),
          "close with code " + invalid[i] + ", not allowed",
          Frame.close(invalid[i]),
          1002);
    }

    list.sub("7.13", "Close codes outside the defined ranges");
    int[] outside = {5000, 65535};
    for (int i = 0; i < outside.length; i++) {
      int code = outside[i];
      list.add(
          "7.13." + (i + 1),
          "close with code " + code,
          "§7.4.2",
          "A close frame with code " + code + ": records the server's answer.",
          () -> List.of(Step.send(Frame.close(code))),
          Expectation.informational());
    }
  }

  private void closeThen(String id, String title, String what, Frame after) {
    list.add(
        id,
        title,
        "§5.5.1",
        "A close frame with 1000 followed at once by " + what + ", which the server ignores.",
        () -> List.of(Step.send(Frame.close(1000), after)),
        Expectation.closeReply(List.of(), 1000).fatalOn(CloseVerdict.WRONG_CODE));
  }

  private void closeCase(String id, String title, Frame close, int... codes) {
    String codeText =
        java.util.Arrays.stream(codes)
            .mapToObj(c -> c == Expectation.NO_CODE ? "no code" : Integer.toString(c))
            .reduce((a, b) -> a + " or " + b)
            .orElse("");
    list.add(
        id,
        title,
        "§7.4",
        "A close frame: " + close.describe() + ". The server answers with " + codeText + ".",
        () -> List.of(Step.send(close)),
        Expectation.closeReply(List.of(), codes).fatalOn(CloseVerdict.WRONG_CODE));
  }

  // -----------------------------------------------------------------------------------------------
  // 9 Limits and performance

  private void limits() {
    list.top("9 Limits and performance");
    long[] sizes = {64 << 10, 256 << 10, 1 << 20, 4 << 20, 8 << 20, 16 << 20};
    int[] textTimeouts = {10, 10, 100, 100, 100, 100};
    int[] binaryTimeouts = {10, 10, 10, 10, 100, 100};
    for (int binary = 0; binary < 2; binary++) {
      boolean isText = binary == 0;
      String kind = isText ? "text" : "binary";
      list.sub(isText ? "9.1" : "9.2", (isText ? "Text" : "Binary") + " message, growing size");
      for (int i = 0; i < sizes.length; i++) {
        long size = sizes[i];
        list.add(
            list.section().id() + "." + (i + 1),
            kind + " message of " + size(size),
            "§10.4",
            "One " + kind + " frame of " + size(size) + "; the echo's length is checked.",
            () -> List.of(Step.send(streamed(isText, size))),
            Expectation.echo(List.of(Expected.messageOfLength(opcode(isText), size)))
                .within(Duration.ofSeconds(isText ? textTimeouts[i] : binaryTimeouts[i])));
      }
    }
    int[] fragmentSizes = {
      64, 256, 1 << 10, 4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20
    };
    for (int binary = 0; binary < 2; binary++) {
      boolean isText = binary == 0;
      String kind = isText ? "text" : "binary";
      list.sub(isText ? "9.3" : "9.4", "4 MiB " + kind + " message, growing fragments");
      for (int i = 0; i < fragmentSizes.length; i++) {
        int fragment = fragmentSizes[i];
        list.add(
            list.section().id() + "." + (i + 1),
            "4 MiB " + kind + " message in fragments of " + size(fragment),
            "§5.4",
            "A 4 MiB " + kind + " message in fragments of " + size(fragment) + ", one write.",
            () -> List.of(new Step.Send(fragmentsOf(isText, 4 << 20, fragment), Writes.oneWrite())),
            Expectation.echo(List.of(Expected.messageOfLength(opcode(isText), 4 << 20)))
                .within(Duration.ofSeconds(100)));
      }
    }
    int[] chops = {64, 128, 256, 512, 1024, 2048};
    for (int binary = 0; binary < 2; binary++) {
      boolean isText = binary == 0;
      String kind = isText ? "text" : "binary";
      list.sub(isText ? "9.5" : "9.6", "1 MiB " + kind + " frame, growing writes");
      for (int i = 0; i < chops.length; i++) {
        int chop = chops[i];
        list.add(
            list.section().id() + "." + (i + 1),
            "1 MiB " + kind + " frame in writes of " + chop + " bytes",
            "§5.2",
            "One 1 MiB " + kind + " frame written " + chop + " bytes at a time.",
            () -> List.of(Step.send(Writes.chunksOf(chop), streamed(isText, 1 << 20))),
            Expectation.echo(List.of(Expected.messageOfLength(opcode(isText), 1 << 20)))
                .within(Duration.ofSeconds(1000)));
      }
    }
    int[] roundTripSizes = {0, 16, 64, 256, 1024, 4096};
    int[] roundTripTimeouts = {60, 60, 60, 120, 240, 480};
    for (int binary = 0; binary < 2; binary++) {
      boolean isText = binary == 0;
      String kind = isText ? "text" : "binary";
      list.sub(isText ? "9.7" : "9.8", kind + " round trips, growing size");
      for (int i = 0; i < roundTripSizes.length; i++) {
        int size = roundTripSizes[i];
        list.add(
            list.section().id() + "." + (i + 1),
            "1000 " + kind + " round trips of " + size(size),
            "§10.4",
            "1000 "
                + kind
                + " messages of "
                + size(size)
                + ", each sent once the one before is"
                + " echoed.",
            () -> List.of(new Step.RoundTrips(1000, data(isText, filler(size, isText)))),
            Expectation.echo(
                    Collections.nCopies(1000, Expected.messageOfLength(opcode(isText), size)))
                .within(Duration.ofSeconds(roundTripTimeouts[i])));
      }
    }
  }

  // -----------------------------------------------------------------------------------------------
  // 10 Auto-fragmentation

  private void autoFragmentation() {
    list.top("10 Auto-fragmentation");
    list.sub("10.1", "Auto-fragmentation");
    ByteString payload = filler(65536, true);
    list.add(
        "10.1.1",
        "64 KiB text message in 1300-byte fragments",
        "§5.4",
        "A 65536-byte text message sent as 51 fragments of at most 1300 bytes; the server echoes"
            + " it as one message, however it fragments it.",
        () -> {
          List<ByteString> pieces = new ArrayList<>();
          for (int at = 0; at < payload.size(); at += 1300) {
            pieces.add(payload.substring(at, Math.min(payload.size(), at + 1300)));
          }
          return List.of(new Step.Send(fragments(pieces), Writes.oneWrite()));
        },
        Expectation.echo(List.of(Expected.text(payload))));
  }

  // -----------------------------------------------------------------------------------------------
  // Helpers

  /** Text payloads are '*' (valid UTF-8), binary ones 0xFE, as Autobahn's. */
  private static ByteString filler(int size, boolean text) {
    byte[] bytes = new byte[size];
    java.util.Arrays.fill(bytes, text ? (byte) '*' : (byte) 0xfe);
    return ByteString.of(bytes);
  }

  private static Frame data(boolean text, ByteString payload) {
    return text ? Frame.text(payload) : Frame.binary(payload);
  }

  private static Expected expected(boolean text, ByteString payload) {
    return text ? Expected.text(payload) : Expected.binary(payload);
  }

  private static int opcode(boolean text) {
    return text ? Opcode.TEXT.value() : Opcode.BINARY.value();
  }

  /** A frame of {@code size} filler bytes made as they are written, never held. */
  private static Frame streamed(boolean text, long size) {
    return Frame.filled(text ? Opcode.TEXT : Opcode.BINARY, size, text ? (byte) '*' : (byte) 0xfe);
  }

  /** One message of {@code total} bytes in fragments of {@code fragment}, sharing one payload. */
  private static List<Frame> fragmentsOf(boolean text, int total, int fragment) {
    ByteString piece = filler(fragment, text);
    List<Frame> frames = new ArrayList<>();
    for (int at = 0; at < total; at += fragment) {
      Frame frame = at == 0 ? data(text, piece) : Frame.continuation(piece);
      frames.add(frame.fin(at + fragment >= total));
    }
    return frames;
  }

  /** A text message whose fragments carry {@code pieces}. */
  private static List<Frame> fragments(List<ByteString> pieces) {
    List<Frame> frames = new ArrayList<>();
    for (int i = 0; i < pieces.size(); i++) {
      Frame frame = i == 0 ? Frame.text(pieces.get(i)) : Frame.continuation(pieces.get(i));
      frames.add(frame.fin(i == pieces.size() - 1));
    }
    return frames;
  }

  private static List<ByteString> oneBytePieces(ByteString bytes) {
    List<ByteString> pieces = new ArrayList<>();
    for (int i = 0; i < bytes.size(); i++) pieces.add(bytes.substring(i, i + 1));
    return pieces;
  }

  /** Each byte from {@code first} to {@code last}, each followed by {@code after} (hex). */
  private static String byteRange(int first, int last, String after) {
    StringBuilder hex = new StringBuilder();
    for (int b = first; b <= last; b++) hex.append(String.format("%02x", b)).append(after);
    return hex.toString();
  }

  /** The 3-byte form of a code point, surrogates included (which UTF-8 forbids). */
  private static String threeByteForm(int codePoint) {
    return String.format(
        "%02x%02x%02x",
        0xe0 | (codePoint >> 12), 0x80 | ((codePoint >> 6) & 0x3f), 0x80 | (codePoint & 0x3f));
  }

  private static String utf8Hex(int codePoint) {
    return ByteString.encodeUtf8(new String(Character.toChars(codePoint))).hex();
  }

  private static String size(long bytes) {
    if (bytes >= 1 << 20) return (bytes >> 20) + " MiB";
    if (bytes >= 1 << 10) return (bytes >> 10) + " KiB";
    return bytes + (bytes == 1 ? " byte" : " bytes");
  }
}
