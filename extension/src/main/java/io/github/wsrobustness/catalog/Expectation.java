package io.github.wsrobustness.catalog;

import io.github.wsrobustness.http.HttpStatus;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a conforming server does in a case, as data the verdict rules read.
 *
 * <ul>
 *   <li>{@link Kind#ECHO}: it sends back exactly {@link #frames()}; the client then closes with
 *       1000 and the server must complete the close handshake and drop TCP.
 *   <li>{@link Kind#FAIL}: it fails the connection (RFC 6455 §7.1.7) with one of {@link #codes()}
 *       or by dropping TCP, having sent exactly {@link #frames()} first (the echoes of the valid
 *       messages before the bad frame): OK; having sent nothing where echoes were due: NON-STRICT.
 *   <li>{@link Kind#FAIL_FAST}: as {@code FAIL}, and when it fails counts: OK during the step that
 *       sends the invalid part ({@link #invalidStep()}) or the wait right after it, NON-STRICT
 *       later, FAILED before it (it rejected the valid part).
 *   <li>{@link Kind#CLOSE_REPLY}: the script sends a close frame; the server replies with one of
 *       {@link #codes()} ({@link #NO_CODE}: an empty close payload) or, where 1002 is allowed,
 *       drops TCP, having sent exactly {@link #frames()} before.
 *   <li>{@link Kind#ECHO_OR_FAIL}: either as {@code ECHO}, or it fails the connection with one of
 *       {@link #codes()} or a TCP drop, having sent no more than the start of {@link #frames()}:
 *       where the client's input breaks a SHOULD or a limit the server may set, and RFC 6455 lets
 *       the server take it or refuse it.
 *   <li>{@link Kind#SURVIVE}: nothing is due on this connection (the client reset it); the case
 *       passes when the server lives on and serves a fresh client afterwards.
 *   <li>{@link Kind#REFUSED}: the script sends an opening handshake the server must refuse (RFC
 *       6455 §4.2.1, §4.4): OK with a status {@link #statuses()} allows (any 4xx by default, and
 *       the header token {@link #headerToken()} names when it names one); NON-STRICT with another
 *       refusal or a drop; FAILED with a 101, with silence until the deadline, or with an answer
 *       that is not HTTP.
 *   <li>{@link Kind#ANSWERED}: the script sends an opening handshake the server may take or refuse;
 *       it must answer (any status) or drop the connection within the deadline, and live on: a
 *       parser that spins or crashes on the request fails. With a {@link #headerToken()}, an
 *       upgrade must not list it ({@link #declines}): an offer the server must decline.
 *   <li>{@link Kind#INFORMATIONAL}: anything goes; the case records what the server did.
 * </ul>
 *
 * <p>Thread-safety: immutable.
 */
public final class Expectation {
  /** The kinds of expectation. */
  public enum Kind {
    /** Echo, then a clean close started by the client. */
    ECHO,
    /** Fail the connection. */
    FAIL,
    /** Fail the connection as soon as the invalid part arrives. */
    FAIL_FAST,
    /** Answer the client's close frame. */
    CLOSE_REPLY,
    /** Echo, or fail the connection: the server's choice. */
    ECHO_OR_FAIL,
    /** Nothing is due on the connection; the server must live on. */
    SURVIVE,
    /** Refuse the opening handshake. */
    REFUSED,
    /** Answer the opening handshake, either way, in time. */
    ANSWERED,
    /** Nothing is required. */
    INFORMATIONAL
  }

  /** In {@link #codes()}: a close frame with no payload. */
  public static final int NO_CODE = -1;

  private final Kind kind;
  private final List<Expected> frames;
  private final int[] codes;
  private final Set<CloseVerdict> fatalCloses;
  private final int invalidStep;
  private final Duration timeout;
  private final List<HttpStatus> statuses;
  private final String[] headerToken;

  /** Memory the server may grow by beyond the run's budget; -1: its memory is not checked. */
  private final long memoryAllowance;

  private Expectation(
      Kind kind,
      List<Expected> frames,
      int[] codes,
      Set<CloseVerdict> fatalCloses,
      int invalidStep,
      Duration timeout) {
    this(kind, frames, codes, fatalCloses, invalidStep, timeout, List.of(), null, -1);
  }

  private Expectation(
      Kind kind,
      List<Expected> frames,
      int[] codes,
      Set<CloseVerdict> fatalCloses,
      int invalidStep,
      Duration timeout,
      List<HttpStatus> statuses,
      String[] headerToken,
      long memoryAllowance) {
    this.memoryAllowance = memoryAllowance;
    this.statuses = List.copyOf(statuses);
    this.headerToken = headerToken;
    this.kind = kind;
    this.frames = List.copyOf(frames);
    this.codes = codes.clone();
    this.fatalCloses = fatalCloses.isEmpty() ? Set.of() : EnumSet.copyOf(fatalCloses);
    this.invalidStep = invalidStep;
    this.timeout = timeout;
  }

  /** The server echoes {@code frames} and completes a close the client starts with 1000. */
  public static Expectation echo(List<Expected> frames) {
    return new Expectation(Kind.ECHO, frames, new int[] {1000}, Set.of(), -1, null);
  }

  /** The server fails the connection with one of {@code codes} or a drop, after {@code frames}. */
  public static Expectation fail(List<Expected> frames, int... codes) {
    return new Expectation(Kind.FAIL, frames, codes, Set.of(), -1, null);
  }

  /**
   * The server fails the connection with one of {@code codes} or a drop while or right after step
   * {@code invalidStep} runs.
   */
  public static Expectation failFast(int invalidStep, int... codes) {
    return new Expectation(Kind.FAIL_FAST, List.of(), codes, Set.of(), invalidStep, null);
  }

  /** The server replies to the script's close with one of {@code codes}, after {@code frames}. */
  public static Expectation closeReply(List<Expected> frames, int... codes) {
    return new Expectation(Kind.CLOSE_REPLY, frames, codes, Set.of(), -1, null);
  }

  /**
   * The server either echoes {@code frames} and completes a close the client starts with 1000, or
   * fails the connection with one of {@code codes} or a drop after sending no more than the start
   * of {@code frames}.
   */
  public static Expectation echoOrFail(List<Expected> frames, int... codes) {
    return new Expectation(Kind.ECHO_OR_FAIL, frames, codes, Set.of(), -1, null);
  }

  /** Nothing is due on the connection; the server must live on and serve a fresh client. */
  public static Expectation survive() {
    return new Expectation(Kind.SURVIVE, List.of(), new int[0], Set.of(), -1, null);
  }

  /**
   * The server refuses the opening handshake the script sends: OK with one of {@code statuses}
   * (none named: any 4xx, as §4.2.1 asks for a request it finds invalid), NON-STRICT with another
   * refusal or a drop.
   */
  public static Expectation refused(HttpStatus... statuses) {
    List<HttpStatus> allowed =
        statuses.length == 0 ? List.of(HttpStatus.clientError()) : List.of(statuses);
    return new Expectation(
        Kind.REFUSED, List.of(), new int[0], Set.of(), -1, null, allowed, null, -1);
  }

  /**
   * The same, where an OK refusal must also carry {@code token} in header {@code name} (§4.4: a
   * version the server does not speak is answered with the versions it does); on {@link
   * Kind#ANSWERED}, where an upgrade must not list it ({@link #declines}).
   */
  public Expectation withHeaderToken(String name, String token) {
    return new Expectation(
        kind,
        frames,
        codes,
        fatalCloses,
        invalidStep,
        timeout,
        statuses,
        new String[] {name, token},
        memoryAllowance);
  }

  /** The server answers the opening handshake (any status) or drops it, in time, and lives on. */
  public static Expectation answered() {
    return new Expectation(Kind.ANSWERED, List.of(), new int[0], Set.of(), -1, null);
  }

  /**
   * The server answers an opening handshake that offers an extension it must decline (RFC 7692 §7):
   * it may upgrade, but its header {@code name} must not list {@code token} (an element of that
   * name, parameters or not), or refuse; accepting the offer fails.
   */
  public static Expectation declines(String name, String token) {
    return answered().withHeaderToken(name, token);
  }

  /** Anything goes. */
  public static Expectation informational() {
    return new Expectation(Kind.INFORMATIONAL, List.of(), new int[0], Set.of(), -1, null);
  }

  /**
   * The same, where these close verdicts make the case FAILED, as Autobahn's section 7 does with a
   * wrong close code; elsewhere a bad close is reported beside the verdict.
   */
  public Expectation fatalOn(CloseVerdict... closes) {
    Set<CloseVerdict> fatal = EnumSet.noneOf(CloseVerdict.class);
    fatal.addAll(fatalCloses);
    fatal.addAll(List.of(closes));
    return new Expectation(
        kind, frames, codes, fatal, invalidStep, timeout, statuses, headerToken, memoryAllowance);
  }

  /** The same, waiting at most {@code timeout} for the server (the limits cases). */
  public Expectation within(Duration timeout) {
    return new Expectation(
        kind,
        frames,
        codes,
        fatalCloses,
        invalidStep,
        timeout,
        statuses,
        headerToken,
        memoryAllowance);
  }

  /**
   * The same, where the server's memory may grow during the case by at most the run's budget
   * ({@code wsrobustness.catalogue.memoryBudget}): input a server must not keep, such as a length
   * it must not allocate or a flood it must not buffer. The runner measures the server where it can
   * (a launched process, or one listening on a loopback port of this machine) and fails the case
   * with the figures when it grows past the budget.
   */
  public Expectation withinMemoryBudget() {
    return withinMemoryBudgetPlus(0);
  }

  /**
   * As {@link #withinMemoryBudget()}, with {@code bytes} more allowed: a message up to the server's
   * limit, which it may hold.
   */
  public Expectation withinMemoryBudgetPlus(long bytes) {
    if (bytes < 0) throw new IllegalArgumentException("a memory allowance cannot be negative");
    return new Expectation(
        kind, frames, codes, fatalCloses, invalidStep, timeout, statuses, headerToken, bytes);
  }

  /** Whether the server's memory is checked against the run's budget. */
  public boolean checksMemory() {
    return memoryAllowance >= 0;
  }

  /** Bytes the server may grow by beyond the run's budget; -1 when memory is not checked. */
  public long memoryAllowance() {
    return memoryAllowance;
  }

  /** The kind. */
  public Kind kind() {
    return kind;
  }

  /** What the server must send (see the kinds). */
  public List<Expected> frames() {
    return frames;
  }

  /** The close codes allowed from the server. */
  public int[] codes() {
    return codes.clone();
  }

  /**
   * Whether the server may close with {@code code}. A close frame with no code ({@link #NO_CODE})
   * is always allowed: RFC 6455 §5.5.1 makes the code optional, and Autobahn flags a wrong code
   * only when there is one.
   */
  public boolean allows(int code) {
    if (code == NO_CODE) return true;
    for (int allowed : codes) if (allowed == code) return true;
    return false;
  }

  /** Whether the server may fail the connection by dropping TCP instead of a close frame. */
  public boolean allowsDrop() {
    return kind == Kind.FAIL
        || kind == Kind.FAIL_FAST
        || kind == Kind.ECHO_OR_FAIL
        || (kind == Kind.CLOSE_REPLY && allows(1002));
  }

  /** Whether {@code close} makes the case FAILED. */
  public boolean isFatal(CloseVerdict close) {
    return fatalCloses.contains(close);
  }

  /** The close verdicts that make the case FAILED. */
  public Set<CloseVerdict> fatalCloses() {
    return fatalCloses;
  }

  /** For {@link Kind#FAIL_FAST}: the index of the step that sends the invalid part. */
  public int invalidStep() {
    return invalidStep;
  }

  /** For {@link Kind#REFUSED}: the statuses of an OK refusal. */
  public List<HttpStatus> statuses() {
    return statuses;
  }

  /** For {@link Kind#REFUSED}: the header and token an OK refusal carries, or null for none. */
  public String[] headerToken() {
    return headerToken == null ? null : headerToken.clone();
  }

  /** The case's own outer bound for waiting on the server, or null for the run's deadline. */
  public Duration timeout() {
    return timeout;
  }

  /** The expectation in words, for reports. */
  public String describe() {
    String codeList =
        Arrays.stream(codes)
            .mapToObj(c -> c == NO_CODE ? "no code" : Integer.toString(c))
            .collect(Collectors.joining(" or "));
    String sent =
        frames.isEmpty()
            ? "nothing"
            : frames.stream().map(Expected::describe).collect(Collectors.joining("; "));
    String fatal =
        fatalCloses.isEmpty()
            ? ""
            : " A close verdict of "
                + fatalCloses.stream().map(CloseVerdict::label).collect(Collectors.joining(" or "))
                + " fails the case.";
    return describeKind(codeList, sent, fatal) + memory();
  }

  private String describeKind(String codeList, String sent, String fatal) {
    return switch (kind) {
      case ECHO ->
          (frames.isEmpty()
                  ? "The server echoes each message of the round trips (each compared as it comes,"
                      + " inflated when compressed) and sends nothing else"
                  : "The server sends back " + sent)
              + "; the client then closes with 1000 and the server must reply with 1000 and drop"
              + " TCP."
              + within()
              + fatal;
      case FAIL ->
          "The server fails the connection: a close frame with "
              + codeList
              + ", or a TCP drop."
              + (frames.isEmpty()
                  ? " It sends nothing else first."
                  : " OK when it first sends "
                      + sent
                      + "; NON-STRICT when it fails without sending them.")
              + fatal;
      case FAIL_FAST ->
          "The server keeps the connection through the valid part and fails it with "
              + codeList
              + " (or a TCP drop) as soon as the invalid part arrives: OK; only after the whole"
              + " message: NON-STRICT."
              + fatal;
      case CLOSE_REPLY ->
          "The server replies to the close with "
              + codeList
              + (allowsDrop() ? " (or drops TCP)" : "")
              + " and then drops TCP; before that it sends "
              + sent
              + "."
              + fatal;
      case ECHO_OR_FAIL ->
          "The server may take the input or refuse it: either it sends back "
              + sent
              + " and completes the client's close with 1000, or it fails the connection with "
              + codeList
              + " (or a TCP drop). Anything else, a wait until the deadline included, fails."
              + fatal;
      case REFUSED ->
          "The server refuses the handshake with "
              + HttpStatus.describeAny(statuses.toArray(new HttpStatus[0]))
              + (headerToken == null
                  ? ""
                  : " and a " + headerToken[0] + " header listing " + headerToken[1])
              + ": OK; with another refusal or by dropping the connection: NON-STRICT; a 101, no"
              + " answer within the deadline, or an answer that is not HTTP: FAILED.";
      case ANSWERED ->
          headerToken == null
              ? "The server may take the request or refuse it, but answers it (or drops the"
                  + " connection) within the deadline, and lives on."
              : "The server upgrades with no "
                  + headerToken[1]
                  + " in its "
                  + headerToken[0]
                  + " header, or refuses the request, within the deadline, and lives on;"
                  + " accepting the offer fails.";
      case SURVIVE ->
          "Nothing is due on this connection: the server must live on and serve a fresh client"
              + " afterwards.";
      case INFORMATIONAL -> "Informational: RFC 6455 lets the server choose; the case records it.";
    };
  }

  private String within() {
    return timeout == null ? "" : " Within " + timeout.toSeconds() + " s.";
  }

  private String memory() {
    if (memoryAllowance < 0) return "";
    return " Its memory grows by at most the run's budget"
        + (memoryAllowance == 0
            ? "."
            : " and "
                + (memoryAllowance % (1 << 20) == 0
                    ? (memoryAllowance >> 20) + " MiB."
                    : String.format(java.util.Locale.ROOT, "%,d", memoryAllowance) + " bytes."));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Expectation e
        && kind == e.kind
        && frames.equals(e.frames)
        && Arrays.equals(codes, e.codes)
        && fatalCloses.equals(e.fatalCloses)
        && invalidStep == e.invalidStep
        && Objects.equals(timeout, e.timeout)
        && statuses.equals(e.statuses)
        && Arrays.equals(headerToken, e.headerToken)
        && memoryAllowance == e.memoryAllowance;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        kind,
        frames,
        Arrays.hashCode(codes),
        fatalCloses,
        invalidStep,
        timeout,
        statuses,
        Arrays.hashCode(headerToken),
        memoryAllowance);
  }

  @Override
  public String toString() {
    return describe();
  }
}
