package dev.wren.mqtt.internal;

import java.io.ByteArrayOutputStream;

/** A {@link Link} that is always up and keeps every byte written to it, for the parts' unit tests. */
final class RecordingLink implements Link {

    private final ByteArrayOutputStream written = new ByteArrayOutputStream();

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public void write(byte[] buf, int off, int len) {
        written.write(buf, off, len);
    }

    /** Every byte written so far. */
    byte[] written() {
        return written.toByteArray();
    }

    /** Forgets what was written. */
    void reset() {
        written.reset();
    }
}
