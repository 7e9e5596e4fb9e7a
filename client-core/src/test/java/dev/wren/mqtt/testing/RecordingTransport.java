package dev.wren.mqtt.testing;

import dev.wren.mqtt.transport.Transport;

import java.io.IOException;
import java.util.List;

/** A transport that passes everything to another and adds each {@code write} call, as hex, to a list: one entry per write. */
public final class RecordingTransport implements Transport {
    private final Transport delegate;
    private final List<String> writes;

    /**
     * @param delegate the transport doing the work (typically a {@link ScriptedTransport})
     * @param writes where each write's bytes land, as {@link Bytes#toHex(byte[], int, int)}; may be shared
     */
    public RecordingTransport(Transport delegate, List<String> writes) {
        this.delegate = delegate;
        this.writes = writes;
    }

    @Override
    public int read(byte[] dst, int off, int len, int timeoutMillis) throws IOException {
        return delegate.read(dst, off, len, timeoutMillis);
    }

    @Override
    public void write(byte[] src, int off, int len) throws IOException {
        delegate.write(src, off, len);
        writes.add(Bytes.toHex(src, off, len));
    }

    @Override
    public void close() {
        delegate.close();
    }
}
