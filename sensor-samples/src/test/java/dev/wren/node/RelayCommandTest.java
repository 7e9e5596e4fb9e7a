package dev.wren.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RelayCommandTest {
  @ParameterizedTest(name = "''{0}'' -> {1}")
  @CsvSource({"ON, 1", "on, 1", "On, 1", "OFF, 0", "off, 0", "oFf, 0", "TOGGLE, 2", "toggle, 2",
      "'', -1", "O, -1", "ONN, -1", "' ON', -1", "1, -1", "true, -1", "OFF2, -1", "{, -1"})
  void commandsAreTheThreeWordsInAnyCase(String payload, int expected) {
    byte[] framed = ("xx" + payload + "yy").getBytes(StandardCharsets.US_ASCII);

    assertEquals(expected, RelayCommand.parse(framed, 2, payload.length()));
  }

  @Test
  void nonAsciiBytesNeverMatch() {
    byte[] b = {(byte) 0xCF, (byte) 0x8E};
    assertEquals(RelayCommand.INVALID, RelayCommand.parse(b, 0, 2));
  }

  @Test
  void toggleFlipsAndTheOthersSet() {
    assertTrue(RelayCommand.apply(RelayCommand.TOGGLE, false));
    assertFalse(RelayCommand.apply(RelayCommand.TOGGLE, true));
    assertTrue(RelayCommand.apply(RelayCommand.ON, true));
    assertFalse(RelayCommand.apply(RelayCommand.OFF, true));
  }
}
