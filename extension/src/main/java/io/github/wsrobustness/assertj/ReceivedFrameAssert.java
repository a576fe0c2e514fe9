package io.github.wsrobustness.assertj;

import io.github.wsrobustness.frame.Opcode;
import io.github.wsrobustness.frame.ReceivedFrame;
import okio.ByteString;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a frame the server sent ({@link ReceivedFrame}, RFC 6455 §5): its kind, payload,
 * close code, and the protocol violations the reader found in it. Messages show the frame's header
 * and bytes.
 *
 * <p>Thread-safety: like every AssertJ assertion, one thread at a time.
 */
public class ReceivedFrameAssert extends AbstractAssert<ReceivedFrameAssert, ReceivedFrame> {
  /** Assertions on {@code actual}; public so that soft assertions can proxy it. */
  public ReceivedFrameAssert(ReceivedFrame actual) {
    super(actual, ReceivedFrameAssert.class);
  }

  /** The frame completes a text message (all fragments joined) equal to {@code text}. */
  public ReceivedFrameAssert isTextMessage(String text) {
    return isMessage(Opcode.TEXT, ByteString.encodeUtf8(text), "a text message \"" + text + "\"");
  }

  /** The frame completes a binary message equal to {@code bytes}. */
  public ReceivedFrameAssert isBinaryMessage(ByteString bytes) {
    return isMessage(Opcode.BINARY, bytes, "a binary message " + bytes.hex());
  }

  private ReceivedFrameAssert isMessage(Opcode opcode, ByteString expected, String what) {
    isNotNull();
    if (actual.message() == null
        || actual.messageOpcode() != opcode.value()
        || !actual.message().equals(expected)) {
      fail(what);
    }
    return this;
  }

  /** The frame is a pong whose payload is {@code payload}. */
  public ReceivedFrameAssert isPong(ByteString payload) {
    isNotNull();
    if (!actual.isPong() || !actual.payload().equals(payload)) {
      fail("a pong with payload " + (payload.size() == 0 ? "(empty)" : payload.hex()));
    }
    return this;
  }

  /** The frame is a close frame with {@code code}. */
  public ReceivedFrameAssert isClose(int code) {
    isNotNull();
    if (!actual.isClose() || actual.closeCode().orElse(-1) != code)
      fail("a close frame with " + Messages.codes(code));
    return this;
  }

  /** The reader found no protocol violation in the frame. */
  public ReceivedFrameAssert hasNoViolations() {
    isNotNull();
    if (!actual.violations().isEmpty()) fail("a frame without protocol violations");
    return this;
  }

  /** The reader reported a violation containing {@code text}. */
  public ReceivedFrameAssert hasViolationContaining(String text) {
    isNotNull();
    if (actual.violations().stream().noneMatch(v -> v.contains(text))) {
      fail("a frame with a protocol violation containing \"" + text + "\"");
    }
    return this;
  }

  private void fail(String expectation) {
    failWithMessage(
        Messages.escape("\nExpecting " + expectation + "\nbut received " + Messages.frame(actual)));
  }
}
