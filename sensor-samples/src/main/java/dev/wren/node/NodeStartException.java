package dev.wren.node;

/**
 * The node could not take over its hardware (a sensor that does not answer at start, a GPIO line in use) or
 * was asked for something this build cannot do. Unchecked, so an embedder (the {@code wren demo}) need not
 * know the device layer's exception; the cause carries it.
 */
public final class NodeStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception whose message names the device, bus, address or line involved. */
  public NodeStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
