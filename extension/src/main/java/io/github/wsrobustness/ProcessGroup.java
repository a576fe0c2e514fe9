package io.github.wsrobustness;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Ties a launched server's whole process group to this JVM, so that nothing it started outlives the
 * test run, however the run ends: the server starts in a session of its own ({@code setsid}), so it
 * and every process it forks, double-forked daemons included, share one process group; and a small
 * watchdog shell holds a pipe from this JVM and kills that group when the pipe closes. A pipe
 * closes when the JVM exits for any reason, {@code kill -9} included, so the group never outlives
 * the JVM by more than the watchdog's grace.
 *
 * <p>Where there is no {@code setsid} and {@code /bin/sh} (on macOS, on Windows), {@link
 * #supported()} is false and the launcher falls back to killing the process tree it can see, on
 * close and at JVM exit; a SIGKILL of the JVM then leaves the server running.
 *
 * <p>Thread-safety: immutable; {@link #release()} may be called from any thread, more than once.
 */
final class ProcessGroup {
  private static final String SETSID = findOnPath("setsid");
  private static final boolean SHELL = new File("/bin/sh").canExecute();

  /**
   * Waits for its input to end (this JVM closed the pipe, or died), then asks the group to end,
   * gives it 5 s, and kills what is left. {@code $1} is the group's id. A member that exited but is
   * not yet reaped (a zombie: init reaps orphans only every second or so here) counts as ended,
   * which {@code kill -0} cannot tell, so the members are read from {@code /proc} where there is
   * one. No {@code --} before a negative id: dash, Debian's {@code /bin/sh}, takes it for a pid. It
   * ignores the signals a terminal or CI sends to a whole process group (and runs in a session of
   * its own besides): a Ctrl-C meant for the JVM must not take the watchdog first.
   */
  private static final String WATCHDOG =
      "trap '' INT HUP TERM QUIT\n"
          + "g=\"$1\"\n"
          + "running() {\n"
          + "  [ -d /proc/self ] || { kill -0 -\"$g\" 2>/dev/null; return; }\n"
          + "  for f in /proc/[0-9]*/stat; do\n"
          + "    read -r l < \"$f\" 2>/dev/null || continue\n"
          + "    set -- ${l##*\\) }\n" // the fields after "(comm) ": state, ppid, pgrp
          + "    [ \"$3\" = \"$g\" ] && [ \"$1\" != Z ] && return 0\n"
          + "  done\n"
          + "  return 1\n"
          + "}\n"
          + "cat > /dev/null\n"
          + "running || exit 0\n"
          + "kill -TERM -\"$g\" 2>/dev/null\n"
          + "i=0\n"
          + "while [ $i -lt 50 ] && running; do sleep 0.1; i=$((i+1)); done\n"
          + "running && kill -KILL -\"$g\" 2>/dev/null\n"
          + "exit 0\n";

  private final Process watchdog;
  private final OutputStream pipe;

  private ProcessGroup(Process watchdog) {
    this.watchdog = watchdog;
    this.pipe = watchdog.getOutputStream();
  }

  /** Whether process groups and the watchdog work here. */
  static boolean supported() {
    return SETSID != null && SHELL;
  }

  /** {@code command}, to be started as the leader of a new session and process group. */
  static List<String> leaderOf(List<String> command) {
    List<String> wrapped = new ArrayList<>(command.size() + 1);
    wrapped.add(SETSID);
    wrapped.addAll(command);
    return wrapped;
  }

  /**
   * Starts the watchdog of the group whose leader is {@code leader}, started through {@link
   * #leaderOf}: {@code setsid} runs in the child it is given, which is no group leader, so it makes
   * that very process the leader and its pid the group's id.
   */
  static ProcessGroup watch(Process leader) throws IOException {
    Process watchdog =
        new ProcessBuilder(
                SETSID,
                "/bin/sh",
                "-c",
                WATCHDOG,
                "wsrobustness-watchdog",
                Long.toString(leader.pid()))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    return new ProcessGroup(watchdog);
  }

  /** Lets the watchdog end the group: closes the pipe it waits on. Idempotent. */
  void release() {
    try {
      pipe.close();
    } catch (IOException e) {
      // Closed already, or the watchdog is gone: either way the pipe is closed, which is the point.
    }
  }

  /** The watchdog, which ends once the group is gone. */
  Process watchdog() {
    return watchdog;
  }

  private static String findOnPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) return null;
    for (String directory : path.split(File.pathSeparator)) {
      File candidate = new File(directory, program);
      if (candidate.canExecute()) return candidate.getAbsolutePath();
    }
    return null;
  }
}
