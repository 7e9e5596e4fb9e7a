package dev.wren.device.bme280;

import dev.wren.device.sim.Bme280Reference;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The integer compensation of BME280 datasheet §4.2.3 against the worked example of BMP280 datasheet §3.12
 * (temperature and pressure code is the same for both chips), and against the double variant of §8.1.
 */
class Bme280CompensationTest {

    private static Bme280Compensation datasheetCalibration() {
        Bme280Compensation c = new Bme280Compensation();
        c.digT1 = 27504; c.digT2 = 26435; c.digT3 = -1000;
        c.digP1 = 36477; c.digP2 = -10685; c.digP3 = 3024; c.digP4 = 2855; c.digP5 = 140;
        c.digP6 = -7; c.digP7 = 15500; c.digP8 = -14600; c.digP9 = 6000;
        return c;
    }

    @Test
    void bmp280Section312TemperatureExampleGives2508CentiCelsius() {
        Bme280Compensation c = datasheetCalibration();
        // §3.12: adc_T = 519888 → t_fine = 128422 → T = 25.08 °C.
        assertEquals(2508, c.temperatureCentiCelsius(519888));
        assertEquals(128422, c.tFine);
    }

    @Test
    void bmp280Section312PressureExampleGives100653Pascals() {
        Bme280Compensation c = datasheetCalibration();
        c.temperatureCentiCelsius(519888);
        // §3.12: adc_P = 415148 → p ≈ 100653 Pa; the 64-bit variant returns Q24.8.
        long q24p8 = c.pressureQ24p8(415148);
        assertEquals(100653, q24p8 >> 8);
        // The integer result is 25767233 / 256 = 100653.254 Pa; the double variant agrees to 0.005 Pa (below).
        assertEquals(25767233, q24p8);
    }

    @Test
    void bmp280Section312ExampleThroughTheDoubleVariantOfSection81Gives2508And100653() {
        Bme280Reference ref = new Bme280Reference(Bme280Reference.DATASHEET_T, Bme280Reference.DATASHEET_P,
                Bme280Reference.TYPICAL_H);
        assertEquals(25.08, ref.temperatureCelsius(519888), 0.005);
        assertEquals(100653.258, ref.pressurePascals(415148), 0.001);
    }

    @Test
    void integerVariantAgreesWithDoubleVariantOfSection81() {
        Bme280Compensation c = datasheetCalibration();
        c.digH1 = 75; c.digH2 = 362; c.digH3 = 0; c.digH4 = 313; c.digH5 = 50; c.digH6 = 30;
        Bme280Reference ref = new Bme280Reference(Bme280Reference.DATASHEET_T, Bme280Reference.DATASHEET_P,
                Bme280Reference.TYPICAL_H);
        for (int adcT = 400_000; adcT <= 600_000; adcT += 20_000) {
            double refT = ref.temperatureCelsius(adcT);
            assertEquals(refT, c.temperatureCentiCelsius(adcT) / 100.0, 0.01, "adc_T " + adcT);
            for (int adcP = 300_000; adcP <= 500_000; adcP += 50_000) {
                assertEquals(ref.pressurePascals(adcP), c.pressureQ24p8(adcP) / 256.0, 0.5, "adc_P " + adcP);
            }
            for (int adcH = 20_000; adcH <= 40_000; adcH += 5_000) {
                assertEquals(ref.humidityPercent(adcH), c.humidityQ22p10(adcH) / 1024.0, 0.05, "adc_H " + adcH);
            }
        }
    }

    @Test
    void humidityIsClampedTo0And100PercentAsSection423Specifies() {
        Bme280Compensation c = datasheetCalibration();
        c.digH1 = 75; c.digH2 = 362; c.digH3 = 0; c.digH4 = 313; c.digH5 = 50; c.digH6 = 30;
        c.temperatureCentiCelsius(519888);
        assertEquals(0, c.humidityQ22p10(0));
        assertEquals(100 * 1024, c.humidityQ22p10(0xFFFF));
    }

    @Test
    void humidityCalibrationH4AndH5AreTwelveBitSignedAsTable16Packs() {
        Bme280Compensation c = new Bme280Compensation();
        byte[] tp = new byte[26];
        // 0xE1..0xE7: H2 = 0x016A, H3 = 0, 0xE4 = 0xFF, 0xE5 = 0x2E, 0xE6 = 0x80, H6 = 0xF0 (-16)
        byte[] h = {0x6A, 0x01, 0x00, (byte) 0xFF, 0x2E, (byte) 0x80, (byte) 0xF0};
        c.load(tp, 0, h, 0);
        assertEquals(362, c.digH2);
        assertEquals((0xFF << 4 | 0xE) - 4096, c.digH4);   // 0xFFE as 12-bit signed = -2
        assertEquals((0x80 << 4 | 0x2) - 4096, c.digH5);   // 0x802 as 12-bit signed = -2046
        assertEquals(-16, c.digH6);
        assertTrue(c.digH4 < 0 && c.digH5 < 0);
    }
}
