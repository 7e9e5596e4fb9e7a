package dev.wren.device.hardware;

import com.pi4j.context.Context;
import dev.wren.device.ClimateReading;
import dev.wren.device.DeviceException;
import dev.wren.device.Pause;
import dev.wren.device.bme280.Bme280Config;
import dev.wren.device.bme280.Bme280Driver;
import dev.wren.device.ds18b20.Ds18b20Bus;
import dev.wren.device.ds18b20.Ds18b20Sensor;
import dev.wren.device.pi4j.Pi4jIoFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On a real Raspberry Pi with the parts wired as device-pi4j/README.md describes; run with
 * {@code mvn -pl device-pi4j test -Dhardware=true -Dtest=HardwareSmokeTest}. Without {@code -Dhardware=true}
 * Surefire reports these as skipped; CI does not claim them.
 */
@EnabledIfSystemProperty(named = "hardware", matches = "true")
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HardwareSmokeTest {

    @Test
    void bme280OnI2cBus1GivesAPlausibleIndoorReading() throws DeviceException {
        int address = Integer.decode(System.getProperty("wren.bme280.address", "0x76"));
        Context context = Pi4jIoFactory.newContext(System.getProperty("wren.gpio.chip"));
        try {
            Bme280Driver driver = new Bme280Driver(new Pi4jIoFactory(context).i2c(1, address),
                    Bme280Config.WEATHER_MONITORING, Pause.SLEEP);
            ClimateReading r = new ClimateReading();
            driver.read(r);
            System.out.println("hardware: BME280 0x" + Integer.toHexString(address) + " " + r);
            assertTrue(r.temperatureCelsius() > -10 && r.temperatureCelsius() < 50, r.toString());
            assertTrue(r.pressurePascals() > 85_000 && r.pressurePascals() < 110_000, r.toString());
        } finally {
            context.shutdown();
        }
    }

    @Test
    void everyDs18b20OnThe1WireBusReadsAPlausibleTemperature() throws DeviceException {
        Ds18b20Bus bus = new Ds18b20Bus(Ds18b20Bus.DEFAULT_ROOT);
        String[] ids = bus.discover();
        assertTrue(ids.length > 0, "no 28-* device under " + bus.root());
        for (String id : ids) {
            try (Ds18b20Sensor sensor = bus.open(id)) {
                double celsius = sensor.readCelsius();
                System.out.println("hardware: " + id + " " + celsius + " °C");
                assertTrue(celsius > -40 && celsius < 60, id + " " + celsius);
            }
        }
    }
}
