package io.github.wsrobustness.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsrobustness.HandshakeRefusal;
import io.github.wsrobustness.HandshakeResponse;
import io.github.wsrobustness.NoHandshake;
import io.github.wsrobustness.RawWebSocketClient;
import io.github.wsrobustness.WebSocketRobustness;
import io.github.wsrobustness.assertj.WebSocketAssertions;
import io.github.wsrobustness.http.HandshakeRequest;
import io.github.wsrobustness.http.HttpStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Abusive opening handshakes against Node's {@code ws} 8.23 (the server of {@link
 * NodeWsServerTest}): each test varies the standard request in one way with {@link
 * HandshakeRequest} and pins what {@code ws} answers, then that the process lives on. Two of them
 * replay the requests of advisories fixed in this version, which crashed or stalled older ones.
 *
 * <p>Not pinned, because it takes minutes: a request dribbled one byte a second got 408 after 90 s
 * (Node's 60 s {@code headersTimeout}, checked every 30 s).
 */
@WebSocketRobustness(
    launch = {"node", "echo-server.js", "0"},
    launchDirectory = "node",
    readyWhenOutputMatches = "listening on 127\\.0\\.0\\.1:(\\d+)")
class NodeWsHandshakeTest {

  /**
   * §4.4: an unsupported version gets an error naming the versions the server speaks; {@code ws}
   * answers 400 with {@code Sec-WebSocket-Version: 13, 8}, a list.
   */
  @Test
  void unsupportedVersionIsRefusedNamingTheVersionsItSpeaks(@NoHandshake RawWebSocketClient ws) {
    ws.sendHandshake(HandshakeRequest.standard().version("99"));
    HandshakeResponse response = ws.assertHandshakeRejected(HttpStatus.of(426), HttpStatus.of(400));
    WebSocketAssertions.assertThat(response)
        .hasHeaderToken("Sec-WebSocket-Version", "13")
        .hasHeaderToken("Sec-WebSocket-Version", "8");
    ws.assertProcessAlive();
  }

  /** Two keys: {@code ws} sees them joined into one value, which is no key, and refuses. */
  @Test
  void duplicateKeyIsRefused(@NoHandshake RawWebSocketClient ws) {
    ws.sendHandshake(HandshakeRequest.standard().header("Sec-WebSocket-Key", ws.newHandshakeKey()));
    HandshakeResponse response = ws.assertHandshakeRejected(400);
    assertThat(response.body().utf8()).isEqualTo("Missing or invalid Sec-WebSocket-Key header");
  }

  /** §4.1: the method must be GET; {@code ws} says 405. */
  @Test
  void postIsRefused(@NoHandshake RawWebSocketClient ws) {
    ws.sendHandshake(HandshakeRequest.standard().method("POST"));
    HandshakeRefusal refusal = ws.assertHandshakeRefused();
    assertThat(refusal.response().status()).isEqualTo(405);
  }

  /** Without {@code Upgrade}, Node's HTTP server answers before {@code ws} sees the request. */
  @Test
  void missingUpgradeIsRefusedWith426(@NoHandshake RawWebSocketClient ws) {
    ws.sendHandshake(HandshakeRequest.standard().without("Upgrade"));
    ws.assertHandshakeRejected(426);
  }

  /**
   * CVE-2024-37890: 2001 short header lines ahead of the upgrade headers, more than Node keeps
   * (2000) in less head than it allows (16 KiB). {@code ws} before 8.17.1 crashed on the upgrade
   * header it lost; this one refuses.
   */
  @Test
  void headerLinesPastNodesCountAreRefused(@NoHandshake RawWebSocketClient ws) {
    ws.sendHandshake(HandshakeRequest.standard().repeatedHeader("a", "", 2001));
    HandshakeResponse response = ws.assertHandshakeRejected(400);
    assertThat(response.body().utf8()).isEqualTo("Invalid Upgrade header");
    ws.assertProcessAlive();
  }

  /**
   * CVE-2021-32640: a subprotocol padded with spaces once took {@code ws}'s regular expression
   * seconds; now it is refused at once. 10,000 spaces keep the head under Node's 16 KiB (30,000 get
   * 431 from Node itself).
   */
  @Test
  void subprotocolPaddedWithSpacesIsRefusedAtOnce(@NoHandshake RawWebSocketClient ws) {
    ws.sendHandshake(
        HandshakeRequest.standard().with("Sec-WebSocket-Protocol", "b" + " ".repeat(10_000) + "x"));
    HandshakeRefusal refusal = ws.assertHandshakeRefused();
    assertThat(refusal.response().body().utf8()).isEqualTo("Invalid Sec-WebSocket-Protocol header");
    assertThat(refusal.elapsed()).isLessThan(Duration.ofSeconds(1));
    ws.assertProcessAlive();
  }

  /**
   * A body on the upgrade request: {@code ws} upgrades and reads the body as the first frame
   * ({@code "hello"}'s first byte sets RSV2 and RSV3), so it fails the connection with 1002.
   */
  @Test
  void bodyOnTheUpgradeIsReadAsTheFirstFrame(@NoHandshake RawWebSocketClient ws) {
    ws.upgrade(HandshakeRequest.standard().body("hello"));
    ws.assertClosesWith(1002);
    ws.assertProcessAlive();
  }

  /** RFC 9112 §3.2 asks for 400 on an invalid {@code Host}; Node checks only that there is one. */
  @Test
  void invalidHostIsUpgradedAnyway(@NoHandshake RawWebSocketClient ws) {
    ws.upgrade(HandshakeRequest.standard().with("Host", "not a host:99999"));
    ws.sendText("hello");
    ws.assertReceivesText("hello");
  }
}
