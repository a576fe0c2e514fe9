package io.github.wsrobustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wsrobustness.assertj.WebSocketAssertions;
import io.github.wsrobustness.http.HttpStatus;
import java.util.List;
import okio.ByteString;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * What a rejection's status and headers are compared by: {@link HttpStatus} codes and classes, and
 * header values read as token lists (RFC 9110 §5.6.1), on {@link HandshakeResponse} and its assert.
 */
class HandshakeStatusAndTokensTest {
  private static HandshakeResponse response(String statusLine, String... headerLines) {
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    return new HandshakeResponse(
        statusLine, status, List.of(headerLines), ByteString.EMPTY, Redaction.DEFAULT);
  }

  private static final HandshakeResponse UPGRADE_REQUIRED =
      response(
          "HTTP/1.1 426 Upgrade Required",
          "Sec-WebSocket-Version: 13,8 ,, 7",
          "sec-websocket-version: 6",
          "Connection: keep-alive, Upgrade",
          "Sec-WebSocket-Protocol: Chat",
          "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=10, x-y;"
              + " q=\"a,b\"");

  @Test
  void aStatusIsACodeOrAClass() {
    assertThat(HttpStatus.of(426).matches(426)).isTrue();
    assertThat(HttpStatus.of(426).matches(400)).isFalse();
    assertThat(HttpStatus.clientError().matches(400)).isTrue();
    assertThat(HttpStatus.clientError().matches(499)).isTrue();
    assertThat(HttpStatus.clientError().matches(500)).isFalse();
    assertThat(HttpStatus.serverError().matches(503)).isTrue();
    assertThat(HttpStatus.redirection().matches(302)).isTrue();
    assertThat(HttpStatus.redirection().matches(101)).isFalse();
    assertThat(HttpStatus.anyMatches(503, HttpStatus.clientError(), HttpStatus.serverError()))
        .isTrue();
    assertThat(HttpStatus.anyMatches(101, HttpStatus.clientError(), HttpStatus.serverError()))
        .isFalse();
    assertThat(HttpStatus.of(400)).isEqualTo(HttpStatus.of(400)).isNotEqualTo(HttpStatus.of(401));
    assertThat(HttpStatus.describeAny(HttpStatus.of(400), HttpStatus.of(426)))
        .isEqualTo("HTTP 400 or 426");
    assertThat(HttpStatus.describeAny(HttpStatus.clientError(), HttpStatus.of(500)))
        .isEqualTo("any 4xx or HTTP 500");
    assertThatThrownBy(() -> HttpStatus.of(42))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "HttpStatus.of(42) names no HTTP status; a status is 100 to 599, and a class is"
                + " HttpStatus.clientError() or HttpStatus.serverError()");
  }

  @Test
  void aHeaderIsReadAsAListOverItsLinesIgnoringBlanksAndQuotedCommas() {
    assertThat(UPGRADE_REQUIRED.headerTokens("Sec-WebSocket-Version"))
        .containsExactly("13", "8", "7", "6");
    assertThat(UPGRADE_REQUIRED.headerTokens("Sec-WebSocket-Extensions"))
        .containsExactly("permessage-deflate; client_max_window_bits=10", "x-y; q=\"a,b\"");
    assertThat(UPGRADE_REQUIRED.headerTokens("Absent")).isEmpty();
  }

  @Test
  void tokensCompareIgnoringCaseButSubprotocolsExactly() {
    assertThat(UPGRADE_REQUIRED.hasHeaderToken("sec-websocket-version", "13")).isTrue();
    assertThat(UPGRADE_REQUIRED.hasHeaderToken("Sec-WebSocket-Version", "6")).isTrue();
    assertThat(UPGRADE_REQUIRED.hasHeaderToken("Sec-WebSocket-Version", "1")).isFalse();
    assertThat(UPGRADE_REQUIRED.hasHeaderToken("Connection", "upgrade")).isTrue();
    assertThat(UPGRADE_REQUIRED.hasHeaderToken("Sec-WebSocket-Protocol", "Chat")).isTrue();
    assertThat(UPGRADE_REQUIRED.hasHeaderToken("Sec-WebSocket-Protocol", "chat")).isFalse();
    // Parameters count only when the token names some.
    assertThat(UPGRADE_REQUIRED.hasHeaderToken("Sec-WebSocket-Extensions", "permessage-deflate"))
        .isTrue();
    assertThat(
            UPGRADE_REQUIRED.hasHeaderToken(
                "Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits=10"))
        .isTrue();
    assertThat(
            UPGRADE_REQUIRED.hasHeaderToken(
                "Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits=9"))
        .isFalse();
  }

  @Test
  void theAssertTakesClassesAndTokens() {
    WebSocketAssertions.assertThat(UPGRADE_REQUIRED)
        .hasStatus(HttpStatus.clientError())
        .hasStatus(HttpStatus.of(400), HttpStatus.of(426))
        .hasStatus(426)
        .hasHeaderToken("Sec-WebSocket-Version", "13")
        .isRejected();
    assertThatThrownBy(
            () ->
                WebSocketAssertions.assertThat(UPGRADE_REQUIRED)
                    .hasStatus(HttpStatus.serverError(), HttpStatus.of(400)))
        .isInstanceOfSatisfying(
            AssertionFailedError.class,
            e -> {
              assertThat(e.getExpected().getValue()).isEqualTo("any 5xx or HTTP 400");
              assertThat(e.getActual().getValue()).isEqualTo("HTTP 426");
            })
        .hasMessageStartingWith(
            "Expecting the handshake to be answered with any 5xx or HTTP 400, but the server"
                + " answered HTTP/1.1 426 Upgrade Required\n");
    assertThatThrownBy(
            () ->
                WebSocketAssertions.assertThat(UPGRADE_REQUIRED)
                    .hasHeaderToken("Sec-WebSocket-Version", "12"))
        .isInstanceOfSatisfying(
            AssertionFailedError.class,
            e -> {
              assertThat(e.getExpected().getValue()).isEqualTo(List.of("12"));
              assertThat(e.getActual().getValue()).isEqualTo(List.of("13", "8", "7", "6"));
            })
        .hasMessageStartingWith(
            "Expecting the header 'Sec-WebSocket-Version' to list '12', but the server answered"
                + " HTTP/1.1 426 Upgrade Required\n");
  }
}
