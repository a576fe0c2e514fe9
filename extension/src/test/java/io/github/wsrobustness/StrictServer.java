package io.github.wsrobustness;

import io.github.wsrobustness.frame.WebSocketProtocol;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small loopback RFC 6455 echo server that is strictly conforming unless told otherwise: the
 * reference that proves the verdicts of the Autobahn-style conformance catalogue. Without bugs it
 * must earn OK (strict variants included) on every case of Autobahn sections 1–7, 9 and 10; each
 * {@link Bug} plants exactly one deviation, so a test can show that the catalogue notices it.
 *
 * <p>It is written by hand over raw bytes (its own frame parser and UTF-8 validator) rather than on
 * the project's frame classes, so that it does not share a mistake with the code it is used to
 * judge. Only {@link WebSocketProtocol#acceptHeader(String)} is borrowed.
 *
 * <p>What it does: answers the opening handshake (no extensions, no subprotocol), echoes each
 * complete text or binary message as one unfragmented frame, answers each ping at once (between
 * fragments too), ignores pongs, and answers a close with a close carrying the client's code before
 * dropping TCP. It fails the connection on the first violation: 1002 for framing errors, 1007 for
 * invalid UTF-8 (detected fail-fast, in the middle of a frame if need be), 1009 for a message above
 * {@value #MAX_MESSAGE} bytes.
 *
 * <p>In-process use: {@link #start(Bug...)}, then {@link #uri()}. As a process ({@link
 * #main(String[])}): {@code StrictServer <port> [bug names…]} prints {@code ready on port N}.
 *
 * <p>Thread-safety: one acceptor thread and one daemon thread per connection; {@link #close()} may
 * be called from any thread.
 */
final class StrictServer implements AutoCloseable {

  /** One planted deviation from RFC 6455 each; everything else stays conforming. */
  enum Bug {
    /** Unmasked client frames are treated as normal (§5.1 says fail with 1002). */
    ACCEPTS_UNMASKED,
    /** Every failure that should carry 1002 carries 1000 instead; 1007 and 1009 are unchanged. */
    CLOSES_1000_ON_PROTOCOL_ERROR,
    /**
     * A frame with any RSV bit set kills the whole JVM (a line on stderr, then exit code 3), like a
     * server whose uncaught parser error takes the process down. Only meaningful when run as a
     * process through {@link #main(String[])}: {@link #start(Bug...)} refuses it, since it would
     * halt the test JVM.
     */
    EXITS_ON_RSV,
    /** Pings are never answered. */
    NO_PONG,
    /**
     * No UTF-8 validation at all: text messages and close reasons are taken whatever their bytes.
     */
    ECHOES_INVALID_UTF8,
    /**
     * After a close handshake, whichever side started it, the server never closes TCP: it reads and
     * discards until the client closes (or the read timeout ends the wait).
     */
    KEEPS_TCP_OPEN,
    /**
     * Every failure (1002, 1007, 1009) drops TCP without a close frame, which §7.1.7 allows: a
     * catalogue must accept this as a way to fail.
     */
    DROPS_WITHOUT_CLOSE,
    /**
     * UTF-8 is checked only once a text message is complete: invalid text still fails with 1007,
     * but late, which Autobahn calls NON-STRICT (6.4.x).
     */
    VALIDATES_UTF8_AT_MESSAGE_END,
    /**
     * A frame with an RSV bit set makes the server refuse every later handshake (503) while the
     * process lives on, like a server whose worker pool a bad frame wedged.
     */
    STOPS_ACCEPTING_ON_RSV,
    /** The reply to a client's close carries no code (RFC 6455 §5.5.1 allows an empty close). */
    EMPTY_CLOSE_REPLY,
    /** Every frame the server sends is masked, which §5.1 forbids a server to do. */
    MASKS_ITS_FRAMES,
    /** After every echo the server closes with 1000 on its own, unasked. */
    CLOSES_AFTER_ECHO,
    /**
     * A frame's length is kept in a 32-bit int: the top bit of a 64-bit length, a length no message
     * may have, a sum of fragments that overflows all go through as their low 32 bits, which alone
     * the limit checks, and the server reads what the truncated length says (a negative one:
     * nothing).
     */
    TRUSTS_DECLARED_LENGTH,
    /**
     * Control frames are checked by neither FIN nor size, close codes only for 1000–4999, and a
     * close reason byte by byte but not for ending inside a UTF-8 sequence.
     */
    LAX_CONTROL_FRAMES,
    /**
     * A data frame of the other type inside an open message is taken as its continuation (one of
     * the same type still fails, so Autobahn's 5.18 passes).
     */
    MIXES_MESSAGE_TYPES,
    /**
     * A message of more than {@value StrictServer#FRAGMENT_LIST_SIZE} fragments overflows a fixed
     * list of fragments: the handler fails with 1011 (internal error) instead of taking the message
     * or refusing it with 1009.
     */
    FRAGMENT_LIST_OVERFLOWS,
    /**
     * When the client's side of TCP ends (a FIN) without a close handshake, the connection waits on
     * for bytes that cannot come: the socket stays open until the read timeout.
     */
    IGNORES_CLIENT_EOF,
    /**
     * A connection the client resets (a TCP RST) wedges the server's one worker: every later
     * handshake is refused (503). With this bug the server serves one connection at a time, so the
     * next connection always meets the wedge, never a race with it.
     */
    STOPS_ACCEPTING_ON_RESET,
    /**
     * Every opening handshake is upgraded, whatever its method, version, key, Host or Upgrade
     * headers (the accept value answers the first key, or an empty one).
     */
    ACCEPTS_ANY_HANDSHAKE,
    /**
     * A header value of more than {@value StrictServer#LONG_HEADER_VALUE} bytes sends the header
     * parser into a loop (a backtracking pattern, say): the request is never answered, and the
     * connection waits until the client goes.
     */
    SPINS_ON_LONG_HEADER_VALUES,
    /**
     * A frame header is taken from the read that brought its first byte: when the second byte has
     * not arrived with it, it is read as 0 (an unmasked, empty frame, which fails with 1002). Whole
     * frames pass; frames cut after their first byte, as split delivery sends them, do not.
     */
    ASSUMES_WHOLE_HEADERS,
    /**
     * Each pong takes a buffer from a pool of {@value StrictServer#POOL_SIZE} that is never given
     * back: past that many pongs on a connection, it stops reading and waits until the client goes,
     * like Undertow before CVE-2021-3690.
     */
    STALLS_AFTER_MANY_PONGS,
    /**
     * An echo is queued, and the queue of {@value StrictServer#POOL_SIZE} drops silently when full:
     * once that many messages completed while more bytes were already waiting, their echoes are
     * lost.
     */
    DROPS_ECHOES_UNDER_LOAD,
    /**
     * A message of exactly the limit is refused with 1009: the check is {@code >=}, not {@code >}.
     */
    LIMIT_OFF_BY_ONE,
    /**
     * The limit is checked against each frame, not the message: fragments under it add up to any
     * size, as Jetty's and ws's checks once did.
     */
    LIMITS_EACH_FRAME,
    /**
     * No limit: every message is kept whole, however big, and echoed (fragments and all): the
     * server holds whatever a client chooses to send.
     */
    BUFFERS_EVERYTHING,
    /**
     * A data frame's buffer is allocated (and filled) at the size its header declares, up to
     * {@value StrictServer#DECLARED_ALLOCATION_CAP} bytes, before the limit is checked, and kept
     * until the message ends, like Java-WebSocket before #1507: the verdicts stay right, the memory
     * does not. Only as a process ({@link StrictServer#main}): in a test JVM it would take 256 MiB
     * a frame.
     */
    ALLOCATES_DECLARED_LENGTH,
    /**
     * At most {@value StrictServer#WORKER_POOL} connections are served at a time, by a fixed pool
     * of workers that wait on their connections with no timeout: the next one waits, unanswered,
     * until a connection ends and frees a worker.
     */
    FIXED_WORKER_POOL,
    /**
     * Each pong takes a buffer from a pool of {@value StrictServer#POOL_SIZE} that is never given
     * back, and a ping with no buffer left goes unanswered: past that many pings on a connection,
     * the last one's too, no pong comes.
     */
    DROPS_PONGS_UNDER_LOAD,
    /**
     * One connection is served at a time, and after its own close the server waits for the client's
     * reply (up to its read timeout) before it lets the connection go: a client that never answers
     * holds every other client off.
     */
    WAITS_FOR_CLOSE_REPLY,
    /**
     * The request head is taken from the read that brought its first byte: when its end has not
     * arrived with it, the request is refused (400), as a hand-written server that parses its first
     * {@code data} event does. Heads sent in one write pass; a head that comes a byte at a time
     * does not.
     */
    TAKES_FIRST_READ_AS_HEAD,
    /**
     * A compressed message is inflated whole before its size is checked: the 1009 comes, but only
     * after the server held all it inflates to (a bomb of a few hundred KiB: hundreds of MiB).
     */
    INFLATES_WITHOUT_LIMIT,
    /**
     * The first permessage-deflate offer is accepted, whatever its parameters (unknown ones, one
     * twice, window bits out of range: RFC 7692 §7 says decline it), with a plain {@code
     * permessage-deflate} that ignores what it asks (a {@code server_max_window_bits} too).
     */
    ACCEPTS_BAD_DEFLATE_OFFERS,
    /**
     * Each compressed message is inflated with a fresh inflater, though the client was left free to
     * keep its context (RFC 7692 §7.2.3): a message that refers back into the one before fails with
     * 1007 as invalid data.
     */
    IGNORES_CONTEXT_TAKEOVER,
    /**
     * The echo of a compressed message carries the bytes as they came, still compressed, without
     * RSV1: the client reads a message it never sent.
     */
    ECHOES_COMPRESSED_PAYLOAD
  }

  /** The workers of {@link Bug#FIXED_WORKER_POOL}. */
  static final int WORKER_POOL = 100;

  /** The most {@link Bug#ALLOCATES_DECLARED_LENGTH} allocates for one frame. */
  static final int DECLARED_ALLOCATION_CAP = 256 << 20; // four default memory budgets

  /**
   * The pool of {@link Bug#STALLS_AFTER_MANY_PONGS}, the queue of {@link
   * Bug#DROPS_ECHOES_UNDER_LOAD}.
   */
  static final int POOL_SIZE = 1000;

  /** How long {@link Bug#STALLS_AFTER_MANY_PONGS} holds a stalled connection at most. */
  private static final long STALL_MS = 60_000;

  /** Where {@link Bug#SPINS_ON_LONG_HEADER_VALUES} starts to spin. */
  static final int LONG_HEADER_VALUE = 1000;

  private static final java.util.regex.Pattern HOST =
      java.util.regex.Pattern.compile("[A-Za-z0-9.-]+(:[0-9]{1,5})?");

  /** The fixed fragment list of {@link Bug#FRAGMENT_LIST_OVERFLOWS}. */
  static final int FRAGMENT_LIST_SIZE = 1000;

  /** The largest message echoed; Autobahn section 9 sends up to 16 MiB. */
  static final int MAX_MESSAGE = 64 * 1024 * 1024;

  /**
   * The largest message echoed by this server: {@link #MAX_MESSAGE} unless started with another.
   */
  private final long limit;

  private static final int MAX_REQUEST_HEAD = 16 * 1024;

  /** No read waits longer, so a silent peer cannot pin a thread forever. */
  private static final int READ_TIMEOUT_MS = 10_000;

  /**
   * How long a conforming server keeps reading (and discarding) after its FIN: closing a socket
   * with unread bytes makes the kernel send a RST instead of a clean end, which a client may see
   * before the close frame it has not yet read.
   */
  private static final int LINGER_MS = 2_000;

  private static final int IO_BUFFER = 64 * 1024;
  private static final int INITIAL_MESSAGE_CAPACITY = 8 * 1024;

  /** A message buffer above this is released after its message, so idle connections stay small. */
  private static final int RETAINED_MESSAGE_CAPACITY = 1024 * 1024;

  private static final int OP_CONTINUATION = 0x0;
  private static final int OP_TEXT = 0x1;
  private static final int OP_BINARY = 0x2;
  private static final int OP_CLOSE = 0x8;
  private static final int OP_PING = 0x9;
  private static final int OP_PONG = 0xA;

  private static final int PROTOCOL_ERROR = 1002;
  private static final int INVALID_PAYLOAD = 1007;
  private static final int TOO_BIG = 1009;

  private static final AtomicInteger CONNECTIONS = new AtomicInteger();

  private final ServerSocket serverSocket;

  /** How long a request head may take from the accept, or 0: no bound but the read timeout. */
  private volatile long headTimeoutMillis;

  /** What a head past {@link #headTimeoutMillis} gets: this status, or a drop when 0. */
  private volatile int headTimeoutStatus;

  /** Whether a permessage-deflate offer may be accepted (RFC 7692); a server may decline all. */
  private volatile boolean compression = true;

  /** Set by {@link Bug#STOPS_ACCEPTING_ON_RSV}: every later handshake is refused. */
  private volatile boolean refusing;

  private final EnumSet<Bug> bugs;
  private final Set<Socket> accepted = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private volatile boolean closed;

  /** The one worker of {@link Bug#STOPS_ACCEPTING_ON_RESET}. */
  private final java.util.concurrent.Semaphore worker = new java.util.concurrent.Semaphore(1);

  /** The pool of {@link Bug#FIXED_WORKER_POOL}. */
  private final java.util.concurrent.Semaphore workers =
      new java.util.concurrent.Semaphore(WORKER_POOL);

  private final java.util.concurrent.CountDownLatch closing =
      new java.util.concurrent.CountDownLatch(1);

  private StrictServer(ServerSocket serverSocket, EnumSet<Bug> bugs, long limit) {
    this.serverSocket = serverSocket;
    this.limit = limit;
    this.bugs = bugs;
    this.acceptor = new Thread(this::acceptLoop, "strict-server-acceptor-" + port());
    acceptor.setDaemon(true);
  }

  /**
   * Starts a server with these bugs planted (none: conforming) on a free loopback port.
   *
   * @throws IllegalArgumentException for {@link Bug#EXITS_ON_RSV}, which would halt this JVM
   */
  static StrictServer start(Bug... bugs) {
    return startWithLimit(MAX_MESSAGE, bugs);
  }

  /** As {@link #start(Bug...)}, echoing messages of at most {@code limit} bytes (1009 above). */
  static StrictServer startWithLimit(long limit, Bug... bugs) {
    EnumSet<Bug> planted = bugSet(bugs);
    if (planted.contains(Bug.EXITS_ON_RSV) || planted.contains(Bug.ALLOCATES_DECLARED_LENGTH)) {
      throw new IllegalArgumentException(
          planted
              + " would halt or fill the JVM it runs in; run StrictServer as a process (main)"
              + " for it");
    }
    return bind(0, planted, limit);
  }

  private static EnumSet<Bug> bugSet(Bug... bugs) {
    EnumSet<Bug> planted = EnumSet.noneOf(Bug.class);
    planted.addAll(Arrays.asList(bugs));
    return planted;
  }

  private static StrictServer bind(int port, EnumSet<Bug> bugs, long limit) {
    ServerSocket socket = null;
    try {
      socket = new ServerSocket();
      // A backlog for the floods: R8.4 connects 500 at once, R8.7 50 beside a fresh client's.
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
      StrictServer server = new StrictServer(socket, bugs, limit);
      server.acceptor.start();
      return server;
    } catch (IOException e) {
      closeQuietly(socket);
      throw new UncheckedIOException("StrictServer could not bind 127.0.0.1:" + port, e);
    }
  }

  /** The port it listens on. */
  /**
   * From now on, a request head not whole within {@code timeout} of its connection's accept is
   * answered {@code status} (408 Request Timeout, say) or, with 0, dropped: a conforming server's
   * guard against slow requests.
   */
  StrictServer headTimeout(java.time.Duration timeout, int status) {
    headTimeoutStatus = status;
    headTimeoutMillis = timeout.toMillis();
    return this;
  }

  /** This server, declining every permessage-deflate offer, as a server without it does. */
  StrictServer withoutCompression() {
    compression = false;
    return this;
  }

  int port() {
    return serverSocket.getLocalPort();
  }

  /** {@code ws://127.0.0.1:PORT/}. */
  URI uri() {
    return URI.create("ws://127.0.0.1:" + port() + "/");
  }

  /** The bugs planted in this server. */
  Set<Bug> bugs() {
    return EnumSet.copyOf(bugs);
  }

  /** Stops accepting and closes every accepted socket. Idempotent. */
  @Override
  public void close() {
    closed = true;
    closing.countDown();
    closeQuietly(serverSocket);
    for (Socket socket : accepted) closeQuietly(socket);
  }

  /**
   * {@code StrictServer <port> [limit=<bytes>] [bug names…]}: binds 127.0.0.1:port (0 for any free
   * port), prints {@code ready on port N} and serves until killed. Bug names are {@link Bug}
   * constant names.
   */
  public static void main(String[] args) throws InterruptedException {
    if (args.length < 1) usage("no port given");
    int port;
    try {
      port = Integer.parseInt(args[0]);
    } catch (NumberFormatException e) {
      usage("not a port: " + args[0]);
      return;
    }
    EnumSet<Bug> planted = EnumSet.noneOf(Bug.class);
    long limit = MAX_MESSAGE;
    for (int i = 1; i < args.length; i++) {
      if (args[i].startsWith("limit=")) {
        limit = Long.parseLong(args[i].substring("limit=".length()));
        continue;
      }
      try {
        planted.add(Bug.valueOf(args[i]));
      } catch (IllegalArgumentException e) {
        usage("unknown bug " + args[i]);
      }
    }
    StrictServer server = bind(port, planted, limit);
    System.out.println("ready on port " + server.port());
    System.out.flush();
    server.acceptor.join();
    // The acceptor only ends when accepting fails: a server that cannot accept is of no use.
    System.err.println("StrictServer: accepting failed, exiting");
    System.exit(1);
  }

  private static void usage(String problem) {
    System.err.println(
        "StrictServer: "
            + problem
            + "\nusage: StrictServer <port> [limit=<bytes>] [bug names…], bugs: "
            + Arrays.toString(Bug.values()));
    System.exit(2);
  }

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = serverSocket.accept();
      } catch (IOException e) {
        // Closed by close(), or a failure no retry would cure; either way accepting is over.
        return;
      }
      accepted.add(socket);
      if (closed) {
        closeQuietly(socket);
        return;
      }
      Thread thread =
          new Thread(
              () -> new Connection(socket).run(),
              "strict-server-connection-" + CONNECTIONS.incrementAndGet());
      thread.setDaemon(true);
      thread.start();
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) return;
    try {
      closeable.close();
    } catch (Exception e) {
      // Nothing to do: the point is only that it is closed.
    }
  }

  private static boolean isAllowedCloseCode(int code) {
    // RFC 6455 §7.4, plus 1012–1014 from the IANA registry (as the project's CloseCode has it);
    // 1004–1006 and 1015 must never be on the wire, 1016–2999 are unassigned.
    if (code >= 3000 && code <= 4999) return true;
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014);
  }

  /** Why the connection is failed, with the close code to send. */
  private static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    private final int code;

    Failure(int code, String why) {
      super(why, null, false, false);
      this.code = code;
    }
  }

  /** One accepted connection, served on its own thread. */
  private final class Connection {
    private final Socket socket;
    private InputStream in;
    private OutputStream out;

    /** The opcode of the message in progress, or -1 between messages. */
    private int messageOpcode = -1;

    private byte[] message = new byte[INITIAL_MESSAGE_CAPACITY];
    private int messageLength;

    /** The buffer {@link Bug#ALLOCATES_DECLARED_LENGTH} made for the frame in progress. */
    @SuppressWarnings("unused") // held, not read: holding it is the bug
    private byte[] reserved;

    private int fragments;
    private int pongs;
    private int queuedEchoes;
    private int queuedPongs;
    private final Utf8Validator utf8 = new Utf8Validator();

    /** Whether the handshake agreed to permessage-deflate. */
    private boolean deflate;

    /** The inflater of the client's messages, its context kept from message to message. */
    private java.util.zip.Inflater inflater;

    /** Whether the frame being read, and the message it starts, has RSV1: compressed. */
    private boolean frameCompressed;

    private boolean messageCompressed;

    /** When the connection was accepted: the start of {@link #headTimeoutMillis}. */
    private final long acceptedNanos = System.nanoTime();

    Connection(Socket socket) {
      this.socket = socket;
    }

    void run() {
      boolean single =
          bugs.contains(Bug.STOPS_ACCEPTING_ON_RESET) || bugs.contains(Bug.WAITS_FOR_CLOSE_REPLY);
      if (single) worker.acquireUninterruptibly();
      boolean pooled = bugs.contains(Bug.FIXED_WORKER_POOL);
      if (pooled && !acquireWorker()) {
        closeQuietly(socket);
        accepted.remove(socket);
        return;
      }
      try {
        socket.setTcpNoDelay(true);
        // A pooled worker waits on its connection as long as it lasts: the blocking server's way.
        socket.setSoTimeout(pooled ? 0 : READ_TIMEOUT_MS);
        in = new BufferedInputStream(socket.getInputStream(), IO_BUFFER);
        out = new BufferedOutputStream(socket.getOutputStream(), IO_BUFFER);
        if (!handshake()) {
          dropTcp();
          return;
        }
        try {
          if (serveFrames()) afterCloseHandshake();
        } catch (Failure failure) {
          fail(failure.code);
        }
      } catch (EOFException e) {
        if (bugs.contains(Bug.IGNORES_CLIENT_EOF)) waitOnForNothing();
      } catch (IOException e) {
        // The client went away, went silent past the read timeout, or close() ran: nothing to
        // answer to; the socket is closed below.
        noteReset(e);
      } finally {
        if (inflater != null) inflater.end(); // its native memory, not left to the collector
        if (single) worker.release();
        if (pooled) workers.release();
        closeQuietly(socket);
        accepted.remove(socket);
      }
    }

    /** A worker of the pool, waited for until the server closes; false: it closed first. */
    private boolean acquireWorker() {
      try {
        while (!closed) {
          if (workers.tryAcquire(100, java.util.concurrent.TimeUnit.MILLISECONDS)) return true;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return false;
    }

    /** {@link Bug#STOPS_ACCEPTING_ON_RESET}: a reset (or a write into one) wedges the server. */
    private void noteReset(IOException e) {
      String message = String.valueOf(e.getMessage());
      if (bugs.contains(Bug.STOPS_ACCEPTING_ON_RESET)
          && (message.contains("reset") || message.contains("Broken pipe"))) {
        refusing = true;
      }
    }

    /** {@link Bug#IGNORES_CLIENT_EOF}: the socket stays open until the read timeout or close(). */
    private void waitOnForNothing() {
      waitOnForNothing(READ_TIMEOUT_MS);
    }

    /** Keeps the socket, reading nothing, for {@code ms} or until close(). */
    private void waitOnForNothing(long ms) {
      try {
        closing.await(ms, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    // -------------------------------------------------------------------------------------------
    // Opening handshake (§4.2)

    /** Answers the upgrade request; false when it was refused (the answer is already written). */
    private boolean handshake() throws IOException {
      if (bugs.contains(Bug.TAKES_FIRST_READ_AS_HEAD) && !headCameInOneRead()) {
        writeAscii("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        return false;
      }
      String head;
      try {
        head = readRequestHead();
        if (headTimeoutMillis > 0) socket.setSoTimeout(READ_TIMEOUT_MS);
      } catch (java.net.SocketTimeoutException e) {
        if (headTimeoutMillis == 0) throw e;
        if (headTimeoutStatus > 0) {
          writeAscii(
              "HTTP/1.1 "
                  + headTimeoutStatus
                  + " Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        }
        return false;
      }
      if (refusing) {
        writeAscii(
            "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        return false;
      }
      if (head == null) {
        writeAscii(
            "HTTP/1.1 431 Request Header Fields Too Large\r\n"
                + "Connection: close\r\nContent-Length: 0\r\n\r\n");
        return false;
      }
      String[] lines = head.split("\r?\n");
      java.util.Map<String, List<String>> headers = new java.util.HashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon <= 0) continue;
        String name = lines[i].substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT);
        String value = lines[i].substring(colon + 1).trim();
        if (value.length() > LONG_HEADER_VALUE && bugs.contains(Bug.SPINS_ON_LONG_HEADER_VALUES)) {
          waitOnForNothing();
          return false;
        }
        headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
      }
      List<String> keys = headers.getOrDefault("sec-websocket-key", List.of());
      String key = keys.isEmpty() ? "" : keys.get(0);
      if (!bugs.contains(Bug.ACCEPTS_ANY_HANDSHAKE)) {
        String refusal = refusal(lines[0], headers);
        if (refusal != null) {
          writeAscii("HTTP/1.1 " + refusal + "\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
          return false;
        }
      }
      String agreed =
          compression
              ? deflateAnswer(headers.getOrDefault("sec-websocket-extensions", List.of()))
              : null;
      deflate = agreed != null;
      writeAscii(
          "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Accept: "
              + WebSocketProtocol.acceptHeader(key)
              + (deflate ? "\r\nSec-WebSocket-Extensions: " + agreed : "")
              + "\r\n\r\n");
      return true;
    }

    /**
     * The answer to the first permessage-deflate offer this server can accept (RFC 7692 §7, §7.1),
     * or null to decline them all. It never compresses, so it grants any window and no-context
     * request for its own messages; it keeps its inflater's context whatever the client offered.
     */
    private String deflateAnswer(List<String> values) {
      for (String value : values) {
        for (String element : value.split(",")) {
          String[] parts = element.split(";");
          if (!parts[0].trim().equalsIgnoreCase("permessage-deflate")) continue;
          StringBuilder answer = new StringBuilder("permessage-deflate");
          java.util.Set<String> seen = new java.util.HashSet<>();
          boolean valid = true;
          for (int i = 1; i < parts.length; i++) {
            String[] pair = parts[i].split("=", 2);
            String name = pair[0].trim().toLowerCase(java.util.Locale.ROOT);
            String bits = pair.length < 2 ? null : pair[1].trim().replace("\"", "");
            boolean bitsValid = bits != null && bits.matches("[89]|1[0-5]");
            valid &=
                seen.add(name)
                    && switch (name) {
                      case "server_no_context_takeover", "client_no_context_takeover" ->
                          bits == null;
                      case "server_max_window_bits" -> bitsValid;
                      case "client_max_window_bits" -> bits == null || bitsValid;
                      default -> false;
                    };
            if (name.equals("server_no_context_takeover")) answer.append("; ").append(name);
            if (name.equals("server_max_window_bits") && bitsValid) {
              answer.append("; server_max_window_bits=").append(bits);
            }
          }
          if (bugs.contains(Bug.ACCEPTS_BAD_DEFLATE_OFFERS)) return "permessage-deflate";
          if (valid) return answer.toString();
        }
      }
      return null;
    }

    /**
     * Why the request is no opening handshake (§4.2.1, §4.4; RFC 9112 §3.2 for Host), as a status
     * line and headers, or null to upgrade.
     */
    private String refusal(String requestLine, java.util.Map<String, List<String>> headers) {
      String[] parts = requestLine.split(" ", -1);
      if (parts.length != 3) return "400 Bad Request";
      if (!parts[0].equals("GET")) return "405 Method Not Allowed";
      if (!parts[2].equals("HTTP/1.1")) return "505 HTTP Version Not Supported";
      for (char c : parts[1].toCharArray()) if (c <= 0x20 || c >= 0x7f) return "400 Bad Request";
      List<String> host = headers.getOrDefault("host", List.of());
      if (host.size() != 1 || !HOST.matcher(host.get(0)).matches()) return "400 Bad Request";
      if (!hasToken(headers, "upgrade", "websocket")) return "426 Upgrade Required";
      if (!hasToken(headers, "connection", "upgrade")) return "400 Bad Request";
      // A body would have to be read past first; a GET has no use for one (RFC 9110 §9.3.1).
      if (headers.containsKey("transfer-encoding")
          || !headers.getOrDefault("content-length", List.of("0")).equals(List.of("0"))) {
        return "400 Bad Request";
      }
      List<String> version = headers.getOrDefault("sec-websocket-version", List.of());
      if (!version.equals(List.of("13"))) {
        return "426 Upgrade Required\r\nSec-WebSocket-Version: 13";
      }
      List<String> keys = headers.getOrDefault("sec-websocket-key", List.of());
      if (keys.size() != 1) return "400 Bad Request";
      try {
        if (java.util.Base64.getDecoder().decode(keys.get(0)).length != 16)
          return "400 Bad Request";
      } catch (IllegalArgumentException notBase64) {
        return "400 Bad Request";
      }
      return null;
    }

    private boolean hasToken(
        java.util.Map<String, List<String>> headers, String name, String token) {
      for (String value : headers.getOrDefault(name, List.of())) {
        for (String part : value.split(",")) if (part.trim().equalsIgnoreCase(token)) return true;
      }
      return false;
    }

    /**
     * The request line and headers up to the empty line, or null past {@value
     * StrictServer#MAX_REQUEST_HEAD} bytes. Read byte by byte from the buffered stream so that
     * frames the client sends right behind the request stay in the buffer for the frame parser.
     */
    private String readRequestHead() throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream(512);
      int lineLength = 0;
      long timeout = headTimeoutMillis;
      long deadline = acceptedNanos + timeout * 1_000_000;
      for (int count = 0; count < MAX_REQUEST_HEAD; count++) {
        if (timeout > 0) {
          long left = (deadline - System.nanoTime()) / 1_000_000;
          if (left <= 0) throw new java.net.SocketTimeoutException("head timeout");
          socket.setSoTimeout((int) Math.min(left, READ_TIMEOUT_MS));
        }
        int b = in.read();
        if (b < 0) throw new EOFException("the client closed during the handshake");
        head.write(b);
        if (b == '\n') {
          if (lineLength == 0) return head.toString(StandardCharsets.ISO_8859_1);
          lineLength = 0;
        } else if (b != '\r') {
          lineLength++;
        }
      }
      return null;
    }

    /**
     * {@link Bug#TAKES_FIRST_READ_AS_HEAD}: whether the end of the head came with the read of its
     * first byte; nothing is consumed.
     */
    private boolean headCameInOneRead() throws IOException {
      in.mark(MAX_REQUEST_HEAD);
      if (in.read() < 0) throw new EOFException("the client closed during the handshake");
      byte[] arrived = in.readNBytes(Math.min(in.available(), MAX_REQUEST_HEAD - 1));
      in.reset();
      return new String(arrived, StandardCharsets.ISO_8859_1).contains("\r\n\r\n");
    }

    private void writeAscii(String text) throws IOException {
      out.write(text.getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }

    // -------------------------------------------------------------------------------------------
    // Frames (§5)

    /**
     * Reads and answers frames until the client's close (true: the close reply is sent) or the end
     * of TCP (false).
     */
    private boolean serveFrames() throws IOException, Failure {
      while (true) {
        int b0 = in.read();
        if (b0 < 0) {
          if (bugs.contains(Bug.IGNORES_CLIENT_EOF)) throw new EOFException("the client's FIN");
          return false;
        }
        int b1 = bugs.contains(Bug.ASSUMES_WHOLE_HEADERS) && in.available() == 0 ? 0 : readByte();
        boolean fin = (b0 & 0x80) != 0;
        int rsv = b0 & 0x70;
        int opcode = b0 & 0x0F;
        boolean masked = (b1 & 0x80) != 0;
        int length7 = b1 & 0x7F;
        boolean control = opcode >= 0x8;

        // Everything decidable from the first two bytes is decided before reading further, so a
        // bad frame is failed at once whatever follows it (or does not).
        if (rsv != 0) {
          if (bugs.contains(Bug.EXITS_ON_RSV)) {
            System.err.println("fatal: RSV bits set");
            System.err.flush();
            Runtime.getRuntime().halt(3);
          }
          if (bugs.contains(Bug.STOPS_ACCEPTING_ON_RSV)) refusing = true;
          // RSV1 means "compressed" on a message's first frame alone (RFC 7692 §6, §6.1).
          boolean compressedStart =
              deflate && rsv == 0x40 && (opcode == OP_TEXT || opcode == OP_BINARY);
          if (!compressedStart) {
            throw new Failure(
                PROTOCOL_ERROR,
                deflate ? "RSV bits the agreed extension does not allow" : "RSV bits set");
          }
        }
        frameCompressed = rsv != 0;
        if (!isKnownOpcode(opcode)) throw new Failure(PROTOCOL_ERROR, "reserved opcode");
        if (!masked && !bugs.contains(Bug.ACCEPTS_UNMASKED)) {
          throw new Failure(PROTOCOL_ERROR, "unmasked client frame");
        }
        boolean lax = bugs.contains(Bug.LAX_CONTROL_FRAMES);
        if (control && !lax && (!fin || length7 > 125)) {
          throw new Failure(PROTOCOL_ERROR, "fragmented or oversized control frame");
        }
        if (opcode == OP_CONTINUATION && messageOpcode < 0) {
          throw new Failure(PROTOCOL_ERROR, "continuation with no message in progress");
        }
        if ((opcode == OP_TEXT || opcode == OP_BINARY) && messageOpcode >= 0) {
          if (bugs.contains(Bug.MIXES_MESSAGE_TYPES) && opcode != messageOpcode) {
            opcode = OP_CONTINUATION;
          } else {
            throw new Failure(PROTOCOL_ERROR, "new message while one is in progress");
          }
        }

        long length = length7;
        if (length7 == 126) {
          length = ((long) readByte() << 8) | readByte();
        } else if (length7 == 127) {
          length = 0;
          for (int i = 0; i < 8; i++) length = (length << 8) | readByte();
          if (length < 0 && !bugs.contains(Bug.TRUSTS_DECLARED_LENGTH)) {
            throw new Failure(PROTOCOL_ERROR, "64-bit length with the top bit set");
          }
        }
        // The truncated length is then checked as any other: the bug is the truncation alone.
        if (bugs.contains(Bug.TRUSTS_DECLARED_LENGTH)) length = (int) length;
        if (bugs.contains(Bug.ALLOCATES_DECLARED_LENGTH) && !control && length > 0) {
          reserved = new byte[(int) Math.min(length, DECLARED_ALLOCATION_CAP)];
          Arrays.fill(reserved, (byte) 1); // pages the server really holds, not just reserved
        }
        if (control && length > limit) {
          throw new Failure(TOO_BIG, "control frame too big");
        } else if (!control) {
          boolean perFrame = bugs.contains(Bug.LIMITS_EACH_FRAME);
          long sofar = opcode == OP_CONTINUATION && !perFrame ? messageLength : 0;
          long allowed =
              bugs.contains(Bug.BUFFERS_EVERYTHING)
                  ? Integer.MAX_VALUE - 8
                  : bugs.contains(Bug.LIMIT_OFF_BY_ONE) ? limit - 1 : limit;
          // DEFLATE may grow what does not compress, by a few bytes a block; the inflated size is
          // checked as it is inflated.
          boolean compressed = opcode == OP_CONTINUATION ? messageCompressed : frameCompressed;
          if (compressed) allowed = Math.min(Integer.MAX_VALUE - 8, allowed + allowed / 8 + 1024);
          if (length > allowed - sofar) throw new Failure(TOO_BIG, "message too big");
        }
        byte[] key = masked ? readFully(4) : null;

        if (control) {
          byte[] payload = readFully((int) length);
          if (key != null) unmask(payload, 0, payload.length, key, 0);
          if (opcode == OP_CLOSE) {
            answerClose(payload, lax);
            return true;
          }
          boolean pongDropped =
              opcode == OP_PING
                  && bugs.contains(Bug.DROPS_PONGS_UNDER_LOAD)
                  && ++queuedPongs > POOL_SIZE;
          if (opcode == OP_PING && !bugs.contains(Bug.NO_PONG) && !pongDropped) {
            writeFrame(OP_PONG, payload, payload.length);
          }
          // A pong needs no answer (§5.5.3: unsolicited pongs are allowed).
          if (opcode == OP_PONG
              && ++pongs > POOL_SIZE
              && bugs.contains(Bug.STALLS_AFTER_MANY_PONGS)) {
            // Past any wait of the case: the stall lasts until the server is closed.
            waitOnForNothing(STALL_MS);
            return false;
          }
        } else {
          readData(opcode, fin, (int) length, key);
        }
      }
    }

    private boolean isKnownOpcode(int opcode) {
      return opcode <= OP_BINARY || (opcode >= OP_CLOSE && opcode <= OP_PONG);
    }

    /**
     * Appends the frame's payload to the message, validating text as each chunk arrives: a
     * fail-fast endpoint fails on the first byte that cannot continue valid UTF-8, even mid-frame.
     */
    private void readData(int opcode, boolean fin, int length, byte[] key)
        throws IOException, Failure {
      if (opcode != OP_CONTINUATION) {
        messageOpcode = opcode;
        messageLength = 0;
        fragments = 0;
        utf8.reset();
        messageCompressed = frameCompressed;
      }
      if (++fragments > FRAGMENT_LIST_SIZE && bugs.contains(Bug.FRAGMENT_LIST_OVERFLOWS)) {
        throw new Failure(1011, "the fragment list overflowed");
      }
      boolean validate =
          messageOpcode == OP_TEXT
              && !messageCompressed
              && !bugs.contains(Bug.ECHOES_INVALID_UTF8)
              && !bugs.contains(Bug.VALIDATES_UTF8_AT_MESSAGE_END);
      int remaining = length;
      int keyIndex = 0;
      while (remaining > 0) {
        int want = Math.min(remaining, IO_BUFFER);
        ensureCapacity(messageLength + want);
        // One read returns what has arrived so far (without waiting for the rest of the frame),
        // so invalid bytes are judged as soon as they are here.
        int n = in.read(message, messageLength, want);
        if (n < 0) throw new EOFException("the client closed mid-frame");
        if (key != null) keyIndex = unmask(message, messageLength, n, key, keyIndex);
        if (validate && !utf8.feed(message, messageLength, n)) {
          throw new Failure(INVALID_PAYLOAD, "invalid UTF-8 in a text message");
        }
        messageLength += n;
        remaining -= n;
      }
      if (!fin) return;
      if (messageCompressed) inflateMessage();
      if (messageOpcode == OP_TEXT && bugs.contains(Bug.VALIDATES_UTF8_AT_MESSAGE_END)) {
        utf8.reset();
        validate = true;
        if (!utf8.feed(message, 0, messageLength)) {
          throw new Failure(INVALID_PAYLOAD, "invalid UTF-8 in a text message");
        }
      }
      if (validate && !utf8.isComplete()) {
        throw new Failure(INVALID_PAYLOAD, "text message ends inside a UTF-8 sequence");
      }
      if (bugs.contains(Bug.CLOSES_AFTER_ECHO)) {
        // The echo and the close go out in one write: the client sees both before its own close.
        writeFrame(messageOpcode, message, messageLength, false);
        throw new Failure(1000, "closes after every echo");
      }
      boolean queued = in.available() > 0;
      boolean dropped =
          queued && ++queuedEchoes > POOL_SIZE && bugs.contains(Bug.DROPS_ECHOES_UNDER_LOAD);
      if (!dropped) writeFrame(messageOpcode, message, messageLength);
      messageOpcode = -1;
      messageLength = 0;
      reserved = null;
      if (message.length > RETAINED_MESSAGE_CAPACITY) message = new byte[INITIAL_MESSAGE_CAPACITY];
    }

    /**
     * Replaces the compressed message by what it inflates to (RFC 7692 §7.2.2), inflating no more
     * than the limit allows: past it, 1009; data that is no DEFLATE stream, 1007. Text is checked
     * as UTF-8 once inflated.
     */
    private void inflateMessage() throws Failure {
      ensureCapacity(messageLength + 4);
      // The tail the sender removed (§7.2.1): 00 00 ff ff.
      message[messageLength++] = 0;
      message[messageLength++] = 0;
      message[messageLength++] = (byte) 0xff;
      message[messageLength++] = (byte) 0xff;
      if (inflater == null || bugs.contains(Bug.IGNORES_CONTEXT_TAKEOVER) || inflater.finished()) {
        if (inflater != null) inflater.end();
        inflater = new java.util.zip.Inflater(true);
      }
      boolean unbounded =
          bugs.contains(Bug.INFLATES_WITHOUT_LIMIT) || bugs.contains(Bug.BUFFERS_EVERYTHING);
      long allowed = bugs.contains(Bug.LIMIT_OFF_BY_ONE) ? limit - 1 : limit;
      long cap = unbounded ? Integer.MAX_VALUE - 8 : allowed;
      byte[] inflated = new byte[(int) Math.min(cap + 1, Math.max(1024, 4L * messageLength))];
      int length = 0;
      inflater.setInput(message, 0, messageLength);
      try {
        while (true) {
          if (length == inflated.length) {
            if (length > cap) break;
            // Doubling, as a growing buffer does: the buggy servers' 257 MiB then take a
            // 512 MiB copy, whose allocation makes G1 collect while they are live, so that the
            // old generation's peak shows them. (Steps of 64 MiB made that a race: one CI leg
            // in five saw no growth.) About 1 GiB at the peak, well within a test JVM's heap.
            inflated = Arrays.copyOf(inflated, (int) Math.min(cap + 1, 2L * length));
          }
          int n = inflater.inflate(inflated, length, inflated.length - length);
          length += n;
          if (n == 0 && (inflater.needsInput() || inflater.finished())) break;
        }
      } catch (java.util.zip.DataFormatException e) {
        throw new Failure(INVALID_PAYLOAD, "invalid DEFLATE data: " + e.getMessage());
      }
      if (length > allowed && !bugs.contains(Bug.BUFFERS_EVERYTHING)) {
        throw new Failure(TOO_BIG, "message too big once inflated");
      }
      if (messageOpcode == OP_TEXT && !bugs.contains(Bug.ECHOES_INVALID_UTF8)) {
        utf8.reset();
        if (!utf8.feed(inflated, 0, length) || !utf8.isComplete()) {
          throw new Failure(INVALID_PAYLOAD, "invalid UTF-8 in an inflated text message");
        }
      }
      if (bugs.contains(Bug.ECHOES_COMPRESSED_PAYLOAD)) {
        messageLength -= 4;
        return;
      }
      message = inflated;
      messageLength = length;
    }

    private void ensureCapacity(int needed) {
      if (needed <= message.length) return;
      long cap = bugs.contains(Bug.BUFFERS_EVERYTHING) ? Integer.MAX_VALUE - 8 : 2 * limit;
      int grown = (int) Math.min((long) message.length * 2, cap);
      message = Arrays.copyOf(message, Math.max(needed, grown));
    }

    /** Checks the client's close (§5.5.1, §7.4) and answers it with its code. */
    private void answerClose(byte[] payload, boolean lax) throws IOException, Failure {
      if (payload.length == 0) {
        writeFrame(OP_CLOSE, payload, 0);
        return;
      }
      if (payload.length == 1) throw new Failure(PROTOCOL_ERROR, "close payload of one byte");
      int code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
      if (lax ? code < 1000 || code > 4999 : !isAllowedCloseCode(code)) {
        throw new Failure(PROTOCOL_ERROR, "close code " + code + " not allowed on the wire");
      }
      if (!bugs.contains(Bug.ECHOES_INVALID_UTF8)) {
        Utf8Validator reason = new Utf8Validator();
        if (!reason.feed(payload, 2, payload.length - 2) || !(lax || reason.isComplete())) {
          throw new Failure(INVALID_PAYLOAD, "close reason is not UTF-8");
        }
      }
      if (bugs.contains(Bug.EMPTY_CLOSE_REPLY)) {
        writeFrame(OP_CLOSE, payload, 0);
      } else {
        writeFrame(OP_CLOSE, payload, 2);
      }
    }

    private int readByte() throws IOException {
      int b = in.read();
      if (b < 0) throw new EOFException("the client closed mid-frame");
      return b;
    }

    private byte[] readFully(int length) throws IOException {
      byte[] bytes = new byte[length];
      int done = 0;
      while (done < length) {
        int n = in.read(bytes, done, length - done);
        if (n < 0) throw new EOFException("the client closed mid-frame");
        done += n;
      }
      return bytes;
    }

    /** XORs in place (§5.3); returns the key index after the last byte, to go on from there. */
    private int unmask(byte[] bytes, int offset, int length, byte[] key, int keyIndex) {
      for (int i = 0; i < length; i++) {
        bytes[offset + i] ^= key[(keyIndex + i) & 3];
      }
      return (keyIndex + length) & 3;
    }

    /** One final, unmasked frame (servers never mask, §5.1), flushed at once. */
    private void writeFrame(int opcode, byte[] payload, int length) throws IOException {
      writeFrame(opcode, payload, length, true);
    }

    private void writeFrame(int opcode, byte[] payload, int length, boolean flush)
        throws IOException {
      boolean mask = bugs.contains(Bug.MASKS_ITS_FRAMES);
      int maskBit = mask ? 0x80 : 0;
      out.write(0x80 | opcode);
      if (length <= 125) {
        out.write(maskBit | length);
      } else if (length <= 0xFFFF) {
        out.write(maskBit | 126);
        out.write(length >>> 8);
        out.write(length);
      } else {
        out.write(maskBit | 127);
        for (int shift = 56; shift >= 0; shift -= 8) out.write((int) ((long) length >>> shift));
      }
      if (mask) {
        byte[] key = {0x11, 0x22, 0x33, 0x44};
        out.write(key);
        byte[] masked = Arrays.copyOf(payload, length);
        unmask(masked, 0, length, key, 0); // masking and unmasking are the same XOR
        out.write(masked, 0, length);
      } else {
        out.write(payload, 0, length);
      }
      if (flush) out.flush();
    }

    // -------------------------------------------------------------------------------------------
    // Ending the connection (§7)

    /** Fails the connection (§7.1.7): a close frame with the code, then the end of TCP. */
    private void fail(int code) throws IOException {
      if (bugs.contains(Bug.DROPS_WITHOUT_CLOSE)) {
        dropTcp();
        return;
      }
      int sent =
          code == PROTOCOL_ERROR && bugs.contains(Bug.CLOSES_1000_ON_PROTOCOL_ERROR) ? 1000 : code;
      writeFrame(OP_CLOSE, new byte[] {(byte) (sent >>> 8), (byte) sent}, 2);
      afterCloseHandshake();
    }

    /**
     * After this server's close frame is out: the server drops TCP first (§7.1.1), unless {@link
     * Bug#KEEPS_TCP_OPEN} leaves that to the client.
     */
    private void afterCloseHandshake() {
      if (bugs.contains(Bug.WAITS_FOR_CLOSE_REPLY)) {
        discardUntilEnd(READ_TIMEOUT_MS);
        return;
      }
      if (bugs.contains(Bug.KEEPS_TCP_OPEN)) {
        discardUntilEnd(READ_TIMEOUT_MS);
        return;
      }
      dropTcp();
    }

    /**
     * Sends FIN, then discards what the client still sends until it closes or {@value
     * StrictServer#LINGER_MS} ms pass: no frame is processed any more, the reading only keeps the
     * kernel from answering late bytes with a RST. The socket itself is closed by {@link #run()}.
     */
    private void dropTcp() {
      try {
        socket.shutdownOutput();
      } catch (IOException e) {
        noteReset(e);
        return; // already gone
      }
      discardUntilEnd(LINGER_MS);
    }

    private void discardUntilEnd(int budgetMs) {
      long deadline = System.nanoTime() + budgetMs * 1_000_000L;
      byte[] scratch = new byte[8192];
      try {
        while (true) {
          long left = (deadline - System.nanoTime()) / 1_000_000L;
          if (left <= 0) return;
          socket.setSoTimeout((int) left);
          if (in.read(scratch) < 0) return;
        }
      } catch (IOException e) {
        // Timed out, reset, or closed by close(): the wait is over either way.
        noteReset(e);
      }
    }
  }

  /**
   * An incremental UTF-8 validator (RFC 3629): no overlong forms, no surrogates, nothing above
   * U+10FFFF; non-characters such as U+FFFE are valid. It rejects at the first byte that cannot
   * continue a valid sequence, which is what Autobahn's fail-fast cases (6.4.x) measure.
   */
  static final class Utf8Validator {
    /** Continuation bytes still expected in the current sequence. */
    private int pending;

    /** The range the next continuation byte must fall in (narrower right after some leads). */
    private int low = 0x80;

    private int high = 0xBF;
    private boolean failed;

    /** Starts a new message. */
    void reset() {
      pending = 0;
      low = 0x80;
      high = 0xBF;
      failed = false;
    }

    /** Feeds the next bytes; false once anything fed so far cannot be the start of valid UTF-8. */
    boolean feed(byte[] bytes, int offset, int length) {
      if (failed) return false;
      int pending = this.pending;
      int low = this.low;
      int high = this.high;
      for (int i = offset, end = offset + length; i < end; i++) {
        int b = bytes[i] & 0xFF;
        if (pending == 0) {
          if (b < 0x80) continue;
          if (b < 0xC2) {
            // A lone continuation byte (80–BF), or C0/C1, which could only start an overlong form.
            failed = true;
            return false;
          } else if (b < 0xE0) {
            pending = 1;
          } else if (b < 0xF0) {
            pending = 2;
            low = b == 0xE0 ? 0xA0 : 0x80; // E0 80..9F would be overlong
            high = b == 0xED ? 0x9F : 0xBF; // ED A0..BF would be a surrogate
          } else if (b < 0xF5) {
            pending = 3;
            low = b == 0xF0 ? 0x90 : 0x80; // F0 80..8F would be overlong
            high = b == 0xF4 ? 0x8F : 0xBF; // F4 90.. would be above U+10FFFF
          } else {
            failed = true;
            return false;
          }
        } else {
          if (b < low || b > high) {
            failed = true;
            return false;
          }
          pending--;
          low = 0x80;
          high = 0xBF;
        }
      }
      this.pending = pending;
      this.low = low;
      this.high = high;
      return true;
    }

    /** Whether everything fed is valid and ends on a code point boundary. */
    boolean isComplete() {
      return !failed && pending == 0;
    }
  }
}
