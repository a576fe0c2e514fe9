package io.github.wsrobustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wsrobustness.http.HandshakeRequest;
import java.net.URI;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import okio.ByteString;
import org.junit.jupiter.api.Test;

/**
 * {@link HandshakeRequest}: the exact bytes each variation renders (RFC 6455 §4.1 for the standard
 * request), that every method returns a new value, and one sentence for each misuse.
 */
class HandshakeRequestTest {
  private static final URI URI_ = URI.create("ws://127.0.0.1:8080/chat?room=1");
  private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

  private static String render(HandshakeRequest request) {
    return request.render(URI_, new Random(1)).bytes().utf8();
  }

  @Test
  void theStandardRequestIsWhatRfc6455Asks() {
    assertThat(render(HandshakeRequest.standard().key(KEY)))
        .isEqualTo(
            "GET /chat?room=1 HTTP/1.1\r\n"
                + "Host: 127.0.0.1:8080\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "\r\n");
    // The scheme's own port is left out of Host (RFC 9110 §7.2), and an empty path is "/".
    assertThat(
            HandshakeRequest.standard()
                .key(KEY)
                .toBytes(URI.create("wss://example.com:443"))
                .utf8())
        .startsWith("GET / HTTP/1.1\r\nHost: example.com\r\n");
  }

  @Test
  void eachRenderingDrawsAFreshSixteenByteKey() {
    HandshakeRequest request = HandshakeRequest.standard();
    HandshakeRequest.Rendered first = request.render(URI_, new Random(1));
    HandshakeRequest.Rendered second = request.render(URI_, new Random(2));
    assertThat(first.keys()).hasSize(1);
    assertThat(Base64.getDecoder().decode(first.keys().get(0))).hasSize(16);
    assertThat(first.keys()).isNotEqualTo(second.keys());
    assertThat(first.bytes().utf8()).contains("Sec-WebSocket-Key: " + first.keys().get(0) + "\r\n");
    assertThat(request.headers("sec-websocket-key")).containsExactly((String) null);
  }

  @Test
  void theIssuesExampleReadsAsItSends() {
    assertThat(render(HandshakeRequest.standard().version("99").without("Sec-WebSocket-Key")))
        .isEqualTo(
            "GET /chat?room=1 HTTP/1.1\r\n"
                + "Host: 127.0.0.1:8080\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 99\r\n"
                + "\r\n");
  }

  @Test
  void withReplacesEveryHeaderOfTheNameInThePlaceOfTheFirst() {
    HandshakeRequest request =
        HandshakeRequest.standard()
            .key(KEY)
            .header("X-Twice", "1")
            .header("x-twice", "2")
            .with("Upgrade", "h2c")
            .with("X-TWICE", "3")
            .with("X-New", "last");
    assertThat(render(request))
        .isEqualTo(
            "GET /chat?room=1 HTTP/1.1\r\n"
                + "Host: 127.0.0.1:8080\r\n"
                + "Upgrade: h2c\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "X-TWICE: 3\r\n"
                + "X-New: last\r\n"
                + "\r\n");
  }

  @Test
  void headerAddsDuplicatesAndWithoutRemovesThemAll() {
    HandshakeRequest twoKeys =
        HandshakeRequest.standard().key(KEY).header("Sec-WebSocket-Key", "x");
    assertThat(twoKeys.headers("Sec-WebSocket-Key")).containsExactly(KEY, "x");
    assertThat(twoKeys.render(URI_, new Random(1)).keys()).containsExactly(KEY, "x");
    assertThat(render(twoKeys))
        .endsWith("Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: x\r\n\r\n");
    assertThat(render(twoKeys.without("SEC-WEBSOCKET-KEY"))).doesNotContain("Sec-WebSocket-Key");
    assertThat(render(HandshakeRequest.standard().without("Host").without("Connection")))
        .isEqualTo(
            "GET /chat?room=1 HTTP/1.1\r\n"
                + "Upgrade: websocket\r\n"
                + "Sec-WebSocket-Key: "
                + HandshakeRequest.standard().render(URI_, new Random(1)).keys().get(0)
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
  }

  @Test
  void theRequestLineIsSentAsWrittenNulIncluded() {
    HandshakeRequest request =
        HandshakeRequest.standard().key(KEY).method("POST").target("/a\0b").httpVersion("HTTP/1.0");
    ByteString bytes = request.render(URI_, new Random(1)).bytes();
    assertThat(bytes.rangeEquals(0, ByteString.encodeUtf8("POST /a\0b HTTP/1.0\r\n"), 0, 20))
        .isTrue();
    assertThat(request.toString()).startsWith("POST /a\\0b HTTP/1.0\nHost: <from the URI>\n");
    assertThat(HandshakeRequest.standard().httpVersion("").toBytes(URI_).utf8())
        .startsWith("GET /chat?room=1\r\n");
  }

  @Test
  void aBodyComesWithItsLengthUnlessTheTestLiesAboutIt() {
    HandshakeRequest request = HandshakeRequest.standard().key(KEY).body("hello");
    assertThat(render(request)).endsWith("Content-Length: 5\r\n\r\nhello");
    assertThat(render(request.with("Content-Length", "100")))
        .endsWith("Content-Length: 100\r\n\r\nhello");
    assertThat(render(request.without("Content-Length")))
        .endsWith("Sec-WebSocket-Version: 13\r\n\r\nhello");
    assertThat(request.body()).isEqualTo(ByteString.encodeUtf8("hello"));
  }

  @Test
  void repeatedHeaderLinesComeFirst() {
    HandshakeRequest request = HandshakeRequest.standard().key(KEY).repeatedHeader("a", "", 3);
    assertThat(render(request))
        .startsWith(
            "GET /chat?room=1 HTTP/1.1\r\n"
                + "a: \r\n"
                + "a: \r\n"
                + "a: \r\n"
                + "Host: 127.0.0.1:8080\r\n");
    // CVE-2024-37890's request: more lines than Node keeps, in less head than Node allows.
    String cve = render(HandshakeRequest.standard().repeatedHeader("a", "", 2001));
    assertThat(cve.lines().filter(line -> line.equals("a: ")).count()).isEqualTo(2001);
    assertThat(cve.length()).isLessThan(16 * 1024);
    assertThat(render(HandshakeRequest.standard().repeatedHeader("X", "x", 100_000)).lines())
        .hasSize(100_000 + 7);
  }

  @Test
  void everyMethodReturnsANewRequestAndLeavesItsReceiverAlone() {
    HandshakeRequest standard = HandshakeRequest.standard();
    HandshakeRequest changed = standard.version("8").method("PUT").body("x").target("/y");
    assertThat(changed).isNotEqualTo(standard);
    assertThat(standard).isEqualTo(HandshakeRequest.standard());
    assertThat(standard.method()).isEqualTo("GET");
    assertThat(standard.target()).isNull();
    assertThat(standard.headers("Sec-WebSocket-Version")).containsExactly("13");
    assertThat(standard.body()).isEqualTo(ByteString.EMPTY);
    assertThat(changed)
        .isEqualTo(HandshakeRequest.standard().version("8").method("PUT").body("x").target("/y"))
        .hasSameHashCodeAs(
            HandshakeRequest.standard().version("8").method("PUT").body("x").target("/y"));
  }

  @Test
  void theClientsOwnRequestAddsItsSettingsInTheOrderItAlwaysSentThem() {
    ClientSettings.Draft draft = new ClientSettings.Draft(URI_);
    draft.origin("http://example.com");
    draft.subprotocols("chat", "superchat");
    draft.extensions("permessage-deflate");
    draft.header("X-Api-Key", "secret");
    ClientSettings settings = draft.build();
    assertThat(render(Handshake.requestOf(settings).key(KEY)))
        .isEqualTo(Handshake.request(settings, KEY))
        .endsWith(
            "Sec-WebSocket-Version: 13\r\n"
                + "Origin: http://example.com\r\n"
                + "Sec-WebSocket-Protocol: chat, superchat\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate\r\n"
                + "X-Api-Key: secret\r\n"
                + "\r\n");
  }

  @Test
  void misuseIsOneSentenceNamingTheCulpritAndTheFix() {
    HandshakeRequest standard = HandshakeRequest.standard();
    assertThatThrownBy(() -> standard.with("X-A\r\nX-B", "v"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "with was given the header name \"X-A\\r\\nX-B\", which would not be read back as one"
                + " header name (empty, a colon, a line break or a leading blank); name a header"
                + " such as X-Test, or use sendRaw for bytes like these");
    assertThatThrownBy(() -> standard.header("X-A", "v\r\nX-B: smuggled"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "header(\"X-A\", \"v\\r\\nX-B: smuggled\"): the value holds a line break, which would"
                + " start another header line; add a second header with header(name, value), or"
                + " use sendRaw for bytes like these");
    assertThatThrownBy(() -> standard.with("X-A", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage(
            "with(\"X-A\", null): the value is null; pass \"\" for an empty header, or use"
                + " without(\"X-A\") to leave it out");
    assertThatThrownBy(() -> standard.key(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage(
            "key(null): the value is null; pass \"\" for an empty header, or use"
                + " without(\"Sec-WebSocket-Key\") to leave it out");
    assertThatThrownBy(() -> standard.version("13\r\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("version(\"13\\r\\n\"): the value holds a line break");
    assertThatThrownBy(() -> standard.without(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("without(null): the header name is null; pass one such as \"X-Test\"");
    for (String name : List.of("", "Host:", " Folded")) {
      assertThatThrownBy(() -> standard.header(name, "v"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("header was given the header name \"" + name + "\"");
    }
    assertThatThrownBy(() -> standard.target("/a\nb"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "target(\"/a\\nb\") holds a line break, which would end the request line there; to"
                + " send such bytes, use sendRaw with the request text");
    assertThatThrownBy(() -> standard.method(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("method(null): the method is null; pass one such as \"GET\"");
    assertThatThrownBy(() -> standard.repeatedHeader("X", "x", 100_001))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "repeatedHeader was asked for 100001 lines; ask for 1 to 100000 (100,000 already pass"
                + " every server's limit by far)");
    assertThatThrownBy(() -> standard.repeatedHeader("X", "x", 0))
        .hasMessageStartingWith("repeatedHeader was asked for 0 lines");
    assertThatThrownBy(() -> standard.body((String) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("body(null): the body is null; pass one such as \"\"");
  }
}
