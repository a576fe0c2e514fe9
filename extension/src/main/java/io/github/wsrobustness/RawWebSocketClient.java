package io.github.wsrobustness;

import io.github.wsrobustness.Transcript.Direction;
import io.github.wsrobustness.frame.CloseCode;
import io.github.wsrobustness.frame.Frame;
import io.github.wsrobustness.frame.ReceivedFrame;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import javax.net.ssl.SSLSocketFactory;
import okio.ByteString;

/**
 * A scripted WebSocket client that can send anything and reports exactly what came back: the tool a
 * robustness test drives (RFC 6455 §4 handshake, §5 framing, §7 closing).
 *
 * <p>It sends what it is told, legal or not ({@link #send(Frame)}, {@link
 * #sendCoalesced(Frame...)}, {@link #sendRaw(ByteString)}, cut into writes as a {@link Delivery}
 * says), and never repairs a frame. Everything the server sends becomes a numbered, timestamped
 * {@link ServerEvent}; {@link #awaitOutcome()} tells how the connection ended, typed: closed with a
 * close frame, dropped, or still open. {@link #probe()} proves by a ping/pong round trip that the
 * server has processed everything sent before it.
 *
 * <p>Usable without JUnit:
 *
 * <pre>{@code
 * try (RawWebSocketClient ws = RawWebSocketClient.connect("ws://127.0.0.1:8080/chat")) {
 *   ws.send(Frame.text("hello").unmasked());
 *   Outcome outcome = ws.awaitOutcome();   // the server closed with 1002 ... then TCP closed cleanly
 * }
 * }</pre>
 *
 * <p><b>Nothing the server does can knock it over.</b> One deadline bounds connecting (TCP, TLS and
 * the HTTP answer together), each send (the whole frame, any size) and each wait. What the client
 * keeps from the server is bounded in bytes: the event log keeps a window of recent events and
 * counts the rest ({@link #received()}), the transcript keeps its start and its end. {@code
 * Authorization}, {@code Cookie} and their kin are redacted from every report.
 *
 * <p>By default the client answers a server's close frame with its own (echoing the code), as
 * §5.5.1 asks, so that a conforming server can complete the close handshake and drop TCP; it does
 * not answer pings unless {@link Builder#answerPings(boolean)} says so.
 *
 * <p>Behind this face, parts with one job each: {@code Connection} (socket, TLS, writes, delivery,
 * half-close, abort), {@code Handshake} (the request, the HTTP answer, the §4.1 checks), {@code
 * ServerReader} (bytes to events, replies), {@code EventLog} (the bounded window, waits, probes),
 * {@code Verbs} and {@code Failures} (the assertions and how each fails) and {@code Transcript}.
 *
 * <p>Thread-safety: thread-safe. Sends are serialised and may come from any thread; waits may be
 * called from any thread, though a test normally drives a client from one.
 */
public final class RawWebSocketClient implements AutoCloseable {
  /** The deadline every wait uses unless told otherwise. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(5);

  private static final int TRANSCRIPT_TAIL = 20;

  /**
   * Bytes a test may send before the client reads in a thread of its own: beyond what socket
   * buffers hold, a server that echoes while it reads would otherwise block our send.
   */
  private static final long READER_THREAD_THRESHOLD = 128 * 1024;

  private static final AtomicLong PROBE_COUNTER = new AtomicLong();

  private final ClientSettings settings;
  private final Transcript transcript;
  private final EventLog events;
  private final Connection connection;
  private final Failures failures;
  private final Verbs verbs;

  /** Set once, when the upgrade completes: from then on frames are read. */
  private volatile ServerReader reader;

  private volatile HandshakeResponse handshakeResponse;

  private RawWebSocketClient(
      ClientSettings settings, Transcript transcript, EventLog events, Connection connection) {
    this.settings = settings;
    this.transcript = transcript;
    this.events = events;
    this.connection = connection;
    this.failures = new Failures(this::transcriptTail);
    this.verbs = new Verbs(this, events, failures);
  }

  /** Settings for a client of {@code uri} ({@code ws://} or {@code wss://}). */
  public static Builder builder(URI uri) {
    return new Builder(uri);
  }

  /** Settings for a client of {@code uri}, parsed; a malformed URI fails here with the reason. */
  public static Builder builder(String uri) {
    Objects.requireNonNull(uri, "uri");
    try {
      return new Builder(new URI(uri));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "'"
              + uri
              + "' is not a valid URI ("
              + e.getReason()
              + "); write it like ws://localhost:8080/path",
          e);
    }
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
    return handshakeResponse;
  }

  // ---------------------------------------------------------------------------------------------
  // Opening handshake (RFC 6455 §4.1)

  /**
   * The request a well-behaved client would send with this key: a starting point for abusive
   * variants sent with {@link #sendRaw(String)}.
   */
  public String handshakeRequest(String key) {
    return Handshake.request(settings, key);
  }

  /** A fresh random {@code Sec-WebSocket-Key}: 16 random bytes, base64 (§4.1). */
  public String newHandshakeKey() {
    return Handshake.newKey(settings.random());
  }

  /**
   * Sends the opening handshake and checks the answer: status 101, {@code Upgrade: websocket},
   * {@code Connection: Upgrade} and the right {@code Sec-WebSocket-Accept}. From then on frames are
   * read.
   *
   * @throws HandshakeException naming what was wrong, with the response if one came
   */
  public HandshakeResponse upgrade() {
    return upgrade(System.nanoTime() + settings.deadline().toNanos());
  }

  private HandshakeResponse upgrade(long deadlineNanos) {
    requireNotFraming();
    String key = newHandshakeKey();
    sendRaw(handshakeRequest(key));
    HandshakeResponse response = readHttpResponse(deadlineNanos);
    String problem =
        UpgradeCheck.problem(response, key, settings.subprotocols(), settings.extensions());
    if (problem != null) {
      transcript.note(Direction.NOTE, "handshake rejected by the client: " + problem);
      throw new HandshakeException(problem + "\n\n" + transcriptTail(), response, null);
    }
    startFraming(response);
    return response;
  }

  /**
   * Reads the server's HTTP response to whatever request bytes the test sent, without judging it;
   * when the status is 101 the client starts reading frames. Waits at most the deadline.
   *
   * @throws HandshakeException when no complete response arrives (timeout, or the server closed)
   */
  public HandshakeResponse awaitHttpResponse() {
    requireNotFraming();
    HandshakeResponse response =
        readHttpResponse(System.nanoTime() + settings.deadline().toNanos());
    if (response.status() == 101) startFraming(response);
    return response;
  }

  private HandshakeResponse readHttpResponse(long deadlineNanos) {
    HandshakeResponse response =
        Handshake.read(connection, transcript, settings, deadlineNanos, this::transcriptTail);
    handshakeResponse = response;
    return response;
  }

  private void requireNotFraming() {
    if (reader != null) {
      throw new IllegalStateException(
          "the handshake is already complete on this client; use a client from"
              + " connectWithoutUpgrade() to send handshake bytes of your own");
    }
  }

  private void startFraming(HandshakeResponse response) {
    int allowedRsv = Handshake.allowedRsvFlags(response, settings);
    connection.markUpgraded();
    ServerReader started = new ServerReader(connection, events, transcript, settings, allowedRsv);
    events.attach(started);
    reader = started;
    if (connection.isTls()) started.startThread();
  }

  /**
   * Stops reading from the socket, to play a slow reader: the server's writes fill the TCP window
   * and then block. A read already in progress completes.
   */
  public void stopReading() {
    ServerReader current = reader;
    if (current != null) current.stop();
    transcript.note(Direction.NOTE, "client stopped reading");
  }

  /** Reads again after {@link #stopReading()}. */
  public void resumeReading() {
    ServerReader current = reader;
    if (current != null) current.resume();
    transcript.note(Direction.NOTE, "client resumed reading");
  }

  // ---------------------------------------------------------------------------------------------
  // Sending: exactly what the test says

  /** Sends one frame in one write. */
  public void send(Frame frame) {
    send(frame, Delivery.whole());
  }

  /**
   * Sends one frame, cut into writes as {@code delivery} says, within the deadline (plus the pauses
   * the delivery asks for). A send never throws for a dead or stalled connection: see {@link
   * #writeFailure()}.
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
    long size = 0;
    for (Frame frame : frames) size += frame.payloadLength();
    startReaderThreadBefore(size);
    connection.sendFrames(frames, delivery, "", true);
  }

  private void startReaderThreadBefore(long bytes) {
    ServerReader current = reader;
    if (current != null && connection.bytesQueued() + bytes > READER_THREAD_THRESHOLD) {
      current.startThread();
    }
  }

  /** A text frame with this text: shorthand for {@code send(Frame.text(text))}. */
  public void sendText(String text) {
    send(Frame.text(text));
  }

  /**
   * Sends the close frame {@code code}/{@code reason} and returns at once; see {@link
   * #closeHandshake}.
   */
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

  /** Sends these bytes as they are, cut as {@code delivery} says. */
  public void sendRaw(ByteString bytes, Delivery delivery) {
    connection.requireOpen();
    startReaderThreadBefore(bytes.size());
    connection.sendRaw(bytes, delivery);
  }

  /**
   * The failure of the last write that failed, or null. Sends never throw for a dead connection: a
   * server that closed, reset or stopped reading mid-send is a result the outcome reports, not a
   * test error.
   */
  public java.io.IOException writeFailure() {
    return connection.writeFailure();
  }

  // ---------------------------------------------------------------------------------------------
  // Ending the connection

  /**
   * Sends a close frame and waits for the outcome: a conforming server answers with its own close
   * frame and then drops TCP (§7.1.2).
   */
  public Outcome closeHandshake(int code, String reason) {
    sendClose(code, reason);
    return awaitOutcome();
  }

  /**
   * Shuts down the client's sending side and keeps reading: a half-close (a TCP FIN; over TLS, a
   * close_notify first).
   */
  public void shutdownOutput() {
    connection.shutdownOutput();
  }

  /** Ends the connection abortively: SO_LINGER 0, so the close sends a TCP RST instead of a FIN. */
  public void abort() {
    connection.abort();
    releaseReader();
  }

  /** Releases the socket and any reading thread, without a close handshake. Idempotent. */
  @Override
  public void close() {
    connection.close();
    releaseReader();
  }

  private void releaseReader() {
    events.clientClosed();
    ServerReader current = reader;
    if (current != null) current.release();
  }

  /**
   * Whether this client ended the connection itself: {@link #close()}, {@link #abort()}, or a send
   * that blocked past the deadline. (Whether the <em>server</em> closed is {@link
   * #awaitOutcome()}'s to say.)
   */
  public boolean isClosedLocally() {
    return connection.isClosedLocally();
  }

  // ---------------------------------------------------------------------------------------------
  // Waiting for events, each wait bounded

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
   * The next frame not yet returned by this method (probe pongs skipped), waiting at most {@code
   * timeout}.
   *
   * @throws org.opentest4j.AssertionFailedError when the connection ends or the timeout passes
   *     first, or the frame was let go unread, with the transcript tail
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

  /**
   * Waits until the server closes (a close frame, then the end of TCP) or drops the connection, at
   * most {@code timeout}, and says which. After a close frame, the rest of the timeout is spent
   * waiting for TCP to end, so {@link Outcome#tcpEnd()} tells whether the server completed the
   * close cleanly.
   */
  public Outcome awaitOutcome(Duration timeout) {
    return verbs.awaitOutcome(timeout, false);
  }

  /**
   * Sends a ping with a unique payload and waits for the matching pong: proof that the server has
   * processed every frame sent before it (it handles frames in order, §5.5.2). Returns false when
   * the connection ended or the deadline passed first; the transcript shows which.
   */
  public boolean probe() {
    return probe(settings.deadline());
  }

  /** As {@link #probe()}, waiting at most {@code timeout}. */
  public boolean probe(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    return sendProbe() && Boolean.TRUE.equals(events.await(events::probeVerdict, deadline));
  }

  /**
   * Sends a probe ping; false when it could not go out. No probe follows a close frame: a ping
   * after one would be the client's own violation (§5.5.1), and proves nothing.
   */
  boolean sendProbe() {
    ByteString token = events.newProbe(PROBE_COUNTER.incrementAndGet()); // forgets older pongs
    if (connection.isClosedLocally() || connection.closeSent()) return false;
    return connection.sendFrames(List.of(Frame.ping(token)), Delivery.whole(), "probe: ", false);
  }

  /**
   * Reads the frames whose bytes have already arrived, waiting at most {@code within} for the rest
   * of one that is cut: so that what the server sent before the client's next step is seen before
   * it (the catalogue decides by this who closed first). Nothing to do when a reading thread runs.
   */
  void readArrived(Duration within) {
    ServerReader current = reader;
    if (current != null) current.readArrived(System.nanoTime() + within.toNanos());
  }

  /** Whether a close frame has gone out (no probe may follow one). */
  boolean closeSent() {
    return connection.closeSent();
  }

  /** Why the client closed the connection itself, when a send did ("send of …"), or null. */
  String clientCloseReason() {
    return connection.isClosedLocally() ? connection.writeFailureDescription() : null;
  }

  /**
   * The next frame that completes a data message (control frames are skipped), waiting at most the
   * deadline.
   *
   * @throws org.opentest4j.AssertionFailedError when a close frame, the end of the connection or
   *     the deadline comes first
   */
  public ReceivedFrame awaitMessage() {
    return verbs.awaitFrame(
        "a message from the server", f -> f.message() != null, settings.deadline());
  }

  // ---------------------------------------------------------------------------------------------
  // Assertions: each waits for its deciding event, then fails through Failures

  /**
   * Waits for the outcome and asserts the server closed the connection with one of {@code codes}
   * (RFC 6455 §7.4). TCP need not have ended: see {@link Outcome#tcpEnd()} for that. When the
   * server answers instead, a probe decides at once whether it kept the connection.
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
   * Waits for the outcome and asserts the server failed the connection: a close frame with one of
   * {@code codes} (any code when none are named), or a drop without one; RFC 6455 §7.1.7 allows
   * both.
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

  /**
   * Asserts the next pong from the server carries {@code payload} as UTF-8 (other frames skipped).
   */
  public ReceivedFrame assertPong(String payload) {
    return assertPong(ByteString.encodeUtf8(payload));
  }

  /** Asserts the next pong from the server carries exactly {@code payload} (§5.5.3). */
  public ReceivedFrame assertPong(ByteString payload) {
    return verbs.assertPong(payload);
  }

  /**
   * Asserts the server has processed everything sent so far and kept the connection: a probe ping
   * gets its pong. Decided by the pong, or by the end of the connection; the deadline is only the
   * outer bound.
   */
  public void assertStaysOpen() {
    verbs.assertStaysOpen();
  }

  /**
   * Reads the server's HTTP answer to the handshake bytes this client sent and asserts its status
   * is one of {@code statuses}. For a client injected with {@code @NoHandshake}.
   */
  public HandshakeResponse assertHandshakeRejected(int... statuses) {
    return verbs.assertHandshakeRejected(statuses);
  }

  /**
   * Asserts the server under test is alive: for a launched process, it runs and a fresh client
   * completes a handshake and ping/pong; otherwise the latter. A process that died is reported with
   * its exit code and output.
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
    if (settings.serverUnderTest() != null) return settings.serverUnderTest();
    return new RemoteServer(
        settings.uri(),
        settings.deadline(),
        () -> new Builder(settings).serverUnderTest(null),
        ServingChecks.ping());
  }

  // ---------------------------------------------------------------------------------------------
  // Transcript

  /** Everything that crossed this connection so far (its start and its end), rendered as text. */
  public String transcript() {
    return transcript.render();
  }

  /** The last entries of the transcript, headed, for a failure message. */
  public String transcriptTail() {
    return transcriptTailSnapshot().get();
  }

  /** The transcript's tail as it is now, rendered when asked. */
  java.util.function.Supplier<String> transcriptTailSnapshot() {
    return transcript.tailSnapshot(
        TRANSCRIPT_TAIL,
        "Transcript (last " + TRANSCRIPT_TAIL + " entries) of " + settings.uri() + ":\n");
  }

  @Override
  public String toString() {
    return "RawWebSocketClient[" + settings.uri() + (isClosedLocally() ? ", closed" : "") + "]";
  }

  /**
   * Settings for one client: the target, the central deadline, handshake extras, TLS trust, memory
   * bounds, redaction and the automatic replies. Ends in {@link #connect()} (upgraded) or {@link
   * #connectWithoutUpgrade()} (TCP only, for handshake tests); each takes a snapshot, so changing
   * the builder later does not reach a connected client.
   *
   * <p>Thread-safety: not thread-safe; build on one thread.
   */
  public static final class Builder {
    private final URI uri;
    private Duration deadline = DEFAULT_DEADLINE;
    private final List<String> subprotocols = new ArrayList<>();
    private final List<String> extensions = new ArrayList<>();
    private final List<ClientSettings.Header> headers = new ArrayList<>();
    private String origin;
    private SSLSocketFactory sslSocketFactory;
    private boolean trustAllCertificates;
    private Random random = new SecureRandom();
    private long maxFramePayload = -1;
    private long eventLogBudget = -1;
    private boolean replyToClose = true;
    private boolean answerPings;
    private ServerUnderTest serverUnderTest;
    private Redaction redaction = Redaction.DEFAULT;

    private Builder(URI uri) {
      Objects.requireNonNull(uri, "uri");
      String scheme = uri.getScheme();
      if (scheme == null || !(scheme.equalsIgnoreCase("ws") || scheme.equalsIgnoreCase("wss"))) {
        throw new IllegalArgumentException(
            "URI '"
                + uri
                + "' has "
                + (scheme == null ? "no scheme" : "scheme '" + scheme + "'")
                + "; a WebSocket target starts with ws:// or wss://");
      }
      if (uri.getHost() == null) {
        throw new IllegalArgumentException(
            "URI '" + uri + "' names no host; write it like ws://localhost:8080/path");
      }
      if (uri.getPort() == 0 || uri.getPort() > 65535) {
        throw new IllegalArgumentException(
            "URI '" + uri + "' has port " + uri.getPort() + "; a port is 1 to 65535");
      }
      this.uri = uri;
    }

    /** A builder holding the settings of an existing client, for a fresh one like it. */
    Builder(ClientSettings settings) {
      this(settings.uri());
      deadline = settings.deadline();
      subprotocols.addAll(settings.subprotocols());
      extensions.addAll(settings.extensions());
      headers.addAll(settings.headers());
      origin = settings.origin();
      sslSocketFactory = settings.sslSocketFactory();
      trustAllCertificates = settings.trustAllCertificates();
      random = settings.random();
      maxFramePayload = settings.maxFramePayload();
      eventLogBudget = settings.eventLogBudget();
      replyToClose = settings.replyToClose();
      answerPings = settings.answerPings();
      serverUnderTest = settings.serverUnderTest();
      redaction = settings.redaction();
    }

    /** The target, validated. */
    public URI uri() {
      return uri;
    }

    /**
     * The central deadline: for connecting (TCP, TLS and the HTTP answer, together), for each send,
     * and for every wait.
     */
    public Builder deadline(Duration deadline) {
      Objects.requireNonNull(deadline, "deadline");
      if (deadline.isNegative() || deadline.isZero()) {
        throw new IllegalArgumentException("deadline must be positive, was " + deadline);
      }
      this.deadline = deadline;
      return this;
    }

    /** Subprotocols to offer in {@code Sec-WebSocket-Protocol}. */
    public Builder subprotocols(String... protocols) {
      subprotocols.addAll(List.of(protocols));
      return this;
    }

    /** Extensions to offer in {@code Sec-WebSocket-Extensions}, e.g. {@code permessage-deflate}. */
    public Builder extensions(String... offers) {
      extensions.addAll(List.of(offers));
      return this;
    }

    /** An extra request header, sent as given. */
    public Builder header(String name, String value) {
      headers.add(
          new ClientSettings.Header(
              Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value")));
      return this;
    }

    /** The {@code Origin} header to send. */
    public Builder origin(String origin) {
      this.origin = origin;
      return this;
    }

    /**
     * Keeps the value of header {@code name} out of every report, like {@code Authorization},
     * {@code Proxy-Authorization}, {@code Cookie} and {@code Set-Cookie} always are: transcripts,
     * failure messages and attached files show its name and length only.
     */
    public Builder redactHeader(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank() || name.contains(":")) {
        throw new IllegalArgumentException(
            "redactHeader takes a header name such as X-Api-Key, was '" + name + "'");
      }
      redaction = redaction.with(name.trim());
      return this;
    }

    /**
     * Shows credential headers in reports as they were sent and received: for debugging an
     * authentication problem on a machine of your own; never in a build whose reports others read.
     */
    public Builder revealCredentialsInReports() {
      redaction = redaction.revealed();
      return this;
    }

    /** TLS sockets from this factory (with its trust store); hostnames are still verified. */
    public Builder sslSocketFactory(SSLSocketFactory factory) {
      this.sslSocketFactory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * Accepts any certificate and any hostname over {@code wss://}: for a test server with a
     * self-signed certificate only. Never point a client built this way at anything real.
     */
    public Builder trustAllCertificatesInsecurely() {
      this.trustAllCertificates = true;
      return this;
    }

    /** The source of masking keys and handshake nonces; seed it for reproducible bytes. */
    public Builder random(Random random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * The most payload bytes kept of one frame, or of one message; a longer one is still read to
     * its end, checked and counted, but keeps only its first bytes ({@link
     * ReceivedFrame#isPayloadTruncated()}). Default: half the event log's budget (32 MiB).
     */
    public Builder maxFramePayload(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("maxFramePayload must not be negative: " + bytes);
      }
      this.maxFramePayload = bytes;
      return this;
    }

    /**
     * The most bytes of events the client keeps: past it, the oldest are let go and counted ({@link
     * RawWebSocketClient#received()}), so a flooding server cannot exhaust the test's memory.
     * Default: 64 MiB (enough for Autobahn's 16 MiB echo cases), or an eighth of the heap when that
     * is less.
     */
    public Builder eventLogBudget(long bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException(
            "eventLogBudget must be at least 1024 bytes, was " + bytes);
      }
      this.eventLogBudget = bytes;
      return this;
    }

    /** Whether to answer the server's close frame with one (default true, as §5.5.1 asks). */
    public Builder replyToClose(boolean reply) {
      this.replyToClose = reply;
      return this;
    }

    /**
     * Whether to answer the server's pings with pongs (default false: a raw client stays quiet).
     */
    public Builder answerPings(boolean answer) {
      this.answerPings = answer;
      return this;
    }

    /**
     * The server {@link #assertProcessAlive()} and {@link #assertServerStillServes()} check; by
     * default, a server known only by this client's URI. The extension sets its launched process
     * here.
     */
    public Builder serverUnderTest(ServerUnderTest server) {
      this.serverUnderTest = server;
      return this;
    }

    ClientSettings settings() {
      long budget = eventLogBudget != -1 ? eventLogBudget : ClientSettings.defaultEventLogBudget();
      long maxPayload =
          maxFramePayload != -1 ? maxFramePayload : ClientSettings.defaultMaxFramePayload(budget);
      return new ClientSettings(
          uri,
          deadline,
          subprotocols,
          extensions,
          headers,
          origin,
          sslSocketFactory,
          trustAllCertificates,
          random,
          maxPayload,
          budget,
          replyToClose,
          answerPings,
          serverUnderTest,
          redaction);
    }

    /** Connects and completes the opening handshake, all within one deadline. */
    public RawWebSocketClient connect() {
      long start = System.nanoTime();
      long deadline = start + this.deadline.toNanos();
      RawWebSocketClient client = open(start, deadline);
      try {
        client.upgrade(deadline);
        return client;
      } catch (RuntimeException e) {
        client.close();
        throw e;
      }
    }

    /**
     * Connects TCP (and TLS for {@code wss://}) within the deadline but sends nothing: the test
     * writes its own handshake bytes with {@link #sendRaw(String)} and reads the answer with {@link
     * #awaitHttpResponse()}, or calls {@link #upgrade()}.
     */
    public RawWebSocketClient connectWithoutUpgrade() {
      long start = System.nanoTime();
      return open(start, start + deadline.toNanos());
    }

    private RawWebSocketClient open(long start, long deadlineNanos) {
      ClientSettings settings = settings();
      Transcript transcript = new Transcript(start);
      EventLog events = new EventLog(start, settings.eventLogBudget());
      Connection connection = Connection.open(settings, transcript, events, start, deadlineNanos);
      return new RawWebSocketClient(settings, transcript, events, connection);
    }
  }
}
