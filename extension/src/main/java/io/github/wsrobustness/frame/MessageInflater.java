package io.github.wsrobustness.frame;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import okio.Buffer;

/**
 * Inflates the server's compressed messages as they arrive (RFC 7692 §7.2.2), never past a bound:
 * what a message inflates to beyond {@code limit} bytes is not produced at all, so a small message
 * that inflates to gigabytes (a bomb) costs the reader {@code limit} bytes and no more.
 *
 * <p>Once a message was cut off at the bound, or was no valid DEFLATE data, the shared context is
 * lost: later messages that rely on it cannot be inflated and say so.
 *
 * <p>Thread-safety: not thread-safe; owned by one {@link FrameReader}.
 */
final class MessageInflater {
  private static final byte[] TAIL = MessageDeflater.TAIL.toByteArray();

  private final Inflater inflater = new Inflater(true);
  private final boolean resetEachMessage;
  private final long limit;
  private final byte[] output = new byte[64 * 1024];

  private final Buffer message = new Buffer();
  private long inflated;
  private Utf8 utf8;
  private String problem;
  private boolean cutOff;

  /** Why the context of earlier messages is gone, or null. */
  private String contextLost;

  /** Whether the stream ended (a final block): the next message starts a new one. */
  private boolean streamEnded;

  MessageInflater(boolean resetEachMessage, long limit) {
    this.resetEachMessage = resetEachMessage;
    this.limit = limit;
  }

  /** Starts a compressed message; {@code text}: its inflated bytes are checked as UTF-8. */
  void start(boolean text) {
    if (resetEachMessage || streamEnded) {
      inflater.reset();
      streamEnded = false;
    }
    message.clear();
    inflated = 0;
    cutOff = false;
    utf8 = text ? new Utf8() : null;
    problem =
        contextLost != null && !resetEachMessage
            ? "compressed message not inflated: the shared context was lost when " + contextLost
            : null;
  }

  /** Inflates {@code byteCount} bytes of {@code chunk} from {@code offset}, leaving it as it is. */
  void update(Buffer chunk, long offset, long byteCount) {
    if (byteCount == 0) return;
    try (Buffer.UnsafeCursor cursor = chunk.readUnsafe()) {
      long remaining = byteCount;
      for (int n = cursor.seek(offset);
          remaining > 0 && n != -1 && problem == null && !cutOff;
          n = cursor.next()) {
        int count = (int) Math.min(cursor.end - cursor.start, remaining);
        inflate(cursor.data, cursor.start, count);
        remaining -= count;
      }
    }
  }

  /** Ends the message: the tail a sender removed goes in (§7.2.2), and what is left comes out. */
  void finish() {
    if (problem == null && !cutOff && !streamEnded) inflate(TAIL.clone(), 0, TAIL.length);
  }

  private void inflate(byte[] bytes, int offset, int count) {
    if (streamEnded) {
      // After a final block (BFINAL) nothing more belongs to the stream.
      problem = "compressed message has data after its final DEFLATE block";
      return;
    }
    inflater.setInput(bytes, offset, count);
    try {
      while (true) {
        int n = inflater.inflate(output);
        if (n > 0) {
          keep(n);
          if (cutOff) return;
          continue;
        }
        if (inflater.finished()) {
          streamEnded = true;
          if (inflater.getRemaining() > 0) {
            problem = "compressed message has data after its final DEFLATE block";
          }
          return;
        }
        if (inflater.needsInput() || inflater.needsDictionary()) return;
      }
    } catch (DataFormatException e) {
      problem =
          "compressed message is not valid DEFLATE data ("
              + e.getMessage()
              + (resetEachMessage
                  ? "; the server agreed to server_no_context_takeover, so no message may refer"
                      + " to an earlier one"
                  : "")
              + "; RFC 7692 §7.2.2)";
      contextLost = "a message was not valid DEFLATE data";
    }
  }

  private void keep(int n) {
    long room = limit - inflated;
    if (utf8 != null) utf8.update(output, 0, (int) Math.min(n, Math.max(room, 0)));
    if (room > 0) message.write(output, 0, (int) Math.min(room, n));
    inflated += n;
    if (inflated > limit) {
      cutOff = true;
      contextLost = "a message was cut off at " + limit + " inflated bytes";
    }
  }

  /** Why the message could not be inflated, or null. */
  String problem() {
    return problem;
  }

  /** Whether the message inflated past the limit: inflation stopped there. */
  boolean isCutOff() {
    return cutOff;
  }

  /** The inflated bytes counted: at most one chunk past the limit when cut off. */
  long inflatedLength() {
    return inflated;
  }

  /** The inflated message kept, at most {@code limit} bytes; taken, so the next starts empty. */
  Buffer takeMessage() {
    Buffer taken = new Buffer();
    taken.write(message, message.size());
    return taken;
  }

  /** Whether the inflated text is complete, valid UTF-8; true for binary. */
  boolean isValidText() {
    return utf8 == null || utf8.isCompleteAndValid();
  }
}
