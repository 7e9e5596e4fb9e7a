package dev.wren.node;

/**
 * The node could not take over its hardware (a sensor that does not answer at start, a GPIO line in use) or
 * was asked for something this build cannot do. Unchecked, so an embedder (the {@code wren demo}) need not
 * know the device layer's exception; the cause carries it.
 */
public final class NodeStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean hardware;

  /** A hardware problem whose message names the device, bus, address or line involved. */
  public NodeStartException(String message, Throwable cause) {
    this(message, cause, true);
  }

  /**
   * @param hardware true when the hardware is missing or not accessible (a restart may find it back), false for a
   *                 file the configuration names that cannot be used (TLS, journal)
   */
  public NodeStartException(String message, Throwable cause, boolean hardware) {
    super(message, cause);
    this.hardware = hardware;
  }

  /** True for missing or inaccessible hardware (exit 69), false for an unusable configured file (exit 78). */
  public boolean hardware() {
    return hardware;
  }
}
