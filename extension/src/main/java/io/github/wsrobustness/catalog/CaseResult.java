package io.github.wsrobustness.catalog;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One case run against one target: the record every report is made from (JSON, the HTML matrix, the
 * JUnit report entries), with the verdict on the RFC 6455 clause the case checks.
 *
 * <p>Thread-safety: immutable.
 *
 * @param target the target's name, a column of the matrix (the test class's display name)
 * @param testCase the case
 * @param judgement the verdict, the close verdict and why
 * @param closeCode the code of the server's close frame, if one came with a code
 * @param closeReason the reason of the server's close frame ("" for none)
 * @param duration how long the case took, liveness check excluded
 * @param script the steps the client carried out, one line each
 * @param transcript what crossed the socket, bounded in size
 * @param waiver the reason of the waiver that covers the case, or null
 */
public record CaseResult(
    String target,
    CatalogueCase testCase,
    Judgement judgement,
    OptionalInt closeCode,
    String closeReason,
    Duration duration,
    List<String> script,
    String transcript,
    String waiver) {
  /** Checks and copies. */
  public CaseResult {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(testCase, "testCase");
    Objects.requireNonNull(judgement, "judgement");
    Objects.requireNonNull(closeCode, "closeCode");
    Objects.requireNonNull(closeReason, "closeReason");
    Objects.requireNonNull(duration, "duration");
    script = List.copyOf(script);
    Objects.requireNonNull(transcript, "transcript");
  }

  /** The case's verdict. */
  public Verdict verdict() {
    return judgement.verdict();
  }

  /** Whether the case fails its JUnit test: a failing verdict no waiver covers. */
  public boolean failsTest() {
    return verdict().failsTest() && waiver == null;
  }

  /** Whether a waiver covers the case although it would pass without one. */
  public boolean isWaiverStale() {
    return waiver != null && !verdict().failsTest();
  }

  /** {@code NON-STRICT, close wrong code}: the verdict and any close verdict worth showing. */
  public String summary() {
    CloseVerdict close = judgement.close();
    String text = verdict().label();
    if (close != CloseVerdict.CLEAN && close != CloseVerdict.NOT_CHECKED) {
      text += ", close " + close.label();
    }
    if (waiver != null) text += isWaiverStale() ? " (stale waiver)" : " (waived)";
    return text;
  }
}
