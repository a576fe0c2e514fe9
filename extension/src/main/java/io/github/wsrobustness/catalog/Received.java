package io.github.wsrobustness.catalog;

import io.github.wsrobustness.frame.Opcode;
import io.github.wsrobustness.frame.Previews;
import java.util.Objects;
import okio.ByteString;

/**
 * One thing the server sent during a case, as the verdict rules compare it: a whole data message
 * (fragments joined, RFC 6455 §5.4), a ping or a pong (§5.5.2, §5.5.3). The client's own probe
 * pongs are never among them.
 *
 * <p>Thread-safety: immutable.
 *
 * @param kind a message, a ping or a pong
 * @param opcode the message's opcode (1 text, 2 binary) or the control frame's
 * @param payload the bytes kept: all of them unless {@code length} is larger (the client keeps a
 *     bounded part of a huge message)
 * @param length the real length in bytes
 */
public record Received(Kind kind, int opcode, ByteString payload, long length) {
  /** What arrived. */
  public enum Kind {
    /** A complete data message. */
    MESSAGE,
    /** A ping frame. */
    PING,
    /** A pong frame. */
    PONG
  }

  /** Checks. */
  public Received {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(payload, "payload");
  }

  /** Whether every byte is kept. */
  public boolean isWhole() {
    return payload.size() == length;
  }

  /** {@code text message, 5 bytes: "hello"}. */
  public String describe() {
    String name =
        switch (kind) {
          case MESSAGE -> Opcode.describe(opcode).toLowerCase(java.util.Locale.ROOT) + " message";
          case PING -> "ping";
          case PONG -> "pong";
        };
    return name + ", " + length + (length == 1 ? " byte" : " bytes") + preview();
  }

  private String preview() {
    if (length == 0) return "";
    boolean text = kind == Kind.MESSAGE && opcode == Opcode.TEXT.value();
    return ": " + (text ? Previews.text(payload, 60) : Previews.hex(payload, 24));
  }
}
