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
 * the settings once per class, launches a server process if asked, injects clients and the server,
 * closes clients after each test and launched servers after the class (both through the JUnit
 * {@link Store}), fails a test on uncaught exceptions, and attaches transcripts to failing tests.
 *
 * <p>Thread-safety: stateless; all state lives in the JUnit store, so classes and methods may run
 * in parallel.
 */
final class WebSocketRobustnessExtension
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

  /** The dynamic test running on this thread, for a catalogue case to report to. */
  private static final ThreadLocal<ExtensionContext> DYNAMIC_TEST = new ThreadLocal<>();

  @Override
  public void beforeAll(ExtensionContext context) {
    ExtensionSettings settings = settings(context);
    if (settings.target instanceof LaunchTarget && !settings.launchPerMethod) {
      serverSlot(context, settings).live("the class's first use");
    }
    UncaughtExceptions.install();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    Store store = context.getStore(NAMESPACE);
    store.put(UNCAUGHT_MARK, UncaughtExceptions.mark());
    ExtensionSettings settings = settings(context);
    if (settings.target instanceof LaunchTarget) {
      // The server this test gets: started for it, or the class's, started again if one before
      // killed it. Remembered, so that a death during this test is this test's.
      ServerSlot slot = serverSlot(context, settings);
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
    if (!(settings.target instanceof LaunchTarget) || settings.launchPerMethod) return;
    String key = slotKey(context, settings);
    boolean enclosingOwnsIt =
        context.getParent().map(p -> p.getStore(NAMESPACE).get(key) != null).orElse(false);
    if (enclosingOwnsIt) return; // a @Nested class sharing the outer server: the outer reports
    List<String> deaths = serverSlot(context, settings).unansweredDeaths();
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
    Parameter parameter = parameterContext.getParameter();
    ServerUnderTest server;
    try {
      server = serverUnderTest(context, parameterContext);
    } catch (ExtensionConfigurationException e) {
      throw new ParameterResolutionException(e.getMessage(), e);
    }
    if (parameter.getType() == ServerUnderTest.class) return server;
    if (parameter.getType() == Catalogue.class) return catalogue(context, parameterContext, server);

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
  private static Catalogue catalogue(
      ExtensionContext context, ParameterContext parameterContext, ServerUnderTest server) {
    ExtensionSettings settings = settings(context);
    CatalogueRunner.Servers servers =
        settings.target instanceof LaunchTarget
            ? CatalogueSettings.launched(serverSlot(context, settings), settings)
            : CatalogueSettings.fixed(server);
    try {
      ExtensionContext owner = classContext(context);
      return CatalogueSettings.catalogue(
          context, owner.getUniqueId(), owner.getDisplayName(), servers, settings);
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
    return classContext
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            "settings of " + classContext.getUniqueId(),
            k -> ExtensionSettings.resolve(classContext),
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
  private static ServerSlot serverSlot(ExtensionContext context, ExtensionSettings settings) {
    LaunchTarget launch = (LaunchTarget) settings.target;
    ExtensionContext owner = settings.launchPerMethod ? context : classContext(context);
    return owner
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            slotKey(context, settings),
            k -> new ServerSlot(() -> LaunchedServer.start(launch.spec())),
            ServerSlot.class);
  }

  private static String slotKey(ExtensionContext context, ExtensionSettings settings) {
    return "launched "
        + ((LaunchTarget) settings.target).spec().launchKey()
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
    if (settings.target instanceof LaunchTarget) {
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
              : serverSlot(context, settings).live("the class's first use");
      return server.checkedWith(
          settings.deadline, settings.trustAllCertificates, settings.liveness, settings.upgrade);
    }
    URI uri =
        settings.target instanceof UriTarget target
            ? target.uri()
            : readMember((MemberTarget) settings.target, context, parameterContext);
    return new RemoteServer(
        uri, settings.deadline, () -> settings.clientBuilder(uri), settings.liveness);
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
}
