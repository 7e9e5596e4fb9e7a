package dev.wren.tools.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A command line read without picocli, so that a one-shot {@code wren pub} (or {@code wren sub -C 1}) does not pay
 * for picocli's model of the command: built from annotations by reflection, it was most of the start-up
 * (tools/README.md, "Start-up").
 *
 * <p>Reads only the plain form: each option's name as an argument of its own, its value (if it takes one) as the
 * next argument, each option at most once unless it is a list ({@code sub -t}). Everything else {@link Declined
 * declines}: another form ({@code --topic=t}, {@code -rd}, {@code @file}), a value that starts with {@code -} or
 * {@code @}, a number that is not plain digits, a repeated option, a name it does not know ({@code --help}, a typo). The caller then gives the
 * whole command line to picocli, which parses it or reports the mistake as it always has; so where both parse a
 * command line they bind the same values, and picocli alone reports mistakes (QuickArgsTest compares them).
 */
public final class QuickArgs {

    /** Where picocli must read the command line instead. Carries no stack trace: it is a branch, not an error. */
    public static final class Declined extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private Declined() {
            super(null, null, false, false);
        }
    }

    private static final Declined DECLINED = new Declined();
    /** Longest run of digits read as an int: nine digits never overflow it, so no form picocli reads differently. */
    private static final int MAX_INT_DIGITS = 9;

    private final String[] args;
    private int next;
    private String option;
    private final Set<String> seen = new HashSet<>();

    /** Reads {@code args} from index {@code from} (after the subcommand's name). */
    public QuickArgs(String[] args, int from) {
        this.args = args;
        this.next = from;
    }

    /** Some options of a command, read without picocli. */
    public interface Options {
        /**
         * Reads the option {@code args} is at ({@link QuickArgs#option()}), if it is one of these.
         *
         * @return false when it is not one of these
         * @throws Declined where picocli must read the command line
         */
        boolean quickOption(QuickArgs args);
    }

    /**
     * Reads every option with the first of {@code optionSets} that knows it.
     *
     * @return true when all were read; false where picocli must read the command line (the values bound so far
     *         are then to be dropped)
     */
    public boolean readAll(Options... optionSets) {
        try {
            while (next()) {
                if (!known(optionSets)) {
                    return false;
                }
            }
            return true;
        } catch (Declined e) {
            return false;
        }
    }

    private boolean known(Options... optionSets) {
        for (Options options : optionSets) {
            if (options.quickOption(this)) {
                return true;
            }
        }
        return false;
    }

    /** Moves to the next option; false at the end of the command line. */
    private boolean next() {
        if (next == args.length) {
            return false;
        }
        String arg = args[next++];
        if (arg.length() < 2 || arg.charAt(0) != '-' || arg.indexOf('=') >= 0 || arg.equals("--")) {
            throw DECLINED;
        }
        option = arg;
        return true;
    }

    /** The option {@link #next()} moved to, as given (e.g. {@code -t} or {@code --topic}). */
    public String option() {
        return option;
    }

    /** A flag: marks {@code canonical} (the option's first name) given; returns true. */
    public boolean flag(String canonical) {
        once(canonical);
        return true;
    }

    /** The value of option {@code canonical} as text. */
    public String text(String canonical) {
        once(canonical);
        return value();
    }

    /** The value of a repeatable option, added to {@code values}. */
    public void addText(List<String> values) {
        values.add(value());
    }

    /** The next value of a repeatable option that takes several ({@code -D command identifier value}). */
    public String value() {
        if (next == args.length) {
            throw DECLINED;
        }
        String value = args[next++];
        if (!value.isEmpty() && (value.charAt(0) == '-' || value.charAt(0) == '@')) {
            throw DECLINED;
        }
        return value;
    }

    /** The value of option {@code canonical} as an int of at most nine plain digits. */
    public int integer(String canonical) {
        String value = text(canonical);
        if (value.isEmpty() || value.length() > MAX_INT_DIGITS) {
            throw DECLINED;
        }
        int n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw DECLINED;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** The value of option {@code canonical} as a number of plain digits with at most one decimal point. */
    public double decimal(String canonical) {
        String value = text(canonical);
        int digits = 0;
        int points = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '.') {
                points++;
            } else if (c >= '0' && c <= '9') {
                digits++;
            } else {
                throw DECLINED;
            }
        }
        if (digits == 0 || points > 1) {
            throw DECLINED;
        }
        return Double.parseDouble(value);
    }

    /** The value of option {@code canonical} as a path. */
    public Path path(String canonical) {
        String value = text(canonical);
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw DECLINED;
        }
    }

    private void once(String canonical) {
        if (!seen.add(canonical)) {
            throw DECLINED;
        }
    }
}
