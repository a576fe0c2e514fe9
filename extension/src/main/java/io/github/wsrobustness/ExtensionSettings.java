package io.github.wsrobustness;

import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/**
 * The settings of one test class, resolved once: each from the {@link WebSocketRobustness}
 * attribute, else the {@code wsrobustness.*} configuration parameter, else the default. Every
 * misuse is reported here, before any socket opens, in one sentence naming the class or member and
 * the fix.
 *
 * <p>Thread-safety: immutable.
 */
final class ExtensionSettings {
  static final String PREFIX = "wsrobustness.";
  static final Duration DEFAULT_DEADLINE = RawWebSocketClient.DEFAULT_DEADLINE;
  static final Duration DEFAULT_READY_DEADLINE = Duration.ofSeconds(30);
  static final String DEFAULT_LAUNCH_URI = "ws://127.0.0.1:{port}/";

  /** Where the server is: a URI, a member to read it from, or a process to launch. */
  sealed interface Target permits UriTarget, MemberTarget, LaunchTarget {}

  record UriTarget(URI uri) implements Target {}

  record MemberTarget(Member member, String path) implements Target {
    boolean isStatic() {
      return Modifier.isStatic(member.getModifiers());
    }

    String describe() {
      String kind = member instanceof Field ? "field " : "method ";
      String suffix = member instanceof Method ? "()" : "";
      return "@WebSocketTarget "
          + kind
          + member.getDeclaringClass().getSimpleName()
          + "."
          + member.getName()
          + suffix;
    }
  }

  record LaunchTarget(LaunchedServer.Spec spec) implements Target {}

  final Class<?> testClass;
  final Target target;
  final Duration deadline;
  final boolean failOnUncaughtExceptions;
  final boolean trustAllCertificates;

  private ExtensionSettings(
      Class<?> testClass,
      Target target,
      Duration deadline,
      boolean failOnUncaughtExceptions,
      boolean trustAll) {
    this.testClass = testClass;
    this.target = target;
    this.deadline = deadline;
    this.failOnUncaughtExceptions = failOnUncaughtExceptions;
    this.trustAllCertificates = trustAll;
  }

  /**
   * A client builder for {@code uri} with these settings: the test's clients and liveness checks
   * alike.
   */
  RawWebSocketClient.Builder clientBuilder(URI uri) {
    return clientBuilder(uri, deadline, trustAllCertificates);
  }

  static RawWebSocketClient.Builder clientBuilder(URI uri, Duration deadline, boolean trustAll) {
    RawWebSocketClient.Builder builder = RawWebSocketClient.builder(uri).deadline(deadline);
    return trustAll ? builder.trustAllCertificatesInsecurely() : builder;
  }

  /** Resolves and validates the settings of {@code context}'s test class. */
  static ExtensionSettings resolve(ExtensionContext context) {
    Class<?> testClass = context.getRequiredTestClass();
    Optional<WebSocketRobustness> found = findAnnotation(testClass);
    Attributes attributes = new Attributes(found.orElse(null), context, testClass);
    Duration deadline =
        attributes.duration("deadline", found.map(WebSocketRobustness::deadline), DEFAULT_DEADLINE);
    String policy =
        attributes
            .text("uncaughtExceptions", found.map(WebSocketRobustness::uncaughtExceptions))
            .orElse("fail");
    if (!policy.equalsIgnoreCase("fail") && !policy.equalsIgnoreCase("ignore")) {
      throw attributes.invalid("uncaughtExceptions", policy, "must be fail or ignore");
    }
    String trustAll =
        found
            .filter(WebSocketRobustness::trustAllCertificatesInsecurely)
            .map(a -> "true")
            .or(() -> attributes.config("trustAllCertificatesInsecurely"))
            .orElse("false");
    if (!trustAll.equalsIgnoreCase("true") && !trustAll.equalsIgnoreCase("false")) {
      throw attributes.invalid("trustAllCertificatesInsecurely", trustAll, "must be true or false");
    }
    boolean trust = trustAll.equalsIgnoreCase("true");
    Target target = resolveTarget(testClass, found.orElse(null), attributes, deadline, trust);
    return new ExtensionSettings(
        testClass, target, deadline, policy.equalsIgnoreCase("fail"), trust);
  }

  private static Optional<WebSocketRobustness> findAnnotation(Class<?> testClass) {
    for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
      Optional<WebSocketRobustness> found =
          AnnotationSupport.findAnnotation(c, WebSocketRobustness.class);
      if (found.isPresent()) return found;
    }
    return Optional.empty();
  }

  private static Target resolveTarget(
      Class<?> testClass,
      WebSocketRobustness annotation,
      Attributes attributes,
      Duration deadline,
      boolean trust) {
    List<String> named = new ArrayList<>();
    List<Target> targets = new ArrayList<>();
    boolean uriIsTemplate =
        annotation != null && annotation.uri().contains(LaunchedServer.PORT_PLACEHOLDER);
    if (uriIsTemplate && annotation.launch().length == 0 && attributes.config("launch").isEmpty()) {
      throw new ExtensionConfigurationException(
          "@WebSocketRobustness(uri = \""
              + annotation.uri()
              + "\") on "
              + testClass.getSimpleName()
              + " uses "
              + LaunchedServer.PORT_PLACEHOLDER
              + ", but nothing is launched to receive the port; add launch = {...}"
              + " or give the real port");
    }
    if (annotation != null
        && !annotation.uri().isEmpty()
        && annotation.launch().length == 0
        && !uriIsTemplate) {
      named.add("uri = \"" + annotation.uri() + "\"");
      targets.add(
          new UriTarget(
              parseUri(
                  annotation.uri(),
                  "@WebSocketRobustness(uri = \""
                      + annotation.uri()
                      + "\") on "
                      + testClass.getSimpleName())));
    }
    if (annotation != null && annotation.launch().length > 0) {
      named.add("launch = " + Arrays.toString(annotation.launch()));
      targets.add(
          launchTarget(List.of(annotation.launch()), annotation, attributes, deadline, trust));
    }
    for (MemberTarget member : targetMembers(testClass)) {
      named.add(member.describe());
      targets.add(member);
    }
    if (targets.size() > 1) {
      throw new ExtensionConfigurationException(
          testClass.getSimpleName()
              + " names its WebSocket server more than once ("
              + String.join(", ", named)
              + "); keep exactly one");
    }
    if (targets.size() == 1) return targets.get(0);

    Optional<String> configUri = attributes.config("uri");
    Optional<String> configLaunch = attributes.config("launch");
    if (configUri.isPresent() && configLaunch.isPresent()) {
      throw new ExtensionConfigurationException(
          "the configuration parameters "
              + PREFIX
              + "uri and "
              + PREFIX
              + "launch are both set for "
              + testClass.getSimpleName()
              + "; set only one");
    }
    if (configLaunch.isPresent()) {
      List<String> command = List.of(configLaunch.get().trim().split("\\s+"));
      return launchTarget(command, annotation, attributes, deadline, trust);
    }
    if (configUri.isPresent()) {
      return new UriTarget(parseUri(configUri.get(), "configuration parameter " + PREFIX + "uri"));
    }
    throw new ExtensionConfigurationException(
        testClass.getSimpleName()
            + " names no WebSocket server; add @WebSocketRobustness(uri = \"ws://host:port/path\"),"
            + " a @WebSocketTarget field or method, @WebSocketRobustness(launch = {...}), or the configuration"
            + " parameter "
            + PREFIX
            + "uri");
  }

  private static LaunchTarget launchTarget(
      List<String> command,
      WebSocketRobustness annotation,
      Attributes attributes,
      Duration deadline,
      boolean trust) {
    String uriTemplate =
        annotation != null && !annotation.uri().isEmpty() ? annotation.uri() : DEFAULT_LAUNCH_URI;
    parseUri(
        uriTemplate.replace(LaunchedServer.PORT_PLACEHOLDER, "1"),
        "the launched server's uri \"" + uriTemplate + "\"");
    Optional<String> directory =
        attributes.text(
            "launch.directory",
            Optional.ofNullable(annotation).map(WebSocketRobustness::launchDirectory));
    File workingDirectory = directory.map(File::new).orElse(null);
    if (workingDirectory != null && !workingDirectory.isDirectory()) {
      throw new ExtensionConfigurationException(
          "launchDirectory \""
              + directory.get()
              + "\" is not a directory (resolved to "
              + workingDirectory.getAbsolutePath()
              + "); give a path relative to "
              + new File("").getAbsolutePath());
    }
    Map<String, String> environment = new LinkedHashMap<>();
    if (annotation != null) {
      for (String entry : annotation.launchEnvironment()) {
        int equals = entry.indexOf('=');
        if (equals <= 0) {
          throw new ExtensionConfigurationException(
              "launchEnvironment entry \""
                  + entry
                  + "\" is not NAME=value; write it like \"PORT={port}\"");
        }
        environment.put(entry.substring(0, equals), entry.substring(equals + 1));
      }
    }
    Pattern ready =
        attributes
            .text(
                "launch.readyWhenOutputMatches",
                Optional.ofNullable(annotation).map(WebSocketRobustness::readyWhenOutputMatches))
            .map(
                regex -> {
                  try {
                    return Pattern.compile(regex);
                  } catch (PatternSyntaxException e) {
                    throw attributes.invalid(
                        "launch.readyWhenOutputMatches",
                        regex,
                        "is not a regular expression (" + e.getDescription() + ")");
                  }
                })
            .orElse(null);
    Duration readyDeadline =
        attributes.duration(
            "launch.readyDeadline",
            Optional.ofNullable(annotation).map(WebSocketRobustness::readyDeadline),
            DEFAULT_READY_DEADLINE);
    boolean portHandedOver =
        command.stream().anyMatch(part -> part.contains(LaunchedServer.PORT_PLACEHOLDER))
            || environment.values().stream()
                .anyMatch(value -> value.contains(LaunchedServer.PORT_PLACEHOLDER));
    if (uriTemplate.contains(LaunchedServer.PORT_PLACEHOLDER) && !portHandedOver) {
      throw new ExtensionConfigurationException(
          "the launched server `"
              + String.join(" ", command)
              + "` is never told its port: put "
              + LaunchedServer.PORT_PLACEHOLDER
              + " in an argument or in launchEnvironment (e.g. \"PORT="
              + LaunchedServer.PORT_PLACEHOLDER
              + "\"), or give its fixed port in uri");
    }
    return new LaunchTarget(
        new LaunchedServer.Spec(
            List.copyOf(command),
            workingDirectory,
            environment,
            uriTemplate,
            ready,
            readyDeadline,
            deadline,
            trust));
  }

  private static List<MemberTarget> targetMembers(Class<?> testClass) {
    List<MemberTarget> members = new ArrayList<>();
    for (Field field : AnnotationSupport.findAnnotatedFields(testClass, WebSocketTarget.class)) {
      MemberTarget target =
          new MemberTarget(field, field.getAnnotation(WebSocketTarget.class).path());
      checkType(target, field.getType());
      members.add(target);
    }
    for (Method method :
        AnnotationSupport.findAnnotatedMethods(
            testClass, WebSocketTarget.class, HierarchyTraversalMode.TOP_DOWN)) {
      MemberTarget target =
          new MemberTarget(method, method.getAnnotation(WebSocketTarget.class).path());
      if (method.getParameterCount() > 0) {
        throw new ExtensionConfigurationException(
            target.describe() + " takes parameters; a target method must take none");
      }
      checkType(target, method.getReturnType());
      members.add(target);
    }
    return members;
  }

  private static void checkType(MemberTarget target, Class<?> type) {
    if (type == URI.class || type == String.class || type == int.class || type == Integer.class)
      return;
    throw new ExtensionConfigurationException(
        target.describe()
            + " has type "
            + type.getSimpleName()
            + "; declare it as URI, String or int (a port)");
  }

  /** Parses a target URI; a malformed one fails with the culprit named by {@code where}. */
  static URI parseUri(String text, String where) {
    try {
      return RawWebSocketClient.builder(text).uri();
    } catch (IllegalArgumentException e) {
      throw new ExtensionConfigurationException(where + ": " + e.getMessage(), e);
    }
  }

  /** Parses {@code 500ms}, {@code 5s}, {@code 2m} or an ISO-8601 duration such as {@code PT5S}. */
  static Optional<Duration> parseDuration(String text) {
    Matcher simple =
        Pattern.compile("(\\d+)\\s*(ms|s|m)").matcher(text.trim().toLowerCase(Locale.ROOT));
    try {
      Duration parsed;
      if (simple.matches()) {
        long amount = Long.parseLong(simple.group(1));
        parsed =
            switch (simple.group(2)) {
              case "ms" -> Duration.ofMillis(amount);
              case "s" -> Duration.ofSeconds(amount);
              default -> Duration.ofMinutes(amount);
            };
      } else {
        parsed = Duration.parse(text.trim());
      }
      parsed.toNanos(); // a deadline must fit the nanosecond clock
      return Optional.of(parsed);
    } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * Reads one setting from the annotation, else the configuration parameter, and names its origin.
   */
  private static final class Attributes {
    private final WebSocketRobustness annotation;
    private final ExtensionContext context;
    private final Class<?> testClass;

    Attributes(WebSocketRobustness annotation, ExtensionContext context, Class<?> testClass) {
      this.annotation = annotation;
      this.context = context;
      this.testClass = testClass;
    }

    Optional<String> config(String key) {
      return context
          .getConfigurationParameter(PREFIX + key)
          .map(String::trim)
          .filter(v -> !v.isEmpty());
    }

    Optional<String> text(String key, Optional<String> fromAnnotation) {
      Optional<String> attribute = fromAnnotation.filter(v -> !v.isEmpty());
      return attribute.isPresent() ? attribute : config(key);
    }

    Duration duration(String key, Optional<String> fromAnnotation, Duration fallback) {
      boolean fromAttribute = fromAnnotation.filter(v -> !v.isEmpty()).isPresent();
      Optional<String> value = text(key, fromAnnotation);
      if (value.isEmpty()) return fallback;
      Optional<Duration> parsed = parseDuration(value.get());
      if (parsed.isEmpty() || parsed.get().isNegative() || parsed.get().isZero()) {
        throw invalid(
            key,
            value.get(),
            fromAttribute,
            "is not a positive duration; write it like 500ms, 5s or PT5S");
      }
      return parsed.get();
    }

    ExtensionConfigurationException invalid(String key, String value, String problem) {
      boolean fromConfiguration = config(key).filter(value::equals).isPresent();
      return invalid(key, value, !fromConfiguration, problem);
    }

    private ExtensionConfigurationException invalid(
        String key, String value, boolean fromAttribute, String problem) {
      String where =
          fromAttribute
              ? "@WebSocketRobustness("
                  + attributeName(key)
                  + " = \""
                  + value
                  + "\") on "
                  + testClass.getSimpleName()
              : "configuration parameter " + PREFIX + key + " = \"" + value + "\"";
      return new ExtensionConfigurationException(where + " " + problem);
    }

    private static String attributeName(String key) {
      return switch (key) {
        case "launch.directory" -> "launchDirectory";
        case "launch.readyWhenOutputMatches" -> "readyWhenOutputMatches";
        case "launch.readyDeadline" -> "readyDeadline";
        default -> key;
      };
    }
  }
}
