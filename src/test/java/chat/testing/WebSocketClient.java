package chat.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A WebSocket client for tests, on the JDK's {@link java.net.http.WebSocket}: sends lines as
 * text frames and keeps every text frame it receives (whole, however it was split) in a queue.
 */
public final class WebSocketClient implements AutoCloseable {

  private static final Duration WAIT = Duration.ofSeconds(10);

  /** A text frame received, or the end of the socket with its close code. */
  private record Received(String text, int closeCode) {}

  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final WebSocket socket;
  /** Pings from the server, one permit each. */
  private final java.util.concurrent.Semaphore pings = new java.util.concurrent.Semaphore(0);
  /** Whether frames are read: a paused client leaves them in the socket, as a stuck tab would. */
  private volatile boolean reading = true;

  private WebSocketClient(WebSocket.Builder builder, URI uri) {
    this.socket = builder.buildAsync(uri, new Listener()).join();
  }

  /**
   * Opens {@code uri}; {@code origin}, if given, is sent as a browser would; {@code tls} is the
   * trust for a {@code wss} address.
   */
  public static WebSocketClient open(URI uri, Optional<String> origin, Optional<SSLContext> tls) {
    HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(WAIT);
    tls.ifPresent(client::sslContext);
    WebSocket.Builder builder = client.build().newWebSocketBuilder().connectTimeout(WAIT);
    origin.ifPresent(value -> builder.header("Origin", value));
    return new WebSocketClient(builder, uri);
  }

  /** Why a handshake was refused: its HTTP status, if the server answered with one. */
  public static Optional<Integer> refusedStatus(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof java.net.http.WebSocketHandshakeException handshake) {
        return Optional.of(handshake.getResponse().statusCode());
      }
    }
    return Optional.empty();
  }

  /** Stops reading frames: the server's frames pile up in the socket's buffers. */
  public void pause() {
    reading = false;
  }

  /** Reads frames again after {@link #pause()}. */
  public void resume() {
    reading = true;
    socket.request(1);
  }

  public void send(String line) {
    socket.sendText(line, true).join();
  }

  public void sendBinary(byte[] bytes) {
    socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
  }

  /** The next text frame, within the wait; fails if none came or the socket closed. */
  public String next() {
    Received next = poll(WAIT);
    if (next == null) {
      throw new AssertionError("no frame within " + WAIT);
    }
    if (next.text() == null) {
      throw new AssertionError("the socket closed (code " + next.closeCode() + ")");
    }
    return next.text();
  }

  /** The next frame that contains {@code part}, skipping others; fails if none comes in time. */
  public String nextContaining(String part) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Received next = poll(Duration.ofNanos(deadline - System.nanoTime()));
      if (next == null || next.text() == null) {
        break;
      }
      if (next.text().contains(part)) {
        return next.text();
      }
    }
    throw new AssertionError("no frame containing " + part + " within " + WAIT);
  }

  /** Waits for the server to close the socket, skipping frames, and gives the close code. */
  public int closeCode() {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Received next = poll(Duration.ofNanos(deadline - System.nanoTime()));
      if (next != null && next.text() == null) {
        return next.closeCode();
      }
    }
    throw new AssertionError("the socket did not close within " + WAIT);
  }

  public void expectClosed() {
    closeCode();
  }

  /** Waits for {@code count} pings from the server (answered by the JDK with pongs). */
  public void awaitPings(int count) {
    try {
      if (!pings.tryAcquire(count, WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new AssertionError("fewer than " + count + " pings within " + WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Fails unless no frame arrives for {@code quiet}. */
  public void expectSilentFor(Duration quiet) {
    Received next = poll(quiet);
    assertEquals(null, next == null ? null : next.text(), "a frame arrived");
  }

  private Received poll(Duration wait) {
    try {
      return received.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(failure -> null);
    }
    socket.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        received.add(new Received(partial.toString(), 0));
        partial.setLength(0);
      }
      if (reading) {
        webSocket.request(1);
      }
      return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
      pings.release();
      return WebSocket.Listener.super.onPing(webSocket, message);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      received.add(new Received(null, statusCode));
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      received.add(new Received(null, -1));
    }
  }
}
