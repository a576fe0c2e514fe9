package io.github.wsrobustness.catalog;

import java.util.Objects;

/**
 * The verdict rules' answer for one case: the verdict, the close verdict (RFC 6455 §7), and why, in
 * a sentence a person reads in a report.
 *
 * <p>Thread-safety: immutable.
 *
 * @param verdict the case's verdict
 * @param close the close verdict
 * @param reason why, naming what was expected and what came
 */
public record Judgement(Verdict verdict, CloseVerdict close, String reason) {
  /** Checks. */
  public Judgement {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(close, "close");
    Objects.requireNonNull(reason, "reason");
  }
}
