package io.github.wsrobustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shape the design notes promise, read from the sources: no package depends on another in a
 * circle, and the public surface is exactly what users call (anything else is package-private).
 */
class ArchitectureTest {
  private static final Path SOURCES = Path.of("src/main/java");
  private static final Pattern REFERENCE =
      Pattern.compile("\\bio\\.github\\.wsrobustness((?:\\.[a-z]\\w*)*)\\.[A-Z]");
  private static final Pattern PACKAGE = Pattern.compile("(?m)^package ([\\w.]+);");
  private static final Pattern TOP_LEVEL_TYPE =
      Pattern.compile(
          "(?m)^(public )?(?:final )?(?:abstract )?(?:sealed )?(?:class|interface|enum|record|@interface) (\\w+)");
  private static final Pattern PUBLIC_TYPE =
      Pattern.compile(
          "(?m)^( *)public (?:static )?(?:final )?(?:abstract )?(?:sealed )?(class|interface|enum|record|@interface) (\\w+)");

  @Test
  void noPackageDependsOnAnotherInACircle() throws IOException {
    Map<String, Set<String>> uses = new TreeMap<>();
    for (Path file : javaFiles()) {
      String source = Files.readString(file);
      String from = packageOf(source);
      Set<String> targets = uses.computeIfAbsent(from, k -> new TreeSet<>());
      Matcher reference = REFERENCE.matcher(source.replaceAll("(?m)^package .*$", ""));
      while (reference.find()) {
        String to = "io.github.wsrobustness" + reference.group(1);
        if (!to.equals(from)) targets.add(to);
      }
    }
    assertThat(uses).containsKeys("io.github.wsrobustness", "io.github.wsrobustness.frame");
    for (String start : uses.keySet()) {
      assertThat(pathBack(start, start, uses, new TreeSet<>()))
          .as("a circle of package dependencies through %s (all: %s)", start, uses)
          .isEmpty();
    }
  }

  /** A path of dependencies from {@code at} back to {@code start}, or empty. */
  private static List<String> pathBack(
      String start, String at, Map<String, Set<String>> uses, Set<String> seen) {
    for (String next : uses.getOrDefault(at, Set.of())) {
      if (next.equals(start)) return List.of(at, next);
      if (seen.add(next)) {
        List<String> rest = pathBack(start, next, uses, seen);
        if (!rest.isEmpty()) {
          List<String> path = new ArrayList<>(List.of(at));
          path.addAll(rest);
          return path;
        }
      }
    }
    return List.of();
  }

  @Test
  void thePublicSurfaceIsWhatUsersCall() throws IOException {
    Set<String> publicTypes = new TreeSet<>();
    for (Path file : javaFiles()) {
      String source = Files.readString(file);
      String pkg = packageOf(source).replace("io.github.wsrobustness", "").replaceFirst("^\\.", "");
      // A nested type is public only when the type around it is.
      Matcher topLevel = TOP_LEVEL_TYPE.matcher(source);
      if (!topLevel.find() || topLevel.group(1) == null) continue;
      String outer = topLevel.group(2);
      Matcher type = PUBLIC_TYPE.matcher(source);
      while (type.find()) {
        boolean nested = !type.group(1).isEmpty();
        String name = nested ? outer + "." + type.group(3) : type.group(3);
        publicTypes.add((pkg.isEmpty() ? "" : pkg + ".") + name);
      }
    }
    assertThat(publicTypes)
        .containsExactlyInAnyOrder(
            "Catalogue",
            "Delivery",
            "HandshakeException",
            "HandshakeRefusal",
            "HandshakeResponse",
            "Liveness",
            "NoHandshake",
            "Outcome",
            "Outcome.Kind",
            "Outcome.TcpEnd",
            "RawWebSocketClient",
            "RawWebSocketClient.Builder",
            "ReceivedCounts",
            "ServerEvent",
            "ServerEvent.Kind",
            "ServerMayDie",
            "ServerUnderTest",
            "ServingCheck",
            "UpgradeRequest",
            "WebSocketRobustness",
            // Public for @RegisterExtension: settings decided in code, several servers.
            "WebSocketRobustnessExtension",
            "WebSocketRobustnessExtension.Builder",
            "WebSocketTarget",
            "assertj.HandshakeResponseAssert",
            "assertj.OutcomeAssert",
            "assertj.ReceivedFrameAssert",
            "assertj.ServerUnderTestAssert",
            "assertj.WebSocketAssertions",
            "assertj.WebSocketSoftAssertions",
            // The catalogue as data (cases, scripts, expectations), its verdict rules and its
            // report: public because the runner and the command line read them.
            "catalog.AutobahnCases",
            "catalog.CaseResult",
            "catalog.CaseSelection",
            "catalog.CatalogueCase",
            "catalog.CatalogueCase.Section",
            "catalog.CatalogueCases",
            "catalog.CatalogueReport",
            "catalog.CloseVerdict",
            "catalog.Expectation",
            "catalog.Expectation.Kind",
            "catalog.Expected",
            "catalog.HandshakeObservation",
            "catalog.HandshakeObservation.How",
            "catalog.Judgement",
            "catalog.Observation",
            "catalog.Observation.End",
            "catalog.Received",
            "catalog.Received.Kind",
            "catalog.RobustnessCases",
            "catalog.Step",
            "catalog.Verdict",
            "catalog.VerdictRules",
            "catalog.Waive",
            "catalog.Writes",
            "catalog.Writes.Kind",
            "frame.CloseCode",
            "frame.Frame",
            "frame.FrameReader",
            "frame.FrameWriter",
            "frame.LengthEncoding",
            "frame.MessageDeflater",
            "frame.Opcode",
            "frame.PerMessageDeflate",
            "frame.PerMessageDeflate.Negotiation",
            "frame.Previews",
            "frame.ReceivedFrame",
            "frame.TruncatedFrameException",
            "frame.WebSocketProtocol",
            // The HTTP of the opening handshake, as data the catalogue's cases can hold too.
            "http.HandshakeRequest",
            "http.HandshakeRequest.Rendered",
            "http.HttpStatus");
  }

  private static String packageOf(String source) {
    Matcher pkg = PACKAGE.matcher(source);
    assertThat(pkg.find()).isTrue();
    return pkg.group(1);
  }

  private static List<Path> javaFiles() throws IOException {
    try (Stream<Path> files = Files.walk(SOURCES)) {
      return files.filter(f -> f.toString().endsWith(".java")).toList();
    }
  }
}
