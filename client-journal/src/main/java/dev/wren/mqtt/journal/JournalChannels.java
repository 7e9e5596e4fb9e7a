package dev.wren.mqtt.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * How a {@link Journal} opens its files: the one seam through which tests make the journal's I/O fail (a write,
 * a force, a truncate, a read) without a faulty disk. Production uses {@link #SYSTEM}; the journal keeps the
 * {@link FileChannel} it returns and calls it directly, so the seam costs nothing per message.
 */
interface JournalChannels {

    /** {@link FileChannel#open(Path, OpenOption...)}. */
    JournalChannels SYSTEM = FileChannel::open;

    /** Opens {@code file} with {@code options}, as {@link FileChannel#open(Path, OpenOption...)} does. */
    FileChannel open(Path file, OpenOption... options) throws IOException;
}
