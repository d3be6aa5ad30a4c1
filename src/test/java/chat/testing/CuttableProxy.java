package chat.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on {@code 127.0.0.1}, port 0, in front of a server, that a test can cut as a network
 * failure would: {@link #cut()} resets both sides of every connection through it and refuses new
 * ones until {@link #heal()}. {@link #cutClientSide()} resets only the client's side, so the
 * server does not notice (a dead peer behind a NAT). Each connection is piped by two daemon
 * threads.
 */
public final class CuttableProxy implements AutoCloseable {

  /** A client's connection and the proxy's connection to the server on its behalf. */
  private static final class Pair {
    final Socket client;
    final Socket server;
    /** Cut on the client's side only: the server's side is left as it is. */
    volatile boolean clientSideCut;

    private final AtomicInteger directionsDone = new AtomicInteger();

    /** Once both directions have ended cleanly, both sockets are closed; true then. */
    boolean directionDone() {
      if (directionsDone.incrementAndGet() < 2) {
        return false;
      }
      closeQuietly(client);
      closeQuietly(server);
      return true;
    }

    Pair(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }
  }

  private final InetSocketAddress target;
  private final ServerSocket listener;
  private final Set<Pair> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private volatile boolean refusing;

  private CuttableProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "proxy-accept-" + listener.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A proxy to {@code target}, accepting at once. */
  public static CuttableProxy start(InetSocketAddress target) {
    try {
      return new CuttableProxy(target);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** How many connections the proxy has taken, refused ones included. */
  public int accepted() {
    return accepted.get();
  }

  /** Resets every connection on both sides, and refuses new ones until {@link #heal()}. */
  public void cut() {
    refusing = true;
    for (Pair pair : open) {
      open.remove(pair);
      reset(pair.client);
      reset(pair.server);
    }
  }

  /**
   * Resets every connection on the client's side only: the server keeps its side open, as it
   * would for a peer that vanished without a word. New connections are let through.
   */
  public void cutClientSide() {
    for (Pair pair : open) {
      open.remove(pair);
      pair.clientSideCut = true;
      reset(pair.client);
    }
  }

  /** Lets new connections through again. */
  public void heal() {
    refusing = false;
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        accepted.incrementAndGet();
        if (refusing) {
          reset(client);
        } else {
          connect(client);
        }
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void connect(Socket client) {
    try {
      Socket server = new Socket();
      server.connect(target, 5_000);
      client.setTcpNoDelay(true);
      server.setTcpNoDelay(true);
      Pair pair = new Pair(client, server);
      open.add(pair);
      pipe(pair, client, server, "up");
      pipe(pair, server, client, "down");
    } catch (IOException e) {
      reset(client);
    }
  }

  private void pipe(Pair pair, Socket from, Socket to, String direction) {
    Thread pump =
        new Thread(
            () -> {
              byte[] buffer = new byte[8192];
              try {
                // Not try-with-resources: closing a socket's stream closes the whole socket.
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int read;
                while ((read = in.read(buffer)) >= 0) {
                  out.write(buffer, 0, read);
                  out.flush();
                }
                to.shutdownOutput(); // pass a half-close on
                if (pair.directionDone()) {
                  open.remove(pair);
                }
              } catch (IOException e) {
                // A reset on one side reaches the other, unless only the client's side was cut.
                open.remove(pair);
                if (!pair.clientSideCut) {
                  reset(to);
                }
              }
            },
            "proxy-" + direction + "-" + from.getPort());
    pump.setDaemon(true);
    pump.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }

  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (SocketException e) {
      // already closed
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    cut();
  }
}
