package chat.server;

import chat.protocol.ServerLines;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.io.Inet;
import org.apache.pekko.io.TcpSO;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;
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
   * Keep-alive (with the server's timings) finds dead peers; no-delay sends lines at once; the
   * server keeps the accepted {@code sockets}; a {@code shared} listener shares its port with the
   * other acceptors.
   */
  private static List<Inet.SocketOption> options(
      KeepAlive keepAlive, Sockets sockets, boolean shared) {
    return shared
        ? List.of(keepAlive, TcpSO.tcpNoDelay(true), sockets, ReusePort.ON)
        : List.of(keepAlive, TcpSO.tcpNoDelay(true), sockets);
  }

  private TcpServer() {}

  /**
   * The connections to a listener on {@code chat.server.host}. Half-close is on, so a client that
   * shuts its sending side still gets the lines owed to it. TLS, on a TLS listener, is laid
   * around each connection when it is taken up ({@link TlsLayer}).
   */
  static Source<Tcp.IncomingConnection, CompletionStage<Tcp.ServerBinding>> bind(
      ActorSystem<?> system, String host, KeepAlive keepAlive, Sockets sockets, Listener listener) {
    List<Inet.SocketOption> options = options(keepAlive, sockets, listener.shared());
    return Tcp.get(system).bind(host, listener.port(), BACKLOG, options, true, Optional.empty());
  }

  /**
   * An accepted connection, offered to the Gatekeeper. A session keeps the offer it was made from
   * for its whole life, so the offer lets go of the accepted connection, and with it the stream's
   * blueprint (0.3 KB of heap per client), once it has been taken up or refused.
   *
   * @param tls the listener's TLS, if it is a TLS listener
   */
  static ConnectionOffer offer(
      Tcp.IncomingConnection incoming,
      Optional<SSLContext> tls,
      Sockets sockets,
      ServerSettings settings,
      ServerMetrics metrics,
      ActorSystem<?> system) {
    return new TcpOffer(incoming, tls, sockets, settings, metrics, system);
  }

  private static final class TcpOffer implements ConnectionOffer {
    private final InetSocketAddress remote;
    private final Optional<SSLContext> tls;
    private final Sockets sockets;
    private final ServerSettings settings;
    private final ServerMetrics metrics;
    private final ActorSystem<?> system;
    private final AtomicReference<Tcp.IncomingConnection> pending;

    TcpOffer(Tcp.IncomingConnection incoming, Optional<SSLContext> tls, Sockets sockets,
        ServerSettings settings, ServerMetrics metrics, ActorSystem<?> system) {
      this.remote = incoming.remoteAddress();
      this.tls = tls;
      this.sockets = sockets;
      this.settings = settings;
      this.metrics = metrics;
      this.system = system;
      this.pending = new AtomicReference<>(incoming);
    }

    @Override
    public InetAddress address() {
      return remote.getAddress();
    }

    @Override
    public String peer() {
      return remote.toString();
    }

    @Override
    public Connection attach(ActorRef<Session.Command> session) {
      Tcp.IncomingConnection incoming = take();
      Optional<Socket> socket = sockets.take(incoming.localAddress(), incoming.remoteAddress());
      return TcpServer.attach(incoming, tls, socket, session, settings, metrics, system);
    }

    @Override
    public void refuse(String reason) {
      TcpServer.refuse(take(), reason, tls, sockets, settings, system);
    }

    private Tcp.IncomingConnection take() {
      Tcp.IncomingConnection incoming = pending.getAndSet(null);
      if (incoming == null) {
        throw new IllegalStateException("The connection has already been taken up or refused");
      }
      return incoming;
    }
  }

  /** Runs the connection's stream, feeding {@code session}; answers the session's side of it. */
  private static Connection attach(
      Tcp.IncomingConnection incoming,
      Optional<SSLContext> tls,
      Optional<Socket> socket,
      ActorRef<Session.Command> session,
      ServerSettings settings,
      ServerMetrics metrics,
      ActorSystem<?> system) {
    TcpConnection connection = new TcpConnection(incoming.remoteAddress(), socket);
    connection.attachedTo(session);
    Flow<ByteString, ByteString, NotUsed> lines = Flow.fromSinkAndSource(
        StreamConnection.inbound(session, settings), connection.outbound(settings, metrics));
    if (tls.isEmpty()) {
      // No kill switch: cutting fails the outbox stage, which aborts the socket, and the inbound
      // side ends when the session it feeds has stopped.
      incoming.handleWith(lines, system);
      connection.started(null, StreamConnection.READY);
    } else {
      CompletableFuture<Done> handshake = new CompletableFuture<>();
      UniqueKillSwitch killSwitch = incoming.handleWith(
          TlsLayer.around(tls.get(), handshake).join(lines, Keep.left()), system);
      connection.started(killSwitch, handshake);
    }
    return connection;
  }

  /**
   * Answers a connection the server will not take with one error line, then closes it. A TLS
   * connection is held open for {@code linger} (or until the client closes): its stage ends the
   * session as soon as the server's side completes, handshake or not, which would lose the line;
   * and it is cut once the handshake timeout and the linger have passed, handshake or not. At
   * most {@link Sockets#REFUSALS_HELD} are held so at once; past that one is closed with no line.
   */
  private static void refuse(Tcp.IncomingConnection incoming, String reason,
      Optional<SSLContext> tls,
      Sockets sockets, ServerSettings settings, ActorSystem<?> system) {
    sockets.take(incoming.localAddress(), incoming.remoteAddress());
    ByteString line = ByteString.fromString(ServerLines.ERROR_PREFIX + " " + reason + "\n");
    Source<ByteString, NotUsed> answer = Source.single(line);
    if (tls.isEmpty()) {
      incoming.handleWith(Flow.fromSinkAndSourceCoupled(Sink.ignore(), answer), system);
      return;
    }
    if (!sockets.holdRefusal()) {
      incoming.handleWith(Flow.fromSinkAndSourceCoupled(Sink.ignore(), Source.empty()), system);
      return;
    }
    Duration linger = settings.closeLinger();
    answer = answer.concat(Source.<ByteString>never().takeWithin(linger));
    Pair<UniqueKillSwitch, CompletionStage<Done>> held = incoming.handleWith(
        TlsLayer.around(tls.get(), new CompletableFuture<>())
            .join(Flow.fromSinkAndSourceCoupled(Sink.ignore(), answer), Keep.left())
            .watchTermination(Keep.both()),
        system);
    held.second().whenComplete((done, failure) -> sockets.refusalReleased());
    system.scheduler().scheduleOnce(settings.tls().handshakeTimeout().plus(linger),
        () -> held.first().abort(new OutboxStage.ConnectionCut()), system.executionContext());
  }


  /** The session's side of a TCP connection's stream. */
  private static final class TcpConnection extends StreamConnection {

    /** The accepted socket, to close it without a reset; none if it was not found. */
    private final Optional<Socket> socket;
    /** Cuts a TLS connection's socket whatever its TLS stage is waiting for; null for plain text. */
    private UniqueKillSwitch killSwitch;
    private CompletionStage<Done> ready;

    TcpConnection(InetSocketAddress remote, Optional<Socket> socket) {
      super(remote.getAddress().getHostAddress() + ":" + remote.getPort(), false);
      this.socket = socket;
    }

    /** Called once the stream runs, before the connection is handed to anyone. */
    void started(UniqueKillSwitch killSwitch, CompletionStage<Done> ready) {
      this.killSwitch = killSwitch;
      this.ready = ready;
    }

    @Override
    public CompletionStage<Done> ready() {
      return ready;
    }

    @Override
    public void end() {
      socket.ifPresent(Sockets::close);
      abort();
    }

    @Override
    public void abort() {
      super.abort();
      if (killSwitch != null) {
        killSwitch.abort(new OutboxStage.ConnectionCut());
      }
    }
  }
}
