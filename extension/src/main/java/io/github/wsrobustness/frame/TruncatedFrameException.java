package io.github.wsrobustness.frame;

import java.io.EOFException;
import okio.ByteString;

/**
 * The stream ended inside a frame (RFC 6455 §5.2); carries the bytes that did arrive so they can be
 * reported.
 *
 * <p>Thread-safety: immutable.
 */
public final class TruncatedFrameException extends EOFException {
  private static final long serialVersionUID = 1L;

  private final ByteString header;
  private final ByteString partialPayload;
  private final long declaredLength;

  TruncatedFrameException(ByteString header, ByteString partialPayload, long declaredLength) {
    super(
        declaredLength < 0
            ? "stream ended inside a frame header after " + header.size() + " bytes"
            : "stream ended inside a frame after "
                + partialPayload.size()
                + " of "
                + Long.toUnsignedString(declaredLength)
                + " payload bytes");
    this.header = header;
    this.partialPayload = partialPayload;
    this.declaredLength = declaredLength;
  }

  /** The header bytes received (all of them, or the part that arrived). */
  public ByteString header() {
    return header;
  }

  /** The payload bytes received before the end, still masked if the frame was. */
  public ByteString partialPayload() {
    return partialPayload;
  }

  /** The declared payload length, or -1 when the header itself was cut short. */
  public long declaredLength() {
    return declaredLength;
  }
}
