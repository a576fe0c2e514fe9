package io.github.wsrobustness.catalog;

import java.util.List;
import java.util.Objects;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * One case of the catalogue, as data with no I/O: an id (Autobahn|Testsuite's, for its cases), the
 * section it belongs to, a title, the RFC clause it checks, what it sends in words, a script and an
 * expectation. The script is made when the case runs, so the limits cases hold their megabytes only
 * then.
 *
 * <p>Thread-safety: immutable; {@link #script()} makes a fresh list each time.
 */
public final class CatalogueCase {
  private final String id;
  private final Section section;
  private final String title;
  private final String rfc;
  private final String description;
  private final Supplier<List<Step>> script;
  private final Expectation expectation;

  /** For a case sized by the server's message limit: the case at a given limit; else null. */
  private final LongFunction<CatalogueCase> atLimit;

  /** Whether the case reports the server's message limit itself (and sends nothing of its own). */
  private final boolean reportsLimit;

  /**
   * Whether the case sends text at the limit, which holds only when text has no limit of its own.
   */
  private final boolean sizedForText;

  /** The {@code Sec-WebSocket-Extensions} elements the case's client offers; empty: none. */
  private final List<String> offers;

  CatalogueCase(
      String id,
      Section section,
      String title,
      String rfc,
      String description,
      Supplier<List<Step>> script,
      Expectation expectation) {
    this.id = Objects.requireNonNull(id);
    this.section = Objects.requireNonNull(section);
    this.title = Objects.requireNonNull(title);
    this.rfc = Objects.requireNonNull(rfc);
    this.description = Objects.requireNonNull(description);
    this.script = Objects.requireNonNull(script);
    this.expectation = Objects.requireNonNull(expectation);
    this.atLimit = null;
    this.reportsLimit = false;
    this.sizedForText = false;
    this.offers = List.of();
  }

  /**
   * A case sized by the server's message limit: {@code template} says what it is in words, {@code
   * atLimit} makes the case to run once the limit is known. {@code reportsLimit}: the case that
   * only reports the limit.
   */
  CatalogueCase(
      CatalogueCase template,
      LongFunction<CatalogueCase> atLimit,
      boolean reportsLimit,
      boolean sizedForText) {
    this.id = template.id;
    this.section = template.section;
    this.title = template.title;
    this.rfc = template.rfc;
    this.description = template.description;
    this.script = template.script;
    this.expectation = template.expectation;
    this.atLimit = Objects.requireNonNull(atLimit);
    this.reportsLimit = reportsLimit;
    this.sizedForText = sizedForText;
    this.offers = template.offers;
  }

  private CatalogueCase(CatalogueCase original, List<String> offers) {
    this.id = original.id;
    this.section = original.section;
    this.title = original.title;
    this.rfc = original.rfc;
    this.description = original.description;
    this.script = original.script;
    this.expectation = original.expectation;
    this.atLimit =
        original.atLimit == null ? null : limit -> original.atLimit.apply(limit).offering(offers);
    this.reportsLimit = original.reportsLimit;
    this.sizedForText = original.sizedForText;
    this.offers = List.copyOf(offers);
  }

  /** This case with its client offering {@code offers} in {@code Sec-WebSocket-Extensions}. */
  CatalogueCase offering(List<String> offers) {
    return new CatalogueCase(this, offers);
  }

  /**
   * The extensions the case's client offers in its opening handshake, each an element of {@code
   * Sec-WebSocket-Extensions} ({@code permessage-deflate; client_max_window_bits}); empty: none. A
   * case that offers permessage-deflate and is not about the offer itself needs the server to agree
   * (RFC 7692 §5, §7): when it does not, the case is not run (INFORMATIONAL), as Autobahn's are
   * UNIMPLEMENTED.
   */
  public List<String> offers() {
    return offers;
  }

  /** The id, such as {@code 6.4.1}. */
  public String id() {
    return id;
  }

  /** The (sub)section, such as {@code 6.4 Fail-fast on invalid UTF-8}. */
  public Section section() {
    return section;
  }

  /** A short title: {@code text frame, empty payload}. */
  public String title() {
    return title;
  }

  /** {@code id — title}, the display name of the case's test. */
  public String displayName() {
    return id + " \u2014 " + title;
  }

  /** The RFC clause the case checks: {@code RFC 6455 §5.6}, {@code RFC 7692 §7.2}. */
  public String rfc() {
    return rfc;
  }

  /** What the client sends, in words, with any pause the script replaces by an event. */
  public String description() {
    return description;
  }

  /** A fresh script. */
  public List<Step> script() {
    return script.get();
  }

  /** What a conforming server does. */
  public Expectation expectation() {
    return expectation;
  }

  /**
   * Whether the case is sized by the server's message limit (family R9): it runs as {@link
   * #atLimit(long)} makes it, once the runner knows the limit (a setting of the run, or found by
   * bisection).
   */
  public boolean dependsOnLimit() {
    return atLimit != null;
  }

  /** Whether the case sends text messages at the limit (the limit found may be binary's alone). */
  public boolean sizedForText() {
    return sizedForText;
  }

  /** Whether this is the case that reports the server's message limit, and sends nothing else. */
  public boolean reportsLimit() {
    return reportsLimit;
  }

  /**
   * This case sized for a server whose message limit is {@code limit} bytes: the largest message it
   * must take.
   *
   * @throws IllegalStateException if the case does not {@link #dependsOnLimit()}
   */
  public CatalogueCase atLimit(long limit) {
    if (atLimit == null) throw new IllegalStateException(id + " does not depend on a limit");
    if (limit < 1) throw new IllegalArgumentException("a message limit is at least 1: " + limit);
    return atLimit.apply(limit);
  }

  /** Whether the case sends input a server must reject (so liveness is checked after it). */
  public boolean sendsInvalidInput() {
    Expectation.Kind kind = expectation.kind();
    return kind == Expectation.Kind.FAIL
        || kind == Expectation.Kind.FAIL_FAST
        || (kind == Expectation.Kind.CLOSE_REPLY && expectation.allowsDrop())
        || kind == Expectation.Kind.ECHO_OR_FAIL
        || kind == Expectation.Kind.SURVIVE
        || kind == Expectation.Kind.REFUSED
        || kind == Expectation.Kind.ANSWERED
        || kind == Expectation.Kind.INFORMATIONAL;
  }

  @Override
  public String toString() {
    return displayName();
  }

  /**
   * A section of the catalogue: {@code 6} is {@code UTF-8 handling}, {@code 6.4} is {@code
   * Fail-fast on invalid UTF-8}.
   *
   * @param id the section's number, {@code 6} or {@code 6.4}
   * @param name its name
   * @param top the top-level section's number and name, {@code 6 UTF-8 handling}
   */
  public record Section(String id, String name, String top) {
    /** {@code 6.4 Fail-fast on invalid UTF-8}. */
    @Override
    public String toString() {
      return id + " " + name;
    }

    /** The top-level section's number: {@code 6}. */
    public String topId() {
      int dot = id.indexOf('.');
      return dot < 0 ? id : id.substring(0, dot);
    }
  }
}
