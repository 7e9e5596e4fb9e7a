package dev.wren.tools.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** An external program (mosquitto_pub, mosquitto_sub) with its output collected; bounded in time. */
public final class Proc implements AutoCloseable {

    /** Where the Debian package mosquitto-clients installs its tools. */
    public static final String MOSQUITTO_PUB = "/usr/bin/mosquitto_pub";
    /** See {@link #MOSQUITTO_PUB}. */
    public static final String MOSQUITTO_SUB = "/usr/bin/mosquitto_sub";

    private final Process process;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Thread outPump;
    private final Thread errPump;
    private final List<String> command;

    private Proc(List<String> command, byte[] stdin) {
        this.command = command;
        try {
            process = new ProcessBuilder(command).start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        }
        outPump = pump(process.getInputStream(), out);
        errPump = pump(process.getErrorStream(), err);
    }

    /** Starts {@code program args...} with {@code stdin} written and closed. */
    public static Proc start(byte[] stdin, String program, String... args) {
        List<String> command = new ArrayList<>();
        command.add(program);
        command.addAll(Arrays.asList(args));
        return new Proc(command, stdin);
    }

    /** Starts with empty standard input. */
    public static Proc start(String program, String... args) {
        return start(new byte[0], program, args);
    }

    /** Runs to the end (at most {@code timeoutMillis}) and returns this. */
    public Proc await(long timeoutMillis) {
        try {
            if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " still running after " + timeoutMillis + " ms; out: "
                        + new String(out(), StandardCharsets.UTF_8) + " err: " + err());
            }
            outPump.join(timeoutMillis);
            errPump.join(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return this;
    }

    /** The exit code (after {@link #await}). */
    public int exitCode() {
        return process.exitValue();
    }

    /** Standard output so far. */
    public synchronized byte[] out() {
        synchronized (out) {
            return out.toByteArray();
        }
    }

    /** Standard error so far. */
    public String err() {
        synchronized (err) {
            return err.toString(StandardCharsets.UTF_8);
        }
    }

    private static Thread pump(InputStream from, ByteArrayOutputStream to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = from.read(buf)) != -1) {
                    synchronized (to) {
                        to.write(buf, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "pump");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Kills the process if it still runs. */
    @Override
    public void close() {
        process.destroyForcibly();
    }

    @Override
    public String toString() {
        return String.join(" ", command);
    }
}
