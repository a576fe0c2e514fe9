package io.github.wsrobustness;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * What a {@link WebSocketRobustnessExtension.Builder} was told, already checked: the settings that
 * {@code @WebSocketRobustness} attributes give otherwise. A null setting was not given, so the
 * configuration parameter or the default applies, as for an attribute left empty.
 *
 * <p>Thread-safety: immutable (the suppliers are the caller's).
 */
record Registration(
    List<Entry> targets,
    Duration deadline,
    Boolean failOnUncaughtExceptions,
    boolean trustAllCertificates,
    ServingChecks liveness,
    Boolean launchPerMethod,
    String launchDirectory,
    Map<String, String> launchEnvironment,
    Pattern readyWhenOutputMatches,
    Duration readyDeadline,
    UpgradeOptions upgrade) {

  /**
   * One server: a URI, a supplier read when a test first needs it, or a command to launch with the
   * URI template to reach it. The name is null when the caller gave none.
   */
  record Entry(
      String name, URI uri, Supplier<URI> supplier, List<String> command, String uriTemplate) {

    /** The name a report column gets when several servers share a class and this has none. */
    String nameOrDerived() {
      if (name != null) return name;
      if (uri != null) return uri.toString();
      if (command != null) return String.join(" ", command);
      return "server";
    }

    /** How a message names this target: the builder call that made it. */
    String describe() {
      String quotedName = name == null ? "" : "\"" + name + "\", ";
      if (uri != null)
        return "WebSocketRobustnessExtension.builder().uri(" + quotedName + "\"" + uri + "\")";
      if (command != null) {
        return "WebSocketRobustnessExtension.builder().launch(" + quotedName + command + ")";
      }
      return "WebSocketRobustnessExtension.builder().uri(" + quotedName + "supplier)";
    }
  }
}
