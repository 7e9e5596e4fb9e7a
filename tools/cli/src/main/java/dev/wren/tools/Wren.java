package dev.wren.tools;

import dev.wren.tools.cli.MqttTool;
import dev.wren.tools.cli.QuickArgs;
import dev.wren.tools.demo.DemoCommand;
import dev.wren.tools.pub.PubCommand;
import dev.wren.tools.rr.RrCommand;
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
                "Exit codes: 0 success, 1 usage error, 1..5 CONNACK refusal code (128..162 at",
                "MQTT 5.0), 7 connection lost, 13 other failure, 14 I/O error, 27 sub or rr -W",
                "timed out (as mosquitto_pub, mosquitto_sub and mosquitto_rr)."})
public final class Wren {

    /**
     * The subcommand classes, in the order {@code wren --help} lists them; a method, not a constant, so that a
     * one-shot {@code wren pub} does not load the others.
     */
    static Class<?>[] subcommands() {
        return new Class<?>[] {PubCommand.class, SubCommand.class, RrCommand.class, DemoCommand.class};
    }

    private Wren() {
    }

    /** Builds the command line with every subcommand and the mosquitto-like exit code mapping. */
    public static CommandLine commandLine() {
        return commandLine(subcommands());
    }

    /**
     * The command line for {@code args}: with only the subcommand {@code args[0]} names when it names one,
     * otherwise (help, version, a mistake) with all of them.
     */
    static CommandLine commandLineFor(String... args) {
        if (args.length > 0) {
            for (Class<?> sub : subcommands()) {
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
        MqttTool quick = quick(args);
        return quick != null ? quick.callWithoutPicocli("wren " + args[0]) : commandLineFor(args).execute(args);
    }

    /**
     * The tool {@code args} ask for, bound without picocli ({@link QuickArgs}), or null where picocli must read
     * them: picocli's model of a command (annotations read by reflection) was most of a one-shot publish
     * (tools/README.md, "Start-up").
     */
    public static MqttTool quick(String... args) {
        if (args.length == 0) {
            return null;
        }
        return switch (args[0]) {
            case "pub" -> PubCommand.quick(args, 1);
            case "sub" -> SubCommand.quick(args, 1);
            case "rr" -> RrCommand.quick(args, 1);
            default -> null;
        };
    }

    /**
     * Entry point of {@code java -jar wren.jar}. Everything but {@code pub}, {@code sub} and {@code rr} ({@code demo}, and
     * {@code --help}, which reads the demo's options too) runs in a class loader over wren.jar and the jars in
     * {@code lib/} beside it (the sensor node, Moquette, Netty): they are not on wren.jar's class path, because
     * the JVM would open every one of them for a one-shot {@code wren pub} too (looking up services).
     */
    public static void main(String[] args) throws ReflectiveOperationException, java.io.IOException {
        boolean mqttTool = args.length > 0
                && ("pub".equals(args[0]) || "sub".equals(args[0]) || "rr".equals(args[0]));
        if (!mqttTool && !demoOnClassPath()) {
            System.exit(runDemoWithLib(args));
        }
        MqttTool quick = quick(args);
        if (quick == null) {
            System.exit(run(args));
        }
        int code = quick.callWithoutPicocli("wren " + args[0]);
        if (code != ExitCodes.OK || !(quick instanceof PubCommand)) {
            System.exit(code);
        }
        // A one-shot pub that succeeded ends by returning (it leaves no thread but daemons): System.exit would
        // start the System.Logger machinery on the way out (JDK 21+ logs Runtime.exit), a few ms of start-up.
    }

    private static boolean demoOnClassPath() {
        return Wren.class.getClassLoader().getResource("io/moquette/broker/Server.class") != null;
    }

    private static int runDemoWithLib(String[] args) throws ReflectiveOperationException, java.io.IOException {
        java.nio.file.Path jar;
        try {
            jar = java.nio.file.Path.of(Wren.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("wren.jar's location is not a file: " + e.getMessage(), e);
        }
        java.nio.file.Path lib = jar.resolveSibling("lib");
        java.util.List<java.net.URL> urls = new java.util.ArrayList<>();
        urls.add(jar.toUri().toURL());
        try (java.util.stream.Stream<java.nio.file.Path> jars = java.nio.file.Files.list(lib)) {
            for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) jars.sorted()::iterator) {
                if (p.toString().endsWith(".jar")) {
                    urls.add(p.toUri().toURL());
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            System.err.println("Error: wren demo needs the jars in " + lib + " (mvn package puts them beside wren.jar).");
            return ExitCodes.USAGE;
        }
        // Parent: the platform loader, so Wren, picocli and client-core load once more, beside the demo's jars.
        java.net.URLClassLoader loader = new java.net.URLClassLoader("wren-demo",
                urls.toArray(new java.net.URL[0]), ClassLoader.getPlatformClassLoader());
        Thread.currentThread().setContextClassLoader(loader);
        Object code = loader.loadClass(Wren.class.getName()).getMethod("run", String[].class)
                .invoke(null, (Object) args);
        return (Integer) code;
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
