package dev.wren.tools.cli;

/**
 * A failure that ends a tool with a message on standard error and a mosquitto-like exit code
 * ({@link dev.wren.tools.ExitCodes}, {@link #TIMED_OUT}). Usage mistakes are picocli
 * {@link picocli.CommandLine.ParameterException}s instead, which also print the usage hint.
 */
public final class ToolFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** {@code -W} elapsed before the count was reached ({@code MOSQ_ERR_TIMEOUT}, as mosquitto_sub). */
    public static final int TIMED_OUT = 27;
    /** The connection could not be made (mosquitto_pub and mosquitto_sub exit with 1 then). */
    public static final int CONNECT_FAILED = 1;

    private final int exitCode;

    /** A failure with the text printed to standard error (as is, no prefix added) and the exit code. */
    public ToolFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** As {@link #ToolFailure(int, String)}, keeping the cause for a stack trace under {@code -d}. */
    public ToolFailure(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** The process exit code. */
    public int exitCode() {
        return exitCode;
    }
}
