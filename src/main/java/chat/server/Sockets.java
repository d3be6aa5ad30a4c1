package chat.server;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.io.Inet;

/**
 * The sockets the listeners accept, by their two ends, until the server takes each one up:
 * Pekko's connection can only finish its writes or reset the socket, and a client that stopped
 * reading never lets the writes finish. Closing the socket itself ends such a connection as
 * connections normally end: what the kernel holds still goes out, then the end of the stream.
 */
final class Sockets extends Inet.AbstractSocketOptionV2 {

  /**
   * A connection's two ends: a client may use one port of its own towards two of the server's
   * ports (plain text and TLS) at once.
   */
  private record Ends(SocketAddress local, SocketAddress remote) {}

  private final Map<Ends, Socket> accepted = new ConcurrentHashMap<>();

  /**
   * At most this many refused TLS connections are held open at once, for their client to finish
   * the handshake and read why; past it a refused connection is closed at once, with no line: a
   * client that opens connections it never completes cannot make the server hold more of them
   * than its limits allow.
   */
  static final int REFUSALS_HELD = 16;

  private final java.util.concurrent.atomic.AtomicInteger refusalsHeld =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Whether one more refused TLS connection may be held; if so, it counts until released. */
  boolean holdRefusal() {
    if (refusalsHeld.incrementAndGet() > REFUSALS_HELD) {
      refusalsHeld.decrementAndGet();
      return false;
    }
    return true;
  }

  void refusalReleased() {
    refusalsHeld.decrementAndGet();
  }

  @Override
  public void afterConnect(Socket socket) {
    accepted.put(new Ends(socket.getLocalSocketAddress(), socket.getRemoteSocketAddress()), socket);
  }

  /** The socket of the connection {@code local} accepted from {@code remote}, handed out once. */
  Optional<Socket> take(SocketAddress local, SocketAddress remote) {
    return Optional.ofNullable(accepted.remove(new Ends(local, remote)));
  }

  /**
   * Closes a socket without a reset: the system sends what it still holds for the client, then
   * the end of the stream. Pekko's connection fails on its next use of the socket, or when cut.
   */
  static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Closed already, or the peer is gone: either way it is over.
    }
  }
}
