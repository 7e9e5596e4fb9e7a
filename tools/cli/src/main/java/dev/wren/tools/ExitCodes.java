package dev.wren.tools;

import java.io.IOException;
import java.net.UnknownHostException;

/**
 * Process exit codes, as mosquitto_pub and mosquitto_sub use them: 0 on success, the CONNACK return code
 * (MQTT 3.1.1 §3.2.2.3, 1..5) when the broker refuses the connection, otherwise a libmosquitto
 * {@code MOSQ_ERR_*} value. Usage errors exit with 1, as mosquitto_pub does after printing its usage.
 */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** Bad command line: the usage is printed. */
    public static final int USAGE = 1;
    /** The broker broke the protocol ({@code MOSQ_ERR_PROTOCOL}). */
    public static final int PROTOCOL = 2;
    /** The connection was lost ({@code MOSQ_ERR_CONN_LOST}). */
    public static final int CONNECTION_LOST = 7;
    /** Any other failure ({@code MOSQ_ERR_UNKNOWN}). */
    public static final int UNKNOWN = 13;
    /** A socket or file operation failed ({@code MOSQ_ERR_ERRNO}). */
    public static final int IO = 14;
    /** The host name did not resolve ({@code MOSQ_ERR_EAI}). */
    public static final int UNKNOWN_HOST = 15;

    private ExitCodes() {
    }

    /** Maps an exception that escaped a subcommand to its exit code. */
    public static int forException(Throwable e) {
        if (e instanceof picocli.CommandLine.ParameterException) {
            return USAGE;
        }
        if (e instanceof UnknownHostException) {
            return UNKNOWN_HOST;
        }
        if (e instanceof IOException) {
            return IO;
        }
        return UNKNOWN;
    }
}
