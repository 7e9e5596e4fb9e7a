package dev.wren.device.pi4j;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.DigitalStateChangeEvent;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import dev.wren.device.DeviceException;
import dev.wren.device.DeviceException.Reason;
import dev.wren.device.DigitalInputIo;
import dev.wren.device.LevelListener;

/**
 * {@link DigitalInputIo} over a Pi4J 3 {@link DigitalInput} (gpiod provider on a Pi). Pi4J calls
 * {@link #onDigitalStateChange} on its own listener thread (one per input, started by the gpiod plugin); this
 * class stamps the edge with {@link System#nanoTime()} and forwards it, allocating nothing itself (Pi4J allocates
 * its event object before calling us).
 */
final class Pi4jDigitalInput implements DigitalInputIo, DigitalStateChangeListener {
    private final DigitalInput input;
    private final String lineName;
    private final Runnable release;
    private volatile LevelListener listener;

    Pi4jDigitalInput(DigitalInput input, String lineName, Runnable release) {
        this.input = input;
        this.lineName = lineName;
        this.release = release;
        input.addListener(this);
    }

    @Override
    public String lineName() {
        return lineName;
    }

    @Override
    public boolean readHigh() throws DeviceException {
        DigitalState state;
        try {
            state = input.state();
        } catch (RuntimeException e) {
            throw new DeviceException(Reason.NOT_RESPONDING, lineName + ": read failed: " + e.getMessage(), e);
        }
        if (state == DigitalState.UNKNOWN) {
            throw new DeviceException(Reason.NOT_RESPONDING, lineName + ": state unknown");
        }
        return state == DigitalState.HIGH;
    }

    @Override
    public void setListener(LevelListener listener) {
        this.listener = listener;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void onDigitalStateChange(DigitalStateChangeEvent event) {
        LevelListener l = listener;
        DigitalState state = event.state();
        if (l != null && state != DigitalState.UNKNOWN) {
            l.onLevel(state == DigitalState.HIGH, System.nanoTime());
        }
    }

    @Override
    public void close() {
        listener = null;
        input.removeListener(this);
        release.run();
    }
}
