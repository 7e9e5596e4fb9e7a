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
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** An external program (mosquitto_pub, mosquitto_sub) with its output collected; bounded in time. */
public final class Proc implements AutoCloseable {

    /** Where the Debian package mosquitto-clients installs its tools. */
    public static final String MOSQUITTO_PUB = "/usr/bin/mosquitto_pub";
    /** See {@link #MOSQUITTO_PUB}. */
    public static final String MOSQUITTO_SUB = "/usr/bin/mosquitto_sub";
    /** See {@link #MOSQUITTO_PUB}. */
    public static final String MOSQUITTO_RR = "/usr/bin/mosquitto_rr";

    private final Process process;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Thread outPump;
    private final Thread errPump;
    private final List<String> command;
    /** Standard input while it is kept open ({@link #startOpen}); null once closed. */
    private OutputStream stdin;

    private Proc(List<String> command, byte[] stdin, boolean keepStdinOpen) {
        this(command, Map.of(), stdin, keepStdinOpen);
    }

    private Proc(List<String> command, Map<String, String> env, byte[] stdin, boolean keepStdinOpen) {
        this.command = command;
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            for (Map.Entry<String, String> e : env.entrySet()) {
                if (e.getValue() == null) {
                    builder.environment().remove(e.getKey());
                } else {
                    builder.environment().put(e.getKey(), e.getValue());
                }
            }
            process = builder.start();
            OutputStream in = process.getOutputStream();
            in.write(stdin);
            in.flush();
            if (keepStdinOpen) {
                this.stdin = in;
            } else {
                in.close();
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
        return new Proc(command, stdin, false);
    }

    /**
     * Starts {@code program args...} with empty standard input and this process's environment changed by
     * {@code env} (a null value removes the variable).
     */
    public static Proc startWithEnv(Map<String, String> env, String program, String... args) {
        List<String> command = new ArrayList<>();
        command.add(program);
        command.addAll(Arrays.asList(args));
        return new Proc(command, env, new byte[0], false);
    }

    /**
     * Starts {@code program args...} with standard input left open (e.g. {@code pub -l} waiting for lines);
     * {@link #write} feeds it.
     */
    public static Proc startOpen(String program, String... args) {
        List<String> command = new ArrayList<>();
        command.add(program);
        command.addAll(Arrays.asList(args));
        return new Proc(command, new byte[0], true);
    }

    /**
     * The command that runs {@code wren args...} as a process of its own: this JVM's {@code java} with the
     * test class path (surefire's {@code surefire.test.class.path}), so it needs no packaged jar.
     */
    public static String[] wrenCommand(String... args) {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of("-cp", classPath, "dev.wren.tools.Wren"));
        command.addAll(Arrays.asList(args));
        return command.toArray(String[]::new);
    }

    /** The {@code java} running this JVM, for {@link #wrenCommand}. */
    public static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** Writes {@code bytes} to the open standard input of a {@link #startOpen} process. */
    public void write(byte[] bytes) {
        if (stdin == null) {
            throw new IllegalStateException(this + ": standard input is closed");
        }
        try {
            stdin.write(bytes);
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(this + ": cannot write to standard input", e);
        }
    }

    /**
     * Sends SIGKILL and waits until the process is gone: it ends without a word to anyone, so the broker sees
     * its connection close without DISCONNECT (and publishes the will, MQTT 3.1.1 §3.1.2.5).
     */
    public void kill() {
        process.toHandle().destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new AssertionError(this + " still alive 10 s after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The process id. */
    public long pid() {
        return process.pid();
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

    /** Waits until standard output contains {@code text}, at most {@code timeoutMillis}; returns this. */
    public Proc awaitOutput(String text, long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!new String(out(), StandardCharsets.UTF_8).contains(text)) {
            if (System.nanoTime() - deadline >= 0 || !process.isAlive()) {
                throw new AssertionError("'" + text + "' not printed by " + this + " within " + timeoutMillis
                        + " ms (alive: " + process.isAlive() + "); out:\n" + new String(out(), StandardCharsets.UTF_8)
                        + "err:\n" + err());
            }
            try {
                Thread.sleep(20); // polling a pipe's copy with a deadline: no event to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        return this;
    }

    /**
     * Sends SIGTERM (what {@code kill PID} sends; Ctrl-C's SIGINT takes the same path in wren), keeping the
     * output pipes open: {@link Process#destroy()} would close them, losing what the process prints as it stops.
     */
    public void terminate() {
        process.toHandle().destroy();
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
