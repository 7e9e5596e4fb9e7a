package dev.wren.node;

import java.util.List;

/**
 * The node configuration is wrong: every problem found, each with its source, line and key path, so one run
 * shows them all. Thrown before anything touches the hardware or the network.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * One mistake in the configuration.
   *
   * @param source   the file name or another label of the text read
   * @param line     1-based line of the offending key or value; 0 when no line applies (command line)
   * @param keyPath  where in the document, e.g. {@code sensors[0].address}
   * @param message  what is wrong, naming the value and what was expected
   */
  public record Problem(String source, int line, String keyPath, String message) {
    /** The problem as one line in compiler style: {@code node.yaml:12: sensors[0].address: ...}. */
    @Override
    public String toString() {
      return line > 0
          ? source + ":" + line + ": " + keyPath + ": " + message
          : source + ": " + keyPath + ": " + message;
    }
  }

  private final transient List<Problem> problems;

  /** Creates the exception from at least one problem, in the order found. */
  public ConfigException(List<Problem> problems) {
    super(describe(problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in document order as found. */
  public List<Problem> problems() {
    return problems;
  }

  private static String describe(List<Problem> problems) {
    StringBuilder text = new StringBuilder();
    text.append(problems.size() == 1 ? "1 problem" : problems.size() + " problems").append(" in the node configuration:");
    for (Problem p : problems) {
      text.append(System.lineSeparator()).append("  ").append(p);
    }
    return text.toString();
  }
}
