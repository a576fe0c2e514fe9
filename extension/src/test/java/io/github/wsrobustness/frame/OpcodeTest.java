package io.github.wsrobustness.frame;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpcodeTest {
  @ParameterizedTest(name = "0x{0}: {1}")
  @CsvSource({
    "0, CONTINUATION, false, false",
    "1, TEXT, false, false",
    "2, BINARY, false, false",
    "3, reserved 0x3, true, false",
    "4, reserved 0x4, true, false",
    "5, reserved 0x5, true, false",
    "6, reserved 0x6, true, false",
    "7, reserved 0x7, true, false",
    "8, CLOSE, false, true",
    "9, PING, false, true",
    "a, PONG, false, true",
    "b, reserved 0xB, true, true",
    "c, reserved 0xC, true, true",
    "d, reserved 0xD, true, true",
    "e, reserved 0xE, true, true",
    "f, reserved 0xF, true, true",
  })
  void everyNibble(String nibble, String description, boolean reserved, boolean control) {
    int opcode = Integer.parseInt(nibble, 16);
    assertThat(Opcode.describe(opcode)).isEqualTo(description);
    assertThat(Opcode.isReserved(opcode)).isEqualTo(reserved);
    assertThat(Opcode.isControl(opcode)).isEqualTo(control);
    Opcode named = Opcode.forValue(opcode);
    if (reserved) {
      assertThat(named).isNull();
    } else {
      assertThat(named.value()).isEqualTo(opcode);
      assertThat(named.name()).isEqualTo(description);
      assertThat(named.isControl()).isEqualTo(control);
    }
  }
}
