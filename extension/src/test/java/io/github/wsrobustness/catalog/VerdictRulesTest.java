package io.github.wsrobustness.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsrobustness.catalog.Observation.End;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import okio.ByteString;
import org.junit.jupiter.api.Test;

/**
 * The verdict rules alone, as pure functions: each rule with the observation that passes it and the
 * ones that break it, Autobahn's meaning for each (reference: autobahn-cases.tsv).
 */
class VerdictRulesTest {
  private static final ByteString HELLO = ByteString.encodeUtf8("Hello, world!");
  private static final Received ECHOED =
      new Received(Received.Kind.MESSAGE, 1, HELLO, HELLO.size());
  private static final Received PONG = new Received(Received.Kind.PONG, 0xA, ByteString.EMPTY, 0);

  // -----------------------------------------------------------------------------------------------
  // Echo: send back exactly, then complete the client's close

  @Test
  void echoThenCleanReplyIsOk() {
    Judgement j = judge(echo(), seen(List.of(ECHOED), End.CLOSE_REPLY, 1000, true));
    assertThat(j.verdict()).isEqualTo(Verdict.OK);
    assertThat(j.close()).isEqualTo(CloseVerdict.CLEAN);
  }

  @Test
  void echoOfOtherBytesIsFailed() {
    Received other = new Received(Received.Kind.MESSAGE, 1, ByteString.encodeUtf8("x"), 1);
    Judgement j = judge(echo(), seen(List.of(other), End.CLOSE_REPLY, 1000, true));
    assertThat(j.verdict()).isEqualTo(Verdict.FAILED);
    assertThat(j.reason())
        .startsWith(
            "expected text message, 13 bytes: \"Hello, world!\", but the server sent text"
                + " message, 1 byte: \"x\"");
  }

  @Test
  void echoWithATruncatedKeptPayloadIsNotTakenForTheRightOne() {
    Received cut = new Received(Received.Kind.MESSAGE, 1, HELLO.substring(0, 5), HELLO.size());
    assertThat(judge(echo(), seen(List.of(cut), End.CLOSE_REPLY, 1000, true)).verdict())
        .isEqualTo(Verdict.FAILED);
  }

  @Test
  void echoWhereTheServerKeepsTcpOpenReportsItBesideAnOk() {
    Judgement j = judge(echo(), seen(List.of(ECHOED), End.CLOSE_REPLY, 1000, false));
    assertThat(j.verdict()).isEqualTo(Verdict.OK);
    assertThat(j.close()).isEqualTo(CloseVerdict.TCP_NOT_DROPPED);
  }

  @Test
  void aCloseVerdictTheCaseNamesFailsIt() {
    Judgement j =
        judge(
            echo().fatalOn(CloseVerdict.WRONG_CODE),
            seen(List.of(ECHOED), End.CLOSE_REPLY, 1002, true));
    assertThat(j.verdict()).isEqualTo(Verdict.FAILED);
    assertThat(j.reason()).startsWith("close wrong code: ");
    Judgement other =
        judge(
            echo().fatalOn(CloseVerdict.WRONG_CODE),
            seen(List.of(ECHOED), End.CLOSE_REPLY, 1000, false));
    assertThat(other)
        .extracting(Judgement::verdict, Judgement::close)
        .containsExactly(Verdict.OK, CloseVerdict.TCP_NOT_DROPPED);
  }

  @Test
  void aCloseWithoutACodeIsNeverTheWrongCode() {
    // RFC 6455 §5.5.1: the code is optional.
    assertThat(judge(echo(), seen(List.of(ECHOED), End.CLOSE_REPLY, -1, true)).close())
        .isEqualTo(CloseVerdict.CLEAN);
    assertThat(
            judge(Expectation.fail(List.of(), 1007), seen(List.of(), End.SERVER_CLOSED, -1, true)))
        .extracting(Judgement::verdict, Judgement::close)
        .containsExactly(Verdict.OK, CloseVerdict.CLEAN);
  }

  @Test
  void aServerThatBreaksTheProtocolItselfIsFailedWhateverElseItDid() {
    Observation masked =
        new Observation(
            List.of(ECHOED),
            End.CLOSE_REPLY,
            OptionalInt.of(1000),
            "",
            true,
            5,
            false,
            List.of("frame is masked; RFC 6455 §5.1 forbids a server to mask its frames"),
            Duration.ZERO,
            "");
    Judgement j = judge(echo(), masked);
    assertThat(j.verdict()).isEqualTo(Verdict.FAILED);
    assertThat(j.reason())
        .startsWith(
            "the server broke RFC 6455 itself: frame is masked; RFC 6455 §5.1 forbids a server to"
                + " mask its frames; sent back what was expected");
  }

  @Test
  void whatTheRunnerNoticedIsPartOfTheReason() {
    Observation noted =
        new Observation(
            List.of(),
            End.OPEN,
            OptionalInt.empty(),
            "",
            false,
            -1,
            false,
            List.of(),
            Duration.ZERO,
            "a send failed: Broken pipe");
    assertThat(judge(echo(), noted).reason()).endsWith("(a send failed: Broken pipe)");
  }

  @Test
  void echoWhereTheServerClosesFirstIsTheWrongEndpoint() {
    Judgement j = judge(echo(), seen(List.of(ECHOED), End.SERVER_CLOSED, 1000, true));
    assertThat(j.close()).isEqualTo(CloseVerdict.WRONG_ENDPOINT);
  }

  @Test
  void echoWithoutACloseReplyIsUnclean() {
    assertThat(judge(echo(), seen(List.of(ECHOED), End.DROPPED, -1, true)).close())
        .isEqualTo(CloseVerdict.UNCLEAN);
    assertThat(judge(echo(), seen(List.of(ECHOED), End.CLOSE_REPLY, 1002, true)).close())
        .isEqualTo(CloseVerdict.WRONG_CODE);
  }

  // -----------------------------------------------------------------------------------------------
  // Fail: fail the connection, after the valid messages before the bad frame

  @Test
  void failureWithTheCodeOrADropIsOk() {
    Expectation e = Expectation.fail(List.of(), 1002);
    assertThat(judge(e, seen(List.of(), End.SERVER_CLOSED, 1002, true)))
        .extracting(Judgement::verdict, Judgement::close)
        .containsExactly(Verdict.OK, CloseVerdict.CLEAN);
    assertThat(judge(e, seen(List.of(), End.DROPPED, -1, true)))
        .extracting(Judgement::verdict, Judgement::close)
        .containsExactly(Verdict.OK, CloseVerdict.DROPPED);
  }

  @Test
  void failureWithoutTheEarlierEchoIsNonStrict() {
    Expectation e = Expectation.fail(List.of(Expected.text(HELLO)), 1002);
    assertThat(judge(e, seen(List.of(ECHOED), End.SERVER_CLOSED, 1002, true)).verdict())
        .isEqualTo(Verdict.OK);
    assertThat(judge(e, seen(List.of(), End.SERVER_CLOSED, 1002, true)).verdict())
        .isEqualTo(Verdict.NON_STRICT);
    assertThat(judge(e, seen(List.of(ECHOED, PONG), End.SERVER_CLOSED, 1002, true)).verdict())
        .as("a pong to the ping after the bad frame")
        .isEqualTo(Verdict.FAILED);
  }

  @Test
  void aServerThatIgnoresTheBadFrameIsFailedInEverySection() {
    Observation ignored =
        new Observation(
            List.of(),
            End.CLOSE_REPLY,
            OptionalInt.of(1000),
            "",
            true,
            -1,
            true,
            List.of(),
            Duration.ZERO,
            "");
    Judgement j = judge(Expectation.fail(List.of(), 1002), ignored);
    assertThat(j.verdict()).isEqualTo(Verdict.FAILED);
    assertThat(j.reason())
        .isEqualTo(
            "expected the server to fail the connection, but the server replied to the client's"
                + " close with 1000, then TCP ended; it sent nothing");
  }

  @Test
  void aWrongCodeIsReportedUnlessTheCaseMakesItFatal() {
    Observation closed1000 = seen(List.of(), End.SERVER_CLOSED, 1000, true);
    Judgement lenient = judge(Expectation.fail(List.of(), 1002), closed1000);
    assertThat(lenient)
        .extracting(Judgement::verdict, Judgement::close)
        .containsExactly(Verdict.OK, CloseVerdict.WRONG_CODE);
    Judgement fatal =
        judge(Expectation.fail(List.of(), 1007).fatalOn(CloseVerdict.WRONG_CODE), closed1000);
    assertThat(fatal.verdict()).isEqualTo(Verdict.FAILED);
  }

  // -----------------------------------------------------------------------------------------------
  // Fail fast: when the failure came counts

  @Test
  void failFastIsJudgedByTheStepTheEndCameIn() {
    Expectation e = Expectation.failFast(2, 1007);
    assertThat(judge(e, endedAt(1)).verdict())
        .as("rejected the valid part")
        .isEqualTo(Verdict.FAILED);
    assertThat(judge(e, endedAt(2)).verdict()).isEqualTo(Verdict.OK);
    assertThat(judge(e, endedAt(3)).verdict()).as("the wait after it").isEqualTo(Verdict.OK);
    assertThat(judge(e, endedAt(5)).verdict()).isEqualTo(Verdict.NON_STRICT);
    assertThat(judge(e, seen(List.of(), End.OPEN, -1, false)).verdict()).isEqualTo(Verdict.FAILED);
  }

  // -----------------------------------------------------------------------------------------------
  // Close reply: answer the client's close frame

  @Test
  void closeReplyMustCarryAnAllowedCode() {
    Expectation e = Expectation.closeReply(List.of(), 1000, 3000).fatalOn(CloseVerdict.WRONG_CODE);
    assertThat(judge(e, seen(List.of(), End.CLOSE_REPLY, 3000, true)).verdict())
        .isEqualTo(Verdict.OK);
    assertThat(judge(e, seen(List.of(), End.CLOSE_REPLY, 1002, true)))
        .extracting(Judgement::verdict, Judgement::close)
        .containsExactly(Verdict.FAILED, CloseVerdict.WRONG_CODE);
    assertThat(judge(e, seen(List.of(), End.DROPPED, -1, true)).close())
        .as("a drop is no answer to a valid close")
        .isEqualTo(CloseVerdict.UNCLEAN);
  }

  @Test
  void anInvalidCloseMayBeAnsweredByADrop() {
    Expectation e = Expectation.closeReply(List.of(), 1002);
    assertThat(judge(e, seen(List.of(), End.DROPPED, -1, true)))
        .extracting(Judgement::verdict, Judgement::close)
        .containsExactly(Verdict.OK, CloseVerdict.DROPPED);
  }

  @Test
  void anEmptyCloseMayBeAnsweredWithoutACode() {
    Expectation e = Expectation.closeReply(List.of(), Expectation.NO_CODE, 1000);
    assertThat(judge(e, seen(List.of(), End.CLOSE_REPLY, -1, true)).verdict())
        .isEqualTo(Verdict.OK);
  }

  // -----------------------------------------------------------------------------------------------
  // Echo or fail: the server's choice (a non-minimal length, a flood of fragments)

  @Test
  void echoOrFailTakesAnEchoWithACleanClose() {
    Judgement j = judge(echoOrFail(), seen(List.of(ECHOED), End.CLOSE_REPLY, 1000, true));
    assertThat(j.verdict()).isEqualTo(Verdict.OK);
    assertThat(j.close()).isEqualTo(CloseVerdict.CLEAN);
  }

  @Test
  void echoOrFailTakesARefusalWithAnAllowedCodeOrADrop() {
    Judgement closed = judge(echoOrFail(), seen(List.of(), End.SERVER_CLOSED, 1009, true));
    assertThat(closed.verdict()).isEqualTo(Verdict.OK);
    assertThat(closed.reason()).startsWith("refused the input: ");
    assertThat(judge(echoOrFail(), seen(List.of(), End.DROPPED, -1, true)).close())
        .isEqualTo(CloseVerdict.DROPPED);
  }

  @Test
  void echoOrFailFailsAWrongCodeWhereTheCaseSaysSo() {
    // 1011 says the server broke, not that it refused: a fragment flood that makes it fail.
    Judgement j =
        judge(
            echoOrFail().fatalOn(CloseVerdict.WRONG_CODE),
            seen(List.of(), End.SERVER_CLOSED, 1011, true));
    assertThat(j.verdict()).isEqualTo(Verdict.FAILED);
    assertThat(j.close()).isEqualTo(CloseVerdict.WRONG_CODE);
  }

  @Test
  void echoOrFailFailsOtherBytesAndASilentServer() {
    Received other = new Received(Received.Kind.MESSAGE, 1, ByteString.encodeUtf8("x"), 1);
    assertThat(judge(echoOrFail(), seen(List.of(other), End.SERVER_CLOSED, 1009, true)).verdict())
        .isEqualTo(Verdict.FAILED);
    assertThat(judge(echoOrFail(), seen(List.of(), End.OPEN, -1, false)).verdict())
        .isEqualTo(Verdict.FAILED);
  }

  @Test
  void echoOrFailFailsAServerThatDidNeitherWithinTheWaitWhateverCameAfter() {
    // A stalled server whose socket drops only after the client gave up and closed did not refuse.
    Observation stalled =
        new Observation(
            List.of(),
            End.DROPPED,
            OptionalInt.empty(),
            "",
            true,
            -1,
            true,
            List.of(),
            Duration.ZERO,
            "");
    Judgement j = judge(echoOrFail(), stalled);
    assertThat(j.verdict()).isEqualTo(Verdict.FAILED);
    assertThat(j.reason())
        .startsWith(
            "expected the server to send back text message, 13 bytes: \"Hello, world!\" or to"
                + " fail the connection, but it did neither within the wait");
  }

  @Test
  void echoOrFailJudgesAnEchoFollowedByTheServersOwnCloseAsAnEcho() {
    Judgement j = judge(echoOrFail(), seen(List.of(ECHOED), End.SERVER_CLOSED, 1000, true));
    assertThat(j.verdict()).isEqualTo(Verdict.OK);
    assertThat(j.close()).isEqualTo(CloseVerdict.WRONG_ENDPOINT);
  }

  // -----------------------------------------------------------------------------------------------
  // Survive: nothing due on the connection (the client reset it)

  @Test
  void surviveIsOkOnTheConnectionItself() {
    // DIED and STOPPED SERVING come from the check after the case, not from these rules.
    Judgement j = judge(Expectation.survive(), seen(List.of(), End.OPEN, -1, false));
    assertThat(j.verdict()).isEqualTo(Verdict.OK);
    assertThat(j.close()).isEqualTo(CloseVerdict.NOT_CHECKED);
  }

  // -----------------------------------------------------------------------------------------------
  // The opening handshake: refused, or answered in time

  @Test
  void aRefusalWithTheAskedStatusIsOkAndA101Fails() {
    Expectation refused = Expectation.refused();
    assertThat(judge(refused, answer(400, "HTTP/1.1 400 Bad Request")))
        .extracting(Judgement::verdict, Judgement::reason)
        .containsExactly(
            Verdict.OK, "refused: it answered \"HTTP/1.1 400 Bad Request\" after 7 ms");
    Judgement upgraded = judge(refused, answer(101, "HTTP/1.1 101 Switching Protocols"));
    assertThat(upgraded.verdict()).isEqualTo(Verdict.FAILED);
    assertThat(upgraded.reason())
        .isEqualTo(
            "expected the server to refuse the handshake, but it answered \"HTTP/1.1 101"
                + " Switching Protocols\" after 7 ms");
  }

  @Test
  void anotherRefusalOrADropIsNonStrict() {
    Judgement otherStatus = judge(Expectation.refused(), answer(500, "HTTP/1.1 500 Oops"));
    assertThat(otherStatus.verdict()).isEqualTo(Verdict.NON_STRICT);
    assertThat(otherStatus.reason()).endsWith(", where any 4xx was due");
    Judgement dropped = judge(Expectation.refused(), none(HandshakeObservation.How.ENDED));
    assertThat(dropped.verdict()).isEqualTo(Verdict.NON_STRICT);
    assertThat(dropped.reason()).startsWith("ended the connection without an HTTP answer");
  }

  @Test
  void aVersionRefusalMustListTheVersionsTheServerSpeaks() {
    Expectation version = Expectation.refused().withHeaderToken("Sec-WebSocket-Version", "13");
    HandshakeObservation listed =
        new HandshakeObservation(
            HandshakeObservation.How.ANSWERED,
            426,
            "HTTP/1.1 426 Upgrade Required",
            List.of("13", "8"),
            "",
            Duration.ofMillis(7));
    assertThat(judge(version, listed).verdict()).isEqualTo(Verdict.OK);
    Judgement without = judge(version, answer(404, "HTTP/1.1 404 Not Found"));
    assertThat(without.verdict()).isEqualTo(Verdict.NON_STRICT);
    assertThat(without.reason())
        .endsWith(
            "but without a Sec-WebSocket-Version header listing 13; RFC 6455 §4.4 asks for one");
  }

  @Test
  void silenceOrAnAnswerThatIsNotHttpFailsEitherKind() {
    for (Expectation e : List.of(Expectation.refused(), Expectation.answered())) {
      assertThat(judge(e, none(HandshakeObservation.How.SILENT)).verdict())
          .isEqualTo(Verdict.FAILED);
      assertThat(judge(e, none(HandshakeObservation.How.NOT_HTTP)).verdict())
          .isEqualTo(Verdict.FAILED);
    }
  }

  @Test
  void anAnswerOfAnyKindOrADropIsOkWhereTheServerMayChoose() {
    assertThat(judge(Expectation.answered(), answer(101, "HTTP/1.1 101 Switching")).verdict())
        .isEqualTo(Verdict.OK);
    assertThat(judge(Expectation.answered(), answer(431, "HTTP/1.1 431 Too Large")).verdict())
        .isEqualTo(Verdict.OK);
    assertThat(judge(Expectation.answered(), none(HandshakeObservation.How.ENDED)).verdict())
        .isEqualTo(Verdict.OK);
  }

  @Test
  void anOfferToDeclineFailsOnlyWhenTheUpgradeAcceptsIt() {
    Expectation declines = Expectation.declines("Sec-WebSocket-Extensions", "permessage-deflate");
    HandshakeObservation accepted =
        new HandshakeObservation(
            HandshakeObservation.How.ANSWERED,
            101,
            "HTTP/1.1 101 Switching Protocols",
            List.of("PerMessage-Deflate; server_max_window_bits=7"),
            "",
            Duration.ofMillis(3));
    Judgement failed = judge(declines, accepted);
    assertThat(failed.verdict()).isEqualTo(Verdict.FAILED);
    assertThat(failed.reason())
        .isEqualTo(
            "it upgraded accepting the offer it must decline: Sec-WebSocket-Extensions:"
                + " PerMessage-Deflate; server_max_window_bits=7 after 3 ms");
    HandshakeObservation other =
        new HandshakeObservation(
            HandshakeObservation.How.ANSWERED,
            101,
            "HTTP/1.1 101 Switching Protocols",
            List.of("permessage-deflate-x"),
            "",
            Duration.ofMillis(3));
    assertThat(judge(declines, other).verdict()).isEqualTo(Verdict.OK);
    assertThat(judge(declines, answer(101, "HTTP/1.1 101 Switching")).verdict())
        .isEqualTo(Verdict.OK);
    assertThat(judge(declines, answer(400, "HTTP/1.1 400 Bad Request")).verdict())
        .isEqualTo(Verdict.OK);
    assertThat(declines.describe()).contains("accepting the offer fails");
  }

  @Test
  void informationalNeverFails() {
    Judgement j = judge(Expectation.informational(), seen(List.of(), End.OPEN, -1, false));
    assertThat(j.verdict()).isEqualTo(Verdict.INFORMATIONAL);
    assertThat(j.close()).isEqualTo(CloseVerdict.NOT_CHECKED);
  }

  @Test
  void onlyFailedDiedAndStoppedServingFailATest() {
    assertThat(List.of(Verdict.values()).stream().filter(Verdict::failsTest))
        .containsExactly(Verdict.FAILED, Verdict.DIED, Verdict.STOPPED_SERVING);
  }

  // -----------------------------------------------------------------------------------------------

  private static Judgement judge(Expectation expectation, HandshakeObservation observed) {
    return VerdictRules.judgeHandshake(expectation, observed);
  }

  private static HandshakeObservation answer(int status, String statusLine) {
    return new HandshakeObservation(
        HandshakeObservation.How.ANSWERED, status, statusLine, List.of(), "", Duration.ofMillis(7));
  }

  private static HandshakeObservation none(HandshakeObservation.How how) {
    return new HandshakeObservation(how, 0, "", List.of(), "why", Duration.ofMillis(7));
  }

  private static Expectation echoOrFail() {
    return Expectation.echoOrFail(List.of(Expected.text(HELLO)), 1008, 1009);
  }

  private static Expectation echo() {
    return Expectation.echo(List.of(Expected.text(HELLO)));
  }

  private static Judgement judge(Expectation expectation, Observation observation) {
    return VerdictRules.judge(expectation, observation);
  }

  /** An observation; {@code code} -1 for none. */
  private static Observation seen(List<Received> received, End end, int code, boolean tcpDropped) {
    boolean ended = end != End.OPEN;
    return new Observation(
        received,
        end,
        code < 0 ? OptionalInt.empty() : OptionalInt.of(code),
        "",
        tcpDropped,
        ended ? 5 : -1,
        false,
        List.of(),
        Duration.ZERO,
        "");
  }

  private static Observation endedAt(int step) {
    return new Observation(
        List.of(),
        End.SERVER_CLOSED,
        OptionalInt.of(1007),
        "",
        true,
        step,
        false,
        List.of(),
        Duration.ZERO,
        "");
  }
}
