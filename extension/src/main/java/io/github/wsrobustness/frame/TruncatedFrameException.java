package io.github.wsrobustness.frame;

import java.io.EOFException;
import java.util.List;
import okio.ByteString;

/**
 * The stream ended inside a frame (RFC 6455 §5.2); carries what did arrive so it can be reported:
 * the header bytes, the first payload bytes, how many payload bytes came in all, and the violations
 * the header already showed.
 *
 * <p>Thread-safety: immutable.
 */
public final class TruncatedFrameException extends EOFException {
  private static final long serialVersionUID = 1L;

  private final ByteString header;
  private final boolean headerComplete;
  private final ByteString partialPayload;
  private final long declaredLength;
  private final long payloadBytesReceived;
  private final List<String> violations;

  TruncatedFrameException(
      ByteString header,
      boolean headerComplete,
      ByteString partialPayload,
      long declaredLength,
      long payloadBytesReceived,
      List<String> violations) {
    super(
        !headerComplete
            ? "stream ended inside a frame header after " + header.size() + " bytes"
            : "stream ended inside a frame after "
                + payloadBytesReceived
                + " of "
                + Long.toUnsignedString(declaredLength)
                + " payload bytes");
    this.header = header;
    this.headerComplete = headerComplete;
    this.partialPayload = partialPayload;
    this.declaredLength = declaredLength;
    this.payloadBytesReceived = payloadBytesReceived;
    this.violations = List.copyOf(violations);
  }

  /** The header bytes received (all of them, or the part that arrived). */
  public ByteString header() {
    return header;
  }

  /**
   * The first payload bytes received before the end (all of them, up to the reader's limit), still
   * masked if the frame was.
   */
  public ByteString partialPayload() {
    return partialPayload;
  }

  /** Whether the whole header arrived, so that the stream ended in the payload. */
  public boolean isHeaderComplete() {
    return headerComplete;
  }

  /**
   * The declared payload length (unsigned; 2^64-1 reads as -1), or -1 when the header itself was
   * cut short ({@link #isHeaderComplete()} tells the two apart).
   */
  public long declaredLength() {
    return declaredLength;
  }

  /** How many payload bytes arrived before the end, kept or not. */
  public long payloadBytesReceived() {
    return payloadBytesReceived;
  }

  /** The violations the complete header already showed (empty when the header was cut short). */
  public List<String> violations() {
    return violations;
  }
}
