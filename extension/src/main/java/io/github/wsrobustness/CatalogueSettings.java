package io.github.wsrobustness;

import io.github.wsrobustness.catalog.CaseSelection;
import io.github.wsrobustness.catalog.CatalogueCase;
import io.github.wsrobustness.catalog.CatalogueCases;
import io.github.wsrobustness.catalog.Judgement;
import io.github.wsrobustness.catalog.Verdict;
import io.github.wsrobustness.catalog.Waive;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Makes the {@link Catalogue} a test method gets: the cases chosen by {@link CatalogueCases} (the
 * method's, else the class's or an enclosing one's) and narrowed by the {@code
 * wsrobustness.catalogue.*} configuration parameters, the waivers from {@link Waive} annotations
 * and a waiver file, and a runner bound to the class's server. Bad input fails here, before any
 * socket opens, with one sentence naming the culprit and the fix.
 *
 * <p>Thread-safety: stateless.
 */
final class CatalogueSettings {
  static final String CASES = "catalogue.cases";
  static final String EXCLUDE = "catalogue.exclude";
  static final String WAIVERS = "catalogue.waivers";
  static final String CLOSE_TIMEOUT = "catalogue.closeTimeout";
  static final String REPORT = "catalogue.report";
  static final String MID_FRAME_GRACE = "catalogue.midFrameGrace";
  static final String STRICT = "catalogue.strict";
  static final String MESSAGE_LIMIT = "catalogue.messageLimit";
  static final String MEMORY_BUDGET = "catalogue.memoryBudget";
  static final String COMPRESSION_MESSAGES = "catalogue.compressionMessages";

  /** How many messages each case of sections 12 and 13 sends unless told: Autobahn's 1000. */
  static final int DEFAULT_COMPRESSION_MESSAGES = 1000;

  /**
   * How much a server's memory may grow in a case that checks it: 64 MiB. A runtime's own churn
   * stays well under it on these cases (measured: see the README), and the cases that check it send
   * input of 1 GiB declared or hundreds of MiB past the limit, so that a server keeping it passes
   * the budget several times over.
   */
  static final long DEFAULT_MEMORY_BUDGET = 64L << 20;

  /** How long 6.4.3 and 6.4.4 wait for a failure inside a frame, where no event can tell. */
  static final Duration DEFAULT_MID_FRAME_GRACE = Duration.ofMillis(100);

  /** How long a server has to complete the close handshake and end TCP: Autobahn's second. */
  static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(1);

  private CatalogueSettings() {}

  /** One server of the class and its report column's name (null: the class's name). */
  record NamedServers(String name, CatalogueRunner.Servers servers) {}

  static Catalogue catalogue(
      ExtensionContext context,
      String classId,
      String className,
      List<NamedServers> servers,
      ExtensionSettings settings) {
    CatalogueReports reports = reports(context);
    List<CatalogueCase> all = Catalogue.everyCase();
    Optional<Found> found = find(context);
    Optional<CatalogueCases> choice = found.map(Found::annotation);
    List<CatalogueCase> chosen =
        found
            .map(
                f ->
                    CaseSelection.select(
                        all,
                        List.of(f.annotation().value()),
                        List.of(f.annotation().exclude()),
                        "@CatalogueCases on " + f.where()))
            .orElse(all);
    List<String> include = list(config(context, CASES));
    List<String> exclude = list(config(context, EXCLUDE));
    if (!include.isEmpty() || !exclude.isEmpty()) {
      // Checked against every case, not the annotation's choice: -Dwsrobustness.catalogue.exclude=9
      // must not fail a class that chose no case of section 9.
      String source =
          "the configuration parameters "
              + ExtensionSettings.PREFIX
              + CASES
              + " / "
              + ExtensionSettings.PREFIX
              + EXCLUDE;
      CaseSelection.requireMatches(all, include, source);
      CaseSelection.requireMatches(all, exclude, source);
      chosen = CaseSelection.filter(chosen, include, exclude);
    }

    Map<String, String> waivers = new LinkedHashMap<>();
    for (Waive waive : waives(context)) {
      String source = "@Waive on " + owner(context);
      if (waive.reason().isBlank()) {
        throw new IllegalArgumentException(
            source
                + " for "
                + Arrays.toString(waive.cases())
                + " has no reason; say why the deviation is accepted");
      }
      if (waive.cases().length == 0) {
        throw new IllegalArgumentException(
            source
                + " waives no case; name the cases, as in @Waive(cases = \"6.4.3\", reason = …)");
      }
      CaseSelection.requireMatches(all, List.of(waive.cases()), source);
      for (String pattern : waive.cases()) waivers.putIfAbsent(pattern, waive.reason().strip());
    }
    String file =
        choice
            .map(CatalogueCases::waivers)
            .filter(f -> !f.isBlank())
            .orElse(config(context, WAIVERS));
    if (!file.isBlank()) waivers.putAll(readWaiverFile(file, all, context));

    Duration closeTimeout = duration(context, CLOSE_TIMEOUT, DEFAULT_CLOSE_TIMEOUT);
    Duration midFrameGrace = duration(context, MID_FRAME_GRACE, DEFAULT_MID_FRAME_GRACE);
    MessageLimit limit = messageLimit(context, found);
    long memoryBudget = memoryBudget(context, found);
    int compressionMessages = compressionMessages(context, found);
    List<CatalogueRunner> runners = new ArrayList<>();
    for (NamedServers named : servers) {
      String target =
          named.name() == null
              ? reports.targetName(classId, className)
              : reports.targetName(classId + " » " + named.name(), named.name());
      runners.add(
          new CatalogueRunner(
              target,
              named.servers(),
              settings::clientBuilder,
              settings.deadline,
              closeTimeout,
              midFrameGrace,
              limit,
              memoryBudget,
              compressionMessages));
    }
    String strict = config(context, STRICT);
    if (!strict.isEmpty()
        && !strict.equalsIgnoreCase("true")
        && !strict.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException(
          "the configuration parameter "
              + ExtensionSettings.PREFIX
              + STRICT
              + " is '"
              + strict
              + "'; write true or false");
    }
    return new Catalogue(all, chosen, waivers, runners, reports, strict.equalsIgnoreCase("true"));
  }

  /** The run's report collector, in the root store: closed, and so written, when the run ends. */
  private static CatalogueReports reports(ExtensionContext context) {
    String directory = config(context, REPORT);
    Path path = Path.of(directory.isBlank() ? "target/wsrobustness" : directory);
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.create(CatalogueReports.class))
        .getOrComputeIfAbsent(
            CatalogueReports.class,
            k -> new CatalogueReports(path, System.out),
            CatalogueReports.class);
  }

  /** The {@link CatalogueCases} that applies, and where it was found ("ChatTest.autobahn()"). */
  private record Found(CatalogueCases annotation, String where) {}

  private static Optional<Found> find(ExtensionContext context) {
    if (context.getTestMethod().isPresent()) {
      java.lang.reflect.Method method = context.getTestMethod().get();
      Optional<CatalogueCases> onMethod =
          AnnotationSupport.findAnnotation(method, CatalogueCases.class);
      if (onMethod.isPresent()) {
        return Optional.of(
            new Found(
                onMethod.get(),
                method.getDeclaringClass().getSimpleName() + "." + method.getName() + "()"));
      }
    }
    for (Class<?> c = context.getRequiredTestClass(); c != null; c = c.getEnclosingClass()) {
      Optional<CatalogueCases> found = AnnotationSupport.findAnnotation(c, CatalogueCases.class);
      if (found.isPresent()) return Optional.of(new Found(found.get(), c.getSimpleName()));
    }
    return Optional.empty();
  }

  private static List<Waive> waives(ExtensionContext context) {
    List<Waive> found = new ArrayList<>();
    context
        .getTestMethod()
        .ifPresent(m -> found.addAll(AnnotationSupport.findRepeatableAnnotations(m, Waive.class)));
    for (Class<?> c = context.getRequiredTestClass(); c != null; c = c.getEnclosingClass()) {
      found.addAll(AnnotationSupport.findRepeatableAnnotations(c, Waive.class));
    }
    return found;
  }

  /**
   * Reads a waiver file: one waiver a line, a case pattern, white space, and the reason; {@code #}
   * starts a comment line.
   */
  static Map<String, String> readWaiverFile(
      String resource, List<CatalogueCase> all, ExtensionContext context) {
    String name = resource.startsWith("/") ? resource.substring(1) : resource;
    ClassLoader loader = context.getRequiredTestClass().getClassLoader();
    String text;
    java.nio.file.Path file = fileOrNull(resource);
    try (InputStream in =
        file != null
            ? java.nio.file.Files.newInputStream(file)
            : loader.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException(
            "the waiver file '"
                + resource
                + "' is neither on the test classpath nor a file; put it under"
                + " src/test/resources, or fix the name");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "the waiver file '" + resource + "' could not be read: " + e, e);
    }
    return parseWaivers(text, resource, all);
  }

  /** {@code resource} as a file that exists, else null: a classpath resource is meant. */
  private static java.nio.file.Path fileOrNull(String resource) {
    try {
      java.nio.file.Path path = java.nio.file.Path.of(resource);
      return java.nio.file.Files.isRegularFile(path) ? path : null;
    } catch (java.nio.file.InvalidPathException e) {
      return null;
    }
  }

  static Map<String, String> parseWaivers(String text, String source, List<CatalogueCase> all) {
    Map<String, String> waivers = new LinkedHashMap<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      String[] parts = line.split("\\s+", 2);
      String where = "line " + (i + 1) + " of the waiver file '" + source + "'";
      if (parts.length < 2 || parts[1].isBlank()) {
        throw new IllegalArgumentException(
            where
                + " waives '"
                + parts[0]
                + "' without a reason; write the case id, a space, and why the deviation is"
                + " accepted");
      }
      CaseSelection.requireMatches(all, List.of(parts[0]), where);
      waivers.putIfAbsent(parts[0], parts[1].strip());
    }
    return waivers;
  }

  private static Duration duration(ExtensionContext context, String key, Duration fallback) {
    String text = config(context, key);
    if (text.isBlank()) return fallback;
    return ExtensionSettings.parseDuration(text)
        .filter(d -> !d.isNegative() && !d.isZero())
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "the configuration parameter "
                        + ExtensionSettings.PREFIX
                        + key
                        + " is '"
                        + text
                        + "', which is not a positive duration; write it like 500ms or 1s"));
  }

  /** The memory budget the annotation or the configuration gives, else the default. */
  private static long memoryBudget(ExtensionContext context, Optional<Found> found) {
    Setting setting =
        setting(context, found, "memoryBudget", CatalogueCases::memoryBudget, MEMORY_BUDGET);
    if (setting.text().isEmpty()) return DEFAULT_MEMORY_BUDGET;
    if (setting.text().equalsIgnoreCase("off")) return 0; // nothing measured, nothing judged
    return positiveSize(setting.text(), setting.source(), "64MiB, or off");
  }

  /** How many messages a compressed round-trip case sends: the setting, else Autobahn's 1000. */
  private static int compressionMessages(ExtensionContext context, Optional<Found> found) {
    Setting setting =
        setting(
            context,
            found,
            "compressionMessages",
            CatalogueCases::compressionMessages,
            COMPRESSION_MESSAGES);
    String text = setting.text();
    if (text.isEmpty()) return DEFAULT_COMPRESSION_MESSAGES;
    if (!text.matches("\\d{1,4}")
        || Integer.parseInt(text) < 1
        || Integer.parseInt(text) > DEFAULT_COMPRESSION_MESSAGES) {
      throw new IllegalArgumentException(
          setting.source()
              + " is '"
              + text
              + "'; write a count of messages from 1 to Autobahn's 1000, such as 50");
    }
    return Integer.parseInt(text);
  }

  /** The message limit the annotation or the configuration gives; null: find it by bisection. */
  private static MessageLimit messageLimit(ExtensionContext context, Optional<Found> found) {
    Setting setting =
        setting(context, found, "messageLimit", CatalogueCases::messageLimit, MESSAGE_LIMIT);
    String text = setting.text();
    String source = setting.source();
    if (text.isEmpty()) return null;
    long bytes = positiveSize(text, source, "65536, 64KiB or 32MiB");
    if (bytes > MessageLimit.MAX_CONFIGURED) {
      throw new IllegalArgumentException(
          source + " is '" + text + "', more than any message a case can send; write at most 1TiB");
    }
    return MessageLimit.configured(bytes, source);
  }

  /** A setting's text, empty when not set, and where it came from, for a message. */
  private record Setting(String text, String source) {}

  /**
   * The {@code attribute} of the {@link CatalogueCases} that applies, or else the configuration
   * parameter {@code key}: the class says what its server is, a run may say it for every class.
   */
  private static Setting setting(
      ExtensionContext context,
      Optional<Found> found,
      String attribute,
      java.util.function.Function<CatalogueCases, String> value,
      String key) {
    String annotated = found.map(f -> value.apply(f.annotation())).orElse("").strip();
    if (!annotated.isEmpty()) {
      return new Setting(annotated, "@CatalogueCases(" + attribute + ") on " + found.get().where());
    }
    return new Setting(
        config(context, key), "the configuration parameter " + ExtensionSettings.PREFIX + key);
  }

  /** The size {@code text} names, or one sentence naming {@code source} and how to write one. */
  private static long positiveSize(String text, String source, String examples) {
    return ByteSize.parse(text).stream()
        .filter(b -> b >= 1)
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    source
                        + " is '"
                        + text
                        + "', which is not a size of at least one byte; write it like "
                        + examples));
  }

  private static String config(ExtensionContext context, String key) {
    return context.getConfigurationParameter(ExtensionSettings.PREFIX + key).orElse("").strip();
  }

  private static List<String> list(String commaSeparated) {
    if (commaSeparated.isBlank()) return List.of();
    return Arrays.stream(commaSeparated.split(",")).map(String::strip).toList();
  }

  private static String owner(ExtensionContext context) {
    return context
        .getTestMethod()
        .map(m -> m.getDeclaringClass().getSimpleName() + "." + m.getName() + "()")
        .orElse(context.getRequiredTestClass().getSimpleName());
  }

  /** A server the test class was given (a URI, a member, an in-process server): never restarted. */
  static CatalogueRunner.Servers fixed(ServerUnderTest server) {
    return new CatalogueRunner.Servers() {
      @Override
      public ServerUnderTest next(String user) {
        return server;
      }

      @Override
      public Judgement afterCase(ServerUnderTest used, boolean checkServing) {
        if (!checkServing) return null;
        Liveness serves = used.checkServes();
        return serves.isAlive() ? null : stoppedServing(serves);
      }

      private ResourceProbe probe; // looked for once, by the thread running the cases
      private boolean looked;

      @Override
      public ResourceProbe resources(ServerUnderTest used) {
        if (!looked) {
          looked = true;
          probe = listening(used.uri());
        }
        return probe;
      }
    };
  }

  /** The process listening on {@code uri}'s port, when its host is this machine's loopback. */
  private static ResourceProbe listening(java.net.URI uri) {
    try {
      java.net.InetAddress host = java.net.InetAddress.getByName(uri.getHost());
      if (!host.isLoopbackAddress() || !ResourceProbe.supported()) return null;
    } catch (java.net.UnknownHostException e) {
      return null;
    }
    int port =
        uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("wss") ? 443 : 80;
    return ResourceProbe.listeningOn(port).orElse(null);
  }

  /** A launched server: checked after every case, started again after a death. */
  static CatalogueRunner.Servers launched(ServerSlot slot, ExtensionSettings settings) {
    return new CatalogueRunner.Servers() {
      private LaunchedServer current; // only the thread running the cases touches it

      @Override
      public ServerUnderTest next(String user) {
        current = slot.live(user);
        return current.checkedWith(
            settings.deadline, settings.trustAllCertificates, settings.liveness, settings.upgrade);
      }

      @Override
      public Judgement afterCase(ServerUnderTest used, boolean checkServing) {
        // Every case, valid input or not: a launched process can die of anything, and a death
        // found only by the next case could not be blamed on the one that caused it.
        Liveness alive = used.checkAlive();
        if (alive.isAlive()) return null;
        if (!current.isRunning()) {
          slot.blame(current);
          return new Judgement(
              Verdict.DIED,
              io.github.wsrobustness.catalog.CloseVerdict.NOT_CHECKED,
              "the server process died during this case: " + current.exitDescription());
        }
        return stoppedServing(alive);
      }

      @Override
      public ResourceProbe resources(ServerUnderTest used) {
        return ResourceProbe.supported()
            ? ResourceProbe.processTree(current.process().pid())
            : null;
      }
    };
  }

  private static Judgement stoppedServing(Liveness liveness) {
    return new Judgement(
        Verdict.STOPPED_SERVING,
        io.github.wsrobustness.catalog.CloseVerdict.NOT_CHECKED,
        "after this case a fresh client was refused: " + liveness.description());
  }

  /** Turns a bad setting into the exception JUnit reports for a parameter. */
  static ExtensionConfigurationException misconfigured(IllegalArgumentException e) {
    return new ExtensionConfigurationException(e.getMessage(), e);
  }
}
