package dev.wren.tools.bench;

import dev.wren.tools.ExitCodes;
import picocli.CommandLine;

/**
 * Entry point of {@code wren-bench.jar}, which {@code ./wren bench ARGS} runs: {@link BenchCommand} with the exit
 * codes of the {@code wren} command. The bench is its own jar so that the command's jar carries none of Paho,
 * HiveMQ or JMH.
 */
public final class BenchMain {
    private BenchMain() {
    }

    /** The bench's command line, named {@code wren bench} in its help and errors. */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new BenchCommand());
        cmd.setCommandName("wren bench");
        cmd.setExitCodeExceptionMapper(ExitCodes::forException);
        cmd.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.USAGE);
        return cmd;
    }

    /** Runs the bench with {@code args} (what follows {@code wren bench}) and exits with its code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
