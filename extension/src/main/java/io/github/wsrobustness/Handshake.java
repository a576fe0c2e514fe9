package io.github.wsrobustness;

import io.github.wsrobustness.Transcript.Direction;
import io.github.wsrobustness.frame.PerMessageDeflate;
import io.github.wsrobustness.frame.WebSocketProtocol;
import io.github.wsrobustness.http.HandshakeRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The handshake part of a client (RFC 6455 §4.1): sending a {@link HandshakeRequest} (the client's
 * own, or a test's variation), reading the server's HTTP answer within what is left of the
 * deadline, rejecting an answer that fails the §4.1 checks, and the upgrade itself: from a 101 on,
 * a {@link ServerReader} reads frames, allowed the extension bits the answer agreed on. The §4.1
 * checks of a 101 are {@link UpgradeCheck}'s, the HTTP reading {@link HttpResponseReader}'s.
 *
 * <p>Thread-safety: thread-safe. The test thread sends and reads the handshake, once; the fields
 * are volatile, set by it and read by any thread.
 */
final class Handshake {
  private final ClientSettings settings;
  private final Connection connection;
  private final EventLog events;
  private final Transcript transcript;
  private final Supplier<String> transcriptTail;

  /** The server's answer, once read. */
  private volatile HandshakeResponse response;

  /** Set once, when the upgrade completes: from then on frames are read. */
  private volatile ServerReader reader;

  /** What the request sent with {@link #send} offered, to check a 101 against; null before. */
  private volatile Offer offer;

  /** When the answer, or the connection's end instead, was read (nanoTime); 0 before. */
  private volatile long answeredNanos;

  /**
   * The most a paced request may pause in all: Node's {@code requestTimeout} (300 s) is the longest
   * default a server gives a request head that we know, and a build should not wait longer on one.
   */
  static final Duration MAX_PACING = Duration.ofMinutes(5);

  /** The keys, subprotocols and extension offers of the request sent. */
  private record Offer(List<String> keys, List<String> subprotocols, List<String> extensions) {}

  /**
   * The server's answer to the request, or how none came: the connection ended (a refusal too), or
   * the deadline passed, or what came was not HTTP ({@code failure} says which).
   */
  record Answer(
      HandshakeResponse response,
      String failure,
      HttpResponseReader.UnreadableResponseException.Reason why,
      Duration elapsed) {}

  /**
   * The handshake of the client whose parts these are; failures end with {@code transcriptTail}.
   */
  Handshake(
      ClientSettings settings,
      Connection connection,
      EventLog events,
      Transcript transcript,
      Supplier<String> transcriptTail) {
    this.settings = settings;
    this.connection = connection;
    this.events = events;
    this.transcript = transcript;
    this.transcriptTail = transcriptTail;
  }

  /** The server's answer, or null before one was read. */
  HandshakeResponse response() {
    return response;
  }

  /** The reader the upgrade started; empty before the upgrade, when nothing reads frames. */
  Optional<ServerReader> reader() {
    return Optional.ofNullable(reader);
  }

  /**
   * Sends the client's own request with a fresh key, reads the answer before {@code deadlineNanos},
   * checks it and starts reading frames.
   *
   * @throws HandshakeException naming what was wrong, with the response if one came
   */
  HandshakeResponse upgrade(long deadlineNanos) {
    return upgrade(requestOf(settings), Delivery.whole(), deadlineNanos);
  }

  /**
   * As {@link #upgrade(long)}, sending {@code request} cut as {@code delivery} says; the 101 is
   * checked against what it offered, and must answer one of its keys: a server that gets two
   * chooses (Jetty 12 answers the last), so a test of that server's choice reads the response.
   *
   * @throws HandshakeException naming what was wrong, with the response if one came
   */
  HandshakeResponse upgrade(HandshakeRequest request, Delivery delivery, long deadlineNanos) {
    requireNotUpgraded();
    if (request != null && request.headers("Sec-WebSocket-Key").isEmpty()) {
      throw new IllegalArgumentException(
          "upgrade(request) checks the 101 against the request's Sec-WebSocket-Key, and this"
              + " request has none; to expect a refusal, send it with sendHandshake(request) and"
              + " call assertHandshakeRefused()");
    }
    send(request, delivery);
    HandshakeResponse answer = read(deadlineNanos);
    Offer sent = offer;
    String accept = answer.header("Sec-WebSocket-Accept");
    String key =
        sent.keys().stream()
            .filter(k -> WebSocketProtocol.acceptHeader(k).equals(accept))
            .findFirst()
            .orElse(sent.keys().get(0)); // none matches: the failure names the first
    String problem = UpgradeCheck.problem(answer, key, sent.subprotocols(), sent.extensions());
    if (problem != null) {
      transcript.note(Direction.NOTE, "handshake rejected by the client: " + problem);
      throw new HandshakeException(problem + "\n\n" + transcriptTail.get(), answer, null);
    }
    startReading(answer);
    return answer;
  }

  /**
   * Sends {@code request} for the client's URI, cut as {@code delivery} says, and remembers what it
   * offered; a fresh key is drawn from the client's random where the request sets none. False when
   * not every byte went out: the server answered or closed while a paced request was going out, or
   * a write failed.
   *
   * @throws IllegalArgumentException when the delivery would pause longer than {@link #MAX_PACING}
   */
  boolean send(HandshakeRequest request, Delivery delivery) {
    requireNotUpgraded();
    if (request == null) {
      throw new NullPointerException(
          "the handshake request is null; start from HandshakeRequest.standard() or"
              + " ws.handshakeRequest()");
    }
    if (delivery == null) {
      throw new NullPointerException(
          "the delivery of the handshake request is null; pass Delivery.whole() for one write");
    }
    HandshakeRequest.Rendered rendered = request.render(settings.uri(), settings.random());
    long pieces = delivery.pieces(rendered.bytes().size());
    Duration pacing = delivery.pause().multipliedBy(pieces - 1);
    if (pacing.compareTo(MAX_PACING) > 0) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "delivery %s would pause %,d s in all between the %,d pieces of this %,d-byte"
                  + " request, past the bound of %d s (Node's requestTimeout, the longest"
                  + " default we know); send larger pieces or pause less",
              delivery,
              pacing.toSeconds(),
              pieces,
              rendered.bytes().size(),
              MAX_PACING.toSeconds()));
    }
    connection.requireOpen();
    List<String> subprotocols = new ArrayList<>();
    for (String value : request.headers("Sec-WebSocket-Protocol")) {
      subprotocols.addAll(HandshakeResponse.listElements(value));
    }
    offer = new Offer(rendered.keys(), subprotocols, request.headers("Sec-WebSocket-Extensions"));
    return connection.sendRaw(rendered.bytes(), delivery);
  }

  /**
   * The answer to the request sent, read before {@code deadlineNanos} unless it was read already,
   * or how none came; unlike {@link #awaitResponse}, a connection that ended is an answer too. A
   * 101 starts reading frames.
   */
  Answer awaitAnswer(long deadlineNanos) {
    if (response == null) {
      try {
        HandshakeResponse answer = readOrThrow(deadlineNanos);
        if (answer.status() == 101) startReading(answer);
      } catch (HttpResponseReader.UnreadableResponseException e) {
        return new Answer(null, e.getMessage(), e.reason, sinceRequest(answeredNanos));
      }
    }
    return new Answer(response, null, null, sinceRequest(answeredNanos));
  }

  /** From the request's first byte to {@code nanos}; zero when the test sent no request. */
  private Duration sinceRequest(long nanos) {
    long start = connection.requestStartNanos();
    return start == 0 ? Duration.ZERO : Duration.ofNanos(Math.max(0, nanos - start));
  }

  /**
   * Reads the answer to whatever request bytes the test sent, before {@code deadlineNanos}, without
   * judging it; a 101 starts reading frames.
   *
   * @throws HandshakeException when no complete answer came
   */
  HandshakeResponse awaitResponse(long deadlineNanos) {
    requireNotUpgraded();
    HandshakeResponse answer = read(deadlineNanos);
    if (answer.status() == 101) startReading(answer);
    return answer;
  }

  private void requireNotUpgraded() {
    if (reader != null) {
      throw new IllegalStateException(
          "the handshake is already complete on this client; use a client from"
              + " connectWithoutUpgrade() to send handshake bytes of your own");
    }
  }

  private void startReading(HandshakeResponse answer) {
    reader = ServerReader.start(connection, events, transcript, settings, agreement(answer));
  }

  /** The request a well-behaved client sends with {@code key}, as text. */
  static String request(ClientSettings settings, String key) {
    return requestOf(settings).key(key).render(settings.uri(), settings.random()).bytes().utf8();
  }

  /**
   * The request {@code settings} describe: the standard one, then the client's {@code Origin},
   * subprotocols, extensions and headers, in the order the client always sent them.
   */
  static HandshakeRequest requestOf(ClientSettings settings) {
    HandshakeRequest request = HandshakeRequest.standard();
    if (settings.origin() != null) request = request.header("Origin", settings.origin());
    if (!settings.subprotocols().isEmpty()) {
      request =
          request.header("Sec-WebSocket-Protocol", String.join(", ", settings.subprotocols()));
    }
    if (!settings.extensions().isEmpty()) {
      request =
          request.header("Sec-WebSocket-Extensions", String.join(", ", settings.extensions()));
    }
    for (ClientSettings.Header header : settings.headers()) {
      request = request.header(header.name(), header.value());
    }
    return request;
  }

  /** A fresh random {@code Sec-WebSocket-Key}: 16 random bytes, base64. */
  static String newKey(Random random) {
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    return Base64.getEncoder().encodeToString(nonce);
  }

  /**
   * Reads the server's answer before {@code deadlineNanos} and keeps it.
   *
   * @throws HandshakeException when no complete answer came, with the transcript's tail last
   */
  private HandshakeResponse read(long deadlineNanos) {
    try {
      return readOrThrow(deadlineNanos);
    } catch (HttpResponseReader.UnreadableResponseException e) {
      throw new HandshakeException(
          e.getMessage() + "\n\n" + transcriptTail.get(), null, e.getCause());
    }
  }

  /** Reads the answer before {@code deadlineNanos} and keeps it, with when it came. */
  private HandshakeResponse readOrThrow(long deadlineNanos)
      throws HttpResponseReader.UnreadableResponseException {
    HttpResponseReader.Response read;
    // A TLS read has no deadline of its own that a trickling server cannot stretch: close at it.
    Watchdog.Guard guard = connection.isTls() ? connection.closeAt(deadlineNanos) : null;
    try {
      read =
          new HttpResponseReader(
                  connection.source(),
                  deadlineNanos,
                  settings.deadline(),
                  transcript,
                  settings.redaction())
              .read();
    } finally {
      answeredNanos = System.nanoTime();
      if (guard != null) guard.close();
    }
    response =
        new HandshakeResponse(
            read.statusLine(),
            read.status(),
            read.headerLines(),
            read.body(),
            settings.redaction());
    return response;
  }

  /**
   * What permessage-deflate the answer agreed on, or null: none, or an answer the client must fail
   * (RFC 7692 §7.1). Only then may the server's frames set RSV1, meaning "compressed" (§6).
   */
  private PerMessageDeflate agreement(HandshakeResponse answer) {
    Offer sent = offer;
    List<String> offered = sent != null ? sent.extensions() : settings.extensions();
    return PerMessageDeflate.negotiate(offered, answer.headers("Sec-WebSocket-Extensions"))
        .agreed();
  }
}
