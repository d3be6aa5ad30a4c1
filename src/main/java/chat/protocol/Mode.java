package chat.protocol;

/**
 * How a connection's server lines are written: {@link #TEXT}, the seed's human sentences (the
 * default, for {@code nc} and {@code telnet}), or {@link #JSON}, one JSON object per line that says
 * what each line is. A client picks it on its {@code JOIN:} line.
 */
public enum Mode {
  TEXT,
  JSON
}
