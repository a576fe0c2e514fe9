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

  /** The largest limit a run may set: past it, the cases' messages could not be sent. */
  static final long MAX_CONFIGURED = 1L << 40;

  /** The most the whole search may take, whatever the probes' own waits. */
  private static final java.time.Duration SEARCH_BOUND = java.time.Duration.ofMinutes(2);

  /** The fill of the probes' payload, as the catalogue's binary limit cases use. */
  private static final byte FILL = (byte) 0xfe;

  private static final byte TEXT_FILL = '*';

  private final long bytes;
  private final String description;

  /** Whether text messages have the same limit, so that the text cases can run at it. */
  private final boolean textAgrees;

  private MessageLimit(long bytes, String description, boolean textAgrees) {
    this.bytes = bytes;
    this.description = description;
    this.textAgrees = textAgrees;
  }

  /** A limit the run's settings give. */
  static MessageLimit configured(long bytes, String source) {
    return new MessageLimit(
        bytes, "the message limit is " + size(bytes) + ", as " + source + " says", true);
  }

  /** Whether the limit is known: the cases sized by it can run. */
  boolean known() {
    return bytes > 0;
  }

  /** Whether the text cases can run at {@link #bytes()}: text has no limit of its own. */
  boolean textAgrees() {
    return textAgrees;
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

    private final long until = System.nanoTime() + SEARCH_BOUND.toNanos();

    MessageLimit run() {
      long taken = 0; // the largest size echoed; an empty message is taken by every server
      long refused = -1; // the smallest size refused
      for (long size = FIRST_PROBE; refused < 0; size = Math.min(size * 2, SEARCH_CAP)) {
        Answer answer = probe(Opcode.BINARY, size);
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
                    + "(messageLimit = …)) to run the cases at the limit",
                false);
          }
        }
      }
      while (refused - taken > 1) {
        long middle = taken + (refused - taken) / 2;
        Answer answer = probe(Opcode.BINARY, middle);
        if (answer == Answer.SILENT) return stopped();
        if (answer == Answer.ECHOED) taken = middle;
        else refused = middle;
      }
      if (taken == 0) {
        return new MessageLimit(
            0,
            "the server refused even a binary message of one byte ("
                + refusal
                + "); the cases at the limit cannot run",
            false);
      }
      // Once more at the edge: a drop that had nothing to do with the size must not set it.
      String found = refusal;
      Answer at = probe(Opcode.BINARY, taken);
      Answer above = at == Answer.SILENT ? Answer.SILENT : probe(Opcode.BINARY, taken + 1);
      if (at == Answer.SILENT || above == Answer.SILENT) return stopped();
      if (at != Answer.ECHOED || above != Answer.REFUSED) {
        return new MessageLimit(
            0,
            "the server answered the same sizes differently: "
                + size(taken)
                + " echoed, then "
                + (at == Answer.ECHOED ? "echoed" : "refused")
                + "; "
                + size(taken + 1)
                + " refused, then "
                + (above == Answer.ECHOED ? "echoed" : "refused")
                + "; set wsrobustness.catalogue.messageLimit to run the cases at the limit",
            false);
      }
      // Text may have a limit of its own (Jetty's maxTextMessageSize, Tomcat's text buffer).
      Answer textAt = probe(Opcode.TEXT, taken);
      Answer textAbove = textAt == Answer.SILENT ? Answer.SILENT : probe(Opcode.TEXT, taken + 1);
      boolean textAgrees = textAt == Answer.ECHOED && textAbove == Answer.REFUSED;
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
              + found
              + ")"
              + (textAgrees
                  ? "; text messages too"
                  : "; a text message of "
                      + size(taken)
                      + (textAt == Answer.ECHOED ? " was echoed" : " was not echoed")
                      + " and one of "
                      + size(taken + 1)
                      + (textAbove == Answer.REFUSED ? " refused" : " not refused")
                      + ": text has a limit of its own, so the text cases do not run"),
          textAgrees);
    }

    private MessageLimit stopped() {
      return new MessageLimit(
          0,
          "the search for the message limit stopped after "
              + probes
              + " probes: "
              + silence
              + "; set wsrobustness.catalogue.messageLimit to run the cases at the limit",
          false);
    }

    /**
     * Sends one message of {@code size} bytes on a fresh connection; what came back. A probe with
     * no answer is tried once more: one slow moment must not end the search.
     */
    private Answer probe(Opcode opcode, long size) {
      Answer answer = probeOnce(opcode, size);
      return answer == Answer.SILENT && !overTime() ? probeOnce(opcode, size) : answer;
    }

    private boolean overTime() {
      return System.nanoTime() - until > 0;
    }

    private Answer probeOnce(Opcode opcode, long size) {
      if (overTime()) {
        silence = "the search took longer than " + SEARCH_BOUND.toMinutes() + " minutes";
        return Answer.SILENT;
      }
      probes++;
      Duration wait = deadline.plusSeconds(size / (4 << 20));
      try (RawWebSocketClient client =
          clients.apply(uri).deadline(wait).maxFramePayload(64 * 1024).connect()) {
        client.send(Frame.filled(opcode, size, opcode == Opcode.TEXT ? TEXT_FILL : FILL));
        ServerEvent event =
            client.awaitEvent(
                0,
                e ->
                    e.isTerminal()
                        || e.isCloseFrame()
                        // Only the echo: a greeting or another message is no answer to this.
                        || (e.frame() != null && e.frame().messageLength() == size),
                wait);
        if (event == null) {
          silence =
              "a "
                  + opcode.name().toLowerCase(Locale.ROOT)
                  + " message of "
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
