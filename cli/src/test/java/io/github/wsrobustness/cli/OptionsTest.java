package io.github.wsrobustness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The flags: what each sets, and the one sentence a mistake gets. */
class OptionsTest {
  @Test
  void serversAreNamedByNameElseByUriOrCommand() throws Exception {
    Options options =
        Options.parse(
            "--uri",
            "ws://127.0.0.1:8080/echo",
            "--name",
            "node",
            "--launch",
            "node server.js {port}",
            "--launch",
            "sh -c 'exec node \"my server.js\" {port}'");
    assertThat(options.targets)
        .containsExactly(
            new Options.Target("ws://127.0.0.1:8080/echo", "ws://127.0.0.1:8080/echo", null),
            new Options.Target("node", null, List.of("node", "server.js", "{port}")),
            new Options.Target(
                "sh -c exec node \"my server.js\" {port}",
                null,
                List.of("sh", "-c", "exec node \"my server.js\" {port}")));
  }

  @Test
  void casesSectionsAndSettings() throws Exception {
    Options options =
        Options.parse(
            "--uri",
            "ws://127.0.0.1:1/",
            "--cases",
            "6.4.*, 7.1.1",
            "--sections",
            "1,2",
            "--exclude",
            "1.1.1",
            "--deadline",
            "500ms",
            "--strict",
            "--insecure",
            "--header",
            "Authorization: Bearer x",
            "--redact",
            "Authorization");
    assertThat(options.casesParameter()).isEqualTo("6.4.*,7.1.1,1,2");
    assertThat(options.exclude).containsExactly("1.1.1");
    assertThat(options.deadline).isEqualTo(Duration.ofMillis(500));
    assertThat(options.strict).isTrue();
    assertThat(options.insecure).isTrue();
    assertThat(options.headers)
        .singleElement()
        .satisfies(h -> assertThat(h).containsExactly("Authorization", "Bearer x"));
  }

  @Test
  void eachMistakeIsOneSentenceNamingTheFlag() {
    assertMistake("'--colour' is not an option; run with --help to see the options", "--colour");
    assertMistake("--uri needs a value; write it like --uri ws://127.0.0.1:8080/echo", "--uri");
    assertMistake(
        "--deadline soon is not a positive duration; write it like --deadline 5s",
        "--uri",
        "ws://127.0.0.1:1/",
        "--deadline",
        "soon");
    assertMistake(
        "--name a names no server; put --uri or --launch after it",
        "--uri",
        "ws://127.0.0.1:1/",
        "--name",
        "a");
    assertMistake(
        "two servers are named 'a'; tell them apart with --name before each",
        "--name",
        "a",
        "--uri",
        "ws://127.0.0.1:1/",
        "--name",
        "a",
        "--uri",
        "ws://127.0.0.1:2/");
    assertMistake("--launch node 'x has an unclosed ' quote; close it", "--launch", "node 'x");
    assertMistake(
        "--ready applies to launched servers, and there is none; add --launch or drop it",
        "--uri",
        "ws://127.0.0.1:1/",
        "--ready",
        "listening");
    assertMistake(
        "--header Authorization is no header; write it like --header \"Authorization: Bearer …\"",
        "--uri",
        "ws://127.0.0.1:1/",
        "--header",
        "Authorization");
    assertMistake(
        "--exclude leaves no case of those chosen; exclude fewer, or choose others",
        "--uri",
        "ws://127.0.0.1:1/",
        "--cases",
        "1.1.1",
        "--exclude",
        "1");
    assertMistake(
        "--launch-uri ws://127.0.0.1/ has neither {port} nor a port; write it like"
            + " --launch-uri ws://127.0.0.1:{port}/echo",
        "--launch",
        "node s.js",
        "--launch-uri",
        "ws://127.0.0.1/");
  }

  @Test
  void usageFailsWithExitCodeTwoBeforeAnythingStarts() {
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int code =
        Main.run(
            new String[] {"--uri", "ws://127.0.0.1:1/", "--cases", "11.1.1"},
            new java.io.PrintStream(new java.io.ByteArrayOutputStream()),
            new java.io.PrintStream(err),
            false);
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(err.toString())
        .startsWith("websocket-robustness: --cases/--sections: '11.1.1' matches no catalogue case");
  }

  private static void assertMistake(String sentence, String... args) {
    assertThatThrownBy(() -> Options.parse(args))
        .isInstanceOf(Options.UsageException.class)
        .hasMessage(sentence);
  }
}
