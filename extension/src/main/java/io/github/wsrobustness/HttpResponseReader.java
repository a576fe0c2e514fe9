package io.github.wsrobustness;

import io.github.wsrobustness.Transcript.Direction;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import okio.Buffer;
import okio.BufferedSource;
import okio.ByteString;
import okio.Timeout;

/**
 * Reads the server's HTTP/1.1 answer to an opening handshake (RFC 6455 §4.2.2, framed per RFC
 * 9112): status line, header lines and, for anything but 101, the body by {@code Content-Length},
 * chunked transfer coding or end of stream. Every read is bounded: by the deadline, and by limits
 * on line length, header count and body size, so a hostile server can neither hang nor flood the
 * client.
 *
 * <p>What it reads goes into the transcript. A response that cannot be read is reported as an
 * {@link UnreadableResponseException} whose message is one sentence saying why and quoting what did
 * arrive.
 *
 * <p>Thread-safety: not thread-safe; the client calls it from the thread doing the handshake,
 * before the frame reader starts.
 */
final class HttpResponseReader {
  static final int MAX_LINE = 16 * 1024;
  static final int MAX_HEADERS = 256;
  static final long MAX_BODY = 1024 * 1024;

  /** Characters of a partial response quoted in a message. */
  static final int RECEIVED_SHOWN = 512;

  /** A response as received; the body is empty for a 101. Immutable. */
  record Response(String statusLine, int status, List<String> headerLines, ByteString body) {
    Response {
      headerLines = List.copyOf(headerLines);
    }
  }

  /**
   * Header values by case-insensitive name, each list in the order received, names and values
   * trimmed; lines without a name are skipped. The one parse of header lines, for this reader and
   * for {@code HandshakeResponse}. Unmodifiable.
   */
  static Map<String, List<String>> headersByName(List<String> headerLines) {
    Map<String, List<String>> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String line : headerLines) {
      int colon = line.indexOf(':');
      if (colon <= 0) continue;
      byName
          .computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>())
          .add(line.substring(colon + 1).trim());
    }
    byName.replaceAll((k, v) -> List.copyOf(v));
    return Collections.unmodifiableMap(byName);
  }

  /**
   * The server's bytes are not a readable HTTP response, or none came in time; the message says
   * which. Immutable.
   */
  static final class UnreadableResponseException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why no response came: the deadline, the connection's end, or bytes that are not one. */
    enum Reason {
      TIMED_OUT,
      CONNECTION_ENDED,
      NOT_HTTP
    }

    final Reason reason;

    UnreadableResponseException(String message, Throwable cause, Reason reason) {
      super(message, cause);
      this.reason = reason;
    }
  }

  private final BufferedSource source;
  private final long deadlineNanos;
  private final Duration deadline;
  private final Transcript transcript;
  private final Redaction redaction;

  /**
   * @param source the connection, positioned at the start of the response
   * @param deadline the bound on the whole read, head and body
   * @param transcript receives the response (or a note of why it could not be read)
   */
  HttpResponseReader(BufferedSource source, Duration deadline, Transcript transcript) {
    this(source, System.nanoTime() + deadline.toNanos(), deadline, transcript, Redaction.DEFAULT);
  }

  /**
   * As above, ending at {@code deadlineNanos} (what is left of a deadline that began earlier, at
   * connecting), named as {@code deadline} in messages; the response head goes into the transcript
   * with {@code redaction} applied.
   */
  HttpResponseReader(
      BufferedSource source,
      long deadlineNanos,
      Duration deadline,
      Transcript transcript,
      Redaction redaction) {
    this.source = source;
    this.deadlineNanos = deadlineNanos;
    this.deadline = deadline;
    this.transcript = transcript;
    this.redaction = redaction;
  }

  /**
   * Reads one response within the deadline and records it in the transcript. After a 101 nothing
   * past the head is consumed: the server's first frames may follow in the same segment.
   */
  Response read() throws UnreadableResponseException {
    Timeout timeout = source.timeout();
    timeout.deadlineNanoTime(deadlineNanos);
    StringBuilder head = new StringBuilder();
    try {
      String statusLine = source.readUtf8LineStrict(MAX_LINE);
      head.append(statusLine).append('\n');
      int status = parseStatus(statusLine);
      List<String> headerLines = new ArrayList<>();
      for (String line; !(line = source.readUtf8LineStrict(MAX_LINE)).isEmpty(); ) {
        head.append(line).append('\n');
        headerLines.add(line);
        if (headerLines.size() > MAX_HEADERS) {
          throw unreadable("the server sent more than " + MAX_HEADERS + " header lines", null);
        }
      }
      ByteString body =
          status == 101 ? ByteString.EMPTY : readBody(statusLine, headersByName(headerLines));
      transcript.record(
          Direction.RECEIVED,
          "HTTP response:\n" + indent(redaction.head(head.toString())),
          ByteString.EMPTY,
          body);
      return new Response(statusLine, status, headerLines, body);
    } catch (UnreadableResponseException e) {
      throw e;
    } catch (InterruptedIOException e) {
      throw timedOut(head, e);
    } catch (EOFException e) {
      if (source.getBuffer().size() >= MAX_LINE) {
        throw unreadable(
            "an HTTP line longer than " + MAX_LINE + " bytes",
            "the server sent an HTTP line longer than "
                + MAX_LINE
                + " bytes"
                + received(redaction.head(head.toString())),
            e,
            UnreadableResponseException.Reason.NOT_HTTP);
      }
      String partial = redaction.head(head + source.getBuffer().snapshot().utf8());
      throw unreadable(
          "the server closed the connection during the handshake",
          "the server closed the connection before a complete HTTP response" + received(partial),
          e,
          UnreadableResponseException.Reason.CONNECTION_ENDED);
    } catch (IOException e) {
      // A deadline may also end the read by closing the socket (a TLS read has no timeout of its
      // own).
      if (System.nanoTime() - deadlineNanos >= 0) throw timedOut(head, e);
      if (Connection.isReset(e)) {
        String partial = redaction.head(head + source.getBuffer().snapshot().utf8());
        throw unreadable(
            "the server reset the connection during the handshake",
            "the server reset the connection before a complete HTTP response" + received(partial),
            e,
            UnreadableResponseException.Reason.CONNECTION_ENDED);
      }
      String what = "reading the HTTP response failed: " + e;
      throw unreadable(what, what, e, UnreadableResponseException.Reason.CONNECTION_ENDED);
    } finally {
      timeout.clearDeadline();
    }
  }

  private UnreadableResponseException timedOut(StringBuilder head, IOException cause) {
    String partial = redaction.head(head + source.getBuffer().snapshot().utf8());
    String what = "no complete HTTP response within " + deadline.toMillis() + " ms";
    return unreadable(
        what, what + received(partial), cause, UnreadableResponseException.Reason.TIMED_OUT);
  }

  /**
   * Notes the failure briefly in the transcript, so that the tail in the message ends with it,
   * while the message itself carries the sentence with what was received.
   */
  private UnreadableResponseException unreadable(
      String note, String sentence, Throwable cause, UnreadableResponseException.Reason reason) {
    transcript.note(Direction.NOTE, note);
    return new UnreadableResponseException(sentence, cause, reason);
  }

  private UnreadableResponseException unreadable(String sentence, Throwable cause) {
    return unreadable(sentence, sentence, cause, UnreadableResponseException.Reason.NOT_HTTP);
  }

  private int parseStatus(String statusLine) throws UnreadableResponseException {
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw unreadable("malformed HTTP status line: '" + statusLine + "'", null);
    }
    try {
      return Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw unreadable("malformed HTTP status code in '" + statusLine + "'", e);
    }
  }

  /**
   * The body, as much of it as arrives: a body that stops short (a lying length, a chunk that never
   * ends, a reset) still leaves the status and headers to report, with what came.
   */
  private ByteString readBody(String statusLine, Map<String, List<String>> headers)
      throws UnreadableResponseException {
    Buffer body = new Buffer();
    try {
      readBodyInto(body, statusLine, headers);
    } catch (UnreadableResponseException e) {
      throw e;
    } catch (IOException e) {
      // What the source holds already belongs to the body: it waited there for the rest.
      body.write(source.getBuffer(), Math.min(source.getBuffer().size(), MAX_BODY - body.size()));
      String why =
          e instanceof InterruptedIOException || System.nanoTime() - deadlineNanos >= 0
              ? "the response body did not end within the deadline"
              : e instanceof EOFException
                  ? "the server closed the connection before the response body ended"
                  : "reading the response body failed: " + e;
      transcript.note(Direction.NOTE, why + "; kept what came");
    }
    return body.readByteString();
  }

  private void readBodyInto(Buffer body, String statusLine, Map<String, List<String>> headers)
      throws IOException {
    String length = first(headers, "Content-Length");
    if (length != null) {
      long declared = parseNumber(length.trim(), 10, "Content-Length: " + length);
      long wanted = Math.min(declared, MAX_BODY);
      if (!source.request(wanted)) {
        source.readAll(body); // a lying Content-Length is the server's bug to see, not ours
        transcript.note(
            Direction.NOTE, "the response body is shorter than its Content-Length: " + length);
        return;
      }
      source.readFully(body, wanted);
      return;
    }
    String transferEncoding = first(headers, "Transfer-Encoding");
    if (transferEncoding != null && hasToken(transferEncoding, "chunked")) {
      while (body.size() < MAX_BODY) {
        String sizeLine = source.readUtf8LineStrict(MAX_LINE);
        int semicolon = sizeLine.indexOf(';');
        long size =
            parseNumber(
                (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim(),
                16,
                "chunk size line '" + sizeLine + "'");
        if (size == 0) break;
        long room = MAX_BODY - body.size();
        if (size > room) {
          // One chunk may declare a gigabyte: read only what the cap allows, and leave the rest.
          source.readFully(body, room);
          transcript.note(
              Direction.NOTE,
              "the response body is longer than " + MAX_BODY + " bytes; the rest was not read");
          break;
        }
        source.readFully(body, size);
        source.readUtf8LineStrict(MAX_LINE);
      }
      return;
    }
    // Without framing, RFC 9112 §6.3 says the body runs to the end of the stream. We wait for that
    // only when the server says it will close (HTTP/1.0, "Connection: close"); otherwise a server
    // that keeps the connection open would cost every rejected handshake the whole deadline.
    String connection = first(headers, "Connection");
    if (statusLine.startsWith("HTTP/1.0")
        || (connection != null && hasToken(connection, "close"))) {
      // The body runs to the end of the stream; the handshake deadline bounds the wait, and a
      // server that keeps the connection open past it still gets its status and headers reported.
      while (body.size() < MAX_BODY && source.read(body, 8192) != -1) {
        // keep reading
      }
    }
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name);
    return values == null ? null : values.get(0);
  }

  /**
   * A non-negative number from an HTTP header or chunk line; anything else is the server's error.
   */
  private long parseNumber(String text, int radix, String where)
      throws UnreadableResponseException {
    try {
      long value = Long.parseLong(text, radix);
      if (value >= 0) return value;
    } catch (NumberFormatException e) {
      // reported below, with the line it came from
    }
    throw unreadable(
        "the server sent an invalid HTTP " + where + "; the response body cannot be read", null);
  }

  /**
   * Whether a comma-separated header value holds the token, case-insensitively (RFC 9110 §5.6.1).
   */
  static boolean hasToken(String headerValue, String token) {
    for (String part : headerValue.split(",")) {
      if (part.trim().equalsIgnoreCase(token)) return true;
    }
    return false;
  }

  private static String received(String partial) {
    if (partial.isEmpty()) return " (nothing was received)";
    // The message is read by a person; a stalled megabyte body would bury everything else.
    String shown =
        partial.length() <= RECEIVED_SHOWN
            ? partial
            : partial.substring(0, RECEIVED_SHOWN)
                + "… "
                + (partial.length() - RECEIVED_SHOWN)
                + " more characters";
    return " (received: \"" + escape(shown) + "\")";
  }

  private static String escape(String text) {
    return text.replace("\r", "\\r").replace("\n", "\\n");
  }

  /** HTTP heads in the transcript are indented under their entry's header line. */
  static String indent(String text) {
    return "            " + text.strip().replace("\n", "\n            ");
  }
}
