package io.github.wsrobustness;

import io.github.wsrobustness.Transcript.Direction;
import io.github.wsrobustness.frame.CloseCode;
import io.github.wsrobustness.frame.Frame;
import io.github.wsrobustness.frame.FrameReader;
import io.github.wsrobustness.frame.PerMessageDeflate;
import io.github.wsrobustness.frame.ReceivedFrame;
import io.github.wsrobustness.frame.TruncatedFrameException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.locks.ReentrantLock;
import okio.ByteString;
import okio.Timeout;

/**
 * The reading part of a client: turns the server's bytes into events (frames, the end of the
 * stream, a reset, a read error), records them in the transcript, and answers a close frame (and
 * pings, when asked) as RFC 6455 §5.5.1 wants.
 *
 * <p><b>Who reads.</b> Reading is a turn, held by one thread at a time. Without a thread of its
 * own, a client reads in whichever thread waits for an event ({@link #pump}), for at most that
 * wait's deadline: no thread is started and no event is handed between threads, which is most of
 * the cost of a short negative test. A thread of its own starts when a TLS connection is upgraded
 * (a TLS read's timeout applies to each socket read under it, so a server trickling a record could
 * stretch a wait past its deadline) or when the test sends more than a socket buffer holds, so that
 * a server echoing while it reads can never block the test's send. Once a thread reads, it alone
 * does.
 *
 * <p>Whatever ends the reading is recorded as an event, and a reader that fails in itself ends the
 * waits at once ({@link EventLog#readerFailed}), so no wait runs out for a reader that is gone.
 *
 * <p>Thread-safety: thread-safe. {@link #frames} and {@link #lastWasClose} belong to the holder of
 * {@code turn}; {@link #ended} is written by it and read by anyone; {@link #thread} is volatile.
 */
final class ServerReader implements EventLog.Pump {
  private final Connection connection;
  private final EventLog events;
  private final Transcript transcript;
  private final ClientSettings settings;
  private final ReentrantLock turn = new ReentrantLock();
  private final FrameReader frames; // guarded by turn

  /** Frames read in one turn at most, so that waits look at their events now and then. */
  private static final int BATCH = 256;

  /**
   * Bytes a test may send before the client reads in a thread of its own: beyond what socket
   * buffers hold, a server that echoes while it reads would otherwise block our send.
   */
  private static final long THREAD_THRESHOLD = 128 * 1024;

  private volatile boolean ended;
  private boolean lastWasClose; // guarded by turn
  private volatile Thread thread;

  private ServerReader(
      Connection connection,
      EventLog events,
      Transcript transcript,
      ClientSettings settings,
      PerMessageDeflate agreed) {
    this.connection = connection;
    this.events = events;
    this.transcript = transcript;
    this.settings = settings;
    this.frames = new FrameReader(connection.source(), false, agreed, settings.maxFramePayload());
  }

  /**
   * Starts reading frames once the upgrade is done, the server's compressed messages inflated as
   * {@code agreed} (null: no permessage-deflate, and RSV1 is a violation): waits read through this
   * reader from now on, and over TLS a thread of its own reads at once.
   */
  static ServerReader start(
      Connection connection,
      EventLog events,
      Transcript transcript,
      ClientSettings settings,
      PerMessageDeflate agreed) {
    connection.markUpgraded();
    ServerReader started = new ServerReader(connection, events, transcript, settings, agreed);
    events.attach(started);
    if (connection.isTls()) started.startThread();
    return started;
  }

  /**
   * The test is about to send {@code bytes} more: once its sends outgrow the socket buffers, a
   * thread of its own reads, so that a server that echoes while it reads cannot block the send.
   */
  void beforeSend(long bytes) {
    if (connection.bytesQueued() + bytes > THREAD_THRESHOLD) startThread();
  }

  @Override
  public boolean pump(long deadlineNanos) {
    if (thread != null || ended || connection.isReadingStopped() || connection.isClosedLocally()) {
      return false;
    }
    if (!turn.tryLock()) return false;
    try {
      if (ended || connection.isReadingStopped()) return false;
      readBuffered(deadlineNanos);
      return true;
    } finally {
      turn.unlock();
      events.wakeAll(); // another waiting thread may take the turn now
    }
  }

  /**
   * Reads the frames whose bytes have already arrived, waiting until {@code deadlineNanos} at most
   * for the rest of one that is cut; nothing to do when a thread of its own reads.
   */
  void readArrived(long deadlineNanos) {
    if (thread != null) return;
    events.await(() -> connection.hasBytesWaiting() ? null : Boolean.TRUE, deadlineNanos);
  }

  /** Starts a thread of its own that reads until the connection ends. Idempotent. */
  synchronized void startThread() {
    if (thread != null || ended) return;
    Thread reader = new Thread(this::readUntilTheEnd, "wsrobustness-reader " + settings.uri());
    reader.setDaemon(true);
    thread = reader;
    reader.start();
  }

  private void readUntilTheEnd() {
    while (!ended && !connection.isClosedLocally()) {
      if (connection.isReadingStopped()) {
        awaitResume();
        continue;
      }
      turn.lock();
      try {
        if (!ended && !connection.isReadingStopped()) readBuffered(0);
      } finally {
        turn.unlock();
      }
    }
  }

  private synchronized void awaitResume() {
    while (connection.isReadingStopped() && !connection.isClosedLocally()) {
      try {
        wait();
      } catch (InterruptedException e) {
        // Nobody interrupts this thread of ours; reading resumes or the connection closes.
      }
    }
  }

  /**
   * Stops reading, to play a slow reader: a socket read in progress completes, and the next one
   * does not start, even in the middle of a frame.
   */
  void stop() {
    connection.stopReading();
  }

  /** Reads again after {@link #stop()}. */
  void resume() {
    connection.resumeReading();
    synchronized (this) {
      notifyAll();
    }
    events.wakeAll();
  }

  /** Wakes a stopped reading thread so it sees the connection is closed. */
  synchronized void release() {
    notifyAll();
  }

  /**
   * Reads one frame, then more while their bytes are already buffered: a flood of small frames
   * costs one turn per socket read, not one per frame. Holds the turn.
   */
  private void readBuffered(long deadlineNanos) {
    int read = 0;
    do {
      readOne(deadlineNanos);
    } while (++read < BATCH
        && !ended
        && !connection.isReadingStopped()
        && !lastWasClose
        && connection.source().getBuffer().size() > 0);
  }

  /** Reads one frame, or the end, until {@code deadlineNanos} (0: no deadline). Holds the turn. */
  private void readOne(long deadlineNanos) {
    Timeout timeout = connection.source().timeout();
    if (deadlineNanos == 0) {
      timeout.clearDeadline();
    } else {
      timeout.deadlineNanoTime(deadlineNanos);
    }
    try {
      ReceivedFrame frame = frames.readFrame();
      if (frame == null) {
        if (connection.isClosedLocally()) {
          ended = true; // our own close ended the stream (over TLS, it reads as an end)
          return;
        }
        end(ServerEvent.Kind.END_OF_STREAM, "end of stream");
        return;
      }
      record(frame);
      lastWasClose = frame.isClose();
      reply(frame);
    } catch (TruncatedFrameException e) {
      if (connection.isClosedLocally()) {
        ended = true;
        return;
      }
      ByteString partial = e.partialPayload();
      transcript.record(
          Direction.RECEIVED, "partial frame: " + e.getMessage(), e.header(), partial);
      String violations =
          e.violations().isEmpty() ? "" : " (" + String.join("; ", e.violations()) + ")";
      end(
          ServerEvent.Kind.END_OF_STREAM,
          "end of stream inside a frame: " + e.getMessage() + violations);
    } catch (InterruptedIOException e) {
      // The wait's deadline, or reading was stopped: the frame so far is kept for later.
      if (connection.isClosedLocally()) ended = true;
    } catch (IOException e) {
      if (connection.isClosedLocally()) {
        ended = true; // our own close or abort ended the read; not the server's doing
        return;
      }
      if (Connection.isReset(e)) {
        end(ServerEvent.Kind.RESET, "connection reset");
      } else {
        end(ServerEvent.Kind.READ_ERROR, e.toString());
      }
    } catch (RuntimeException | Error e) {
      // A failure of the reader itself, not of the server: no event (no verb may take it for the
      // server's doing), but every wait ends at once and the outcome names it.
      ended = true;
      events.readerFailed(e);
      transcript.note(Direction.NOTE, "the client's reader failed: " + e);
      if (e instanceof Error) throw e;
    }
  }

  private void end(ServerEvent.Kind kind, String detail) {
    ended = true;
    if (kind == ServerEvent.Kind.END_OF_STREAM && connection.resetSeenByWrite()) {
      // The kernel told the reset to a write, so the read sees only an end: it was still a reset.
      transcript.note(Direction.RECEIVED, detail + ", after a write saw the connection reset");
      events.add(ServerEvent.Kind.RESET, null, "connection reset");
      return;
    }
    transcript.note(Direction.RECEIVED, detail);
    events.add(kind, null, detail);
  }

  private void record(ReceivedFrame frame) {
    transcript.recordReceived(frame);
    events.add(ServerEvent.Kind.FRAME, frame, null);
  }

  private void reply(ReceivedFrame frame) {
    if (connection.isClosedLocally() || connection.closeSent()) return;
    Frame answer;
    String why;
    if (frame.isClose() && settings.replyToClose()) {
      int code = frame.closeCode().orElse(-1);
      answer =
          code == -1
              ? Frame.close()
              : Frame.close(
                  CloseCode.isAllowedOnWire(code) ? code : CloseCode.PROTOCOL_ERROR.code());
      why = "reply to the close frame: ";
    } else if (frame.isPing() && settings.answerPings()) {
      answer = Frame.pong(frame.payload());
      why = "reply to the ping: ";
    } else {
      return;
    }
    connection.reply(answer, why);
  }
}
