package io.github.wsrobustness.frame;

/**
 * The close status codes of RFC 6455 §7.4.1 (plus 1012–1014 from the IANA registry), and the rule
 * of §7.4.2 for which codes may appear in a close frame on the wire.
 *
 * <p>Thread-safety: immutable.
 */
public enum CloseCode {
  NORMAL_CLOSURE(1000),
  GOING_AWAY(1001),
  PROTOCOL_ERROR(1002),
  UNSUPPORTED_DATA(1003),
  /** Reserved; must never be sent. */
  RESERVED_1004(1004),
  /** Means "no code was present"; must never be sent. */
  NO_STATUS_RECEIVED(1005),
  /** Means "closed without a close frame"; must never be sent. */
  ABNORMAL_CLOSURE(1006),
  INVALID_FRAME_PAYLOAD_DATA(1007),
  POLICY_VIOLATION(1008),
  MESSAGE_TOO_BIG(1009),
  MANDATORY_EXTENSION(1010),
  INTERNAL_ERROR(1011),
  SERVICE_RESTART(1012),
  TRY_AGAIN_LATER(1013),
  BAD_GATEWAY(1014),
  /** Means "the TLS handshake failed"; must never be sent. */
  TLS_HANDSHAKE(1015);

  private final int code;

  CloseCode(int code) {
    this.code = code;
  }

  /** The numeric status code. */
  public int code() {
    return code;
  }

  /** The numeric codes of {@code first} and {@code more}, for the verbs that take {@code int}s. */
  public static int[] codes(CloseCode first, CloseCode... more) {
    int[] numbers = new int[1 + more.length];
    numbers[0] = first.code;
    for (int i = 0; i < more.length; i++) numbers[i + 1] = more[i].code;
    return numbers;
  }

  /** The named code for {@code code}, or {@code null} when it has no name here. */
  public static CloseCode forCode(int code) {
    for (CloseCode candidate : values()) {
      if (candidate.code == code) return candidate;
    }
    return null;
  }

  /**
   * Whether {@code code} may appear in a close frame: 1000–1003, 1007–1014, and the registered or
   * private ranges 3000–4999. Everything else (below 1000, 1004–1006, 1015–2999, 5000 and up) is
   * invalid on the wire, and an endpoint that receives it must fail the connection with 1002.
   */
  public static boolean isAllowedOnWire(int code) {
    if (code >= 3000 && code <= 4999) return true;
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014);
  }

  /**
   * {@code 1002 (PROTOCOL_ERROR)} for one code, {@code one of 1002 (PROTOCOL_ERROR), 1007
   * (INVALID_FRAME_PAYLOAD_DATA)} for several: the phrase failure messages use.
   */
  public static String describeAny(int... codes) {
    StringBuilder out = new StringBuilder(codes.length == 1 ? "" : "one of ");
    for (int i = 0; i < codes.length; i++) {
      if (i > 0) out.append(", ");
      out.append(describe(codes[i]));
    }
    return out.toString();
  }

  /** {@code "1002 (PROTOCOL_ERROR)"}, or just the number when the code has no name. */
  public static String describe(int code) {
    CloseCode named = forCode(code);
    return named != null ? code + " (" + named.name() + ")" : Integer.toString(code);
  }
}
