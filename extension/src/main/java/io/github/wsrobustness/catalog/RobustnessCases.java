package io.github.wsrobustness.catalog;

import io.github.wsrobustness.frame.Frame;
import io.github.wsrobustness.frame.FrameWriter;
import io.github.wsrobustness.frame.LengthEncoding;
import io.github.wsrobustness.frame.Opcode;
import io.github.wsrobustness.http.HandshakeRequest;
import io.github.wsrobustness.http.HttpStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import okio.Buffer;
import okio.ByteString;

/**
 * The catalogue's own cases, beyond Autobahn|Testsuite's: what real servers failed in the wild and
 * Autobahn has no case for. Their ids are the project's own, {@code R<family>.<n>}, so that they
 * never collide with Autobahn's numeric sections. Each names the RFC 6455 clause it checks and, in
 * its description, the kind of bug it stands for.
 *
 * <ul>
 *   <li>R1 Unmasked client frames (§5.1: a server must fail the connection on a frame its client
 *       did not mask). Autobahn's client always masks, so no Autobahn case sends one; Node's {@code
 *       ws} without an {@code error} listener dies of it, Java-WebSocket 1.6 echoes it.
 *   <li>R2 Payload lengths (§5.2): length fields longer than needed, which a server may take or
 *       refuse; a 64-bit length with its top bit set (Tomcat, CVE-2020-13935); lengths no server
 *       can hold, declared with nothing behind them (sipgo, Java-WebSocket #1507), or cut by a
 *       32-bit counter; fragment lengths whose sum overflows (gorilla/websocket, CVE-2020-27813;
 *       aiohttp); a huge length on a reserved opcode (Jetty, CVE-2026-19204) or a control frame.
 *       The server fails the connection from the header, never echoes and never waits.
 *   <li>R3 Control frames (§5.5, §7.4): an oversized pong, a fragmented close, close code 1015, the
 *       registry's 1012–1014, close reasons cut or malformed in UTF-8, and what is legal: a
 *       four-byte UTF-8 reason, a pong between fragments.
 *   <li>R4 Fragmentation (§5.4): a data frame of the other type inside an open message, and
 *       fragment floods: thousands of one-byte fragments, a hundred thousand empty ones (Node
 *       {@code ws}, CVE-2026-62389; Netty, CVE-2014-0193). The server echoes or refuses with 1008
 *       or 1009; an internal error or a death fails.
 *   <li>R5 Endings without a close (§7.1.7): the client's FIN inside a header, a payload or a
 *       message, or after a message, and a TCP RST mid-frame, mid-message or right after a close
 *       (Undertow, CVE-2017-2670; Tomcat, CVE-2024-23672). The server ends the connection at once
 *       and serves a fresh client afterwards; and a client that never answers the server's close,
 *       while a fresh client must be served.
 *   <li>R6 Opening handshake (§4.2.1, §4.4; RFC 9112 for HTTP itself): requests a server must
 *       refuse (a missing, malformed or second key, a version it does not speak, not GET, not
 *       HTTP/1.1, no {@code Upgrade} or {@code Connection}, an oversized head, a NUL in the target,
 *       a missing, second or invalid {@code Host}), and requests a server may take but must answer
 *       in time: thousands of headers (Node {@code ws}, CVE-2024-37890), a protocol header padded
 *       with spaces (CVE-2021-32640), extension parameters made to backtrack (CVE-2020-7662) or
 *       named after {@code Object.prototype}; and a body on the upgrade, which a server must refuse
 *       or consume, not read as frames (Vert.x, CVE-2018-12541).
 *   <li>R7 Split delivery (§5.2 ties frames to no TCP segment): every frame case of Autobahn's
 *       sections 1–7 that Autobahn sends whole (fail-fast ones aside), again, each frame cut into
 *       pieces a millisecond apart after its first byte, inside and after its length and masking
 *       key, and mid-payload (inside a UTF-8 sequence, often). Id {@code R7.6.2.1} re-runs {@code
 *       6.2.1}, with its expectation: a server must judge the same bytes the same way however they
 *       arrive (tungstenite re-parsed its buffer on every read, CVE-2023-43669; aiohttp kept an
 *       object per read, CVE-2026-123817). A waiver of a case covers its re-run too.
 *   <li>R8 Bounded floods (§4.1, §5.5.3, §5.6): 300 connections opened at once, 500 held idle then
 *       reset, 150 request heads never finished and 50 dribbled a byte every 20 ms, while a fresh
 *       client must be served (websocketpp #789; Tomcat CVE-2021-42340); 10,000 pings, then a
 *       message, the last ping answered first (Tyrus #954); 10,000 unsolicited pongs, then a
 *       message (Undertow leaked a buffer per pong, CVE-2021-3690); 10,000 one-byte messages in one
 *       burst, each to be echoed (Quarkus buffered without back-pressure, CVE-2026-87742). The
 *       server answers or refuses with 1008 (policy), and keeps serving; the counts are bounded, so
 *       is the wait.
 *   <li>R9 Size limits at the edges (§7.4.1, §10.4): the server's message limit, set for the run or
 *       found by bisection (R9.1, informational), then messages of the limit − 1, the limit and the
 *       limit + 1 bytes, text and binary, whole and in two fragments: taken up to the limit, 1009
 *       above it (a limit that measures frames, not messages, lets the fragmented one through); a
 *       header that declares too much, refused before its payload comes; and a message 256 MiB past
 *       the limit, whose refusal must cost the server no more memory than the limit and the run's
 *       budget.
 *   <li>R10 Compression (RFC 7692): on a connection that agreed to permessage-deflate, a message of
 *       a few hundred KiB that inflates to 256 MiB past the limit, refused with 1009 at a cost of
 *       no more memory than the limit and the run's budget (Python websockets, CVE-2018-1000518;
 *       uws, CVE-2016-10544; Vert.x, CVE-2026-102467; Bandit), and one that inflates to the limit +
 *       1 (Autobahn|Python's own advisory, GHSA-hxp9-w8x3-p566); data that is no DEFLATE stream
 *       (1007 or 1002); RSV1 on a continuation or a ping (1002); a compressed message on a
 *       connection that agreed to nothing (1002; aiohttp inflated it, GHSA-mq44-7p77-q5h7); and
 *       offers a server must decline (§7): an unknown parameter, a parameter twice, window bits of
 *       7 and 16.
 * </ul>
 *
 * <p>Thread-safety: the list is immutable; scripts are made fresh for each run.
 */
public final class RobustnessCases {
  /**
   * Why every R1 case expects what it does. Unlike Autobahn's sections 1–6, a wrong close code
   * fails these cases: the issue is exactly whether the server sees the violation for what it is.
   */
  private static final String UNMASKED_WHY =
      " RFC 6455 §5.1: the server MUST close the connection on an unmasked client frame (1002); a"
          + " server must also not die of it, as Node's ws does without an error listener.";

  /** Filler of the limit cases: valid UTF-8 in a text message, as Autobahn's section 9 uses. */
  private static final byte TEXT_FILL = '*';

  private static final byte BINARY_FILL = (byte) 0xfe;

  private static final int TOO_BIG = 1009;

  private static final ByteString HELLO = ByteString.encodeUtf8("Hello, world!");

  /** Codes for a length no server can hold: too big (1009), or a protocol error (1002). */
  private static final int[] TOO_BIG_OR_PROTOCOL_ERROR = {1009, 1002};

  /**
   * How long a fragment flood may take, whatever the run's deadline: its many writes are slow on a
   * loaded machine, as Autobahn's limits cases are (section 9 sets its own timeouts too).
   */
  private static final java.time.Duration FLOOD_TIMEOUT = java.time.Duration.ofSeconds(10);

  private static final String FLOOD_WHY =
      " The server echoes the message, or refuses it with 1009 (too big) or 1008 (policy): a limit"
          + " on fragments is its right. An internal error (1011) or a death fails.";

  /**
   * Codes a server may put in a close frame when the client's side ended: RFC 6455 does not say, so
   * any that names a protocol error, a size, going away or an internal error passes.
   */
  private static final int[] AFTER_FIN = {1000, 1001, 1002, 1009, 1011};

  private static final List<CatalogueCase> ALL = build();

  private final CaseList list = new CaseList();

  private RobustnessCases() {}

  /** The prefix of a re-run's id: {@code R7.6.2.1} re-runs {@code 6.2.1}. */
  private static final String SPLIT_PREFIX = "R7.";

  /** Every case, family by family. */
  public static List<CatalogueCase> all() {
    return ALL;
  }

  private static List<CatalogueCase> build() {
    RobustnessCases b = new RobustnessCases();
    b.unmaskedFrames();
    b.lengths();
    b.controlFrames();
    b.fragmentation();
    b.endingsWithoutClose();
    b.openingHandshake();
    b.splitDelivery();
    b.floods();
    b.limitEdges();
    b.compression();
    return b.list.cases();
  }

  // -----------------------------------------------------------------------------------------------
  // R1 Unmasked client frames

  private void unmaskedFrames() {
    list.top("R1 Unmasked client frames");
    list.sub("R1", "Unmasked client frames");
    ByteString hello = ByteString.encodeUtf8("Hello, world!");
    unmasked(
        "R1.1", "unmasked text frame", "A short text frame without a mask.", Frame.text(hello));
    unmasked(
        "R1.2",
        "unmasked binary frame",
        "A short binary frame without a mask.",
        Frame.binary(hello));
    unmasked(
        "R1.3",
        "unmasked ping",
        "A ping without a mask: no pong is due, the connection fails.",
        Frame.ping(hello));
    unmasked("R1.4", "unmasked pong", "An unsolicited pong without a mask.", Frame.pong(hello));
    unmasked(
        "R1.5",
        "unmasked close frame",
        "A close frame (1000) without a mask: not a close to answer, but a frame to fail on.",
        Frame.close(1000, ""));
    list.add(
        "R1.6",
        "masked first fragment, then an unmasked continuation",
        "§5.1",
        "A masked text fragment (FIN clear), then the rest of the message as an unmasked"
            + " continuation: the message must not be delivered."
            + UNMASKED_WHY,
        () ->
            List.of(
                Step.send(
                    Writes.oneWrite(),
                    Frame.text(hello).fin(false),
                    Frame.continuation(hello).unmasked())),
        Expectation.fail(List.of(), 1002).fatalOn(CloseVerdict.WRONG_CODE));
    list.add(
        "R1.7",
        "masked first fragment, an unmasked ping, then the last fragment",
        "§5.1",
        "A masked text fragment (FIN clear), an unmasked ping between the fragments, then the masked"
            + " last fragment: no pong and no message are due."
            + UNMASKED_WHY,
        () ->
            List.of(
                Step.send(
                    Writes.oneWrite(),
                    Frame.text(hello).fin(false),
                    Frame.ping(hello).unmasked(),
                    Frame.continuation(hello))),
        Expectation.fail(List.of(), 1002).fatalOn(CloseVerdict.WRONG_CODE));
  }

  private void unmasked(String id, String title, String description, Frame frame) {
    list.add(
        id,
        title,
        "§5.1",
        description + UNMASKED_WHY,
        () -> List.of(Step.send(frame.unmasked())),
        Expectation.fail(List.of(), 1002).fatalOn(CloseVerdict.WRONG_CODE));
  }

  // -----------------------------------------------------------------------------------------------
  // R2 Payload lengths

  private void lengths() {
    list.top("R2 Payload lengths");
    list.sub("R2", "Payload lengths");
    String nonMinimal =
        " RFC 6455 §5.2 makes the sender use the shortest length field, but says nothing of the"
            + " receiver: a server may take the frame (echo) or fail the connection with 1002.";
    nonMinimalCase(
        "R2.1",
        "text frame, 13 bytes, length in a 16-bit field",
        "A text frame whose 13-byte length is written as 126 and a 16-bit length." + nonMinimal,
        Frame.text(HELLO).lengthEncoding(LengthEncoding.SIXTEEN_BIT),
        Expected.text(HELLO));
    nonMinimalCase(
        "R2.2",
        "text frame, 13 bytes, length in a 64-bit field",
        "A text frame whose 13-byte length is written as 127 and a 64-bit length." + nonMinimal,
        Frame.text(HELLO).lengthEncoding(LengthEncoding.SIXTY_FOUR_BIT),
        Expected.text(HELLO));
    ByteString bytes125 = pattern(125);
    nonMinimalCase(
        "R2.3",
        "binary frame, 125 bytes, length in a 16-bit field",
        "A binary frame of 125 bytes, the most the 7-bit field holds, with a 16-bit length field."
            + nonMinimal,
        Frame.binary(bytes125).lengthEncoding(LengthEncoding.SIXTEEN_BIT),
        Expected.binary(bytes125));
    ByteString bytes65535 = pattern(65535);
    nonMinimalCase(
        "R2.4",
        "binary frame, 65535 bytes, length in a 64-bit field",
        "A binary frame of 65535 bytes, the most the 16-bit field holds, with a 64-bit length"
            + " field."
            + nonMinimal,
        Frame.binary(bytes65535).lengthEncoding(LengthEncoding.SIXTY_FOUR_BIT),
        Expected.binary(bytes65535));
    nonMinimalCase(
        "R2.5",
        "empty text frame, length in a 64-bit field",
        "An empty text frame whose length 0 is written in a 64-bit field." + nonMinimal,
        Frame.text(ByteString.EMPTY).lengthEncoding(LengthEncoding.SIXTY_FOUR_BIT),
        Expected.text(ByteString.EMPTY));
    nonMinimalCase(
        "R2.6",
        "ping, 13 bytes, length in a 16-bit field",
        "A ping whose 13-byte length is written in a 16-bit field: its 7-bit field reads 126,"
            + " which a server checking control frames by that field alone takes for an oversized"
            + " ping."
            + nonMinimal,
        Frame.ping(HELLO).lengthEncoding(LengthEncoding.SIXTEEN_BIT),
        Expected.pong(HELLO));

    lyingLength(
        "R2.7",
        "64-bit length with its top bit set",
        "A text frame declaring 0x800000000000000D bytes (the top bit set, which §5.2 forbids),"
            + " followed by 13 bytes. Tomcat looped forever on it (CVE-2020-13935); a server"
            + " reading the length as a 32-bit number sees 13 and echoes.",
        Frame.text(HELLO).declaredLength(0x8000_0000_0000_000DL),
        1002,
        1009);
    lyingLength(
        "R2.8",
        "64-bit length of all ones",
        "A binary frame declaring 0xFFFFFFFFFFFFFFFF bytes (-1 read as signed), followed by 13"
            + " bytes.",
        Frame.binary(HELLO).declaredLength(-1L),
        1002,
        1009);
    lyingLength(
        "R2.9",
        "binary frame declaring 2^63 − 1 bytes, nothing after the header",
        "A binary frame header declaring 2^63 − 1 bytes, and no payload: a server must fail the"
            + " connection from the header. sipgo panicked allocating it; Java-WebSocket ran out"
            + " of memory on a header declaring 1 GiB (#1507). Binary, so that what follows (the"
            + " probe ping, read as payload) is judged by no UTF-8 check: a server that waits for"
            + " the payload is seen to wait.",
        Frame.binary(ByteString.EMPTY).declaredLength(Long.MAX_VALUE),
        TOO_BIG_OR_PROTOCOL_ERROR);
    lyingLength(
        "R2.10",
        "binary frame declaring 2^32 + 13 bytes, 13 follow",
        "A binary frame declaring 4,294,967,309 bytes, followed by 13: a server that keeps the"
            + " length in 32 bits reads 13 and echoes them.",
        Frame.binary(HELLO).declaredLength((1L << 32) + 13),
        TOO_BIG_OR_PROTOCOL_ERROR);
    list.add(
        "R2.11",
        "fragment lengths whose sum overflows 64 bits",
        "§5.4",
        "A binary fragment of 5 bytes (FIN clear), then a final continuation declaring 2^63 − 3"
            + " bytes: the message length overflows a signed 64-bit sum, which let gorilla/websocket"
            + " loop forever (CVE-2020-27813) and aiohttp pass its size limit. The server must fail"
            + " the connection.",
        () ->
            List.of(
                Step.send(
                    Frame.binary(ByteString.encodeUtf8("Hello")).fin(false),
                    Frame.continuation(HELLO).declaredLength(Long.MAX_VALUE - 2))),
        Expectation.fail(List.of(), TOO_BIG_OR_PROTOCOL_ERROR));
    lyingLength(
        "R2.12",
        "reserved opcode 0x3 declaring 2^62 bytes",
        "A frame with reserved opcode 0x3 declaring 2^62 bytes, nothing after the header: Jetty"
            + " allocated a buffer for such a frame before checking its opcode (CVE-2026-19204).",
        Frame.binary(ByteString.EMPTY).opcode(3).declaredLength(1L << 62),
        1002,
        1009);
    lyingLength(
        "R2.13",
        "ping declaring 2^63 − 1 bytes in a 64-bit field",
        "A ping header declaring 2^63 − 1 bytes: a control frame holds at most 125 (§5.5).",
        Frame.ping(ByteString.EMPTY).declaredLength(Long.MAX_VALUE),
        1002,
        1009);
    lyingLength(
        "R2.14",
        "close frame declaring 65535 bytes in a 16-bit field",
        "A close frame header declaring 65535 bytes, nothing after it: a control frame holds at"
            + " most 125 (§5.5), so the header alone is enough to fail.",
        Frame.close(1000).declaredLength(65535).lengthEncoding(LengthEncoding.SIXTEEN_BIT),
        1002,
        1009);
  }

  private void nonMinimalCase(
      String id, String title, String description, Frame frame, Expected echo) {
    list.add(
        id,
        title,
        "§5.2",
        description,
        () -> List.of(Step.send(frame)),
        Expectation.echoOrFail(List.of(echo), 1002).fatalOn(CloseVerdict.WRONG_CODE));
  }

  private void lyingLength(String id, String title, String description, Frame frame, int... codes) {
    list.add(
        id,
        title,
        "§5.2",
        description
            + " A conforming server fails the connection: it neither echoes nor waits, nor"
            + " allocates what the header declares (its memory is checked).",
        () -> List.of(Step.send(frame)),
        Expectation.fail(List.of(), codes).withinMemoryBudget());
  }

  /** {@code size} bytes of a repeating pattern, 0x00–0xFE. */
  private static ByteString pattern(int size) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) bytes[i] = (byte) (i % 255);
    return ByteString.of(bytes);
  }

  // -----------------------------------------------------------------------------------------------
  // R3 Control frames

  private void controlFrames() {
    list.top("R3 Control frames");
    list.sub("R3", "Control frames");
    ByteString bytes126 = pattern(126);
    controlFailure(
        "R3.1",
        "pong with a 126-byte payload",
        "§5.5",
        "An unsolicited pong of 126 bytes, one over the control-frame limit (§5.5). Autobahn"
            + " checks this for pings only; a server that discards pongs unread may not check them.",
        () -> List.of(Step.send(Frame.pong(bytes126))),
        1002,
        1009);
    controlFailure(
        "R3.2",
        "pong declaring 2^16 bytes in a 64-bit field, 13 follow",
        "§5.5",
        "A pong header declaring 65536 bytes in a 64-bit field, then 13 bytes: oversized from the"
            + " header on.",
        () -> List.of(Step.send(Frame.pong(HELLO).declaredLength(65536))),
        1002,
        1009);
    closeFailure(
        "R3.3",
        "fragmented close: a close frame with FIN clear",
        "§5.5",
        "A close frame (1000) with FIN clear: control frames must not be fragmented (§5.5). Not"
            + " a close to answer with 1000, but a frame to fail on.",
        Step.send(Frame.close(1000).fin(false)));
    closeFailure(
        "R3.4",
        "fragmented close: FIN clear, then a continuation",
        "§5.5",
        "A close frame (1000, reason \"bye\") with FIN clear, then a final continuation frame"
            + " with more reason: a server that reassembles control frames, or takes the first as"
            + " the close, is wrong either way.",
        Step.send(Frame.close(1000, "bye").fin(false), Frame.continuation(" for now")));
    closeFailure(
        "R3.5",
        "close code 1015",
        "§7.4.1",
        "A close frame with code 1015, which §7.4.1 reserves for a failed TLS handshake and forbids"
            + " on the wire. Autobahn checks 1004–1006 but not 1015.",
        Step.send(Frame.close(1015)));
    int[] registered = {1012, 1013, 1014};
    String[] names = {"Service Restart", "Try Again Later", "Bad Gateway"};
    for (int i = 0; i < registered.length; i++) {
      int code = registered[i];
      list.add(
          "R3." + (6 + i),
          "close code " + code + " (" + names[i] + ")",
          "§7.4.2",
          "A close frame with code "
              + code
              + " ("
              + names[i]
              + "), which IANA's registry assigns and RFC 6455 itself reserves for later use"
              + " (§7.4.2): a server may answer with it, or fail the connection with 1002.",
          () -> List.of(Step.send(Frame.close(code))),
          Expectation.closeReply(List.of(), code, 1002)
              .fatalOn(CloseVerdict.WRONG_CODE, CloseVerdict.UNCLEAN));
    }
    badReason(
        "R3.9",
        "close reason cut inside a UTF-8 sequence",
        "\"caf\" and the first byte of \"é\" (0xC3): a reason that ends inside a sequence."
            + " A validator that checks bytes as they come but not where they end accepts it.",
        ByteString.of((byte) 'c', (byte) 'a', (byte) 'f', (byte) 0xC3));
    badReason(
        "R3.10",
        "close reason with an overlong encoding",
        "0xC0 0xAF, an overlong two-byte form of \"/\", which UTF-8 forbids (RFC 3629).",
        ByteString.of((byte) 0xC0, (byte) 0xAF));
    badReason(
        "R3.11",
        "close reason with a code point above U+10FFFF",
        "0xF4 0x90 0x80 0x80, which would decode to U+110000, past the end of Unicode.",
        ByteString.of((byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80));
    badReason(
        "R3.12",
        "close reason of a lone continuation byte",
        "0x80 alone: a continuation byte with no lead byte.",
        ByteString.of((byte) 0x80));
    list.add(
        "R3.13",
        "close reason with four-byte UTF-8",
        "§5.5.1",
        "A close frame (1000) whose reason is \"bye \uD83D\uDC4B\", a four-byte UTF-8 sequence:"
            + " valid, so the server answers with 1000. A server that validates as if UTF-16"
            + " surrogates were involved, or counts characters, fails it.",
        () -> List.of(Step.send(Frame.close(1000, "bye \uD83D\uDC4B"))),
        Expectation.closeReply(List.of(), 1000)
            .fatalOn(CloseVerdict.WRONG_CODE, CloseVerdict.UNCLEAN, CloseVerdict.WRONG_ENDPOINT));
    list.add(
        "R3.14",
        "pong between the fragments of a message",
        "§5.4",
        "A text fragment (FIN clear), an unsolicited pong, then the final continuation: control"
            + " frames may come between fragments (§5.4), so the message is echoed whole."
            + " Autobahn checks this with a ping only.",
        () ->
            List.of(
                Step.send(
                    Frame.text("Hello, ").fin(false),
                    Frame.pong(HELLO),
                    Frame.continuation("world!"))),
        Expectation.echo(List.of(Expected.text("Hello, world!"))));
  }

  private void controlFailure(
      String id,
      String title,
      String rfc,
      String description,
      java.util.function.Supplier<List<Step>> script,
      int... codes) {
    list.add(
        id,
        title,
        rfc,
        description + " The server must fail the connection.",
        script,
        Expectation.fail(List.of(), codes));
  }

  /**
   * A close frame the server must fail on. A server that takes it for a close answers with 1000,
   * which looks like a failure with the wrong code: here, as in Autobahn's section 7, the code is
   * the verdict.
   */
  private void closeFailure(String id, String title, String rfc, String description, Step step) {
    list.add(
        id,
        title,
        rfc,
        description + " The server must fail the connection (1002).",
        () -> List.of(step),
        Expectation.fail(List.of(), 1002).fatalOn(CloseVerdict.WRONG_CODE));
  }

  private void badReason(String id, String title, String what, ByteString reason) {
    ByteString payload = new Buffer().writeShort(1000).write(reason).readByteString();
    list.add(
        id,
        title,
        "§5.5.1",
        "A close frame with code 1000 and a reason that is not UTF-8: "
            + what
            + " §5.5.1 requires the reason to be UTF-8; the server fails the connection with 1007"
            + " (1002 accepted, as Autobahn's 7.5.1 does).",
        () -> List.of(Step.send(Frame.closeWithPayload(payload))),
        Expectation.fail(List.of(), 1007, 1002).fatalOn(CloseVerdict.WRONG_CODE));
  }

  // -----------------------------------------------------------------------------------------------
  // R4 Fragmentation

  private void fragmentation() {
    list.top("R4 Fragmentation");
    list.sub("R4", "Fragmentation");
    mixedTypes(
        "R4.1",
        "binary frame inside an open text message",
        "A text fragment (FIN clear), then a final binary frame: a new data frame while a message"
            + " is open. Autobahn's 5.18 sends a second text frame; a server that compares the"
            + " opcode with the open message's takes this one as its continuation.",
        Frame.text("Hello, ").fin(false),
        Frame.binary(ByteString.encodeUtf8("world!")));
    mixedTypes(
        "R4.2",
        "text frame inside an open binary message",
        "A binary fragment (FIN clear), then a final text frame.",
        Frame.binary(ByteString.encodeUtf8("Hello, ")).fin(false),
        Frame.text("world!"));
    mixedTypes(
        "R4.3",
        "binary fragment inside an open text message, then its continuation",
        "A text fragment (FIN clear), a binary fragment (FIN clear), then a final continuation.",
        Frame.text("Hello").fin(false),
        Frame.binary(ByteString.encodeUtf8(", ")).fin(false),
        Frame.continuation("world!"));
    int oneByte = 4096;
    list.add(
        "R4.4",
        "a 4 KiB text message in 4,096 one-byte fragments",
        "§5.4",
        "A text message of 4,096 bytes sent as 4,096 fragments of one byte each, in writes of 64"
            + " KiB. Node's ws kept one object per fragment until 8.21.1 (CVE-2026-62389); Netty"
            + " grew without bound on endless continuations (CVE-2014-0193)."
            + FLOOD_WHY,
        () -> List.of(new Step.Send(oneByteFragments(oneByte), Writes.chunksOf(64 * 1024))),
        Expectation.echoOrFail(List.of(Expected.text(ascii(oneByte))), 1008, 1009)
            .fatalOn(CloseVerdict.WRONG_CODE)
            .within(FLOOD_TIMEOUT)
            .withinMemoryBudget());
    int empty = 100_000;
    list.add(
        "R4.5",
        "100,000 empty fragments, then the end of the message",
        "§5.4",
        "A text fragment \"Hello\" (FIN clear), 100,000 empty continuations (FIN clear), then a"
            + " final empty continuation: 600 KB on the wire for a 5-byte message, the"
            + " per-fragment overhead attack."
            + FLOOD_WHY,
        () -> List.of(new Step.Send(emptyFragments(empty), Writes.chunksOf(64 * 1024))),
        Expectation.echoOrFail(List.of(Expected.text("Hello")), 1008, 1009)
            .fatalOn(CloseVerdict.WRONG_CODE)
            .within(FLOOD_TIMEOUT)
            .withinMemoryBudget());
  }

  private void mixedTypes(String id, String title, String description, Frame... frames) {
    list.add(
        id,
        title,
        "§5.4",
        description
            + " §5.4: a message's fragments after the first are continuations; the server must fail"
            + " the connection (1002).",
        () -> List.of(Step.send(frames)),
        Expectation.fail(List.of(), 1002));
  }

  private static List<Frame> oneByteFragments(int count) {
    List<Frame> frames = new ArrayList<>(count);
    frames.add(Frame.text("a").fin(false));
    for (int i = 1; i < count; i++) frames.add(Frame.continuation(letter(i)).fin(i == count - 1));
    return frames;
  }

  private static String ascii(int count) {
    StringBuilder text = new StringBuilder(count);
    for (int i = 0; i < count; i++) text.append(letter(i));
    return text.toString();
  }

  private static List<Frame> emptyFragments(int count) {
    List<Frame> frames = new ArrayList<>(count + 2);
    frames.add(Frame.text("Hello").fin(false));
    Frame empty = Frame.continuation("").fin(false);
    for (int i = 0; i < count; i++) frames.add(empty);
    frames.add(Frame.continuation(""));
    return frames;
  }

  // -----------------------------------------------------------------------------------------------
  // R5 Endings without a close

  private void endingsWithoutClose() {
    list.top("R5 Endings without a close");
    list.sub("R5", "Endings without a close");
    afterFin(
        "R5.1",
        "FIN inside the 64-bit length field",
        "The first 6 bytes of a text frame header, cut inside its 64-bit length field, then the"
            + " client's FIN.",
        List.of(
            new Step.SendBytes(
                ByteString.of((byte) 0x81, (byte) 0xFF, (byte) 0, (byte) 0, (byte) 0, (byte) 0))));
    afterFin(
        "R5.2",
        "FIN inside the masking key",
        "A text frame header declaring 13 bytes, cut after 2 bytes of its masking key, then the"
            + " client's FIN.",
        List.of(
            new Step.SendBytes(ByteString.of((byte) 0x81, (byte) 0x8D, (byte) 0x37, (byte) 0xFA))));
    afterFin(
        "R5.3",
        "FIN after a header without its payload",
        "A whole text frame header declaring 13 bytes (masking key included), no payload, then"
            + " the client's FIN.",
        List.of(
            new Step.SendBytes(
                ByteString.of(
                    (byte) 0x81,
                    (byte) 0x8D,
                    (byte) 0x37,
                    (byte) 0xFA,
                    (byte) 0x21,
                    (byte) 0x3D))));
    afterFin(
        "R5.4",
        "FIN inside a payload",
        "A text frame declaring 1,000 bytes, 13 of them sent, then the client's FIN.",
        List.of(Step.send(Frame.text(HELLO).declaredLength(1000))));
    afterFin(
        "R5.5",
        "FIN inside a payload declared as 1 GiB",
        "A binary frame declaring 1 GiB, 13 bytes of it sent, a pause (the run's midFrameGrace),"
            + " then the client's FIN. A server may fail the connection on the header already: any"
            + " failure passes. One that allocates the declared size first (Java-WebSocket"
            + " #1507) grows by a GiB, which the memory check fails.",
        // The grace lets the server read the header before the FIN comes with it, so that a server
        // that allocates what a header declares does so: the memory check sees it.
        List.of(Step.send(Frame.binary(HELLO).declaredLength(1L << 30)), new Step.AwaitEnd()),
        true);
    afterFin(
        "R5.6",
        "FIN inside a fragmented message",
        "A text fragment (FIN clear), the message never finished, then the client's FIN.",
        List.of(Step.send(Frame.text(HELLO).fin(false))));
    list.add(
        "R5.7",
        "FIN after a message, without a close frame",
        "§7.1.7",
        "A text message, and once it is echoed the client's FIN without a close frame: the server"
            + " echoes, then ends the connection (a close frame or the end of TCP). Undertow spun"
            + " forever on every I/O thread after such an end (CVE-2017-2670).",
        () -> List.of(Step.send(Frame.text(HELLO)), Step.sync(), new Step.HalfClose()),
        Expectation.fail(List.of(Expected.text(HELLO)), AFTER_FIN));
    afterFin(
        "R5.8",
        "FIN right after the opening handshake",
        "No frame at all: the client's FIN right after the opening handshake.",
        List.of());
    reset(
        "R5.9",
        "RST inside a payload",
        "A text frame declaring 1,000 bytes, 13 of them sent, then a TCP RST.",
        Step.send(Frame.text(HELLO).declaredLength(1000)));
    reset(
        "R5.10",
        "RST inside a fragmented message",
        "A text fragment (FIN clear), then a TCP RST.",
        Step.send(Frame.text(HELLO).fin(false)));
    reset(
        "R5.11",
        "RST right after a close frame",
        "A close frame (1000) and at once a TCP RST, before the server's reply can arrive: the"
            + " server's reply then meets a reset socket.",
        Step.send(Frame.close(1000)));
    closeNeverAnswered();
  }

  private void afterFin(String id, String title, String description, List<Step> before) {
    afterFin(id, title, description, before, false);
  }

  /** {@code checksMemory}: a length the server must not allocate, so its memory is checked. */
  private void afterFin(
      String id, String title, String description, List<Step> before, boolean checksMemory) {
    Expectation fail = Expectation.fail(List.of(), AFTER_FIN);
    List<Step> script = new ArrayList<>(before);
    script.add(new Step.HalfClose());
    List<Step> steps = List.copyOf(script);
    list.add(
        id,
        title,
        "§7.1.7",
        description
            + " The rest can never come, so the server ends the connection (a close frame or the end"
            + " of TCP) instead of waiting for it.",
        () -> steps,
        checksMemory ? fail.withinMemoryBudget() : fail);
  }

  /** R5.12: the server's close is never answered. */
  private void closeNeverAnswered() {
    list.add(
        "R5.12",
        "the server's close is never answered",
        "§7.1.1",
        "A text frame with RSV1 set, which the server fails with 1002; the client never answers"
            + " the server's close and keeps its side of TCP open until the case ends, while a"
            + " fresh client must complete a handshake and a ping round trip. A server may wait for"
            + " the reply a while (§7.1.1) but not at the cost of its other clients: a server that"
            + " waits on the reply with a thread it needs elsewhere stops serving.",
        () ->
            List.of(
                new Step.WithholdCloseReply(),
                Step.send(Frame.text(HELLO).rsv1()),
                new Step.AwaitEnd(),
                new Step.CheckFreshClient()),
        Expectation.fail(List.of(), 1002));
  }

  private void reset(String id, String title, String description, Step before) {
    list.add(
        id,
        title,
        "§7.1.7",
        description
            + " Nothing is due on the connection; the server lives on and serves a fresh client"
            + " (Tomcat kept such connections until CVE-2024-23672).",
        () -> List.of(before, new Step.Reset()),
        Expectation.survive());
  }

  // -----------------------------------------------------------------------------------------------
  // R6 Opening handshake

  private void openingHandshake() {
    list.top("R6 Opening handshake");
    list.sub("R6", "Opening handshake");
    refused(
        "R6.1",
        "no Sec-WebSocket-Key",
        "§4.2.1",
        "The client's request without its Sec-WebSocket-Key header (§4.2.1 item 5).",
        r -> r.without("Sec-WebSocket-Key"));
    refused(
        "R6.2",
        "Sec-WebSocket-Key that is not base64",
        "§4.2.1",
        "A Sec-WebSocket-Key of \"not-base64!\": §4.2.1 item 5 asks for 16 bytes in base64.",
        r -> r.key("not-base64!"));
    refused(
        "R6.3",
        "Sec-WebSocket-Key of 4 bytes",
        "§4.2.1",
        "A Sec-WebSocket-Key of \"AQIDBA==\", base64 of 4 bytes where §4.2.1 asks for 16.",
        r -> r.key("AQIDBA=="));
    refused(
        "R6.4",
        "two Sec-WebSocket-Key headers",
        "§11.3.1",
        "Two Sec-WebSocket-Key headers, each valid: §11.3.1 says the header must not appear more"
            + " than once, and the two together are no 16-byte key.",
        r ->
            r.key("dGhlIHNhbXBsZSBub25jZQ==")
                .header("Sec-WebSocket-Key", "AAECAwQFBgcICQoLDA0ODw=="));
    list.add(
        "R6.5",
        "Sec-WebSocket-Version 99",
        "§4.4",
        "Sec-WebSocket-Version: 99, a version no server speaks. §4.4: the server refuses (426"
            + " Upgrade Required, say) and lists the versions it speaks in Sec-WebSocket-Version,"
            + " 13 among them; a list such as \"13, 8\" is read token by token.",
        handshake(r -> r.version("99"), "Sec-WebSocket-Version: 99"),
        Expectation.refused().withHeaderToken("Sec-WebSocket-Version", "13"));
    refused(
        "R6.6",
        "no Sec-WebSocket-Version",
        "§4.2.1",
        "The client's request without Sec-WebSocket-Version (§4.2.1 item 6).",
        r -> r.without("Sec-WebSocket-Version"));
    refused(
        "R6.7",
        "method POST",
        "§4.1",
        "The request with method POST: §4.1 says the method must be GET.",
        r -> r.method("POST"));
    list.add(
        "R6.8",
        "HTTP/1.0",
        "§4.1",
        "The request line ends in HTTP/1.0: §4.1 asks for HTTP/1.1 at least. 505 (HTTP Version"
            + " Not Supported) is an answer as good as a 4xx.",
        handshake(r -> r.httpVersion("HTTP/1.0"), "HTTP/1.0 in the request line"),
        Expectation.refused(HttpStatus.clientError(), HttpStatus.of(505)));
    refusedAnyway(
        "R6.9",
        "no Upgrade header",
        "The client's request without Upgrade: websocket, a plain GET to the server (§4.2.1 item"
            + " 3). Any answer but 101 is right, a page or a 404 included.",
        r -> r.without("Upgrade"));
    refusedAnyway(
        "R6.10",
        "no Connection header",
        "The client's request without Connection: Upgrade (§4.2.1 item 4). Any answer but 101.",
        r -> r.without("Connection"));
    refusedAnyway(
        "R6.11",
        "version 8 without Upgrade and Connection",
        "Sec-WebSocket-Version: 8 and neither Upgrade nor Connection: Netty's lax handshaker for"
            + " the drafts switched protocols on such a request, which a proxy does not see as an"
            + " upgrade (CVE-2026-59898). Any answer but 101.",
        r -> r.version("8").without("Upgrade").without("Connection"));
    answered(
        "R6.12",
        "a header line of 64 KiB",
        "One header of 65,536 bytes: tungstenite re-parsed a growing head on every read, minutes of"
            + " CPU for one request (CVE-2023-43669). 431 (Request Header Fields Too Large) is the"
            + " usual answer; RFC 6455 sets no limit, so an upgrade passes too.",
        r -> r.header("X-Padding", "a".repeat(64 * 1024)));
    answered(
        "R6.13",
        "3,000 header lines",
        "3,000 header lines (X-Many: v), 33 KB: past most servers' count or size of headers. 431 is"
            + " the usual answer; RFC 6455 sets no limit, so an upgrade passes too.",
        r -> r.repeatedHeader("X-Many", "v", 3000));
    refused(
        "R6.14",
        "NUL in the request target",
        "§4.1",
        "A request target of \"/\\0\" (a NUL byte): not a valid target (RFC 9112 §3.2). uWebSockets"
            + " crashed on it (#867).",
        r -> r.target("/\0"));
    refused(
        "R6.15",
        "Host that is not host[:port]",
        "§4.1",
        "Host: \"not a host:99999\". RFC 9112 §3.2 says a server must answer a Host with an"
            + " invalid value with 400; websocket-driver crashed on it (CVE-2026-61666).",
        r -> r.with("Host", "not a host:99999"));
    refused(
        "R6.16",
        "two Host headers",
        "§4.1",
        "Two Host headers: RFC 9112 §3.2 says a server must answer them with 400.",
        r -> r.header("Host", "example.com"));
    refused(
        "R6.17",
        "no Host header",
        "§4.1",
        "No Host header: §4.1 requires one, and RFC 9112 §3.2 says a server must answer its"
            + " absence with 400.",
        r -> r.without("Host"));
    answered(
        "R6.18",
        "2,001 empty headers before Host",
        "2,001 header lines \"a:\" first, the rest of the request after them: Node drops headers"
            + " past 2,000, and ws, finding no Upgrade header, crashed the process (CVE-2024-37890).",
        r -> r.repeatedHeader("a", "", 2001));
    answered(
        "R6.19",
        "Sec-WebSocket-Protocol padded with 3,000 spaces",
        "Sec-WebSocket-Protocol: \"b\", 3,000 spaces, then \"x\": ws split it with a backtracking"
            + " regular expression, seconds of CPU per request (CVE-2021-32640).",
        r -> r.with("Sec-WebSocket-Protocol", "b" + " ".repeat(3000) + "x"));
    answered(
        "R6.20",
        "Sec-WebSocket-Extensions with an unclosed quoted parameter",
        "Sec-WebSocket-Extensions: a; b=\"\\c\\c… (5,000 backslash pairs, never closed):"
            + " websocket-extensions took quadratic time on it (CVE-2020-7662).",
        r -> r.with("Sec-WebSocket-Extensions", "a; b=\"" + "\\c".repeat(5000)));
    answered(
        "R6.21",
        "Sec-WebSocket-Extensions named after Object.prototype",
        "Sec-WebSocket-Extensions: constructor; toString=1, __proto__; hasOwnProperty: ws crashed"
            + " on extension and parameter names that are keys of Object.prototype (3.3.1).",
        r ->
            r.with(
                "Sec-WebSocket-Extensions", "constructor; toString=1, __proto__; hasOwnProperty"));
    UnaryOperator<HandshakeRequest> withBody = r -> r.body("a=1");
    list.add(
        "R6.22",
        "a body on the upgrade request",
        "§4.2.1",
        "The opening handshake with a body of 3 bytes (\"a=1\", Content-Length: 3). A GET's body"
            + " means nothing to a WebSocket server, but it is HTTP: the server refuses the"
            + " request, or upgrades and consumes the body first, so that a ping sent after the"
            + " upgrade gets its pong. A server that reads the body as WebSocket frames (0x61 is a"
            + " frame with RSV bits) fails the connection instead; Vert.x buffered such bodies"
            + " whole before the handshake (CVE-2018-12541).",
        () -> List.of(new Step.Upgrade("with a 3-byte body", withBody), Step.sync()),
        Expectation.answered());
  }

  private static java.util.function.Supplier<List<Step>> handshake(
      UnaryOperator<HandshakeRequest> edit, String description) {
    return () -> List.of(new Step.Upgrade(description, edit));
  }

  private void refused(
      String id,
      String title,
      String rfc,
      String description,
      UnaryOperator<HandshakeRequest> edit) {
    list.add(
        id,
        title,
        rfc,
        description
            + " The server refuses the handshake with a 4xx (§4.2.1: \"an appropriate error code"
            + " (such as 400 Bad Request)\"); another refusal, or dropping the connection, is"
            + " NON-STRICT; a 101 fails.",
        handshake(edit, title),
        Expectation.refused());
  }

  private void refusedAnyway(
      String id, String title, String description, UnaryOperator<HandshakeRequest> edit) {
    list.add(
        id,
        title,
        "§4.2.1",
        description + " Dropping the connection is NON-STRICT; a 101 fails.",
        handshake(edit, title),
        Expectation.refused(
            HttpStatus.success(),
            HttpStatus.redirection(),
            HttpStatus.clientError(),
            HttpStatus.serverError()));
  }

  private void answered(
      String id, String title, String description, UnaryOperator<HandshakeRequest> edit) {
    list.add(
        id,
        title,
        "§4.2.1",
        description
            + " The server may take the request or refuse it, but answers within the deadline and"
            + " lives on.",
        handshake(edit, title),
        Expectation.answered());
  }

  /**
   * The id of the Autobahn case that the R7 case {@code id} re-runs split ({@code 6.2.1} for {@code
   * R7.6.2.1}), or null for any other id: a waiver of that case covers its re-run.
   */
  public static String splitOriginal(String id) {
    return id.startsWith(SPLIT_PREFIX) ? id.substring(SPLIT_PREFIX.length()) : null;
  }

  // -----------------------------------------------------------------------------------------------
  // R7 Split delivery

  private void splitDelivery() {
    list.top("R7 Split delivery");
    list.sub("R7", "Split delivery");
    for (CatalogueCase original : AutobahnCases.all()) {
      String top = original.section().topId();
      if (top.length() != 1 || top.charAt(0) < '1' || top.charAt(0) > '7') continue;
      // A fail-fast case is judged by when the failure comes, a moment pieces 1 ms apart move: a
      // re-run would judge the pauses, not the server (6.4.1 and 6.4.2; 6.4.3 and 6.4.4 send raw
      // bytes and are left out anyway).
      if (original.expectation().kind() == Expectation.Kind.FAIL_FAST) continue;
      List<Step> steps = original.script();
      if (!sentWholeFramesOnly(steps)) continue;
      String rfc = original.rfc().replaceFirst("^RFC 6455 ", "");
      list.add(
          SPLIT_PREFIX + original.id(),
          original.title() + ", split",
          rfc,
          "Autobahn's "
              + original.id()
              + " ("
              + original.title()
              + "), each frame cut after its first byte, inside and after its length and masking"
              + " key, and mid-payload, the pieces 1 ms apart. The verdict must be the one of"
              + " whole delivery: RFC 6455 §5.2 ties a frame to no TCP segment.",
          () -> split(original.script()),
          original.expectation());
    }
  }

  /** Whether every step sends whole frames (not raw bytes, not already cut, no timer). */
  private static boolean sentWholeFramesOnly(List<Step> steps) {
    for (Step step : steps) {
      if (step instanceof Step.Send send) {
        Writes.Kind kind = send.writes().kind();
        if (kind != Writes.Kind.ONE_WRITE && kind != Writes.Kind.EACH_FRAME) return false;
      } else if (!(step instanceof Step.Sync)) {
        return false;
      }
    }
    return true;
  }

  private static List<Step> split(List<Step> steps) {
    List<Step> cut = new ArrayList<>(steps.size());
    for (Step step : steps) {
      cut.add(
          step instanceof Step.Send send
              ? new Step.Send(send.frames(), Writes.atBoundaries())
              : step);
    }
    return cut;
  }

  // -----------------------------------------------------------------------------------------------
  // R8 Bounded floods

  private void floods() {
    list.top("R8 Bounded floods");
    list.sub("R8", "Bounded floods");
    int pongs = 10_000;
    ByteString pongPayload = pattern(125);
    list.add(
        "R8.1",
        "10,000 unsolicited pongs, then a message",
        "§5.5.3",
        "10,000 unsolicited pongs of 125 bytes (1.3 MB, in writes of 64 KiB), then a text message."
            + " A pong needs no answer (§5.5.3); the server takes them and echoes the message, or"
            + " refuses the flood with 1008. Undertow leaked a buffer per pong until its pool ran"
            + " dry (CVE-2021-3690).",
        () -> {
          List<Frame> frames = new ArrayList<>(pongs + 1);
          Frame pong = Frame.pong(pongPayload);
          for (int i = 0; i < pongs; i++) frames.add(pong);
          frames.add(Frame.text(HELLO));
          return List.of(new Step.Send(frames, Writes.chunksOf(64 * 1024)));
        },
        Expectation.echoOrFail(List.of(Expected.text(HELLO)), 1008)
            .fatalOn(CloseVerdict.WRONG_CODE)
            .within(FLOOD_TIMEOUT)
            .withinMemoryBudget());
    int messages = 10_000;
    List<Expected> echoes = new ArrayList<>(messages);
    for (int i = 0; i < messages; i++) echoes.add(Expected.text(letter(i)));
    list.add(
        "R8.2",
        "10,000 one-byte text messages in one burst",
        "§5.6",
        "10,000 text messages of one letter each (70 KB, in writes of 64 KiB), sent without"
            + " waiting: the server echoes each, in order, reading as fast as it can write (or"
            + " refuses the burst with 1008). A server that buffers without back-pressure grows with"
            + " the burst (Quarkus, CVE-2026-87742).",
        () -> {
          List<Frame> frames = new ArrayList<>(messages);
          for (int i = 0; i < messages; i++) frames.add(Frame.text(letter(i)));
          return List.of(new Step.Send(frames, Writes.chunksOf(64 * 1024)));
        },
        Expectation.echoOrFail(echoes, 1008)
            .fatalOn(CloseVerdict.WRONG_CODE)
            .within(FLOOD_TIMEOUT)
            .withinMemoryBudget());
    int pings = 10_000;
    list.add(
        "R8.5",
        "10,000 pings, then a message",
        "§5.5.3",
        "10,000 pings, each with its number, sent without waiting (290 KB, in writes of 64 KiB),"
            + " then a text message. The pongs answer pings in the order sent; a server may answer"
            + " only the latest of the pings it has not answered yet, but the last ping is"
            + " answered before the message is echoed. Or the server refuses the flood with 1008."
            + " Tyrus answers pings where an application can neither see nor limit them (#954).",
        () -> List.of(new Step.Pings(pings), Step.send(Writes.oneWrite(), Frame.text(HELLO))),
        Expectation.echoOrFail(List.of(Expected.text(HELLO)), 1008)
            .fatalOn(CloseVerdict.WRONG_CODE)
            .within(FLOOD_TIMEOUT)
            .withinMemoryBudget());
    connectionFlood(
        "R8.3",
        "300 connections opened at once",
        300,
        false,
        "300 more connections, each an opening handshake, sent at once (32 at a time), held idle,"
            + " then each ended with a FIN. websocketpp's connection slots ran out this way"
            + " (#789); a server with a fixed pool of workers stops serving.");
    connectionFlood(
        "R8.4",
        "500 idle connections, then each reset",
        500,
        true,
        "500 more connections, upgraded and then silent, held idle, then each reset (TCP RST) at"
            + " once: the server must let every one go. Tomcat kept an object per upgrade after"
            + " such churn (CVE-2021-42340).");
    unfinishedHeads();
    dribbledHeads();
  }

  // -----------------------------------------------------------------------------------------------
  // R9 Size limits at the edges

  private void limitEdges() {
    list.top("R9 Size limits at the edges");
    list.sub("R9", "Size limits at the edges");
    list.addLimitReport(
        "R9.1",
        "the server's message limit",
        "§10.4",
        "The largest message the server takes, which the other R9 cases are sized by: the run's"
            + " setting wsrobustness.catalogue.messageLimit, or without one, found by bisection:"
            + " binary messages on fresh connections, doubled from 64 KiB until one is refused (up"
            + " to 128 MiB), then halved in between to the byte. RFC 6455 §10.4 leaves the limit to"
            + " the server: this case only reports it.");
    int n = 2;
    for (boolean text : new boolean[] {false, true}) {
      for (boolean fragmented : new boolean[] {false, true}) {
        for (int delta = -1; delta <= 1; delta++) edge("R9." + n++, text, fragmented, delta);
      }
    }
    declaredOversize("R9.14", false);
    declaredOversize("R9.15", true);
    int fragment = 64 * 1024;
    list.addAtLimit(
        "R9.16",
        "a message 256 MiB past the limit, in 64 KiB fragments",
        "§10.4",
        "A binary message of the limit + 256 MiB, in fragments of 64 KiB, one write. The server"
            + " fails the connection with 1009 once the message passes its"
            + " limit, and its memory grows by no more than the limit and the run's budget: the 256"
            + " MiB past the limit are four default budgets, so a server that buffers before it"
            + " checks (Quarkus, CVE-2026-87742; Netty's aggregator before 4.1.44) or never"
            + " checks at all holds them for all to see.",
        limit -> "At this server's limit: " + bytes(limit + (256L << 20)) + ".",
        limit ->
            () -> {
              long total = limit + (256L << 20);
              // 64 KiB whatever the limit: a list of frames the limit's size would be unbounded.
              int size = fragment;
              ByteString piece = ByteString.of(filled(size, BINARY_FILL));
              List<Frame> frames = new ArrayList<>();
              for (long at = 0; at < total; at += size) {
                int length = (int) Math.min(size, total - at);
                ByteString payload = length == size ? piece : piece.substring(0, length);
                Frame frame = at == 0 ? Frame.binary(payload) : Frame.continuation(payload);
                frames.add(frame.fin(at + length >= total));
              }
              return List.of(new Step.Send(frames, Writes.oneWrite()));
            },
        limit -> tooBig(limit + (256L << 20)).withinMemoryBudgetPlus(limit),
        false);
  }

  private static byte[] filled(int size, byte fill) {
    byte[] bytes = new byte[size];
    java.util.Arrays.fill(bytes, fill);
    return bytes;
  }

  /** A message {@code delta} bytes off the limit: taken at or below it, 1009 above it. */
  private void edge(String id, boolean text, boolean fragmented, int delta) {
    String kind = text ? "text" : "binary";
    String at = delta < 0 ? "limit \u2212 1" : delta == 0 ? "limit" : "limit + 1";
    String how = fragmented ? " in two fragments" : " in one frame";
    String expected =
        delta <= 0
            ? " The server echoes it: its limit is the largest message it takes."
            : " The server fails the connection with 1009 (message too big, §7.4.1), not with"
                + " another code, and echoes nothing. Tomcat sized its buffer, not the message"
                + " (CVE-2020-13935's family); Jetty and ws once checked frames, not messages.";
    int opcode = text ? Opcode.TEXT.value() : Opcode.BINARY.value();
    list.addAtLimit(
        id,
        kind + " message of " + at + " bytes," + how,
        delta <= 0 ? "§10.4" : "§7.4.1",
        "A " + kind + " message of " + at + " bytes," + how + "." + expected,
        limit -> "At this server's limit: " + bytes(limit + delta) + ".",
        limit ->
            () ->
                List.of(new Step.Send(message(text, limit + delta, fragmented), Writes.oneWrite())),
        limit ->
            delta <= 0
                ? Expectation.echo(List.of(Expected.messageOfLength(opcode, limit + delta)))
                    .within(sizedTimeout(limit + delta))
                : tooBig(limit + delta),
        text);
  }

  /**
   * A frame header declaring the limit + 1 (of the message, for the second fragment), a pause, then
   * the payload: the server refuses from the header (OK) or only once the payload came
   * (NON-STRICT).
   */
  private void declaredOversize(String id, boolean fragmented) {
    String what =
        fragmented
            ? "A binary message in two fragments: the first of half the limit, whole, and a probe"
                + " ping whose pong shows it was read (§5.4 lets a control frame come between"
                + " fragments); then the header of the second, declaring the rest of limit + 1"
                + " bytes"
            : "The header of a binary frame declaring limit + 1 bytes";
    list.addAtLimit(
        id,
        fragmented
            ? "second fragment's header takes the message past the limit"
            : "frame header declares limit + 1 bytes",
        "§7.4.1",
        what
            + ", then a pause (the run's midFrameGrace), then its payload. The header alone says the"
            + " message is too big: a server that refuses then, with 1009, is OK; one that reads"
            + " the payload first is NON-STRICT, and one that takes it fails. A server that"
            + " buffers before it checks holds what a client chooses to send (Quarkus, Netty's"
            + " aggregator before 4.1.44).",
        limit -> "At this server's limit: " + bytes(limit + 1) + " declared.",
        limit ->
            () -> {
              long first = fragmented ? (limit + 1) / 2 : 0;
              long rest = limit + 1 - first;
              Frame header =
                  (fragmented
                          ? Frame.continuation(ByteString.EMPTY)
                          : Frame.binary(ByteString.EMPTY))
                      .declaredLength(rest)
                      .maskKey(new byte[4]);
              List<Step> steps = new ArrayList<>();
              if (fragmented) {
                steps.add(Step.send(Frame.filled(Opcode.BINARY, first, BINARY_FILL).fin(false)));
                // The pong shows the first fragment was read: the grace after the header is then
                // the server's time for the header alone, not for megabytes still queued.
                steps.add(Step.sync());
              }
              steps.add(
                  new Step.SendBytes(
                      new FrameWriter(new java.util.Random()).encode(header).readByteString()));
              steps.add(new Step.AwaitEnd());
              steps.add(new Step.SendFiller(rest, BINARY_FILL));
              return steps;
            },
        limit ->
            Expectation.failFast(fragmented ? 2 : 0, TOO_BIG)
                .fatalOn(CloseVerdict.WRONG_CODE)
                .within(sizedTimeout(limit + 1)),
        false);
  }

  /** One message of {@code size} filler bytes, whole or in two fragments. */
  private static List<Frame> message(boolean text, long size, boolean fragmented) {
    Opcode opcode = text ? Opcode.TEXT : Opcode.BINARY;
    byte fill = text ? TEXT_FILL : BINARY_FILL;
    if (!fragmented) return List.of(Frame.filled(opcode, size, fill));
    long first = (size + 1) / 2;
    Frame head = Frame.filled(opcode, first, fill).fin(false);
    Frame tail = Frame.filled(opcode, size - first, fill).opcode(Opcode.CONTINUATION);
    return List.of(head, tail);
  }

  /** A message of {@code size} bytes, past the limit, refused with 1009 and no other code. */
  private static Expectation tooBig(long size) {
    return Expectation.fail(List.of(), TOO_BIG)
        .fatalOn(CloseVerdict.WRONG_CODE)
        .within(sizedTimeout(size));
  }

  /** Time for a message of {@code size} bytes to go and come back on a loaded machine. */
  private static java.time.Duration sizedTimeout(long size) {
    return java.time.Duration.ofSeconds(10 + size / (4 << 20));
  }

  private static String bytes(long count) {
    return String.format(java.util.Locale.ROOT, "%,d", count) + (count == 1 ? " byte" : " bytes");
  }

  /** R8.3 and R8.4: connections held beside the case's own, then a fresh client, then the end. */
  private void connectionFlood(
      String id, String title, int count, boolean reset, String description) {
    list.add(
        id,
        title,
        "§4.1",
        description
            + " A fresh client must complete a handshake and a ping round trip while they are held,"
            + " and after they end; the server may upgrade, refuse or drop each, but a handshake"
            + " left unanswered past the wait fails. Its threads and descriptors are reported"
            + " before and after.",
        () ->
            List.of(
                new Step.OpenConnections(count, false),
                new Step.CheckFreshClient(),
                new Step.EndConnections(reset)),
        Expectation.survive()
            .within(FLOOD_TIMEOUT)
            // Each connection may cost the server some memory: a quarter MiB each is allowed.
            .withinMemoryBudgetPlus(count * (256L << 10)));
  }

  private static String letter(int i) {
    return String.valueOf((char) ('a' + i % 26));
  }

  /** R8.6: request heads never finished, held while a fresh client must be served. */
  private void unfinishedHeads() {
    int count = 150;
    list.add(
        "R8.6",
        "150 request heads never finished",
        "§4.1",
        "150 more connections, each sending its opening handshake without the blank line that"
            + " ends the head, and nothing more: the slow-request attack held still (a slowloris"
            + " that never finishes). The server may wait for the rest, answer or drop each, but"
            + " a fresh client must complete a handshake and a ping round trip while they are"
            + " held, and after they end. websocketpp ran out of connection slots this way (#789);"
            + " a server that reads heads on a fixed pool of threads stops serving.",
        () ->
            List.of(
                new Step.OpenConnections(count, true),
                new Step.CheckFreshClient(),
                new Step.EndConnections(false)),
        Expectation.survive().within(FLOOD_TIMEOUT).withinMemoryBudgetPlus(count * (256L << 10)));
  }

  /** R8.7: request heads dribbled a byte at a time to their end, while a fresh client is served. */
  private void dribbledHeads() {
    int count = 50;
    java.time.Duration interval = java.time.Duration.ofMillis(20);
    list.add(
        "R8.7",
        "50 request heads dribbled a byte every 20 ms",
        "§4.1",
        "50 more connections, each sending its opening handshake one byte every 20 ms to its end"
            + " (about 3 s for a plain head): the slow-request attack that finishes. A fresh client"
            + " must complete a handshake and a ping round trip while they dribble, and after. The"
            + " server upgrades each whole head, or times it out first (408, or a drop) or refuses"
            + " it for load (429, 503); any other answer before the head is whole (it took part of"
            + " the head for all of it), a whole head refused otherwise, or one left unanswered"
            + " past the wait fails. How and when the server met each head is reported."
            + " websocketpp ran out of connection slots to dribbled requests (#789); tungstenite and"
            + " libwebsockets added handshake timeouts against them (tokio-tungstenite #347,"
            + " libwebsockets #2154). Servers wait long for a head at a byte a second: Jetty 12"
            + " upgraded one after 157 s, Node ws answered 408 after 90 s.",
        () ->
            List.of(
                new Step.DribbleHeads(count, interval),
                new Step.CheckFreshClient(),
                new Step.AwaitDribbledHeads(),
                new Step.CheckFreshClient(),
                new Step.EndConnections(false)),
        Expectation.survive().within(FLOOD_TIMEOUT).withinMemoryBudgetPlus(count * (256L << 10)));
  }

  // -----------------------------------------------------------------------------------------------
  // R10 Compression

  private void compression() {
    list.top("R10 Compression");
    list.sub("R10", "Compression");
    String offer = io.github.wsrobustness.frame.PerMessageDeflate.NAME;
    list.addAtLimit(
        "R10.1",
        "a compressed message inflating to 256 MiB past the limit",
        "RFC 7692 §7.2.2",
        "On a connection that agreed to permessage-deflate, one binary message of zeros, compressed"
            + " about a thousand to one, that inflates to the limit + 256 MiB. The server fails the"
            + " connection with 1009 once what it has inflated passes its limit, and its memory"
            + " grows by no more than the limit and the run's budget: a server that checks the"
            + " compressed size, or inflates the whole message before it checks, holds 256 MiB more"
            + " (Python websockets, CVE-2018-1000518; uws, CVE-2016-10544; Vert.x, CVE-2026-102467;"
            + " Bandit, GHSA-frh3-6pv6-rc8j; Netty before 4.1.122).",
        limit -> "At this server's limit: " + bytes(limit + (256L << 20)) + " inflated.",
        limit -> () -> List.of(Step.send(bomb(limit + (256L << 20)))),
        limit -> tooBig(limit + (256L << 20)).withinMemoryBudgetPlus(limit),
        false);
    list.offerInLast(offer);
    list.addAtLimit(
        "R10.2",
        "a compressed message inflating to the limit + 1 bytes",
        "RFC 7692 §7.2.2",
        "On a connection that agreed to permessage-deflate, one binary message of zeros, a few"
            + " bytes compressed, that inflates to one byte more than the limit. The server fails"
            + " the connection with 1009: a limit on the compressed size lets it through"
            + " (Autobahn|Python, GHSA-hxp9-w8x3-p566: 22 bytes inflating past a 128-byte limit).",
        limit -> "At this server's limit: " + bytes(limit + 1) + " inflated.",
        limit -> () -> List.of(Step.send(bomb(limit + 1))),
        limit -> tooBig(limit + 1),
        false);
    list.offerInLast(offer);
    compressionFailure(
        "R10.3",
        "compressed data that is no DEFLATE stream",
        "§7.2.2",
        "On a connection that agreed to permessage-deflate, a text message with RSV1 whose payload,"
            + " ff ff ff ff, starts a DEFLATE block of the reserved type 3: no inflater can read it."
            + " The server fails the connection, with 1007 (the data is inconsistent with the"
            + " message) or 1002.",
        List.of(Frame.text(ByteString.decodeHex("ffffffff")).rsv1()),
        true,
        1007,
        1002);
    ByteString hello =
        io.github.wsrobustness.frame.MessageDeflater.noContextTakeover().compress(HELLO);
    compressionFailure(
        "R10.4",
        "RSV1 on a continuation frame",
        "§6",
        "On a connection that agreed to permessage-deflate, a compressed text message in two"
            + " frames, the continuation with RSV1 set as well: RSV1 marks only a message's first"
            + " frame, so the server fails the connection with 1002 (ws and Jetty check it;"
            + " servers that take any RSV1 may inflate the continuation as a message of its own).",
        List.of(Frame.text(hello).rsv1().fin(false), Frame.continuation(ByteString.EMPTY).rsv1()),
        true,
        1002);
    compressionFailure(
        "R10.5",
        "RSV1 on a ping",
        "§6",
        "On a connection that agreed to permessage-deflate, a ping with RSV1 set: control frames"
            + " are never compressed, so the server fails the connection with 1002.",
        List.of(Frame.ping(HELLO).rsv1()),
        true,
        1002);
    compressionFailure(
        "R10.6",
        "a compressed message, no extension agreed",
        "§5.2",
        "A text message compressed with DEFLATE (\"Hello, world!\") and marked with RSV1, on a"
            + " connection whose client offered no extension: RSV1 means nothing here, so the"
            + " server fails the connection with 1002 (RFC 6455 §5.2). A server with compression on"
            + " that inflates it anyway (aiohttp, GHSA-mq44-7p77-q5h7) takes input it never agreed"
            + " to.",
        List.of(Frame.text(hello).rsv1()),
        false,
        1002);
    declined(
        "R10.7",
        "an offer with an unknown parameter",
        "permessage-deflate; x-wsrobustness-unknown",
        "§7",
        "a server must decline an offer with a parameter not defined for it");
    declined(
        "R10.8",
        "an offer with a parameter twice",
        "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
        "§7",
        "a server must decline an offer with a parameter more than once");
    declined(
        "R10.9",
        "an offer with server_max_window_bits=7",
        "permessage-deflate; server_max_window_bits=7",
        "§7.1.2.1",
        "window bits are 8 to 15, and a server must decline an offer with an invalid value");
    declined(
        "R10.10",
        "an offer with client_max_window_bits=16",
        "permessage-deflate; client_max_window_bits=16",
        "§7.1.2.2",
        "window bits are 8 to 15, and a server must decline an offer with an invalid value");
  }

  /** A binary message that inflates to {@code size} zero bytes, marked compressed. */
  private static Frame bomb(long size) {
    return Frame.binary(io.github.wsrobustness.frame.MessageDeflater.bomb(size)).rsv1();
  }

  /** A case that sends compressed input the server must fail; {@code offered}: with an offer. */
  private void compressionFailure(
      String id,
      String title,
      String clause,
      String description,
      List<Frame> frames,
      boolean offered,
      int... codes) {
    list.add(
        id,
        title,
        offered ? "RFC 7692 " + clause : clause,
        description,
        () -> List.of(new Step.Send(frames, Writes.oneWrite())),
        Expectation.fail(List.of(), codes).fatalOn(CloseVerdict.WRONG_CODE));
    if (offered) list.offerInLast(io.github.wsrobustness.frame.PerMessageDeflate.NAME);
  }

  /** A handshake offering {@code offer}, which the server must not accept. */
  private void declined(String id, String title, String offer, String clause, String why) {
    list.add(
        id,
        title,
        "RFC 7692 " + clause,
        "An opening handshake offering only \""
            + offer
            + "\". RFC 7692 "
            + clause
            + ": "
            + why
            + ": it upgrades without permessage-deflate in its answer, or refuses the handshake."
            + " Accepting the offer fails: a server that takes parameters it does not understand"
            + " runs on terms its client never meant.",
        handshake(r -> r.header("Sec-WebSocket-Extensions", offer), "offering " + offer),
        Expectation.declines("Sec-WebSocket-Extensions", offer.substring(0, offer.indexOf(';'))));
  }
}
