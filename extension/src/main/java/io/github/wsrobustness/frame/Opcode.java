package io.github.wsrobustness.frame;

/**
 * The six opcodes RFC 6455 §5.2 defines, and helpers that name any of the sixteen values of the
 * nibble.
 *
 * <p>{@link Frame} carries the opcode as a plain {@code int} so that the reserved values 0x3–0x7
 * and 0xB–0xF can be sent too; this enum names the ones that mean something.
 *
 * <p>Thread-safety: immutable.
 */
public enum Opcode {
  CONTINUATION(0x0),
  TEXT(0x1),
  BINARY(0x2),
  CLOSE(0x8),
  PING(0x9),
  PONG(0xA);

  private final int value;

  Opcode(int value) {
    this.value = value;
  }

  /** The nibble as it appears on the wire. */
  public int value() {
    return value;
  }

  /**
   * Whether this is a control opcode (close, ping, pong), which §5.5 limits to 125 bytes and one
   * frame.
   */
  public boolean isControl() {
    return isControl(value);
  }

  /** Whether {@code opcode} has the control bit (0x8) set, reserved control opcodes included. */
  public static boolean isControl(int opcode) {
    return (opcode & 0x8) != 0;
  }

  /**
   * Whether {@code opcode} is one of the values §5.2 reserves for future use (0x3–0x7, 0xB–0xF).
   */
  public static boolean isReserved(int opcode) {
    return forValue(opcode) == null;
  }

  /** The defined opcode with this nibble, or {@code null} for a reserved one. */
  public static Opcode forValue(int opcode) {
    return opcode >= 0 && opcode <= 0xF ? BY_NIBBLE[opcode] : null;
  }

  /** A readable name for any nibble: {@code "TEXT"}, or {@code "reserved 0x3"}. */
  public static String describe(int opcode) {
    return opcode >= 0 && opcode <= 0xF ? NAMES[opcode] : String.format("0x%X", opcode);
  }

  // Looked up for every frame a flooding server sends: worked out once.
  private static final Opcode[] BY_NIBBLE = new Opcode[16];
  private static final String[] NAMES = new String[16];

  static {
    for (int nibble = 0; nibble < 16; nibble++)
      NAMES[nibble] = String.format("reserved 0x%X", nibble);
    for (Opcode opcode : values()) {
      BY_NIBBLE[opcode.value] = opcode;
      NAMES[opcode.value] = opcode.name();
    }
  }
}
