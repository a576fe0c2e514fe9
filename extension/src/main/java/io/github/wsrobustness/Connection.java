package io.github.wsrobustness;

import io.github.wsrobustness.Transcript.Direction;
import io.github.wsrobustness.frame.Frame;
import io.github.wsrobustness.frame.FrameWriter;
import io.github.wsrobustness.frame.Opcode;
import io.github.wsrobustness.frame.Previews;
import io.github.wsrobustness.frame.WebSocketProtocol;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import okio.Buffer;
import okio.BufferedSink;
import okio.BufferedSource;
import okio.ByteString;
import okio.Okio;
import okio.Sink;
import okio.Source;
import okio.Timeout;

/**
 * The connection part of a client: the TCP (and TLS) socket, everything written to it and how
 * (frames, raw bytes, cut by a {@link Delivery}), half-close, abort, and close. Connecting (TCP,
 * TLS) and every send keep one deadline each: a server that stops reading, or answers a TLS
 * handshake a byte at a time, gets the socket closed at the deadline, with a sentence saying how
 * far it got. Reading belongs to {@link ServerReader}, through {@link #source()}, whose reads
 * honour the deadline set on its {@link Timeout}.
 *
 * <p>Sends never throw for a dead connection: a failed write is a fact the outcome reports ({@link
 * #writeFailure()}), not a test error.
 *
 * <p>Thread-safety: thread-safe. Writes are serialised by {@code writeLock} (the test thread, and
 * the reading side for its replies); the read side is used by one thread at a time ({@link
 * ServerReader}'s turn); the flags are volatile.
 */
final class Connection {
  private final ClientSettings settings;
  private final Transcript transcript;
  private final EventLog events;

  /** The TCP socket; over TLS the layer below {@link #socket}, so abort() can reset it bare. */
  private final CountingSocket tcpSocket;

  /** What is read and written: the TLS socket, or the TCP socket itself. */
  private final Socket socket;

  /** Reads: only by the holder of the reader's turn. */
  private final BufferedSource source;

  /** Guards {@link #sink}, {@link #frameWriter} and the delivery of every write. */
  private final ReentrantLock writeLock = new ReentrantLock();

  private final BufferedSink sink; // guarded by writeLock
  private final java.util.Queue<Reply> pendingReplies =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final FrameWriter frameWriter; // guarded by writeLock

  private volatile boolean closedLocally;
  private volatile boolean readingStopped;
  private volatile boolean upgraded;
  private final RequestText requestText; // guarded by itself
  private volatile boolean closeSent;
  private volatile boolean outputShutDown;
  private volatile boolean resetSeenByWrite;
  private volatile IOException writeFailure;
  private volatile String writeFailureDescription;

  /** Bytes the test asked to send so far; a reading thread is started past a threshold. */
  private volatile long bytesQueued;

  /**
   * When the request's first byte went out (nanoTime), 0 before: a refusal's time counts from it.
   */
  private volatile long requestStartNanos;

  private Connection(
      ClientSettings settings,
      Transcript transcript,
      EventLog events,
      CountingSocket tcpSocket,
      Socket socket)
      throws IOException {
    this.settings = settings;
    this.transcript = transcript;
    this.events = events;
    this.tcpSocket = tcpSocket;
    this.socket = socket;
    this.source = Okio.buffer(new DeadlineSource(socket.getInputStream()));
    this.sink = Okio.buffer(Okio.sink(socket.getOutputStream()));
    this.frameWriter = new FrameWriter(settings.random());
    this.requestText = new RequestText(settings.redaction());
  }

  /**
   * Connects TCP, and TLS for {@code wss://}, before {@code deadlineNanos}.
   *
   * @throws UncheckedIOException naming the phase and how far it got ("TLS handshake: 37 bytes
   *     received in 2000 ms")
   */
  static Connection open(
      ClientSettings settings,
      Transcript transcript,
      EventLog events,
      long startNanos,
      long deadlineNanos) {
    String host = settings.uri().getHost();
    if (host.startsWith("[")) host = host.substring(1, host.length() - 1);
    boolean tls = settings.uri().getScheme().equalsIgnoreCase("wss");
    int port = settings.uri().getPort() == -1 ? (tls ? 443 : 80) : settings.uri().getPort();
    CountingSocket tcp = new CountingSocket();
    String phase = "TCP connect to " + host + ":" + port;
    try (Watchdog.Guard guard = Watchdog.arm(deadlineNanos, tcp::closeQuietly)) {
      try {
        tcp.setTcpNoDelay(true); // each delivery piece must leave as its own segment
        tcp.connect(new InetSocketAddress(host, port), remainingMillis(deadlineNanos));
        transcript.note(
            Direction.NOTE, "connected to " + host + ":" + port + (tls ? " (TLS)" : ""));
        Socket connected = tcp;
        if (tls) {
          phase = "TLS handshake";
          connected = startTls(settings, tcp, host, port, deadlineNanos);
          transcript.note(
              Direction.NOTE,
              "TLS "
                  + ((SSLSocket) connected).getSession().getProtocol()
                  + " established"
                  + (settings.trustAllCertificates()
                      ? " (certificate NOT verified: trustAllCertificatesInsecurely)"
                      : ""));
        }
        return new Connection(settings, transcript, events, tcp, connected);
      } catch (IOException e) {
        tcp.closeQuietly();
        long waited = (System.nanoTime() - startNanos) / 1_000_000;
        boolean late = guard.fired() || e instanceof SocketTimeoutException;
        String progress =
            tls && !phase.startsWith("TCP")
                ? String.format(Locale.ROOT, "%,d bytes received", tcp.received())
                : "no answer";
        String why =
            late
                ? phase + ": " + progress + " in " + waited + " ms"
                : phase + ": " + e.getMessage();
        throw new UncheckedIOException(
            "could not connect to "
                + settings.uri()
                + " within "
                + settings.deadline().toMillis()
                + " ms: "
                + why,
            e);
      }
    }
  }

  private static Socket startTls(
      ClientSettings settings, Socket plain, String host, int port, long deadlineNanos)
      throws IOException {
    SSLSocketFactory factory =
        settings.trustAllCertificates()
            ? InsecureTls.trustAllSocketFactory()
            : settings.sslSocketFactory() != null
                ? settings.sslSocketFactory()
                : (SSLSocketFactory) SSLSocketFactory.getDefault();
    SSLSocket tls = (SSLSocket) factory.createSocket(plain, host, port, true);
    if (!settings.trustAllCertificates()) {
      SSLParameters parameters = tls.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      tls.setSSLParameters(parameters);
    }
    // The read timeout bounds each read; the watchdog bounds the handshake as a whole.
    tls.setSoTimeout(remainingMillis(deadlineNanos));
    tls.startHandshake();
    tls.setSoTimeout(0);
    return tls;
  }

  /** At least 1 ms: 0 would mean "no timeout" to a socket. */
  static int remainingMillis(long deadlineNanos) {
    long millis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime() + 999_999);
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, millis));
  }

  /** The opening handshake is done: what the test sends from now on is frames. */
  void markUpgraded() {
    upgraded = true;
  }

  /** Stops reading: the next socket read fails at once, as if its deadline had passed. */
  void stopReading() {
    readingStopped = true;
  }

  /** Reads again after {@link #stopReading()}. */
  void resumeReading() {
    readingStopped = false;
  }

  /** Whether reading is stopped. */
  boolean isReadingStopped() {
    return readingStopped;
  }

  /** Whether reads and writes pass through TLS. */
  boolean isTls() {
    return socket != tcpSocket;
  }

  /**
   * Whether bytes from the server wait to be read (buffered, or in the socket): a hint for the
   * thread that holds the reading turn, never a promise of a whole frame.
   */
  boolean hasBytesWaiting() {
    try {
      return source.getBuffer().size() > 0 || socket.getInputStream().available() > 0;
    } catch (java.io.IOException e) {
      return false; // a closed socket: the reader reports the end
    }
  }

  /** The server's bytes; read them only while holding the reader's turn. */
  BufferedSource source() {
    return source;
  }

  /** Arms a deadline that closes the socket: for reads that cannot time out on their own. */
  Watchdog.Guard closeAt(long deadlineNanos) {
    // The bare TCP socket: closing it never waits, where closing a TLS socket waits for its writer.
    return Watchdog.arm(deadlineNanos, tcpSocket::closeQuietly);
  }

  // ---------------------------------------------------------------------------------------------
  // Writing

  /** When the first bytes of the request went out (nanoTime), or 0 before. */
  long requestStartNanos() {
    return requestStartNanos;
  }

  /** Bytes the test has asked to send so far (frames and raw bytes). */
  long bytesQueued() {
    return bytesQueued;
  }

  /**
   * Writes frames back to back as one delivery, each recorded in the transcript (its header, and
   * the start of its payload). Returns whether everything was written.
   *
   * @param prefix put before each frame's summary ("reply to the close frame: ")
   * @param byTest whether the test asked for it (its time counts as the last send)
   */
  boolean sendFrames(List<Frame> frames, Delivery delivery, String prefix, boolean byTest) {
    return write(
        describeFrames(frames),
        wireSize(frames),
        delivery,
        byTest,
        framesBody(frames, delivery, prefix));
  }

  /**
   * Sends an automatic reply (a close frame, a pong) from the reading side without ever waiting for
   * a send in progress: the reader must go on reading while a long send lasts, or a server that
   * echoes as it reads would block that send. A reply that cannot go out now goes right after the
   * send in progress.
   */
  void reply(Frame frame, String prefix) {
    if (frame.opcode() == Opcode.CLOSE.value()) closeSent = true;
    pendingReplies.add(new Reply(frame, prefix));
    drainReplies();
  }

  private record Reply(Frame frame, String prefix) {}

  private void drainReplies() {
    while (!pendingReplies.isEmpty() && !closedLocally && writeLock.tryLock()) {
      try {
        for (Reply reply; (reply = pendingReplies.poll()) != null && !closedLocally; ) {
          List<Frame> frames = List.of(reply.frame());
          writeLocked(
              describeFrames(frames),
              wireSize(frames),
              Delivery.whole(),
              false,
              framesBody(frames, Delivery.whole(), reply.prefix()));
        }
      } finally {
        writeLock.unlock();
      }
    }
  }

  /** In a write of many frames, how many at each end get a transcript entry of their own. */
  private static final int ITEMISED_ENDS = 32;

  private Body framesBody(List<Frame> frames, Delivery delivery, String prefix) {
    return out -> {
      // A flood of frames in one write gets its first and last frames itemised and one line for
      // the rest: a line per frame of 100,000 would cost more than sending them.
      int size = frames.size();
      int skipFrom = size > 2 * ITEMISED_ENDS ? ITEMISED_ENDS : size;
      int skipTo = size > 2 * ITEMISED_ENDS ? size - ITEMISED_ENDS : size;
      long skippedBytes = 0;
      for (int i = 0; i < frames.size(); i++) {
        Frame frame = frames.get(i);
        if (frame.opcode() == Opcode.CLOSE.value()) closeSent = true;
        byte[] key = frameWriter.chooseMaskKey(frame);
        Frame keyed = key == null ? frame : frame.maskKey(key);
        if (i >= skipFrom && i < skipTo) {
          frameWriter.write(keyed, out);
          skippedBytes += wireSize(keyed);
          if (i == skipTo - 1) {
            transcript.note(
                Direction.SENT,
                String.format(
                    Locale.ROOT,
                    "%s… frames %,d to %,d of %,d in one write, %,d bytes, not itemised",
                    prefix,
                    skipFrom + 1,
                    skipTo,
                    size,
                    skippedBytes));
          }
          continue;
        }
        Buffer header = new Buffer();
        FrameWriter.writeHeader(keyed, key, header);
        ByteString headerBytes = header.readByteString();
        String summary =
            prefix
                + frame.describe()
                + (i == 0 ? describeDelivery(delivery) : "")
                + (frames.size() > 1
                    ? " [" + (i + 1) + " of " + frames.size() + " in one write]"
                    : "");
        if (frame.isStreamed()) {
          transcript.record(
              Direction.SENT, summary + ", payload streamed", headerBytes, ByteString.EMPTY);
        } else {
          ByteString payload = frame.payload();
          ByteString start =
              payload.size() > Transcript.HEX_MAX
                  ? payload.substring(0, Transcript.HEX_MAX)
                  : payload;
          ByteString wireStart = key == null ? start : WebSocketProtocol.toggleMask(start, key);
          transcript.record(
              Direction.SENT, summary + preview(payload, frame.opcode()), headerBytes, wireStart);
        }
        frameWriter.write(keyed, out);
      }
    };
  }

  /**
   * Sends bytes as they are. Before the upgrade they are the request: recorded as text, credentials
   * redacted even when a header line comes in pieces, and a paced delivery stops when the server
   * answers or closes; after it, in hex.
   */
  boolean sendRaw(ByteString bytes, Delivery delivery) {
    if (!upgraded) {
      if (requestStartNanos == 0) requestStartNanos = System.nanoTime();
      String text;
      synchronized (requestText) {
        text = requestText.render(bytes);
      }
      transcript.note(
          Direction.SENT,
          (looksLikeHttp(bytes) ? "HTTP request" : "raw " + bytes.size() + " bytes of the request")
              + describeDelivery(delivery)
              + ":\n"
              + HttpResponseReader.indent(text));
    } else {
      transcript.record(
          Direction.SENT,
          "raw " + bytes.size() + " bytes" + describeDelivery(delivery),
          ByteString.EMPTY,
          bytes);
    }
    return write("raw bytes", bytes.size(), delivery, true, out -> out.write(bytes));
  }

  private interface Body {
    void writeTo(BufferedSink out) throws IOException;
  }

  private boolean write(String what, long total, Delivery delivery, boolean byTest, Body body) {
    requireOpen();
    writeLock.lock();
    try {
      return writeLocked(what, total, delivery, byTest, body);
    } finally {
      writeLock.unlock();
      drainReplies(); // a reply that came during this send goes now
    }
  }

  /** Writes within one deadline; the caller holds {@code writeLock}. */
  private boolean writeLocked(
      String what, long total, Delivery delivery, boolean byTest, Body body) {
    bytesQueued += total;
    long start = System.nanoTime();
    long sentBefore = tcpSocket.sent();
    // What the server does from now on answers this send, even while it is still going out.
    if (byTest) events.markSend(start);
    try (Watchdog.Guard guard =
        Watchdog.arm(start + settings.deadline().toNanos(), this::closeForStalledSend)) {
      DeliverySink cutting = new DeliverySink(delivery, guard);
      try {
        BufferedSink out = delivery == Delivery.whole() ? sink : Okio.buffer(cutting);
        body.writeTo(out);
        out.flush();
        if (out != sink) sink.flush();
      } catch (ServerSpoke spoke) {
        transcript.note(
            Direction.NOTE,
            String.format(
                Locale.ROOT,
                "the server %s after %,d of %,d bytes of the request; the rest was not sent",
                spoke.getMessage(),
                spoke.sent,
                total));
        return false;
      } catch (IOException e) {
        recordWriteFailure(what, total, tcpSocket.sent() - sentBefore, start, guard.fired(), e);
        return false;
      }
      if (guard.fired()) {
        // The deadline closed the socket as the last bytes went out: the send did not make it.
        recordWriteFailure(
            what, total, tcpSocket.sent() - sentBefore, start, true, new SocketTimeoutException());
        return false;
      }
      return true;
    }
  }

  private void recordWriteFailure(
      String what, long total, long written, long startNanos, boolean timedOut, IOException e) {
    writeFailure = e;
    long millis = (System.nanoTime() - startNanos) / 1_000_000;
    String progress = String.format(Locale.ROOT, "%,d of %,d bytes written", written, total);
    String description;
    if (timedOut) {
      events.clientClosed();
      description =
          "send of "
              + what
              + ": "
              + progress
              + " in "
              + millis
              + " ms; the server did not take them in time, so the client closed the connection"
              + (total > 1024 * 1024
                  ? " (a longer deadline gives a send this large more time)"
                  : "");
    } else {
      if (isReset(e)) resetSeenByWrite = true;
      description = "send of " + what + " failed after " + progress + ": " + e.getMessage();
    }
    writeFailureDescription = description;
    transcript.note(Direction.NOTE, description);
    events.wakeAll();
  }

  /** The failure of the last write that failed, or null. */
  IOException writeFailure() {
    return writeFailure;
  }

  /**
   * What the last failed write said about itself ("send of …: 2,097,152 of … bytes written"), or
   * null.
   */
  String writeFailureDescription() {
    return writeFailureDescription;
  }

  /**
   * Whether a write saw the server's reset first: the kernel reports a reset once, so the next read
   * then sees only an end of stream, which must not be taken for a clean FIN.
   */
  boolean resetSeenByWrite() {
    return resetSeenByWrite;
  }

  /** Whether a close frame has gone out, the test's or the automatic reply. */
  boolean closeSent() {
    return closeSent;
  }

  /** A TCP RST: "Connection reset", from the socket or wrapped by TLS. */
  static boolean isReset(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SocketException
          && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("reset")) {
        return true;
      }
    }
    return false;
  }

  private static long wireSize(List<Frame> frames) {
    long total = 0;
    for (Frame frame : frames) total += wireSize(frame);
    return total;
  }

  /** The bytes {@code frame} takes on the wire: header, masking key and payload. */
  private static long wireSize(Frame frame) {
    return 2
        + frame.lengthEncoding().extraBytes()
        + (frame.isMasked() ? 4 : 0)
        + frame.payloadLength();
  }

  private static String describeFrames(List<Frame> frames) {
    return frames.size() == 1 ? frames.get(0).describe() : frames.size() + " frames";
  }

  /** The start of a payload for the summary line: text quoted when it is text, else hex. */
  static String preview(ByteString payload, int opcode) {
    if (payload.size() == 0) return "";
    boolean text = opcode == Opcode.TEXT.value() || opcode == Opcode.CONTINUATION.value();
    String shown = text ? Previews.text(payload, 40) : Previews.textOrHex(payload, 40);
    return " " + (shown.startsWith("\"") ? shown : "payload " + shown);
  }

  private static boolean looksLikeHttp(ByteString bytes) {
    for (int i = 0; i < bytes.size(); i++) {
      int b = bytes.getByte(i) & 0xff;
      if (b < 0x20 && b != '\r' && b != '\n' && b != '\t' || b >= 0x7f) return false;
    }
    return bytes.indexOf(ByteString.encodeUtf8("HTTP/1.")) >= 0;
  }

  static String describeDelivery(Delivery delivery) {
    return delivery == Delivery.whole() ? "" : " (" + delivery + ")";
  }

  /** The server answered or closed while a paced request was going out; the rest stays unsent. */
  private static final class ServerSpoke extends IOException {
    private static final long serialVersionUID = 1L;

    /** Bytes of the request sent before the server spoke. */
    final long sent;

    ServerSpoke(String what, long sent) {
      super(what);
      this.sent = sent;
    }
  }

  /**
   * Cuts writes where the delivery says, flushing each piece and pausing between them; before the
   * upgrade a pause ends the send early when the server answers or closes meanwhile.
   */
  private final class DeliverySink implements Sink {
    private final Delivery delivery;
    private final Watchdog.Guard guard;
    private long position;
    private boolean atCut;

    DeliverySink(Delivery delivery, Watchdog.Guard guard) {
      this.delivery = delivery;
      this.guard = guard;
    }

    @Override
    public void write(Buffer from, long byteCount) throws IOException {
      while (byteCount > 0) {
        long untilCut = delivery.bytesUntilCut(position);
        long n = untilCut == -1 ? byteCount : Math.min(untilCut, byteCount);
        if (atCut) pause();
        sink.write(from, n);
        position += n;
        byteCount -= n;
        atCut = n == untilCut;
        if (atCut) sink.flush();
      }
    }

    private void pause() throws IOException {
      atCut = false;
      Duration pause = delivery.pause();
      if (pause.isZero()) return;
      guard.extend(pause.toNanos()); // the test's own pause is not the server's delay
      if (!upgraded) {
        // Before the upgrade nothing else reads, so the pause is spent listening: a server that
        // answers or closes mid-request (a header timeout against a slowloris) ends the send then.
        String spoke = serverSpokeWithin(pause);
        if (spoke != null) throw new ServerSpoke(spoke, position);
        return;
      }
      try {
        // The delay between pieces is what the test asked for; it is not a wait for the server.
        Thread.sleep(pause.toMillis(), pause.toNanosPart() % 1_000_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted between delivery pieces");
      }
    }

    /** What the server did within {@code pause} ("answered", "closed …"), or null: silence. */
    private String serverSpokeWithin(Duration pause) {
      Timeout timeout = source.timeout();
      timeout.deadlineNanoTime(System.nanoTime() + pause.toNanos());
      try {
        return source.request(1) ? "answered" : "closed the connection";
      } catch (InterruptedIOException silentThroughThePause) {
        return null;
      } catch (IOException e) {
        if (isReset(e)) resetSeenByWrite = true; // the next read sees only an end of stream
        return "ended the connection (" + e.getMessage() + ")";
      } finally {
        timeout.clearDeadline();
      }
    }

    @Override
    public void flush() throws IOException {
      sink.flush();
    }

    @Override
    public Timeout timeout() {
      return Timeout.NONE;
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Ending

  /** Shuts down the sending side (a FIN; over TLS a close_notify first) and keeps reading. */
  void shutdownOutput() {
    requireOpen();
    writeLock.lock();
    try {
      sink.flush();
      socket.shutdownOutput();
      outputShutDown = true;
    } catch (IOException e) {
      recordWriteFailure("a half-close", 0, 0, System.nanoTime(), false, e);
      return;
    } finally {
      writeLock.unlock();
    }
    transcript.note(Direction.NOTE, "client shut down its output (FIN)");
  }

  /**
   * Ends the connection abortively: SO_LINGER 0, so the close sends a TCP RST; nothing more is
   * read. Idempotent.
   */
  void abort() {
    if (closedLocally) return;
    closedLocally = true;
    try {
      tcpSocket.setSoLinger(true, 0);
      tcpSocket.close(); // the TCP socket itself, so that TLS sends no close_notify first
    } catch (IOException e) {
      transcript.note(Direction.NOTE, "could not reset the connection cleanly: " + e);
    }
    closeSocketQuietly();
    transcript.note(Direction.NOTE, "client reset the connection (RST)");
    events.wakeAll();
    events.clientClosed();
  }

  /** Releases the socket, without a close handshake; nothing more is read. Idempotent. */
  void close() {
    closedLocally = true;
    if (writeLock.tryLock()) {
      try {
        closeSocketQuietly(); // over TLS, a close_notify first
      } finally {
        writeLock.unlock();
      }
    } else {
      // A send is blocked: closing a TLS socket would wait for it, so the TCP socket goes first.
      tcpSocket.closeQuietly();
      closeSocketQuietly();
    }
    events.wakeAll();
    events.clientClosed();
  }

  /**
   * Whether this client ended the connection itself: close(), abort(), or a send that blocked past
   * the deadline.
   */
  boolean isClosedLocally() {
    return closedLocally;
  }

  /**
   * The deadline of a send passed: the client closes, marked first, so that a read the close
   * interrupts is not taken for the server's doing.
   */
  private void closeForStalledSend() {
    closedLocally = true;
    // The bare TCP socket: the blocked write fails at once, where closing a TLS socket would wait
    // for that very write to finish (and hold the watchdog's one thread meanwhile).
    tcpSocket.closeQuietly();
    events.clientClosed();
  }

  private void closeSocketQuietly() {
    try {
      socket.close();
    } catch (IOException e) {
      transcript.note(Direction.NOTE, "closing the socket failed: " + e);
    }
  }

  void requireOpen() {
    if (closedLocally) {
      throw new IllegalStateException("this client is closed; connect a new one to send again");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Sockets

  /**
   * Reads the socket with the deadline of its {@link Timeout}: each read may block only until then,
   * so a silent server ends a read at the deadline and the connection stays usable (a read timeout
   * does not close a plain socket).
   */
  private final class DeadlineSource implements Source {
    private final InputStream in;
    private final Timeout timeout = new Timeout();
    private int soTimeout = -1; // the last value set, so an unchanged one costs nothing

    DeadlineSource(InputStream in) {
      this.in = in;
    }

    @Override
    public long read(Buffer sink, long byteCount) throws IOException {
      if (byteCount == 0) return 0;
      // Resumable like a timeout: the frame read so far waits for reading to resume.
      if (readingStopped) throw new InterruptedIOException("reading is stopped");
      int wanted = 0;
      if (timeout.hasDeadline()) {
        long remaining = timeout.deadlineNanoTime() - System.nanoTime();
        if (remaining <= 0) throw new SocketTimeoutException("the deadline passed");
        wanted = remainingMillis(timeout.deadlineNanoTime());
      }
      if (wanted != soTimeout) {
        socket.setSoTimeout(wanted);
        soTimeout = wanted;
      }
      // Straight into the buffer's own segment: no intermediate array.
      try (Buffer.UnsafeCursor cursor = sink.readAndWriteUnsafe()) {
        long sizeBefore = sink.size();
        cursor.expandBuffer((int) Math.min(byteCount, 8192));
        int capacity = (int) Math.min(byteCount, cursor.end - cursor.start);
        int read;
        try {
          read = in.read(cursor.data, cursor.start, capacity);
        } catch (IOException e) {
          cursor.resizeBuffer(sizeBefore);
          throw e;
        }
        cursor.resizeBuffer(sizeBefore + Math.max(read, 0));
        return read;
      }
    }

    @Override
    public Timeout timeout() {
      return timeout;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** A TCP socket that counts the bytes it carries, for "how far it got" in deadline messages. */
  private static final class CountingSocket extends Socket {
    private volatile long received;
    private volatile long sent;
    private InputStream input;
    private OutputStream output;

    long received() {
      return received;
    }

    long sent() {
      return sent;
    }

    void closeQuietly() {
      try {
        close();
      } catch (IOException e) {
        // Closing is how a deadline ends the blocked call; a failure to close changes nothing here.
      }
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
      if (input == null) {
        input =
            new FilterInputStream(super.getInputStream()) {
              @Override
              public int read() throws IOException {
                int b = super.read();
                if (b != -1) received++;
                return b;
              }

              @Override
              public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n > 0) received += n;
                return n;
              }
            };
      }
      return input;
    }

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
      if (output == null) {
        output =
            new FilterOutputStream(super.getOutputStream()) {
              @Override
              public void write(int b) throws IOException {
                out.write(b);
                sent++;
              }

              @Override
              public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                sent += len;
              }
            };
      }
      return output;
    }
  }
}
