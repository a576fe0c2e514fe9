package io.github.wsrobustness.http;

/**
 * An HTTP status a handshake assertion accepts: one code ({@code HttpStatus.of(426)}) or a whole
 * class ({@link #clientError()}, any 4xx). RFC 6455 §4.2.1 says what a server must refuse but not
 * always with which status: a missing key is "400 Bad Request" in §4.2.1, and one server answers
 * 400 where another answers 403 or 426, so a portable test names the class (RFC 9110 §15).
 *
 * <pre>{@code
 * ws.assertHandshakeRejected(HttpStatus.clientError());                  // any 4xx
 * ws.assertHandshakeRejected(HttpStatus.of(426), HttpStatus.of(400));    // either code
 * }</pre>
 *
 * <p>Thread-safety: immutable.
 */
public final class HttpStatus {
  private final int low;
  private final int high;

  private HttpStatus(int low, int high) {
    this.low = low;
    this.high = high;
  }

  /** Exactly {@code status}, 100 to 599 (RFC 9110 §15). */
  public static HttpStatus of(int status) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException(
          "HttpStatus.of("
              + status
              + ") names no HTTP status; a status is 100 to 599, and a class is"
              + " HttpStatus.clientError() or HttpStatus.serverError()");
    }
    return new HttpStatus(status, status);
  }

  /** Any 2xx: the server took the request as plain HTTP (a page where an upgrade was asked for). */
  public static HttpStatus success() {
    return new HttpStatus(200, 299);
  }

  /** Any 3xx: the server sent the client elsewhere (RFC 6455 §4.1 lets a client follow it). */
  public static HttpStatus redirection() {
    return new HttpStatus(300, 399);
  }

  /** Any 4xx: the server blames the request (RFC 9110 §15.5). */
  public static HttpStatus clientError() {
    return new HttpStatus(400, 499);
  }

  /** Any 5xx: the server blames itself (RFC 9110 §15.6). */
  public static HttpStatus serverError() {
    return new HttpStatus(500, 599);
  }

  /** Whether {@code status} is this code, or in this class. */
  public boolean matches(int status) {
    return status >= low && status <= high;
  }

  /** Whether {@code status} matches any of {@code statuses}. */
  public static boolean anyMatches(int status, HttpStatus... statuses) {
    for (HttpStatus accepted : statuses) if (accepted.matches(status)) return true;
    return false;
  }

  /**
   * {@code statuses} as failure messages show them, the verbs' and the AssertJ classes' alike:
   * {@code HTTP 400 or 426}, {@code any 4xx or HTTP 500}.
   */
  public static String describeAny(HttpStatus... statuses) {
    StringBuilder out = new StringBuilder();
    boolean codesOnly = true;
    for (HttpStatus status : statuses) codesOnly &= status.low == status.high;
    for (HttpStatus status : statuses) {
      if (out.length() > 0) out.append(" or ");
      out.append(codesOnly && out.length() > 0 ? Integer.toString(status.low) : status.toString());
    }
    return out.toString();
  }

  /** {@code HTTP 426} for one code, {@code any 4xx} for a class: what failure messages show. */
  @Override
  public String toString() {
    return low == high ? "HTTP " + low : "any " + low / 100 + "xx";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof HttpStatus that && low == that.low && high == that.high;
  }

  @Override
  public int hashCode() {
    return low * 1000 + high;
  }
}
