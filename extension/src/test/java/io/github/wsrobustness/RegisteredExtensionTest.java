package io.github.wsrobustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wsrobustness.StrictServer.Bug;
import io.github.wsrobustness.catalog.CatalogueCases;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/**
 * The extension registered in code ({@code @RegisterExtension} with a builder), and a class that
 * names several servers: one catalogue report column each, and a client parameter refused.
 */
class RegisteredExtensionTest {
  private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
  private static final String CLASS_PATH = System.getProperty("java.class.path");

  @TempDir Path reports;

  static class OneServerTestCases {
    static URI target;

    @RegisterExtension
    static WebSocketRobustnessExtension robustness =
        WebSocketRobustnessExtension.builder()
            .uri("strict", () -> target)
            .deadline(Duration.ofSeconds(5))
            .build();

    @Test
    void echoes(RawWebSocketClient ws) {
      ws.sendText("hello");
      assertThat(ws.awaitMessage().message().utf8()).isEqualTo("hello");
    }
  }

  @Test
  void aBuilderRegisteredExtensionInjectsClientsOfItsServer() {
    try (StrictServer server = StrictServer.start()) {
      OneServerTestCases.target = server.uri();
      TestKit.assertSucceeded(TestKit.run(OneServerTestCases.class, Map.of()), "echoes");
    }
  }

  static class UpgradeOptionsTestCases {
    @RegisterExtension
    static WebSocketRobustnessExtension robustness =
        WebSocketRobustnessExtension.builder()
            .uri(RuleServer.shared().uri().toString())
            .header("Authorization", "Bearer builder-secret")
            .redactHeader("Authorization")
            .subprotocols("v12.stomp")
            .origin("https://chat.example.com")
            .build();

    @Test
    void handshakeCarriesTheOptions(RawWebSocketClient ws) {
      assertThat(ws.transcript()).contains("Authorization: <redacted, 21 bytes>");
      ws.sendText("request");
      assertThat(ws.awaitMessage().message().utf8())
          .contains("authorization: Bearer builder-secret")
          .contains("sec-websocket-protocol: v12.stomp")
          .contains("origin: https://chat.example.com");
    }
  }

  @Test
  void theBuildersUpgradeOptionsReachTheClients() {
    TestKit.assertSucceeded(
        TestKit.run(UpgradeOptionsTestCases.class, Map.of()), "handshakeCarriesTheOptions");
  }

  /** An instance field: JUnit registers it once the test instance exists, after beforeAll. */
  static class InstanceFieldTestCases {
    static URI target;

    @RegisterExtension
    WebSocketRobustnessExtension robustness =
        WebSocketRobustnessExtension.builder().uri("strict", () -> target).build();

    @Test
    void echoes(RawWebSocketClient ws) {
      ws.sendText("hello");
      assertThat(ws.awaitMessage().message().utf8()).isEqualTo("hello");
    }
  }

  @Test
  void anInstanceFieldRegistrationServesItsTests() {
    try (StrictServer server = StrictServer.start()) {
      InstanceFieldTestCases.target = server.uri();
      TestKit.assertSucceeded(TestKit.run(InstanceFieldTestCases.class, Map.of()), "echoes");
    }
  }

  /** A conforming server in this JVM beside a launched one that exits on reserved bits. */
  @CatalogueCases({"1.1.1", "3.1"})
  static class TwoServersTestCases extends CatalogueFixture {
    static URI conforming;

    @RegisterExtension
    static WebSocketRobustnessExtension robustness =
        WebSocketRobustnessExtension.builder()
            .uri("conforming", () -> conforming)
            .launch(
                "dies on RSV",
                List.of(
                    JAVA,
                    "-cp",
                    CLASS_PATH,
                    "io.github.wsrobustness.StrictServer",
                    "0",
                    "EXITS_ON_RSV"),
                "ws://127.0.0.1:{port}/")
            .readyWhenOutputMatches("ready on port (\\d+)")
            .build();

    @Test
    void oneClient(RawWebSocketClient ws) {}
  }

  @Test
  void severalServersMakeOneReportColumnEachAndRefuseAClientParameter() throws IOException {
    EngineExecutionResults results;
    try (StrictServer server = StrictServer.start()) {
      TwoServersTestCases.conforming = server.uri();
      results = run(TwoServersTestCases.class);
    }
    assertThat(failuresByTarget(results)).isEqualTo(Map.of("dies on RSV", List.of("3.1")));
    assertThat(TestKit.failure(results, "oneClient").getMessage())
        .isEqualTo(
            "TwoServersTestCases names 2 WebSocket servers (conforming, dies on RSV), but the"
                + " RawWebSocketClient parameter 1 of TwoServersTestCases.oneClient() needs one;"
                + " take a Catalogue, which runs against each, or test each server in a class of"
                + " its own");
    Document page = Jsoup.parse(reports.resolve("index.html").toFile(), "UTF-8");
    assertThat(page.select("td.cell[data-target=conforming][data-case=3.1]").attr("data-verdict"))
        .isEqualTo("OK");
    assertThat(
            page.select("td.cell[data-target=\"dies on RSV\"][data-case=3.1]").attr("data-verdict"))
        .isEqualTo("DIED");
  }

  /** Two members, two servers: the annotation's way to the same matrix. */
  @WebSocketRobustness
  @CatalogueCases("6.3")
  static class TwoMembersTestCases extends CatalogueFixture {
    @WebSocketTarget(name = "reference")
    static URI first;

    @WebSocketTarget static URI candidate;
  }

  @Test
  void severalTargetMembersAreSeveralServers() {
    try (StrictServer good = StrictServer.start();
        StrictServer bad = StrictServer.start(Bug.ECHOES_INVALID_UTF8)) {
      TwoMembersTestCases.first = good.uri();
      TwoMembersTestCases.candidate = bad.uri();
      EngineExecutionResults results = run(TwoMembersTestCases.class);
      assertThat(failuresByTarget(results)).containsOnlyKeys("candidate");
      assertThat(failuresByTarget(results).get("candidate")).contains("6.3.1", "6.3.2");
    }
  }

  @WebSocketRobustness
  static class AnnotatedAndRegisteredTestCases {
    @RegisterExtension
    static WebSocketRobustnessExtension robustness =
        WebSocketRobustnessExtension.builder().uri("ws://127.0.0.1:9/").build();

    @Test
    void never(RawWebSocketClient ws) {}
  }

  @Test
  void annotatingAndRegisteringIsOneRegistrationTooMany() {
    EngineExecutionResults results = TestKit.run(AnnotatedAndRegisteredTestCases.class, Map.of());
    assertThat(results.testEvents().started().count()).isZero();
    assertThat(
            results.containerEvents().failed().stream()
                .map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable())
                .map(t -> t.orElseThrow().getMessage())
                .toList())
        .contains(
            "AnnotatedAndRegisteredTestCases is annotated @WebSocketRobustness and also registers"
                + " a WebSocketRobustnessExtension with @RegisterExtension; keep one of them");
  }

  @Test
  void builderMistakesAreOneSentenceEach() {
    assertThatThrownBy(() -> WebSocketRobustnessExtension.builder().build())
        .hasMessage(
            "WebSocketRobustnessExtension.builder() names no server; call uri(...) or launch(...)"
                + " before build()");
    assertThatThrownBy(() -> WebSocketRobustnessExtension.builder().uri("http://example.com/"))
        .hasMessageStartingWith(
            "WebSocketRobustnessExtension.builder().uri(\"http://example.com/\"): ");
    assertThatThrownBy(
            () ->
                WebSocketRobustnessExtension.builder()
                    .uri("a", "ws://127.0.0.1:1/")
                    .uri("a", "ws://127.0.0.1:2/"))
        .hasMessage(
            "WebSocketRobustnessExtension.builder() names two servers \"a\"; give each its own"
                + " name, as in uri(\"jetty\", …)");
    assertThatThrownBy(() -> WebSocketRobustnessExtension.builder().deadline(Duration.ZERO))
        .hasMessage(
            "WebSocketRobustnessExtension.builder().deadline(PT0S) is not a positive duration;"
                + " give one like Duration.ofSeconds(5)");
    assertThatThrownBy(() -> WebSocketRobustnessExtension.builder().readyWhenOutputMatches("("))
        .hasMessageStartingWith(
            "WebSocketRobustnessExtension.builder().readyWhenOutputMatches(\"(\") is not a"
                + " regular expression");
    assertThatThrownBy(() -> WebSocketRobustnessExtension.builder().launch())
        .hasMessageStartingWith(
            "WebSocketRobustnessExtension.builder().launch([]) is not a command");
    assertThatThrownBy(() -> WebSocketRobustnessExtension.builder().liveness("pong"))
        .hasMessage(
            "WebSocketRobustnessExtension.builder().liveness(\"pong\") names no check; give"
                + " handshake, ping or echo, or pass a ServingCheck");
    assertThatThrownBy(() -> WebSocketRobustnessExtension.builder().launchEnvironment("A=B", "1"))
        .hasMessageStartingWith(
            "WebSocketRobustnessExtension.builder().launchEnvironment(\"A=B\", \"1\") is not a"
                + " variable");
  }

  // -----------------------------------------------------------------------------------------------

  private EngineExecutionResults run(Class<?> fixture) {
    return TestKit.run(fixture, Map.of("wsrobustness.catalogue.report", reports.toString()));
  }

  /** The failed case ids under each server's container. */
  private static Map<String, List<String>> failuresByTarget(EngineExecutionResults results) {
    Map<String, List<String>> failed = new TreeMap<>();
    for (Event event : results.testEvents().finished().list()) {
      TestExecutionResult result = event.getRequiredPayload(TestExecutionResult.class);
      if (result.getStatus() != TestExecutionResult.Status.FAILED) continue;
      TestDescriptor section = event.getTestDescriptor().getParent().orElseThrow();
      if (!section.getDisplayName().matches("\\d+ .*")) continue; // not a catalogue case
      String target =
          section
              .getParent()
              .filter(p -> !p.getDisplayName().startsWith("autobahn"))
              .map(TestDescriptor::getDisplayName)
              .orElse("");
      String name = event.getTestDescriptor().getDisplayName();
      failed
          .computeIfAbsent(target, k -> new java.util.ArrayList<>())
          .add(name.substring(0, name.indexOf(" \u2014 ")));
    }
    failed.values().forEach(ids -> ids.sort(null));
    return failed;
  }
}
