package io.github.wsrobustness.assertj;

import io.github.wsrobustness.frame.CloseCode;
import io.github.wsrobustness.frame.ReceivedFrame;
import io.github.wsrobustness.internal.Transcript;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Phrases shared by the failure messages. */
final class Messages {
  private Messages() {}

  /** {@code 1002 (PROTOCOL_ERROR)}, or {@code one of 1002 (PROTOCOL_ERROR), 1007 (...)}. */
  static String codes(int... codes) {
    String listed =
        Arrays.stream(codes).mapToObj(CloseCode::describe).collect(Collectors.joining(", "));
    return codes.length == 1 ? listed : "one of " + listed;
  }

  /** A frame's header line, its violations, and its wire bytes in hex. */
  static String frame(ReceivedFrame frame) {
    String violations =
        frame.violations().isEmpty()
            ? ""
            : "\n  violations: " + String.join("; ", frame.violations());
    return frame.describe() + violations + "\n  bytes: " + Transcript.hex(frame.wireBytes());
  }

  /** AssertJ formats messages with String.format; a transcript may hold '%'. */
  static String escape(String message) {
    return message.replace("%", "%%");
  }
}
