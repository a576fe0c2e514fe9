package io.github.wsrobustness;

/**
 * The opening handshake (RFC 6455 §4.1) did not complete: no response before the deadline, the
 * connection ended, a status other than 101, or a 101 whose {@code Upgrade}, {@code Connection} or
 * {@code Sec-WebSocket-Accept} is wrong. The message says which; {@link #response()} holds what the
 * server answered, if anything.
 *
 * <p>Thread-safety: immutable.
 */
public final class HandshakeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient HandshakeResponse response;

  HandshakeException(String message, HandshakeResponse response, Throwable cause) {
    super(message, cause);
    this.response = response;
  }

  /** The server's response, or null when none was read. */
  public HandshakeResponse response() {
    return response;
  }
}
