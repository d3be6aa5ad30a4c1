package chat.server;

import chat.protocol.ServerLines;
import chat.room.ChatRoom;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.stream.typed.javadsl.ActorSink;
import org.apache.pekko.util.ByteString;

/**
 * The root of the server: binds the port, spawns the {@link ChatRoom} and one {@link Session} per
 * connection, reads the admin console, and owns shutdown: when no one has been connected for
 * {@code chat.server.idle-shutdown} (a receive timeout, armed only while no session exists), on
 * {@code !exitserver}, or on a JVM signal, every client gets {@code !server_shutdown} first.
 */
public final class Supervisor extends AbstractBehavior<Supervisor.Command> {

  public sealed interface Command {}

  /** A connection a listener accepted, with the listener's TLS if it is a TLS listener. */
  private record Accepted(Tcp.IncomingConnection connection, Optional<SSLContext> tls)
      implements Command {}

  /** The session's client gave a wrong server password. */
  public record WrongPassword(ActorRef<Session.Command> session) implements Command {}

  private record Bound(Listener listener, Tcp.ServerBinding binding) implements Command {}

  private record BindFailed(Listener listener, Throwable cause) implements Command {}

  private record AdminFrame(LineFraming.Frame frame) implements Command {}

  private enum AdminInputEnded implements Command {
    INSTANCE
  }

  private record AdminInputFailed(Throwable cause) implements Command {}

  private enum RoomStopped implements Command {
    INSTANCE
  }

  private record SessionStopped(ActorRef<Session.Command> session) implements Command {}

  private enum IdleTimedOut implements Command {
    INSTANCE
  }

  private record Unbind(ActorRef<Done> replyTo) implements Command {}

  private record Drain(ActorRef<Done> replyTo) implements Command {}

  private enum DrainTimedOut implements Command {
    INSTANCE
  }

  /** Why the server shut down; the failures end the process with exit code 1. */
  public enum Reason implements CoordinatedShutdown.Reason {
    IDLE,
    ADMIN,
    BIND_FAILED,
    ROOM_FAILED;

    boolean isFailure() {
      return this == BIND_FAILED || this == ROOM_FAILED;
    }

    static boolean isFailure(CoordinatedShutdown.Reason reason) {
      return reason instanceof Reason ours && ours.isFailure();
    }
  }

  private static final int ADMIN_LINE_BYTES = 4096;

  /**
   * @param adminInput the operator's console (standard input in production)
   * @param console where answers to the operator go
   * @param bound completed with the addresses once listening, or failed if binding failed
   */
  public static Behavior<Command> create(
      ServerSettings settings,
      Source<ByteString, ?> adminInput,
      Consumer<String> console,
      CompletableFuture<ChatServer.Addresses> bound) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> new Supervisor(context, timers, settings, adminInput, console, bound)));
  }

  private final TimerScheduler<Command> timers;
  private final ServerSettings settings;
  private final Consumer<String> console;
  private final CompletableFuture<ChatServer.Addresses> bound;
  private final ActorRef<ChatRoom.Command> room;
  private final ActorRef<AdminConsole.Command> adminConsole;
  /** The sessions, each with its client's address, within the connection limits. */
  private final ConnectionLimits<ActorRef<Session.Command>> limits;
  /** Wrong server passwords by address, which slow down guessing. */
  private final PasswordGuard passwordGuard;
  private final ServerMetrics metrics = new ServerMetrics();
  /** The sockets the listeners accepted, until each connection is taken up or refused. */
  private final Sockets sockets = new Sockets();
  private final List<ActorRef<Done>> drainWaiters = new ArrayList<>();
  private final Map<Listener, Tcp.ServerBinding> bindings = new LinkedHashMap<>();
  private final List<BindFailures.Failure> bindFailures = new ArrayList<>();
  private int listenerCount;
  private long connectionCount;
  private boolean shuttingDown;

  private Supervisor(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      ServerSettings settings,
      Source<ByteString, ?> adminInput,
      Consumer<String> console,
      CompletableFuture<ChatServer.Addresses> bound) {
    super(context);
    this.timers = timers;
    this.settings = settings;
    this.console = console;
    this.bound = bound;
    this.limits = new ConnectionLimits<>(settings.maxConnections(), settings.maxConnectionsPerIp());
    this.passwordGuard = new PasswordGuard(settings.wrongPasswords());
    this.room = context.spawn(ChatRoom.create(settings.room()), "room");
    context.watchWith(room, RoomStopped.INSTANCE);
    this.adminConsole =
        context.spawn(AdminConsole.create(room, console, metrics), "admin-console");
    checkMemory();
    bindPorts();
    readAdminConsole(adminInput);
    addShutdownTasks();
    armIdleShutdown();
  }

  /** Warns when full outboxes on every allowed connection and full histories could pass the heap. */
  private void checkMemory() {
    settings.memoryWarning(Runtime.getRuntime().maxMemory())
        .ifPresent(warning -> getContext().getLog().warn(warning));
  }

  private void bindPorts() {
    List<Listener> listeners;
    try {
      listeners = Listener.from(settings, line -> getContext().getLog().info(line));
    } catch (IOException | GeneralSecurityException e) {
      getContext().getLog().error("Cannot set up TLS: [{}]", e.getMessage());
      bound.completeExceptionally(e);
      CoordinatedShutdown.get(getContext().getSystem()).run(Reason.BIND_FAILED);
      return;
    }
    listenerCount = listeners.size();
    ActorRef<Command> self = getContext().getSelf();
    for (Listener listener : listeners) {
      Optional<SSLContext> tls = listener.tls();
      getContext()
          .pipeToSelf(
              TcpServer.bind(getContext().getSystem(), settings.host(), settings.keepAlive(),
                      sockets, listener)
                  .toMat(Sink.foreach(connection -> self.tell(new Accepted(connection, tls))), Keep.left())
                  .run(getContext().getSystem()),
              (binding, failure) ->
                  failure == null ? new Bound(listener, binding) : new BindFailed(listener, failure));
    }
  }

  private void readAdminConsole(Source<ByteString, ?> adminInput) {
    adminInput
        .via(LineFraming.flow(ADMIN_LINE_BYTES))
        .map(frame -> (Command) new AdminFrame(frame))
        .runWith(
            ActorSink.actorRef(
                getContext().getSelf(), AdminInputEnded.INSTANCE, AdminInputFailed::new),
            getContext().getSystem());
  }

  private void addShutdownTasks() {
    ActorSystem<?> system = getContext().getSystem();
    ActorRef<Command> self = getContext().getSelf();
    Duration askTimeout = settings.shutdownDrainTimeout().plusSeconds(1);
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    shutdown.addTask(
        CoordinatedShutdown.PhaseServiceUnbind(),
        "chat-unbind",
        () -> AskPattern.ask(self, Unbind::new, askTimeout, system.scheduler()));
    shutdown.addTask(
        CoordinatedShutdown.PhaseServiceRequestsDone(),
        "chat-drain-sessions",
        () -> AskPattern.ask(self, Drain::new, askTimeout, system.scheduler()));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Bound.class, this::onBound)
        .onMessage(BindFailed.class, this::onBindFailed)
        .onMessage(Accepted.class, this::onAccepted)
        .onMessage(SessionStopped.class, this::onSessionStopped)
        .onMessage(WrongPassword.class, this::onWrongPassword)
        .onMessageEquals(IdleTimedOut.INSTANCE, this::onIdleTimedOut)
        .onMessage(AdminFrame.class, this::onAdminFrame)
        .onMessageEquals(AdminInputEnded.INSTANCE, this::onAdminInputEnded)
        .onMessage(AdminInputFailed.class, this::onAdminInputFailed)
        .onMessageEquals(RoomStopped.INSTANCE, this::onRoomStopped)
        .onMessage(Unbind.class, this::onUnbind)
        .onMessage(Drain.class, this::onDrain)
        .onMessageEquals(DrainTimedOut.INSTANCE, this::onDrainTimedOut)
        .build();
  }

  private Behavior<Command> onBound(Bound bound) {
    bindings.put(bound.listener(), bound.binding());
    return allAnswered();
  }

  /** Once every listener has bound or failed: the server is up, or it says why not and stops. */
  private Behavior<Command> allAnswered() {
    if (bindings.size() + bindFailures.size() < listenerCount) {
      return this;
    }
    if (bindFailures.isEmpty()) {
      bindings.forEach(this::logListening);
      settings.idleShutdown().ifPresent(idle -> getContext().getLog().info(
          "The server stops by itself once nobody has been connected for {}"
              + " (chat.server.idle-shutdown; --idle-shutdown off keeps it running)",
          ServerLines.describe(idle)));
      bound.complete(new ChatServer.Addresses(address(false), address(true)));
      return this;
    }
    getContext().getLog().error(BindFailures.describe(bindFailures, settings.host()));
    bound.completeExceptionally(bindFailures.get(0).cause());
    CoordinatedShutdown.get(getContext().getSystem()).run(Reason.BIND_FAILED);
    return this;
  }

  private void logListening(Listener listener, Tcp.ServerBinding binding) {
    InetSocketAddress address = binding.localAddress();
    String where = address.getAddress().isAnyLocalAddress()
        ? "all interfaces" : address.getAddress().getHostAddress();
    if (listener.acceptor() == 0) {
      getContext().getLog().info("Chat server listening for {} connections on port [{}] ({})",
          listener.name(), address.getPort(), where);
    }
  }

  private Optional<InetSocketAddress> address(boolean tls) {
    return bindings.entrySet().stream()
        .filter(entry -> entry.getKey().tls().isPresent() == tls)
        .map(entry -> entry.getValue().localAddress())
        .findFirst();
  }

  private Behavior<Command> onBindFailed(BindFailed failed) {
    Listener listener = failed.listener();
    // Listeners sharing a port fail together: the port is told once.
    if (!listener.shared() || listener.acceptor() == 0) {
      bindFailures.add(
          new BindFailures.Failure(listener.tls().isPresent(), listener.port(), failed.cause()));
    } else {
      listenerCount--;
    }
    return allAnswered();
  }

  private Behavior<Command> onWrongPassword(WrongPassword wrong) {
    limits.address(wrong.session())
        .filter(address -> !settings.exempt(address))
        .ifPresent(address -> passwordGuard.failed(address, System.nanoTime()));
    return this;
  }

  private Behavior<Command> onAccepted(Accepted accepted) {
    Tcp.IncomingConnection incoming = accepted.connection();
    InetAddress address = incoming.remoteAddress().getAddress();
    boolean exempt = settings.exempt(address);
    // An exempt address has no wrong passwords counted (onWrongPassword), so no refusal.
    Optional<String> refusal = limits.refusal(address, exempt)
        .or(() -> passwordGuard.refusal(address, System.nanoTime()));
    if (refusal.isPresent()) {
      getContext().getLog().debug("Refused a connection from [{}]: {}", address, refusal.get());
      TcpServer.refuse(incoming, refusal.get(), accepted.tls(), sockets, settings,
          getContext().getSystem());
      return this;
    }
    ActorRef<Session.Command> session =
        getContext().spawn(
            Session.create(
                TcpServer.attacher(incoming, accepted.tls(), sockets, settings, metrics,
                    getContext().getSystem()),
                room,
                getContext().getSelf().narrow(),
                settings,
                metrics,
                exempt),
            "session-" + (++connectionCount));
    getContext().getLog().debug("Connection from [{}] is [{}]", incoming.remoteAddress(),
        session.path().name());
    getContext().watchWith(session, new SessionStopped(session));
    limits.opened(session, address);
    getContext().cancelReceiveTimeout();
    if (shuttingDown) {
      session.tell(Session.Shutdown.INSTANCE);
    }
    return this;
  }

  private Behavior<Command> onSessionStopped(SessionStopped stopped) {
    limits.closed(stopped.session());
    if (limits.open().isEmpty() && shuttingDown) {
      timers.cancel(DrainTimedOut.INSTANCE);
      answerDrainWaiters();
    } else if (limits.open().isEmpty()) {
      armIdleShutdown();
    }
    return this;
  }

  private void armIdleShutdown() {
    settings.idleShutdown().ifPresent(
        idle -> getContext().setReceiveTimeout(idle, IdleTimedOut.INSTANCE));
  }

  private Behavior<Command> onIdleTimedOut() {
    getContext().cancelReceiveTimeout();
    getContext().getLog().info("No one connected for [{}]; shutting down",
        settings.idleShutdown().map(ServerLines::describe).orElse("ever"));
    CoordinatedShutdown.get(getContext().getSystem()).run(Reason.IDLE);
    return this;
  }

  private Behavior<Command> onAdminFrame(AdminFrame frame) {
    if (frame.frame() instanceof LineFraming.Line line) {
      adminConsole.tell(new AdminConsole.Typed(line.text(), limits.open().size(),
          limits.refused() + passwordGuard.refused()));
    } else {
      console.accept("Ignored a line of more than " + ADMIN_LINE_BYTES + " bytes.");
    }
    return this;
  }

  private Behavior<Command> onAdminInputFailed(AdminInputFailed failed) {
    getContext().getLog().warn("Admin console stopped: [{}]; still serving", failed.cause().toString());
    return this;
  }

  private Behavior<Command> onRoomStopped() {
    getContext().getLog().error("The chat room stopped; shutting down");
    CoordinatedShutdown.get(getContext().getSystem()).run(Reason.ROOM_FAILED);
    return this;
  }

  private Behavior<Command> onAdminInputEnded() {
    getContext().getLog().info("Admin console closed (end of standard input); still serving");
    return this;
  }

  private Behavior<Command> onUnbind(Unbind unbind) {
    shuttingDown = true;
    getContext().cancelReceiveTimeout();
    if (!bindings.isEmpty()) {
      getContext().getLog().info("Shutting down: no new connections");
    }
    CompletableFuture<?>[] unbound =
        bindings.values().stream()
            .map(binding -> binding.unbind().toCompletableFuture())
            .toArray(CompletableFuture[]::new);
    CompletableFuture.allOf(unbound)
        .whenComplete((done, failure) -> unbind.replyTo().tell(Done.getInstance()));
    return this;
  }

  private Behavior<Command> onDrain(Drain drain) {
    shuttingDown = true;
    drainWaiters.add(drain.replyTo());
    if (limits.open().isEmpty()) {
      answerDrainWaiters();
    } else {
      getContext().getLog().info("Closing [{}] connections", limits.open().size());
      limits.open().forEach(session -> session.tell(Session.Shutdown.INSTANCE));
      timers.startSingleTimer(DrainTimedOut.INSTANCE, settings.shutdownDrainTimeout());
    }
    return this;
  }

  private Behavior<Command> onDrainTimedOut() {
    getContext().getLog().warn("[{}] connections did not close in time; cutting them",
        limits.open().size());
    answerDrainWaiters();
    return this;
  }

  private void answerDrainWaiters() {
    drainWaiters.forEach(waiter -> waiter.tell(Done.getInstance()));
    drainWaiters.clear();
  }
}
