package io.github.wsrobustness;

import static io.github.wsrobustness.TestKit.assertSucceeded;
import static io.github.wsrobustness.TestKit.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsrobustness.frame.ReceivedFrame;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * {@code @UpgradeRequest} puts headers, subprotocols, extensions and an {@code Origin} into the
 * injected clients' handshakes: the class's for every client, a method's and a parameter's on top;
 * credentials stay out of reports.
 */
class UpgradeRequestTest {
  private static final TestPeer server = RuleServer.shared();

  /** What the server read from the client's request. */
  private static String requestSeenBy(RawWebSocketClient ws) {
    ws.sendText("request");
    ReceivedFrame answer = ws.awaitMessage();
    return answer.message().utf8();
  }

  @WebSocketRobustness
  @UpgradeRequest(
      headers = {"Authorization: Bearer class-secret", "X-Api-Key: key-123"},
      subprotocols = "v12.stomp",
      extensions = "permessage-deflate",
      origin = "https://chat.example.com",
      redactHeaders = "X-Api-Key")
  static class UpgradeTestCases {
    @Test
    void classOptions(RawWebSocketClient ws) {
      assertThat(requestSeenBy(ws))
          .contains("authorization: Bearer class-secret")
          .contains("x-api-key: key-123")
          .contains("sec-websocket-protocol: v12.stomp")
          .contains("sec-websocket-extensions: permessage-deflate")
          .contains("origin: https://chat.example.com");
    }

    @Test
    @UpgradeRequest(headers = "Cookie: session=abc", origin = "https://other.example.com")
    void methodAndParameterAddToTheClass(
        RawWebSocketClient first,
        @UpgradeRequest(headers = "X-Tenant: blue", subprotocols = "v11.stomp")
            RawWebSocketClient second) {
      assertThat(requestSeenBy(first))
          .contains("authorization: Bearer class-secret")
          .contains("cookie: session=abc")
          .contains("origin: https://other.example.com")
          .doesNotContain("x-tenant");
      assertThat(requestSeenBy(second))
          .contains("x-tenant: blue")
          .contains("cookie: session=abc")
          .contains("sec-websocket-protocol: v11.stomp");
    }

    @Test
    void credentialsStayOutOfReports(RawWebSocketClient ws) {
      String transcript = ws.transcript();
      assertThat(transcript)
          .contains("Authorization: <redacted, 19 bytes>")
          .contains("X-Api-Key: <redacted, 7 bytes>")
          .doesNotContain("class-secret")
          .doesNotContain("key-123")
          .contains("Origin: https://chat.example.com");
    }
  }

  @WebSocketRobustness
  @UpgradeRequest(headers = "Authorization Bearer x")
  static class NoColonTestCases {
    @Test
    void neverRuns(RawWebSocketClient ws) {}
  }

  @WebSocketRobustness
  static class BadParameterTestCases {
    @Test
    void neverRuns(@UpgradeRequest(redactHeaders = "X-A: b") RawWebSocketClient ws) {}
  }

  private static EngineExecutionResults run(Class<?> fixture) {
    return TestKit.run(fixture, Map.of("wsrobustness.uri", server.uri().toString()));
  }

  @Test
  void optionsReachTheHandshakeAndStayOutOfReports() {
    EngineExecutionResults results = run(UpgradeTestCases.class);
    assertSucceeded(results, "classOptions");
    assertSucceeded(results, "methodAndParameterAddToTheClass");
    assertSucceeded(results, "credentialsStayOutOfReports");
  }

  @Test
  void aHeaderWithoutAColonIsNamedWithItsFix() {
    assertThat(TestKit.containerFailure(run(NoColonTestCases.class)))
        .hasMessage(
            "@UpgradeRequest(headers) on NoColonTestCases has 'Authorization Bearer x', which is no"
                + " header; write it as \"Name: value\"");
  }

  @Test
  void aBadRedactedNameIsNamedWithItsParameter() {
    assertThat(failure(run(BadParameterTestCases.class), "neverRuns"))
        .hasMessageContaining("RawWebSocketClient parameter 1 of BadParameterTestCases.neverRuns()")
        .hasMessageContaining("redactHeader takes a header name such as X-Api-Key, was 'X-A: b'");
  }

  /** A @Nested class adds its options to those of the class around it. */
  @Nested
  class Nesting {
    @Test
    void nestedClassesAddToTheOuterOnes() {
      assertSucceeded(
          TestKit.run(Outer.Inner.class, Map.of("wsrobustness.uri", server.uri().toString())),
          "both");
    }
  }

  @WebSocketRobustness
  @UpgradeRequest(headers = "X-Outer: 1", origin = "https://outer.example.com")
  static class Outer {
    @Nested
    @UpgradeRequest(headers = "X-Inner: 2", origin = "https://inner.example.com")
    class Inner {
      @Test
      void both(RawWebSocketClient ws) {
        assertThat(requestSeenBy(ws))
            .contains("x-outer: 1")
            .contains("x-inner: 2")
            .contains("origin: https://inner.example.com");
      }
    }
  }
}
