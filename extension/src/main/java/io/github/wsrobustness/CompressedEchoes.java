package io.github.wsrobustness;

import io.github.wsrobustness.catalog.Step;
import io.github.wsrobustness.frame.Frame;
import io.github.wsrobustness.frame.MessageDeflater;
import io.github.wsrobustness.frame.Opcode;
import io.github.wsrobustness.frame.PerMessageDeflate;
import io.github.wsrobustness.frame.ReceivedFrame;
import io.github.wsrobustness.frame.WebSocketProtocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import okio.ByteString;

/**
 * Carries out {@link Step.CompressedRoundTrips} on a case's connection (Autobahn's sections 12 and
 * 13): each message compressed with the context the handshake agreed (RFC 7692 §7.2.1), sent once
 * the one before is echoed, and its echo compared, inflated, byte for byte as it arrives. The
 * comparison cannot wait for the end of the case: a thousand echoes of 128 KiB are more than the
 * event log keeps, and it lets the oldest go.
 *
 * <p>Thread-safety: not thread-safe; one case's thread.
 */
final class CompressedEchoes {
  /**
   * What the round trips showed.
   *
   * @param next the index of the first event after the last echo compared
   * @param ended whether the server closed or TCP ended before every echo came
   * @param failure why the case fails (an echo that differs, or never came), or null
   * @param note the figures, for the report
   */
  record Result(long next, boolean ended, String failure, String note) {}

  private CompressedEchoes() {}

  static Result run(
      RawWebSocketClient client,
      Step.CompressedRoundTrips trips,
      PerMessageDeflate agreed,
      long next,
      long deadlineNanos) {
    MessageDeflater deflater = MessageDeflater.forClient(agreed);
    int opcode = trips.text() ? Opcode.TEXT.value() : Opcode.BINARY.value();
    long start = System.nanoTime();
    long plain = 0;
    long compressed = 0;
    int sent = 0;
    int echoes = 0;
    int wholeEchoes = 0;
    int compressedEchoes = 0;
    String failure = null;
    boolean ended = false;
    for (int i = 0; i < trips.count() && failure == null; i++) {
      ByteString message = trips.message(i);
      ByteString payload = deflater.compress(message);
      plain += message.size();
      compressed += payload.size();
      client.sendCoalesced(frames(opcode, payload, trips.fragment()));
      sent++;
      long left = deadlineNanos - System.nanoTime();
      ServerEvent event =
          left <= 0
              ? null
              : client.awaitEvent(
                  next,
                  e -> e.isTerminal() || e.isCloseFrame() || isMessage(e.frame()),
                  Duration.ofNanos(left));
      if (event == null) {
        failure =
            String.format(
                Locale.ROOT,
                "echo %d of %d did not come within the case's %d s",
                i + 1,
                trips.count(),
                Duration.ofNanos(deadlineNanos - start).toSeconds());
        break;
      }
      next = event.index() + 1;
      if (event.isTerminal() || event.isCloseFrame()) {
        ended = true;
        failure =
            String.format(
                Locale.ROOT,
                "the server ended the connection after %d of %d echoes",
                echoes,
                trips.count());
        break;
      }
      ReceivedFrame echo = event.frame();
      echoes++;
      // RSV1 marks a message's first frame (§6): an echo in one frame shows it, others do not.
      if (echo.opcode() != Opcode.CONTINUATION.value()) {
        wholeEchoes++;
        if ((echo.rsvFlags() & WebSocketProtocol.B0_FLAG_RSV1) != 0) compressedEchoes++;
      }
      if (echo.messageOpcode() != opcode
          || echo.isMessageTruncated()
          || !echo.message().equals(message)) {
        failure =
            String.format(
                Locale.ROOT,
                "echo %d of %d is not the message sent (%s message %d of %s, %,d bytes): it is %s",
                i + 1,
                trips.count(),
                Opcode.describe(opcode).toLowerCase(Locale.ROOT),
                i + 1,
                trips.sampleName(),
                message.size(),
                echo.describe());
      }
    }
    String note =
        String.format(
            Locale.ROOT,
            "%,d of %,d messages (%,d bytes) sent compressed to %,d bytes (%.0f%%), agreed: %s;"
                + " %,d echoes, %s; %.1f s",
            sent,
            trips.count(),
            plain,
            compressed,
            plain == 0 ? 100.0 : 100.0 * compressed / plain,
            agreed,
            echoes,
            wholeEchoes == 0
                ? "none in one frame"
                : String.format(
                    Locale.ROOT,
                    "%,d of the %,d in one frame compressed",
                    compressedEchoes,
                    wholeEchoes),
            (System.nanoTime() - start) / 1e9);
    return new Result(next, ended, failure, note);
  }

  private static boolean isMessage(ReceivedFrame frame) {
    return frame != null && frame.message() != null;
  }

  /** The compressed message's frames: RSV1 on the first only, its payload cut as asked. */
  private static Frame[] frames(int opcode, ByteString payload, int fragment) {
    if (fragment == 0 || payload.size() <= fragment) {
      return new Frame[] {Frame.binary(payload).opcode(opcode).rsv1()};
    }
    List<Frame> frames = new ArrayList<>();
    for (int at = 0; at < payload.size(); at += fragment) {
      int end = Math.min(payload.size(), at + fragment);
      ByteString piece = payload.substring(at, end);
      Frame frame = at == 0 ? Frame.binary(piece).opcode(opcode).rsv1() : Frame.continuation(piece);
      frames.add(frame.fin(end == payload.size()));
    }
    return frames.toArray(new Frame[0]);
  }
}
