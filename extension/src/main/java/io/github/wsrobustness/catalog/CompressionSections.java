package io.github.wsrobustness.catalog;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import okio.ByteString;

/**
 * Autobahn's sections 12 and 13, permessage-deflate (RFC 7692): 216 cases, Autobahn's ids. Each
 * offers the extension, sends 1000 messages cut from a sample, each compressed and sent once the
 * one before is echoed, and expects every echo, inflated, to be the message sent. Section 12 varies
 * the payload (five samples) with Autobahn's default offer; section 13 varies the offer with the
 * JSON sample. In each subsection the 18 cases are Autobahn's: messages of 16 bytes to 128 KiB in
 * one frame, then 8 KiB to 128 KiB cut into frames of 256 bytes, then 128 KiB in frames of 1, 4 and
 * 32 KiB.
 *
 * <p>Thread-safety: used by the one thread building the catalogue.
 */
final class CompressionSections {
  /**
   * The offer browsers send: the client can take any {@code client_max_window_bits} the server asks
   * for, asks nothing of the server, and keeps its context unless the server says otherwise, so
   * that the cases prove the server's inflater keeps it too (RFC 7692 §7.1.1.2).
   */
  static final String DEFAULT_OFFER = "permessage-deflate; client_max_window_bits";

  /**
   * The offer of 13.1, which adds the hint that the client will not keep its context, whatever the
   * answer says: the client then compresses each message on its own.
   */
  static final String HINTED_OFFER =
      "permessage-deflate; client_no_context_takeover; client_max_window_bits";

  private static final int[] SIZES = {
    16, 64, 256, 1024, 4096, 8192, 16384, 32768, 65536, 131072, 8192, 16384, 32768, 65536, 131072,
    131072, 131072, 131072
  };
  private static final int[] FRAGMENTS = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 256, 256, 256, 256, 256, 1024, 4096, 32768
  };

  /** Autobahn's time for all 1000 echoes, by the case's place in its subsection. */
  private static final int[] SECONDS = {60, 60, 120, 240, 480};

  private static final int MESSAGES = 1000;

  private final CaseList list;

  CompressionSections(CaseList list) {
    this.list = list;
  }

  void add() {
    list.top("12 WebSocket Compression (different payloads)");
    payloads("12.1", "JSON text", "the JSON sample", CompressionSamples::json, true);
    payloads("12.2", "Bitmap", "the bitmap sample", CompressionSamples::bitmap, false);
    payloads(
        "12.3",
        "German text (sent as binary)",
        "the German text sample",
        CompressionSamples::germanText,
        false);
    payloads("12.4", "HTML text", "the HTML sample", CompressionSamples::html, true);
    payloads("12.5", "PDF", "the PDF sample", CompressionSamples::pdf, false);

    list.top("13 WebSocket Compression (different parameters)");
    String requests = DEFAULT_OFFER;
    offers("13.1", "the hint client_no_context_takeover", HINTED_OFFER);
    offers("13.2", "asking server_no_context_takeover", requests + "; server_no_context_takeover");
    offers("13.3", "asking server_max_window_bits=9", requests + "; server_max_window_bits=9");
    offers("13.4", "asking server_max_window_bits=15", requests + "; server_max_window_bits=15");
    offers(
        "13.5",
        "asking server_no_context_takeover and server_max_window_bits=9",
        requests + "; server_no_context_takeover; server_max_window_bits=9");
    offers(
        "13.6",
        "asking server_no_context_takeover and server_max_window_bits=15",
        requests + "; server_no_context_takeover; server_max_window_bits=15");
    offers(
        "13.7",
        "three offers, the first asking most",
        requests + "; server_no_context_takeover; server_max_window_bits=9",
        requests + "; server_no_context_takeover",
        requests);
  }

  private void payloads(
      String section, String name, String sampleName, Supplier<ByteString> sample, boolean text) {
    list.sub(section, name);
    cases(sampleName, sample, text, DEFAULT_OFFER);
  }

  private void offers(String section, String name, String... offers) {
    list.sub(section, name);
    cases("the JSON sample", CompressionSamples::json, true, offers);
  }

  private void cases(
      String sampleName, Supplier<ByteString> sample, boolean text, String... offers) {
    String kind = text ? "text" : "binary";
    for (int i = 0; i < SIZES.length; i++) {
      int size = SIZES[i];
      int fragment = FRAGMENTS[i];
      String cut = fragment == 0 ? "" : ", in " + bytes(fragment) + " frames";
      list.add(
          list.section().id() + "." + (i + 1),
          MESSAGES + " compressed " + kind + " messages of " + bytes(size) + cut,
          "RFC 7692 §7.2",
          MESSAGES
              + " "
              + kind
              + " messages of "
              + bytes(size)
              + " cut one after the other from "
              + sampleName
              + ", each compressed (RSV1, with the context the handshake agreed) and sent"
              + (fragment == 0
                  ? " as one frame"
                  : " with its compressed payload cut into frames of " + bytes(fragment))
              + ", once the one before is echoed. The client offers "
              + String.join(", then ", offers)
              + ". Each echo, inflated if the server compressed it, must be the message sent, byte"
              + " for byte. A server that agrees to no offer has no case to answer: not run"
              + " (Autobahn: UNIMPLEMENTED). The run's wsrobustness.catalogue.compressionMessages"
              + " may send fewer messages; the report says how many went.",
          script(sampleName, sample, text, size, fragment),
          Expectation.echo(List.of())
              .within(Duration.ofSeconds(SECONDS[Math.min(i, SECONDS.length - 1)])));
      list.offerInLast(offers);
    }
  }

  private static Supplier<List<Step>> script(
      String sampleName, Supplier<ByteString> sample, boolean text, int size, int fragment) {
    return () ->
        List.of(
            new Step.CompressedRoundTrips(
                sampleName, sample.get(), text, size, MESSAGES, fragment));
  }

  private static String bytes(int count) {
    return count >= 1024 && count % 1024 == 0
        ? count / 1024 + " KiB"
        : String.format(Locale.ROOT, "%d bytes", count);
  }
}
