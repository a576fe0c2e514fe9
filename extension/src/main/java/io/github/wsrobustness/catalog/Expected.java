package io.github.wsrobustness.catalog;

import io.github.wsrobustness.frame.Opcode;
import io.github.wsrobustness.frame.Previews;
import java.util.Objects;
import okio.ByteString;

/**
 * One thing a case expects the server to send: a data message with exactly these bytes, a data
 * message of this length (the limits cases, which do not compare content), or a pong echoing a
 * ping's payload (RFC 6455 §5.5.3).
 *
 * <p>Thread-safety: immutable.
 *
 * @param kind a message or a pong
 * @param opcode the message's opcode, or {@link Opcode#PONG}'s
 * @param payload the exact bytes; null when only the length counts
 * @param length the length in bytes
 */
public record Expected(Received.Kind kind, int opcode, ByteString payload, long length) {
  /** Checks. */
  public Expected {
    Objects.requireNonNull(kind, "kind");
  }

  /** A text message with exactly this payload. */
  public static Expected text(ByteString payload) {
    return new Expected(Received.Kind.MESSAGE, Opcode.TEXT.value(), payload, payload.size());
  }

  /** A text message. */
  public static Expected text(String payload) {
    return text(ByteString.encodeUtf8(payload));
  }

  /** A binary message with exactly this payload. */
  public static Expected binary(ByteString payload) {
    return new Expected(Received.Kind.MESSAGE, Opcode.BINARY.value(), payload, payload.size());
  }

  /** A message with this opcode and length, content not compared. */
  public static Expected messageOfLength(int opcode, long length) {
    return new Expected(Received.Kind.MESSAGE, opcode, null, length);
  }

  /** A pong with exactly this payload. */
  public static Expected pong(ByteString payload) {
    return new Expected(Received.Kind.PONG, Opcode.PONG.value(), payload, payload.size());
  }

  /** Whether {@code received} is what this expects. */
  public boolean matches(Received received) {
    if (received.kind() != kind || received.length() != length) return false;
    if (kind == Received.Kind.MESSAGE && received.opcode() != opcode) return false;
    return payload == null || (received.isWhole() && received.payload().equals(payload));
  }

  /** {@code text message, 5 bytes: "hello"}. */
  public String describe() {
    String name =
        kind == Received.Kind.PONG
            ? "pong"
            : Opcode.describe(opcode).toLowerCase(java.util.Locale.ROOT) + " message";
    String size = length + (length == 1 ? " byte" : " bytes");
    if (payload == null) return name + " of " + size + " (content not compared)";
    if (length == 0) return name + ", " + size;
    boolean text = kind == Received.Kind.MESSAGE && opcode == Opcode.TEXT.value();
    return name
        + ", "
        + size
        + ": "
        + (text ? Previews.text(payload, 60) : Previews.hex(payload, 24));
  }
}
