package io.github.wsrobustness.frame;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import okio.ByteString;

/**
 * Strict UTF-8 validation, as §8.1 demands of text payloads: no overlongs, surrogates or
 * truncation.
 */
final class Utf8 {
  private Utf8() {}

  static boolean isValid(ByteString bytes) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
