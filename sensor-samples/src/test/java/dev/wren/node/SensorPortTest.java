package dev.wren.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wren.device.DeviceException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SensorPortTest {
  @Test
  void sensorMissingAtStartIsOpenedAgainAtEachReadUntilItAnswers() throws Exception {
    int[] opens = {0};
    SensorPort port = new SensorPort.Reopening(() -> {
      if (++opens[0] < 3) {
        throw new DeviceException(DeviceException.Reason.NOT_RESPONDING, "i2c bus 1 address 0x76: no ACK");
      }
      return (out, off) -> out[off] = 21.5;
    });
    double[] values = new double[2];

    DeviceException first = assertThrows(DeviceException.class, () -> port.read(values, 1));
    assertThrows(DeviceException.class, () -> port.read(values, 1));
    port.read(values, 1);
    port.read(values, 1);

    assertTrue(first.getMessage().contains("0x76"), first.getMessage());
    assertEquals(21.5, values[1]);
    assertEquals(3, opens[0], "opened until it answered, then kept");
  }

  @Test
  void climatePortPicksTheConfiguredQuantitiesInOrder() throws Exception {
    SensorPort port = new SensorPort.Climate(r -> r.set(21.53, 48.2, 101_325.0), List.of(
        new NodeConfig.Reading(Quantity.PRESSURE, "p", 10), new NodeConfig.Reading(Quantity.TEMPERATURE, "t", 10)));
    double[] values = new double[2];

    port.read(values, 0);

    assertEquals(1013.25, values[0], 1e-9, "hPa");
    assertEquals(21.53, values[1], 1e-9);
  }
}
