package io.github.wsrobustness.assertj;

import static io.github.wsrobustness.assertj.ShouldHaveContent.shouldHave;

import io.github.wsrobustness.frame.CloseCode;
import io.github.wsrobustness.frame.Opcode;
import io.github.wsrobustness.frame.Previews;
import io.github.wsrobustness.frame.ReceivedFrame;
import okio.ByteString;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.internal.Failures;

/**
 * Assertions on a frame the server sent ({@link ReceivedFrame}, RFC 6455 §5): its kind, payload,
 * close code, and the protocol violations the reader found in it. Messages show what was sent (text
 * as escaped text, binary as hex) and the frame's header.
 *
 * <p>Thread-safety: like every AssertJ assertion, one thread at a time.
 */
public class ReceivedFrameAssert extends AbstractAssert<ReceivedFrameAssert, ReceivedFrame> {
  private static final int SHOWN = 200;

  /** Assertions on {@code actual}; public so that soft assertions can proxy it. */
  public ReceivedFrameAssert(ReceivedFrame actual) {
    super(actual, ReceivedFrameAssert.class);
  }

  /** The frame completes a text message (all fragments joined) equal to {@code text}. */
  public ReceivedFrameAssert isTextMessage(String text) {
    isNotNull();
    ByteString expected = ByteString.encodeUtf8(text);
    if (!isMessage(Opcode.TEXT, expected)) {
      Object shown =
          actual.message() != null && actual.messageOpcode() == Opcode.TEXT.value()
              ? actual.message().utf8()
              : actual.describeContent();
      fail("the text message " + Previews.text(expected, SHOWN), shown, text);
    }
    return this;
  }

  /** The frame completes a binary message equal to {@code bytes}. */
  public ReceivedFrameAssert isBinaryMessage(ByteString bytes) {
    isNotNull();
    if (!isMessage(Opcode.BINARY, bytes)) {
      Object shown =
          actual.message() != null
              ? Previews.hex(actual.message(), 4096)
              : actual.describeContent();
      fail(
          "the binary message " + Previews.hex(bytes, SHOWN / 4), shown, Previews.hex(bytes, 4096));
    }
    return this;
  }

  private boolean isMessage(Opcode opcode, ByteString expected) {
    return actual.message() != null
        && actual.messageOpcode() == opcode.value()
        && !actual.isMessageTruncated()
        && actual.message().equals(expected);
  }

  /** The frame is a pong whose payload is {@code payload}. */
  public ReceivedFrameAssert isPong(ByteString payload) {
    isNotNull();
    if (!actual.isPong() || !actual.payload().equals(payload)) {
      String expected = "PONG " + Previews.textOrHex(payload, SHOWN);
      fail("a pong " + Previews.textOrHex(payload, SHOWN), actual.describeContent(), expected);
    }
    return this;
  }

  /** The frame is a close frame with {@code code}. */
  public ReceivedFrameAssert isClose(int code) {
    isNotNull();
    if (!actual.isClose() || actual.closeCode().orElse(-1) != code) {
      fail("a close frame with " + CloseCode.describe(code), actual.describe(), "code=" + code);
    }
    return this;
  }

  /** The reader found no protocol violation in the frame. */
  public ReceivedFrameAssert hasNoViolations() {
    isNotNull();
    if (!actual.violations().isEmpty()) {
      fail("a frame without protocol violations", actual.violations(), "no violations");
    }
    return this;
  }

  /** The reader reported a violation containing {@code text}. */
  public ReceivedFrameAssert hasViolationContaining(String text) {
    isNotNull();
    if (actual.violations().stream().noneMatch(v -> v.contains(text))) {
      fail(
          "a frame with a protocol violation containing \"" + text + "\"",
          actual.violations(),
          text);
    }
    return this;
  }

  private void fail(String expectation, Object shown, Object expected) {
    throw Failures.instance().failure(info, shouldHave(expectation, actual), shown, expected);
  }
}
