package dev.wren.device.sht;

/**
 * The Sensirion humidity/temperature families this driver speaks, with their single-shot commands and timing.
 * Both sit at I2C 0x44 (or 0x45) and send T word, CRC, RH word, CRC.
 */
public enum ShtModel {
    /**
     * SHT30/31/35: 16-bit single-shot command 0x2400 = high repeatability, clock stretching disabled
     * (SHT3x-DIS datasheet §4.3 Table 9); at most 15.5 ms (§2.2 Table 4, t_MEAS,h); soft reset 0x30A2 (§4.9);
     * status 0xF32D (§4.11).
     */
    SHT3X(new byte[] {0x24, 0x00}, 15_500, new byte[] {0x30, (byte) 0xA2}, 1_500, new byte[] {(byte) 0xF3, 0x2D}),
    /**
     * SHT40/41/43/45: 8-bit command 0xFD = measure T & RH with high precision, at most 8.3 ms; soft reset 0x94
     * (1 ms); read serial number 0x89 (SHT4x datasheet, "Command Overview" table).
     */
    SHT4X(new byte[] {(byte) 0xFD}, 8_300, new byte[] {(byte) 0x94}, 1_000, new byte[] {(byte) 0x89});

    final byte[] measureCommand;
    final long measureMicros;
    final byte[] resetCommand;
    final long resetMicros;
    final byte[] identifyCommand;

    ShtModel(byte[] measureCommand, long measureMicros, byte[] resetCommand, long resetMicros, byte[] identifyCommand) {
        this.measureCommand = measureCommand;
        this.measureMicros = measureMicros;
        this.resetCommand = resetCommand;
        this.resetMicros = resetMicros;
        this.identifyCommand = identifyCommand;
    }

    /** Datasheet maximum time of one high-repeatability measurement, µs. */
    public long measureMicros() {
        return measureMicros;
    }

    /**
     * Relative humidity from the raw word: SHT3x §4.13 RH = 100·S/(2¹⁶−1); SHT4x "Conversion of Signal Output"
     * RH = −6 + 125·S/(2¹⁶−1), cropped to 0..100 %RH as that section recommends.
     */
    double humidityPercent(int raw) {
        if (this == SHT3X) {
            return 100.0 * raw / 65535.0;
        }
        double rh = -6.0 + 125.0 * raw / 65535.0;
        return rh < 0 ? 0 : Math.min(rh, 100.0);
    }

    /** Temperature from the raw word, both families (SHT3x §4.13, SHT4x): T = −45 + 175·S/(2¹⁶−1) °C. */
    static double temperatureCelsius(int raw) {
        return -45.0 + 175.0 * raw / 65535.0;
    }
}
