package dev.wren.device;

/**
 * The one error type of this module: a device that did not answer, answered wrongly, or answered with a value
 * that must not be published. The message always names where: I2C bus and address, 1-Wire device id, or GPIO line.
 *
 * <p>Thrown only on the failure path; building it allocates, which is why drivers never throw it on a good read.
 */
public final class DeviceException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the device failed. */
    public enum Reason {
        /** No acknowledge or a short transfer on the bus (I2C NACK, I/O error on the device file). */
        NOT_RESPONDING,
        /** The chip answered with an id that is not the expected one; the message names what was found. */
        WRONG_CHIP_ID,
        /** No such device (no 1-Wire directory for the id, no sysfs root). */
        NOT_FOUND,
        /** A checksum over received data did not match; the reading was rejected. */
        CRC_MISMATCH,
        /** A value outside the sensor's specified range; the reading was rejected. */
        OUT_OF_RANGE,
        /** A value that is in range but known to be unreliable (DS18B20 power-up 85 °C); rejected. */
        SUSPECT_VALUE,
        /** The device stayed busy longer than its datasheet maximum conversion time. */
        TIMEOUT,
        /** A GPIO line could not be claimed (in use by another process or another IO of the same context). */
        LINE_UNAVAILABLE,
        /** An output read back a level other than the one just written. */
        READ_BACK_MISMATCH,
        /** Switching on an output would put two outputs of one interlock group on at once. */
        INTERLOCKED,
        /** A relay held in its safe state (its node is stopping) was asked to leave it; nothing is written. */
        HELD_SAFE
    }

    private final Reason reason;

    /**
     * Creates an exception.
     *
     * @param reason why the device failed
     * @param message names the bus/address, device id or line, and the values involved
     */
    public DeviceException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /**
     * Creates an exception wrapping the lower-level cause (a Pi4J or file-system error).
     *
     * @param reason why the device failed
     * @param message names the bus/address, device id or line, and the values involved
     * @param cause the underlying error
     */
    public DeviceException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** Why the device failed. */
    public Reason reason() {
        return reason;
    }
}
