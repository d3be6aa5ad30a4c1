package chat.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One simulated chat client: a non-blocking socket that connects, sends its {@code JOIN:} line,
 * waits for the answer, then reads lines and writes messages. It tells its {@link Listener} (the
 * driver) what happens; the driver's selector thread is the only one that touches it.
 */
final class Client implements LineBuffer.Sink {

  /** Where a client is in its life. */
  enum State { CONNECTING, JOINING, JOINED, CLOSED }

  /** What a client tells the driver. */
  interface Listener {
    void joined(Client client);

    /** A refusal or error before the join; the client has been closed. */
    void refused(Client client, String line);

    /** Message {@code seq} of client {@code sender}, sent at {@code sentNanos}, arrived. */
    void received(Client receiver, int sender, long seq, long sentNanos);

    /** An {@code ERROR} or shutdown line after the join. */
    void serverError(Client client, String line);

    /** The connection failed or the server closed it; {@code before} is the state it was in. */
    void closed(Client client, State before, String why);
  }

  private static final int MAX_LINE_BYTES = 64 * 1024;

  final int index;
  final String name;
  private final ServerLine lines;
  private final Listener listener;
  private final byte[] ownJoin;
  private final LineBuffer buffer = new LineBuffer(MAX_LINE_BYTES);
  /** Made once: a message received makes no garbage. */
  private final Message.Receiver received;
  private final SocketChannel channel;
  private SelectionKey key;
  private ByteBuffer out;
  private State state = State.CONNECTING;

  private Client(int index, String name, ServerLine lines, Listener listener)
      throws IOException {
    this.index = index;
    this.name = name;
    this.lines = lines;
    this.listener = listener;
    this.ownJoin = ServerLine.ownJoinLine(name);
    this.received = (sender, seq, sentNanos) -> listener.received(this, sender, seq, sentNanos);
    this.out = ByteBuffer.wrap(lines.joinRequest(name));
    this.out.position(out.limit());
    this.channel = SocketChannel.open();
  }

  /** Opens a socket to {@code address} and starts connecting; answers come through the selector. */
  static Client connect(int index, String name, InetSocketAddress address, Selector selector,
      ServerLine lines, Listener listener) throws IOException {
    Client client = new Client(index, name, lines, listener);
    try {
      client.channel.configureBlocking(false);
      client.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      client.key = client.channel.register(selector, SelectionKey.OP_CONNECT, client);
      if (client.channel.connect(address)) {
        client.connected();
      }
    } catch (IOException e) {
      client.channel.close();
      throw e;
    }
    return client;
  }

  State state() {
    return state;
  }

  /** Gives this client room for {@code bytes} of unsent messages (only senders need it). */
  void allocateOutput(int bytes) {
    out = ByteBuffer.allocate(bytes);
  }

  /** The buffer messages are encoded into, in write mode; {@link #flush} sends it. */
  ByteBuffer output() {
    return out;
  }

  /** Reads and writes what the selector says is ready, using {@code scratch} for reads. */
  void handle(SelectionKey ready, ByteBuffer scratch) {
    if (!ready.isValid()) {
      return;
    }
    try {
      if (ready.isConnectable()) {
        if (!channel.finishConnect()) {
          return;
        }
        connected();
      }
      if (ready.isValid() && ready.isReadable()) {
        read(scratch);
      }
      if (state != State.CLOSED && ready.isValid() && ready.isWritable()) {
        write();
      }
    } catch (IOException e) {
      fail(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
  }

  /**
   * Writes what is buffered; what the socket does not take waits for it to be writable. A
   * failed write closes the client and tells the listener.
   */
  void flush() {
    try {
      write();
    } catch (IOException e) {
      fail(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
  }

  private void write() throws IOException {
    out.flip();
    channel.write(out);
    out.compact();
    int ops = key.interestOps();
    key.interestOps(
        out.position() > 0 ? ops | SelectionKey.OP_WRITE : ops & ~SelectionKey.OP_WRITE);
  }

  /** Stops reading, as a slow reader that the server must not wait for. */
  void stopReading() {
    if (key.isValid()) {
      key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
    }
  }

  /** Closes the socket; the listener is not told. */
  void close() {
    state = State.CLOSED;
    try {
      channel.close();
    } catch (IOException e) {
      // Closing a socket that already failed: nothing left to do.
    }
  }

  @Override
  public void line(byte[] bytes, int offset, int length) {
    if (state == State.JOINED) {
      if (lines.chat(bytes, offset, length, received)) {
        return;
      }
    }
    ServerLine.Kind kind = lines.classify(bytes, offset, length, ownJoin);
    if (state == State.JOINING) {
      if (kind == ServerLine.Kind.JOINED) {
        state = State.JOINED;
        listener.joined(this);
      } else if (kind != ServerLine.Kind.OTHER) {
        close();
        listener.refused(this, text(bytes, offset, length));
      }
    } else if (state == State.JOINED
        && (kind == ServerLine.Kind.ERROR || kind == ServerLine.Kind.SHUTDOWN)) {
      listener.serverError(this, text(bytes, offset, length));
    }
  }

  private void connected() throws IOException {
    state = State.JOINING;
    key.interestOps(SelectionKey.OP_READ);
    write();
  }

  private void read(ByteBuffer scratch) throws IOException {
    scratch.clear();
    int n = channel.read(scratch);
    if (n < 0) {
      fail("closed by the server");
      return;
    }
    buffer.feed(scratch.array(), scratch.arrayOffset(), n, this);
  }

  private void fail(String why) {
    State before = state;
    if (before == State.CLOSED) {
      return;
    }
    close();
    listener.closed(this, before, why);
  }

  private static String text(byte[] bytes, int offset, int length) {
    return new String(bytes, offset, Math.min(length, 200), StandardCharsets.UTF_8);
  }
}
