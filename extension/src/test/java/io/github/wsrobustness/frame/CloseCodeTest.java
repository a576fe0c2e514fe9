package io.github.wsrobustness.frame;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CloseCodeTest {
  @ParameterizedTest(name = "{0} allowed on the wire: {1}")
  @CsvSource({
    "-1, false",
    "0, false",
    "999, false", // below the defined range
    "1000, true", // first defined code
    "1003, true",
    "1004, false", // reserved
    "1005, false", // "no status": never sent
    "1006, false", // "abnormal closure": never sent
    "1007, true",
    "1011, true",
    "1012, true", // IANA registry (service restart)
    "1014, true", // IANA registry (bad gateway), last allowed protocol code
    "1015, false", // "TLS handshake": never sent
    "1016, false", // Autobahn 7.9.6
    "1100, false",
    "2000, false",
    "2999, false", // last code of the range reserved for the protocol
    "3000, true", // first registered code
    "3999, true",
    "4000, true", // first private code
    "4999, true", // last private code
    "5000, false", // beyond every defined range
    "65535, false",
  })
  void isAllowedOnWire(int code, boolean allowed) {
    assertThat(CloseCode.isAllowedOnWire(code)).isEqualTo(allowed);
  }

  @Test
  void describe() {
    assertThat(CloseCode.describe(1002)).isEqualTo("1002 (PROTOCOL_ERROR)");
    assertThat(CloseCode.describe(4000)).isEqualTo("4000");
    assertThat(CloseCode.forCode(1015)).isEqualTo(CloseCode.TLS_HANDSHAKE);
    assertThat(CloseCode.forCode(999)).isNull();
  }

  @Test
  void everyNamedCodeIsAllowedUnlessItMustNeverBeSent() {
    for (CloseCode code : CloseCode.values()) {
      boolean neverSent =
          code == CloseCode.RESERVED_1004
              || code == CloseCode.NO_STATUS_RECEIVED
              || code == CloseCode.ABNORMAL_CLOSURE
              || code == CloseCode.TLS_HANDSHAKE;
      assertThat(CloseCode.isAllowedOnWire(code.code())).as(code.name()).isEqualTo(!neverSent);
    }
  }
}
