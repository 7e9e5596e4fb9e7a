package dev.wren.device.sim;

import dev.wren.device.DeviceException;

/**
 * A BME280 (or BMP280, or a wrong chip) answering at register level (BME280 datasheet §5.3 memory map).
 *
 * <p>Holds the calibration of the BMP280 datasheet §3.12 example plus a typical humidity calibration in
 * 0x88..0xA1 / 0xE1..0xE7 (§4.2.2 Table 16). A write of forced mode to ctrl_meas (§5.4.5) samples the
 * {@link SimulatedEnvironment} and stores the raw words that the double-precision compensation (§8.1) maps back to
 * that climate; a skipped measurement reads 0x80000 / 0x8000 as on the real chip. Soft reset (0xB6 to 0xE0,
 * §5.4.2) restores the power-on register values. {@link #setRawAdc} bypasses the environment for golden vectors,
 * {@link #setBusyStatusReads} keeps status.measuring set for a number of reads.
 */
public final class SimulatedBme280 extends SimulatedI2cChip {
    private final byte[] registers = new byte[256];
    private final SimulatedEnvironment environment;
    private final Bme280Reference reference;
    private final boolean humidity;
    private boolean rawHeld;
    private int rawT, rawP, rawH;
    private int busyStatusReads;
    private int busyLeft;
    private long conversionCount;

    /**
     * Creates a chip with the datasheet calibration.
     *
     * @param bus I2C bus number it pretends to sit on
     * @param address 0x76 or 0x77 (any 7-bit address is accepted, to test misconfiguration)
     * @param chipId value of register 0xD0: 0x60 BME280, 0x58 BMP280, anything else to test a wrong chip
     * @param environment the climate it measures
     */
    public SimulatedBme280(int bus, int address, int chipId, SimulatedEnvironment environment) {
        super(bus, address);
        this.environment = environment;
        this.humidity = chipId == 0x60;
        this.reference = new Bme280Reference(Bme280Reference.DATASHEET_T, Bme280Reference.DATASHEET_P,
                Bme280Reference.TYPICAL_H);
        registers[0xD0] = (byte) chipId;
        int[] t = Bme280Reference.DATASHEET_T;
        int[] p = Bme280Reference.DATASHEET_P;
        int[] h = Bme280Reference.TYPICAL_H;
        for (int i = 0; i < 3; i++) {
            putLe16(0x88 + 2 * i, t[i]);
        }
        for (int i = 0; i < 9; i++) {
            putLe16(0x8E + 2 * i, p[i]);
        }
        registers[0xA1] = (byte) h[0];
        putLe16(0xE1, h[1]);
        registers[0xE3] = (byte) h[2];
        registers[0xE4] = (byte) (h[3] >> 4);                              // dig_H4[11:4]
        registers[0xE5] = (byte) ((h[3] & 0x0F) | ((h[4] & 0x0F) << 4));   // dig_H4[3:0], dig_H5[3:0]
        registers[0xE6] = (byte) (h[4] >> 4);                              // dig_H5[11:4]
        registers[0xE7] = (byte) h[5];
        powerOnReset();
    }

    /**
     * Makes every later conversion report these raw words instead of sampling the environment.
     *
     * @param adcT 20-bit temperature word
     * @param adcP 20-bit pressure word
     * @param adcH 16-bit humidity word
     */
    public void setRawAdc(int adcT, int adcP, int adcH) {
        rawHeld = true;
        rawT = adcT;
        rawP = adcP;
        rawH = adcH;
    }

    /**
     * Keeps status.measuring (bit 3) set for this many status reads after each trigger.
     *
     * @param reads number of reads, 0 for an instant conversion
     */
    public void setBusyStatusReads(int reads) {
        this.busyStatusReads = reads;
    }

    /** Number of forced conversions performed. */
    public long conversionCount() {
        return conversionCount;
    }

    /** The reference compensation matching this chip's calibration, for cross-checks. */
    public Bme280Reference reference() {
        return reference;
    }

    @Override
    void onReadRegisters(int register, byte[] dst, int off, int len) throws DeviceException {
        if (register + len > 256) {
            throw nack("read past 0xFF");
        }
        for (int i = 0; i < len; i++) {
            int reg = register + i;
            if (reg == 0xF3) {
                dst[off + i] = (byte) (busyLeft > 0 ? 0b1000 : 0);
                if (busyLeft > 0) {
                    busyLeft--;
                }
            } else {
                dst[off + i] = registers[reg];
            }
        }
    }

    @Override
    void onWriteRegister(int register, int value) throws DeviceException {
        switch (register) {
            case 0xE0:
                if (value == 0xB6) {
                    powerOnReset();
                }
                return;
            case 0xF2:
            case 0xF5:
                registers[register] = (byte) value;
                return;
            case 0xF4:
                registers[0xF4] = (byte) value;
                int mode = value & 0b11;
                if (mode == 0b01 || mode == 0b10) {
                    convert(value);
                    registers[0xF4] = (byte) (value & ~0b11);   // back to sleep after a forced conversion (§3.3.3)
                }
                return;
            default:
                throw nack("register 0x" + Integer.toHexString(register) + " is read-only");
        }
    }

    private void convert(int ctrlMeas) {
        conversionCount++;
        busyLeft = busyStatusReads;
        int adcT, adcP, adcH;
        if (rawHeld) {
            adcT = rawT;
            adcP = rawP;
            adcH = rawH;
        } else {
            environment.update();
            adcT = reference.adcTemperatureFor(environment.temperatureCelsius());
            adcP = reference.adcPressureFor(environment.pressurePascals());
            adcH = reference.adcHumidityFor(environment.humidityPercent());
        }
        boolean tOn = (ctrlMeas >> 5) != 0;
        boolean pOn = ((ctrlMeas >> 2) & 0b111) != 0;
        boolean hOn = humidity && (registers[0xF2] & 0b111) != 0;
        put20(0xF7, pOn ? adcP : 0x80000);
        put20(0xFA, tOn ? adcT : 0x80000);
        if (humidity) {
            registers[0xFD] = (byte) ((hOn ? adcH : 0x8000) >> 8);
            registers[0xFE] = (byte) (hOn ? adcH : 0x8000);
        }
    }

    private void powerOnReset() {
        registers[0xF2] = 0;
        registers[0xF4] = 0;
        registers[0xF5] = 0;
        put20(0xF7, 0x80000);
        put20(0xFA, 0x80000);
        registers[0xFD] = (byte) 0x80;
        registers[0xFE] = 0;
        busyLeft = 0;
    }

    private void put20(int reg, int value) {
        registers[reg] = (byte) (value >> 12);
        registers[reg + 1] = (byte) (value >> 4);
        registers[reg + 2] = (byte) ((value & 0x0F) << 4);
    }

    private void putLe16(int reg, int value) {
        registers[reg] = (byte) value;
        registers[reg + 1] = (byte) (value >> 8);
    }
}
