package dev.wren.device.pi4j;

import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import dev.wren.device.DeviceException;
import dev.wren.device.DeviceException.Reason;
import dev.wren.device.DigitalOutputIo;

/** {@link DigitalOutputIo} over a Pi4J 3 {@link DigitalOutput} (gpiod provider on a Pi). */
final class Pi4jDigitalOutput implements DigitalOutputIo {
    private final DigitalOutput output;
    private final String lineName;
    private final Runnable release;

    Pi4jDigitalOutput(DigitalOutput output, String lineName, Runnable release) {
        this.output = output;
        this.lineName = lineName;
        this.release = release;
    }

    @Override
    public String lineName() {
        return lineName;
    }

    @Override
    public void writeHigh(boolean high) throws DeviceException {
        try {
            output.state(high ? DigitalState.HIGH : DigitalState.LOW);
        } catch (RuntimeException e) {
            throw new DeviceException(Reason.NOT_RESPONDING, lineName + ": write failed: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean readHigh() throws DeviceException {
        try {
            return output.state() == DigitalState.HIGH;
        } catch (RuntimeException e) {
            throw new DeviceException(Reason.NOT_RESPONDING, lineName + ": read-back failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        release.run();
    }
}
