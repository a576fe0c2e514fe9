package io.github.wsrobustness;

import io.github.wsrobustness.Transcript.Direction;
import io.github.wsrobustness.frame.CloseCode;
import io.github.wsrobustness.frame.Frame;
import io.github.wsrobustness.frame.ReceivedFrame;
import io.github.wsrobustness.http.HandshakeRequest;
import io.github.wsrobustness.http.HttpStatus;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import javax.net.ssl.SSLSocketFactory;
import okio.ByteString;

/**
 * A scripted WebSocket client that can send anything and reports exactly what came back: the tool a
 * robustness test drives (RFC 6455 §4 handshake, §5 framing, §7 closing).
 *
 * <p>It sends what it is told, legal or not ({@link #send(Frame)}, {@link #sendRaw(ByteString)},
 * {@link #sendHandshake(HandshakeRequest)}, cut into writes as a {@link Delivery} says), and never
 * repairs a frame. Everything the server sends becomes a numbered, timestamped {@link ServerEvent};
 * {@link #awaitOutcome()} tells how the connection ended, typed: closed with a close frame,
 * dropped, or still open. {@link #probe()} proves all sent before it was processed. Without JUnit:
 *
 * <pre>{@code
 * try (RawWebSocketClient ws = RawWebSocketClient.connect("ws://127.0.0.1:8080/chat")) {
 *   ws.send(Frame.text("hello").unmasked());
 *   Outcome outcome = ws.awaitOutcome();   // the server closed with 1002 ... then TCP closed cleanly
 * }
 * }</pre>
 *
 * <p><b>Nothing the server does can knock it over.</b> One deadline bounds connecting (TCP, TLS and
 * the HTTP answer together), each send and each wait; what it keeps of the server's bytes is
 * bounded ({@link #received()}); credentials are redacted from every report. It answers a close
 * frame with its own (§5.5.1), pings only as {@link Builder#answerPings}. Its parts have one job
 * each (CONTRIBUTING.md lists them).
 *
 * <p>Thread-safety: thread-safe. Sends are serialised and may come from any thread; waits may be
 * called from any thread, though a test normally drives a client from one.
 */
public final class RawWebSocketClient implements AutoCloseable {
  /** The deadline every wait uses unless told otherwise. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(5);

  private final ClientSettings settings;
  private final Transcript transcript;
  private final EventLog events;
  private final Connection connection;
  private final Failures failures;
  private final Handshake handshake;
  private final Verbs verbs;

  /** Connects TCP (and TLS) before {@code deadlineNanos}; the clock of its records starts then. */
  private RawWebSocketClient(ClientSettings settings, long startNanos, long deadlineNanos) {
    this.settings = settings;
    this.transcript = new Transcript(startNanos);
    this.events = new EventLog(startNanos, settings.eventLogBudget());
    this.connection = Connection.open(settings, transcript, events, startNanos, deadlineNanos);
    this.failures = new Failures(transcript, settings.uri());
    this.handshake = new Handshake(settings, connection, events, transcript, this::transcriptTail);
    this.verbs = new Verbs(this, connection, handshake, events, failures);
  }

  /** Settings for a client of {@code uri} ({@code ws://} or {@code wss://}). */
  public static Builder builder(URI uri) {
    return new Builder(new ClientSettings.Draft(uri));
  }

  /** Settings for a client of {@code uri}, parsed; a malformed URI fails here with the reason. */
  public static Builder builder(String uri) {
    return builder(ClientSettings.parseUri(uri));
  }

  /** Connects to {@code uri} and completes the opening handshake, with default settings. */
  public static RawWebSocketClient connect(String uri) {
    return builder(uri).connect();
  }

  /** Connects to {@code uri} and completes the opening handshake, with default settings. */
  public static RawWebSocketClient connect(URI uri) {
    return builder(uri).connect();
  }

  /** The URI this client connects to. */
  public URI uri() {
    return settings.uri();
  }

  /** The deadline waits use when not given one. */
  public Duration deadline() {
    return settings.deadline();
  }

  /** The server's handshake response, or null before one was read. */
  public HandshakeResponse handshakeResponse() {
    return handshake.response();
  }

  /** The request a well-behaved client sends with this key: a base for abusive variants. */
  public String handshakeRequest(String key) {
    return Handshake.request(settings, key);
  }

  /** This client's own request ({@code @UpgradeRequest} headers …), to vary: a HandshakeRequest. */
  public HandshakeRequest handshakeRequest() {
    return Handshake.requestOf(settings);
  }

  /** Sends {@code request} in one write; see {@link #sendHandshake(HandshakeRequest, Delivery)}. */
  public boolean sendHandshake(HandshakeRequest request) {
    return handshake.send(request, Delivery.whole());
  }

  /** Sends {@code request} cut as {@code delivery} says; false: answered or dropped mid-request. */
  public boolean sendHandshake(HandshakeRequest request, Delivery delivery) {
    return handshake.send(request, delivery);
  }

  /** A fresh random {@code Sec-WebSocket-Key}: 16 random bytes, base64 (§4.1). */
  public String newHandshakeKey() {
    return Handshake.newKey(settings.random());
  }

  /**
   * Sends the opening handshake and checks the answer (§4.1: 101, Upgrade, Connection, the right
   * Accept), then reads frames; else throws a {@link HandshakeException} saying what was wrong.
   */
  public HandshakeResponse upgrade() {
    return handshake.upgrade(System.nanoTime() + settings.deadline().toNanos());
  }

  /** As {@link #upgrade()}, sending {@code request}; the 101 must answer one of its keys. */
  public HandshakeResponse upgrade(HandshakeRequest request) {
    return handshake.upgrade(request, Delivery.whole(), System.nanoTime() + deadline().toNanos());
  }

  /** The HTTP answer to the request bytes sent, unjudged, within the deadline (else throws). */
  public HandshakeResponse awaitHttpResponse() {
    return handshake.awaitResponse(System.nanoTime() + settings.deadline().toNanos());
  }

  /** The answer to the request sent, or how none came, by the deadline: not judged here. */
  Handshake.Answer awaitAnswer(long deadlineNanos) {
    return handshake.awaitAnswer(deadlineNanos);
  }

  /** Stops reading, to play a slow reader: the server's writes fill the TCP window, then block. */
  public void stopReading() {
    handshake.reader().ifPresent(ServerReader::stop);
    transcript.note(Direction.NOTE, "client stopped reading");
  }

  /** Reads again after {@link #stopReading()}. */
  public void resumeReading() {
    handshake.reader().ifPresent(ServerReader::resume);
    transcript.note(Direction.NOTE, "client resumed reading");
  }

  /** Sends one frame in one write. */
  public void send(Frame frame) {
    send(frame, Delivery.whole());
  }

  /**
   * Sends one frame, cut into writes as {@code delivery} says, within the deadline (plus its
   * pauses); never throws for a dead or stalled connection: see {@link #writeFailure()}.
   */
  public void send(Frame frame, Delivery delivery) {
    sendFrames(List.of(frame), delivery);
  }

  /** Sends these frames back to back in a single write, as one TCP send. */
  public void sendCoalesced(Frame... frames) {
    sendCoalesced(Delivery.whole(), frames);
  }

  /** Sends these frames back to back, the bytes of all of them cut as {@code delivery} says. */
  public void sendCoalesced(Delivery delivery, Frame... frames) {
    sendFrames(List.of(frames), delivery);
  }

  private void sendFrames(List<Frame> frames, Delivery delivery) {
    connection.requireOpen();
    long size = frames.stream().mapToLong(Frame::payloadLength).sum();
    handshake.reader().ifPresent(reader -> reader.beforeSend(size));
    connection.sendFrames(frames, delivery, "", true);
  }

  /** A text frame with this text: shorthand for {@code send(Frame.text(text))}. */
  public void sendText(String text) {
    send(Frame.text(text));
  }

  /** Sends a close frame {@code code}/{@code reason}, not waiting: see {@link #closeHandshake}. */
  public void sendClose(int code, String reason) {
    send(Frame.close(code, reason));
  }

  /** Sends these bytes as they are, in one write. */
  public void sendRaw(ByteString bytes) {
    sendRaw(bytes, Delivery.whole());
  }

  /** Sends this text as UTF-8 bytes, as it is (handshake abuse, for one). */
  public void sendRaw(String text) {
    sendRaw(ByteString.encodeUtf8(text), Delivery.whole());
  }

  /** Sends these bytes as they are, cut as {@code delivery} says (pacing: as sendHandshake's). */
  public void sendRaw(ByteString bytes, Delivery delivery) {
    connection.requireOpen();
    handshake.reader().ifPresent(reader -> reader.beforeSend(bytes.size()));
    connection.sendRaw(bytes, delivery);
  }

  /** The failure of the last failed write, or null: the outcome reports a drop mid-send. */
  public IOException writeFailure() {
    return connection.writeFailure();
  }

  /** Sends a close frame and awaits the outcome: a conforming server closes, drops TCP (§7.1.2). */
  public Outcome closeHandshake(int code, String reason) {
    sendClose(code, reason);
    return awaitOutcome();
  }

  /** Half-closes: shuts down the sending side (a FIN; over TLS a close_notify first), reads on. */
  public void shutdownOutput() {
    connection.shutdownOutput();
  }

  /** Ends the connection abortively: SO_LINGER 0, so the close sends a TCP RST instead of a FIN. */
  public void abort() {
    connection.abort();
    handshake.reader().ifPresent(ServerReader::release);
  }

  /** Releases the socket and any reading thread, without a close handshake. Idempotent. */
  @Override
  public void close() {
    connection.close();
    handshake.reader().ifPresent(ServerReader::release);
  }

  /** Whether this client ended the connection itself: close, abort, or a send past its deadline. */
  public boolean isClosedLocally() {
    return connection.isClosedLocally();
  }

  /** The events kept so far, oldest first: all of them, unless the event log had to let some go. */
  public List<ServerEvent> events() {
    return events.events();
  }

  /** How much the server has sent so far, and how much of it the event log let go. */
  public ReceivedCounts received() {
    return events.counts();
  }

  /** The next frame not yet returned by this method, waiting at most the deadline. */
  public ReceivedFrame awaitFrame() {
    return awaitFrame(settings.deadline());
  }

  /**
   * The next frame not yet returned by this method (probe pongs skipped), within {@code timeout};
   * fails when the connection ends or the timeout passes first, or the frame was let go unread.
   */
  public ReceivedFrame awaitFrame(Duration timeout) {
    return verbs.awaitFrame("a frame from the server", f -> true, timeout);
  }

  /**
   * The first event from {@code fromIndex} on (see {@link ServerEvent#index()}) that matches,
   * waiting until {@code timeout}; null at the deadline, or when the connection ended without one.
   */
  public ServerEvent awaitEvent(long fromIndex, Predicate<ServerEvent> matcher, Duration timeout) {
    return events.awaitEvent(fromIndex, matcher, System.nanoTime() + timeout.toNanos());
  }

  /** How the connection stands, waiting at most the deadline for it to end. */
  public Outcome awaitOutcome() {
    return awaitOutcome(settings.deadline());
  }

  /** Waits at most {@code timeout} for the server to close or drop the connection; says which. */
  public Outcome awaitOutcome(Duration timeout) {
    return verbs.awaitOutcome(timeout, false);
  }

  /**
   * Sends a ping with a unique payload and waits for its pong: proof that the server processed all
   * sent before it (§5.5.2). False when the connection ended or the deadline passed first.
   */
  public boolean probe() {
    return probe(settings.deadline());
  }

  /** As {@link #probe()}, waiting at most {@code timeout}. */
  public boolean probe(Duration timeout) {
    return verbs.probe(timeout);
  }

  /** Reads the frames already arrived, waiting at most {@code within} for a cut one's rest. */
  void readArrived(Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    handshake.reader().ifPresent(reader -> reader.readArrived(deadline));
  }

  /** Whether a close frame has gone out (no probe may follow one). */
  boolean closeSent() {
    return connection.closeSent();
  }

  /**
   * The next frame that completes a data message (control frames skipped), within the deadline;
   * fails when a close frame, the end of the connection or the deadline comes first.
   */
  public ReceivedFrame awaitMessage() {
    return verbs.awaitFrame(
        "a message from the server", f -> f.message() != null, settings.deadline());
  }

  /**
   * Asserts the server closed with one of {@code codes} (RFC 6455 §7.4); TCP need not have ended
   * ({@link Outcome#tcpEnd()}). When the server answers instead, a probe decides at once.
   */
  public Outcome assertClosesWith(int... codes) {
    return verbs.assertClosesWith(settings.deadline(), codes);
  }

  /** As {@link #assertClosesWith(int...)}, waiting at most {@code within}. */
  public Outcome assertClosesWith(Duration within, int... codes) {
    return verbs.assertClosesWith(within, codes);
  }

  /** As {@link #assertClosesWith(int...)}: {@code assertClosesWith(CloseCode.PROTOCOL_ERROR)}. */
  public Outcome assertClosesWith(CloseCode code, CloseCode... more) {
    return verbs.assertClosesWith(settings.deadline(), CloseCode.codes(code, more));
  }

  /** Waits for the outcome and asserts the server dropped the connection without a close frame. */
  public Outcome assertConnectionDropped() {
    return verbs.assertConnectionDropped(settings.deadline());
  }

  /** As {@link #assertConnectionDropped()}, waiting at most {@code within}. */
  public Outcome assertConnectionDropped(Duration within) {
    return verbs.assertConnectionDropped(within);
  }

  /**
   * Asserts the server failed the connection: a close frame with one of {@code codes} (any, when
   * none are named) or a drop without one; RFC 6455 §7.1.7 allows both.
   */
  public Outcome assertFailsConnection(int... codes) {
    return verbs.assertFailsConnection(settings.deadline(), codes);
  }

  /** As {@link #assertFailsConnection(int...)}, waiting at most {@code within}. */
  public Outcome assertFailsConnection(Duration within, int... codes) {
    return verbs.assertFailsConnection(within, codes);
  }

  /** As {@link #assertFailsConnection(int...)}, with the codes as {@link CloseCode}s. */
  public Outcome assertFailsConnection(CloseCode code, CloseCode... more) {
    return verbs.assertFailsConnection(settings.deadline(), CloseCode.codes(code, more));
  }

  /** Asserts the next message from the server is a text message equal to {@code text}. */
  public ReceivedFrame assertReceivesText(String text) {
    return verbs.assertReceivesText(text);
  }

  /** Asserts the next message from the server is a binary message equal to {@code bytes}. */
  public ReceivedFrame assertReceivesBinary(ByteString bytes) {
    return verbs.assertReceivesBinary(bytes);
  }

  /** Asserts the next message from the server is a binary message equal to {@code bytes}. */
  public ReceivedFrame assertReceivesBinary(byte[] bytes) {
    return assertReceivesBinary(ByteString.of(bytes));
  }

  /** As {@link #assertPong(ByteString)}, with {@code payload} as UTF-8. */
  public ReceivedFrame assertPong(String payload) {
    return assertPong(ByteString.encodeUtf8(payload));
  }

  /** Asserts the next pong (other frames skipped) carries exactly {@code payload} (§5.5.3). */
  public ReceivedFrame assertPong(ByteString payload) {
    return verbs.assertPong(payload);
  }

  /** Asserts the server processed all sent and kept the connection: a probe ping gets its pong. */
  public void assertStaysOpen() {
    verbs.assertStaysOpen();
  }

  /** Asserts the server answered the handshake sent with one of {@code statuses}. */
  public HandshakeResponse assertHandshakeRejected(int... statuses) {
    return verbs.assertHandshakeRejected(statuses);
  }

  /** As {@link #assertHandshakeRejected(int...)}; a class too: {@code HttpStatus.clientError()}. */
  public HandshakeResponse assertHandshakeRejected(HttpStatus... statuses) {
    return verbs.assertHandshakeRejected(statuses);
  }

  /**
   * Asserts the server refused the handshake sent, within the deadline: any status but 101, or the
   * connection ended without an answer (§4.2.1 allows both); a 101 or silence fails.
   */
  public HandshakeRefusal assertHandshakeRefused() {
    return verbs.assertHandshakeRefused();
  }

  /**
   * Asserts the server is alive: a launched process runs, and a fresh client completes a handshake
   * and ping/pong; a process that died is reported with its exit code and output.
   */
  public void assertProcessAlive() {
    verbs.assertAlive(serverUnderTest(), false);
  }

  /** Asserts a fresh client completes a handshake and a ping/pong round trip with the server. */
  public void assertServerStillServes() {
    verbs.assertAlive(serverUnderTest(), true);
  }

  /** The server the liveness assertions check. */
  public ServerUnderTest serverUnderTest() {
    ServerUnderTest set = settings.serverUnderTest();
    return set != null ? set : RemoteServer.of(settings);
  }

  /** Everything that crossed this connection so far (its start and its end), rendered as text. */
  public String transcript() {
    return transcript.render();
  }

  /** The last entries of the transcript, headed, for a failure message. */
  public String transcriptTail() {
    return failures.transcriptTail().get();
  }

  @Override
  public String toString() {
    return "RawWebSocketClient[" + settings.uri() + (isClosedLocally() ? ", closed" : "") + "]";
  }

  /**
   * Settings for one client, ending in {@link #connect()} (upgraded) or {@link
   * #connectWithoutUpgrade()} (TCP only); each snapshots them, so later changes reach no client.
   *
   * <p>Thread-safety: not thread-safe; build on one thread.
   */
  public static final class Builder {
    /** The settings so far, each checked as it is set; the one state of a builder. */
    private final ClientSettings.Draft draft;

    /** A builder starting from {@code draft}; connecting snapshots it. */
    Builder(ClientSettings.Draft draft) {
      this.draft = draft;
    }

    /** Applies {@code change} to the draft, which checks it, and returns this builder. */
    private Builder set(Runnable change) {
      change.run();
      return this;
    }

    /** The target, validated. */
    public URI uri() {
      return draft.uri();
    }

    /** The one deadline for connecting (TCP, TLS, HTTP answer together), each send, each wait. */
    public Builder deadline(Duration deadline) {
      return set(() -> draft.deadline(deadline));
    }

    /** Subprotocols to offer in {@code Sec-WebSocket-Protocol}. */
    public Builder subprotocols(String... protocols) {
      return set(() -> draft.subprotocols(protocols));
    }

    /** Extensions to offer in {@code Sec-WebSocket-Extensions}, e.g. {@code permessage-deflate}. */
    public Builder extensions(String... offers) {
      return set(() -> draft.extensions(offers));
    }

    /** An extra request header, sent as given. */
    public Builder header(String name, String value) {
      return set(() -> draft.header(name, value));
    }

    /** The {@code Origin} header to send. */
    public Builder origin(String origin) {
      return set(() -> draft.origin(origin));
    }

    /**
     * Keeps the value of header {@code name} out of every report, as {@code Authorization}, {@code
     * Cookie} and their kin always are: reports show its name and length only.
     */
    public Builder redactHeader(String name) {
      return set(() -> draft.redactHeader(name));
    }

    /**
     * Shows credential headers in reports as they were sent and received: for debugging an
     * authentication problem on a machine of your own; never in a build whose reports others read.
     */
    public Builder revealCredentialsInReports() {
      return set(() -> draft.revealCredentialsInReports());
    }

    /** TLS sockets from this factory (with its trust store); hostnames are still verified. */
    public Builder sslSocketFactory(SSLSocketFactory factory) {
      return set(() -> draft.sslSocketFactory(factory));
    }

    /**
     * Accepts any certificate and any hostname over {@code wss://}: for a test server with a
     * self-signed certificate only. Never point a client built this way at anything real.
     */
    public Builder trustAllCertificatesInsecurely() {
      return set(() -> draft.trustAllCertificatesInsecurely());
    }

    /** The source of masking keys and handshake nonces; seed it for reproducible bytes. */
    public Builder random(Random random) {
      return set(() -> draft.random(random));
    }

    /**
     * The most payload bytes kept of one frame or message; a longer one is read, checked and
     * counted whole, keeping its start ({@link ReceivedFrame#isPayloadTruncated()}). Default: 32
     * MiB.
     */
    public Builder maxFramePayload(long bytes) {
      return set(() -> draft.maxFramePayload(bytes));
    }

    /**
     * The most bytes of events kept, the oldest let go and counted past it ({@link #received()}),
     * so a flood cannot exhaust memory. Default: 64 MiB, or an eighth of the heap when that is
     * less.
     */
    public Builder eventLogBudget(long bytes) {
      return set(() -> draft.eventLogBudget(bytes));
    }

    /** Whether to answer the server's close frame with one (default true, as §5.5.1 asks). */
    public Builder replyToClose(boolean reply) {
      return set(() -> draft.replyToClose(reply));
    }

    /** Whether to answer the server's pings (default false: a raw client stays quiet). */
    public Builder answerPings(boolean answer) {
      return set(() -> draft.answerPings(answer));
    }

    /**
     * The server {@link #assertProcessAlive()} and {@link #assertServerStillServes()} check (the
     * extension's launched process); by default, a server known only by this client's URI.
     */
    public Builder serverUnderTest(ServerUnderTest server) {
      return set(() -> draft.serverUnderTest(server));
    }

    /** Connects and completes the opening handshake, all within one deadline. */
    public RawWebSocketClient connect() {
      long start = System.nanoTime();
      long deadline = start + draft.deadline().toNanos();
      RawWebSocketClient client = new RawWebSocketClient(draft.build(), start, deadline);
      try {
        client.handshake.upgrade(deadline);
        return client;
      } catch (RuntimeException e) {
        client.close();
        throw e;
      }
    }

    /**
     * Connects TCP (and TLS for {@code wss://}) within the deadline but sends nothing: the test
     * sends its own handshake ({@link #sendHandshake}, {@link #sendRaw(String)}) and judges it.
     */
    public RawWebSocketClient connectWithoutUpgrade() {
      long start = System.nanoTime();
      return new RawWebSocketClient(draft.build(), start, start + draft.deadline().toNanos());
    }
  }
}
