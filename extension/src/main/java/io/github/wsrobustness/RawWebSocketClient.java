package io.github.wsrobustness;

import io.github.wsrobustness.assertj.WebSocketAssertions;
import io.github.wsrobustness.frame.CloseCode;
import io.github.wsrobustness.frame.Frame;
import io.github.wsrobustness.frame.FrameReader;
import io.github.wsrobustness.frame.FrameWriter;
import io.github.wsrobustness.frame.Opcode;
import io.github.wsrobustness.frame.ReceivedFrame;
import io.github.wsrobustness.frame.TruncatedFrameException;
import io.github.wsrobustness.frame.WebSocketProtocol;
import io.github.wsrobustness.internal.HttpResponseReader;
import io.github.wsrobustness.internal.InsecureTls;
import io.github.wsrobustness.internal.RemoteServer;
import io.github.wsrobustness.internal.Transcript;
import io.github.wsrobustness.internal.Transcript.Direction;
import io.github.wsrobustness.internal.UpgradeCheck;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import okio.Buffer;
import okio.BufferedSink;
import okio.BufferedSource;
import okio.ByteString;
import okio.Okio;
import okio.Sink;
import okio.Timeout;

/**
 * A scripted WebSocket client that can send anything and reports exactly what came back: the tool a
 * robustness test drives (RFC 6455 §4 handshake, §5 framing, §7 closing).
 *
 * <p>It sends what it is told, legal or not ({@link #send(Frame)}, {@link
 * #sendCoalesced(Frame...)}, {@link #sendRaw(ByteString)}, cut into writes as a {@link Delivery}
 * says), and never repairs a frame. A reader thread turns everything the server sends into
 * timestamped {@link ServerEvent}s, so a silent or hostile server can never block the test; every
 * wait ends at a deadline. {@link #awaitOutcome()} tells how the connection ended, typed: closed
 * with a close frame, dropped, or still open. {@link #probe()} proves by a ping/pong round trip
 * that the server has processed everything sent before it.
 *
 * <p>Usable without JUnit:
 *
 * <pre>{@code
 * try (RawWebSocketClient ws = RawWebSocketClient.connect("ws://127.0.0.1:8080/chat")) {
 *   ws.send(Frame.text("hello").unmasked());
 *   Outcome outcome = ws.awaitOutcome();   // closed with 1002 ... then TCP closed cleanly
 * }
 * }</pre>
 *
 * <p>By default the client answers a server's close frame with its own (echoing the code), as
 * §5.5.1 asks, so that a conforming server can complete the close handshake and drop TCP; it does
 * not answer pings unless {@link Builder#answerPings(boolean)} says so. Everything that crosses the
 * socket goes into a transcript ({@link #transcript()}).
 *
 * <p>Thread-safety: sends are serialised and may come from any thread; the waits may be called from
 * any thread, though a test normally drives a client from one.
 */
public final class RawWebSocketClient implements AutoCloseable {
  /** The deadline every wait uses unless told otherwise. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(5);

  private static final int TRANSCRIPT_TAIL = 20;
  private static final AtomicLong PROBE_COUNTER = new AtomicLong();

  /** Payload prefix of probe pings: their pongs are the client's own business, not the test's. */
  private static final String PROBE_PREFIX = "wsrobustness-probe-";

  private final URI uri;
  private final Builder settings;
  private final Socket socket;

  /**
   * The TCP socket under a TLS one (the same socket for ws://): abort() resets it without
   * close_notify.
   */
  private final Socket tcpSocket;

  private final BufferedSource source;
  private final BufferedSink socketSink;
  private final FrameWriter frameWriter;
  private final Transcript transcript;
  private final long startNanos;

  private final Object writeLock = new Object();
  private final Object eventLock = new Object();
  private final List<ServerEvent> events = new ArrayList<>();
  private final List<Long> sendNanos = new ArrayList<>();
  private int frameCursor;
  private boolean readingPaused;
  private boolean framing;
  private HandshakeResponse handshakeResponse;

  private volatile boolean closedLocally;
  private volatile boolean closeSent;
  private volatile IOException writeFailure;

  private RawWebSocketClient(
      Builder settings, Socket tcpSocket, Socket socket, long startNanos, Transcript transcript)
      throws IOException {
    this.uri = settings.uri;
    this.settings = settings;
    this.socket = socket;
    this.tcpSocket = tcpSocket;
    this.startNanos = startNanos;
    this.transcript = transcript;
    this.source = Okio.buffer(Okio.source(socket));
    this.socketSink = Okio.buffer(Okio.sink(socket));
    // A server that stops reading must not hang a test: a write blocked this long closes the
    // socket.
    socketSink.timeout().timeout(settings.deadline.toNanos(), TimeUnit.NANOSECONDS);
    this.frameWriter = new FrameWriter(settings.random);
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
    return uri;
  }

  /** The deadline waits use when not given one. */
  public Duration deadline() {
    return settings.deadline;
  }

  /** The server's handshake response, or null before one was read. */
  public HandshakeResponse handshakeResponse() {
    synchronized (eventLock) {
      return handshakeResponse;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Opening handshake (RFC 6455 §4.1)

  /**
   * The request a well-behaved client would send with this key: a starting point for abusive
   * variants sent with {@link #sendRaw(String)}.
   */
  public String handshakeRequest(String key) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) path += "?" + uri.getRawQuery();
    StringBuilder out = new StringBuilder();
    out.append("GET ").append(path).append(" HTTP/1.1\r\n");
    out.append("Host: ").append(hostHeader()).append("\r\n");
    out.append("Upgrade: websocket\r\n");
    out.append("Connection: Upgrade\r\n");
    out.append("Sec-WebSocket-Key: ").append(key).append("\r\n");
    out.append("Sec-WebSocket-Version: 13\r\n");
    if (settings.origin != null) out.append("Origin: ").append(settings.origin).append("\r\n");
    if (!settings.subprotocols.isEmpty()) {
      out.append("Sec-WebSocket-Protocol: ")
          .append(String.join(", ", settings.subprotocols))
          .append("\r\n");
    }
    if (!settings.extensions.isEmpty()) {
      out.append("Sec-WebSocket-Extensions: ")
          .append(String.join(", ", settings.extensions))
          .append("\r\n");
    }
    for (String[] header : settings.headers)
      out.append(header[0]).append(": ").append(header[1]).append("\r\n");
    return out.append("\r\n").toString();
  }

  /** A fresh random {@code Sec-WebSocket-Key}: 16 random bytes, base64 (§4.1). */
  public String newHandshakeKey() {
    byte[] nonce = new byte[16];
    settings.random.nextBytes(nonce);
    return Base64.getEncoder().encodeToString(nonce);
  }

  /**
   * Sends the opening handshake and checks the answer: status 101, {@code Upgrade: websocket},
   * {@code Connection: Upgrade} and the right {@code Sec-WebSocket-Accept}. From then on frames are
   * read.
   *
   * @throws HandshakeException naming what was wrong, with the response if one came
   */
  public HandshakeResponse upgrade() {
    requireNotFraming();
    String key = newHandshakeKey();
    sendRaw(handshakeRequest(key));
    HandshakeResponse response = readHttpResponse();
    String problem =
        UpgradeCheck.problem(response, key, settings.subprotocols, settings.extensions);
    if (problem != null) {
      transcript.record(Direction.NOTE, "handshake rejected by the client: " + problem, null);
      throw new HandshakeException(problem + "\n" + transcriptTail(), response, null);
    }
    startFraming(response);
    return response;
  }

  /**
   * Reads the server's HTTP response to whatever request bytes the test sent, without judging it;
   * when the status is 101 the client starts reading frames. Waits at most the deadline.
   *
   * @throws HandshakeException when no complete response arrives (timeout, or the server closed
   *     first)
   */
  public HandshakeResponse awaitHttpResponse() {
    requireNotFraming();
    HandshakeResponse response = readHttpResponse();
    if (response.status() == 101) startFraming(response);
    return response;
  }

  private HandshakeResponse readHttpResponse() {
    HttpResponseReader.Response read;
    try {
      read = new HttpResponseReader(source, settings.deadline, transcript).read();
    } catch (HttpResponseReader.UnreadableResponseException e) {
      throw new HandshakeException(e.getMessage() + "\n" + transcriptTail(), null, e.getCause());
    }
    HandshakeResponse response =
        new HandshakeResponse(read.statusLine(), read.status(), read.headerLines(), read.body());
    synchronized (eventLock) {
      handshakeResponse = response;
    }
    return response;
  }

  private void requireNotFraming() {
    synchronized (eventLock) {
      if (framing) {
        throw new IllegalStateException(
            "the handshake is already complete on this client; use a client from connectWithoutUpgrade()"
                + " to send handshake bytes of your own");
      }
    }
  }

  private void startFraming(HandshakeResponse response) {
    // RSV1 means "compressed" only when permessage-deflate was offered and accepted (RFC 7692 §6).
    boolean deflate =
        UpgradeCheck.extensionNames(response.headers("Sec-WebSocket-Extensions"))
                .contains("permessage-deflate")
            && UpgradeCheck.extensionNames(settings.extensions).contains("permessage-deflate");
    int allowedRsv = deflate ? WebSocketProtocol.B0_FLAG_RSV1 : 0;
    FrameReader reader = new FrameReader(source, false, allowedRsv, settings.maxFramePayload);
    synchronized (eventLock) {
      framing = true;
    }
    Thread thread = new Thread(() -> readLoop(reader), "wsrobustness-reader " + uri);
    thread.setDaemon(true);
    thread.start();
  }

  // ---------------------------------------------------------------------------------------------
  // Reading: everything the server sends becomes an event

  private void readLoop(FrameReader reader) {
    try {
      while (true) {
        awaitReadingAllowed();
        ReceivedFrame frame = reader.readFrame();
        if (frame == null) {
          addEvent(ServerEvent.Kind.END_OF_STREAM, null, "end of stream");
          return;
        }
        String violations =
            frame.violations().isEmpty() ? "" : "  !! " + String.join("; ", frame.violations());
        transcript.record(
            Direction.RECEIVED,
            frame.describe() + Transcript.preview(frame.payload(), frame.isMasked()) + violations,
            frame.wireBytes());
        addEvent(ServerEvent.Kind.FRAME, frame, frame.describe());
        reply(frame);
        if (reader.isDesynchronized()) {
          drainUnframed();
          return;
        }
      }
    } catch (TruncatedFrameException e) {
      transcript.record(
          Direction.RECEIVED,
          "partial frame: " + e.getMessage(),
          new Buffer().write(e.header()).write(e.partialPayload()).readByteString());
      addEvent(
          ServerEvent.Kind.END_OF_STREAM, null, "end of stream inside a frame: " + e.getMessage());
    } catch (IOException e) {
      recordReadFailure(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      // A reply racing the test's close() ends here quietly; anything else is shown as an event, so
      // that
      // no wait runs into its deadline for a reader that is gone.
      if (!closedLocally) addEvent(ServerEvent.Kind.READ_ERROR, null, "the reader failed: " + e);
      if (e instanceof Error) throw e;
    }
  }

  /**
   * After a frame of unknown extent the boundaries are lost; keep reading raw bytes to see the end.
   */
  private void drainUnframed() throws IOException {
    Buffer chunk = new Buffer();
    while (source.read(chunk, 8192) != -1) {
      transcript.record(
          Direction.RECEIVED,
          chunk.size() + " bytes after the lost frame boundary",
          chunk.readByteString());
    }
    addEvent(ServerEvent.Kind.END_OF_STREAM, null, "end of stream");
  }

  private void recordReadFailure(IOException e) {
    if (closedLocally) return; // our own close or abort ended the read; not the server's doing
    if (isReset(e)) {
      addEvent(ServerEvent.Kind.RESET, null, "connection reset");
    } else {
      addEvent(ServerEvent.Kind.READ_ERROR, null, e.toString());
    }
  }

  /** A TCP RST: "Connection reset" from the socket, or wrapped by TLS. */
  private static boolean isReset(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SocketException
          && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("reset")) {
        return true;
      }
    }
    return false;
  }

  private void reply(ReceivedFrame frame) {
    if (closedLocally) return; // the test is done with this client; nothing more goes out
    synchronized (writeLock) { // so that a close the test sends at this moment cannot make two
      replyLocked(frame);
    }
  }

  private void replyLocked(ReceivedFrame frame) {
    if (frame.isClose() && settings.replyToClose && !closeSent) {
      int code = frame.closeCode().orElse(-1);
      Frame answer;
      if (code == -1) {
        answer = Frame.close();
      } else if (CloseCode.isAllowedOnWire(code)) {
        answer = Frame.close(code);
      } else {
        answer = Frame.close(CloseCode.PROTOCOL_ERROR.code());
      }
      writeFrames(List.of(answer), Delivery.whole(), "reply to the close frame: ", false);
    } else if (frame.isPing() && settings.answerPings && !closeSent) {
      writeFrames(
          List.of(Frame.pong(frame.payload())), Delivery.whole(), "reply to the ping: ", false);
    }
  }

  private void addEvent(ServerEvent.Kind kind, ReceivedFrame frame, String detail) {
    Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
    if (kind != ServerEvent.Kind.FRAME) transcript.record(Direction.RECEIVED, detail, null);
    synchronized (eventLock) {
      events.add(new ServerEvent(kind, frame, detail, elapsed));
      eventLock.notifyAll();
    }
  }

  private void awaitReadingAllowed() throws InterruptedException {
    synchronized (eventLock) {
      while (readingPaused && !closedLocally) eventLock.wait();
    }
  }

  /**
   * Stops reading from the socket, to play a slow reader: the server's writes fill the TCP window
   * and then block. A read already in progress completes.
   */
  public void stopReading() {
    synchronized (eventLock) {
      readingPaused = true;
    }
    transcript.record(Direction.NOTE, "client stopped reading", null);
  }

  /** Reads again after {@link #stopReading()}. */
  public void resumeReading() {
    synchronized (eventLock) {
      readingPaused = false;
      eventLock.notifyAll();
    }
    transcript.record(Direction.NOTE, "client resumed reading", null);
  }

  // ---------------------------------------------------------------------------------------------
  // Sending: exactly what the test says

  /** Sends one frame in one write. */
  public void send(Frame frame) {
    send(frame, Delivery.whole());
  }

  /** Sends one frame, cut into writes as {@code delivery} says. */
  public void send(Frame frame, Delivery delivery) {
    writeFrames(List.of(frame), delivery, "", true);
  }

  /** Sends these frames back to back in a single write, as one TCP send. */
  public void sendCoalesced(Frame... frames) {
    sendCoalesced(Delivery.whole(), frames);
  }

  /** Sends these frames back to back, the bytes of all of them cut as {@code delivery} says. */
  public void sendCoalesced(Delivery delivery, Frame... frames) {
    writeFrames(List.of(frames), delivery, "", true);
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
    if (looksLikeHttp(bytes)) {
      transcript.record(
          Direction.SENT,
          "HTTP request"
              + describeDelivery(delivery)
              + ":\n"
              + HttpResponseReader.indent(bytes.utf8()),
          null);
    } else {
      transcript.record(
          Direction.SENT, "raw " + bytes.size() + " bytes" + describeDelivery(delivery), bytes);
    }
    deliver(new Buffer().write(bytes), delivery, true);
  }

  private static boolean looksLikeHttp(ByteString bytes) {
    return isPrintable(bytes) && bytes.indexOf(ByteString.encodeUtf8("HTTP/1.")) >= 0;
  }

  private static boolean isPrintable(ByteString bytes) {
    for (int i = 0; i < bytes.size(); i++) {
      int b = bytes.getByte(i) & 0xff;
      if (b < 0x20 && b != '\r' && b != '\n' && b != '\t' || b >= 0x7f) return false;
    }
    return true;
  }

  private static String describeDelivery(Delivery delivery) {
    return delivery == Delivery.whole() ? "" : " (" + delivery + ")";
  }

  private void writeFrames(List<Frame> frames, Delivery delivery, String prefix, boolean byTest) {
    requireOpen();
    synchronized (writeLock) {
      DeliverySink cutting = new DeliverySink(delivery);
      BufferedSink sink = Okio.buffer(cutting);
      try {
        for (int i = 0; i < frames.size(); i++) {
          Frame frame = frames.get(i);
          if (frame.opcode() == Opcode.CLOSE.value()) closeSent = true;
          String summary =
              prefix
                  + frame.describe()
                  + (i == 0 ? describeDelivery(delivery) : "")
                  + (frames.size() > 1
                      ? " [" + (i + 1) + " of " + frames.size() + " in one write]"
                      : "");
          if (frame.isStreamed()) {
            // Never held in memory: the transcript gets the header, the payload streams to the
            // socket.
            byte[] key = frameWriter.chooseMaskKey(frame);
            Buffer header = new Buffer();
            FrameWriter.writeHeader(frame, key, header);
            transcript.record(
                Direction.SENT, summary + ", payload streamed", header.readByteString());
            frameWriter.write(key == null ? frame : frame.maskKey(key), sink);
          } else {
            Buffer encoded = frameWriter.encode(frame);
            transcript.record(
                Direction.SENT,
                summary + Transcript.preview(frame.payload(), true),
                encoded.snapshot());
            sink.writeAll(encoded);
          }
        }
        sink.flush();
      } catch (IOException e) {
        recordWriteFailure(e, cutting.position);
        return;
      }
      if (byTest) markSent();
    }
  }

  private void deliver(Buffer bytes, Delivery delivery, boolean byTest) {
    requireOpen();
    synchronized (writeLock) {
      DeliverySink cutting = new DeliverySink(delivery);
      try {
        cutting.write(bytes, bytes.size());
        cutting.flush();
      } catch (IOException e) {
        recordWriteFailure(e, cutting.position);
        return;
      }
      if (byTest) markSent();
    }
  }

  private void markSent() {
    synchronized (eventLock) {
      sendNanos.add(System.nanoTime());
    }
  }

  private void recordWriteFailure(IOException e, long written) {
    writeFailure = e;
    String what =
        e instanceof InterruptedIOException
            ? "write blocked for longer than "
                + settings.deadline.toMillis()
                + " ms (the server is not reading)"
                + "; the client closed the socket"
            : "write failed after " + written + " bytes: " + e.getMessage();
    if (e instanceof InterruptedIOException) {
      closedLocally = true; // Okio's timeout closed the socket
      closeSocket();
      wakeWaiters();
    }
    transcript.record(Direction.NOTE, what, null);
  }

  /**
   * The failure of the last write that failed, or null. Sends never throw for a dead connection: a
   * server that closed or reset mid-send is a result the outcome reports, not a test error.
   */
  public IOException writeFailure() {
    return writeFailure;
  }

  /**
   * Cuts writes where the delivery says, flushing each piece to the socket and pausing between
   * them.
   */
  private final class DeliverySink implements Sink {
    private final Delivery delivery;
    long position;
    private boolean atCut;

    DeliverySink(Delivery delivery) {
      this.delivery = delivery;
    }

    @Override
    public void write(Buffer from, long byteCount) throws IOException {
      while (byteCount > 0) {
        long untilCut = delivery.bytesUntilCut(position);
        long n = untilCut == -1 ? byteCount : Math.min(untilCut, byteCount);
        if (atCut) pause();
        socketSink.write(from, n);
        position += n;
        byteCount -= n;
        atCut = n == untilCut;
        if (atCut) socketSink.flush();
      }
    }

    private void pause() throws IOException {
      atCut = false;
      Duration pause = delivery.pause();
      if (pause.isZero()) return;
      try {
        // The delay between pieces is what the test asked for; it is not a wait for the server.
        Thread.sleep(pause.toMillis(), pause.toNanosPart() % 1_000_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted between delivery pieces");
      }
    }

    @Override
    public void flush() throws IOException {
      socketSink.flush();
    }

    @Override
    public Timeout timeout() {
      return socketSink.timeout();
    }

    @Override
    public void close() throws IOException {
      flush();
    }
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
    requireOpen();
    synchronized (writeLock) {
      try {
        socketSink.flush();
        socket.shutdownOutput();
      } catch (IOException e) {
        recordWriteFailure(e, 0);
        return;
      }
    }
    transcript.record(Direction.NOTE, "client shut down its output (FIN)", null);
  }

  /** Ends the connection abortively: SO_LINGER 0, so the close sends a TCP RST instead of a FIN. */
  public void abort() {
    if (closedLocally) return;
    closedLocally = true;
    try {
      tcpSocket.setSoLinger(true, 0);
      tcpSocket.close(); // the TCP socket itself, so that TLS sends no close_notify first
    } catch (IOException e) {
      transcript.record(Direction.NOTE, "could not reset the connection cleanly: " + e, null);
    }
    closeSocket();
    wakeWaiters();
    transcript.record(Direction.NOTE, "client reset the connection (RST)", null);
  }

  /** Releases the socket and the reader thread, without a close handshake. Idempotent. */
  @Override
  public void close() {
    closedLocally = true;
    if (!socket.isClosed()) closeSocket();
    wakeWaiters();
  }

  /** Wakes a paused reader and every wait, so that they see the client is closed. */
  private void wakeWaiters() {
    synchronized (eventLock) {
      eventLock.notifyAll();
    }
  }

  /**
   * Whether this client ended the connection itself: {@link #close()}, {@link #abort()}, or a write
   * that blocked past the deadline. (Whether the <em>server</em> closed is {@link
   * #awaitOutcome()}'s to say.)
   */
  public boolean isClosedLocally() {
    return closedLocally;
  }

  private void closeSocket() {
    try {
      socket.close();
    } catch (IOException e) {
      transcript.record(Direction.NOTE, "closing the socket failed: " + e, null);
    }
  }

  private void requireOpen() {
    if (closedLocally) {
      throw new IllegalStateException("this client is closed; connect a new one to send again");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Waiting for events, each wait bounded

  /** A snapshot of every event so far, in order. */
  public List<ServerEvent> events() {
    synchronized (eventLock) {
      return List.copyOf(events);
    }
  }

  /** The next frame not yet returned by this method, waiting at most the deadline. */
  public ReceivedFrame awaitFrame() {
    return awaitFrame(settings.deadline);
  }

  /**
   * The next frame not yet returned by this method, waiting at most {@code timeout}.
   *
   * @throws AssertionError when the connection ends or the timeout passes first, with the
   *     transcript tail
   */
  public ReceivedFrame awaitFrame(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (eventLock) {
      int index =
          awaitEventLocked(frameCursor, e -> e.isTerminal() || !isProbeAnswer(e.frame()), deadline);
      if (index == -1) {
        throw new AssertionError(
            "expected a frame from the server, but none came within "
                + timeout.toMillis()
                + " ms\n"
                + transcriptTail());
      }
      ServerEvent event = events.get(index);
      if (event.isTerminal()) {
        throw new AssertionError(
            "expected a frame from the server, but the connection ended: "
                + event.detail()
                + "\n"
                + transcriptTail());
      }
      frameCursor = index + 1;
      return event.frame();
    }
  }

  /**
   * Waits for the first event from {@code fromIndex} on that matches, until {@code timeout};
   * returns it, or null at the deadline.
   */
  public ServerEvent awaitEvent(int fromIndex, Predicate<ServerEvent> matcher, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (eventLock) {
      int index = awaitEventLocked(fromIndex, matcher, deadline);
      return index == -1 ? null : events.get(index);
    }
  }

  private int awaitEventLocked(int from, Predicate<ServerEvent> matcher, long deadlineNanos) {
    int scanned = from;
    while (true) {
      for (; scanned < events.size(); scanned++) {
        if (matcher.test(events.get(scanned))) return scanned;
      }
      long remaining = deadlineNanos - System.nanoTime();
      if (remaining <= 0 || (closedLocally && socket.isClosed())) return -1;
      try {
        TimeUnit.NANOSECONDS.timedWait(eventLock, remaining);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }
  }

  /** How the connection stands, waiting at most the deadline for it to end. */
  public Outcome awaitOutcome() {
    return awaitOutcome(settings.deadline);
  }

  /**
   * Waits until the server closes (a close frame, then the end of TCP) or drops the connection, at
   * most {@code timeout}, and says which. After a close frame, the rest of the timeout is spent
   * waiting for TCP to end, so {@link Outcome#tcpEnd()} tells whether the server completed the
   * close cleanly.
   */
  public Outcome awaitOutcome(Duration timeout) {
    long begin = System.nanoTime();
    long deadline = begin + timeout.toNanos();
    synchronized (eventLock) {
      int index = awaitEventLocked(0, e -> e.isCloseFrame() || e.isTerminal(), deadline);
      if (index == -1) {
        return new Outcome(
            Outcome.Kind.STILL_OPEN,
            null,
            closedLocally ? Outcome.TcpEnd.CLOSED_BY_CLIENT : Outcome.TcpEnd.OPEN,
            Duration.ofNanos(System.nanoTime() - begin),
            null,
            transcriptTail());
      }
      ServerEvent decisive = events.get(index);
      Duration after = sinceLastSend(decisive);
      if (decisive.isTerminal()) {
        return new Outcome(
            Outcome.Kind.DROPPED,
            null,
            tcpEnd(decisive),
            after,
            decisive.detail(),
            transcriptTail());
      }
      int end = awaitEventLocked(index + 1, ServerEvent::isTerminal, deadline);
      ServerEvent ending = end == -1 ? null : events.get(end);
      return new Outcome(
          Outcome.Kind.CLOSED,
          decisive.frame(),
          ending != null
              ? tcpEnd(ending)
              : closedLocally ? Outcome.TcpEnd.CLOSED_BY_CLIENT : Outcome.TcpEnd.OPEN,
          after,
          ending == null ? null : ending.detail(),
          transcriptTail());
    }
  }

  private static Outcome.TcpEnd tcpEnd(ServerEvent event) {
    return switch (event.kind()) {
      case END_OF_STREAM -> Outcome.TcpEnd.CLEAN;
      case RESET -> Outcome.TcpEnd.RESET;
      default -> Outcome.TcpEnd.ERROR;
    };
  }

  /** Time from the last test send at or before the event, to the event. */
  private Duration sinceLastSend(ServerEvent event) {
    long at = startNanos + event.elapsed().toNanos();
    long lastSend = startNanos;
    for (long sent : sendNanos) if (sent <= at) lastSend = sent;
    return Duration.ofNanos(at - lastSend);
  }

  /**
   * Sends a ping with a unique payload and waits for the matching pong: proof that the server has
   * processed every frame sent before it (it handles frames in order, §5.5.2). Returns false when
   * the connection ended or the deadline passed first; the transcript shows which.
   */
  public boolean probe() {
    return probe(settings.deadline);
  }

  /** As {@link #probe()}, waiting at most {@code timeout}. */
  public boolean probe(Duration timeout) {
    if (closedLocally) return false;
    ByteString token = ByteString.encodeUtf8(PROBE_PREFIX + PROBE_COUNTER.incrementAndGet());
    int from;
    synchronized (eventLock) {
      from = events.size();
    }
    send(Frame.ping(token));
    ServerEvent answer =
        awaitEvent(
            from,
            e -> e.isTerminal() || (e.frame().isPong() && e.frame().payload().equals(token)),
            timeout);
    return answer != null && !answer.isTerminal();
  }

  /**
   * The next frame that completes a data message (control frames are skipped), waiting at most the
   * deadline.
   *
   * @throws AssertionError when a close frame, the end of the connection or the deadline comes
   *     first
   */
  public ReceivedFrame awaitMessage() {
    return awaitFrameMatching("a message", f -> f.message() != null, settings.deadline);
  }

  private ReceivedFrame awaitFrameMatching(
      String what, Predicate<ReceivedFrame> wanted, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (eventLock) {
      int index =
          awaitEventLocked(
              frameCursor,
              e ->
                  e.isTerminal()
                      || e.frame().isClose()
                      || (wanted.test(e.frame()) && !isProbeAnswer(e.frame())),
              deadline);
      if (index != -1) frameCursor = index + 1;
      ServerEvent event = index == -1 ? null : events.get(index);
      if (event != null && !event.isTerminal() && wanted.test(event.frame())) return event.frame();
      String instead =
          event == null
              ? "nothing came within " + timeout.toMillis() + " ms"
              : "the connection was " + awaitOutcome(Duration.ZERO).describe();
      throw new AssertionError(
          "\nExpecting " + what + " from the server\nbut " + instead + "\n\n" + transcriptTail());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Assertions: each waits for its event, then delegates to the AssertJ classes

  /**
   * Waits for the outcome and asserts the server closed the connection with one of {@code codes}
   * (RFC 6455 §7.4). TCP need not have ended: see {@link Outcome#tcpEnd()} for that.
   */
  public Outcome assertClosesWith(int... codes) {
    return assertClosesWith(settings.deadline, codes);
  }

  /** As {@link #assertClosesWith(int...)}, waiting at most {@code within}. */
  public Outcome assertClosesWith(Duration within, int... codes) {
    requireCodes(codes);
    Outcome outcome = awaitOutcome(within);
    WebSocketAssertions.assertThat(outcome).isClosedWith(codes);
    return outcome;
  }

  /** Waits for the outcome and asserts the server dropped the connection without a close frame. */
  public Outcome assertConnectionDropped() {
    return assertConnectionDropped(settings.deadline);
  }

  /** As {@link #assertConnectionDropped()}, waiting at most {@code within}. */
  public Outcome assertConnectionDropped(Duration within) {
    Outcome outcome = awaitOutcome(within);
    WebSocketAssertions.assertThat(outcome).isDropped();
    return outcome;
  }

  /**
   * Waits for the outcome and asserts the server failed the connection: a close frame with one of
   * {@code codes} (any code when none are named), or a drop without one; RFC 6455 §7.1.7 allows
   * both.
   */
  public Outcome assertFailsConnection(int... codes) {
    return assertFailsConnection(settings.deadline, codes);
  }

  /** As {@link #assertFailsConnection(int...)}, waiting at most {@code within}. */
  public Outcome assertFailsConnection(Duration within, int... codes) {
    Outcome outcome = awaitOutcome(within);
    WebSocketAssertions.assertThat(outcome).failsConnection(codes);
    return outcome;
  }

  private static void requireCodes(int... codes) {
    if (codes.length == 0) {
      throw new IllegalArgumentException(
          "name at least one close code, e.g. assertClosesWith(1002); to accept any, use assertFailsConnection()");
    }
  }

  /** Asserts the next message from the server is a text message equal to {@code text}. */
  public ReceivedFrame assertReceivesText(String text) {
    return withTranscript(
        () ->
            WebSocketAssertions.assertThat(
                    awaitFrameMatching(
                        "a text message \"" + text + "\"",
                        f -> f.message() != null,
                        settings.deadline))
                .isTextMessage(text)
                .actual());
  }

  /** Asserts the next message from the server is a binary message equal to {@code bytes}. */
  public ReceivedFrame assertReceivesBinary(ByteString bytes) {
    return withTranscript(
        () ->
            WebSocketAssertions.assertThat(
                    awaitFrameMatching(
                        "a binary message " + bytes.hex(),
                        f -> f.message() != null,
                        settings.deadline))
                .isBinaryMessage(bytes)
                .actual());
  }

  /** Asserts the next message from the server is a binary message equal to {@code bytes}. */
  public ReceivedFrame assertReceivesBinary(byte[] bytes) {
    return assertReceivesBinary(ByteString.of(bytes));
  }

  /**
   * Asserts the next pong from the server carries {@code payload} as UTF-8 (other data frames are
   * skipped).
   */
  public ReceivedFrame assertPong(String payload) {
    return assertPong(ByteString.encodeUtf8(payload));
  }

  /** Asserts the next pong from the server carries exactly {@code payload} (§5.5.3). */
  public ReceivedFrame assertPong(ByteString payload) {
    return withTranscript(
        () ->
            WebSocketAssertions.assertThat(
                    awaitFrameMatching("a pong", ReceivedFrame::isPong, settings.deadline))
                .isPong(payload)
                .actual());
  }

  /**
   * Asserts the server has processed everything sent so far and kept the connection: a probe ping
   * gets its pong. Decided by the pong, or by the end of the connection; the deadline is only the
   * outer bound.
   */
  public void assertStaysOpen() {
    if (probe()) return;
    Outcome outcome = awaitOutcome(Duration.ZERO);
    String instead =
        outcome.isStillOpen()
            ? "the probe ping got no pong within " + settings.deadline.toMillis() + " ms"
            : "it was " + outcome.describe();
    throw new AssertionError(
        "\nExpecting the connection to stay open (a probe ping to be answered)\nbut "
            + instead
            + "\n\n"
            + transcriptTail());
  }

  /**
   * Reads the server's HTTP answer to the handshake bytes this client sent and asserts its status
   * is one of {@code statuses}. For a client injected with {@code @NoHandshake}.
   */
  public HandshakeResponse assertHandshakeRejected(int... statuses) {
    if (statuses.length == 0) {
      throw new IllegalArgumentException(
          "name at least one HTTP status, e.g. assertHandshakeRejected(400)");
    }
    HandshakeResponse response;
    synchronized (eventLock) {
      response = framing ? handshakeResponse : null;
    }
    if (response == null) {
      try {
        response = awaitHttpResponse();
      } catch (HandshakeException e) {
        throw new AssertionError(
            "\nExpecting the handshake to be rejected with HTTP "
                + java.util.Arrays.toString(statuses)
                + "\nbut "
                + e.getMessage(),
            e);
      }
    }
    HandshakeResponse answered = response;
    return withTranscript(
        () -> WebSocketAssertions.assertThat(answered).hasStatus(statuses).actual());
  }

  /**
   * Asserts the server under test is alive: for a launched process, it runs and a fresh client
   * completes a handshake and ping/pong; otherwise the latter. A process that died is reported with
   * its exit code and output.
   */
  public void assertProcessAlive() {
    withTranscript(() -> WebSocketAssertions.assertThat(serverUnderTest()).isAlive().actual());
  }

  /** Asserts a fresh client completes a handshake and a ping/pong round trip with the server. */
  public void assertServerStillServes() {
    withTranscript(() -> WebSocketAssertions.assertThat(serverUnderTest()).stillServes().actual());
  }

  /** The server the liveness assertions check. */
  public ServerUnderTest serverUnderTest() {
    if (settings.serverUnderTest != null) return settings.serverUnderTest;
    return new RemoteServer(uri, settings.deadline, () -> settings.copy().serverUnderTest(null));
  }

  private <T> T withTranscript(java.util.function.Supplier<T> assertion) {
    try {
      return assertion.get();
    } catch (AssertionError e) {
      if (e.getMessage() != null && e.getMessage().contains("\nTranscript (last ")) throw e;
      AssertionError withTail =
          new AssertionError(e.getMessage() + "\n\n" + transcriptTail(), e.getCause());
      withTail.setStackTrace(e.getStackTrace());
      throw withTail;
    }
  }

  /**
   * Whether {@code frame} is the pong to one of {@link #probe()}'s pings, which frame waits skip.
   */
  private static boolean isProbeAnswer(ReceivedFrame frame) {
    return frame.isPong() && frame.payload().startsWith(ByteString.encodeUtf8(PROBE_PREFIX));
  }

  // ---------------------------------------------------------------------------------------------
  // Transcript

  /** Everything that crossed this connection so far, rendered as text. */
  public String transcript() {
    return transcript.render();
  }

  /** The last entries of the transcript, headed for a failure message. */
  public String transcriptTail() {
    return "Transcript (last "
        + TRANSCRIPT_TAIL
        + " entries) of "
        + uri
        + ":\n"
        + transcript.renderTail(TRANSCRIPT_TAIL);
  }

  private String hostHeader() {
    int port = uri.getPort();
    boolean defaultPort = port == -1 || port == defaultPort(uri.getScheme());
    return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
  }

  private static int defaultPort(String scheme) {
    return "wss".equalsIgnoreCase(scheme) ? 443 : 80;
  }

  @Override
  public String toString() {
    return "RawWebSocketClient[" + uri + (closedLocally ? ", closed" : "") + "]";
  }

  /**
   * Settings for one client: the target, the central deadline, handshake extras, TLS trust and the
   * automatic replies. Ends in {@link #connect()} (upgraded) or {@link #connectWithoutUpgrade()}
   * (TCP only, for handshake tests).
   *
   * <p>Thread-safety: not thread-safe; build on one thread.
   */
  public static final class Builder {
    private final URI uri;
    private Duration deadline = DEFAULT_DEADLINE;
    private final List<String> subprotocols = new ArrayList<>();
    private final List<String> extensions = new ArrayList<>();
    private final List<String[]> headers = new ArrayList<>();
    private String origin;
    private SSLSocketFactory sslSocketFactory;
    private boolean trustAllCertificates;
    private Random random = new SecureRandom();
    private long maxFramePayload = FrameReader.DEFAULT_MAX_PAYLOAD;
    private boolean replyToClose = true;
    private boolean answerPings;
    private ServerUnderTest serverUnderTest;

    /** A copy, so that changing this builder later cannot reach a connected client. */
    private Builder copy() {
      Builder copy = new Builder(uri);
      copy.deadline = deadline;
      copy.subprotocols.addAll(subprotocols);
      copy.extensions.addAll(extensions);
      copy.headers.addAll(headers);
      copy.origin = origin;
      copy.sslSocketFactory = sslSocketFactory;
      copy.trustAllCertificates = trustAllCertificates;
      copy.random = random;
      copy.maxFramePayload = maxFramePayload;
      copy.replyToClose = replyToClose;
      copy.answerPings = answerPings;
      copy.serverUnderTest = serverUnderTest;
      return copy;
    }

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

    /** The target, validated. */
    public URI uri() {
      return uri;
    }

    /** The central deadline for connecting, the handshake, blocked writes and every wait. */
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
          new String[] {
            Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value")
          });
      return this;
    }

    /** The {@code Origin} header to send. */
    public Builder origin(String origin) {
      this.origin = origin;
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

    /** The largest frame payload the reader accepts before it stops following frames. */
    public Builder maxFramePayload(long bytes) {
      if (bytes < 0)
        throw new IllegalArgumentException("maxFramePayload must not be negative: " + bytes);
      this.maxFramePayload = bytes;
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

    /** Connects and completes the opening handshake. */
    public RawWebSocketClient connect() {
      RawWebSocketClient client = connectWithoutUpgrade();
      try {
        client.upgrade();
        return client;
      } catch (RuntimeException e) {
        client.close();
        throw e;
      }
    }

    /**
     * Connects TCP (and TLS for {@code wss://}) but sends nothing: the test writes its own
     * handshake bytes with {@link #sendRaw(String)} and reads the answer with {@link
     * #awaitHttpResponse()}, or calls {@link #upgrade()}.
     */
    public RawWebSocketClient connectWithoutUpgrade() {
      long start = System.nanoTime();
      Transcript transcript = new Transcript(start);
      boolean tls = uri.getScheme().equalsIgnoreCase("wss");
      String host =
          uri.getHost().startsWith("[")
              ? uri.getHost().substring(1, uri.getHost().length() - 1)
              : uri.getHost();
      int port = uri.getPort() == -1 ? defaultPort(uri.getScheme()) : uri.getPort();
      Socket socket = new Socket();
      try {
        socket.setTcpNoDelay(true); // each delivery piece must leave as its own segment
        socket.connect(
            new InetSocketAddress(host, port),
            (int) Math.min(Integer.MAX_VALUE, deadline.toMillis()));
        transcript.record(
            Direction.NOTE, "connected to " + host + ":" + port + (tls ? " (TLS)" : ""), null);
        Socket connected = tls ? startTls(socket, host, port, transcript) : socket;
        return new RawWebSocketClient(copy(), socket, connected, start, transcript);
      } catch (IOException e) {
        try {
          socket.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw new UncheckedIOException(
            "could not connect to "
                + uri
                + " within "
                + deadline.toMillis()
                + " ms: "
                + e.getMessage(),
            e);
      }
    }

    private Socket startTls(Socket plain, String host, int port, Transcript transcript)
        throws IOException {
      SSLSocketFactory factory =
          trustAllCertificates
              ? InsecureTls.trustAllSocketFactory()
              : sslSocketFactory != null
                  ? sslSocketFactory
                  : (SSLSocketFactory) SSLSocketFactory.getDefault();
      SSLSocket tlsSocket = (SSLSocket) factory.createSocket(plain, host, port, true);
      if (!trustAllCertificates) {
        SSLParameters parameters = tlsSocket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        tlsSocket.setSSLParameters(parameters);
      }
      tlsSocket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, deadline.toMillis()));
      tlsSocket.startHandshake();
      tlsSocket.setSoTimeout(0);
      transcript.record(
          Direction.NOTE,
          "TLS "
              + tlsSocket.getSession().getProtocol()
              + " established"
              + (trustAllCertificates
                  ? " (certificate NOT verified: trustAllCertificatesInsecurely)"
                  : ""),
          null);
      return tlsSocket;
    }
  }
}
