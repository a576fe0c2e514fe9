package io.github.wsrobustness;

import io.github.wsrobustness.frame.FrameReader;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLSocketFactory;

/**
 * The settings of one client, as its {@link RawWebSocketClient.Builder} left them: a value, so that
 * changing the builder later cannot reach a connected client, and a liveness check can start from
 * the same settings.
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
}
