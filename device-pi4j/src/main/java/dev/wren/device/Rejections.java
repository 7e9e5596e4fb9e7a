package dev.wren.device;

/**
 * Counts readings a driver rejected, by {@link DeviceException.Reason}, so the node can publish health figures.
 * Written by the driver's thread; counts may be read from any thread (plain longs, eventually visible).
 */
public final class Rejections {
    private final long[] counts = new long[DeviceException.Reason.values().length];

    /** Creates zeroed counters. */
    public Rejections() {
    }

    /**
     * Counts one rejection and returns the exception to throw, so a driver writes {@code throw rejections.reject(...)}.
     *
     * @param reason why
     * @param message names the device and the values
     * @return a new exception carrying reason and message
     */
    public DeviceException reject(DeviceException.Reason reason, String message) {
        counts[reason.ordinal()]++;
        return new DeviceException(reason, message);
    }

    /**
     * Counts an exception raised below the driver (a bus error) and returns it for rethrow.
     *
     * @param e the exception
     * @return {@code e}
     */
    public DeviceException count(DeviceException e) {
        counts[e.reason().ordinal()]++;
        return e;
    }

    /**
     * How many readings were rejected for this reason since the driver was built.
     *
     * @param reason the reason
     * @return the count
     */
    public long count(DeviceException.Reason reason) {
        return counts[reason.ordinal()];
    }

    /** All rejections since the driver was built. */
    public long total() {
        long sum = 0;
        for (long c : counts) {
            sum += c;
        }
        return sum;
    }
}
