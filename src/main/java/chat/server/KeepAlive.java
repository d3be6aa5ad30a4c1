package chat.server;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.time.Duration;
import jdk.net.ExtendedSocketOptions;
import org.apache.pekko.io.Inet;

/**
 * TCP keep-alive with timings of the server's own, set on every accepted socket: with the
 * system's defaults (two hours idle on Linux) a client whose machine or network vanished would
 * keep its name that long. Where the platform cannot set the timings, plain keep-alive is used.
 */
public final class KeepAlive extends Inet.AbstractSocketOptionV2 {

  private final Duration idle;
  private final Duration interval;
  private final int probes;

  public KeepAlive(Duration idle, Duration interval, int probes) {
    if (idle.toSeconds() < 1 || interval.toSeconds() < 1 || probes < 1) {
      throw new IllegalArgumentException("chat.server.keep-alive values must be at least 1 (second)");
    }
    this.idle = idle;
    this.interval = interval;
    this.probes = probes;
  }

  static KeepAlive fromConfig(Config server) {
    Config keepAlive = server.getConfig("keep-alive");
    return new KeepAlive(
        keepAlive.getDuration("idle"), keepAlive.getDuration("interval"), keepAlive.getInt("probes"));
  }

  /** The longest a dead peer goes unnoticed while the connection is quiet. */
  public Duration deadPeerFoundWithin() {
    return idle.plus(interval.multipliedBy(probes));
  }

  @Override
  public void afterConnect(Socket socket) {
    try {
      socket.setKeepAlive(true);
      if (socket.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPIDLE)) {
        socket.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, (int) idle.toSeconds());
        socket.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, (int) interval.toSeconds());
        socket.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, probes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set keep-alive", e);
    }
  }
}
