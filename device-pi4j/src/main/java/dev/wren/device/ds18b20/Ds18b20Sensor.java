package dev.wren.device.ds18b20;

import dev.wren.device.DeviceException;
import dev.wren.device.DeviceException.Reason;
import dev.wren.device.Rejections;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One DS18B20 read through the kernel's w1-therm sysfs files.
 *
 * <p>Prefers {@code w1_slave}, whose two lines carry the 9 scratchpad bytes, the kernel's CRC verdict ({@code YES}/
 * {@code NO}) and {@code t=}; this class re-checks the CRC itself (DS18B20 datasheet, "CRC Generation"), checks the
 * configuration byte's fixed bits (scratchpad byte 4 = 0 R1 R0 1 1 1 1 1, "Configuration Register"; an all-zero
 * scratchpad from a shorted bus passes the CRC but fails this), and converts bytes 0..1 itself (Table 1,
 * "Temperature/Data Relationship": two's complement, 1/16 °C per LSB at 12 bits; undefined low bits cleared at
 * 9..11 bits). Falls back to the {@code temperature} file (millidegrees) when {@code w1_slave} is absent.
 *
 * <p>85.000 °C is the power-on value of the temperature register (DS18B20 datasheet, "Operation — Measuring
 * Temperature"): seen right after a power glitch, it is rejected as SUSPECT_VALUE unless the previous accepted
 * reading of this sensor was within 5 °C of it (a real 85 °C is approached gradually).
 *
 * <p>The file is opened once and re-read from offset 0 (each read from 0 makes the kernel run a conversion, about
 * 750 ms at 12 bits: call this off any latency-sensitive path). No allocation per reading. Not thread-safe.
 */
public final class Ds18b20Sensor implements AutoCloseable {
    static final int POWER_ON_RAW = 0x0550;             // +85 °C (Table 1)
    static final double SUSPECT_WINDOW_CELSIUS = 5.0;
    static final double MIN_CELSIUS = -55.0;           // measuring range −55..+125 °C
    static final double MAX_CELSIUS = 125.0;

    private final String deviceId;
    private final Path directory;
    private final byte[] text = new byte[128];
    private final byte[] scratchpad = new byte[9];
    private final Rejections rejections = new Rejections();
    private RandomAccessFile file;
    private boolean slaveFormat;
    private boolean haveLast;
    private double lastCelsius;

    Ds18b20Sensor(String deviceId, Path directory) throws DeviceException {
        this.deviceId = deviceId;
        this.directory = directory;
        if (!Files.isDirectory(directory)) {
            throw new DeviceException(Reason.NOT_FOUND, "1-Wire device " + deviceId + " not found at " + directory);
        }
        reopen();
    }

    /** The 1-Wire id, e.g. {@code "28-0316a2794cff"}. */
    public String deviceId() {
        return deviceId;
    }

    /** Rejected readings by reason, since construction. */
    public Rejections rejections() {
        return rejections;
    }

    /**
     * Reads the temperature (blocks for the kernel's conversion on real hardware).
     *
     * @return °C, resolution 1/16 °C at 12 bits
     * @throws DeviceException NOT_RESPONDING naming the id when the device vanished or returned an invalid
     *     scratchpad; CRC_MISMATCH; OUT_OF_RANGE; SUSPECT_VALUE for the 85 °C power-on value (all counted)
     */
    public double readCelsius() throws DeviceException {
        int len;
        try {
            if (file == null) {
                reopen();
            }
            len = readAll();
        } catch (IOException e) {
            closeQuietly();
            throw rejections.count(new DeviceException(Reason.NOT_RESPONDING, "1-Wire device " + deviceId
                    + ": read failed: " + e.getMessage(), e));
        } catch (DeviceException e) {
            throw rejections.count(e);
        }
        double celsius;
        boolean powerOnValue;
        if (slaveFormat) {
            int raw = parseSlave(len);
            celsius = raw / 16.0;
            powerOnValue = raw == POWER_ON_RAW;
        } else {
            long millis = parseMillis(len);
            celsius = millis / 1000.0;
            powerOnValue = millis == 85_000;
        }
        if (celsius < MIN_CELSIUS || celsius > MAX_CELSIUS) {
            throw rejections.reject(Reason.OUT_OF_RANGE, "1-Wire device " + deviceId + ": " + celsius
                    + " °C outside -55..125 °C");
        }
        if (powerOnValue && !(haveLast && Math.abs(lastCelsius - celsius) <= SUSPECT_WINDOW_CELSIUS)) {
            throw rejections.reject(Reason.SUSPECT_VALUE, "1-Wire device " + deviceId
                    + ": 85.000 °C is the power-on register value; not published until confirmed");
        }
        haveLast = true;
        lastCelsius = celsius;
        return celsius;
    }

    /** Closes the sysfs file; idempotent. */
    @Override
    public void close() {
        closeQuietly();
    }

    /** Parses w1_slave: "b0 b1 … b8 : crc=xx YES\n b0 … b8 t=NNNNN\n"; returns the raw 16-bit temperature. */
    private int parseSlave(int len) throws DeviceException {
        if (len < 9 * 3) {
            throw rejections.reject(Reason.NOT_RESPONDING, "1-Wire device " + deviceId + ": w1_slave too short ("
                    + len + " bytes)");
        }
        for (int i = 0; i < 9; i++) {
            int hi = hex(text[3 * i]);
            int lo = hex(text[3 * i + 1]);
            if (hi < 0 || lo < 0) {
                throw rejections.reject(Reason.NOT_RESPONDING, "1-Wire device " + deviceId
                        + ": w1_slave byte " + i + " is not hex");
            }
            scratchpad[i] = (byte) (hi << 4 | lo);
        }
        int eol = indexOf((byte) '\n', 0, len);
        boolean kernelYes = eol >= 3 && text[eol - 3] == 'Y' && text[eol - 2] == 'E' && text[eol - 1] == 'S';
        int crc = DallasCrc.crc8(scratchpad, 0, 8);
        if (!kernelYes || crc != (scratchpad[8] & 0xFF)) {
            throw rejections.reject(Reason.CRC_MISMATCH, "1-Wire device " + deviceId + ": scratchpad CRC 0x"
                    + Integer.toHexString(scratchpad[8] & 0xFF) + ", computed 0x" + Integer.toHexString(crc)
                    + (kernelYes ? "" : ", kernel reported NO"));
        }
        int config = scratchpad[4] & 0xFF;
        if ((config & 0x9F) != 0x1F) {
            throw rejections.reject(Reason.NOT_RESPONDING, "1-Wire device " + deviceId + ": configuration byte 0x"
                    + Integer.toHexString(config) + " lacks its fixed bits (bus shorted or device absent)");
        }
        int raw = (short) ((scratchpad[1] & 0xFF) << 8 | (scratchpad[0] & 0xFF));
        int resolutionBits = 9 + ((config >> 5) & 0x03);
        return raw & ~((1 << (12 - resolutionBits)) - 1);   // low bits undefined below 12-bit resolution
    }

    /** Parses the temperature file: optional '-', decimal millidegrees. */
    private long parseMillis(int len) throws DeviceException {
        int i = 0;
        boolean negative = len > 0 && text[0] == '-';
        if (negative) {
            i++;
        }
        long value = 0;
        int digits = 0;
        for (; i < len && text[i] >= '0' && text[i] <= '9'; i++, digits++) {
            value = value * 10 + (text[i] - '0');
        }
        if (digits == 0 || digits > 7) {
            throw rejections.reject(Reason.NOT_RESPONDING, "1-Wire device " + deviceId
                    + ": temperature file holds no number");
        }
        return negative ? -value : value;
    }

    private int readAll() throws IOException {
        file.seek(0);
        int len = 0;
        for (int n; len < text.length && (n = file.read(text, len, text.length - len)) > 0; ) {
            len += n;
        }
        return len;
    }

    private void reopen() throws DeviceException {
        Path slave = directory.resolve("w1_slave");
        Path temperature = directory.resolve("temperature");
        slaveFormat = Files.exists(slave);
        Path path = slaveFormat ? slave : temperature;
        try {
            file = new RandomAccessFile(path.toFile(), "r");
        } catch (IOException e) {
            throw new DeviceException(Reason.NOT_FOUND, "1-Wire device " + deviceId + ": cannot open " + path
                    + ": " + e.getMessage(), e);
        }
    }

    private void closeQuietly() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException ignored) {
                // closing a sysfs file cannot lose data
            }
            file = null;
        }
    }

    private int indexOf(byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
