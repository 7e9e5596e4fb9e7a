package dev.wren.tools.cli;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) and SIGTERM as a flag the working thread polls, so it can finish cleanly (send DISCONNECT,
 * flush output) before the JVM exits: the shutdown hook sets the flag and then waits, up to
 * {@code graceMillis}, until the working thread calls {@link #close()}. With {@link #trap} the two signals only
 * set the flag, so the command ends with its own exit code instead of the JVM's 130/143.
 */
public final class StopSignal implements AutoCloseable {

    /** Ctrl-C and {@code kill PID}, with their POSIX numbers (exit status 128 + number when forced). */
    private static final String[] TRAPPED = {"INT", "TERM"};
    private static final int[] TRAPPED_NUMBERS = {2, 15};

    private final CountDownLatch finished = new CountDownLatch(1);
    /** Pairs of (sun.misc.Signal, the handler it had before {@link #trap}), restored by {@link #close()}. */
    private final List<Object[]> trapped = new ArrayList<>();
    private final long graceMillis;
    private final Thread hook;
    private volatile boolean requested;

    private StopSignal(long graceMillis) {
        this.graceMillis = graceMillis;
        this.hook = new Thread(this::onShutdown, "wren-stop");
    }

    /** Registers the shutdown hook; the JVM waits at most {@code graceMillis} for {@link #close()} once stopping. */
    public static StopSignal install(long graceMillis) {
        StopSignal signal = new StopSignal(graceMillis);
        Runtime.getRuntime().addShutdownHook(signal.hook);
        return signal;
    }

    /**
     * As {@link #install}, and Ctrl-C (SIGINT) and SIGTERM become a plain stop request instead of the JVM's
     * shutdown: the command finishes and exits with its own code (0 after a clean stop, as mosquitto_sub does
     * on Ctrl-C). A second one ends the process at once with status 128 + the signal number. Uses
     * {@code sun.misc.Signal} (module jdk.unsupported) by reflection; where it is missing, the hook alone works.
     * {@link #close()} gives the signals back their previous handlers.
     */
    public static StopSignal trap(long graceMillis) {
        StopSignal signal = install(graceMillis);
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Constructor<?> named = signalClass.getConstructor(String.class);
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            for (int i = 0; i < TRAPPED.length; i++) {
                int number = TRAPPED_NUMBERS[i];
                String name = TRAPPED[i];
                InvocationHandler onSignal = (proxy, method, args) -> switch (method.getName()) {
                    case "handle" -> {
                        signal.onSignal(number);
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> "wren stop on SIG" + name;
                };
                Object handler = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[] {handlerClass},
                        onSignal);
                Object sig = named.newInstance(name);
                Object previous = handle.invoke(null, sig, handler);
                signal.trapped.add(new Object[] {handle, sig, previous});
            }
        } catch (ReflectiveOperationException | RuntimeException unavailable) {
            // No sun.misc.Signal (or the signal is reserved): the shutdown hook still stops the work cleanly.
        }
        return signal;
    }

    private void onSignal(int number) {
        if (requested) {
            Runtime.getRuntime().halt(128 + number); // the second Ctrl-C: the user does not want to wait
        }
        requested = true;
    }

    /** True once Ctrl-C or SIGTERM arrived, or {@link #request()} was called. */
    public boolean requested() {
        return requested;
    }

    /** Asks the working thread to stop, as Ctrl-C would. */
    public void request() {
        requested = true;
    }

    private void onShutdown() {
        requested = true;
        try {
            finished.await(graceMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Says the work is finished: a waiting shutdown hook returns; the hook is removed if the JVM is not stopping. */
    @Override
    public void close() {
        finished.countDown();
        for (Object[] t : trapped) {
            try {
                ((Method) t[0]).invoke(null, t[1], t[2]);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // Restoring failed: the JVM keeps this command's handler, which only sets a flag.
            }
        }
        trapped.clear();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running (Ctrl-C): it returns now that finished is counted down.
        }
    }
}
