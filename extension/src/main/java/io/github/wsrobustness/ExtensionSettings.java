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
import org.junit.platform.commons.support.ReflectionSupport;

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
  sealed interface Target permits UriTarget, MemberTarget, SuppliedTarget, LaunchTarget {}

  record UriTarget(URI uri) implements Target {}

  record MemberTarget(Member member, String path, String explicitName) implements Target {
    /** The report column's name: {@link WebSocketTarget#name()}, else the member's. */
    String name() {
      return explicitName.isEmpty() ? member.getName() : explicitName;
    }

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

  /** A URI from a {@link WebSocketRobustnessExtension.Builder}'s supplier, read when needed. */
  record SuppliedTarget(java.util.function.Supplier<URI> supplier, String describe)
      implements Target {}

  /**
   * A target and the name of its report column: null for a class's only target, whose column is
   * named by the class.
   */
  record NamedTarget(String name, Target target) {}

  final Class<?> testClass;

  /** Every server the class names, in the order named. */
  final List<NamedTarget> targets;

  /** The class's only server, or null when it names several. */
  final Target target;

  final Duration deadline;
  final boolean failOnUncaughtExceptions;
  final boolean trustAllCertificates;
  final ServingChecks liveness;
  final boolean launchPerMethod;
  final UpgradeOptions upgrade;

  private ExtensionSettings(
      Class<?> testClass,
      List<NamedTarget> targets,
      Duration deadline,
      boolean failOnUncaughtExceptions,
      boolean trustAll,
      ServingChecks liveness,
      boolean launchPerMethod,
      UpgradeOptions upgrade) {
    this.testClass = testClass;
    this.targets = List.copyOf(targets);
    this.target = targets.size() == 1 ? targets.get(0).target() : null;
    this.deadline = deadline;
    this.failOnUncaughtExceptions = failOnUncaughtExceptions;
    this.trustAllCertificates = trustAll;
    this.liveness = liveness;
    this.launchPerMethod = launchPerMethod;
    this.upgrade = upgrade;
  }

  /**
   * The {@code @WebSocketRobustness} attributes of a test class and the classes around it, merged
   * outward-in: each comes from the innermost annotation that sets it, so a {@code @Nested} class
   * overrides only what it sets. The target ({@code uri} and {@code launch}) comes as a pair from
   * the innermost annotation that names one, and how to launch it only from that annotation and
   * those inside it. {@code trustAllCertificatesInsecurely} is on when any annotation turns it on:
   * a boolean attribute cannot say "not set".
   */
  record Merged(
      boolean present,
      String uri,
      String[] launch,
      String launchDirectory,
      String[] launchEnvironment,
      String readyWhenOutputMatches,
      String readyDeadline,
      String deadline,
      boolean trustAllCertificatesInsecurely,
      String uncaughtExceptions,
      String liveness,
      String launchPer) {

    static Merged of(Class<?> testClass) {
      List<WebSocketRobustness> found = new ArrayList<>();
      // Outward through @Nested (inner) classes only: a static nested class stands on its own.
      for (Class<?> c = testClass; c != null; c = isInner(c) ? c.getEnclosingClass() : null) {
        AnnotationSupport.findAnnotation(c, WebSocketRobustness.class).ifPresent(found::add);
      }
      WebSocketRobustness target =
          found.stream()
              .filter(a -> !a.uri().isEmpty() || a.launch().length > 0)
              .findFirst()
              .orElse(null);
      // How to launch belongs with what is launched: from the annotation naming the target and
      // those inside it, never from an outer one that launches something else.
      List<WebSocketRobustness> launching =
          target == null ? found : found.subList(0, found.indexOf(target) + 1);
      return new Merged(
          !found.isEmpty(),
          target == null ? "" : target.uri(),
          target == null ? new String[0] : target.launch(),
          first(launching, WebSocketRobustness::launchDirectory),
          launching.stream()
              .map(WebSocketRobustness::launchEnvironment)
              .filter(e -> e.length > 0)
              .findFirst()
              .orElse(new String[0]),
          first(launching, WebSocketRobustness::readyWhenOutputMatches),
          first(launching, WebSocketRobustness::readyDeadline),
          first(found, WebSocketRobustness::deadline),
          found.stream().anyMatch(WebSocketRobustness::trustAllCertificatesInsecurely),
          first(found, WebSocketRobustness::uncaughtExceptions),
          first(found, WebSocketRobustness::liveness),
          first(found, WebSocketRobustness::launchPer));
    }

    /** The builder's settings in the attributes' form, so that both are checked alike. */
    static Merged of(Registration registration) {
      return new Merged(
          true,
          "",
          new String[0],
          orEmpty(registration.launchDirectory()),
          registration.launchEnvironment().entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue())
              .toArray(String[]::new),
          registration.readyWhenOutputMatches() == null
              ? ""
              : registration.readyWhenOutputMatches().pattern(),
          registration.readyDeadline() == null ? "" : registration.readyDeadline().toString(),
          registration.deadline() == null ? "" : registration.deadline().toString(),
          registration.trustAllCertificates(),
          registration.failOnUncaughtExceptions() == null
              ? ""
              : registration.failOnUncaughtExceptions() ? "fail" : "ignore",
          "",
          registration.launchPerMethod() == null
              ? ""
              : registration.launchPerMethod() ? "method" : "class");
    }

    /** The same, launching at {@code uriTemplate} (the default one when null). */
    Merged withUri(String uriTemplate) {
      return new Merged(
          present,
          orEmpty(uriTemplate),
          launch,
          launchDirectory,
          launchEnvironment,
          readyWhenOutputMatches,
          readyDeadline,
          deadline,
          trustAllCertificatesInsecurely,
          uncaughtExceptions,
          liveness,
          launchPer);
    }

    private static String orEmpty(String value) {
      return value == null ? "" : value;
    }

    private static boolean isInner(Class<?> c) {
      return c.isMemberClass() && !Modifier.isStatic(c.getModifiers());
    }

    private static String first(
        List<WebSocketRobustness> found,
        java.util.function.Function<WebSocketRobustness, String> get) {
      return found.stream().map(get).filter(v -> !v.isEmpty()).findFirst().orElse("");
    }
  }

  /**
   * A client builder for {@code uri} with these settings: the test's clients and liveness checks
   * alike.
   */
  RawWebSocketClient.Builder clientBuilder(URI uri) {
    return clientBuilder(uri, upgrade);
  }

  /** As {@link #clientBuilder(URI)}, with {@code upgrade} instead of the class's options. */
  RawWebSocketClient.Builder clientBuilder(URI uri, UpgradeOptions upgrade) {
    return upgrade.applyTo(clientBuilder(uri, deadline, trustAllCertificates));
  }

  static RawWebSocketClient.Builder clientBuilder(URI uri, Duration deadline, boolean trustAll) {
    RawWebSocketClient.Builder builder = RawWebSocketClient.builder(uri).deadline(deadline);
    return trustAll ? builder.trustAllCertificatesInsecurely() : builder;
  }

  /**
   * Resolves and validates the settings of {@code context}'s test class: from its annotations, or
   * from {@code registration} when the extension was registered with a builder.
   */
  static ExtensionSettings resolve(ExtensionContext context, Registration registration) {
    Class<?> testClass = context.getRequiredTestClass();
    Merged found = Merged.of(testClass);
    if (found.present() && (registration != null || registersExtension(testClass))) {
      throw new ExtensionConfigurationException(
          testClass.getSimpleName()
              + " is annotated @WebSocketRobustness and also registers a"
              + " WebSocketRobustnessExtension with @RegisterExtension; keep one of them");
    }
    if (registration != null) found = Merged.of(registration);
    Attributes attributes = new Attributes(context, testClass);
    Duration deadline =
        attributes.duration("deadline", Optional.of(found.deadline()), DEFAULT_DEADLINE);
    String policy =
        attributes
            .text("uncaughtExceptions", Optional.of(found.uncaughtExceptions()))
            .orElse("fail");
    if (!policy.equalsIgnoreCase("fail") && !policy.equalsIgnoreCase("ignore")) {
      throw attributes.invalid("uncaughtExceptions", policy, "must be fail or ignore");
    }
    String trustAll =
        found.trustAllCertificatesInsecurely()
            ? "true"
            : attributes.config("trustAllCertificatesInsecurely").orElse("false");
    if (!trustAll.equalsIgnoreCase("true") && !trustAll.equalsIgnoreCase("false")) {
      throw attributes.invalid("trustAllCertificatesInsecurely", trustAll, "must be true or false");
    }
    boolean trust = trustAll.equalsIgnoreCase("true");
    ServingChecks liveness =
        registration != null && registration.liveness() != null
            ? registration.liveness()
            : liveness(attributes, found);
    String per = attributes.text("launch.per", Optional.of(found.launchPer())).orElse("class");
    if (!per.equalsIgnoreCase("class") && !per.equalsIgnoreCase("method")) {
      throw attributes.invalid("launch.per", per, "must be class or method");
    }
    List<NamedTarget> targets =
        registration != null
            ? registeredTargets(registration, found, attributes, deadline, trust, liveness)
            : resolveTargets(
                testClass, found.present() ? found : null, attributes, deadline, trust, liveness);
    return new ExtensionSettings(
        testClass,
        targets,
        deadline,
        policy.equalsIgnoreCase("fail"),
        trust,
        liveness,
        per.equalsIgnoreCase("method"),
        classUpgrade(
            testClass, registration == null ? UpgradeOptions.NONE : registration.upgrade()));
  }

  /** Whether {@code testClass} (or a superclass) has a {@code @RegisterExtension} field of ours. */
  private static boolean registersExtension(Class<?> testClass) {
    return !AnnotationSupport.findAnnotatedFields(
            testClass,
            org.junit.jupiter.api.extension.RegisterExtension.class,
            field -> WebSocketRobustnessExtension.class.isAssignableFrom(field.getType()))
        .isEmpty();
  }

  /** The builder's servers; a single one unnamed keeps the class's name in the report. */
  private static List<NamedTarget> registeredTargets(
      Registration registration,
      Merged found,
      Attributes attributes,
      Duration deadline,
      boolean trust,
      ServingChecks liveness) {
    List<NamedTarget> targets = new ArrayList<>();
    boolean several = registration.targets().size() > 1;
    for (Registration.Entry entry : registration.targets()) {
      Target target;
      if (entry.uri() != null) {
        target = new UriTarget(entry.uri());
      } else if (entry.supplier() != null) {
        target = new SuppliedTarget(entry.supplier(), entry.describe());
      } else {
        target =
            launchTarget(
                entry.command(),
                found.withUri(entry.uriTemplate()),
                attributes,
                deadline,
                trust,
                liveness);
      }
      targets.add(new NamedTarget(several ? entry.nameOrDerived() : entry.name(), target));
    }
    return targets;
  }

  /**
   * The class's {@link UpgradeRequest}s, outermost first: a {@code @Nested} class adds to those
   * around it.
   */
  private static UpgradeOptions classUpgrade(Class<?> testClass, UpgradeOptions registered) {
    List<Class<?>> classes = new ArrayList<>();
    for (Class<?> c = testClass; c != null; c = Merged.isInner(c) ? c.getEnclosingClass() : null) {
      classes.add(0, c);
    }
    UpgradeOptions options = registered;
    for (Class<?> c : classes) options = options.with(c, c.getSimpleName());
    return options;
  }

  private static ServingChecks liveness(Attributes attributes, Merged found) {
    Optional<String> value = attributes.text("liveness", Optional.of(found.liveness()));
    if (value.isEmpty()) return ServingChecks.ping();
    ServingChecks named = ServingChecks.named(value.get());
    if (named != null) return named;
    String problem =
        "is neither handshake, ping nor echo, nor the class name of a ServingCheck with a public"
            + " no-argument constructor";
    Class<?> type;
    try {
      type =
          Class.forName(value.get().trim(), true, Thread.currentThread().getContextClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw attributes.invalid("liveness", value.get(), problem);
    }
    if (!ServingCheck.class.isAssignableFrom(type)) {
      throw attributes.invalid("liveness", value.get(), problem);
    }
    try {
      return ServingChecks.custom((ServingCheck) ReflectionSupport.newInstance(type));
    } catch (RuntimeException e) {
      throw attributes.invalid("liveness", value.get(), problem + " (" + e + ")");
    }
  }

  /**
   * The class's servers: one from its annotation, a member or a configuration parameter, or several
   * {@code @WebSocketTarget} members, each a column of the catalogue's report.
   */
  private static List<NamedTarget> resolveTargets(
      Class<?> testClass,
      Merged annotation,
      Attributes attributes,
      Duration deadline,
      boolean trust,
      ServingChecks liveness) {
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
          launchTarget(
              List.of(annotation.launch()), annotation, attributes, deadline, trust, liveness));
    }
    List<MemberTarget> members = targetMembers(testClass);
    if (targets.isEmpty() && members.size() > 1) {
      List<NamedTarget> several = new ArrayList<>();
      for (MemberTarget member : members) {
        String name = member.name();
        for (NamedTarget other : several) {
          if (other.name().equals(name)) {
            throw new ExtensionConfigurationException(
                testClass.getSimpleName()
                    + " has two servers named \""
                    + name
                    + "\" ("
                    + ((MemberTarget) other.target()).describe()
                    + ", "
                    + member.describe()
                    + "); give one another name with @WebSocketTarget(name = ...)");
          }
        }
        several.add(new NamedTarget(name, member));
      }
      return several;
    }
    for (MemberTarget member : members) {
      named.add(member.describe());
      targets.add(member);
    }
    if (targets.size() > 1) {
      throw new ExtensionConfigurationException(
          testClass.getSimpleName()
              + " names its WebSocket server more than once ("
              + String.join(", ", named)
              + "); keep exactly one, or name several servers only with @WebSocketTarget members");
    }
    if (targets.size() == 1) {
      String name =
          targets.get(0) instanceof MemberTarget member && !member.explicitName().isEmpty()
              ? member.explicitName()
              : null;
      return List.of(new NamedTarget(name, targets.get(0)));
    }

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
      return List.of(
          new NamedTarget(
              null, launchTarget(command, annotation, attributes, deadline, trust, liveness)));
    }
    if (configUri.isPresent()) {
      return List.of(
          new NamedTarget(
              null,
              new UriTarget(
                  parseUri(configUri.get(), "configuration parameter " + PREFIX + "uri"))));
    }
    throw new ExtensionConfigurationException(
        testClass.getSimpleName()
            + " names no WebSocket server; add @WebSocketRobustness(uri = \"ws://host:port/path\"),"
            + " a @WebSocketTarget field or method, @WebSocketRobustness(launch = {...}), or the configuration"
            + " parameter "
            + PREFIX
            + "uri or "
            + PREFIX
            + "launch");
  }

  private static LaunchTarget launchTarget(
      List<String> command,
      Merged annotation,
      Attributes attributes,
      Duration deadline,
      boolean trust,
      ServingChecks liveness) {
    String uriTemplate =
        annotation != null && !annotation.uri().isEmpty() ? annotation.uri() : DEFAULT_LAUNCH_URI;
    parseUri(
        uriTemplate.replace(LaunchedServer.PORT_PLACEHOLDER, "1"),
        "the launched server's uri \"" + uriTemplate + "\"");
    Optional<String> directory =
        attributes.text(
            "launch.directory", Optional.ofNullable(annotation).map(Merged::launchDirectory));
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
    List<String> entries =
        annotation != null && annotation.launchEnvironment().length > 0
            ? List.of(annotation.launchEnvironment())
            : attributes
                .config("launch.environment")
                .map(v -> List.of(v.split(";")))
                .orElse(List.of());
    {
      for (String raw : entries) {
        String entry = raw.trim();
        if (entry.isEmpty()) continue; // "A=1;B=2;" ends with an empty entry
        int equals = entry.indexOf('=');
        if (equals <= 0) {
          String where =
              annotation != null && annotation.launchEnvironment().length > 0
                  ? "launchEnvironment entry \""
                  : "configuration parameter " + PREFIX + "launch.environment entry \"";
          throw new ExtensionConfigurationException(
              where + entry + "\" is not NAME=value; write it like \"PORT={port}\"");
        }
        environment.put(entry.substring(0, equals), entry.substring(equals + 1));
      }
    }
    Pattern ready =
        attributes
            .text(
                "launch.readyWhenOutputMatches",
                Optional.ofNullable(annotation).map(Merged::readyWhenOutputMatches))
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
            Optional.ofNullable(annotation).map(Merged::readyDeadline),
            DEFAULT_READY_DEADLINE);
    boolean portHandedOver =
        command.stream().anyMatch(part -> part.contains(LaunchedServer.PORT_PLACEHOLDER))
            || environment.values().stream()
                .anyMatch(value -> value.contains(LaunchedServer.PORT_PLACEHOLDER));
    boolean portReported = ready != null && ready.matcher("").groupCount() >= 1;
    if (uriTemplate.contains(LaunchedServer.PORT_PLACEHOLDER) && !portHandedOver && !portReported) {
      throw new ExtensionConfigurationException(
          "the launched server `"
              + String.join(" ", command)
              + "` is never told its port: put "
              + LaunchedServer.PORT_PLACEHOLDER
              + " in an argument or in launchEnvironment (e.g. \"PORT="
              + LaunchedServer.PORT_PLACEHOLDER
              + "\"), let it bind port 0 and read the port it prints with a group in"
              + " readyWhenOutputMatches (e.g. \"listening on (\\\\d+)\"), or give its fixed port in"
              + " uri");
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
            trust,
            liveness));
  }

  private static List<MemberTarget> targetMembers(Class<?> testClass) {
    List<MemberTarget> members = new ArrayList<>();
    for (Field field : AnnotationSupport.findAnnotatedFields(testClass, WebSocketTarget.class)) {
      WebSocketTarget annotation = field.getAnnotation(WebSocketTarget.class);
      MemberTarget target = new MemberTarget(field, annotation.path(), annotation.name().strip());
      checkType(target, field.getType());
      members.add(target);
    }
    for (Method method :
        AnnotationSupport.findAnnotatedMethods(
            testClass, WebSocketTarget.class, HierarchyTraversalMode.TOP_DOWN)) {
      WebSocketTarget annotation = method.getAnnotation(WebSocketTarget.class);
      MemberTarget target = new MemberTarget(method, annotation.path(), annotation.name().strip());
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
    private final ExtensionContext context;
    private final Class<?> testClass;

    Attributes(ExtensionContext context, Class<?> testClass) {
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
        case "launch.per" -> "launchPer";
        default -> key;
      };
    }
  }
}
