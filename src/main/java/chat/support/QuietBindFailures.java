package chat.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops Pekko's own report of a listening socket it could not bind, a stack trace of some 30
 * lines: the server says what went wrong in one line of its own, naming the port and the setting
 * to change. Pekko's other errors pass. Installed by {@code logback.xml}.
 */
public final class QuietBindFailures extends TurboFilter {

  private static final String LISTENER = "org.apache.pekko.io.TcpListener";

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    boolean bindFailure = format != null && format.startsWith("Bind failed")
        && logger.getName().equals(LISTENER);
    return bindFailure ? FilterReply.DENY : FilterReply.NEUTRAL;
  }
}
