package io.github.wsrobustness;

import io.github.wsrobustness.frame.FrameReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import javax.net.ssl.SSLSocketFactory;

/**
 * The settings of one client, as its {@link RawWebSocketClient.Builder} left them: a value, so that
 * changing the builder later cannot reach a connected client, and a liveness check can start from
 * the same settings. The builder keeps them, checked as each is set, in a {@link Draft}.
 *
 * <p>Thread-safety: immutable (the {@link Random} and socket factory are shared as given).
 */
record ClientSettings(
    URI uri,
    Duration deadline,
    List<String> subprotocols,
    List<String> extensions,
    List<Header> headers,
    String origin,
    SSLSocketFactory sslSocketFactory,
    boolean trustAllCertificates,
    Random random,
    long maxFramePayload,
    long eventLogBudget,
    boolean replyToClose,
    boolean answerPings,
    ServerUnderTest serverUnderTest,
    Redaction redaction) {

  /** The event log's budget when none is set: 64 MiB, or an eighth of the heap when less. */
  static final long MAX_DEFAULT_BUDGET = 64L * 1024 * 1024;

  private static final long MIN_DEFAULT_BUDGET = 1024 * 1024;

  /** One extra request header, sent as given. */
  record Header(String name, String value) {}

  ClientSettings {
    subprotocols = List.copyOf(subprotocols);
    extensions = List.copyOf(extensions);
    headers = List.copyOf(headers);
  }

  /**
   * 64 MiB holds Autobahn's 16 MiB echo cases twice over (fragments and the joined message). A
   * small heap gets an eighth of itself: a client may hold up to twice its budget (the window, and
   * a message still arriving), and tests may run several clients at once.
   */
  static long defaultEventLogBudget() {
    long eighthOfHeap = Runtime.getRuntime().maxMemory() / 8;
    return Math.max(MIN_DEFAULT_BUDGET, Math.min(MAX_DEFAULT_BUDGET, eighthOfHeap));
  }

  /** Half the budget: a kept message and the fragments it was joined from both fit the window. */
  static long defaultMaxFramePayload(long eventLogBudget) {
    return Math.min(FrameReader.DEFAULT_MAX_PAYLOAD, eventLogBudget / 2);
  }

  /** {@code uri} parsed; a malformed one fails with the reason and the form it takes. */
  static URI parseUri(String uri) {
    Objects.requireNonNull(uri, "uri");
    try {
      return new URI(uri);
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

  /**
   * The settings a builder holds so far, each checked as it is set, so that a wrong one fails at
   * the call that set it; each setter does what the builder's method of its name documents, and
   * {@link #build()} takes the value. Unset bounds stay -1 until then: their defaults depend on the
   * heap the client connects in.
   *
   * <p>Thread-safety: not thread-safe; confined to the thread that builds.
   */
  static final class Draft {
    private final URI uri;
    private Duration deadline = RawWebSocketClient.DEFAULT_DEADLINE;
    private final List<String> subprotocols = new ArrayList<>();
    private final List<String> extensions = new ArrayList<>();
    private final List<Header> headers = new ArrayList<>();
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

    /** Defaults for {@code uri}, which must be {@code ws://} or {@code wss://} with a host. */
    Draft(URI uri) {
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

    /** The settings of an existing client, for a fresh one like it. */
    Draft(ClientSettings settings) {
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

    URI uri() {
      return uri;
    }

    Duration deadline() {
      return deadline;
    }

    void deadline(Duration deadline) {
      Objects.requireNonNull(deadline, "deadline");
      if (deadline.isNegative() || deadline.isZero()) {
        throw new IllegalArgumentException("deadline must be positive, was " + deadline);
      }
      this.deadline = deadline;
    }

    void subprotocols(String... protocols) {
      subprotocols.addAll(List.of(protocols));
    }

    void extensions(String... offers) {
      extensions.addAll(List.of(offers));
    }

    void header(String name, String value) {
      headers.add(
          new Header(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value")));
    }

    void origin(String origin) {
      this.origin = origin;
    }

    void redactHeader(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank() || name.contains(":")) {
        throw new IllegalArgumentException(
            "redactHeader takes a header name such as X-Api-Key, was '" + name + "'");
      }
      redaction = redaction.with(name.trim());
    }

    void revealCredentialsInReports() {
      redaction = redaction.revealed();
    }

    void sslSocketFactory(SSLSocketFactory factory) {
      this.sslSocketFactory = Objects.requireNonNull(factory, "factory");
    }

    void trustAllCertificatesInsecurely() {
      this.trustAllCertificates = true;
    }

    void random(Random random) {
      this.random = Objects.requireNonNull(random, "random");
    }

    void maxFramePayload(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("maxFramePayload must not be negative: " + bytes);
      }
      this.maxFramePayload = bytes;
    }

    void eventLogBudget(long bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException(
            "eventLogBudget must be at least 1024 bytes, was " + bytes);
      }
      this.eventLogBudget = bytes;
    }

    void replyToClose(boolean reply) {
      this.replyToClose = reply;
    }

    void answerPings(boolean answer) {
      this.answerPings = answer;
    }

    void serverUnderTest(ServerUnderTest server) {
      this.serverUnderTest = server;
    }

    /** The settings as they stand, with the defaults of this heap for the bounds not set. */
    ClientSettings build() {
      long budget = eventLogBudget != -1 ? eventLogBudget : defaultEventLogBudget();
      long maxPayload = maxFramePayload != -1 ? maxFramePayload : defaultMaxFramePayload(budget);
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
  }
}
