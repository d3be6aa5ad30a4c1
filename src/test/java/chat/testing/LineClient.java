package chat.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A plain socket client, as {@code nc} would be: writes lines, reads lines with a timeout. */
public final class LineClient implements AutoCloseable {

  private static final int READ_TIMEOUT_MILLIS = 5_000;

  private final Socket socket;
  private final BufferedReader in;
  private final OutputStream out;

  private LineClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in =
        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    this.out = socket.getOutputStream();
  }

  /** Drives a socket the test already has, such as one a fake server accepted. */
  public static LineClient over(Socket socket) {
    try {
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      return new LineClient(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static LineClient connect(InetSocketAddress address) {
    try {
      Socket socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(address, READ_TIMEOUT_MILLIS);
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      return new LineClient(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Connects and joins as {@code name}, reading the own join line. */
  public static LineClient joined(InetSocketAddress address, String name) {
    LineClient client = connect(address);
    client.send("JOIN:" + name);
    client.expect(name + " has joined the chat.");
    return client;
  }

  /**
   * Joins as {@code name} once the server takes the connection: a server at its connection
   * limit refuses with an ERROR line until a place is free (a slot frees when the server has
   * finished closing another connection). At most 200 tries within 10 seconds.
   */
  public static LineClient joinedEventually(InetSocketAddress address, String name) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    for (int attempt = 0; attempt < 200 && System.nanoTime() < deadline; attempt++) {
      LineClient client = connect(address);
      client.send("JOIN:" + name);
      String answer = client.readLine();
      if ((name + " has joined the chat.").equals(answer)) {
        return client;
      }
      client.close();
    }
    throw new AssertionError("the server never took a connection for " + name);
  }

  /** The socket, for a test that reads raw bytes. */
  public Socket socket() {
    return socket;
  }

  public void send(String line) {
    sendBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Writes raw text, line endings included. */
  public void write(String text) {
    sendBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  public void sendBytes(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Whether the server cuts the connection within {@code bound}: writes until writing fails
   * (a reset) or the bound is over, at most five million small writes.
   */
  public boolean cutWithin(Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    byte[] line = "still here\n".getBytes(StandardCharsets.UTF_8);
    for (int attempt = 0; attempt < 5_000_000 && System.nanoTime() < deadline; attempt++) {
      try {
        out.write(line);
      } catch (IOException reset) {
        return true;
      }
    }
    return false;
  }

  /** The next line; fails the test if none comes within the read timeout. */
  public String readLine() {
    try {
      return in.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the peer sends nothing for {@code quiet} (a bounded wait, not a sleep). */
  public boolean silentFor(Duration quiet) {
    try {
      socket.setSoTimeout((int) quiet.toMillis());
      int next = in.read();
      throw new AssertionError("peer sent more: " + (char) next);
    } catch (SocketTimeoutException expected) {
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      try {
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public void expect(String line) {
    assertEquals(line, readLine());
  }

  /** Expects the server to close the connection with no further line. */
  public void expectClosed() {
    assertNull(readLine());
  }

  /** Closes the sending side only, as {@code nc -N} does at the end of its input. */
  public void shutdownOutput() {
    try {
      socket.shutdownOutput();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Drops the connection with a reset, as a crashed or killed client would. */
  public void reset() {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
