package io.github.wsrobustness.demo;

import io.github.wsrobustness.Catalogue;
import io.github.wsrobustness.WebSocketRobustness;
import io.github.wsrobustness.WebSocketTarget;
import io.github.wsrobustness.catalog.CatalogueCases;
import io.github.wsrobustness.catalog.Waive;
import io.github.wsrobustness.demo.spring.EchoWebSocketApplication;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The whole catalogue (Autobahn's 301 cases and the project's own) against {@link
 * EchoWebSocketApplication}, a Spring Boot 4 echo application on embedded Tomcat 11, each case its
 * own test. Spring starts it on a random port; the {@link Catalogue} is resolved as the test
 * factory's parameter, after Spring has injected {@code port}. The application raises Tomcat's 8
 * KiB message buffers to 16 MiB, the Spring way, for Autobahn's section 9; with Tomcat's defaults
 * 42 of its 54 cases close with 1009. Every frame case passes; two handshake cases are waived.
 *
 * <p>Thread-safety: as {@link SpringBootServerTest}, whose application context this class shares.
 */
@SpringBootTest(
    classes = EchoWebSocketApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {"server.address=127.0.0.1", "spring.main.banner-mode=off"})
@WebSocketRobustness
// The application's buffers, set rather than searched for: the search costs seconds a run. Tomcat
// holds a text and a binary buffer of that size per connection: up to 57 MiB of heap was measured
// with a case's connection open, so the memory budget is 128 MiB. The same buffers leave out the
// connection floods: 300 connections would ask this JVM for some 10 GiB, and in R8.6 the case's
// own connection and the fresh client's take 32 MiB each (177 MiB of heap measured, past the
// budget); R8.7 upgrades 50 dribbled heads (the old generation's peak grew 2,915 MiB).
@CatalogueCases(
    messageLimit = "16MiB",
    memoryBudget = "128MiB",
    exclude = {"R8.3", "R8.4", "R8.6", "R8.7"})
@DisplayName("Spring Boot 4 (Tomcat 11)")
@Waive(
    cases = {"R6.4", "R6.8"},
    reason =
        "Tomcat 11 upgrades a request with two Sec-WebSocket-Key headers, and one whose request"
            + " line says HTTP/1.0; RFC 6455 §4.2.1 asks for one 16-byte key and HTTP/1.1 or"
            + " higher, and a 400 otherwise")
@Waive(
    cases = {"R2.9", "R2.10", "R2.11"},
    reason =
        "Tomcat 11 takes a 64-bit payload length below 2^63 at its word (its CVE-2020-13935 fix"
            + " rejects only the top bit): on a binary frame declaring 2^63 − 1 or 2^32 + 13 bytes,"
            + " or fragments adding up past 2^63, it waits for the payload, and refuses only once"
            + " its message buffer fills; RFC 6455 §10.4 asks a server to protect itself, and every"
            + " other demo server refuses from the header with 1009")
@Waive(
    cases = "R10.4",
    reason =
        "Tomcat 11 takes RSV1 on a continuation frame of a compressed message and echoes the"
            + " message; RFC 7692 §6 allows RSV1 on a message's first frame only, and a 1002")
class SpringBootCatalogueTest {
  @WebSocketTarget(path = "/echo")
  @LocalServerPort
  int port;

  @TestFactory
  Stream<DynamicNode> autobahn(Catalogue catalogue) {
    return catalogue.tests();
  }
}
