package dev.wren.tools.bench.oneshot;

/** The baseline of the one-shot figure: a JVM that prints one line and exits. */
public final class HelloWorld {
    private HelloWorld() {
    }

    /** Prints a greeting. */
    public static void main(String[] args) {
        System.out.println("hello, world");
        System.exit(0);
    }
}
