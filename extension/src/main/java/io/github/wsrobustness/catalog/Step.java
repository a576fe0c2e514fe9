package io.github.wsrobustness.catalog;

import io.github.wsrobustness.frame.Frame;
import io.github.wsrobustness.http.HandshakeRequest;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * One step of a case's script, as data: the runner carries it out and stops the script as soon as
 * the server ends the connection. Waits are decided by events: {@link Sync} by a probe's pong (RFC
 * 6455 §5.5.2), {@link RoundTrips} by each echo; their deadlines are outer bounds only. {@link
 * AwaitEnd} is the one exception, where no event exists.
 *
 * <p>Thread-safety: immutable.
 */
public sealed interface Step {
  /** Sends frames, cut into writes as {@code writes} says. */
  record Send(List<Frame> frames, Writes writes) implements Step {
    /** Checks and copies. */
    public Send {
      frames = List.copyOf(frames);
      Objects.requireNonNull(writes, "writes");
    }
  }

  /**
   * Sends these bytes as they are, in one write: part of a frame, so that a case can stop between
   * the parts of one frame.
   */
  record SendBytes(okio.ByteString bytes) implements Step {
    /** Checks. */
    public SendBytes {
      Objects.requireNonNull(bytes, "bytes");
    }
  }

  /**
   * Sends {@code count} copies of {@code fill} as they are: the rest of a frame's payload after a
   * header sent with {@link SendBytes} and a masking key of zeros (which leaves a payload as it
   * is), so that a case can send a header alone, pause, then megabytes of payload without holding
   * them.
   */
  record SendFiller(long count, byte fill) implements Step {
    /** Checks. */
    public SendFiller {
      if (count < 0) throw new IllegalArgumentException("count < 0: " + count);
    }
  }

  /**
   * Sends a probe ping and waits for its pong: proof that the server processed, and kept the
   * connection through, everything sent before (RFC 6455 §5.5.2). Autobahn pauses here instead.
   */
  record Sync() implements Step {}

  /**
   * Waits a short grace (the run's {@code wsrobustness.catalogue.midFrameGrace}) for the server to
   * end the connection. Only where no event can prove how far the server read into a frame (6.4.3,
   * 6.4.4): the one timer a case has.
   */
  record AwaitEnd() implements Step {}

  /**
   * Shuts down the client's sending side (a TCP FIN) and goes on reading: the client will send
   * nothing more, so a server reading a frame or a message can never get the rest of it and must
   * end the connection instead of waiting for it (RFC 6455 §7.1.7 lets it drop TCP).
   */
  record HalfClose() implements Step {}

  /**
   * Resets the connection (a TCP RST, SO_LINGER 0): nothing more is sent or read. What counts is
   * only whether the server lives on and serves a fresh client.
   */
  record Reset() implements Step {}

  /**
   * Sends an opening handshake of its own (RFC 6455 §4.1), for the cases about the handshake
   * itself: {@code edit} varies the client's own request (its {@code @UpgradeRequest} headers kept,
   * so that an endpoint behind authentication judges the variation, not the missing credentials). A
   * case with it has no other step but, at most, a {@link Sync} after it: when the server upgrades,
   * the probe's pong must come (what the request carried after its head was not read as frames).
   * Its expectation judges the server's answer.
   */
  record Upgrade(String description, UnaryOperator<HandshakeRequest> edit) implements Step {
    /** Checks. */
    public Upgrade {
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(edit, "edit");
    }
  }

  /**
   * Opens {@code count} more connections at once, each sending its opening handshake (§4.1) and
   * waiting for the answer, and holds them, idle, until {@link EndConnections} or the end of the
   * case. The server may upgrade, refuse or drop each; one it leaves unanswered past the wait fails
   * the case.
   */
  record OpenConnections(int count, boolean unfinished) implements Step {
    /**
     * Checks. {@code unfinished}: each sends its request head without the blank line that ends it,
     * and waits for nothing (a slowloris that never finishes): the server may answer, drop or wait,
     * but must serve others meanwhile.
     */
    public OpenConnections {
      if (count < 1 || count > 10_000) {
        throw new IllegalArgumentException("count must be 1 to 10,000: " + count);
      }
    }
  }

  /**
   * Opens {@code count} more connections, each sending its client's opening handshake (§4.1) one
   * byte every {@code interval} (a slowloris that finishes), in the background: the steps after it
   * run while the bytes go out, until {@link AwaitDribbledHeads}. The server may time a head out
   * before it is whole (408, or a drop) or refuse it for load (429, 503); any other answer before
   * the head is whole, a whole head refused with another status, or one left unanswered past the
   * wait fails the case. How and when the server answered each is reported.
   */
  record DribbleHeads(int count, java.time.Duration interval) implements Step {
    /** Checks. */
    public DribbleHeads {
      if (count < 1 || count > 200) {
        throw new IllegalArgumentException(
            "count must be 1 to 200 (each dribbling connection takes a thread): " + count);
      }
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative() || interval.isZero() || interval.toMillis() > 1000) {
        throw new IllegalArgumentException(
            "interval must be more than 0 and at most 1 s, was "
                + interval
                + "; a longer one outlasts every server's header timeout");
      }
    }
  }

  /**
   * Waits until every head {@link DribbleHeads} sends has gone out whole and been answered, or the
   * server ended it on the way, or the wait after its last byte ran out.
   */
  record AwaitDribbledHeads() implements Step {}

  /**
   * A fresh client must complete an opening handshake and a ping round trip now, while everything
   * the case holds stays held: a server that serves one connection too many at a time, or waits on
   * one, is seen here. It runs even after the server ended the case's own connection: it is about
   * the server, not that connection.
   */
  record CheckFreshClient() implements Step {}

  /**
   * From the start of the case, the client answers no close frame and keeps its side of TCP open
   * until the case ends: a server that closes must not wait on the reply (§7.1.1) at the cost of
   * its other clients. Its place in the script does not matter.
   */
  record WithholdCloseReply() implements Step {}

  /**
   * Ends the connections {@link OpenConnections} and {@link DribbleHeads} hold, all at once: with a
   * reset, or a FIN.
   */
  record EndConnections(boolean reset) implements Step {}

  /**
   * Sends {@code count} pings at once, in writes of 64 KiB, the n-th carrying {@code
   * wsrobustness-ping-n}. Their pongs are checked apart from what the case expects (§5.5.3): each
   * answers a ping sent, in order, and the last ping is answered before anything sent after it;
   * pongs to pings between may be left out, as a server may answer only the latest.
   */
  record Pings(int count) implements Step {
    /** Checks. */
    public Pings {
      if (count < 1 || count > 100_000) {
        throw new IllegalArgumentException("count must be 1 to 100,000: " + count);
      }
    }
  }

  /** Sends {@code frame} {@code count} times, each only after the echo of the one before. */
  record RoundTrips(int count, Frame frame) implements Step {
    /** Checks. */
    public RoundTrips {
      Objects.requireNonNull(frame, "frame");
    }
  }

  /**
   * Sends {@code count} messages cut one after the other from {@code sample}, {@code size} bytes
   * each, each compressed with the permessage-deflate the handshake agreed (RFC 7692 §7.2.1, RSV1
   * on its first frame) and sent only after the echo of the one before; {@code fragment} cuts the
   * compressed payload into frames of that many bytes (0: one frame). Each echo must be the message
   * sent, byte for byte, once inflated, whether the server compressed it or not. Autobahn's
   * sections 12 and 13; the run's {@code wsrobustness.catalogue.compressionMessages} may send fewer
   * than {@code count}.
   *
   * @param sampleName what the sample is, in words: {@code the JSON sample}
   */
  record CompressedRoundTrips(
      String sampleName, okio.ByteString sample, boolean text, int size, int count, int fragment)
      implements Step {
    /** Checks. */
    public CompressedRoundTrips {
      Objects.requireNonNull(sampleName, "sampleName");
      Objects.requireNonNull(sample, "sample");
      if (sample.size() == 0) throw new IllegalArgumentException("the sample is empty");
      if (size < 0) throw new IllegalArgumentException("size < 0: " + size);
      if (count < 1) throw new IllegalArgumentException("count < 1: " + count);
      if (fragment < 0) throw new IllegalArgumentException("fragment < 0: " + fragment);
    }

    /**
     * The {@code index}-th message: {@code size} bytes cut from the sample after those of the
     * messages before, going round to its start when it runs out, as Autobahn cuts its files.
     */
    public okio.ByteString message(int index) {
      int length = sample.size();
      int from = (int) (((long) index * size) % length);
      if (from + size <= length) return sample.substring(from, from + size);
      okio.Buffer message = new okio.Buffer();
      for (int left = size; left > 0; from = 0) {
        int n = Math.min(left, length - from);
        message.write(sample, from, n);
        left -= n;
      }
      return message.readByteString();
    }

    /** The same, sending {@code messages} messages. */
    public CompressedRoundTrips withCount(int messages) {
      return new CompressedRoundTrips(sampleName, sample, text, size, messages, fragment);
    }
  }

  /** {@code frames} in one write. */
  static Step send(Frame... frames) {
    return new Send(List.of(frames), Writes.oneWrite());
  }

  /** {@code frames} cut as {@code writes} says. */
  static Step send(Writes writes, Frame... frames) {
    return new Send(List.of(frames), writes);
  }

  /** A probe ping and its pong. */
  static Step sync() {
    return new Sync();
  }
}
