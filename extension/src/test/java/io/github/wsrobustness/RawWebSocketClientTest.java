package io.github.wsrobustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wsrobustness.frame.Frame;
import io.github.wsrobustness.frame.Opcode;
import io.github.wsrobustness.frame.ReceivedFrame;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okio.Buffer;
import okio.ByteString;
import org.junit.jupiter.api.Test;

/** The raw client against loopback peers, well-behaved and hostile. */
class RawWebSocketClientTest {
  private static final Duration SHORT = Duration.ofMillis(300);

  /**
   * A peer that follows RFC 6455 §5.1: an unmasked client frame gets close 1002, then TCP closes.
   */
  private static void maskingRuleServer(
      TestPeer.Connection c, CompletableFuture<ByteString> received) throws IOException {
    c.acceptHandshake();
    ReceivedFrame frame = c.readFrame();
    received.complete(frame.wireBytes());
    if (!frame.isMasked()) {
      c.writeHex("88 02 03 ea");
      ReceivedFrame reply = c.readFrame(); // the client's close reply completes the close handshake
      assertThat(reply.isClose()).isTrue();
    }
    c.close();
  }

  @Test
  void unmaskedFrameGetsClose1002EndToEnd() throws Exception {
    CompletableFuture<ByteString> received = new CompletableFuture<>();
    try (TestPeer peer = TestPeer.start(c -> maskingRuleServer(c, received));
        RawWebSocketClient ws = RawWebSocketClient.connect(peer.uri())) {
      ws.send(Frame.text("hello").unmasked());
      Outcome outcome = ws.awaitOutcome();

      assertThat(received.get(5, TimeUnit.SECONDS).hex()).isEqualTo("810568656c6c6f");
      assertThat(outcome.kind()).isEqualTo(Outcome.Kind.CLOSED);
      assertThat(outcome.closeCode()).hasValue(1002);
      assertThat(outcome.isClosedWith(1002)).isTrue();
      assertThat(outcome.isClosedWith(1000, 1007)).isFalse();
      assertThat(outcome.tcpEnd()).isEqualTo(Outcome.TcpEnd.CLEAN);
      assertThat(outcome.describe())
          .matches(
              "the server closed with 1002 \\(PROTOCOL_ERROR\\) after \\d+ ms, then TCP closed cleanly");
      assertThat(ws.transcript())
          .contains(
              ">> TEXT fin unmasked len=5",
              "81 05 68 65 6c 6c 6f",
              "<< CLOSE fin len=2 code=1002",
              "88 02 03 ea",
              "<< end of stream");
      peer.awaitScript();
    }
  }

  @Test
  void handshakeSendsTheRequestRfc6455AsksFor() throws Exception {
    CompletableFuture<Map<String, String>> request = new CompletableFuture<>();
    try (TestPeer peer =
            TestPeer.start(
                c -> {
                  request.complete(c.acceptHandshake());
                  c.awaitEndOfStream();
                });
        RawWebSocketClient ws =
            RawWebSocketClient.builder(peer.uri())
                .subprotocols("chat", "superchat")
                .extensions("permessage-deflate")
                .origin("http://example.test")
                .header("X-Test", "yes")
                .connect()) {
      Map<String, String> headers = request.get(5, TimeUnit.SECONDS);
      assertThat(headers)
          .containsEntry("request-line", "GET /test?x=1 HTTP/1.1")
          .containsEntry("host", "127.0.0.1:" + peer.port())
          .containsEntry("upgrade", "websocket")
          .containsEntry("connection", "Upgrade")
          .containsEntry("sec-websocket-version", "13")
          .containsEntry("sec-websocket-protocol", "chat, superchat")
          .containsEntry("sec-websocket-extensions", "permessage-deflate")
          .containsEntry("origin", "http://example.test")
          .containsEntry("x-test", "yes");
      assertThat(ByteString.decodeBase64(headers.get("sec-websocket-key")).size()).isEqualTo(16);
      assertThat(ws.handshakeResponse().status()).isEqualTo(101);
      assertThat(ws.handshakeResponse().header("upgrade")).isEqualTo("websocket");
    }
  }

  @Test
  void serverThatNeverAnswersTheHandshakeFailsAtTheDeadline() throws Exception {
    try (TestPeer peer =
        TestPeer.start(
            c -> {
              c.readRequest();
              c.awaitEndOfStream(); // says nothing until the client gives up
            })) {
      assertThatThrownBy(() -> RawWebSocketClient.builder(peer.uri()).deadline(SHORT).connect())
          .isInstanceOf(HandshakeException.class)
          .hasMessageStartingWith("no complete HTTP response within 300 ms (nothing was received)")
          .hasMessageContaining("HTTP request:")
          .hasMessageContaining("GET /test?x=1 HTTP/1.1");
    }
  }

  @Test
  void wrongAcceptKeyIsRejected() throws Exception {
    try (TestPeer peer =
        TestPeer.start(
            c -> {
              c.readRequest();
              c.writeUtf8(
                  "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      + "Sec-WebSocket-Accept: bm90IHRoZSByaWdodCBrZXk=\r\n\r\n");
              c.awaitEndOfStream();
            })) {
      assertThatThrownBy(
              () ->
                  RawWebSocketClient.builder(peer.uri()).random(new java.util.Random(7)).connect())
          .isInstanceOf(HandshakeException.class)
          .hasMessageMatching(
              "(?s)expected 'Sec-WebSocket-Accept: \\S+=' for key \\S+=, but it was "
                  + "'bm90IHRoZSByaWdodCBrZXk='\n.*")
          .satisfies(e -> assertThat(((HandshakeException) e).response().status()).isEqualTo(101));
    }
  }

  @Test
  void missingUpgradeHeaderIsRejected() throws Exception {
    try (TestPeer peer =
        TestPeer.start(
            c -> {
              c.readRequest();
              c.writeUtf8("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n\r\n");
              c.awaitEndOfStream();
            })) {
      assertThatThrownBy(() -> RawWebSocketClient.connect(peer.uri()))
          .isInstanceOf(HandshakeException.class)
          .hasMessageStartingWith(
              "expected 'Upgrade: websocket' in the 101 response, but it was absent");
    }
  }

  @Test
  void status400IsReportedWithItsBody() throws Exception {
    try (TestPeer peer =
        TestPeer.start(
            c -> {
              c.readRequest();
              c.writeUtf8(
                  "HTTP/1.1 400 Bad Request\r\nContent-Length: 11\r\nX-Why: no\r\n\r\nbad request");
              c.awaitEndOfStream();
            })) {
      assertThatThrownBy(() -> RawWebSocketClient.connect(peer.uri()))
          .isInstanceOf(HandshakeException.class)
          .hasMessageStartingWith(
              "expected HTTP 101 Switching Protocols, but the server answered 'HTTP/1.1 400 Bad Request'")
          .satisfies(
              e -> {
                HandshakeResponse response = ((HandshakeException) e).response();
                assertThat(response.status()).isEqualTo(400);
                assertThat(response.header("x-why")).isEqualTo("no");
                assertThat(response.body().utf8()).isEqualTo("bad request");
              });
    }
  }

  @Test
  void unupgradedClientSendsItsOwnRequestAndReadsTheAnswer() throws Exception {
    CompletableFuture<String> requestLine = new CompletableFuture<>();
    try (TestPeer peer =
            TestPeer.start(
                c -> {
                  requestLine.complete(c.readRequest().get("request-line"));
                  c.writeUtf8(
                      "HTTP/1.1 426 Upgrade Required\r\nTransfer-Encoding: chunked\r\n\r\n"
                          + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
                  c.awaitEndOfStream();
                });
        RawWebSocketClient ws = RawWebSocketClient.builder(peer.uri()).connectWithoutUpgrade()) {
      ws.sendRaw("GET /test HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n");
      HandshakeResponse response = ws.awaitHttpResponse();

      assertThat(requestLine.get(5, TimeUnit.SECONDS)).isEqualTo("GET /test HTTP/1.1");
      assertThat(response.status()).isEqualTo(426);
      assertThat(response.body().utf8()).isEqualTo("hello world");
      assertThat(ws.transcript()).contains("<< HTTP response:", "HTTP/1.1 426 Upgrade Required");
    }
  }

  @Test
  void serverClosingBeforeAnsweringIsReported() throws Exception {
    try (TestPeer peer =
        TestPeer.start(
            c -> {
              c.readRequest();
              c.writeUtf8("HTTP/1.1 101 Swi");
              c.close();
            })) {
      assertThatThrownBy(() -> RawWebSocketClient.connect(peer.uri()))
          .isInstanceOf(HandshakeException.class)
          .hasMessageStartingWith(
              "the server closed the connection before a complete HTTP response "
                  + "(received: \"HTTP/1.1 101 Swi\")");
    }
  }

  @Test
  void serverClosingMidFrameIsADropWithTheBytesThatArrived() throws Exception {
    try (TestPeer peer =
            TestPeer.start(
                c -> {
                  c.acceptHandshake();
                  c.writeHex("81 05 68 65"); // a 5-byte text frame cut after 2 payload bytes
                  c.close();
                });
        RawWebSocketClient ws = RawWebSocketClient.connect(peer.uri())) {
      // The subject is that the flood ends and is counted, not how fast: a slow CI runner gets 30
      // s.
      Outcome outcome = ws.awaitOutcome(Duration.ofSeconds(30));

      assertThat(outcome.kind()).isEqualTo(Outcome.Kind.DROPPED);
      assertThat(outcome.tcpEnd()).isEqualTo(Outcome.TcpEnd.CLEAN);
      assertThat(outcome.describe())
          .matches(
              "the server dropped the connection without a close frame \\(end of stream inside a frame: "
                  + "stream ended inside a frame after 2 of 5 payload bytes\\) after \\d+ ms");
      assertThat(ws.transcript()).contains("partial frame", "81 05 68 65");
    }
  }

  @Test
  void serverResetIsADropByReset() throws Exception {
    try (TestPeer peer =
            TestPeer.start(
                c -> {
                  c.acceptHandshake();
                  c.readFrame();
                  c.reset();
                });
        RawWebSocketClient ws = RawWebSocketClient.connect(peer.uri())) {
      ws.sendText("trigger");
      Outcome outcome = ws.awaitOutcome();

      assertThat(outcome.kind()).isEqualTo(Outcome.Kind.DROPPED);
      assertThat(outcome.tcpEnd()).isEqualTo(Outcome.TcpEnd.RESET);
      assertThat(outcome.describe())
          .matches(
              "the server dropped the connection without a close frame \\(connection reset\\) after \\d+ ms");
      assertThat(ws.events())
          .last()
          .extracting(ServerEvent::kind)
          .isEqualTo(ServerEvent.Kind.RESET);
    }
  }

  @Test
  void floodingServerEndsWithinTheDeadlineWithEveryFrameCounted() throws Exception {
    int frames = 20_000; // bounded flood
    try (TestPeer peer =
            TestPeer.start(
                c -> {
                  c.acceptHandshake();
                  Buffer burst = new Buffer();
                  for (int i = 0; i < frames; i++) burst.write(ByteString.decodeHex("8103666c64"));
                  c.sink.writeAll(burst);
                  c.sink.flush();
                  c.close();
                });
        RawWebSocketClient ws = RawWebSocketClient.connect(peer.uri())) {
      // The subject is that the flood ends and is counted, not how fast: a slow CI runner gets 30
      // s.
      Outcome outcome = ws.awaitOutcome(Duration.ofSeconds(30));

      assertThat(outcome.kind()).isEqualTo(Outcome.Kind.DROPPED);
      List<ServerEvent> events = ws.events();
      assertThat(events).hasSize(frames + 1);
      assertThat(events.get(frames - 1).frame().payloadUtf8()).isEqualTo("fld");
      assertThat(ws.transcript()).contains("entries omitted");
    }
  }

  @Test
  void silentServerLeavesTheConnectionStillOpenAtTheDeadline() throws Exception {
    try (TestPeer peer =
            TestPeer.start(
                c -> {
                  c.acceptHandshake();
                  c.awaitEndOfStream();
                });
        RawWebSocketClient ws = RawWebSocketClient.connect(peer.uri())) {
      ws.send(Frame.pong("unsolicited"));
      Outcome outcome = ws.awaitOutcome(SHORT);

      assertThat(outcome.kind()).isEqualTo(Outcome.Kind.STILL_OPEN);
      assertThat(outcome.tcpEnd()).isEqualTo(Outcome.TcpEnd.OPEN);
      assertThat(outcome.after()).isGreaterThanOrEqualTo(SHORT);
      assertThat(outcome.describe()).matches("the connection was still open after \\d+ ms");
    }
  }

  @Test
  void probeIsAnsweredByAServerThatProcessedEverythingBefore() throws Exception {
    try (TestPeer peer = TestPeer.start(TestPeer::echo);
        RawWebSocketClient ws = RawWebSocketClient.connect(peer.uri())) {
      ws.send(Frame.pong("ignored"));
      assertThat(ws.probe()).isTrue();
      assertThat(ws.events())
          .singleElement()
          .satisfies(e -> assertThat(e.frame().payloadUtf8()).startsWith("wsrobustness-probe-"));
      // The probe's pong is the client's business: frame waits skip it.
      ws.send(Frame.ping("mine"));
      assertThat(ws.awaitFrame().payloadUtf8()).isEqualTo("mine");
    }
  }

  @Test
  void probeFailsWhenTheServerStaysSilent() throws Exception {
    try (TestPeer peer =
            TestPeer.start(
                c -> {
                  c.acceptHandshake();
                  c.awaitEndOfStream();
                });
        RawWebSocketClient ws = RawWebSocketClient.connect(peer.uri())) {
      assertThat(ws.probe(SHORT)).isFalse();
    }
  }

  @Test
  void probeFailsAtOnceWhenTheServerDrops() throws Exception {
    try (TestPeer peer =
            TestPeer.start(
                c -> {
                  c.acceptHandshake();
                  c.readFrame();
                  c.close();
                });
        RawWebSocketClient ws = RawWebSocketClient.connect(peer.uri())) {
      long start = System.nanoTime();
      assertThat(ws.probe(Duration.ofSeconds(30))).isFalse();
      // decided by the end-of-stream event, not by the 30 s bound
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }
  }

  @Test
  void closeHandshakeWithAConformingServer() throws Exception {
    try (TestPeer peer = TestPeer.start(TestPeer::echo);
        RawWebSocketClient ws = RawWebSocketClient.connect(peer.uri())) {
      ws.sendText("héllo");
      assertThat(ws.awaitFrame().payloadUtf8()).isEqualTo("héllo");
      Outcome outcome = ws.closeHandshake(1000, "bye");

      assertThat(outcome.describe())
          .matches(
              "the server closed with 1000 \\(NORMAL_CLOSURE\\) \"bye\" after \\d+ ms, "
                  + "then TCP closed cleanly");
      assertThat(outcome.closeReason()).isEqualTo("bye");
    }
  }

  @Test
  void serverCloseWithAnInvalidCodeIsAnsweredWith1002AndFlagged() throws Exception {
    CompletableFuture<ByteString> reply = new CompletableFuture<>();
    try (TestPeer peer =
            TestPeer.start(
                c -> {
                  c.acceptHandshake();
                  c.writeHex("88 02 03 ed"); // 1005 must never be sent (RFC 6455 §7.4.1)
                  reply.complete(c.readFrame().payload());
                  c.close();
                });
        RawWebSocketClient ws = RawWebSocketClient.connect(peer.uri())) {
      Outcome outcome = ws.awaitOutcome();

      assertThat(reply.get(5, TimeUnit.SECONDS).hex()).isEqualTo("03ea");
      assertThat(outcome.describe())
          .contains(
              "the server closed with 1005 (NO_STATUS_RECEIVED)",
              "(the close frame is itself invalid: close code 1005 must not be sent in a close frame (RFC 6455 §7.4))");
    }
  }

  @Test
  void awaitFrameReportsAConnectionThatEnded() throws Exception {
    try (TestPeer peer =
            TestPeer.start(
                c -> {
                  c.acceptHandshake();
                  c.close();
                });
        RawWebSocketClient ws = RawWebSocketClient.connect(peer.uri())) {
      assertThatThrownBy(ws::awaitFrame)
          .isInstanceOf(AssertionError.class)
          .hasMessageMatching(
              "(?s)Expecting a frame from the server, but the server dropped the connection without"
                  + " a close frame \\(end of stream\\) after \\d+ ms\n\n"
                  + "Transcript \\(last 20 entries\\) of ws://127\\.0\\.0\\.1:\\d+/test\\?x=1:.*");
    }
  }

  @Test
  void awaitMessageFailsOnACloseFrameInsteadOfReturningIt() throws Exception {
    try (TestPeer peer =
            TestPeer.start(
                c -> {
                  c.acceptHandshake();
                  c.writeHex("88 02 03 e8");
                  c.readFrame();
                  c.close();
                });
        RawWebSocketClient ws = RawWebSocketClient.connect(peer.uri())) {
      assertThatThrownBy(ws::awaitMessage)
          .hasMessageStartingWith(
              "Expecting a message from the server, but the server closed with 1000"
                  + " (NORMAL_CLOSURE) after");
    }
  }

  @Test
  void awaitFrameTimesOutWithTheTranscript() throws Exception {
    try (TestPeer peer =
            TestPeer.start(
                c -> {
                  c.acceptHandshake();
                  c.awaitEndOfStream();
                });
        RawWebSocketClient ws = RawWebSocketClient.connect(peer.uri())) {
      ws.sendText("anyone?");
      assertThatThrownBy(() -> ws.awaitFrame(SHORT))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("Expecting a frame from the server, but nothing came within 300 ms")
          .hasMessageContaining(">> TEXT fin masked len=7");
    }
  }

  @Test
  void coalescedFramesArriveBackToBack() throws Exception {
    BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    try (TestPeer peer =
            TestPeer.start(
                c -> {
                  c.acceptHandshake();
                  for (int i = 0; i < 3; i++) seen.add(c.readFrame().describe());
                  c.awaitEndOfStream();
                });
        RawWebSocketClient ws = RawWebSocketClient.connect(peer.uri())) {
      ws.sendCoalesced(Frame.text("a").fin(false), Frame.ping("p"), Frame.continuation("b"));
      assertThat(List.of(poll(seen), poll(seen), poll(seen)))
          .containsExactly(
              "TEXT no-fin masked len=1", "PING fin masked len=1", "CONTINUATION fin masked len=1");
      assertThat(ws.transcript()).contains("[1 of 3 in one write]", "[3 of 3 in one write]");
    }
  }

  private static String poll(BlockingQueue<String> queue) throws InterruptedException {
    String value = queue.poll(5, TimeUnit.SECONDS);
    assertThat(value).as("a value within 5 s").isNotNull();
    return value;
  }

  /** What a peer's reads returned: the bytes, and how many reads it took. */
  private record Reads(ByteString bytes, int count) {}

  /** Reads raw bytes until it has {@code total}, counting the reads. */
  private static Reads readCounting(TestPeer.Connection c, int total) throws IOException {
    Buffer got = new Buffer();
    InputStream in = c.socket.getInputStream();
    byte[] buffer = new byte[1024];
    int reads = 0;
    while (got.size() < total) {
      int n = in.read(buffer);
      if (n == -1) break;
      got.write(buffer, 0, n);
      reads++;
    }
    return new Reads(got.readByteString(), reads);
  }

  @Test
  void deliveryCutsBytesIntoSeparateWrites() throws Exception {
    CompletableFuture<Reads> reads = new CompletableFuture<>();
    CompletableFuture<Void> peerReading = new CompletableFuture<>();
    try (TestPeer peer =
            TestPeer.start(
                c -> {
                  peerReading.complete(null);
                  reads.complete(readCounting(c, 7));
                });
        RawWebSocketClient ws = RawWebSocketClient.builder(peer.uri()).connectWithoutUpgrade()) {
      // Without a handshake nothing else tells us the peer has started reading; a peer that starts
      // late
      // would find all seven bytes already buffered.
      peerReading.get(5, TimeUnit.SECONDS);
      // The pauses keep the pieces apart on the wire; the delay is what is being tested here.
      // Exactly
      // where the cuts fall is DeliveryTest's to check: a busy peer may still read two pieces at
      // once.
      ws.sendRaw(
          ByteString.encodeUtf8("abcdefg"),
          Delivery.splitAt(3, 1).pauseBetween(Duration.ofMillis(100)));
      Reads got = reads.get(5, TimeUnit.SECONDS);
      assertThat(got.bytes().utf8()).isEqualTo("abcdefg");
      assertThat(got.count()).isGreaterThan(1);
      assertThat(ws.transcript())
          .contains(
              "raw 7 bytes of the request (split at [1, 3], 100 ms apart):\n            abcdefg");
    }
  }

  @Test
  void frameWrittenOneByteAtATimeIsReassembled() throws Exception {
    CompletableFuture<Reads> reads = new CompletableFuture<>();
    try (TestPeer peer =
            TestPeer.start(
                c -> {
                  c.acceptHandshake();
                  reads.complete(readCounting(c, 2 + 4 + 3));
                });
        RawWebSocketClient ws = RawWebSocketClient.connect(peer.uri())) {
      ws.send(Frame.text("abc"), Delivery.inChunksOf(1).pauseBetween(Duration.ofMillis(20)));
      Reads got = reads.get(5, TimeUnit.SECONDS);
      ReceivedFrame frame =
          new io.github.wsrobustness.frame.FrameReader(
                  new Buffer().write(got.bytes()), true, 0, 1024)
              .readFrame();
      assertThat(frame.payloadUtf8()).isEqualTo("abc");
      assertThat(frame.violations()).isEmpty();
      assertThat(got.count()).isGreaterThan(1);
    }
  }

  @Test
  void streamedFrameOfTenMebibytesArrivesIntact() throws Exception {
    long length = 10L * 1024 * 1024;
    CompletableFuture<ReceivedFrame> received = new CompletableFuture<>();
    try (TestPeer peer =
            TestPeer.start(
                c -> {
                  c.acceptHandshake();
                  received.complete(c.readFrame());
                  c.awaitEndOfStream();
                });
        RawWebSocketClient ws = RawWebSocketClient.connect(peer.uri())) {
      ws.send(Frame.streamed(Opcode.BINARY, length, () -> TestPeer.counting(length)));
      ReceivedFrame frame = received.get(10, TimeUnit.SECONDS);

      Buffer expected = new Buffer();
      TestPeer.counting(length).read(expected, length);
      assertThat(frame.declaredLength()).isEqualTo(length);
      assertThat(frame.violations()).isEmpty();
      assertThat(frame.payload().sha256()).isEqualTo(expected.sha256());
      assertThat(ws.transcript()).contains("BINARY fin masked len=10485760, payload streamed");
    }
  }

  @Test
  void sixteenMebibyteEchoLeavesASmallTranscript() throws Exception {
    byte[] payload = new byte[16 * 1024 * 1024];
    new java.util.Random(1).nextBytes(payload);
    try (TestPeer peer = TestPeer.start(TestPeer::echo);
        RawWebSocketClient ws = RawWebSocketClient.connect(peer.uri())) {
      ws.send(Frame.binary(payload));
      ReceivedFrame echo = ws.assertReceivesBinary(payload);
      assertThat(echo.isMessageTruncated()).isFalse();
      String transcript = ws.transcript();
      // Each direction shows the header and the payload's first bytes, then how many more came.
      assertThat(transcript).hasSizeLessThan(8 * 1024).contains("… (16,777,");
      assertThat(transcript.lines()).allSatisfy(line -> assertThat(line).hasSizeLessThan(300));
    }
  }

  @Test
  void halfCloseLetsTheServerStillClose() throws Exception {
    try (TestPeer peer =
            TestPeer.start(
                c -> {
                  c.acceptHandshake();
                  c.awaitEndOfStream(); // the client's FIN
                  c.writeHex("88 02 03 e8");
                  c.close();
                });
        RawWebSocketClient ws = RawWebSocketClient.connect(peer.uri())) {
      ws.shutdownOutput();
      Outcome outcome = ws.awaitOutcome();

      assertThat(outcome.closeCode()).hasValue(1000);
      assertThat(outcome.tcpEnd()).isEqualTo(Outcome.TcpEnd.CLEAN);
      assertThat(ws.transcript()).contains("client shut down its output (FIN)");
    }
  }

  @Test
  void abortSendsAReset() throws Exception {
    CompletableFuture<String> peerSaw = new CompletableFuture<>();
    try (TestPeer peer =
            TestPeer.start(
                c -> {
                  c.acceptHandshake();
                  try {
                    c.awaitEndOfStream();
                    peerSaw.complete("end of stream");
                  } catch (IOException e) {
                    peerSaw.complete(e.getMessage());
                  }
                });
        RawWebSocketClient ws = RawWebSocketClient.connect(peer.uri())) {
      ws.abort();
      assertThat(peerSaw.get(5, TimeUnit.SECONDS)).containsIgnoringCase("reset");
      assertThat(ws.isClosedLocally()).isTrue();
      assertThatThrownBy(() -> ws.sendText("late"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("this client is closed; connect a new one to send again");
    }
  }

  @Test
  void stoppedReaderDeliversNothingUntilResumed() throws Exception {
    try (TestPeer peer = TestPeer.start(TestPeer::echo);
        RawWebSocketClient ws = RawWebSocketClient.connect(peer.uri())) {
      assertThat(ws.probe()).isTrue(); // event 0: the probe's pong
      ws.stopReading();
      ws.sendText(
          "one"); // a read already blocked on the socket may still deliver this echo (event 1)
      ws.sendText("two");
      // Nothing can prove a negative by event, so this one wait is a bounded timer.
      assertThat(ws.awaitEvent(2, e -> true, SHORT)).as("event while reading is stopped").isNull();
      ws.resumeReading();
      assertThat(ws.awaitFrame().payloadUtf8()).isEqualTo("one");
      assertThat(ws.awaitFrame().payloadUtf8()).isEqualTo("two");
    }
  }

  @Test
  void writesToADeadServerAreRecordedNotThrown() throws Exception {
    try (TestPeer peer =
            TestPeer.start(
                c -> {
                  c.acceptHandshake();
                  c.reset();
                });
        RawWebSocketClient ws = RawWebSocketClient.connect(peer.uri())) {
      assertThat(ws.awaitOutcome().tcpEnd()).isEqualTo(Outcome.TcpEnd.RESET);
      byte[] big = new byte[256 * 1024];
      for (int i = 0; i < 4 && ws.writeFailure() == null; i++) ws.send(Frame.binary(big));
      assertThat(ws.writeFailure()).isNotNull();
      assertThat(ws.transcript()).contains("send of BINARY fin masked len=262144 failed after");
    }
  }

  @Test
  void badUrisAreRefusedWithTheFix() {
    assertThatThrownBy(() -> RawWebSocketClient.builder("http://localhost:8080/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "URI 'http://localhost:8080/' has scheme 'http'; a WebSocket target starts with ws:// or wss://");
    assertThatThrownBy(() -> RawWebSocketClient.builder("ws:///path"))
        .hasMessage("URI 'ws:///path' names no host; write it like ws://localhost:8080/path");
    assertThatThrownBy(() -> RawWebSocketClient.builder("ws://local host/"))
        .hasMessage(
            "'ws://local host/' is not a valid URI (Illegal character in authority); "
                + "write it like ws://localhost:8080/path");
    assertThatThrownBy(() -> RawWebSocketClient.builder("ws://localhost/").deadline(Duration.ZERO))
        .hasMessage("deadline must be positive, was PT0S");
  }

  @Test
  void refusedConnectionSaysWhere() throws Exception {
    int port =
        1; // nothing listens on tcpmux's port; a just-freed port could be taken by a parallel test
    assertThatThrownBy(() -> RawWebSocketClient.connect("ws://127.0.0.1:" + port + "/"))
        .isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessageStartingWith(
            "could not connect to ws://127.0.0.1:"
                + port
                + "/ within 5000 ms: TCP connect to 127.0.0.1:"
                + port
                + ": Connection refused");
  }

  @Test
  void abortWakesAStoppedReaderSoItsThreadEnds() throws Exception {
    try (TestPeer peer = TestPeer.start(TestPeer::echo);
        RawWebSocketClient ws = RawWebSocketClient.connect(peer.uri())) {
      // More than socket buffers hold: from here on the client reads in a thread of its own.
      ws.send(Frame.binary(new byte[200 * 1024]));
      assertThat(ws.awaitMessage().message().size()).isEqualTo(200 * 1024);
      ws.stopReading();
      ws.sendText("wakes the blocked read, which then parks");
      Thread reader = readerThread(peer).orElseThrow();
      ws.abort();
      reader.join(5_000);
      assertThat(reader.isAlive()).as("reader thread after abort()").isFalse();
    }
  }

  private static java.util.Optional<Thread> readerThread(TestPeer peer) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("wsrobustness-reader " + peer.uri()))
        .findFirst();
  }

  /** A short exchange costs no thread: the waiting thread reads (the negative case's speed). */
  @Test
  void aShortExchangeIsReadByTheWaitingThreadAlone() throws Exception {
    try (TestPeer peer = TestPeer.start(c -> maskingRuleServer(c, new CompletableFuture<>()));
        RawWebSocketClient ws = RawWebSocketClient.connect(peer.uri())) {
      ws.send(Frame.text("hello").unmasked());
      assertThat(ws.assertClosesWith(1002).tcpEnd()).isEqualTo(Outcome.TcpEnd.CLEAN);
      assertThat(readerThread(peer)).isEmpty();
    }
  }

  @Test
  void invalidHttpFramingInARejectionIsReportedNotThrownRaw() throws Exception {
    try (TestPeer peer =
            TestPeer.start(
                c -> {
                  c.readRequest();
                  c.writeUtf8("HTTP/1.1 400 Bad Request\r\nContent-Length: -1\r\n\r\n");
                  c.awaitEndOfStream();
                });
        RawWebSocketClient ws = RawWebSocketClient.builder(peer.uri()).connectWithoutUpgrade()) {
      ws.sendRaw("GET / HTTP/1.1\r\n\r\n");
      assertThatThrownBy(ws::awaitHttpResponse)
          .isInstanceOf(HandshakeException.class)
          .hasMessageStartingWith(
              "the server sent an invalid HTTP Content-Length: -1; the response body cannot be read");
    }
  }

  @Test
  void overlongHttpLineIsReported() throws Exception {
    try (TestPeer peer =
            TestPeer.start(
                c -> {
                  c.readRequest();
                  c.writeUtf8(
                      "HTTP/1.1 400 Bad Request\r\nX-Long: " + "a".repeat(20_000) + "\r\n\r\n");
                  c.awaitEndOfStream();
                });
        RawWebSocketClient ws = RawWebSocketClient.builder(peer.uri()).connectWithoutUpgrade()) {
      ws.sendRaw("GET / HTTP/1.1\r\n\r\n");
      assertThatThrownBy(ws::awaitHttpResponse)
          .isInstanceOf(HandshakeException.class)
          .hasMessageStartingWith(
              "the server sent an HTTP line longer than 16384 bytes (received: \"HTTP/1.1 400 Bad Request\\n\")");
    }
  }

  @Test
  void subprotocolTheClientDidNotOfferFailsTheHandshake() throws Exception {
    try (TestPeer peer =
        TestPeer.start(
            c -> {
              String key = c.readRequest().get("sec-websocket-key");
              c.writeUtf8(
                  "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      + "Sec-WebSocket-Accept: "
                      + io.github.wsrobustness.frame.WebSocketProtocol.acceptHeader(key)
                      + "\r\n"
                      + "Sec-WebSocket-Protocol: mqtt\r\n\r\n");
              c.awaitEndOfStream();
            })) {
      assertThatThrownBy(
              () -> RawWebSocketClient.builder(peer.uri()).subprotocols("chat").connect())
          .isInstanceOf(HandshakeException.class)
          .hasMessageStartingWith(
              "the server selected subprotocol 'mqtt', which the client did not offer (offered: chat);"
                  + " RFC 6455 §4.1 says to fail the connection");
    }
  }

  @Test
  void changingTheBuilderLaterDoesNotReachAConnectedClient() throws Exception {
    try (TestPeer peer = TestPeer.start(TestPeer::echo)) {
      RawWebSocketClient.Builder builder =
          RawWebSocketClient.builder(peer.uri()).deadline(Duration.ofSeconds(3));
      try (RawWebSocketClient ws = builder.connect()) {
        builder.deadline(Duration.ofMillis(1));
        assertThat(ws.deadline()).isEqualTo(Duration.ofSeconds(3));
      }
    }
  }

  @Test
  void invalidArgumentsAreRefusedWithTheFix() {
    assertThatThrownBy(() -> RawWebSocketClient.builder("ws://localhost:70000/"))
        .hasMessage("URI 'ws://localhost:70000/' has port 70000; a port is 1 to 65535");
    assertThatThrownBy(() -> Frame.close(70000, ""))
        .hasMessage(
            "close code 70000 does not fit the 2-byte code field; use 0 to 65535 (closeWithPayload writes any bytes)");
  }
}
