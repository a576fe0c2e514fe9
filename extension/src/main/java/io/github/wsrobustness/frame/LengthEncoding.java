package io.github.wsrobustness.frame;

/**
 * How a frame's payload length is written on the wire (RFC 6455 §5.2): in the 7-bit field alone, as
 * 126 followed by 16 bits, or as 127 followed by 64 bits. The protocol demands the shortest
 * encoding that fits; forcing a longer one produces a non-minimal, illegal header.
 *
 * <p>Thread-safety: immutable.
 */
public enum LengthEncoding {
  /**
   * The length itself in the 7-bit field: 0–127 (126 and 127 there mean a longer field follows).
   */
  SEVEN_BIT(0x7f),
  /** 126 in the 7-bit field, then an unsigned 16-bit length. */
  SIXTEEN_BIT(0xffff),
  /**
   * 127 in the 7-bit field, then a 64-bit length (the top bit must be clear, but can be set here).
   */
  SIXTY_FOUR_BIT(-1L);

  private final long maxValue;

  LengthEncoding(long maxValue) {
    this.maxValue = maxValue;
  }

  /** The shortest encoding RFC 6455 allows for {@code length} (read as unsigned). */
  public static LengthEncoding minimalFor(long length) {
    if (length >= 0 && length <= WebSocketProtocol.PAYLOAD_BYTE_MAX) return SEVEN_BIT;
    if (length >= 0 && length <= WebSocketProtocol.PAYLOAD_SHORT_MAX) return SIXTEEN_BIT;
    return SIXTY_FOUR_BIT;
  }

  /** Whether {@code length} (read as unsigned) fits this field. */
  public boolean fits(long length) {
    return this == SIXTY_FOUR_BIT || (length >= 0 && length <= maxValue);
  }

  /** {@code 7-bit}, {@code 16-bit} or {@code 64-bit}. */
  public String label() {
    return switch (this) {
      case SEVEN_BIT -> "7-bit";
      case SIXTEEN_BIT -> "16-bit";
      case SIXTY_FOUR_BIT -> "64-bit";
    };
  }

  /** Bytes this encoding adds after the first two header bytes. */
  public int extraBytes() {
    return switch (this) {
      case SEVEN_BIT -> 0;
      case SIXTEEN_BIT -> 2;
      case SIXTY_FOUR_BIT -> 8;
    };
  }
}
