package dev.wren.device.bh1750;

/**
 * BH1750FVI measurement modes with their opcodes (Rohm BH1750FVI Technical Note, "Instruction Set Architecture")
 * and maximum measurement times at the default MTreg 69 ("Electrical Characteristics": t_HR max 180 ms,
 * t_LR max 24 ms). Mode 2 has half the count-per-lux step (0.5 lx resolution).
 */
public enum Bh1750Mode {
    /** Continuously H-resolution mode, 1 lx, opcode 0001_0000. */
    CONTINUOUS_HIGH_RES(0x10, 180_000, 1, true),
    /** Continuously H-resolution mode 2, 0.5 lx, opcode 0001_0001. */
    CONTINUOUS_HIGH_RES_2(0x11, 180_000, 2, true),
    /** Continuously L-resolution mode, 4 lx, opcode 0001_0011. */
    CONTINUOUS_LOW_RES(0x13, 24_000, 1, true),
    /** One time H-resolution mode, 1 lx, opcode 0010_0000; powers down after the measurement. */
    ONE_TIME_HIGH_RES(0x20, 180_000, 1, false),
    /** One time H-resolution mode 2, 0.5 lx, opcode 0010_0001. */
    ONE_TIME_HIGH_RES_2(0x21, 180_000, 2, false),
    /** One time L-resolution mode, 4 lx, opcode 0010_0011. */
    ONE_TIME_LOW_RES(0x23, 24_000, 1, false);

    final int opcode;
    final long maxMicrosAtDefaultMt;
    final int countsPerStep;
    final boolean continuous;

    Bh1750Mode(int opcode, long maxMicrosAtDefaultMt, int countsPerStep, boolean continuous) {
        this.opcode = opcode;
        this.maxMicrosAtDefaultMt = maxMicrosAtDefaultMt;
        this.countsPerStep = countsPerStep;
        this.continuous = continuous;
    }

    /** The instruction byte. */
    public int opcode() {
        return opcode;
    }

    /** True for the continuously measuring modes. */
    public boolean continuous() {
        return continuous;
    }
}
