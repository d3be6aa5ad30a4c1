package chat.testing;

import chat.client.ClientSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

/**
 * A stand-in for the chat server in client tests: a plain {@link ServerSocket} on {@code
 * 127.0.0.1}, port 0, driven line by line from the test thread. Every read has a timeout.
 */
public final class FakeServer implements AutoCloseable {

  public static final Duration WAIT = Duration.ofSeconds(5);

  private final ServerSocket serverSocket;

  public FakeServer() throws IOException {
    serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    serverSocket.setSoTimeout((int) WAIT.toMillis());
  }

  public int port() {
    return serverSocket.getLocalPort();
  }

  public ClientSettings settings() {
    return new ClientSettings("127.0.0.1", port(), 4096);
  }

  /** Waits (at most {@link #WAIT}) for the client to connect. */
  public LineClient accept() throws IOException {
    return LineClient.over(serverSocket.accept());
  }

  @Override
  public void close() throws IOException {
    serverSocket.close();
  }

  /** A port on which nothing listens: bound, noted and closed again. */
  public static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
