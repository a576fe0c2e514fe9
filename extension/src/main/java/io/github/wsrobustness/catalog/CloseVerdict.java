package io.github.wsrobustness.catalog;

/**
 * How the connection of a catalogue case ended, judged against RFC 6455 §7 the way Autobahn's
 * "close behaviour" column does. In sections 6 and 7 a close verdict other than {@link #CLEAN} or
 * {@link #DROPPED} (or {@link #NOT_CHECKED}) makes the case {@link Verdict#FAILED}; elsewhere it is
 * reported beside the verdict.
 *
 * <p>Thread-safety: immutable.
 */
public enum CloseVerdict {
  /** The close handshake completed as expected and the server then ended TCP (§7.1.1). */
  CLEAN("clean"),
  /** The server failed the connection by dropping TCP without a close frame (§7.1.7 allows it). */
  DROPPED("dropped"),
  /** The server's close frame carried a code the case does not allow (§7.4). */
  WRONG_CODE("wrong code"),
  /** No close frame came from the server where one was due: the close handshake never completed. */
  UNCLEAN("unclean"),
  /**
   * The wrong side started the close: the server closed a connection it should have kept, or the
   * client had to close one the server should have failed.
   */
  WRONG_ENDPOINT("wrong endpoint"),
  /** The close handshake completed, but the server kept TCP open afterwards (§7.1.1). */
  TCP_NOT_DROPPED("server did not drop TCP"),
  /** The case does not judge the close (informational cases). */
  NOT_CHECKED("not checked");

  private final String label;

  CloseVerdict(String label) {
    this.label = label;
  }

  /** The verdict as reports print it. */
  public String label() {
    return label;
  }

  /** Whether the close went as the case expects. */
  public boolean isGood() {
    return this == CLEAN || this == DROPPED || this == NOT_CHECKED;
  }

  @Override
  public String toString() {
    return label;
  }
}
