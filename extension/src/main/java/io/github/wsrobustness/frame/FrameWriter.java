package io.github.wsrobustness.frame;

import static io.github.wsrobustness.frame.WebSocketProtocol.B0_FLAG_FIN;
import static io.github.wsrobustness.frame.WebSocketProtocol.B0_MASK_OPCODE;
import static io.github.wsrobustness.frame.WebSocketProtocol.B1_FLAG_MASK;
import static io.github.wsrobustness.frame.WebSocketProtocol.PAYLOAD_LONG;
import static io.github.wsrobustness.frame.WebSocketProtocol.PAYLOAD_SHORT;

import java.io.IOException;
import java.util.Objects;
import java.util.Random;
import okio.Buffer;
import okio.BufferedSink;
import okio.Source;

/**
 * Encodes {@link Frame}s to bytes exactly as they say (RFC 6455 §5.2), legal or not: it never sets
 * a missing MASK bit, clears a reserved bit, shortens a length field or makes a declared length
 * true.
 *
 * <p>Masking (§5.3) happens in place over Okio's buffer segments, a chunk at a time, so a streamed
 * payload of any size passes through a bounded buffer. A frame without a chosen key gets a fresh
 * one from the injected {@link Random}, so tests can seed it.
 *
 * <p>Thread-safety: not thread-safe; a writer belongs to one connection, whose owner serialises
 * writes.
 */
public final class FrameWriter {
  /** How much of a streamed payload is read, masked and written at a time. */
  static final long CHUNK_SIZE = 64 * 1024;

  private final Random random;

  /** A writer drawing masking keys from {@code random}. */
  public FrameWriter(Random random) {
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * Returns the masking key this frame will be written with: its own, a fresh random one, or none.
   */
  public byte[] chooseMaskKey(Frame frame) {
    if (!frame.isMasked()) return null;
    byte[] key = frame.maskKey();
    if (key != null) return key;
    key = new byte[4];
    random.nextBytes(key);
    return key;
  }

  /**
   * Writes the header of {@code frame} (with {@code maskKey}, or none when null) to {@code sink}.
   */
  public static void writeHeader(Frame frame, byte[] maskKey, BufferedSink sink)
      throws IOException {
    int b0 = frame.opcode() & B0_MASK_OPCODE | frame.rsvFlags();
    if (frame.isFin()) b0 |= B0_FLAG_FIN;
    sink.writeByte(b0);

    int maskBit = frame.isMasked() ? B1_FLAG_MASK : 0;
    long length = frame.declaredLength();
    switch (frame.lengthEncoding()) {
      case SEVEN_BIT -> sink.writeByte(maskBit | (int) length);
      case SIXTEEN_BIT -> sink.writeByte(maskBit | PAYLOAD_SHORT).writeShort((int) length);
      case SIXTY_FOUR_BIT -> sink.writeByte(maskBit | PAYLOAD_LONG).writeLong(length);
    }
    if (maskKey != null) sink.write(maskKey);
  }

  /**
   * Writes {@code frame}, header and payload, to {@code sink} and returns the masking key used
   * (null when unmasked). Flushes nothing: the caller decides where writes are cut.
   */
  public byte[] write(Frame frame, BufferedSink sink) throws IOException {
    byte[] key = chooseMaskKey(frame);
    writeHeader(frame, key, sink);
    try (Source payload = frame.openPayload()) {
      Buffer chunk = new Buffer();
      long remaining = frame.payloadLength();
      long keyIndex = 0;
      while (remaining > 0) {
        long read = payload.read(chunk, Math.min(CHUNK_SIZE, remaining));
        if (read == -1) break; // The source ended early; the header now overstates, as written.
        if (key != null) keyIndex = WebSocketProtocol.toggleMask(chunk, 0, read, key, keyIndex);
        sink.write(chunk, read);
        remaining -= read;
      }
    }
    return key;
  }

  /** Encodes {@code frame} into a new buffer; for frames small enough to hold in memory. */
  public Buffer encode(Frame frame) {
    Buffer buffer = new Buffer();
    try {
      write(frame, buffer);
    } catch (IOException e) {
      throw new IllegalStateException("writing to a Buffer cannot fail", e);
    }
    return buffer;
  }
}
