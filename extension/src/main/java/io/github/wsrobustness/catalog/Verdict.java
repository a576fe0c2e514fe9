package io.github.wsrobustness.catalog;

/**
 * What a catalogue case concluded about the server, with Autobahn|Testsuite's meaning for the first
 * five, plus two that only a suite which watches the server process can see.
 *
 * <p>{@link #FAILED}, {@link #DIED} and {@link #STOPPED_SERVING} fail the case's JUnit test; the
 * others pass it and show in its report entry and in the report.
 *
 * <p>Thread-safety: immutable.
 */
public enum Verdict {
  /** The server did exactly what RFC 6455 asks, at the earliest moment it could. */
  OK("OK"),
  /**
   * The server did what RFC 6455 asks, but later than it could: it failed the connection only after
   * the whole message arrived, or without first echoing the valid messages sent before the bad one.
   */
  NON_STRICT("NON-STRICT"),
  /** The case records what the server did; RFC 6455 leaves the choice to it. */
  INFORMATIONAL("INFORMATIONAL"),
  /** The server does not implement an optional feature the case needs (an extension). */
  UNIMPLEMENTED("UNIMPLEMENTED"),
  /** The server broke RFC 6455. */
  FAILED("FAILED"),
  /** The launched server process exited during the case. */
  DIED("DIED"),
  /** After the case, a fresh well-behaved client could not complete a handshake and a ping. */
  STOPPED_SERVING("STOPPED SERVING");

  private final String label;

  Verdict(String label) {
    this.label = label;
  }

  /** The verdict as reports print it: {@code NON-STRICT}, {@code STOPPED SERVING}. */
  public String label() {
    return label;
  }

  /** Whether this verdict fails the case's JUnit test (unless a waiver covers the case). */
  public boolean failsTest() {
    return this == FAILED || this == DIED || this == STOPPED_SERVING;
  }

  @Override
  public String toString() {
    return label;
  }
}
