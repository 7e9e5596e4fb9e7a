package dev.wren.tools;

import picocli.CommandLine.Option;

/**
 * {@code --help} alone, for subcommands that keep {@code -h} for the broker host as mosquitto_pub does.
 * Use as {@code @Mixin HelpOption help;}.
 */
public final class HelpOption {
    @Option(names = "--help", usageHelp = true, description = "Show this help and exit.")
    boolean help;
}
