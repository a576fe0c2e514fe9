package io.github.wsrobustness;

import io.github.wsrobustness.catalog.CaseResult;
import io.github.wsrobustness.catalog.CatalogueCase;
import io.github.wsrobustness.catalog.CloseVerdict;
import io.github.wsrobustness.catalog.Expectation;
import io.github.wsrobustness.catalog.Expected;
import io.github.wsrobustness.catalog.HandshakeObservation;
import io.github.wsrobustness.catalog.Judgement;
import io.github.wsrobustness.catalog.Observation;
import io.github.wsrobustness.catalog.Received;
import io.github.wsrobustness.catalog.Step;
import io.github.wsrobustness.catalog.Verdict;
import io.github.wsrobustness.catalog.VerdictRules;
import io.github.wsrobustness.catalog.Writes;
import io.github.wsrobustness.frame.Frame;
import io.github.wsrobustness.frame.Opcode;
import io.github.wsrobustness.frame.PerMessageDeflate;
import io.github.wsrobustness.frame.ReceivedFrame;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * Runs catalogue cases against one target: a fresh connection per case, the script carried out step
 * by step, every wait decided by an event (a probe's pong, the close frame, the end of TCP) with
 * the deadline as its outer bound, then the verdict rules, then the server checked: a launched
 * process that exited is DIED (and started again for the next case), one that no longer completes a
 * handshake and a ping is STOPPED SERVING.
 *
 * <p>Thread-safety: thread-safe; runs one case at a time.
 */
final class CatalogueRunner {
  /** Transcript bytes kept in a case's record: the start and the end of a long one. */
  private static final int TRANSCRIPT_HEAD = 16 * 1024;

  private static final int TRANSCRIPT_TAIL = 32 * 1024;

  /** Where the cases go, and how the server is checked after each. */
  interface Servers {
    /** The server the next case attacks (a launched one started again if it died). */
    ServerUnderTest next(String user);

    /** DIED or STOPPED SERVING with why, or null when the server came through the case. */
    Judgement afterCase(ServerUnderTest server, boolean checkServing);

    /**
     * What reads the memory, threads and descriptors of {@code server}, or null where nothing can:
     * a server on another machine, or a system without {@code /proc}.
     */
    default ResourceProbe resources(ServerUnderTest server) {
      return null;
    }
  }

  private final String target;
  private final Servers servers;
  private final Function<URI, RawWebSocketClient.Builder> clients;
  private final Duration deadline;
  private final Duration closeTimeout;
  private final Duration midFrameGrace;

  /** The limit the run's settings give, or null: found by bisection when a case needs it. */
  private final MessageLimit configuredLimit;

  /** How much a server's memory may grow in a case that checks it (and the case's allowance). */
  private final long memoryBudget;

  /** The least wait of a compressed round-trip case that sends fewer than Autobahn's messages. */
  private static final Duration COMPRESSED_WAIT_FLOOR = Duration.ofSeconds(10);

  /** How many messages each compressed round-trip case sends at most (Autobahn: 1000). */
  private final int compressionMessages;

  /** The limit, once a case sized by it ran; guarded by {@link #lock}. */
  private MessageLimit limit;

  private final java.util.concurrent.locks.ReentrantLock lock =
      new java.util.concurrent.locks.ReentrantLock(true);

  CatalogueRunner(
      String target,
      Servers servers,
      Function<URI, RawWebSocketClient.Builder> clients,
      Duration deadline,
      Duration closeTimeout,
      Duration midFrameGrace,
      MessageLimit configuredLimit,
      long memoryBudget,
      int compressionMessages) {
    this.target = target;
    this.compressionMessages = compressionMessages;
    this.memoryBudget = memoryBudget;
    this.servers = servers;
    this.clients = clients;
    this.deadline = deadline;
    this.closeTimeout = closeTimeout;
    this.midFrameGrace = midFrameGrace;
    this.configuredLimit = configuredLimit;
  }

  String target() {
    return target;
  }

  /**
   * Runs {@code testCase}, one case at a time even where JUnit runs dynamic tests in parallel: a
   * death, or a server that stops serving, must be blamed on the one case that was running. The
   * lock is fair: of cases waiting, the one that asked first runs first (not necessarily the first
   * in catalogue order). {@code waiver} is the reason of a waiver covering the case, or null.
   */
  CaseResult run(CatalogueCase testCase, String waiver) {
    lock.lock();
    try {
      return runAlone(testCase, waiver);
    } finally {
      lock.unlock();
    }
  }

  private CaseResult runAlone(CatalogueCase template, String waiver) {
    long start = System.nanoTime();
    ServerUnderTest server;
    try {
      server = servers.next(template.displayName());
    } catch (RuntimeException e) {
      return new CaseResult(
          target,
          template,
          new Judgement(
              Verdict.FAILED,
              CloseVerdict.NOT_CHECKED,
              "the server could not be started for this case: " + e.getMessage()),
          OptionalInt.empty(),
          "",
          Duration.ofNanos(System.nanoTime() - start),
          List.of(),
          "",
          waiver);
    }
    CatalogueCase testCase = template;
    String limitNote = null;
    if (template.dependsOnLimit()) {
      // Found on this server, so that a death during the search is this case's.
      MessageLimit known = configuredLimit != null ? configuredLimit : limitOf(server);
      if (template.reportsLimit() || !known.known()) limitNote = known.description();
      else if (template.sizedForText() && !known.textAgrees()) limitNote = known.description();
      else testCase = template.atLimit(known.bytes());
    }
    Expectation expectation = testCase.expectation();
    Duration wait = expectation.timeout() != null ? expectation.timeout() : deadline;
    List<Step> steps = testCase.script();
    int autobahnMessages = compressedMessages(steps);
    if (autobahnMessages > compressionMessages) {
      // Autobahn's time is for all its messages: fewer get a share of it, at least the floor.
      wait =
          Duration.ofMillis(
              Math.max(
                  COMPRESSED_WAIT_FLOOR.toMillis(),
                  wait.toMillis() * compressionMessages / autobahnMessages));
      steps = withCompressionMessages(steps);
    }
    List<String> script = steps.stream().map(this::describe).toList();
    Judgement judgement;
    Observation observed = null;
    String transcript;
    RawWebSocketClient client = null;
    if (limitNote != null) {
      // The limit is the finding, or the reason the case cannot be sized: nothing more to send.
      judgement =
          new Judgement(
              Verdict.INFORMATIONAL,
              CloseVerdict.NOT_CHECKED,
              template.reportsLimit() ? limitNote : "not run: " + limitNote);
      return notRun(server, true, testCase, judgement, start, script, "", waiver);
    }
    ResourceWatch watch = null;
    ResourceProbe probe =
        expectation.checksMemory() && memoryBudget > 0 ? servers.resources(server) : null;
    if (probe != null) watch = ResourceWatch.start(probe);
    ResourceWatch.Figures figures = null;
    try {
      RawWebSocketClient.Builder builder =
          clients
              .apply(server.uri())
              .deadline(wait)
              .serverUnderTest(server)
              // The limits cases compare only lengths; the longest content compared is 128 KiB.
              .maxFramePayload(1L << 20);
      if (steps.stream().anyMatch(Step.WithholdCloseReply.class::isInstance)) {
        builder.replyToClose(false);
      }
      List<String> offers = testCase.offers();
      if (!offers.isEmpty()) builder.extensions(offers.toArray(new String[0]));
      if (!steps.isEmpty() && steps.get(0) instanceof Step.Upgrade upgrade) {
        client = builder.connectWithoutUpgrade();
        HandshakeObservation answer = answerTo(client, upgrade, expectation, wait);
        judgement = VerdictRules.judgeHandshake(expectation, answer);
        if (answer.status() == 101 && steps.size() > 1 && steps.get(1) instanceof Step.Sync) {
          judgement = afterUpgrade(client, judgement, wait);
        }
      } else {
        client = builder.connect();
        List<String> answer = client.handshakeResponse().headers("Sec-WebSocket-Extensions");
        PerMessageDeflate agreed =
            offers.isEmpty() ? null : PerMessageDeflate.negotiate(offers, answer).agreed();
        if (!offers.isEmpty() && agreed == null) {
          // Autobahn's UNIMPLEMENTED: the server may leave compression off; nothing to judge.
          client.send(Frame.close(1000));
          client.awaitOutcome(closeTimeout);
          Judgement notRun =
              new Judgement(
                  Verdict.INFORMATIONAL,
                  CloseVerdict.NOT_CHECKED,
                  "not run: the server agreed to no permessage-deflate offer (its answer had "
                      + (answer.isEmpty()
                          ? "no Sec-WebSocket-Extensions"
                          : "Sec-WebSocket-Extensions: " + String.join(", ", answer))
                      + ")");
          transcript = client.transcript();
          client.close();
          client = null;
          return notRun(server, false, testCase, notRun, start, script, transcript, waiver);
        }
        CaseRun run = new CaseRun(client, server, steps, expectation, wait, watch, agreed);
        try {
          observed = run.observe(start);
        } finally {
          run.endHeld();
        }
        judgement = VerdictRules.judge(expectation, observed);
        if (run.failure != null) {
          judgement =
              new Judgement(
                  Verdict.FAILED,
                  judgement.close(),
                  run.failure + "\n(on the case's own connection: " + judgement.reason() + ")");
        }
      }
      transcript = client.transcript();
    } catch (RuntimeException e) {
      // An answer that failed the client's checks (an extension answered against RFC 7692, say)
      // is a finding about the server, not a harness that could not run.
      String what =
          e instanceof HandshakeException
              ? "the opening handshake failed: "
              : "the case could not run: ";
      judgement =
          new Judgement(
              Verdict.FAILED, CloseVerdict.UNCLEAN, what + ServingChecks.firstLine(e.getMessage()));
      transcript = client != null ? client.transcript() : String.valueOf(e.getMessage());
    } finally {
      if (client != null) client.close();
      // Whatever ended the case, an Error too: the sampler must not outlive it.
      if (watch != null) watch.stopSampling();
    }
    Duration duration = Duration.ofNanos(System.nanoTime() - start);
    // After bad input, and after a failure (a valid case may have killed the server too).
    boolean check = testCase.sendsInvalidInput() || judgement.verdict() == Verdict.FAILED;
    Judgement health = servers.afterCase(server, check);
    // After the check of the server: the round trip gives it time to let the case's sockets go.
    if (watch != null) figures = watch.finish();
    if (health != null) {
      judgement =
          new Judgement(
              health.verdict(),
              judgement.close(),
              health.reason()
                  + "\n(the case itself: "
                  + judgement.verdict()
                  + ", "
                  + judgement.reason()
                  + ")");
    } else if (expectation.checksMemory() && memoryBudget > 0) {
      judgement = judgedOnMemory(judgement, figures, expectation.memoryAllowance());
    }
    return new CaseResult(
        target,
        testCase,
        judgement,
        observed != null ? observed.closeCode() : OptionalInt.empty(),
        observed != null ? observed.closeReason() : "",
        duration,
        script,
        bounded(transcript),
        waiver);
  }

  /**
   * The result of a case that was not run ({@code judgement} says why), unless the check of the
   * server after it ({@code checkServing}: a fresh client too) finds it died or stopped serving.
   */
  private CaseResult notRun(
      ServerUnderTest server,
      boolean checkServing,
      CatalogueCase testCase,
      Judgement judgement,
      long start,
      List<String> script,
      String transcript,
      String waiver) {
    Judgement health = servers.afterCase(server, checkServing);
    return new CaseResult(
        target,
        testCase,
        health != null ? health : judgement,
        OptionalInt.empty(),
        "",
        Duration.ofNanos(System.nanoTime() - start),
        script,
        bounded(transcript),
        waiver);
  }

  /** The messages the script's compressed round trips send, or 0 without any. */
  private static int compressedMessages(List<Step> steps) {
    return steps.stream()
        .filter(Step.CompressedRoundTrips.class::isInstance)
        .mapToInt(s -> ((Step.CompressedRoundTrips) s).count())
        .max()
        .orElse(0);
  }

  /**
   * {@code steps}, each {@link Step.CompressedRoundTrips} sending at most the run's {@code
   * wsrobustness.catalogue.compressionMessages}.
   */
  private List<Step> withCompressionMessages(List<Step> steps) {
    return steps.stream()
        .map(
            s ->
                s instanceof Step.CompressedRoundTrips trips && trips.count() > compressionMessages
                    ? trips.withCount(compressionMessages)
                    : s)
        .toList();
  }

  /**
   * {@code judgement}, FAILED when the server grew past the budget (and {@code allowance}), with
   * the figures either way; {@code figures} is null where the server could not be measured.
   */
  private Judgement judgedOnMemory(
      Judgement judgement, ResourceWatch.Figures figures, long allowance) {
    if (figures == null || !figures.measured()) {
      String why =
          figures != null
              ? "this JVM ignored the request for a garbage collection (-XX:+DisableExplicitGC?)"
              : ResourceProbe.supported()
                  ? "the server is no process of this machine that /proc shows"
                  : "resources are read from /proc, which this system does not have";
      return new Judgement(
          judgement.verdict(),
          judgement.close(),
          judgement.reason() + "; memory not measured: " + why);
    }
    long allowed = memoryBudget + allowance;
    if (figures.growth() <= allowed) {
      return new Judgement(
          judgement.verdict(),
          judgement.close(),
          judgement.reason() + "; " + figures.describe(allowed));
    }
    return new Judgement(
        Verdict.FAILED,
        judgement.close(),
        figures.overBudget(allowed)
            + "\n"
            + figures.describe(allowed)
            + "\n(the case itself: "
            + judgement.verdict()
            + ", "
            + judgement.reason()
            + ")");
  }

  /** The server's message limit, found once, when a case first needs it. */
  private MessageLimit limitOf(ServerUnderTest server) {
    if (limit == null) limit = MessageLimit.search(server.uri(), clients, deadline);
    return limit;
  }

  /**
   * {@code judgement}, FAILED when a probe's ping sent after the upgrade gets no pong: the server
   * read what the request carried after its head (a body) as frames.
   */
  private Judgement afterUpgrade(RawWebSocketClient client, Judgement judgement, Duration wait) {
    if (judgement.verdict() != Verdict.OK) return judgement;
    if (client.probe(wait)) {
      return new Judgement(
          Verdict.OK,
          judgement.close(),
          judgement.reason() + "; a ping after the upgrade got its pong");
    }
    Outcome outcome = client.awaitOutcome(closeTimeout);
    String what =
        outcome.isClosed()
            ? "the server closed the connection"
                + (outcome.closeCode().isPresent() ? " with " + outcome.closeCode().getAsInt() : "")
            : outcome.isDropped() ? "the server dropped the connection" : "nothing came back";
    return new Judgement(
        Verdict.FAILED,
        judgement.close(),
        "upgraded, but a ping sent after the upgrade got no pong: "
            + what
            + "; the request's body was read as WebSocket frames, not consumed as HTTP ("
            + judgement.reason()
            + ")");
  }

  /** Sends the case's opening handshake and reads what the server made of it. */
  private static HandshakeObservation answerTo(
      RawWebSocketClient client, Step.Upgrade upgrade, Expectation expectation, Duration wait) {
    client.sendHandshake(upgrade.edit().apply(client.handshakeRequest()));
    Handshake.Answer answer = client.awaitAnswer(System.nanoTime() + wait.toNanos());
    HandshakeResponse response = answer.response();
    if (response != null) {
      String[] token = expectation.headerToken();
      return new HandshakeObservation(
          HandshakeObservation.How.ANSWERED,
          response.status(),
          response.statusLine(),
          token == null ? List.of() : response.headerTokens(token[0]),
          "",
          answer.elapsed());
    }
    HandshakeObservation.How how =
        switch (answer.why()) {
          case CONNECTION_ENDED -> HandshakeObservation.How.ENDED;
          case TIMED_OUT -> HandshakeObservation.How.SILENT;
          case NOT_HTTP -> HandshakeObservation.How.NOT_HTTP;
        };
    return new HandshakeObservation(
        how, 0, "", List.of(), ServingChecks.firstLine(answer.failure()), answer.elapsed());
  }

  private static String bounded(String transcript) {
    if (transcript.length() <= TRANSCRIPT_HEAD + TRANSCRIPT_TAIL) return transcript;
    int left = transcript.length() - TRANSCRIPT_HEAD - TRANSCRIPT_TAIL;
    return transcript.substring(0, TRANSCRIPT_HEAD)
        + "\n… "
        + String.format("%,d", left)
        + " characters left out …\n"
        + transcript.substring(transcript.length() - TRANSCRIPT_TAIL);
  }

  private String describe(Step step) {
    if (step instanceof Step.Send send) return describeSend(send.frames(), send.writes());
    if (step instanceof Step.SendBytes bytes) {
      return bytes.bytes().size() + " raw bytes (part of a frame), in one write";
    }
    if (step instanceof Step.OpenConnections open) {
      return String.format("%,d", open.count())
          + (open.unfinished()
              ? " more connections at once, each a request head without its end, then held"
              : " more connections at once, each an opening handshake, then held idle");
    }
    if (step instanceof Step.DribbleHeads dribble) {
      return String.format("%,d", dribble.count())
          + " more connections at once, each sending its opening handshake a byte every "
          + dribble.interval().toMillis()
          + " ms, meanwhile";
    }
    if (step instanceof Step.AwaitDribbledHeads) {
      return "wait until each dribbled head is whole and answered, or ended by the server";
    }
    if (step instanceof Step.Pings pings) {
      return String.format("%,d", pings.count())
          + " pings, each with its number, in writes of 64 KiB";
    }
    if (step instanceof Step.WithholdCloseReply) {
      return "answer no close frame, and keep TCP open, until the case ends";
    }
    if (step instanceof Step.CheckFreshClient) {
      return "a fresh client: an opening handshake and a ping round trip, the rest held";
    }
    if (step instanceof Step.EndConnections end) {
      return "end the held connections at once, "
          + (end.reset() ? "each with a reset" : "each with a FIN");
    }
    if (step instanceof Step.SendFiller filler) {
      return String.format("%,d", filler.count())
          + " raw bytes 0x"
          + Integer.toHexString(filler.fill() & 0xff)
          + " (the rest of the frame's payload)";
    }
    if (step instanceof Step.AwaitEnd) {
      return "wait at most "
          + midFrameGrace.toMillis()
          + " ms for the server to end the connection";
    }
    if (step instanceof Step.Upgrade upgrade) {
      return "an opening handshake: " + upgrade.description();
    }
    if (step instanceof Step.HalfClose) return "shut down the client's sending side (TCP FIN)";
    if (step instanceof Step.Reset) return "reset the connection (TCP RST)";
    if (step instanceof Step.RoundTrips trips) {
      return trips.count() + " round trips, each: " + trips.frame().describe() + ", then its echo";
    }
    if (step instanceof Step.CompressedRoundTrips trips) {
      return String.format(
          java.util.Locale.ROOT,
          "%,d round trips, each: a %s message of %,d bytes cut from %s, compressed%s, then its"
              + " echo, compared inflated",
          trips.count(),
          trips.text() ? "text" : "binary",
          trips.size(),
          trips.sampleName(),
          trips.fragment() == 0 ? "" : String.format(", in frames of %,d bytes", trips.fragment()));
    }
    return "a probe ping, and wait for its pong";
  }

  private static String describeSend(List<Frame> frames, Writes writes) {
    if (frames.size() <= 6) {
      List<String> each = frames.stream().map(Frame::describe).toList();
      return String.join("; ", each) + " — " + writes;
    }
    return frames.size()
        + " frames, from "
        + frames.get(0).describe()
        + " to "
        + frames.get(frames.size() - 1).describe()
        + " — "
        + writes;
  }

  /** One case on one connection. */
  private final class CaseRun {
    private final RawWebSocketClient client;
    private final List<Step> steps;
    private final Expectation expectation;
    private final Duration wait;

    /** The index of the first event not yet looked at. */
    private long next;

    /** Data messages, pings and pongs seen so far (probe pongs aside). */
    private int items;

    /** Whether a close frame or the end of TCP has been seen. */
    private boolean ended;

    /** Events before this index came before the client's own close frame (-1: none sent). */
    private long clientCloseMark = -1;

    private String note = "";
    private boolean sendFailureNoted;

    /** Whether a wait for the server's answer ran out: later waits for answers are skipped. */
    private boolean gaveUp;

    /** Whether the script shut down the client's sending side: nothing more can be sent. */
    private boolean outputShut;

    /** The server's resources through the case, or null when they are not watched. */
    private final ResourceWatch watch;

    private final ServerUnderTest server;

    /** The connections the case holds beside its own, or null. */
    private HeldConnections held;

    /** The connections dribbling request heads beside the case's own, or null. */
    private DribbledHeads dribbled;

    /** Why the case fails whatever its own connection shows (a flood unanswered), or null. */
    private String failure;

    /** How many pings {@link Step.Pings} sent; their pongs are checked apart. */
    private int floodPings;

    /** The permessage-deflate the handshake agreed, or null. */
    private final PerMessageDeflate agreed;

    /** Messages before this event index were echoes {@link CompressedEchoes} compared already. */
    private long comparedEchoes;

    CaseRun(
        RawWebSocketClient client,
        ServerUnderTest server,
        List<Step> steps,
        Expectation expectation,
        Duration wait,
        ResourceWatch watch,
        PerMessageDeflate agreed) {
      this.agreed = agreed;
      this.client = client;
      this.server = server;
      this.steps = steps;
      this.expectation = expectation;
      this.wait = wait;
      this.watch = watch;
    }

    Observation observe(long start) {
      int endStep = -1;
      for (int i = 0; i < steps.size() && endStep < 0; i++) {
        if (!perform(steps.get(i))) endStep = i;
      }
      // A check of the server runs whatever became of this connection.
      for (int i = endStep + 1; endStep >= 0 && i < steps.size(); i++) {
        if (steps.get(i) instanceof Step.CheckFreshClient) perform(steps.get(i));
      }
      // Whatever the server kept of the input, it holds now (before the case's answers and close).
      if (watch != null) watch.inputSent();
      boolean keptOpen = false;
      switch (expectation.kind()) {
        case ECHO, ECHO_OR_FAIL -> {
          boolean answered = ended || awaitItems(expectation.frames().size(), deadlineIn(wait));
          // Neither the echoes nor a failure within the wait: a drop that comes later, after the
          // client's close, is no refusal of the input.
          keptOpen = !answered && !ended && expectation.kind() == Expectation.Kind.ECHO_OR_FAIL;
          sendClose();
        }
        case FAIL, FAIL_FAST -> {
          // Proof by event: the pong of a probe sent after everything else shows the server kept
          // the connection; a conforming server's close frame comes instead. A server that answers
          // pings apart from its data still gets the close timeout to fail the connection.
          // After the client's FIN no probe can go out: the server's own end decides, below.
          if (!ended && !client.closeSent() && !outputShut && client.probe(wait)) {
            // Only while nothing unexpected came: a server that echoed the bad input has failed
            // the case already, and waiting on it would only cost time.
            ServerEvent failure =
                onlyExpectedSoFar()
                    ? client.awaitEvent(0, e -> e.isTerminal() || e.isCloseFrame(), closeTimeout)
                    : null;
            keptOpen = failure == null;
            if (keptOpen) sendClose();
          }
        }
        case CLOSE_REPLY, INFORMATIONAL -> {
          if (!client.closeSent()) sendClose();
        }
        case SURVIVE -> {
          // Nothing is due on this connection: the check of the server after the case decides.
        }
      }
      // The close handshake and the end of TCP are due at once now: Autobahn allows a second. A
      // server that got the client's FIN mid-frame gets the case's whole wait to notice it.
      Duration endWait =
          expectation.kind() == Expectation.Kind.SURVIVE
              ? Duration.ZERO
              : outputShut ? wait : closeTimeout;
      Outcome outcome = client.awaitOutcome(endWait);
      if (floodPings > 0 && failure == null) failure = floodPongProblem();
      if (endStep < 0 && (outcome.isClosed() || outcome.isDropped())) {
        endStep = steps.size();
      }
      return new Observation(
          received(),
          end(outcome),
          outcome.closeCode(),
          outcome.closeReason(),
          outcome.isClosed() && outcome.tcpEnded(),
          keptOpen ? -1 : endStep,
          keptOpen,
          violations(),
          Duration.ofNanos(System.nanoTime() - start),
          note);
    }

    /** Carries out one step; false when the connection ended during it. */
    private boolean perform(Step step) {
      if (step instanceof Step.Send send) {
        // A close frame in the script of a case that expects a failure is part of the bad input
        // (RSV bits on a close, say): the server's close then starts the closing, not answers it.
        boolean failureExpected =
            expectation.kind() == Expectation.Kind.FAIL
                || expectation.kind() == Expectation.Kind.FAIL_FAST;
        if (clientCloseMark < 0 && !failureExpected && containsClose(send.frames())) {
          clientCloseMark = markNow();
        }
        send(send.frames(), send.writes());
      } else if (step instanceof Step.SendBytes bytes) {
        client.sendRaw(bytes.bytes());
      } else if (step instanceof Step.SendFiller filler) {
        sendFiller(filler);
      } else if (step instanceof Step.OpenConnections open) {
        held = HeldConnections.open(server.uri(), clients, open.count(), wait, open.unfinished());
        addNote(held.describe());
        if (failure == null) failure = held.failure();
      } else if (step instanceof Step.DribbleHeads dribble) {
        dribbled =
            DribbledHeads.start(server.uri(), clients, dribble.count(), dribble.interval(), wait);
      } else if (step instanceof Step.AwaitDribbledHeads) {
        if (dribbled != null) {
          dribbled.awaitAnswers();
          addNote(dribbled.describe());
          if (failure == null) failure = dribbled.failure();
        }
      } else if (step instanceof Step.Pings pings) {
        List<Frame> frames = new ArrayList<>(pings.count());
        for (int i = 1; i <= pings.count(); i++) {
          frames.add(Frame.ping(okio.ByteString.encodeUtf8(FLOOD_PING_PREFIX + i)));
        }
        floodPings = pings.count();
        client.sendCoalesced(Delivery.inChunksOf(64 * 1024), frames.toArray(new Frame[0]));
      } else if (step instanceof Step.CheckFreshClient) {
        Liveness serves = server.checkServes();
        if (!serves.isAlive() && failure == null) {
          failure =
              "while the case held its connections, a fresh client was not served: "
                  + serves.description();
        }
      } else if (step instanceof Step.EndConnections end) {
        if (held != null) held.end(end.reset());
        if (dribbled != null) dribbled.end(end.reset());
      } else if (step instanceof Step.Sync) {
        if (!client.probe(wait)) {
          if (endSeen()) {
            ended = true;
            return false;
          }
          // No pong, yet the connection is open: go on as Autobahn's pause would.
          addNote("no pong to the probe ping within " + wait.toMillis() + " ms");
        }
      } else if (step instanceof Step.HalfClose) {
        client.shutdownOutput();
        outputShut = true;
      } else if (step instanceof Step.Reset) {
        client.abort();
        ended = true;
        return false;
      } else if (step instanceof Step.AwaitEnd) {
        ServerEvent end =
            client.awaitEvent(next, e -> e.isTerminal() || e.isCloseFrame(), midFrameGrace);
        if (end != null) {
          ended = true;
          return false;
        }
      } else if (step instanceof Step.CompressedRoundTrips trips) {
        CompressedEchoes.Result result =
            CompressedEchoes.run(client, trips, agreed, next, deadlineIn(wait));
        next = result.next();
        comparedEchoes = result.next();
        addNote(result.note());
        if (failure == null) failure = result.failure();
        if (result.ended()) {
          ended = true;
          return false;
        }
        if (result.failure() != null) gaveUp = true;
      } else if (step instanceof Step.RoundTrips trips) {
        long deadline = deadlineIn(wait);
        for (int i = 0; i < trips.count() && !gaveUp; i++) {
          client.send(trips.frame());
          if (!awaitItems(items + 1, deadline)) {
            if (ended) return false;
            addNote(
                "round trip "
                    + (i + 1)
                    + " got no echo; all "
                    + trips.count()
                    + " had "
                    + wait.toSeconds()
                    + " s");
          }
        }
      }
      if (client.writeFailure() != null && !sendFailureNoted) {
        sendFailureNoted = true;
        addNote("a send failed: " + client.writeFailure().getMessage());
      }
      return true;
    }

    /**
     * What is wrong with the pongs to {@link Step.Pings}' pings, or null (§5.5.3): each must answer
     * a ping sent, in the order sent; the last ping must be answered before the message after it is
     * echoed. A server may answer only the latest of the pings it has not answered.
     */
    private String floodPongProblem() {
      int last = 0;
      int pongs = 0;
      for (ServerEvent event : client.events()) {
        ReceivedFrame frame = event.frame();
        if (event.isTerminal() || event.isCloseFrame()) break;
        if (frame == null) continue;
        if (isFloodPong(frame)) {
          int n = floodPingNumber(frame);
          if (n <= last || n > floodPings) {
            return "a pong answers "
                + (n < 0 ? "no ping sent" : "ping " + n)
                + " after one to ping "
                + last
                + ": pongs answer pings in the order sent (§5.5.3)";
          }
          last = n;
          pongs++;
        } else if (frame.message() != null && last < floodPings) {
          return "a message came back before any pong to the last of "
              + String.format("%,d", floodPings)
              + " pings ("
              + String.format("%,d", pongs)
              + " pongs, the last to ping "
              + last
              + "): a server may answer only the latest ping, not none of the last (§5.5.3)";
        }
      }
      addNote(String.format("%,d pongs to %,d pings", pongs, floodPings));
      return null;
    }

    /** Ends the connections the case held, if it still holds them. */
    void endHeld() {
      if (held != null) held.close();
      if (dribbled != null) dribbled.close();
    }

    /** Writes the filler 1 MiB at a time, so that it is never held whole; stops at a failure. */
    private void sendFiller(Step.SendFiller filler) {
      byte[] chunk = new byte[(int) Math.min(filler.count(), 1 << 20)];
      java.util.Arrays.fill(chunk, filler.fill());
      okio.ByteString whole = okio.ByteString.of(chunk);
      long deadline = deadlineIn(wait); // one for the whole payload, not one per piece
      for (long left = filler.count();
          left > 0 && client.writeFailure() == null && System.nanoTime() < deadline; ) {
        int n = (int) Math.min(left, chunk.length);
        client.sendRaw(n == chunk.length ? whole : whole.substring(0, n));
        left -= n;
      }
    }

    private void addNote(String text) {
      note = note.isEmpty() ? text : note + "; " + text;
    }

    /** Whether a close frame or the end of TCP is among the events read so far. */
    private boolean endSeen() {
      return client.awaitEvent(0, e -> e.isTerminal() || e.isCloseFrame(), Duration.ZERO) != null;
    }

    private void send(List<Frame> frames, Writes writes) {
      Frame[] array = frames.toArray(new Frame[0]);
      switch (writes.kind()) {
        case ONE_WRITE -> client.sendCoalesced(array);
        case EACH_FRAME -> frames.forEach(client::send);
        case CHUNKS -> client.sendCoalesced(Delivery.inChunksOf(writes.chunk()), array);
        case SPLIT -> client.sendCoalesced(Delivery.splitAt(writes.offsets()), array);
        case BOUNDARIES ->
            client.sendCoalesced(
                Delivery.splitAt(boundaries(frames)).pauseBetween(Writes.BOUNDARY_PAUSE), array);
      }
    }

    /**
     * Where {@link Writes.Kind#BOUNDARIES} cuts {@code frames} written back to back: after each
     * frame's first byte, inside and after its extended length, inside and after its masking key,
     * and in the middle of its payload.
     */
    private long[] boundaries(List<Frame> frames) {
      List<Long> cuts = new ArrayList<>();
      long at = 0;
      for (Frame frame : frames) {
        int extra = frame.lengthEncoding().extraBytes();
        cuts.add(at + 1);
        cuts.add(at + 2);
        long header = at + 2;
        if (extra > 0) {
          cuts.add(header + extra / 2);
          cuts.add(header + extra);
          header += extra;
        }
        if (frame.isMasked()) {
          cuts.add(header + 2);
          cuts.add(header + 4);
          header += 4;
        }
        long payload = frame.payloadLength();
        if (payload >= 2) cuts.add(header + payload / 2);
        at = header + payload;
      }
      long end = at;
      cuts.removeIf(cut -> cut >= end);
      return cuts.stream().mapToLong(Long::longValue).distinct().toArray();
    }

    /** Waits until {@code count} items came, the connection ended, or the deadline; true: came. */
    private boolean awaitItems(int count, long deadlineNanos) {
      while (items < count && !ended && !gaveUp) {
        long left = deadlineNanos - System.nanoTime();
        ServerEvent event =
            left <= 0 ? null : client.awaitEvent(next, e -> true, Duration.ofNanos(left));
        if (event == null) {
          gaveUp = !ended;
          return false;
        }
        next = event.index() + 1;
        if (event.isTerminal() || event.isCloseFrame()) ended = true;
        else if (item(event.frame()) != null) items++;
      }
      return items >= count;
    }

    private void sendClose() {
      // What the server sent before this close must be numbered before it: a close of its own
      // already on the wire makes it the endpoint that closed first.
      client.readArrived(Duration.ofMillis(50));
      if (client.closeSent() || client.isClosedLocally()) return;
      if (clientCloseMark < 0) clientCloseMark = markNow();
      client.send(Frame.close(1000));
    }

    /** The index the next event will get: events read until now come before it. */
    private long markNow() {
      List<ServerEvent> events = client.events();
      return events.isEmpty() ? next : events.get(events.size() - 1).index() + 1;
    }

    private Observation.End end(Outcome outcome) {
      // A send that blocked past the deadline made the client close the socket itself, and the
      // reading then failed: that is the server not reading, not the server ending the connection.
      if (outcome.isDropped()
          && outcome.tcpEnd() == Outcome.TcpEnd.ERROR
          && client.writeFailure() != null
          && client.isClosedLocally()) {
        return Observation.End.OPEN;
      }
      if (outcome.isDropped()) return Observation.End.DROPPED;
      if (!outcome.isClosed()) return Observation.End.OPEN;
      long closeIndex = -1;
      for (ServerEvent event : client.events()) {
        if (event.isCloseFrame()) {
          closeIndex = event.index();
          break;
        }
      }
      boolean beforeClients =
          clientCloseMark < 0 || (closeIndex >= 0 && closeIndex < clientCloseMark);
      return beforeClients ? Observation.End.SERVER_CLOSED : Observation.End.CLOSE_REPLY;
    }

    /** Whether what the server sent so far is the start of what the expectation allows. */
    private boolean onlyExpectedSoFar() {
      List<Received> so = received();
      List<Expected> allowed = expectation.frames();
      if (so.size() > allowed.size()) return false;
      for (int i = 0; i < so.size(); i++) if (!allowed.get(i).matches(so.get(i))) return false;
      return true;
    }

    /** The server's own violations of RFC 6455, as the strict reader found them, each once. */
    private List<String> violations() {
      java.util.Set<String> found = new java.util.LinkedHashSet<>();
      for (ServerEvent event : client.events()) {
        if (event.frame() != null) found.addAll(event.frame().violations());
        if (found.size() >= 10) break;
      }
      return List.copyOf(found);
    }

    /** What the server sent before its close frame, probe pongs left out. */
    private List<Received> received() {
      List<Received> list = new ArrayList<>();
      for (ServerEvent event : client.events()) {
        if (event.isTerminal() || event.isCloseFrame()) break;
        // Echoes compared as they came; the oldest may be gone from the log by now.
        ReceivedFrame frame = event.frame();
        if (event.index() < comparedEchoes && frame != null && frame.message() != null) continue;
        Received item = item(event.frame());
        if (item != null) list.add(item);
      }
      return list;
    }
  }

  /** The payload of {@link Step.Pings}' n-th ping: the prefix, then n. */
  private static final String FLOOD_PING_PREFIX = "wsrobustness-ping-";

  private static boolean isFloodPong(ReceivedFrame frame) {
    return frame.isPong()
        && frame.payload().startsWith(okio.ByteString.encodeUtf8(FLOOD_PING_PREFIX));
  }

  /** The n of a flood pong's payload, or -1 when it names no number. */
  private static int floodPingNumber(ReceivedFrame frame) {
    String text = frame.payload().utf8().substring(FLOOD_PING_PREFIX.length());
    return text.matches("\\d{1,6}") ? Integer.parseInt(text) : -1;
  }

  /** A frame as the rules compare it, or null for a fragment, a probe pong or a stray frame. */
  private static Received item(ReceivedFrame frame) {
    if (frame == null) return null;
    // Pongs to a flood of pings are checked apart: how many come is the server's choice.
    if (isFloodPong(frame)) return null;
    if (frame.isPing()) {
      return new Received(
          Received.Kind.PING, frame.opcode(), frame.payload(), frame.declaredLength());
    }
    if (frame.isPong()) {
      if (EventLog.isProbeAnswer(frame)) return null;
      return new Received(
          Received.Kind.PONG, frame.opcode(), frame.payload(), frame.declaredLength());
    }
    if (frame.message() != null) {
      return new Received(
          Received.Kind.MESSAGE, frame.messageOpcode(), frame.message(), frame.messageLength());
    }
    return null;
  }

  private static boolean containsClose(List<Frame> frames) {
    for (Frame frame : frames) if (frame.opcode() == Opcode.CLOSE.value()) return true;
    return false;
  }

  private static long deadlineIn(Duration wait) {
    return System.nanoTime() + wait.toNanos();
  }
}
