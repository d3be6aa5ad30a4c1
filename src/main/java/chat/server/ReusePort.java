package chat.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.OptionalInt;
import org.apache.pekko.io.Inet;

/**
 * {@code SO_REUSEPORT} on a listening socket, so that several listeners share one port and the
 * kernel spreads new connections over them: one Pekko listener accepts one connection at a time,
 * several accept in parallel when many clients connect at once. Linux lets only sockets of the
 * same user share a port this way.
 */
final class ReusePort extends Inet.AbstractSocketOption {

  static final ReusePort ON = new ReusePort();

  private ReusePort() {}

  /** Whether this platform can share a listening port. */
  static boolean supported() {
    try (ServerSocketChannel channel = ServerSocketChannel.open()) {
      return channel.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The port the listeners should share: {@code port}, or a free one for 0. Empty if it is
   * taken, by any socket, so that the server's usual bind reports it rather than sharing it.
   */
  static OptionalInt claim(String host, int port) {
    try (ServerSocketChannel probe = ServerSocketChannel.open()) {
      probe.bind(new InetSocketAddress(host, port));
      return OptionalInt.of(((InetSocketAddress) probe.getLocalAddress()).getPort());
    } catch (IOException e) {
      return OptionalInt.empty();
    }
  }

  @Override
  public void beforeServerSocketBind(ServerSocket socket) {
    try {
      socket.setOption(StandardSocketOptions.SO_REUSEPORT, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot share the listening port", e);
    }
  }
}
