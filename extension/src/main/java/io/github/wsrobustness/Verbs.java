package io.github.wsrobustness;

import io.github.wsrobustness.frame.CloseCode;
import io.github.wsrobustness.frame.Frame;
import io.github.wsrobustness.frame.Opcode;
import io.github.wsrobustness.frame.Previews;
import io.github.wsrobustness.frame.ReceivedFrame;
import io.github.wsrobustness.http.HttpStatus;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import okio.ByteString;

/**
 * The assertion verbs of a client and the outcome they rest on: each waits for the event that
 * decides it, and fails through {@link Failures} with the summary first, expected and actual as
 * values, and the transcript last.
 *
 * <p>Decided as soon as an event decides: where a failed connection is expected and the server
 * answers instead (an echo, a pong), a probe ping goes out at once, and its pong proves the server
 * processed everything and kept the connection; the verdict does not wait out the deadline. The
 * echo alone never decides: a server may rightly echo the valid frames sent before the bad one.
 *
 * <p>Thread-safety: as thread-safe as the client; holds no state of its own but the frame cursor.
 */
final class Verbs {
  /** Characters of a message shown in a summary line. */
  private static final int SHOWN = 200;

  /** Serials of probe payloads, unique across clients so that no pong answers another's probe. */
  private static final AtomicLong PROBE_COUNTER = new AtomicLong();

  private final RawWebSocketClient client;
  private final Connection connection;
  private final Handshake handshake;
  private final EventLog events;
  private final Failures failures;

  /** Where the frame and message waits continue; guarded by {@code this}. */
  private long frameCursor;

  Verbs(
      RawWebSocketClient client,
      Connection connection,
      Handshake handshake,
      EventLog events,
      Failures failures) {
    this.client = client;
    this.connection = connection;
    this.handshake = handshake;
    this.events = events;
    this.failures = failures;
  }

  /**
   * Sends a probe ping and waits at most {@code timeout} for its pong: true when the pong came
   * before the connection ended.
   */
  boolean probe(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    return sendProbe() && Boolean.TRUE.equals(events.await(events::probeVerdict, deadline));
  }

  /**
   * Sends a probe ping; false when it could not go out. No probe follows a close frame: a ping
   * after one would be the client's own violation (§5.5.1), and proves nothing.
   */
  private boolean sendProbe() {
    ByteString token = events.newProbe(PROBE_COUNTER.incrementAndGet()); // forgets older pongs
    if (connection.isClosedLocally() || connection.closeSent()) return false;
    return connection.sendFrames(List.of(Frame.ping(token)), Delivery.whole(), "probe: ", false);
  }

  private enum Decided {
    ENDED,
    ANSWERED,
    KEPT_OPEN
  }

  /**
   * How the connection stands, waiting at most {@code timeout}; with {@code probeOnAnswer}, a frame
   * from the server sends a probe, and its pong decides "kept open" at once.
   */
  Outcome awaitOutcome(Duration timeout, boolean probeOnAnswer) {
    long begin = System.nanoTime();
    long deadline = begin + timeout.toNanos();
    boolean probeTried = false;
    boolean probeSent = false;
    while (true) {
      boolean tried = probeTried;
      boolean sent = probeSent;
      Decided decided =
          events.await(
              () -> {
                if (events.closeFrame() != null || events.terminal() != null) return Decided.ENDED;
                if (sent && Boolean.TRUE.equals(events.probeVerdict())) return Decided.KEPT_OPEN;
                boolean mayProbe = probeOnAnswer && !tried && !connection.closeSent();
                return mayProbe && events.answer() != null ? Decided.ANSWERED : null;
              },
              deadline);
      if (decided != Decided.ANSWERED) break;
      probeTried = true;
      probeSent = sendProbe(); // if it cannot go out, the connection's end decides instead
    }

    ServerEvent close = events.closeFrame();
    ServerEvent end = events.terminal();
    ServerEvent answer = events.answer();
    if (close == null && end != null) {
      return outcome(
          Outcome.Kind.DROPPED,
          null,
          tcpEnd(end),
          end.sinceLastSend(),
          end.detail(),
          answer,
          false);
    }
    if (close != null) {
      ServerEvent ending = events.await(events::terminal, deadline);
      Outcome.TcpEnd tcp =
          ending != null
              ? tcpEnd(ending)
              : connection.isClosedLocally()
                  ? Outcome.TcpEnd.CLOSED_BY_CLIENT
                  : Outcome.TcpEnd.OPEN;
      return outcome(
          Outcome.Kind.CLOSED,
          close.frame(),
          tcp,
          close.sinceLastSend(),
          ending == null ? null : ending.detail(),
          answer,
          false);
    }
    if (probeSent && Boolean.TRUE.equals(events.probeVerdict())) {
      return outcome(
          Outcome.Kind.STILL_OPEN,
          null,
          Outcome.TcpEnd.OPEN,
          answer.sinceLastSend(),
          null,
          answer,
          true);
    }
    Duration waited = Duration.ofNanos(System.nanoTime() - begin);
    if (events.readerFailure() != null) {
      return outcome(
          Outcome.Kind.STILL_OPEN,
          null,
          Outcome.TcpEnd.ERROR,
          waited,
          events.readerFailure().toString(),
          answer,
          false);
    }
    return connection.isClosedLocally()
        ? outcome(
            Outcome.Kind.STILL_OPEN,
            null,
            Outcome.TcpEnd.CLOSED_BY_CLIENT,
            waited,
            connection.writeFailureDescription(), // why the client closed: a send did, or null
            answer,
            false)
        : outcome(Outcome.Kind.STILL_OPEN, null, Outcome.TcpEnd.OPEN, waited, null, answer, false);
  }

  private Outcome outcome(
      Outcome.Kind kind,
      ReceivedFrame closeFrame,
      Outcome.TcpEnd tcpEnd,
      Duration after,
      String detail,
      ServerEvent answer,
      boolean keptOpen) {
    return new Outcome(
        kind,
        closeFrame,
        tcpEnd,
        after,
        detail,
        answer,
        keptOpen,
        events.counts(),
        failures.transcriptTail());
  }

  private static Outcome.TcpEnd tcpEnd(ServerEvent event) {
    return switch (event.kind()) {
      case END_OF_STREAM -> Outcome.TcpEnd.CLEAN;
      case RESET -> Outcome.TcpEnd.RESET;
      default -> Outcome.TcpEnd.ERROR;
    };
  }

  // ---------------------------------------------------------------------------------------------
  // How the connection ends

  Outcome assertClosesWith(Duration within, int... codes) {
    if (codes.length == 0) {
      throw new IllegalArgumentException(
          "name at least one close code, e.g. assertClosesWith(1002); to accept any, use"
              + " assertFailsConnection()");
    }
    Outcome outcome = awaitOutcome(within, true);
    if (outcome.isClosedWith(codes)) return outcome;
    throw failures.failure(
        "Expecting a close frame with " + codes(codes) + ", but " + outcome.describe(),
        expectedClose(codes),
        actual(outcome),
        "");
  }

  Outcome assertConnectionDropped(Duration within) {
    Outcome outcome = awaitOutcome(within, true);
    if (outcome.isDropped()) return outcome;
    throw failures.failure(
        "Expecting the server to drop the connection without a close frame, but "
            + outcome.describe(),
        "dropped",
        actual(outcome),
        "");
  }

  Outcome assertFailsConnection(Duration within, int... codes) {
    Outcome outcome = awaitOutcome(within, true);
    boolean closedAsAsked = codes.length == 0 ? outcome.isClosed() : outcome.isClosedWith(codes);
    if (outcome.isDropped() || closedAsAsked) return outcome;
    String close = codes.length == 0 ? "close it" : "close it with " + codes(codes);
    throw failures.failure(
        "Expecting the server to fail the connection ("
            + close
            + ", or drop it: RFC 6455 §7.1.7), but "
            + outcome.describe(),
        (codes.length == 0 ? "a close frame" : expectedClose(codes)) + " or dropped",
        actual(outcome),
        "");
  }

  private static String codes(int... codes) {
    return CloseCode.describeAny(codes);
  }

  private static String expectedClose(int... codes) {
    return Arrays.stream(codes)
        .mapToObj(code -> "close " + CloseCode.describe(code))
        .collect(Collectors.joining(" or "));
  }

  private static String actual(Outcome outcome) {
    return outcome.brief();
  }

  // ---------------------------------------------------------------------------------------------
  // What the server sends

  /**
   * The next frame {@code wanted} (probe pongs skipped), or a failure saying what came instead: the
   * connection's end, or nothing.
   */
  ReceivedFrame awaitFrame(String what, Predicate<ReceivedFrame> wanted, Duration timeout) {
    ServerEvent event = nextFrame(what, wanted, timeout);
    if (!event.isTerminal() && wanted.test(event.frame())) return event.frame();
    Outcome outcome = awaitOutcome(Duration.ZERO, false);
    throw failures.failure(
        "Expecting " + what + ", but " + outcome.describe(), what, outcome.brief(), "");
  }

  /**
   * The next frame the predicate wants, or the close or end that came first; moves the cursor past
   * it. Fails when nothing came, or when frames were let go before the test could read them.
   */
  synchronized ServerEvent nextFrame(
      String what, Predicate<ReceivedFrame> wanted, Duration timeout) {
    long from = frameCursor;
    long deadline = System.nanoTime() + timeout.toNanos();
    ServerEvent event =
        events.awaitEvent(
            from,
            e ->
                e.isTerminal()
                    || e.frame().isClose()
                    || (wanted.test(e.frame()) && !EventLog.isProbeAnswer(e.frame())),
            deadline);
    long letGo = events.framesLetGoFrom(from);
    if (letGo > 0) {
      throw failures.failure(
          "Expecting "
              + what
              + ", but the client let "
              + letGo
              + " frames go before the test read them; "
              + events.counts().describe(),
          what,
          "frames let go",
          "The event log keeps "
              + ReceivedCounts.bytes(events.budget())
              + " of recent events; read as you go, or raise eventLogBudget.");
    }
    if (event == null) {
      throw failures.failure(
          "Expecting " + what + ", but nothing came within " + timeout.toMillis() + " ms",
          what,
          "nothing",
          "");
    }
    frameCursor = event.index() + 1;
    return event;
  }

  ReceivedFrame assertReceivesText(String text) {
    String expected = "the text message " + Previews.text(ByteString.encodeUtf8(text), SHOWN);
    ServerEvent event = nextFrame(expected, f -> f.message() != null, client.deadline());
    ReceivedFrame frame = messageOrFail(expected, text, event);
    if (frame.messageOpcode() == Opcode.TEXT.value()
        && !frame.isMessageTruncated()
        && frame.message().equals(ByteString.encodeUtf8(text))) {
      return frame;
    }
    Object actual =
        frame.messageOpcode() == Opcode.TEXT.value() && !frame.isMessageTruncated()
            ? frame.message().utf8()
            : describeMessage(frame);
    throw failures.failure(
        "Expecting " + expected + ", but the server sent " + describeMessage(frame),
        text,
        actual,
        details(frame));
  }

  ReceivedFrame assertReceivesBinary(ByteString bytes) {
    String expected = "the binary message " + Previews.hex(bytes, SHOWN / 4);
    ServerEvent event = nextFrame(expected, f -> f.message() != null, client.deadline());
    ReceivedFrame frame = messageOrFail(expected, Previews.hex(bytes, 4096), event);
    if (frame.messageOpcode() == Opcode.BINARY.value()
        && !frame.isMessageTruncated()
        && frame.message().equals(bytes)) {
      return frame;
    }
    throw failures.failure(
        "Expecting " + expected + ", but the server sent " + describeMessage(frame),
        Previews.hex(bytes, 4096),
        Previews.hex(frame.message(), 4096),
        details(frame));
  }

  ReceivedFrame assertPong(ByteString payload) {
    String expected = "a pong " + Previews.textOrHex(payload, SHOWN);
    ServerEvent event = nextFrame(expected, ReceivedFrame::isPong, client.deadline());
    if (event.isTerminal() || !event.frame().isPong()) {
      Outcome outcome = awaitOutcome(Duration.ZERO, false);
      throw failures.failure(
          "Expecting " + expected + ", but " + outcome.describe(),
          Previews.textOrHex(payload, SHOWN),
          actual(outcome),
          "");
    }
    ReceivedFrame frame = event.frame();
    if (frame.payload().equals(payload)) return frame;
    throw failures.failure(
        "Expecting "
            + expected
            + ", but the server sent PONG "
            + Previews.textOrHex(frame.payload(), SHOWN),
        Previews.textOrHex(payload, SHOWN),
        Previews.textOrHex(frame.payload(), SHOWN),
        details(frame));
  }

  /** The frame that completes a message, or a failure saying how the connection ended instead. */
  private ReceivedFrame messageOrFail(String expected, Object expectedValue, ServerEvent event) {
    if (!event.isTerminal() && event.frame().message() != null) return event.frame();
    Outcome outcome = awaitOutcome(Duration.ZERO, false);
    throw failures.failure(
        "Expecting " + expected + ", but " + outcome.describe(),
        expectedValue,
        actual(outcome),
        "");
  }

  private static String describeMessage(ReceivedFrame frame) {
    return frame.describeContent();
  }

  /** The frame's header line and violations, for the lines under the summary. */
  private static String details(ReceivedFrame frame) {
    String line = "  frame: " + frame.describe();
    return frame.violations().isEmpty()
        ? line
        : line + "\n  violations: " + String.join("; ", frame.violations());
  }

  void assertStaysOpen() {
    if (probe(client.deadline())) return;
    Outcome outcome = awaitOutcome(Duration.ZERO, false);
    String instead =
        outcome.isStillOpen() && outcome.tcpEnd() == Outcome.TcpEnd.OPEN
            ? "the probe ping got no pong within " + client.deadline().toMillis() + " ms"
            : outcome.describe();
    throw failures.failure(
        "Expecting the connection to stay open (a probe ping answered), but " + instead,
        "open",
        actual(outcome),
        "");
  }

  // ---------------------------------------------------------------------------------------------
  // The handshake and the server

  HandshakeResponse assertHandshakeRejected(int... statuses) {
    if (statuses.length == 0) {
      throw new IllegalArgumentException(
          "name at least one HTTP status, e.g. assertHandshakeRejected(400)");
    }
    return assertHandshakeRejected(
        java.util.Arrays.stream(statuses).mapToObj(HttpStatus::of).toArray(HttpStatus[]::new));
  }

  HandshakeResponse assertHandshakeRejected(HttpStatus... statuses) {
    if (statuses.length == 0) {
      throw new IllegalArgumentException(
          "name at least one HTTP status, e.g. assertHandshakeRejected(HttpStatus.clientError())");
    }
    String expected = HttpStatus.describeAny(statuses);
    HandshakeResponse response = client.handshakeResponse();
    if (response == null) {
      try {
        response = client.awaitHttpResponse();
      } catch (HandshakeException e) {
        throw failures.failure(
            "Expecting the handshake to be answered with "
                + expected
                + ", but "
                + firstLine(e.getMessage()),
            expected,
            "no response",
            "",
            e);
      }
    }
    int status = response.status();
    if (HttpStatus.anyMatches(status, statuses)) return response;
    throw failures.failure(
        "Expecting the handshake to be answered with "
            + expected
            + ", but the server answered "
            + response.statusLine(),
        expected,
        "HTTP " + status,
        response.describe());
  }

  /**
   * The server refused the request sent (any status but 101, or the connection's end) within the
   * deadline; a 101, silence, or an answer that is not HTTP fails.
   */
  HandshakeRefusal assertHandshakeRefused() {
    String expectation =
        "Expecting the server to refuse the handshake (any status but 101, or the connection"
            + " ended), but ";
    String expected = "not HTTP 101, or the connection ended";
    Handshake.Answer answer =
        handshake.awaitAnswer(System.nanoTime() + client.deadline().toNanos());
    HandshakeResponse response = answer.response();
    if (response != null && response.status() != 101) {
      return new HandshakeRefusal(response, null, answer.elapsed());
    }
    if (response != null) {
      throw failures.failure(
          expectation + "it answered " + response.statusLine(),
          expected,
          "HTTP 101",
          response.describe());
    }
    if (answer.why() == HttpResponseReader.UnreadableResponseException.Reason.CONNECTION_ENDED) {
      return new HandshakeRefusal(null, answer.failure(), answer.elapsed());
    }
    String why = firstLine(answer.failure());
    boolean silent =
        answer.why() == HttpResponseReader.UnreadableResponseException.Reason.TIMED_OUT;
    throw failures.failure(
        expectation
            + (silent
                ? why + ", and the connection stayed open"
                : "its answer could not be read: " + why),
        expected,
        silent ? "no answer, connection open" : "unreadable answer",
        "");
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  void assertAlive(ServerUnderTest server, boolean servesOnly) {
    Liveness liveness = servesOnly ? server.checkServes() : server.checkAlive();
    if (liveness.isAlive()) return;
    String description = liveness.description();
    int newline = description.indexOf('\n');
    String first = newline < 0 ? description : description.substring(0, newline);
    String rest = newline < 0 ? "" : description.substring(newline + 1);
    throw failures.failure(
        "Expecting the server at "
            + server.uri()
            + (servesOnly ? " to still serve a fresh client" : " to be alive")
            + ", but "
            + first,
        servesOnly ? "serves a fresh client" : "alive",
        "not alive",
        rest);
  }
}
