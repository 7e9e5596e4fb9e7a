package dev.wren.device.sim;

import dev.wren.device.ds18b20.DallasCrc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A fake {@code /sys/bus/w1/devices} tree in a directory of the caller's choosing: each DS18B20 is a
 * {@code 28-xxxxxxxxxxxx/w1_slave} file written exactly as the kernel's w1-therm driver formats it (9 scratchpad
 * bytes, CRC verdict, {@code t=} millidegrees), so {@link dev.wren.device.ds18b20.Ds18b20Bus} runs over it
 * unchanged. Faults: power-on 85 °C, corrupted CRC, a vanished device. Writes files; meant for tests and the demo.
 */
public final class SimulatedOneWire {
    private final Path root;

    /**
     * Creates the tree's root directory if needed.
     *
     * @param root e.g. a JUnit temporary directory
     */
    public SimulatedOneWire(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The root to hand to {@link dev.wren.device.ds18b20.Ds18b20Bus}. */
    public Path root() {
        return root;
    }

    /**
     * Adds or updates a sensor at a temperature (12-bit resolution).
     *
     * @param deviceId e.g. {@code "28-0316a2794cff"}
     * @param celsius −55..125 °C
     */
    public void setCelsius(String deviceId, double celsius) {
        setRaw(deviceId, (int) Math.round(celsius * 16));
    }

    /**
     * Adds or updates a sensor with a raw temperature register value and a valid scratchpad.
     *
     * @param deviceId sensor id
     * @param raw 16-bit two's-complement register value (Table 1)
     */
    public void setRaw(String deviceId, int raw) {
        byte[] pad = {(byte) raw, (byte) (raw >> 8), 0x4B, 0x46, 0x7F, (byte) 0xFF, 0x0C, 0x10, 0};
        pad[8] = (byte) DallasCrc.crc8(pad, 0, 8);
        writeSlave(deviceId, pad, true, Math.round(raw / 16.0 * 1000));
    }

    /**
     * Makes a sensor report the 85 °C power-on value, as after a supply glitch.
     *
     * @param deviceId sensor id
     */
    public void powerOnReset(String deviceId) {
        setRaw(deviceId, 0x0550);
    }

    /**
     * Writes a scratchpad as given, with the kernel's verdict.
     *
     * @param deviceId sensor id
     * @param scratchpad 9 bytes as the sensor sent them
     * @param kernelCrcOk whether the line ends YES (true) or NO
     */
    public void setScratchpad(String deviceId, byte[] scratchpad, boolean kernelCrcOk) {
        int raw = (short) ((scratchpad[1] & 0xFF) << 8 | (scratchpad[0] & 0xFF));
        writeSlave(deviceId, scratchpad, kernelCrcOk, Math.round(raw / 16.0 * 1000));
    }

    /**
     * Deletes a sensor's directory, as when it is unplugged.
     *
     * @param deviceId sensor id
     */
    public void remove(String deviceId) {
        Path dir = root.resolve(deviceId);
        try {
            Files.deleteIfExists(dir.resolve("w1_slave"));
            Files.deleteIfExists(dir.resolve("temperature"));
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Adds a sensor that only has the newer {@code temperature} file (millidegrees).
     *
     * @param deviceId sensor id
     * @param millidegrees value to write
     */
    public void setTemperatureFile(String deviceId, long millidegrees) {
        write(deviceId, "temperature", millidegrees + "\n");
    }

    private void writeSlave(String deviceId, byte[] pad, boolean ok, long millidegrees) {
        StringBuilder hex = new StringBuilder();
        for (byte b : pad) {
            hex.append(String.format(Locale.ROOT, "%02x ", b & 0xFF));
        }
        String text = hex + ": crc=" + String.format(Locale.ROOT, "%02x", pad[8] & 0xFF) + (ok ? " YES" : " NO")
                + "\n" + hex + "t=" + millidegrees + "\n";
        write(deviceId, "w1_slave", text);
    }

    private void write(String deviceId, String name, String text) {
        try {
            Path dir = Files.createDirectories(root.resolve(deviceId));
            Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
