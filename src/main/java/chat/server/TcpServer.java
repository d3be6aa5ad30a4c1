package chat.server;

import chat.protocol.Event;
import chat.protocol.Mode;
import chat.protocol.ServerLines;
import chat.room.ChatRoom;
import chat.room.Encoded;
import chat.tls.TlsContexts;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.io.Inet;
import org.apache.pekko.io.TcpSO;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.TLSClosing;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.stream.typed.javadsl.ActorSink;
import org.apache.pekko.util.ByteString;

/**
 * The TCP edge of the server: the listening socket, and the stream that joins each accepted
 * connection to its {@link Session}. Inbound bytes are framed into lines and fed to the session
 * with backpressure; outbound lines come from the {@link OutboxStage}'s bounded buffer, which the
 * room and the session offer to without waiting.
 */
final class TcpServer {

  private static final int BACKLOG = 1024;

  /**
   * Lines a busy session gets in one message: the framing stops reading once it holds this many
   * (the lines of that last read come along too).
   */
  private static final int INBOUND_BATCH = 256;

  /**
   * Keep-alive (with the server's timings) finds dead peers; no-delay sends lines at once; a
   * {@code shared} listener shares its port with the other acceptors.
   */
  private static List<Inet.SocketOption> options(KeepAlive keepAlive, boolean shared) {
    return shared
        ? List.of(keepAlive, TcpSO.tcpNoDelay(true), ReusePort.ON)
        : List.of(keepAlive, TcpSO.tcpNoDelay(true));
  }

  private TcpServer() {}

  /**
   * The connections to a listener on {@code chat.server.host}. On the plain listener half-close
   * is on, so a client that shuts its sending side still gets the lines owed to it. A TLS
   * connection closes once the server has sent its last line (TLS 1.3 lets the client's
   * close_notify end only the client's side).
   */
  static Source<Tcp.IncomingConnection, CompletionStage<Tcp.ServerBinding>> bind(
      ActorSystem<?> system, String host, KeepAlive keepAlive, Listener listener) {
    List<Inet.SocketOption> options = options(keepAlive, listener.shared());
    Tcp tcp = Tcp.get(system);
    if (listener.tls().isEmpty()) {
      return tcp.bind(host, listener.port(), BACKLOG, options, true, Optional.empty());
    }
    SSLContext context = listener.tls().get();
    return tcp.bindWithTls(
        host,
        listener.port(),
        () -> TlsContexts.serverEngine(context),
        BACKLOG,
        options,
        Optional.empty(),
        session -> Optional.empty(),
        TLSClosing.eagerClose());
  }

  /**
   * What a session runs once to start its connection's stream. An actor keeps the factory it was
   * spawned from for its whole life, so this one lets go of the accepted connection, and with it
   * the stream's blueprint (0.3 KB of heap per client), once it has used it.
   */
  static Function<ActorRef<Session.Command>, Connection> attacher(
      Tcp.IncomingConnection incoming,
      ServerSettings settings,
      ServerMetrics metrics,
      ActorSystem<?> system) {
    AtomicReference<Tcp.IncomingConnection> pending = new AtomicReference<>(incoming);
    return session -> {
      Tcp.IncomingConnection accepted = pending.getAndSet(null);
      if (accepted == null) {
        throw new IllegalStateException("The connection's stream has already been started");
      }
      return attach(accepted, session, settings, metrics, system);
    };
  }

  /** Runs the connection's stream, feeding {@code session}; answers the session's side of it. */
  private static Connection attach(
      Tcp.IncomingConnection incoming,
      ActorRef<Session.Command> session,
      ServerSettings settings,
      ServerMetrics metrics,
      ActorSystem<?> system) {
    TcpConnection connection = new TcpConnection(incoming.remoteAddress());
    Sink<ByteString, NotUsed> inbound =
        LineFraming.batched(settings.maxLineBytes(), INBOUND_BATCH)
            .to(
                ActorSink.actorRefWithBackpressure(
                    session,
                    Session.FramesReceived::new,
                    Session.StreamStarted::new,
                    ChatRoom.Processed.INSTANCE,
                    Session.StreamCompleted.INSTANCE,
                    Session.StreamFailed::new));
    OutboxStage outboxStage =
        new OutboxStage(
            settings.outboxBytes(),
            metrics.outboxDrops,
            settings.slowClientTimeout(),
            connection::missedLine,
            () -> session.tell(Session.FellBehind.INSTANCE));
    // No kill switch: cutting fails the outbox stage, which aborts the socket, and the inbound
    // side ends when the session it feeds has stopped.
    connection.started(
        incoming.handleWith(
            Flow.fromSinkAndSourceMat(inbound, Source.fromGraph(outboxStage), Keep.right()),
            system));
    return connection;
  }

  /**
   * Answers a connection the server will not take with one error line, then closes it. A TLS
   * connection is held open for {@code linger} (or until the client closes): its stage ends the
   * session as soon as the server's side completes, handshake or not, which would lose the line.
   */
  static void refuse(Tcp.IncomingConnection incoming, String reason, boolean tls, Duration linger,
      ActorSystem<?> system) {
    ByteString line = ByteString.fromString(ServerLines.ERROR_PREFIX + " " + reason + "\n");
    Source<ByteString, NotUsed> answer = Source.single(line);
    if (tls) {
      answer = answer.concat(Source.<ByteString>never().takeWithin(linger));
    }
    incoming.handleWith(Flow.fromSinkAndSourceCoupled(Sink.ignore(), answer), system);
  }

  /** The session's side of a connection's stream. */
  private static final class TcpConnection implements Connection {

    private final InetSocketAddress remote;
    private OutboxStage.Outbox outbox;
    private volatile Mode mode = Mode.TEXT;

    TcpConnection(InetSocketAddress remote) {
      this.remote = remote;
    }

    /** Called once the stream runs, before the connection is handed to anyone. */
    void started(OutboxStage.Outbox outbox) {
      this.outbox = outbox;
    }

    ByteString missedLine(long missed) {
      return Encoded.line(new Event.Missed(System.currentTimeMillis(), missed), mode, null);
    }

    @Override
    public boolean offer(ByteString line) {
      return outbox.buffer().offer(line);
    }

    @Override
    public void close() {
      outbox.buffer().close();
    }

    @Override
    public void discard() {
      outbox.buffer().discard();
    }

    @Override
    public long queuedBytes() {
      return outbox.buffer().queuedBytes();
    }

    @Override
    public void mode(Mode mode) {
      this.mode = mode;
    }

    @Override
    public CompletionStage<Done> sent() {
      return outbox.stopped();
    }

    @Override
    public String peer() {
      return remote.getAddress().getHostAddress() + ":" + remote.getPort();
    }

    @Override
    public void abort() {
      outbox.buffer().abort();
    }
  }
}
