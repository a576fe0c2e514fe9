package io.github.wsrobustness;

import java.util.Objects;

/**
 * A verdict on a {@link ServerUnderTest}: alive or not, and a sentence saying why, such as {@code
 * served a fresh client (handshake and ping/pong in 4 ms)} or {@code process exited with code 1}
 * followed by its output.
 *
 * <p>Thread-safety: immutable. RFC 6455 §5.5.2: serving is shown by a pong to a fresh client's
 * ping.
 */
public final class Liveness {
  private final boolean alive;
  private final String description;

  private Liveness(boolean alive, String description) {
    this.alive = alive;
    this.description = Objects.requireNonNull(description, "description");
  }

  /** An alive verdict, with what showed it. */
  public static Liveness alive(String description) {
    return new Liveness(true, description);
  }

  /** A dead verdict, with what showed it. */
  public static Liveness dead(String description) {
    return new Liveness(false, description);
  }

  /** The verdict. */
  public boolean isAlive() {
    return alive;
  }

  /** What the check found, in words, for failure messages. */
  public String description() {
    return description;
  }

  @Override
  public String toString() {
    return (alive ? "alive: " : "not alive: ") + description;
  }
}
