package io.github.wsrobustness.demo.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Checks the demo target itself with the JDK's built-in WebSocket client, so its behaviour is
 * known-good.
 */
class JettyEchoServerTest {

  @Test
  void echoesTextAsTextAndBinaryAsBinary() throws Exception {
    try (JettyEchoServer server = JettyEchoServer.start()) {
      assertThat(server.uri()).hasToString("ws://127.0.0.1:" + server.port() + "/echo");

      CompletableFuture<String> text = new CompletableFuture<>();
      CompletableFuture<byte[]> binary = new CompletableFuture<>();
      WebSocket ws =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .buildAsync(
                  server.uri(),
                  new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(
                        WebSocket webSocket, CharSequence data, boolean last) {
                      text.complete(data.toString());
                      webSocket.request(1);
                      return null;
                    }

                    @Override
                    public CompletionStage<?> onBinary(
                        WebSocket webSocket, ByteBuffer data, boolean last) {
                      byte[] copy = new byte[data.remaining()];
                      data.get(copy);
                      binary.complete(copy);
                      webSocket.request(1);
                      return null;
                    }
                  })
              .get(5, TimeUnit.SECONDS);

      ws.sendText("hello", true).get(5, TimeUnit.SECONDS);
      assertThat(text.get(5, TimeUnit.SECONDS)).isEqualTo("hello");

      ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(5, TimeUnit.SECONDS);
      assertThat(binary.get(5, TimeUnit.SECONDS)).containsExactly(1, 2, 3);

      ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
    }
  }
}
