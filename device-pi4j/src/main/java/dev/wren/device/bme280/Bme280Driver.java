package dev.wren.device.bme280;

import dev.wren.device.ClimateReading;
import dev.wren.device.DeviceException;
import dev.wren.device.DeviceException.Reason;
import dev.wren.device.I2cIo;
import dev.wren.device.Pause;
import dev.wren.device.Rejections;

/**
 * Bosch BME280 (temperature, pressure, humidity) and BMP280 (no humidity) at I2C 0x76/0x77, in forced mode.
 *
 * <p>The constructor verifies the chip id (§5.4.1), soft-resets the chip (§5.4.2), waits for the NVM copy
 * (status.im_update, §5.4.4), reads the calibration once (§4.2.2) and writes filter and oversampling.
 * {@link #read} then triggers one forced conversion (§3.3.3), waits the datasheet maximum time (§9.1), burst-reads
 * 0xF7..0xFE (§4, "data readout") and applies the integer compensation of §4.2.3 into the caller's holder.
 *
 * <p>No allocation per reading: one 26-byte IO buffer is reused. Rejected readings (temperature/pressure word
 * 0x80000 = "not measured", values outside the operating range of §1 / Table 1) throw and are counted in
 * {@link #rejections()}. Not thread-safe: one thread reads.
 */
public final class Bme280Driver {
    /** Chip id of the BME280 in register 0xD0 (§5.4.1). */
    public static final int CHIP_ID_BME280 = 0x60;
    /** Chip id of the BMP280 in register 0xD0 (BMP280 datasheet §4.3.1). */
    public static final int CHIP_ID_BMP280 = 0x58;

    static final int REG_CALIB_TP = 0x88;     // 0x88..0xA1, 26 bytes (§4.2.2 Table 16)
    static final int REG_ID = 0xD0;
    static final int REG_RESET = 0xE0;
    static final int REG_CALIB_H = 0xE1;      // 0xE1..0xE7, 7 bytes
    static final int REG_CTRL_HUM = 0xF2;
    static final int REG_STATUS = 0xF3;
    static final int REG_CTRL_MEAS = 0xF4;
    static final int REG_CONFIG = 0xF5;
    static final int REG_DATA = 0xF7;         // press_msb..hum_lsb (§5.3 memory map)
    static final int RESET_WORD = 0xB6;       // §5.4.2
    static final int STATUS_MEASURING = 0b1000;  // status[3] (§5.4.4)
    static final int STATUS_IM_UPDATE = 0b0001;  // status[0]
    static final int MODE_FORCED = 0b01;      // ctrl_meas[1:0] (§5.4.5 Table 25)
    static final int ADC_SKIPPED = 0x80000;   // 20-bit word reported for a skipped measurement (§3.3.2)
    /** Status polls after the maximum measurement time has passed, each after {@link #POLL_MICROS}. */
    static final int MAX_STATUS_POLLS = 10;
    static final long POLL_MICROS = 500;
    /** Start-up time after power-on or soft reset, 2 ms max (§1 Table 1, t_startup). */
    static final long STARTUP_MICROS = 2000;

    // Operating range (§1 Table 1 and Table 2/3): -40..85 °C, 300..1100 hPa, 0..100 %RH.
    static final int MIN_CENTI_CELSIUS = -4000;
    static final int MAX_CENTI_CELSIUS = 8500;
    static final long MIN_PASCALS = 30_000;
    static final long MAX_PASCALS = 110_000;

    private final I2cIo io;
    private final Bme280Config config;
    private final Pause pause;
    private final int chipId;
    private final boolean humidity;
    private final int ctrlMeasForced;
    private final long measurementMicros;
    private final byte[] buffer = new byte[26];
    private final Bme280Compensation compensation = new Bme280Compensation();
    private final Rejections rejections = new Rejections();

    /**
     * Probes, resets and configures the chip.
     *
     * @param io the I2C device at 0x76 or 0x77
     * @param config oversampling and filter
     * @param pause waits conversion and start-up times ({@link Pause#SLEEP} on hardware)
     * @throws DeviceException NOT_RESPONDING naming bus/address if the chip does not answer; WRONG_CHIP_ID naming
     *     the id found; TIMEOUT if the NVM copy after reset does not finish
     */
    public Bme280Driver(I2cIo io, Bme280Config config, Pause pause) throws DeviceException {
        this.io = io;
        this.config = config;
        this.pause = pause;
        io.readRegisters(REG_ID, buffer, 0, 1);
        chipId = buffer[0] & 0xFF;
        if (chipId != CHIP_ID_BME280 && chipId != CHIP_ID_BMP280) {
            throw rejections.reject(Reason.WRONG_CHIP_ID, io.location() + ": chip id 0x" + Integer.toHexString(chipId)
                    + " found in register 0xd0, expected 0x60 (BME280) or 0x58 (BMP280)");
        }
        humidity = chipId == CHIP_ID_BME280;
        io.writeRegister(REG_RESET, RESET_WORD);
        pause.pauseMicros(STARTUP_MICROS);
        awaitStatusClear(STATUS_IM_UPDATE, "NVM copy after reset");

        byte[] h = null;
        io.readRegisters(REG_CALIB_TP, buffer, 0, 26);
        if (humidity) {
            h = new byte[7];   // once, at construction
            io.readRegisters(REG_CALIB_H, h, 0, 7);
        }
        compensation.load(buffer, 0, h, 0);

        // Sleep mode while configuring: config writes in normal mode may be ignored (§5.4.6).
        io.writeRegister(REG_CTRL_MEAS, 0);
        io.writeRegister(REG_CONFIG, Bme280Config.filterCode(config.filterCoefficient()) << 2);
        if (humidity) {
            // ctrl_hum takes effect only after the next ctrl_meas write (§5.4.3), which every read does.
            io.writeRegister(REG_CTRL_HUM, Bme280Config.oversamplingCode("h", config.humidityOversampling()));
        }
        ctrlMeasForced = Bme280Config.oversamplingCode("t", config.temperatureOversampling()) << 5
                | Bme280Config.oversamplingCode("p", config.pressureOversampling()) << 2
                | MODE_FORCED;
        measurementMicros = config.maxMeasurementMicros(humidity);
    }

    /** The chip id read at construction: {@link #CHIP_ID_BME280} or {@link #CHIP_ID_BMP280}. */
    public int chipId() {
        return chipId;
    }

    /** True on a BME280 (humidity measured), false on a BMP280. */
    public boolean hasHumidity() {
        return humidity;
    }

    /** The configuration in use. */
    public Bme280Config config() {
        return config;
    }

    /** Maximum time one {@link #read} waits for the conversion, in µs (§9.1). */
    public long measurementMicros() {
        return measurementMicros;
    }

    /** Rejected readings by reason, since construction. */
    public Rejections rejections() {
        return rejections;
    }

    /**
     * Runs one forced measurement and stores it in {@code out}: temperature in °C (0.01 °C resolution), pressure in
     * Pa (1/256 Pa resolution; NaN if pressure oversampling is 0), humidity in %RH (1/1024 %RH; NaN on a BMP280 or
     * if skipped). Allocates nothing on success; {@code out} is untouched on failure.
     *
     * @param out the caller's reusable holder
     * @throws DeviceException NOT_RESPONDING naming bus/address; TIMEOUT if still measuring after the maximum time;
     *     OUT_OF_RANGE naming the value (counted)
     */
    public void read(ClimateReading out) throws DeviceException {
        try {
            io.writeRegister(REG_CTRL_MEAS, ctrlMeasForced);
            pause.pauseMicros(measurementMicros);
            awaitStatusClear(STATUS_MEASURING, "measurement");
            int len = humidity ? 8 : 6;
            io.readRegisters(REG_DATA, buffer, 0, len);
        } catch (DeviceException e) {
            throw rejections.count(e);
        }
        // §5.4.7/§5.4.8: msb[19:12], lsb[11:4], xlsb[7:4] → [3:0]; §5.4.9: hum msb[15:8], lsb[7:0].
        int adcP = ((buffer[0] & 0xFF) << 12) | ((buffer[1] & 0xFF) << 4) | ((buffer[2] & 0xFF) >> 4);
        int adcT = ((buffer[3] & 0xFF) << 12) | ((buffer[4] & 0xFF) << 4) | ((buffer[5] & 0xFF) >> 4);
        if (adcT == ADC_SKIPPED) {
            throw rejections.reject(Reason.OUT_OF_RANGE, io.location() + ": temperature word 0x80000 (not measured)");
        }
        int centiCelsius = compensation.temperatureCentiCelsius(adcT);
        if (centiCelsius < MIN_CENTI_CELSIUS || centiCelsius > MAX_CENTI_CELSIUS) {
            throw rejections.reject(Reason.OUT_OF_RANGE, io.location() + ": temperature " + centiCelsius / 100.0
                    + " °C outside -40..85 °C (adc_T " + adcT + ")");
        }
        double pascals = Double.NaN;
        if (config.pressureOversampling() > 0) {
            long q24p8 = compensation.pressureQ24p8(adcP);
            if (adcP == ADC_SKIPPED || q24p8 < MIN_PASCALS * 256 || q24p8 > MAX_PASCALS * 256) {
                throw rejections.reject(Reason.OUT_OF_RANGE, io.location() + ": pressure " + q24p8 / 256.0
                        + " Pa outside 30000..110000 Pa (adc_P " + adcP + ")");
            }
            pascals = q24p8 / 256.0;
        }
        double percent = Double.NaN;
        if (humidity && config.humidityOversampling() > 0) {
            int adcH = ((buffer[6] & 0xFF) << 8) | (buffer[7] & 0xFF);
            if (adcH == 0x8000) {   // 16-bit word reported for a skipped humidity measurement
                throw rejections.reject(Reason.OUT_OF_RANGE, io.location() + ": humidity word 0x8000 (not measured)");
            }
            percent = compensation.humidityQ22p10(adcH) / 1024.0;  // clamped to 0..100 by §4.2.3
        }
        out.set(centiCelsius / 100.0, percent, pascals);
    }

    private void awaitStatusClear(int mask, String what) throws DeviceException {
        for (int poll = 0; poll <= MAX_STATUS_POLLS; poll++) {
            io.readRegisters(REG_STATUS, buffer, 0, 1);
            if ((buffer[0] & mask) == 0) {
                return;
            }
            pause.pauseMicros(POLL_MICROS);
        }
        throw new DeviceException(Reason.TIMEOUT, io.location() + ": " + what + " still running after "
                + (MAX_STATUS_POLLS * POLL_MICROS) + " µs of polling (status 0x" + Integer.toHexString(buffer[0] & 0xFF) + ")");
    }
}
