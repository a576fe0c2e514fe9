package io.github.wsrobustness.catalog;

import io.github.wsrobustness.catalog.Observation.End;
import io.github.wsrobustness.http.HttpStatus;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The verdict rules: pure functions from a case's expectation and what was observed to a {@link
 * Judgement}, with Autobahn|Testsuite's meaning. The frames the server sent are compared with the
 * expected list (exactly: OK; the weaker list a case accepts: NON-STRICT; otherwise FAILED); then
 * the close is judged (who started it, the code, whether the server ended TCP; RFC 6455 §7). A bad
 * close fails the case only where the expectation says so (a wrong code in section 7, as Autobahn);
 * elsewhere it is reported beside the verdict. One deliberate difference from Autobahn: a server
 * that never fails a connection it must fail (it ignored the bad frame, a probe ping proved it) is
 * FAILED in every section, where Autobahn reports OK with a failed close.
 *
 * <p>Thread-safety: stateless.
 */
public final class VerdictRules {
  private VerdictRules() {}

  /**
   * Judges {@code observed} against {@code expectation}. A server that broke RFC 6455 itself (a
   * masked frame, RSV bits, a malformed close …) is FAILED whatever else it did, as Autobahn's
   * client fails the connection on such a frame.
   */
  public static Judgement judge(Expectation expectation, Observation observed) {
    Judgement judged = rules(expectation, observed);
    if (observed.violations().isEmpty() || judged.verdict() == Verdict.FAILED) {
      return withNote(judged, observed);
    }
    List<String> violations = observed.violations();
    String more = violations.size() > 1 ? " (and " + (violations.size() - 1) + " more)" : "";
    return withNote(
        new Judgement(
            Verdict.FAILED,
            judged.close(),
            "the server broke RFC 6455 itself: "
                + violations.get(0)
                + more
                + "; "
                + judged.reason()),
        observed);
  }

  /**
   * Judges what the server did with an opening handshake a case sent ({@link
   * Expectation.Kind#REFUSED} or {@link Expectation.Kind#ANSWERED}); the close is not judged, as no
   * WebSocket connection exists.
   */
  public static Judgement judgeHandshake(Expectation expectation, HandshakeObservation observed) {
    String after = " after " + observed.elapsed().toMillis() + " ms";
    String answer = "answered \"" + observed.statusLine() + "\"" + after;
    Verdict verdict;
    String reason;
    switch (observed.how()) {
      case SILENT -> {
        verdict = Verdict.FAILED;
        reason = "no answer: " + observed.failure() + ", and the connection stayed open";
      }
      case NOT_HTTP -> {
        verdict = Verdict.FAILED;
        reason = "the answer is not HTTP: " + observed.failure();
      }
      case ENDED -> {
        boolean refusal = expectation.kind() == Expectation.Kind.REFUSED;
        verdict = refusal ? Verdict.NON_STRICT : Verdict.OK;
        reason =
            "ended the connection without an HTTP answer"
                + after
                + (refusal ? "; RFC 6455 §4.2.1 asks for an answer with an error status" : "");
      }
      default -> {
        String[] declined = expectation.headerToken();
        if (expectation.kind() == Expectation.Kind.ANSWERED
            && declined != null
            && observed.status() == 101
            && observed.headerTokens().stream().anyMatch(t -> elementNamed(t, declined[1]))) {
          verdict = Verdict.FAILED;
          reason =
              "it upgraded accepting the offer it must decline: "
                  + declined[0]
                  + ": "
                  + String.join(", ", observed.headerTokens())
                  + after;
        } else if (expectation.kind() == Expectation.Kind.ANSWERED) {
          verdict = Verdict.OK;
          reason = answer;
        } else if (observed.status() == 101) {
          verdict = Verdict.FAILED;
          reason = "expected the server to refuse the handshake, but it " + answer;
        } else if (!HttpStatus.anyMatches(
            observed.status(), expectation.statuses().toArray(new HttpStatus[0]))) {
          verdict = Verdict.NON_STRICT;
          reason =
              "refused, but it "
                  + answer
                  + ", where "
                  + HttpStatus.describeAny(expectation.statuses().toArray(new HttpStatus[0]))
                  + " was due";
        } else if (expectation.headerToken() != null
            && observed.headerTokens().stream()
                .noneMatch(t -> t.equalsIgnoreCase(expectation.headerToken()[1]))) {
          String[] token = expectation.headerToken();
          verdict = Verdict.NON_STRICT;
          reason =
              "refused: it "
                  + answer
                  + ", but without a "
                  + token[0]
                  + " header listing "
                  + token[1]
                  + (observed.headerTokens().isEmpty()
                      ? ""
                      : " (it lists " + String.join(", ", observed.headerTokens()) + ")")
                  + "; RFC 6455 §4.4 asks for one";
        } else {
          verdict = Verdict.OK;
          reason = "refused: it " + answer;
        }
      }
    }
    return new Judgement(verdict, CloseVerdict.NOT_CHECKED, reason);
  }

  /** Whether a header list element ({@code name; a=1}) is named {@code name}, in any case. */
  private static boolean elementNamed(String element, String name) {
    int semicolon = element.indexOf(';');
    return (semicolon < 0 ? element : element.substring(0, semicolon))
        .trim()
        .equalsIgnoreCase(name);
  }

  private static Judgement withNote(Judgement judged, Observation observed) {
    if (observed.note().isEmpty()) return judged;
    return new Judgement(
        judged.verdict(), judged.close(), judged.reason() + " (" + observed.note() + ")");
  }

  private static Judgement rules(Expectation expectation, Observation observed) {
    return switch (expectation.kind()) {
      case ECHO -> echo(expectation, observed);
      case FAIL -> fail(expectation, observed);
      case FAIL_FAST -> failFast(expectation, observed);
      case CLOSE_REPLY -> closeReply(expectation, observed);
      case ECHO_OR_FAIL -> echoOrFail(expectation, observed);
      case REFUSED, ANSWERED ->
          new Judgement(
              Verdict.FAILED,
              CloseVerdict.NOT_CHECKED,
              "a handshake case is judged by judgeHandshake, not by the frames of a connection");
      case SURVIVE ->
          new Judgement(
              Verdict.OK,
              CloseVerdict.NOT_CHECKED,
              "nothing was due on this connection; " + observed.describeEnd());
      case INFORMATIONAL ->
          new Judgement(
              Verdict.INFORMATIONAL,
              CloseVerdict.NOT_CHECKED,
              "recorded: " + describe(observed.received()) + "; " + observed.describeEnd());
    };
  }

  private static Judgement echo(Expectation expectation, Observation observed) {
    CloseVerdict close;
    if (observed.end() == End.SERVER_CLOSED) close = CloseVerdict.WRONG_ENDPOINT;
    else close = replyVerdict(expectation, observed);
    boolean same = matches(expectation.frames(), observed.received());
    Verdict verdict = same ? Verdict.OK : Verdict.FAILED;
    String reason =
        same
            ? "sent back what was expected; " + observed.describeEnd()
            : "expected "
                + describeExpected(expectation.frames())
                + ", but the server sent "
                + describe(observed.received())
                + "; "
                + observed.describeEnd();
    return withClose(expectation, verdict, close, reason);
  }

  private static Judgement fail(Expectation expectation, Observation observed) {
    if (!failed(observed)) {
      return new Judgement(
          Verdict.FAILED,
          observed.end() == End.CLOSE_REPLY ? CloseVerdict.WRONG_ENDPOINT : CloseVerdict.UNCLEAN,
          "expected the server to fail the connection, but "
              + observed.describeEnd()
              + "; it sent "
              + describe(observed.received()));
    }
    CloseVerdict close = failureCloseVerdict(expectation, observed);
    List<Expected> strict = expectation.frames();
    Verdict verdict;
    String reason;
    if (matches(strict, observed.received())) {
      verdict = Verdict.OK;
      reason =
          (strict.isEmpty() ? "" : "sent back the valid messages first; ") + observed.describeEnd();
    } else if (!strict.isEmpty() && observed.received().isEmpty()) {
      verdict = Verdict.NON_STRICT;
      reason =
          "failed the connection without first sending back "
              + describeExpected(strict)
              + "; "
              + observed.describeEnd();
    } else {
      verdict = Verdict.FAILED;
      reason =
          "expected "
              + describeExpected(strict)
              + " before the failure, but the server sent "
              + describe(observed.received())
              + "; "
              + observed.describeEnd();
    }
    return withClose(expectation, verdict, close, reason);
  }

  /**
   * The server's choice: judged as an echo when it kept the connection, as a failure (with the
   * start of the echoes allowed before it) when it failed the connection.
   */
  private static Judgement echoOrFail(Expectation expectation, Observation observed) {
    if (observed.keptOpen()) {
      return new Judgement(
          Verdict.FAILED,
          CloseVerdict.UNCLEAN,
          "expected the server to send back "
              + describeExpected(expectation.frames())
              + " or to fail the connection, but it did neither within the wait (it sent "
              + describe(observed.received())
              + "); then "
              + observed.describeEnd());
    }
    // A server that echoed everything and then closed took the input: it is judged as an echo.
    if (!failed(observed) || matches(expectation.frames(), observed.received())) {
      Expectation asEcho =
          Expectation.echo(expectation.frames())
              .fatalOn(expectation.fatalCloses().toArray(new CloseVerdict[0]));
      return echo(asEcho, observed);
    }
    CloseVerdict close = failureCloseVerdict(expectation, observed);
    List<Expected> allowed = expectation.frames();
    List<Received> got = observed.received();
    boolean start = got.size() <= allowed.size() && matches(allowed.subList(0, got.size()), got);
    Verdict verdict = start ? Verdict.OK : Verdict.FAILED;
    String reason =
        start
            ? "refused the input: " + observed.describeEnd()
            : "expected no more than "
                + describeExpected(allowed)
                + " before the failure, but the server sent "
                + describe(got)
                + "; "
                + observed.describeEnd();
    return withClose(expectation, verdict, close, reason);
  }

  private static Judgement failFast(Expectation expectation, Observation observed) {
    if (!failed(observed)) {
      return new Judgement(
          Verdict.FAILED,
          CloseVerdict.UNCLEAN,
          "expected the server to fail the connection on the invalid part, but "
              + observed.describeEnd());
    }
    CloseVerdict close = failureCloseVerdict(expectation, observed);
    int invalid = expectation.invalidStep();
    Verdict verdict;
    String reason;
    if (!observed.received().isEmpty()) {
      verdict = Verdict.FAILED;
      reason = "expected nothing back, but the server sent " + describe(observed.received());
    } else if (observed.endStep() < invalid) {
      verdict = Verdict.FAILED;
      reason = "the server ended the connection before the invalid part was sent";
    } else if (observed.endStep() <= invalid + 1) {
      verdict = Verdict.OK;
      reason = "failed as soon as the invalid part arrived; " + observed.describeEnd();
    } else {
      verdict = Verdict.NON_STRICT;
      reason = "failed only after the rest of the message arrived; " + observed.describeEnd();
    }
    return withClose(expectation, verdict, close, reason);
  }

  private static Judgement closeReply(Expectation expectation, Observation observed) {
    CloseVerdict close;
    if (observed.end() == End.SERVER_CLOSED && !expectation.allowsDrop()) {
      close = CloseVerdict.WRONG_ENDPOINT;
    } else if (observed.end() == End.DROPPED) {
      close = expectation.allowsDrop() ? CloseVerdict.DROPPED : CloseVerdict.UNCLEAN;
    } else {
      close = replyVerdict(expectation, observed);
    }
    boolean same = matches(expectation.frames(), observed.received());
    Verdict verdict = same ? Verdict.OK : Verdict.FAILED;
    String reason =
        same
            ? observed.describeEnd()
            : "expected "
                + describeExpected(expectation.frames())
                + " before the close, but the server sent "
                + describe(observed.received())
                + "; "
                + observed.describeEnd();
    return withClose(expectation, verdict, close, reason);
  }

  /** The close verdict of a close frame the client started. */
  private static CloseVerdict replyVerdict(Expectation expectation, Observation observed) {
    if (!observed.serverSentClose()) return CloseVerdict.UNCLEAN;
    int code = observed.closeCode().orElse(Expectation.NO_CODE);
    if (!expectation.allows(code)) return CloseVerdict.WRONG_CODE;
    return observed.tcpDropped() ? CloseVerdict.CLEAN : CloseVerdict.TCP_NOT_DROPPED;
  }

  /** The close verdict of a connection the server failed. */
  private static CloseVerdict failureCloseVerdict(Expectation expectation, Observation observed) {
    if (observed.end() == End.DROPPED) return CloseVerdict.DROPPED;
    int code = observed.closeCode().orElse(Expectation.NO_CODE);
    if (!expectation.allows(code)) return CloseVerdict.WRONG_CODE;
    return observed.tcpDropped() ? CloseVerdict.CLEAN : CloseVerdict.TCP_NOT_DROPPED;
  }

  private static boolean failed(Observation observed) {
    return observed.end() == End.SERVER_CLOSED || observed.end() == End.DROPPED;
  }

  private static Judgement withClose(
      Expectation expectation, Verdict verdict, CloseVerdict close, String reason) {
    if (expectation.isFatal(close) && verdict != Verdict.FAILED) {
      return new Judgement(Verdict.FAILED, close, "close " + close.label() + ": " + reason);
    }
    if (!close.isGood()) return new Judgement(verdict, close, reason + " (close " + close + ")");
    return new Judgement(verdict, close, reason);
  }

  private static boolean matches(List<Expected> expected, List<Received> received) {
    if (expected.size() != received.size()) return false;
    for (int i = 0; i < expected.size(); i++) {
      if (!expected.get(i).matches(received.get(i))) return false;
    }
    return true;
  }

  private static String describeExpected(List<Expected> expected) {
    if (expected.isEmpty()) return "nothing";
    return expected.stream().map(Expected::describe).collect(Collectors.joining("; "));
  }

  private static String describe(List<Received> received) {
    if (received.isEmpty()) return "nothing";
    int shown = Math.min(received.size(), 5);
    String list =
        received.subList(0, shown).stream()
            .map(Received::describe)
            .collect(Collectors.joining("; "));
    return received.size() > shown ? list + "; and " + (received.size() - shown) + " more" : list;
  }
}
