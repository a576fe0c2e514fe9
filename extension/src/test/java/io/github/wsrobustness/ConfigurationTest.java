package io.github.wsrobustness;

import static io.github.wsrobustness.TestKit.assertSucceeded;
import static io.github.wsrobustness.TestKit.containerFailure;
import static io.github.wsrobustness.TestKit.failure;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;

/**
 * Where the target comes from, in which order settings are taken, and the one-sentence message for
 * each misuse, caught before any socket opens.
 */
class ConfigurationTest {
  private static final TestPeer server = RuleServer.shared();

  private static Map<String, String> noConfiguration() {
    return Map.of();
  }

  // --- target sources --------------------------------------------------------------------------

  @WebSocketRobustness
  static class StaticUriFieldTestCases {
    @WebSocketTarget static URI target;

    @Test
    void echoes(RawWebSocketClient ws) {
      ws.sendText("field");
      ws.assertReceivesText("field");
    }
  }

  @Test
  void targetFromAStaticUriFieldBeatsTheConfigurationParameter() {
    StaticUriFieldTestCases.target = server.uri();
    var results =
        TestKit.run(
            StaticUriFieldTestCases.class, Map.of("wsrobustness.uri", "ws://127.0.0.1:1/refused"));
    assertSucceeded(results, "echoes");
  }

  @WebSocketRobustness
  static class InstanceFieldTestCases {
    static URI startedServer;

    @WebSocketTarget String target; // filled in per test, after the instance exists: read lazily

    @BeforeEach
    void learnThePort() {
      target = startedServer.toString();
    }

    @Test
    void echoes(RawWebSocketClient ws) {
      ws.sendText("instance");
      ws.assertReceivesText("instance");
    }
  }

  @Test
  void targetFromAnInstanceFieldIsReadWhenTheTestRuns() {
    InstanceFieldTestCases.startedServer = server.uri();
    assertSucceeded(TestKit.run(InstanceFieldTestCases.class, noConfiguration()), "echoes");
  }

  @WebSocketRobustness
  static class PortMethodTestCases {
    static int port;

    @WebSocketTarget(path = "/chat?room=1")
    static int port() {
      return port;
    }

    @Test
    void usesThePortAndPath(RawWebSocketClient ws, ServerUnderTest server) {
      assertThat(ws.uri()).isEqualTo(URI.create("ws://127.0.0.1:" + port + "/chat?room=1"));
      assertThat(server.uri()).isEqualTo(ws.uri());
    }
  }

  @Test
  void targetFromAPortMethodWithAPath() {
    PortMethodTestCases.port = server.port();
    assertSucceeded(
        TestKit.run(PortMethodTestCases.class, noConfiguration()), "usesThePortAndPath");
  }

  @WebSocketRobustness
  static class ConfigurationUriTestCases {
    @Test
    void echoes(RawWebSocketClient ws) {
      ws.sendText("config");
      ws.assertReceivesText("config");
    }
  }

  @Test
  void targetFromTheConfigurationParameter() {
    var results =
        TestKit.run(
            ConfigurationUriTestCases.class, Map.of("wsrobustness.uri", server.uri().toString()));
    assertSucceeded(results, "echoes");
  }

  // Long enough for a loaded runner to connect within it; any value but the 9 s configured proves
  // it.
  @WebSocketRobustness(deadline = "3s")
  static class DeadlineTestCases {
    @Test
    void attributeBeatsConfiguration(RawWebSocketClient ws) {
      assertThat(ws.deadline()).hasSeconds(3);
    }
  }

  @Test
  void deadlineAttributeBeatsTheConfigurationParameter() {
    var results =
        TestKit.run(
            DeadlineTestCases.class,
            Map.of("wsrobustness.uri", server.uri().toString(), "wsrobustness.deadline", "9s"));
    assertSucceeded(results, "attributeBeatsConfiguration");
  }

  @WebSocketRobustness
  static class ConfiguredDeadlineTestCases {
    @Test
    void configurationBeatsDefault(RawWebSocketClient ws) {
      assertThat(ws.deadline()).hasMillis(1500);
    }

    @Test
    void defaultIsFiveSeconds(RawWebSocketClient ws) {
      assertThat(ws.deadline()).hasSeconds(5);
    }
  }

  @Test
  void deadlineFromConfigurationElseTheDefault() {
    var configured =
        TestKit.run(
            ConfiguredDeadlineTestCases.class,
            Map.of("wsrobustness.uri", server.uri().toString(), "wsrobustness.deadline", "PT1.5S"));
    assertSucceeded(configured, "configurationBeatsDefault");
    var defaulted =
        TestKit.run(
            ConfiguredDeadlineTestCases.class, Map.of("wsrobustness.uri", server.uri().toString()));
    assertSucceeded(defaulted, "defaultIsFiveSeconds");
  }

  /** A team's own annotation, with ours as a meta-annotation. */
  @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
  @java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE)
  @WebSocketRobustness(deadline = "7s")
  @interface ChatServerTest {}

  @ChatServerTest
  static class MetaAnnotatedTestCases {
    @Test
    void works(RawWebSocketClient ws) {
      assertThat(ws.deadline()).hasSeconds(7);
    }
  }

  static class InheritingTestCases extends ConfigurationUriTestCases {}

  @Test
  void usableAsAMetaAnnotationAndInherited() {
    Map<String, String> config = Map.of("wsrobustness.uri", server.uri().toString());
    assertSucceeded(TestKit.run(MetaAnnotatedTestCases.class, config), "works");
    assertSucceeded(TestKit.run(InheritingTestCases.class, config), "echoes");
  }

  @WebSocketRobustness(deadline = "4s")
  static class NestedSettingsTestCases {
    @Test
    void outer(RawWebSocketClient ws) {
      assertThat(ws.deadline()).hasSeconds(4);
    }

    @org.junit.jupiter.api.Nested
    @WebSocketRobustness(deadline = "3s")
    class Inner {
      @Test
      void inner(RawWebSocketClient ws) {
        assertThat(ws.deadline()).hasSeconds(3);
      }
    }
  }

  @Test
  void nestedClassSettingsTakePrecedence() {
    var results =
        TestKit.run(
            NestedSettingsTestCases.class, Map.of("wsrobustness.uri", server.uri().toString()));
    assertSucceeded(results, "outer");
    assertSucceeded(results, "inner");
  }

  // --- misuse ----------------------------------------------------------------------------------

  @WebSocketRobustness
  static class NoTargetTestCases {
    @Test
    void test(RawWebSocketClient ws) {}
  }

  @Test
  void noTarget() {
    assertThat(containerFailure(TestKit.run(NoTargetTestCases.class, noConfiguration())))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessage(
            "NoTargetTestCases names no WebSocket server; add @WebSocketRobustness(uri = \"ws://host:port/path\"),"
                + " a @WebSocketTarget field or method, @WebSocketRobustness(launch = {...}), or the configuration"
                + " parameter wsrobustness.uri or wsrobustness.launch");
  }

  @WebSocketRobustness(uri = "http://localhost:8080/chat")
  static class HttpUriTestCases {
    @Test
    void test(RawWebSocketClient ws) {}
  }

  @WebSocketRobustness(uri = "ws://local host/")
  static class MalformedUriTestCases {
    @Test
    void test(RawWebSocketClient ws) {}
  }

  @Test
  void malformedUris() {
    assertThat(containerFailure(TestKit.run(HttpUriTestCases.class, noConfiguration())))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessage(
            "@WebSocketRobustness(uri = \"http://localhost:8080/chat\") on HttpUriTestCases: URI"
                + " 'http://localhost:8080/chat' has scheme 'http'; a WebSocket target starts with ws:// or wss://");
    assertThat(containerFailure(TestKit.run(MalformedUriTestCases.class, noConfiguration())))
        .hasMessage(
            "@WebSocketRobustness(uri = \"ws://local host/\") on MalformedUriTestCases: 'ws://local host/'"
                + " is not a valid URI (Illegal character in authority); write it like ws://localhost:8080/path");
    assertThat(
            containerFailure(
                TestKit.run(NoTargetTestCases.class, Map.of("wsrobustness.uri", "localhost:8080"))))
        .hasMessage(
            "configuration parameter wsrobustness.uri: URI 'localhost:8080' has scheme 'localhost';"
                + " a WebSocket target starts with ws:// or wss://");
  }

  @WebSocketRobustness(uri = "ws://127.0.0.1:1/")
  static class TwoTargetsTestCases {
    @WebSocketTarget static URI target;

    @Test
    void test(RawWebSocketClient ws) {}
  }

  @Test
  void twoTargets() {
    assertThat(containerFailure(TestKit.run(TwoTargetsTestCases.class, noConfiguration())))
        .hasMessage(
            "TwoTargetsTestCases names its WebSocket server more than once (uri = \"ws://127.0.0.1:1/\","
                + " @WebSocketTarget field TwoTargetsTestCases.target); keep exactly one, or name"
                + " several servers only with @WebSocketTarget members");
  }

  @WebSocketRobustness
  static class WrongTypeTestCases {
    @WebSocketTarget static Object target = "ws://127.0.0.1:1/";

    @Test
    void test(RawWebSocketClient ws) {}
  }

  @WebSocketRobustness
  static class MethodWithParametersTestCases {
    @WebSocketTarget
    static URI target(int port) {
      return URI.create("ws://127.0.0.1:" + port + "/");
    }

    @Test
    void test(RawWebSocketClient ws) {}
  }

  @Test
  void badTargetMembers() {
    assertThat(containerFailure(TestKit.run(WrongTypeTestCases.class, noConfiguration())))
        .hasMessage(
            "@WebSocketTarget field WrongTypeTestCases.target has type Object; declare it as URI, String"
                + " or int (a port)");
    assertThat(
            containerFailure(TestKit.run(MethodWithParametersTestCases.class, noConfiguration())))
        .hasMessage(
            "@WebSocketTarget method MethodWithParametersTestCases.target() takes parameters; a target"
                + " method must take none");
  }

  @WebSocketRobustness
  static class InstanceTargetInBeforeAllTestCases {
    @WebSocketTarget URI target;

    @BeforeAll
    static void before(ServerUnderTest server) {}

    @Test
    void test() {}
  }

  @WebSocketRobustness
  static class NullTargetTestCases {
    @WebSocketTarget URI target;

    @Test
    void test(RawWebSocketClient ws) {}
  }

  @WebSocketRobustness
  static class UnstartedPortTestCases {
    @WebSocketTarget int port;

    @Test
    void test(RawWebSocketClient ws) {}
  }

  @Test
  void targetMembersReadAtTheWrongTime() {
    assertThat(
            containerFailure(
                TestKit.run(InstanceTargetInBeforeAllTestCases.class, noConfiguration())))
        .isInstanceOf(ParameterResolutionException.class)
        .hasMessage(
            "@WebSocketTarget field InstanceTargetInBeforeAllTestCases.target is not static, but the"
                + " ServerUnderTest parameter 1 of InstanceTargetInBeforeAllTestCases.before() is needed before a"
                + " test instance exists (in a constructor or @BeforeAll method); make the member static or take the"
                + " parameter in the test method");
    assertThat(failure(TestKit.run(NullTargetTestCases.class, noConfiguration()), "test"))
        .isInstanceOf(ParameterResolutionException.class)
        .hasMessage(
            "@WebSocketTarget field NullTargetTestCases.target is null when the test runs; assign it"
                + " before the first test needs the server");
    assertThat(failure(TestKit.run(UnstartedPortTestCases.class, noConfiguration()), "test"))
        .hasMessage(
            "@WebSocketTarget field UnstartedPortTestCases.port holds port 0 when the test runs; start the"
                + " server before the test needs it, so that the member holds its real port");
  }

  @WebSocketRobustness(uri = "ws://127.0.0.1:1/", deadline = "soon")
  static class BadDeadlineAttributeTestCases {
    @Test
    void test(RawWebSocketClient ws) {}
  }

  @WebSocketRobustness(uri = "ws://127.0.0.1:1/", uncaughtExceptions = "log")
  static class BadPolicyTestCases {
    @Test
    void test(RawWebSocketClient ws) {}
  }

  /** The class failure of a class targeting the shared server, with one more parameter set. */
  private static Throwable failureWith(String parameter, String value) {
    return containerFailure(
        TestKit.run(
            ConfigurationUriTestCases.class,
            Map.of("wsrobustness.uri", server.uri().toString(), parameter, value)));
  }

  @Test
  void invalidSettingsFromConfigurationNameTheParameter() {
    Map<String, String> config = Map.of("wsrobustness.uri", server.uri().toString());
    assertThat(failureWith("wsrobustness.uncaughtExceptions", "Never"))
        .hasMessage(
            "configuration parameter wsrobustness.uncaughtExceptions = \"Never\" must be fail or ignore");
    assertThat(failureWith("wsrobustness.deadline", "99999999999999999999s"))
        .hasMessage(
            "configuration parameter wsrobustness.deadline = \"99999999999999999999s\" is not a positive"
                + " duration; write it like 500ms, 5s or PT5S");
    assertSucceeded(TestKit.run(ConfigurationUriTestCases.class, config), "echoes");
  }

  @Test
  void invalidSettings() {
    assertThat(
            containerFailure(TestKit.run(BadDeadlineAttributeTestCases.class, noConfiguration())))
        .hasMessage(
            "@WebSocketRobustness(deadline = \"soon\") on BadDeadlineAttributeTestCases is not a positive"
                + " duration; write it like 500ms, 5s or PT5S");
    assertThat(failureWith("wsrobustness.deadline", "0s"))
        .hasMessage(
            "configuration parameter wsrobustness.deadline = \"0s\" is not a positive duration; write it"
                + " like 500ms, 5s or PT5S");
    assertThat(containerFailure(TestKit.run(BadPolicyTestCases.class, noConfiguration())))
        .hasMessage(
            "@WebSocketRobustness(uncaughtExceptions = \"log\") on BadPolicyTestCases must be fail or"
                + " ignore");
  }

  @WebSocketRobustness
  static class RefusedTestCases {
    @Test
    void test(RawWebSocketClient ws) {}
  }

  @Test
  void unreachableServerFailsTheTestNamingTheParameter() throws Exception {
    int port =
        1; // nothing listens on tcpmux's port; a just-freed port could be taken by a parallel test
    var results =
        TestKit.run(
            RefusedTestCases.class, Map.of("wsrobustness.uri", "ws://127.0.0.1:" + port + "/"));
    assertThat(failure(results, "test"))
        .isInstanceOf(ParameterResolutionException.class)
        .hasMessage(
            "RawWebSocketClient parameter 1 of RefusedTestCases.test(): could not connect to"
                + " ws://127.0.0.1:"
                + port
                + "/ within 5000 ms: TCP connect to 127.0.0.1:"
                + port
                + ": Connection refused");
  }
}
