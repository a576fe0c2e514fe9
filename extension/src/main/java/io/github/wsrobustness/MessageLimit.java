package io.github.wsrobustness;

import io.github.wsrobustness.frame.Frame;
import io.github.wsrobustness.frame.Opcode;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * A server's message limit, the largest message it takes (RFC 6455 §10.4 leaves it to the server):
 * set for the run, or found by bisection. The search sends binary messages of filler, each on a
 * fresh connection: from 64 KiB, doubled until one is refused or {@link #SEARCH_CAP} is echoed,
 * then halved in between down to the byte. Each probe waits for an event (the echo, a close frame,
 * the end of TCP) with a deadline sized by the message; a server that answers neither way stops the
 * search, which then says so.
 *
 * <p>A search finds what single frames meet: a server that limits frames, not messages, shows it in
 * the fragmented cases that follow.
 *
 * <p>Thread-safety: immutable.
 */
final class MessageLimit {
  /**
   * The largest message the search sends: more than any default a server ships with (ws: 100 MiB).
   */
  static final long SEARCH_CAP = 128L << 20;

  private static final long FIRST_PROBE = 64L << 10;

  /** The fill of the probes' payload, as the catalogue's binary limit cases use. */
  private static final byte FILL = (byte) 0xfe;

  private final long bytes;
  private final String description;

  private MessageLimit(long bytes, String description) {
    this.bytes = bytes;
    this.description = description;
  }

  /** A limit the run's settings give. */
  static MessageLimit configured(long bytes, String source) {
    return new MessageLimit(
        bytes, "the message limit is " + size(bytes) + ", as " + source + " says");
  }

  /** Whether the limit is known: the cases sized by it can run. */
  boolean known() {
    return bytes > 0;
  }

  /** The largest message the server takes, in bytes; 0 when not known. */
  long bytes() {
    return bytes;
  }

  /** How the limit was found, or why it is not known, as a sentence. */
  String description() {
    return description;
  }

  /** What one probe found. */
  private enum Answer {
    ECHOED,
    REFUSED,
    SILENT
  }

  /**
   * Searches the server at {@code uri} for its limit; {@code clients} makes a client for it (the
   * run's headers and TLS settings).
   */
  static MessageLimit search(
      URI uri, Function<URI, RawWebSocketClient.Builder> clients, Duration deadline) {
    Search search = new Search(uri, clients, deadline);
    return search.run();
  }

  /** One search's probes and what they found. */
  private static final class Search {
    private final URI uri;
    private final Function<URI, RawWebSocketClient.Builder> clients;
    private final Duration deadline;
    private int probes;
    private String refusal = "";
    private String silence;

    Search(URI uri, Function<URI, RawWebSocketClient.Builder> clients, Duration deadline) {
      this.uri = uri;
      this.clients = clients;
      this.deadline = deadline;
    }

    MessageLimit run() {
      long taken = 0; // the largest size echoed; an empty message is taken by every server
      long refused = -1; // the smallest size refused
      for (long size = FIRST_PROBE; refused < 0; size = Math.min(size * 2, SEARCH_CAP)) {
        Answer answer = probe(size);
        if (answer == Answer.SILENT) return stopped();
        if (answer == Answer.REFUSED) {
          refused = size;
        } else {
          taken = size;
          if (size == SEARCH_CAP) {
            return new MessageLimit(
                0,
                "no message limit found: a binary message of "
                    + size(SEARCH_CAP)
                    + " was echoed ("
                    + probes
                    + " probes); set wsrobustness.catalogue.messageLimit (or @CatalogueCases"
                    + "(messageLimit = …)) to run the cases at the limit");
          }
        }
      }
      while (refused - taken > 1) {
        long middle = taken + (refused - taken) / 2;
        Answer answer = probe(middle);
        if (answer == Answer.SILENT) return stopped();
        if (answer == Answer.ECHOED) taken = middle;
        else refused = middle;
      }
      if (taken == 0) {
        return new MessageLimit(
            0,
            "the server refused even a binary message of one byte ("
                + refusal
                + "); the cases at the limit cannot run");
      }
      return new MessageLimit(
          taken,
          "the message limit is "
              + size(taken)
              + ", found by bisection in "
              + probes
              + " probes: a binary message of "
              + size(taken)
              + " was echoed, one of "
              + size(taken + 1)
              + " refused ("
              + refusal
              + ")");
    }

    private MessageLimit stopped() {
      return new MessageLimit(
          0,
          "the search for the message limit stopped after "
              + probes
              + " probes: "
              + silence
              + "; set wsrobustness.catalogue.messageLimit to run the cases at the limit");
    }

    /** Sends one binary message of {@code size} bytes on a fresh connection; what came back. */
    private Answer probe(long size) {
      probes++;
      Duration wait = deadline.plusSeconds(size / (4 << 20));
      try (RawWebSocketClient client =
          clients.apply(uri).deadline(wait).maxFramePayload(64 * 1024).connect()) {
        client.send(Frame.filled(Opcode.BINARY, size, FILL));
        ServerEvent event =
            client.awaitEvent(
                0,
                e ->
                    e.isTerminal()
                        || e.isCloseFrame()
                        || (e.frame() != null && e.frame().messageLength() >= 0),
                wait);
        if (event == null) {
          silence =
              "a binary message of "
                  + size(size)
                  + " got neither its echo nor a refusal within "
                  + wait.toMillis()
                  + " ms";
          return Answer.SILENT;
        }
        if (!event.isTerminal() && !event.isCloseFrame() && event.frame().messageLength() == size) {
          return Answer.ECHOED;
        }
        refusal = describeRefusal(event);
        return Answer.REFUSED;
      } catch (RuntimeException e) {
        // A handshake the server refused is no answer about a message's size.
        silence =
            "a connection for a probe of "
                + size(size)
                + " failed: "
                + ServingChecks.firstLine(e.getMessage());
        return Answer.SILENT;
      }
    }

    private static String describeRefusal(ServerEvent event) {
      if (event.isCloseFrame()) {
        OptionalInt code = event.frame().closeCode();
        return code.isPresent() ? "close code " + code.getAsInt() : "a close frame with no code";
      }
      if (event.isTerminal()) return "the connection ended without a close frame";
      return "a message of " + size(event.frame().messageLength()) + " came back instead";
    }
  }

  /** {@code 33,554,432 bytes (32 MiB)}. */
  static String size(long bytes) {
    String exact = String.format(Locale.ROOT, "%,d", bytes) + (bytes == 1 ? " byte" : " bytes");
    if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) return exact + " (" + (bytes >> 20) + " MiB)";
    if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) return exact + " (" + (bytes >> 10) + " KiB)";
    return exact;
  }
}
