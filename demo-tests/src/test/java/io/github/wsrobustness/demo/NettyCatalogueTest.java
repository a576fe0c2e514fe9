package io.github.wsrobustness.demo;

import io.github.wsrobustness.Catalogue;
import io.github.wsrobustness.WebSocketRobustness;
import io.github.wsrobustness.WebSocketTarget;
import io.github.wsrobustness.catalog.Waive;
import io.github.wsrobustness.demo.servers.NettyEchoServer;
import java.net.URI;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * The whole catalogue (Autobahn's 301 cases and the project's own) against a stock Netty 4.2 echo
 * server in this JVM, each case its own test. Netty's default frame limit is 64 KiB; Autobahn's
 * section 9 sends 16 MiB, so the server accepts frames and messages of 32 MiB, as a team running
 * the catalogue would configure it.
 *
 * <p>Netty detects every violation but one (close codes from 5000 up) and fails the connection with
 * the right code. In its default configuration it then sends a second close frame, 1000 "Bye"
 * ({@link NettyServerTest#failingTheConnectionSendsASecondCloseFrame} shows it): pointless, but RFC
 * 6455 §5.5.1 forbids only data frames after a close. Where the violation is in the client's close
 * frame, though, that default 1000 is the only answer, and a wrong code (the first waiver).
 * Building the protocol handler with {@code sendCloseFrame(null)} removes the second frame; the
 * server keeps the default, because that is what a stock server runs.
 */
@WebSocketRobustness
@DisplayName("Netty 4.2")
@Waive(
    cases = {"7.5.1", "7.9", "R3.5", "R3.10", "R3.11", "R3.12"},
    reason =
        "Netty 4.2.21 answers a close frame with an invalid code or a reason that is not UTF-8 with"
            + " 1000 \"Bye\", not 1002: the decoder detects the violation but, having received a"
            + " close frame, sends none and closes the channel; that close passes through"
            + " WebSocketServerProtocolHandler, which sends its default close frame (sendCloseFrame)")
@Waive(
    cases = "R3.9",
    reason =
        "Netty 4.2.21 does not check that a close reason ends on a whole UTF-8 sequence: it takes"
            + " the reason \"caf\" + 0xC3 as valid and WebSocketServerProtocolHandler sends the close"
            + " frame back unchanged, so the server's own close carries a reason that is not UTF-8")
@Waive(
    cases = {"7.13.1", "7.13.2"},
    reason =
        "Netty 4.2.21 accepts close codes 5000 and 65535 and echoes them back, though RFC 6455"
            + " §7.4 defines no code from 5000 up: WebSocketCloseStatus.isValidStatusCode"
            + " accepts every code from 3000 up and every negative one (the decoder reads the code"
            + " as a signed short, so 65535 is -1), and WebSocketServerProtocolHandler replies to a"
            + " close frame by sending it back unchanged")
@Waive(
    cases = {"R6.2", "R6.3", "R6.4", "R6.8", "R6.15", "R6.16", "R6.17"},
    reason =
        "Netty 4.2.21's WebSocketServerHandshaker13 upgrades a Sec-WebSocket-Key that is not 16"
            + " bytes of base64 or comes twice, a request line of HTTP/1.0, and a Host that is"
            + " invalid, doubled or missing; RFC 6455 §4.2.1 and RFC 9112 §3.2 ask for a 400")
@Waive(
    cases = "R6.14",
    reason =
        "Netty 4.2.21 never answers a request whose target holds a NUL byte: the connection"
            + " stays open with nothing sent until the client leaves (RFC 9112 asks for a 400)")
@Waive(
    cases = {"R9.7", "R9.13", "R9.15", "R9.16"},
    reason =
        "Netty 4.2.21 refuses a fragmented message above WebSocketFrameAggregator's"
            + " maxContentLength with a TooLongFrameException that closes the channel;"
            + " WebSocketServerProtocolHandler then sends its default close frame, 1000 \"Bye\","
            + " not 1009 (§7.4.1). A single frame above the limit gets 1009 from the decoder")
class NettyCatalogueTest {
  private static NettyEchoServer netty;

  @BeforeAll
  static void startNetty() throws Exception {
    netty = NettyEchoServer.start();
  }

  @AfterAll
  static void stopNetty() {
    netty.close();
  }

  @WebSocketTarget
  static URI nettyEcho() {
    return netty.uri();
  }

  @TestFactory
  Stream<DynamicNode> autobahn(Catalogue catalogue) {
    return catalogue.tests();
  }
}
