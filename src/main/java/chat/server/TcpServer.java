package chat.server;

import chat.protocol.Event;
import chat.protocol.Mode;
import chat.protocol.ServerLines;
import chat.room.ChatRoom;
import chat.room.Encoded;
import chat.tls.TlsContexts;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.SSLContext;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.io.Inet;
import org.apache.pekko.io.TcpSO;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.SharedKillSwitch;
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

  /** Lines a busy session gets in one message at most (one read of the socket may hold more). */
  private static final int INBOUND_BATCH = 256;

  /** Keep-alive (with the server's timings) finds dead peers; no-delay sends lines at once. */
  private static List<Inet.SocketOption> connectionOptions(KeepAlive keepAlive) {
    return List.of(keepAlive, TcpSO.tcpNoDelay(true));
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
    List<Inet.SocketOption> options = connectionOptions(keepAlive);
    if (listener.shared()) {
      options = List.of(keepAlive, TcpSO.tcpNoDelay(true), ReusePort.ON);
    }
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

  /** Runs the connection's stream, feeding {@code session}; answers the session's side of it. */
  static Connection attach(
      Tcp.IncomingConnection incoming,
      ActorRef<Session.Command> session,
      ServerSettings settings,
      ServerMetrics metrics,
      ActorSystem<?> system) {
    SharedKillSwitch killSwitch = KillSwitches.shared("connection");
    TcpConnection connection = new TcpConnection(incoming.remoteAddress(), killSwitch);
    Sink<ByteString, NotUsed> inbound =
        Flow.<ByteString>create()
            .via(killSwitch.flow())
            .via(LineFraming.batched(settings.maxLineBytes(), INBOUND_BATCH))
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
    Source<ByteString, Pair<OutboxBuffer, CompletionStage<Done>>> outbound =
        Source.fromGraph(outboxStage).watchTermination(Pair::create).via(killSwitch.flow());
    Pair<OutboxBuffer, CompletionStage<Done>> outbox =
        incoming.handleWith(Flow.fromSinkAndSourceMat(inbound, outbound, Keep.right()), system);
    connection.started(outbox.first(), outbox.second());
    return connection;
  }

  /** Answers a connection the server will not take with one error line, then closes it. */
  static void refuse(Tcp.IncomingConnection incoming, String reason, ActorSystem<?> system) {
    ByteString line = ByteString.fromString(ServerLines.ERROR_PREFIX + " " + reason + "\n");
    incoming.handleWith(Flow.fromSinkAndSourceCoupled(Sink.ignore(), Source.single(line)), system);
  }

  /** The session's side of a connection's stream. */
  private static final class TcpConnection implements Connection {

    private final InetSocketAddress remote;
    private final SharedKillSwitch killSwitch;
    private OutboxBuffer buffer;
    private CompletionStage<Done> sent;
    private volatile Mode mode = Mode.TEXT;

    TcpConnection(InetSocketAddress remote, SharedKillSwitch killSwitch) {
      this.remote = remote;
      this.killSwitch = killSwitch;
    }

    /** Called once the stream runs, before the connection is handed to anyone. */
    void started(OutboxBuffer buffer, CompletionStage<Done> sent) {
      this.buffer = buffer;
      this.sent = sent;
    }

    ByteString missedLine(long missed) {
      return Encoded.line(new Event.Missed(System.currentTimeMillis(), missed), mode, null);
    }

    @Override
    public boolean offer(ByteString line) {
      return buffer.offer(line);
    }

    @Override
    public void close() {
      buffer.close();
    }

    @Override
    public void discard() {
      buffer.discard();
    }

    @Override
    public long queuedBytes() {
      return buffer.queuedBytes();
    }

    @Override
    public void mode(Mode mode) {
      this.mode = mode;
    }

    @Override
    public CompletionStage<Done> sent() {
      return sent;
    }

    @Override
    public String peer() {
      return remote.getAddress().getHostAddress() + ":" + remote.getPort();
    }

    @Override
    public void abort() {
      killSwitch.abort(new ConnectionCut("connection to " + peer() + " cut by the server"));
    }
  }

  /** Why a connection's stream failed when the server cut it. */
  static final class ConnectionCut extends RuntimeException {
    ConnectionCut(String message) {
      super(message, null, false, false);
    }
  }
}
