package io.github.wsrobustness.benchmarks;

import io.github.wsrobustness.RawWebSocketClient;
import io.github.wsrobustness.frame.Frame;
import io.github.wsrobustness.frame.ReceivedFrame;
import java.net.URI;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * The echo benchmark: one 16 MiB binary message of random bytes, masked as a client must, sent to
 * the in-process Jetty echo server, and the 16 MiB echo received and compared — our client against
 * OkHttp's WebSocket client.
 *
 * <p>An operation opens its own connection and drops it afterwards without a close handshake
 * ({@code close()} for ours, {@code cancel()} for OkHttp), on both sides alike: the handshake costs
 * well under a millisecond beside the 32 MiB that cross the loopback, and a fresh connection per
 * operation keeps what one operation leaves behind from weighing on the next. Both sides compare
 * the echo with the payload as Okio {@link ByteString}s, the type both clients hand out.
 *
 * <p>Thread-safety: not thread-safe; one harness thread runs it.
 */
final class EchoBenchmark implements AutoCloseable {
  /** 16 MiB: the message size of the benchmark. */
  static final int MESSAGE_BYTES = 16 * 1024 * 1024;

  /**
   * Defaults: 6 s of warm-up, a batch of the faster side of about 0.6 s, and no new round after 30
   * s; about 45 s on 2 cores, at most 16 rounds of at most 10 operations.
   */
  static final PairedRun.Plan PLAN =
      new PairedRun.Plan(
          Duration.ofSeconds(6), 40, 5, 16, Duration.ofMillis(600), 2, 10, Duration.ofSeconds(30));

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final URI uri;
  private final ByteString payload;
  private final OkHttpClient okHttp;

  EchoBenchmark(URI uri) {
    this.uri = uri;
    byte[] bytes = new byte[MESSAGE_BYTES];
    new Random(6455).nextBytes(bytes); // seeded: the same bytes every run
    this.payload = ByteString.of(bytes);
    this.okHttp =
        new OkHttpClient.Builder()
            .connectTimeout(TIMEOUT)
            .readTimeout(TIMEOUT)
            .writeTimeout(TIMEOUT)
            .build();
  }

  /** Runs the paired rounds. */
  PairedRun.Result run(String name, PairedRun.Plan plan) throws Exception {
    return PairedRun.run(name, plan, this::okHttpEcho, this::oursEcho);
  }

  private void oursEcho() {
    try (RawWebSocketClient ws = RawWebSocketClient.builder(uri).deadline(TIMEOUT).connect()) {
      ws.send(Frame.binary(payload));
      ReceivedFrame echo = ws.awaitMessage();
      if (!payload.equals(echo.message())) {
        throw new IllegalStateException("our client's echo differs from the payload");
      }
    }
  }

  private void okHttpEcho() throws Exception {
    CompletableFuture<ByteString> echo = new CompletableFuture<>();
    WebSocket ws =
        okHttp.newWebSocket(
            new Request.Builder().url(uri.toString()).build(),
            new WebSocketListener() {
              @Override
              public void onOpen(WebSocket webSocket, Response response) {
                // A compressed exchange would measure zlib, not the client; the server must
                // have declined OkHttp's permessage-deflate offer.
                String extensions = response.header("Sec-WebSocket-Extensions");
                if (extensions != null) {
                  echo.completeExceptionally(
                      new IllegalStateException("the server accepted extensions: " + extensions));
                }
              }

              @Override
              public void onMessage(WebSocket webSocket, ByteString bytes) {
                echo.complete(bytes);
              }

              @Override
              public void onFailure(WebSocket webSocket, Throwable t, Response response) {
                echo.completeExceptionally(t);
              }
            });
    try {
      if (!ws.send(payload)) {
        throw new IllegalStateException("OkHttp refused to queue the 16 MiB message");
      }
      ByteString got = echo.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (!payload.equals(got)) {
        throw new IllegalStateException("OkHttp's echo differs from the payload");
      }
    } finally {
      ws.cancel();
    }
  }

  /** Releases OkHttp's threads and pooled connections. */
  @Override
  public void close() {
    okHttp.dispatcher().executorService().shutdown();
    okHttp.connectionPool().evictAll();
  }
}
