package io.github.wsrobustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wsrobustness.frame.Frame;
import io.github.wsrobustness.frame.ReceivedFrame;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code wss://} against a loopback TLS peer with a self-signed certificate for
 * localhost/127.0.0.1.
 */
class TlsTest {
  private static final char[] PASSWORD = "changeit".toCharArray();
  private static KeyStore keyStore;
  private static SSLContext serverContext;

  @BeforeAll
  static void loadCertificate() throws Exception {
    keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = TlsTest.class.getResourceAsStream("/tls/localhost.p12")) {
      keyStore.load(in, PASSWORD);
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore, PASSWORD);
    serverContext = SSLContext.getInstance("TLS");
    serverContext.init(keys.getKeyManagers(), null, null);
  }

  private static TestPeer echoOnce() throws Exception {
    return TestPeer.start(
        serverContext.getServerSocketFactory(),
        "wss",
        c -> {
          c.acceptHandshake();
          ReceivedFrame frame = c.readFrame();
          c.writeFrame(Frame.text(frame.payload()).unmasked());
          c.awaitEndOfStream();
        });
  }

  @Test
  void selfSignedServerIsReachedWhenTrustIsWaivedByName() throws Exception {
    try (TestPeer peer = echoOnce();
        RawWebSocketClient ws =
            RawWebSocketClient.builder(peer.uri()).trustAllCertificatesInsecurely().connect()) {
      ws.sendText("over tls");
      assertThat(ws.awaitFrame().payloadUtf8()).isEqualTo("over tls");
      assertThat(ws.transcript())
          .contains("(certificate NOT verified: trustAllCertificatesInsecurely)");
    }
  }

  @Test
  void selfSignedServerIsRefusedByDefault() throws Exception {
    try (TestPeer peer = echoOnce()) {
      assertThatThrownBy(() -> RawWebSocketClient.connect(peer.uri()))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageStartingWith("could not connect to " + peer.uri())
          .hasMessageContaining("PKIX path building failed");
    }
  }

  @Test
  void trustStoreWithTheCertificateVerifiesChainAndHostname() throws Exception {
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(keyStore);
    SSLContext clientContext = SSLContext.getInstance("TLS");
    clientContext.init(null, trust.getTrustManagers(), null);
    try (TestPeer peer = echoOnce();
        RawWebSocketClient ws =
            RawWebSocketClient.builder(URI.create("wss://localhost:" + peer.port() + "/"))
                .sslSocketFactory(clientContext.getSocketFactory())
                .connect()) {
      ws.sendText("verified");
      assertThat(ws.awaitFrame().payloadUtf8()).isEqualTo("verified");
    }
  }

  @Test
  void livenessChecksKeepTheClientsTrustSettings() throws Exception {
    try (TestPeer peer =
            TestPeer.start(
                serverContext.getServerSocketFactory(), "wss", c -> RuleServer.serve(c, false));
        RawWebSocketClient ws =
            RawWebSocketClient.builder(peer.uri()).trustAllCertificatesInsecurely().connect()) {
      ws.send(Frame.text("hello").unmasked());
      ws.assertClosesWith(1002);
      ws.assertServerStillServes(); // a fresh client without the trust setting would fail the TLS
      // handshake
    }
  }

  @Test
  void theClientsOwnCloseIsNotTakenForTheServersEndOfStream() throws Exception {
    try (TestPeer peer = echoOnce()) {
      RawWebSocketClient ws =
          RawWebSocketClient.builder(peer.uri()).trustAllCertificatesInsecurely().connect();
      ws.sendText("over tls");
      assertThat(ws.awaitFrame().payloadUtf8()).isEqualTo("over tls");
      ws.close(); // the reading thread's read ends; over TLS that looks like an end of stream
      assertThat(ws.awaitEvent(0, ServerEvent::isTerminal, java.time.Duration.ofMillis(300)))
          .isNull();
      assertThat(ws.transcript()).doesNotContain("<< end of stream");
    }
  }
}
