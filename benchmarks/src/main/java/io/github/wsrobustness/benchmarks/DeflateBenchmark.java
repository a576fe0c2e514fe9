package io.github.wsrobustness.benchmarks;

import io.github.wsrobustness.frame.Frame;
import io.github.wsrobustness.frame.FrameReader;
import io.github.wsrobustness.frame.FrameWriter;
import io.github.wsrobustness.frame.MessageDeflater;
import io.github.wsrobustness.frame.PerMessageDeflate;
import io.github.wsrobustness.frame.ReceivedFrame;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import okio.Buffer;
import okio.ByteString;

/**
 * The client's permessage-deflate (RFC 7692) against java.util.zip used directly, on a 1 MiB
 * message of JSON-like text: compressing one message ({@link MessageDeflater} against a bare {@link
 * Deflater} with a sync flush), and reading one compressed message (a {@link FrameReader} that
 * inflates as the frame arrives, against a bare {@link Inflater} over the same bytes). No network:
 * the figures are the client's own overhead on top of zlib.
 *
 * <p>Thread-safety: not thread-safe; one benchmark run at a time.
 */
final class DeflateBenchmark {
  /** 1 MiB: the message size of the benchmark. */
  static final int MESSAGE_BYTES = 1024 * 1024;

  /** Defaults: 3 s of warm-up, batches of about 0.6 s, no new round after 20 s. */
  static final PairedRun.Plan PLAN =
      new PairedRun.Plan(
          Duration.ofSeconds(3),
          400,
          5,
          16,
          Duration.ofMillis(600),
          2,
          200,
          Duration.ofSeconds(20));

  private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};

  private final ByteString message = jsonLike(MESSAGE_BYTES);
  private final byte[] messageBytes = message.toByteArray();
  private final MessageDeflater ours = MessageDeflater.noContextTakeover();
  private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
  private final Inflater inflater = new Inflater(true);
  private final byte[] scratch = new byte[64 * 1024];
  private final ByteString compressed = ours.compress(message);
  private final Buffer frame = new Buffer();

  DeflateBenchmark() throws IOException {
    new FrameWriter(new Random(7692)).write(Frame.text(compressed).rsv1().unmasked(), frame);
  }

  /** Compressing one message: ours, then the bare deflater. */
  PairedRun.Result runDeflate(PairedRun.Plan plan) throws Exception {
    return PairedRun.run("deflate 1MiB vs zlib", plan, this::bareDeflate, this::oursDeflate);
  }

  /** Reading one compressed message: ours, then the bare inflater. */
  PairedRun.Result runInflate(PairedRun.Plan plan) throws Exception {
    return PairedRun.run("inflate 1MiB vs zlib", plan, this::bareInflate, this::oursInflate);
  }

  private void oursDeflate() {
    require("deflate", ours.compress(message).size(), compressed.size());
  }

  private void bareDeflate() {
    deflater.reset();
    deflater.setInput(messageBytes);
    long size = 0;
    int n;
    do {
      n = deflater.deflate(scratch, 0, scratch.length, Deflater.SYNC_FLUSH);
      size += n;
    } while (n == scratch.length || !deflater.needsInput());
    require("bare deflate", size - TAIL.length, compressed.size());
  }

  private void oursInflate() throws IOException {
    ReceivedFrame read =
        new FrameReader(frame.clone(), false, PerMessageDeflate.offer(), 2L * MESSAGE_BYTES)
            .readFrame();
    require("inflate", read.message().size(), MESSAGE_BYTES);
    if (!read.violations().isEmpty()) throw new IllegalStateException(read.violations().toString());
  }

  private void bareInflate() throws DataFormatException {
    inflater.reset();
    byte[] input = compressed.toByteArray();
    long size = 0;
    inflater.setInput(input);
    size += drain();
    inflater.setInput(TAIL);
    size += drain();
    require("bare inflate", size, MESSAGE_BYTES);
  }

  private long drain() throws DataFormatException {
    long size = 0;
    for (int n; (n = inflater.inflate(scratch)) > 0; ) size += n;
    return size;
  }

  private static void require(String what, long actual, long expected) {
    if (actual != expected) {
      throw new IllegalStateException(
          String.format(Locale.ROOT, "%s made %,d bytes, expected %,d", what, actual, expected));
    }
  }

  /** Seeded JSON-like records: the same bytes every run, compressing about as real JSON does. */
  static ByteString jsonLike(int size) {
    Random random = new Random(7692);
    String[] names = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta"};
    StringBuilder out = new StringBuilder(size + 128);
    while (out.length() < size) {
      out.append("{\"id\":")
          .append(random.nextInt(1_000_000))
          .append(",\"name\":\"")
          .append(names[random.nextInt(names.length)])
          .append("\",\"score\":")
          .append(random.nextInt(10_000) / 100.0)
          .append(",\"tags\":[\"")
          .append(names[random.nextInt(names.length)])
          .append("\"]},\n");
    }
    return ByteString.encodeUtf8(out.substring(0, size));
  }
}
