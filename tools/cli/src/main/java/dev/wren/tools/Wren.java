package dev.wren.tools;

import dev.wren.tools.demo.DemoCommand;
import dev.wren.tools.pub.PubCommand;
import dev.wren.tools.sub.SubCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code wren} command: one picocli command whose subcommands are the tools.
 *
 * <p>A subcommand is one class annotated with {@link Command} and implementing {@code Callable<Integer>}
 * (returning an {@link ExitCodes} value); adding it means adding its class to {@link #SUBCOMMANDS}.
 * Exit codes follow mosquitto_pub/mosquitto_sub: see {@link ExitCodes}.
 *
 * <p>{@link #run} builds only the subcommand it is asked for: picocli reads every option of every class it is
 * given, which for a one-shot {@code wren pub} would be most of the start-up work. The benchmark is its own jar
 * ({@code tools/bench}), run by {@code ./wren bench}.
 */
@Command(name = "wren", mixinStandardHelpOptions = true, versionProvider = Wren.Version.class,
        description = "Wren MQTT tools.",
        footer = {"", "The benchmark: ./wren bench [--help] (tools/bench/target/wren-bench.jar).", "",
                "Exit codes: 0 success, 1 usage error, 1..5 CONNACK refusal code,",
                "7 connection lost, 13 other failure, 14 I/O error (as mosquitto_pub)."})
public final class Wren {

    /** The subcommand classes, in the order {@code wren --help} lists them. */
    static final Class<?>[] SUBCOMMANDS = {PubCommand.class, SubCommand.class, DemoCommand.class};

    private Wren() {
    }

    /** Builds the command line with every subcommand and the mosquitto-like exit code mapping. */
    public static CommandLine commandLine() {
        return commandLine(SUBCOMMANDS);
    }

    /**
     * The command line for {@code args}: with only the subcommand {@code args[0]} names when it names one,
     * otherwise (help, version, a mistake) with all of them.
     */
    static CommandLine commandLineFor(String... args) {
        if (args.length > 0) {
            for (Class<?> sub : SUBCOMMANDS) {
                if (sub.getAnnotation(Command.class).name().equals(args[0])) {
                    return commandLine(sub);
                }
            }
        }
        return commandLine();
    }

    private static CommandLine commandLine(Class<?>... subcommands) {
        CommandLine cmd = new CommandLine(new Wren());
        for (Class<?> sub : subcommands) {
            cmd.addSubcommand(sub);
        }
        cmd.setExitCodeExceptionMapper(ExitCodes::forException);
        // Usage errors exit with 1, as mosquitto_pub does after printing its usage.
        cmd.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.USAGE);
        for (CommandLine sub : cmd.getSubcommands().values()) {
            sub.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.USAGE);
        }
        return cmd;
    }

    /** Runs {@code wren} with the given arguments and returns the exit code instead of exiting. */
    public static int run(String... args) {
        return commandLineFor(args).execute(args);
    }

    /** Entry point of {@code java -jar wren.jar}. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Reports the version from the jar manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Wren.class.getPackage().getImplementationVersion();
            return new String[] {"wren " + (v == null ? "development" : v)};
        }
    }
}
