package dev.wren.device.sim;

import dev.wren.device.DeviceException;
import dev.wren.device.sht.SensirionCrc;
import dev.wren.device.sht.ShtModel;

/**
 * An SHT3x or SHT4x answering its commands byte for byte: soft reset, status register (SHT3x §4.11) or serial
 * number (SHT4x), and single-shot measurement returning T word, CRC, RH word, CRC (SHT3x §4.4) computed from the
 * {@link SimulatedEnvironment} through the inverse of the conversion formulas (SHT3x §4.13, SHT4x "Conversion of
 * Signal Output"). A read with no pending result is NACKed, as on the real part. {@link #corruptNextCrc()} and
 * {@link #setRawWords} inject faults and golden vectors.
 */
public final class SimulatedSht extends SimulatedI2cChip {
    /** SHT4x serial number this chip reports. */
    public static final long SERIAL_NUMBER = 0x0F3C_A6B1L;
    /** SHT3x status register after power-up (alert pending, reset detected: §4.11 Table 18 defaults). */
    public static final int STATUS_AFTER_RESET = 0x8010;

    private final ShtModel model;
    private final SimulatedEnvironment environment;
    private final byte[] response = new byte[6];
    private int responseLength;
    private boolean corruptNextCrc;
    private boolean rawHeld;
    private int rawT, rawRh;
    private long measurementCount;

    /**
     * Creates a chip.
     *
     * @param bus I2C bus number it pretends to sit on
     * @param address 0x44 or 0x45
     * @param model which family it behaves as
     * @param environment the climate it measures
     */
    public SimulatedSht(int bus, int address, ShtModel model, SimulatedEnvironment environment) {
        super(bus, address);
        this.model = model;
        this.environment = environment;
    }

    /** Makes the next measurement's humidity CRC wrong, as a disturbed bus would. */
    public void corruptNextCrc() {
        corruptNextCrc = true;
    }

    /**
     * Makes every later measurement return these raw words instead of sampling the environment.
     *
     * @param temperatureWord S_T, 0..0xFFFF
     * @param humidityWord S_RH, 0..0xFFFF
     */
    public void setRawWords(int temperatureWord, int humidityWord) {
        rawHeld = true;
        rawT = temperatureWord;
        rawRh = humidityWord;
    }

    /** Measurements performed. */
    public long measurementCount() {
        return measurementCount;
    }

    @Override
    void onWrite(byte[] src, int off, int len) throws DeviceException {
        int command = len == 1 ? src[off] & 0xFF : len == 2 ? (src[off] & 0xFF) << 8 | (src[off + 1] & 0xFF) : -1;
        responseLength = 0;
        if (model == ShtModel.SHT3X && len == 2) {
            switch (command) {
                case 0x30A2: return;                                 // soft reset (§4.9)
                case 0xF32D: respond(STATUS_AFTER_RESET, -1); return;
                case 0x2400: case 0x240B: case 0x2416:               // single shot, no clock stretching (§4.3)
                case 0x2C06: case 0x2C0D: case 0x2C10: measure(); return;
                default: break;
            }
        } else if (model == ShtModel.SHT4X && len == 1) {
            switch (command) {
                case 0x94: return;                                   // soft reset
                case 0x89: respond((int) (SERIAL_NUMBER >>> 16), (int) (SERIAL_NUMBER & 0xFFFF)); return;
                case 0xFD: case 0xF6: case 0xE0: measure(); return;  // high, medium, low precision
                default: break;
            }
        }
        throw nack(model + " does not know command 0x" + Integer.toHexString(command) + " (" + len + " bytes)");
    }

    @Override
    void onRead(byte[] dst, int off, int len) throws DeviceException {
        if (responseLength == 0) {
            throw nack("no result pending");
        }
        if (len > responseLength) {
            throw nack("read of " + len + " bytes, only " + responseLength + " available");
        }
        System.arraycopy(response, 0, dst, off, len);
        responseLength = 0;
    }

    private void measure() {
        measurementCount++;
        int t, rh;
        if (rawHeld) {
            t = rawT;
            rh = rawRh;
        } else {
            environment.update();
            t = toWord((environment.temperatureCelsius() + 45.0) / 175.0);
            double percent = environment.humidityPercent();
            rh = toWord(model == ShtModel.SHT3X ? percent / 100.0 : (percent + 6.0) / 125.0);
        }
        respond(t, rh);
        if (corruptNextCrc) {
            corruptNextCrc = false;
            response[5] ^= 0x01;
        }
    }

    private void respond(int word1, int word2) {
        putWord(0, word1);
        responseLength = 3;
        if (word2 >= 0) {
            putWord(3, word2);
            responseLength = 6;
        }
    }

    private void putWord(int off, int word) {
        response[off] = (byte) (word >> 8);
        response[off + 1] = (byte) word;
        response[off + 2] = (byte) SensirionCrc.crc8(response, off, 2);
    }

    private static int toWord(double fraction) {
        long w = Math.round(fraction * 65535.0);
        return (int) Math.max(0, Math.min(0xFFFF, w));
    }
}
