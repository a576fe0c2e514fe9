package io.github.wsrobustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wsrobustness.HttpResponseReader.Response;
import io.github.wsrobustness.HttpResponseReader.UnreadableResponseException;
import java.time.Duration;
import okio.Buffer;
import okio.ByteString;
import org.junit.jupiter.api.Test;

/**
 * The handshake's HTTP reader over an in-memory source: how each body framing is read, what stays
 * in the source for the frame reader after a 101, and the sentence for each unreadable response.
 * Deadlines need a socket and are tested through {@code RawWebSocketClientTest}.
 */
class HttpResponseReaderTest {
  private final Transcript transcript = new Transcript(System.nanoTime());

  private Response read(Buffer source) throws UnreadableResponseException {
    return new HttpResponseReader(source, Duration.ofSeconds(5), transcript).read();
  }

  private Response read(String response) throws UnreadableResponseException {
    return read(new Buffer().writeUtf8(response));
  }

  @Test
  void switchingProtocolsLeavesTheFirstFramesInTheSource() throws Exception {
    // A stray Content-Length on a 101 must not make the reader take the first frame for a body.
    Buffer source =
        new Buffer()
            .writeUtf8(
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nContent-Length: 4\r\n\r\n")
            .write(
                ByteString.decodeHex(
                    "81026869")); // a text frame the server sent straight after the 101
    Response response = read(source);
    assertThat(response.status()).isEqualTo(101);
    assertThat(response.headerLines()).containsExactly("Upgrade: websocket", "Content-Length: 4");
    assertThat(response.body()).isEqualTo(ByteString.EMPTY);
    assertThat(source.readByteString()).isEqualTo(ByteString.decodeHex("81026869"));
    assertThat(transcript.render())
        .contains("<< HTTP response:", "HTTP/1.1 101 Switching Protocols");
  }

  @Test
  void contentLengthBodyIsReadToItsLength() throws Exception {
    Buffer source =
        new Buffer().writeUtf8("HTTP/1.1 400 Bad Request\r\ncontent-length: 3\r\n\r\nbadEXTRA");
    assertThat(read(source).body().utf8()).isEqualTo("bad");
    assertThat(source.readUtf8()).isEqualTo("EXTRA");
  }

  @Test
  void bodyShorterThanItsContentLengthKeepsWhatCame() throws Exception {
    assertThat(read("HTTP/1.1 400 Bad Request\r\nContent-Length: 100\r\n\r\nshort").body().utf8())
        .isEqualTo("short");
  }

  @Test
  void hugeBodyIsCutAtTheLimit() throws Exception {
    Buffer source =
        new Buffer().writeUtf8("HTTP/1.1 431 Too Large\r\nContent-Length: 2000000\r\n\r\n");
    source.write(new byte[2_000_000]);
    assertThat(read(source).body().size()).isEqualTo(HttpResponseReader.MAX_BODY);
  }

  @Test
  void chunkedBodyIsReassembledIgnoringChunkExtensions() throws Exception {
    Response response =
        read(
            "HTTP/1.1 426 Upgrade Required\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n"
                + "4;note=x\r\nneed\r\n9\r\n websocke\r\n1\r\nt\r\n0\r\n\r\n");
    assertThat(response.body().utf8()).isEqualTo("need websocket");
  }

  @Test
  void bodyWithoutLengthRunsToTheEndOfStreamOnlyWhenTheConnectionCloses() throws Exception {
    assertThat(read("HTTP/1.0 403 Forbidden\r\n\r\nno entry").body().utf8()).isEqualTo("no entry");
    assertThat(
            read("HTTP/1.1 403 Forbidden\r\nConnection: keep-alive, close\r\n\r\nno entry")
                .body()
                .utf8())
        .isEqualTo("no entry");
    // HTTP/1.1 without framing or "close": no body (RFC 9112 §6.3 would mean "to EOF", but a server
    // that
    // keeps the connection open would then cost the whole deadline).
    assertThat(read("HTTP/1.1 403 Forbidden\r\n\r\nno entry").body()).isEqualTo(ByteString.EMPTY);
  }

  @Test
  void malformedStatusLinesAreNamed() {
    assertThatThrownBy(() -> read("FOO 200 OK\r\n\r\n"))
        .isInstanceOf(UnreadableResponseException.class)
        .hasMessage("malformed HTTP status line: 'FOO 200 OK'");
    assertThatThrownBy(() -> read("HTTP/1.1 abc OK\r\n\r\n"))
        .hasMessage("malformed HTTP status code in 'HTTP/1.1 abc OK'");
    assertThatThrownBy(() -> read("HTTP/1.1\r\n\r\n"))
        .hasMessage("malformed HTTP status line: 'HTTP/1.1'");
    assertThat(transcript.render()).contains("-- malformed HTTP status line: 'HTTP/1.1'");
  }

  @Test
  void headerFloodIsCutOff() {
    String headers = "X-Flood: 1\r\n".repeat(HttpResponseReader.MAX_HEADERS + 1);
    assertThatThrownBy(() -> read("HTTP/1.1 400 Bad Request\r\n" + headers + "\r\n"))
        .hasMessage("the server sent more than 256 header lines");
  }

  @Test
  void invalidChunkSizeIsTheServersError() {
    assertThatThrownBy(
            () -> read("HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"))
        .hasMessage(
            "the server sent an invalid HTTP chunk size line 'zz'; the response body cannot be read");
  }

  @Test
  void endOfStreamInTheHeadQuotesWhatCame() {
    assertThatThrownBy(() -> read("HTTP/1.1 400 Bad Request\r\nX-Half: ye"))
        .hasMessage(
            "the server closed the connection before a complete HTTP response"
                + " (received: \"HTTP/1.1 400 Bad Request\\nX-Half: ye\")");
    assertThatThrownBy(() -> read(""))
        .hasMessage(
            "the server closed the connection before a complete HTTP response (nothing was received)");
    // The transcript gets a short note; the message, which ends with the transcript, has the
    // detail.
    assertThat(transcript.render())
        .endsWith("-- the server closed the connection during the handshake\n");
  }

  @Test
  void longPartialResponsesAreQuotedOnlyInPart() {
    String header = "X-Big: " + "b".repeat(10_000);
    assertThatThrownBy(() -> read("HTTP/1.1 400 Bad Request\r\n" + header))
        .hasMessageStartingWith(
            "the server closed the connection before a complete HTTP response"
                + " (received: \"HTTP/1.1 400 Bad Request\\nX-Big: bbb")
        .hasMessageEndingWith("b… 9520 more characters\")");
  }
}
