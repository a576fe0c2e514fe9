package io.github.wsrobustness;

import io.github.wsrobustness.ExtensionSettings.LaunchTarget;
import io.github.wsrobustness.ExtensionSettings.MemberTarget;
import io.github.wsrobustness.ExtensionSettings.UriTarget;
import io.github.wsrobustness.UncaughtExceptions.Recorded;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.Store;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.MediaType;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.JUnitException;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.ReflectionSupport;
import org.opentest4j.AssertionFailedError;

/**
 * The JUnit Jupiter extension behind {@link io.github.wsrobustness.WebSocketRobustness}: resolves
 * the settings once per class, launches a server process if asked, injects clients, the server and
 * the {@link Catalogue}, closes clients after each test and launched servers after the class (both
 * through the JUnit {@link Store}), fails a test on uncaught exceptions, and attaches transcripts
 * to failing tests.
 *
 * <p>The annotation registers it with its attributes. To decide the settings in code instead, a
 * server started in a static initializer, a list of servers read from a file, register it with a
 * {@link #builder()} in a static {@code @RegisterExtension} field, and leave the annotation off:
 *
 * <pre>{@code
 * @RegisterExtension
 * static WebSocketRobustnessExtension robustness =
 *     WebSocketRobustnessExtension.builder()
 *         .uri("jetty", () -> URI.create("ws://127.0.0.1:" + JETTY.port() + "/echo"))
 *         .launch("node", List.of("node", "server.js", "{port}"), "ws://127.0.0.1:{port}/")
 *         .deadline(Duration.ofSeconds(5))
 *         .build();
 * }</pre>
 *
 * <p>Several servers make one catalogue report column each (a client parameter, which needs one
 * server, is refused then).
 *
 * <p>Thread-safety: immutable; all state lives in the JUnit store, so classes and methods may run
 * in parallel. RFC 6455 is what the clients it injects speak.
 */
public final class WebSocketRobustnessExtension
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        ParameterResolver,
        TestExecutionExceptionHandler,
        InvocationInterceptor {
  private static final Namespace NAMESPACE = Namespace.create(WebSocketRobustnessExtension.class);
  private static final String UNCAUGHT_MARK = "uncaughtMark";
  private static final String TESTS_SERVER = "the launched server of this test";

  private static final String REGISTRATION = "registration";

  /** The dynamic test running on this thread, for a catalogue case to report to. */
  private static final ThreadLocal<ExtensionContext> DYNAMIC_TEST = new ThreadLocal<>();

  /** What a builder said, or null when the annotation registered this. */
  private final Registration registration;

  /** The instance {@code @WebSocketRobustness} registers: settings from the annotation. */
  WebSocketRobustnessExtension() {
    this(null);
  }

  private WebSocketRobustnessExtension(Registration registration) {
    this.registration = registration;
  }

  /**
   * A builder of the extension for a {@code @RegisterExtension} field: the settings the {@link
   * WebSocketRobustness} attributes give, in code. A setting not given comes from the {@code
   * wsrobustness.*} configuration parameter, else the default, as for an attribute left empty.
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    ExtensionSettings settings = remember(context);
    if (!settings.launchPerMethod) {
      for (LaunchTarget launch : launchTargets(settings)) {
        serverSlot(context, settings, launch).live("the class's first use");
      }
    }
    UncaughtExceptions.install();
  }

  private static List<LaunchTarget> launchTargets(ExtensionSettings settings) {
    List<LaunchTarget> launches = new ArrayList<>();
    for (ExtensionSettings.NamedTarget named : settings.targets) {
      if (named.target() instanceof LaunchTarget launch) launches.add(launch);
    }
    return launches;
  }

  /**
   * The class's settings, with this instance's registration kept first where they are resolved: the
   * static helpers find it there, and a {@code @Nested} class, whose store lookups also see its
   * enclosing class's, resolves with the same registration. Called from each callback a registered
   * instance gets first: {@code beforeAll} for a static field, {@code beforeEach} or a parameter
   * for an instance field (JUnit registers those once the test instance exists).
   */
  private ExtensionSettings remember(ExtensionContext context) {
    if (registration != null) {
      classContext(context).getStore(NAMESPACE).put(REGISTRATION, registration);
    }
    return settings(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    Store store = context.getStore(NAMESPACE);
    store.put(UNCAUGHT_MARK, UncaughtExceptions.mark());
    ExtensionSettings settings = remember(context);
    if (settings.target instanceof LaunchTarget launch) {
      // The server this test gets: started for it, or the class's, started again if one before
      // killed it. Remembered, so that a death during this test is this test's. (With several
      // servers only a catalogue can use them, and it blames each death on its case.)
      ServerSlot slot = serverSlot(context, settings, launch);
      store.put(TESTS_SERVER, new TestsServer(slot, slot.live(context.getDisplayName())));
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    AssertionError death = null;
    try {
      failOnServerDeath(context);
    } catch (AssertionError e) {
      death = e;
    }
    try {
      failOnUncaughtExceptions(context);
    } catch (AssertionError e) {
      if (death == null) throw e;
      death.addSuppressed(e); // both are this test's: neither may hide the other
    }
    if (death != null) throw death;
  }

  /**
   * A class's launched server that died between tests, where no test could be blamed (it died after
   * the one that hurt it was checked), fails the class: a death never goes unnoticed.
   */
  @Override
  public void afterAll(ExtensionContext context) {
    ExtensionSettings settings = settings(context);
    if (settings.launchPerMethod) return;
    List<String> deaths = new ArrayList<>();
    for (LaunchTarget launch : launchTargets(settings)) {
      String key = slotKey(context, settings, launch);
      boolean enclosingOwnsIt =
          context.getParent().map(p -> p.getStore(NAMESPACE).get(key) != null).orElse(false);
      if (enclosingOwnsIt) continue; // a @Nested class sharing the outer server: the outer reports
      deaths.addAll(serverSlot(context, settings, launch).unansweredDeaths());
    }
    if (deaths.isEmpty()) return;
    throw new AssertionFailedError(
        "the launched server died between tests, where no test could be blamed: "
            + String.join("\n", deaths));
  }

  /**
   * A launched server that died during the test fails it, unless the test said it may, or another
   * test that ran beside it already answers for the death.
   */
  private static void failOnServerDeath(ExtensionContext context) {
    Store store = context.getStore(NAMESPACE);
    TestsServer tests = store.get(TESTS_SERVER, TestsServer.class);
    if (tests == null) return;
    // The test's clients go first: a server that serves one connection at a time must be free to
    // answer the check's.
    Clients clients = store.get(clientsKey(context), Clients.class);
    if (clients != null) clients.close();
    // A test that may kill the server answers for its death whenever it comes; one that may not
    // answers for a death the check sees now (a later one is settled after the class). Waiting
    // for a death in progress also keeps the next test from getting a dying server.
    boolean mayDie = mayKillTheServer(context);
    if (mayDie) tests.slot().blame(tests.server());
    if (tests.server().survived()) return;
    if (mayDie || tests.slot().isBlamed(tests.server())) return;
    tests.slot().blame(tests.server());
    throw new AssertionFailedError(
        "the launched server died during this test: "
            + tests.server().exitDescription()
            + "\n(annotate the test @ServerMayDie if it kills the server on purpose; the next test"
            + " gets it started again)");
  }

  /**
   * {@code @ServerMayDie} on the test method, its class, or a class around a {@code @Nested} one.
   */
  private static boolean mayKillTheServer(ExtensionContext context) {
    if (AnnotationSupport.isAnnotated(context.getTestMethod(), ServerMayDie.class)) return true;
    for (Class<?> c = context.getRequiredTestClass(); c != null; c = c.getEnclosingClass()) {
      if (AnnotationSupport.isAnnotated(c, ServerMayDie.class)) return true;
      if (!c.isMemberClass() || java.lang.reflect.Modifier.isStatic(c.getModifiers())) break;
    }
    return false;
  }

  private static void failOnUncaughtExceptions(ExtensionContext context) {
    Long mark = context.getStore(NAMESPACE).get(UNCAUGHT_MARK, Long.class);
    if (mark == null || !settings(context).failOnUncaughtExceptions) return;
    List<Recorded> thrown = UncaughtExceptions.since(mark);
    if (thrown.isEmpty()) return;
    StringBuilder message =
        new StringBuilder()
            .append(thrown.size() == 1 ? "an exception was" : thrown.size() + " exceptions were")
            .append(" thrown and not caught on another thread while the test ran")
            .append(" (set @WebSocketRobustness(uncaughtExceptions = \"ignore\") to allow it):");
    for (Recorded recorded : thrown) {
      StringWriter trace = new StringWriter();
      recorded.throwable().printStackTrace(new PrintWriter(trace));
      message
          .append("\n- on thread '")
          .append(recorded.threadName())
          .append("': ")
          .append(trace.toString().strip());
    }
    AssertionError failure = new AssertionError(message.toString());
    thrown.forEach(recorded -> failure.addSuppressed(recorded.throwable()));
    throw failure;
  }

  @Override
  public boolean supportsParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    Class<?> type = parameterContext.getParameter().getType();
    return type == RawWebSocketClient.class
        || type == ServerUnderTest.class
        || type == Catalogue.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
    remember(context);
    Parameter parameter = parameterContext.getParameter();
    if (parameter.getType() == Catalogue.class) return catalogue(context, parameterContext);
    ServerUnderTest server;
    try {
      server = serverUnderTest(context, parameterContext);
    } catch (ExtensionConfigurationException e) {
      throw new ParameterResolutionException(e.getMessage(), e);
    }
    if (parameter.getType() == ServerUnderTest.class) return server;

    boolean upgrade = !parameterContext.isAnnotated(NoHandshake.class);
    Clients clients =
        context
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(clientsKey(context), k -> new Clients(), Clients.class);
    ExtensionSettings settings = settings(context);
    try {
      // The class's @UpgradeRequest, and the method's and the parameter's on top of it.
      UpgradeOptions upgradeOptions =
          settings
              .upgrade
              .with(parameterContext.getDeclaringExecutable(), describe(parameterContext))
              .with(parameter, describe(parameterContext));
      RawWebSocketClient.Builder builder =
          settings.clientBuilder(server.uri(), upgradeOptions).serverUnderTest(server);
      RawWebSocketClient client = upgrade ? builder.connect() : builder.connectWithoutUpgrade();
      clients.add(client);
      return client;
    } catch (RuntimeException e) {
      throw new ParameterResolutionException(describe(parameterContext) + ": " + e.getMessage(), e);
    }
  }

  /**
   * The catalogue a test gets: bound to its server (a launched one through the class's slot, so
   * that a death restarts it), its cases and waivers resolved now, before any socket opens.
   */
  private static Catalogue catalogue(ExtensionContext context, ParameterContext parameterContext) {
    ExtensionSettings settings = settings(context);
    List<CatalogueSettings.NamedServers> servers = new ArrayList<>();
    List<ServerUnderTest> fixed = new ArrayList<>();
    try {
      for (ExtensionSettings.NamedTarget named : settings.targets) {
        CatalogueRunner.Servers each;
        if (named.target() instanceof LaunchTarget launch) {
          each = CatalogueSettings.launched(serverSlot(context, settings, launch), settings);
        } else {
          ServerUnderTest server = fixedServer(named.target(), settings, context, parameterContext);
          fixed.add(server);
          each = CatalogueSettings.fixed(server);
        }
        servers.add(new CatalogueSettings.NamedServers(named.name(), each));
      }
      ExtensionContext owner = classContext(context);
      Catalogue catalogue =
          CatalogueSettings.catalogue(
              context, owner.getUniqueId(), owner.getDisplayName(), servers, settings);
      // A server that does not serve before the first case would make every case STOPPED SERVING,
      // blaming each for what none did: one sentence instead. (A launched one proved it started.)
      for (ServerUnderTest server : fixed) {
        Liveness serves = server.checkServes();
        if (!serves.isAlive()) {
          throw new ExtensionConfigurationException(
              "the server at "
                  + server.uri()
                  + " does not serve before any catalogue case ran ("
                  + serves.description()
                  + "); start it first, or fix its URI");
        }
      }
      return catalogue;
    } catch (ExtensionConfigurationException e) {
      throw new ParameterResolutionException(e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new ParameterResolutionException(describe(parameterContext) + ": " + e.getMessage(), e);
    }
  }

  /** Lets a catalogue case running in a dynamic test publish its verdict and transcript. */
  @Override
  public void interceptDynamicTest(
      Invocation<Void> invocation,
      DynamicTestInvocationContext invocationContext,
      ExtensionContext extensionContext)
      throws Throwable {
    DYNAMIC_TEST.set(extensionContext);
    try {
      invocation.proceed();
    } finally {
      DYNAMIC_TEST.remove();
    }
  }

  /**
   * Publishes a case's verdict as a report entry of the dynamic test running it, and, when it fails
   * the test, its transcript as an attachment.
   */
  static void publishCaseResult(io.github.wsrobustness.catalog.CaseResult result) {
    ExtensionContext context = DYNAMIC_TEST.get();
    if (context == null) return;
    context.publishReportEntry("verdict", result.summary());
    if (result.isWaiverStale()) {
      context.publishReportEntry(
          "stale waiver", "the case passes without its waiver: " + result.waiver());
    } else if (result.waiver() != null) {
      context.publishReportEntry("waived", result.waiver());
    }
    if (!result.failsTest()) return;
    String text =
        result.target() + " — " + result.testCase().displayName() + "\n" + result.transcript();
    try {
      context.publishFile(
          "websocket-transcript.txt",
          MediaType.TEXT_PLAIN_UTF_8,
          path -> Files.writeString(path, text, StandardCharsets.UTF_8));
    } catch (JUnitException | LinkageError | UnsupportedOperationException e) {
      // This JUnit cannot attach files (older than 5.12, or outputs disabled): the failure message
      // still ends with the transcript tail.
    }
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    Clients clients = context.getStore(NAMESPACE).get(clientsKey(context), Clients.class);
    if (clients != null) {
      try {
        clients.publishTranscripts(context);
      } catch (RuntimeException e) {
        throwable.addSuppressed(e); // never let the attachment hide the test's own failure
      }
    }
    throw throwable;
  }

  /**
   * {@code RawWebSocketClient parameter 1 of ChatTest.echo()}: parameter names need -parameters.
   */
  private static String describe(ParameterContext parameterContext) {
    java.lang.reflect.Executable executable = parameterContext.getDeclaringExecutable();
    String owner = executable.getDeclaringClass().getSimpleName();
    String name =
        executable instanceof java.lang.reflect.Constructor<?>
            ? owner
            : owner + "." + executable.getName();
    return parameterContext.getParameter().getType().getSimpleName()
        + " parameter "
        + (parameterContext.getIndex() + 1)
        + " of "
        + name
        + "()";
  }

  /**
   * The key of one context's clients. Keyed by the context's id because a store lookup also sees
   * the parents' values: a class-level client must not collect the clients of every test below it.
   */
  private static String clientsKey(ExtensionContext context) {
    return "clients of " + context.getUniqueId();
  }

  /** The settings of the test class, resolved once per class (a @Nested class resolves its own). */
  private static ExtensionSettings settings(ExtensionContext context) {
    ExtensionContext classContext = classContext(context);
    Store store = classContext.getStore(NAMESPACE);
    return store.getOrComputeIfAbsent(
        "settings of " + classContext.getUniqueId(),
        k -> ExtensionSettings.resolve(classContext, store.get(REGISTRATION, Registration.class)),
        ExtensionSettings.class);
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext current = context;
    while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
      current = current.getParent().get();
    }
    return current;
  }

  /**
   * Where the launched server lives: the test method's store for a launch per method, else the
   * class's. Keyed by what is launched: a {@code @Nested} class with the same launch shares the
   * enclosing class's process (a store lookup sees its parent's values), one with its own launch
   * gets its own.
   */
  private static ServerSlot serverSlot(
      ExtensionContext context, ExtensionSettings settings, LaunchTarget launch) {
    ExtensionContext owner = settings.launchPerMethod ? context : classContext(context);
    return owner
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            slotKey(context, settings, launch),
            k -> new ServerSlot(() -> LaunchedServer.start(launch.spec())),
            ServerSlot.class);
  }

  private static String slotKey(
      ExtensionContext context, ExtensionSettings settings, LaunchTarget launch) {
    return "launched "
        + launch.spec().launchKey()
        + (settings.launchPerMethod ? " for " + context.getUniqueId() : "");
  }

  /**
   * The server a test got and the slot it came from; not closeable on purpose: JUnit closes what a
   * test's store holds when the test ends, and this server outlives the test unless its slot is per
   * method.
   */
  private record TestsServer(ServerSlot slot, LaunchedServer server) {}

  private static ServerUnderTest serverUnderTest(
      ExtensionContext context, ParameterContext parameterContext) {
    ExtensionSettings settings = settings(context);
    if (settings.target == null) {
      List<String> names = settings.targets.stream().map(t -> t.name()).toList();
      throw new ExtensionConfigurationException(
          settings.testClass.getSimpleName()
              + " names "
              + names.size()
              + " WebSocket servers ("
              + String.join(", ", names)
              + "), but the "
              + describe(parameterContext)
              + " needs one; take a Catalogue, which runs against each, or test each server in a"
              + " class of its own");
    }
    if (settings.target instanceof LaunchTarget launch) {
      // In a test, the server beforeEach chose; in a @BeforeAll or constructor, the class's.
      TestsServer chosen = context.getStore(NAMESPACE).get(TESTS_SERVER, TestsServer.class);
      if (chosen == null && settings.launchPerMethod) {
        throw new ExtensionConfigurationException(
            "launchPer = \"method\" gives each test a server of its own, so there is none for "
                + describe(parameterContext)
                + "; take the parameter in the test method, or launch per class");
      }
      LaunchedServer server =
          chosen != null && context.getTestMethod().isPresent()
              ? chosen.server()
              : serverSlot(context, settings, launch).live("the class's first use");
      return server.checkedWith(
          settings.deadline, settings.trustAllCertificates, settings.liveness, settings.upgrade);
    }
    return fixedServer(settings.target, settings, context, parameterContext);
  }

  /** A server the extension does not launch, at the URI its target gives now. */
  private static ServerUnderTest fixedServer(
      ExtensionSettings.Target target,
      ExtensionSettings settings,
      ExtensionContext context,
      ParameterContext parameterContext) {
    URI uri;
    if (target instanceof UriTarget given) {
      uri = given.uri();
    } else if (target instanceof ExtensionSettings.SuppliedTarget supplied) {
      uri = readSupplier(supplied);
    } else {
      uri = readMember((MemberTarget) target, context, parameterContext);
    }
    return new RemoteServer(
        uri, settings.deadline, () -> settings.clientBuilder(uri), settings.liveness);
  }

  private static URI readSupplier(ExtensionSettings.SuppliedTarget supplied) {
    URI uri;
    try {
      uri = supplied.supplier().get();
    } catch (RuntimeException e) {
      throw new ExtensionConfigurationException(
          "the supplier of " + supplied.describe() + " threw " + e, e);
    }
    if (uri == null) {
      throw new ExtensionConfigurationException(
          "the supplier of "
              + supplied.describe()
              + " gave null; start the server before the first test needs it");
    }
    return ExtensionSettings.parseUri(uri.toString(), supplied.describe());
  }

  /**
   * Reads a {@code @WebSocketTarget} member now, when the test needs it: other extensions ran
   * first.
   */
  private static URI readMember(
      MemberTarget target, ExtensionContext context, ParameterContext parameterContext) {
    Object instance = null;
    if (!target.isStatic()) {
      Class<?> declaring = target.member().getDeclaringClass();
      Optional<Object> found =
          context
              .getTestInstances()
              .flatMap(instances -> instances.findInstance(declaring).map(Object.class::cast));
      if (found.isEmpty()) {
        throw new ExtensionConfigurationException(
            target.describe()
                + " is not static, but the "
                + describe(parameterContext)
                + " is needed before a test instance exists (in a constructor or @BeforeAll method);"
                + " make the member static or take the parameter in the test method");
      }
      instance = found.get();
    }
    Object value;
    try {
      value =
          target.member() instanceof Field field
              ? ReflectionSupport.tryToReadFieldValue(field, instance).get()
              : ReflectionSupport.invokeMethod((Method) target.member(), instance);
    } catch (Exception e) {
      throw new ExtensionConfigurationException(target.describe() + " could not be read: " + e, e);
    }
    if (value == null) {
      throw new ExtensionConfigurationException(
          target.describe()
              + " is null when the test runs; assign it before the first test needs the server");
    }
    if (value instanceof URI uri)
      return ExtensionSettings.parseUri(uri.toString(), target.describe());
    if (value instanceof String text) return ExtensionSettings.parseUri(text, target.describe());
    int port = (Integer) value;
    if (port <= 0 || port > 65535) {
      throw new ExtensionConfigurationException(
          target.describe()
              + " holds port "
              + port
              + " when the test runs; start the server before the test"
              + " needs it, so that the member holds its real port");
    }
    String path = target.path().startsWith("/") ? target.path() : "/" + target.path();
    return ExtensionSettings.parseUri("ws://127.0.0.1:" + port + path, target.describe());
  }

  /** The clients of one test; JUnit closes them (and so their sockets) after the test. */
  // Also a CloseableResource: JUnit before 5.13 closes only those, and so would leave it open.
  @SuppressWarnings("deprecation")
  private static final class Clients
      implements AutoCloseable, ExtensionContext.Store.CloseableResource {
    private final List<RawWebSocketClient> clients = new ArrayList<>();

    synchronized void add(RawWebSocketClient client) {
      clients.add(client);
    }

    synchronized void publishTranscripts(ExtensionContext context) {
      for (int i = 0; i < clients.size(); i++) {
        String name =
            clients.size() == 1
                ? "websocket-transcript.txt"
                : "websocket-transcript-" + (i + 1) + ".txt";
        String text = clients.get(i).uri() + "\n" + clients.get(i).transcript();
        try {
          context.publishFile(
              name,
              MediaType.TEXT_PLAIN_UTF_8,
              path -> Files.writeString(path, text, StandardCharsets.UTF_8));
        } catch (JUnitException | LinkageError | UnsupportedOperationException e) {
          // This JUnit cannot attach files (older than 5.12, or outputs disabled as in
          // EngineTestKit by
          // default): the failure message still ends with the transcript tail.
          return;
        }
      }
    }

    @Override
    public synchronized void close() {
      clients.forEach(RawWebSocketClient::close);
    }
  }

  /**
   * Builds a {@link WebSocketRobustnessExtension} for a {@code @RegisterExtension} field. Each
   * method is one {@link WebSocketRobustness} attribute, checked when called: a mistake fails the
   * class before any socket opens, with one sentence naming the call and the fix.
   *
   * <p>Thread-safety: not thread-safe; build in one place, a static initializer say.
   */
  public static final class Builder {
    private final List<Registration.Entry> targets = new ArrayList<>();
    private java.time.Duration deadline;
    private Boolean failOnUncaughtExceptions;
    private boolean trustAllCertificates;
    private ServingChecks liveness;
    private Boolean launchPerMethod;
    private String launchDirectory;
    private final java.util.Map<String, String> launchEnvironment = new java.util.LinkedHashMap<>();
    private java.util.regex.Pattern readyWhenOutputMatches;
    private java.time.Duration readyDeadline;
    private final List<String[]> headers = new ArrayList<>();
    private final List<String> redactedHeaders = new ArrayList<>();
    private List<String> subprotocols = List.of();
    private List<String> extensions = List.of();
    private String origin = "";

    private Builder() {}

    /**
     * As {@link UpgradeRequest#headers()}: a header every client's upgrade request carries. Pass
     * credentials with {@link #redactHeader}, so that reports never show them.
     */
    public Builder header(String name, String value) {
      if (name == null
          || name.isBlank()
          || value == null
          || (name + value).chars().anyMatch(c -> c == '\r' || c == '\n')
          || name.contains(":")) {
        throw new IllegalArgumentException(
            "WebSocketRobustnessExtension.builder().header(\""
                + name
                + "\", \""
                + value
                + "\") is not a header; give a name without ':' and a value, neither with a line"
                + " break");
      }
      headers.add(new String[] {name.strip(), value.strip()});
      return this;
    }

    /** As {@link UpgradeRequest#redactHeaders()}: the header's value never appears in a report. */
    public Builder redactHeader(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException(
            "WebSocketRobustnessExtension.builder().redactHeader(\""
                + name
                + "\") names no header; give its name, like \"Authorization\"");
      }
      redactedHeaders.add(name.strip());
      return this;
    }

    /** As {@link UpgradeRequest#subprotocols()}: offered in {@code Sec-WebSocket-Protocol}. */
    public Builder subprotocols(String... subprotocols) {
      this.subprotocols = List.of(subprotocols);
      return this;
    }

    /** As {@link UpgradeRequest#extensions()}: offered in {@code Sec-WebSocket-Extensions}. */
    public Builder extensions(String... extensions) {
      this.extensions = List.of(extensions);
      return this;
    }

    /** As {@link UpgradeRequest#origin()}. */
    public Builder origin(String origin) {
      this.origin = origin == null ? "" : origin;
      return this;
    }

    /** A server at {@code uri} ({@code ws://} or {@code wss://}), named by the test class. */
    public Builder uri(String uri) {
      return add(
          new Registration.Entry(null, checkUri(uri, "uri(\"" + uri + "\")"), null, null, null));
    }

    /** A server at {@code uri}, named {@code name} in the catalogue report. */
    public Builder uri(String name, String uri) {
      return add(
          new Registration.Entry(
              checkName(name),
              checkUri(uri, "uri(\"" + name + "\", \"" + uri + "\")"),
              null,
              null,
              null));
    }

    /**
     * A server whose URI is known only once it runs: {@code uri} is asked when a test first needs
     * the server, after other extensions (Spring's, Testcontainers') started it.
     */
    public Builder uri(String name, java.util.function.Supplier<URI> uri) {
      if (uri == null) {
        throw new IllegalArgumentException(
            "WebSocketRobustnessExtension.builder().uri(\""
                + name
                + "\", null) has no supplier; pass one that returns the server's URI");
      }
      return add(new Registration.Entry(checkName(name), null, uri, null, null));
    }

    /**
     * A server process to launch, as {@link WebSocketRobustness#launch()} does, reached at {@code
     * ws://127.0.0.1:{port}/}, named by the test class.
     */
    public Builder launch(String... command) {
      return add(new Registration.Entry(null, null, null, checkCommand(command), null));
    }

    /**
     * A server process to launch, named {@code name}, reached at {@code uriTemplate} (where {@code
     * {port}} is its port), as {@link WebSocketRobustness#uri()} names a launched server's URI.
     */
    public Builder launch(String name, List<String> command, String uriTemplate) {
      String[] parts = command == null ? null : command.toArray(new String[0]);
      if (uriTemplate == null || uriTemplate.isBlank()) {
        throw new IllegalArgumentException(
            "WebSocketRobustnessExtension.builder().launch(\""
                + name
                + "\", …) has no URI template; give one like \"ws://127.0.0.1:{port}/\"");
      }
      checkUri(
          uriTemplate.replace(LaunchedServer.PORT_PLACEHOLDER, "1"),
          "launch(\"" + name + "\", …, \"" + uriTemplate + "\")");
      return add(
          new Registration.Entry(checkName(name), null, null, checkCommand(parts), uriTemplate));
    }

    /** As {@link WebSocketRobustness#launchDirectory()}: where launched servers start. */
    public Builder launchDirectory(String directory) {
      launchDirectory = directory;
      return this;
    }

    /** As one {@link WebSocketRobustness#launchEnvironment()} entry; {@code {port}} is replaced. */
    public Builder launchEnvironment(String name, String value) {
      if (name == null || name.isBlank() || name.contains("=") || value == null) {
        throw new IllegalArgumentException(
            "WebSocketRobustnessExtension.builder().launchEnvironment(\""
                + name
                + "\", \""
                + value
                + "\") is not a variable; give a name without '=' and a value, like (\"PORT\","
                + " \"{port}\")");
      }
      launchEnvironment.put(name, value);
      return this;
    }

    /** As {@link WebSocketRobustness#readyWhenOutputMatches()}. */
    public Builder readyWhenOutputMatches(String regex) {
      try {
        readyWhenOutputMatches = java.util.regex.Pattern.compile(regex);
      } catch (java.util.regex.PatternSyntaxException | NullPointerException e) {
        throw new IllegalArgumentException(
            "WebSocketRobustnessExtension.builder().readyWhenOutputMatches(\""
                + regex
                + "\") is not a regular expression; fix it, like \"listening on (\\\\d+)\"",
            e);
      }
      return this;
    }

    /** As {@link WebSocketRobustness#readyDeadline()}. */
    public Builder readyDeadline(java.time.Duration readyDeadline) {
      this.readyDeadline = positive(readyDeadline, "readyDeadline");
      return this;
    }

    /** As {@code launchPer = "method"}: a fresh process for every test. */
    public Builder launchPerMethod() {
      launchPerMethod = true;
      return this;
    }

    /** As {@link WebSocketRobustness#deadline()}: how long any one wait may take. */
    public Builder deadline(java.time.Duration deadline) {
      this.deadline = positive(deadline, "deadline");
      return this;
    }

    /** As {@link WebSocketRobustness#trustAllCertificatesInsecurely()}. */
    public Builder trustAllCertificatesInsecurely() {
      trustAllCertificates = true;
      return this;
    }

    /** As {@code uncaughtExceptions = "ignore"}. */
    public Builder ignoreUncaughtExceptions() {
      failOnUncaughtExceptions = false;
      return this;
    }

    /**
     * As {@link WebSocketRobustness#liveness()}: {@code handshake}, {@code ping} or {@code echo}.
     */
    public Builder liveness(String check) {
      ServingChecks named = check == null ? null : ServingChecks.named(check);
      if (named == null) {
        throw new IllegalArgumentException(
            "WebSocketRobustnessExtension.builder().liveness(\""
                + check
                + "\") names no check; give handshake, ping or echo, or pass a ServingCheck");
      }
      liveness = named;
      return this;
    }

    /** As {@link WebSocketRobustness#liveness()} naming a class: what serving means here. */
    public Builder liveness(ServingCheck check) {
      if (check == null) {
        throw new IllegalArgumentException(
            "WebSocketRobustnessExtension.builder().liveness(null) has no check; pass a"
                + " ServingCheck, or leave liveness out for the ping check");
      }
      liveness = ServingChecks.custom(check);
      return this;
    }

    /**
     * The extension.
     *
     * @throws IllegalArgumentException when no server was named
     */
    public WebSocketRobustnessExtension build() {
      if (targets.isEmpty()) {
        throw new IllegalArgumentException(
            "WebSocketRobustnessExtension.builder() names no server; call uri(...) or"
                + " launch(...) before build()");
      }
      return new WebSocketRobustnessExtension(
          new Registration(
              List.copyOf(targets),
              deadline,
              failOnUncaughtExceptions,
              trustAllCertificates,
              liveness,
              launchPerMethod,
              launchDirectory,
              java.util.Map.copyOf(launchEnvironment),
              readyWhenOutputMatches,
              readyDeadline,
              UpgradeOptions.of(headers, subprotocols, extensions, origin, redactedHeaders)));
    }

    private Builder add(Registration.Entry entry) {
      if (!targets.isEmpty()) {
        String name = entry.nameOrDerived();
        for (Registration.Entry other : targets) {
          if (other.nameOrDerived().equals(name)) {
            throw new IllegalArgumentException(
                "WebSocketRobustnessExtension.builder() names two servers \""
                    + name
                    + "\"; give each its own name, as in uri(\"jetty\", …)");
          }
        }
      }
      targets.add(entry);
      return this;
    }

    private static String checkName(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException(
            "a server named \""
                + name
                + "\" in WebSocketRobustnessExtension.builder() has no name; give the name its"
                + " report column should have");
      }
      return name.strip();
    }

    private static URI checkUri(String uri, String call) {
      try {
        return RawWebSocketClient.builder(uri).uri();
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new IllegalArgumentException(
            "WebSocketRobustnessExtension.builder()." + call + ": " + e.getMessage(), e);
      }
    }

    private static List<String> checkCommand(String[] command) {
      if (command == null
          || command.length == 0
          || java.util.Arrays.stream(command).anyMatch(p -> p == null || p.isBlank())) {
        throw new IllegalArgumentException(
            "WebSocketRobustnessExtension.builder().launch("
                + (command == null ? "null" : java.util.Arrays.toString(command))
                + ") is not a command; give the program and its arguments, as in"
                + " launch(\"node\", \"server.js\", \"{port}\")");
      }
      return List.of(command);
    }

    private static java.time.Duration positive(java.time.Duration value, String method) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(
            "WebSocketRobustnessExtension.builder()."
                + method
                + "("
                + value
                + ") is not a positive duration; give one like Duration.ofSeconds(5)");
      }
      return value;
    }
  }
}
