package dev.wren.device.sht;

import dev.wren.device.ClimateReading;
import dev.wren.device.DeviceException;
import dev.wren.device.DeviceException.Reason;
import dev.wren.device.I2cIo;
import dev.wren.device.Pause;
import dev.wren.device.Rejections;

/**
 * Sensirion SHT3x / SHT4x humidity and temperature sensor at I2C 0x44/0x45, single-shot, no clock stretching.
 *
 * <p>The constructor soft-resets the chip and reads an identifying word pair (SHT3x status register, SHT4x serial
 * number), checking its CRC, so a missing chip or the wrong family fails at start with the bus and address named.
 * {@link #read} sends the measurement command, waits the datasheet maximum, reads the six bytes and checks the CRC
 * of each word (SHT3x-DIS §4.12); a mismatch rejects the whole reading. Temperatures outside the specified
 * −40..125 °C are rejected. Rejections are counted. One reused 6-byte buffer; no allocation per reading.
 */
public final class ShtDriver {
    /** Specified operating range (SHT3x-DIS §1 Table 2, SHT4x §2.2): −40..125 °C. */
    static final double MIN_CELSIUS = -40.0;
    static final double MAX_CELSIUS = 125.0;

    private final I2cIo io;
    private final ShtModel model;
    private final Pause pause;
    private final byte[] buffer = new byte[6];
    private final Rejections rejections = new Rejections();
    private final long identity;

    /**
     * Resets and identifies the chip.
     *
     * @param io the I2C device at 0x44 or 0x45
     * @param model which family is fitted
     * @param pause waits reset and conversion times
     * @throws DeviceException NOT_RESPONDING naming bus/address; CRC_MISMATCH if the identity words are corrupt
     *     (often the wrong family: an SHT4x does not understand SHT3x commands and vice versa)
     */
    public ShtDriver(I2cIo io, ShtModel model, Pause pause) throws DeviceException {
        this.io = io;
        this.model = model;
        this.pause = pause;
        io.write(model.resetCommand, 0, model.resetCommand.length);
        pause.pauseMicros(model.resetMicros);
        io.write(model.identifyCommand, 0, model.identifyCommand.length);
        pause.pauseMicros(1_000);
        int words = model == ShtModel.SHT4X ? 2 : 1;
        io.read(buffer, 0, 3 * words);
        checkCrc(0, "identity word 1");
        long id = word(0);
        if (words == 2) {
            checkCrc(3, "identity word 2");
            id = id << 16 | word(3);
        }
        identity = id;
    }

    /** The model this driver speaks. */
    public ShtModel model() {
        return model;
    }

    /** SHT4x: the 32-bit serial number; SHT3x: the status register read at start. */
    public long identity() {
        return identity;
    }

    /** Rejected readings by reason, since construction. */
    public Rejections rejections() {
        return rejections;
    }

    /**
     * Measures once and stores temperature in °C and humidity in %RH in {@code out} (pressure NaN).
     * {@code out} is untouched on failure.
     *
     * @param out the caller's reusable holder
     * @throws DeviceException NOT_RESPONDING naming bus/address; CRC_MISMATCH naming the word and both CRCs;
     *     OUT_OF_RANGE naming the temperature (all counted)
     */
    public void read(ClimateReading out) throws DeviceException {
        try {
            io.write(model.measureCommand, 0, model.measureCommand.length);
            pause.pauseMicros(model.measureMicros);
            io.read(buffer, 0, 6);
        } catch (DeviceException e) {
            throw rejections.count(e);
        }
        checkCrc(0, "temperature word");
        checkCrc(3, "humidity word");
        double celsius = ShtModel.temperatureCelsius(word(0));
        if (celsius < MIN_CELSIUS || celsius > MAX_CELSIUS) {
            throw rejections.reject(Reason.OUT_OF_RANGE, io.location() + " " + model + ": temperature " + celsius
                    + " °C outside -40..125 °C (raw 0x" + Integer.toHexString(word(0)) + ")");
        }
        out.set(celsius, model.humidityPercent(word(3)), Double.NaN);
    }

    private int word(int off) {
        return (buffer[off] & 0xFF) << 8 | (buffer[off + 1] & 0xFF);
    }

    private void checkCrc(int off, String what) throws DeviceException {
        int expected = SensirionCrc.crc8(buffer, off, 2);
        int received = buffer[off + 2] & 0xFF;
        if (expected != received) {
            throw rejections.reject(Reason.CRC_MISMATCH, io.location() + " " + model + ": " + what + " 0x"
                    + Integer.toHexString(word(off)) + " has CRC 0x" + Integer.toHexString(received)
                    + ", computed 0x" + Integer.toHexString(expected));
        }
    }
}
