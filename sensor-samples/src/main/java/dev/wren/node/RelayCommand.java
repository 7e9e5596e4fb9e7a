package dev.wren.node;

/**
 * Parses a relay command payload without allocating: {@code ON}, {@code OFF} or {@code TOGGLE}, ASCII
 * case-insensitive, nothing else (no whitespace trimming: Home Assistant sends the bare word).
 */
final class RelayCommand {
  /** The payload is not a command. */
  static final int INVALID = -1;
  /** Switch off. */
  static final int OFF = 0;
  /** Switch on. */
  static final int ON = 1;
  /** Switch to the other state. */
  static final int TOGGLE = 2;

  private static final byte[] ON_BYTES = {'O', 'N'};
  private static final byte[] OFF_BYTES = {'O', 'F', 'F'};
  private static final byte[] TOGGLE_BYTES = {'T', 'O', 'G', 'G', 'L', 'E'};

  private RelayCommand() {
  }

  /** {@link #ON}, {@link #OFF}, {@link #TOGGLE} or {@link #INVALID} for {@code buf[off, off+len)}. */
  static int parse(byte[] buf, int off, int len) {
    if (equalsUpper(buf, off, len, ON_BYTES)) {
      return ON;
    }
    if (equalsUpper(buf, off, len, OFF_BYTES)) {
      return OFF;
    }
    if (equalsUpper(buf, off, len, TOGGLE_BYTES)) {
      return TOGGLE;
    }
    return INVALID;
  }

  /** The command's word for logs: {@code ON}, {@code OFF} or {@code TOGGLE}; {@code command} is not {@link #INVALID}. */
  static String name(int command) {
    return command == TOGGLE ? "TOGGLE" : command == ON ? "ON" : "OFF";
  }

  /** The state after {@code command} given the current state; {@code command} is not {@link #INVALID}. */
  static boolean apply(int command, boolean currentlyOn) {
    return command == TOGGLE ? !currentlyOn : command == ON;
  }

  private static boolean equalsUpper(byte[] buf, int off, int len, byte[] upper) {
    if (len != upper.length) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      int b = buf[off + i];
      // ASCII lower case to upper: 'a'..'z' differ from 'A'..'Z' by 0x20 only.
      if (b >= 'a' && b <= 'z') {
        b -= 0x20;
      }
      if (b != upper[i]) {
        return false;
      }
    }
    return true;
  }
}
