package chat.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
import org.apache.pekko.stream.javadsl.Tcp;
import chat.server.web.WebServer;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Who may connect: binds the listeners, counts every connection from the moment it is accepted
 * (against {@code max-connections} and {@code max-connections-per-ip}), turns away addresses that
 * keep guessing the password, and makes each admitted connection a {@link Session}, whatever its
 * transport; it watches the sessions, tells the {@link Supervisor} when the server becomes empty
 * or used, and on shutdown unbinds and asks every session to close. A child of the Supervisor.
 */
public final class Gatekeeper extends AbstractBehavior<Gatekeeper.Command> {

  public sealed interface Command {}

  /** A connection of some transport asks to be let in. */
  public record Admit(ConnectionOffer offer) implements Command {}

  /** The session's client gave a wrong server password. */
  public record WrongPassword(ActorRef<Session.Command> session) implements Command {}

  /** Asks how many connections are open, and how many were refused. */
  public record GetCounts(ActorRef<Counts> replyTo) implements Command {}

  public record Counts(int open, long refused) {}

  private record Accepted(Tcp.IncomingConnection connection, Optional<SSLContext> tls)
      implements Command {}

  /** A listener listens: on {@code address}, until {@code unbind} is called. */
  private record Bound(
      Listener listener, InetSocketAddress address, Supplier<CompletionStage<?>> unbind)
      implements Command {}

  private record BindFailed(Listener listener, Throwable cause) implements Command {}

  private record SessionStopped(ActorRef<Session.Command> session) implements Command {}

  private record Unbind(ActorRef<Done> replyTo) implements Command {}

  private record Drain(ActorRef<Done> replyTo) implements Command {}

  private enum DrainTimedOut implements Command {
    INSTANCE
  }

  /**
   * @param supervisor told when the first connection opens and when the last one closes
   * @param bound completed with the addresses once listening, or failed if binding failed
   */
  public static Behavior<Command> create(
      ServerSettings settings,
      Session.Parts parts,
      ServerMetrics metrics,
      ActorRef<Supervisor.Occupancy> supervisor,
      CompletableFuture<ChatServer.Addresses> bound) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new Gatekeeper(context, timers, settings, parts, metrics, supervisor, bound)));
  }

  private final TimerScheduler<Command> timers;
  private final ServerSettings settings;
  private final Session.Parts parts;
  private final ServerMetrics metrics;
  private final ActorRef<Supervisor.Occupancy> supervisor;
  private final CompletableFuture<ChatServer.Addresses> bound;
  /** The sessions, each with its client's address, within the connection limits. */
  private final ConnectionLimits<ActorRef<Session.Command>> limits;
  /** Wrong server passwords by address, which slow down guessing. */
  private final PasswordGuard passwordGuard;
  /** The sockets the listeners accepted, until each connection is taken up or refused. */
  private final Sockets sockets = new Sockets();
  private final List<ActorRef<Done>> drainWaiters = new ArrayList<>();
  private final Map<Listener, Bound> bindings = new LinkedHashMap<>();
  private final List<BindFailures.Failure> bindFailures = new ArrayList<>();
  private int listenerCount;
  private long connectionCount;
  private boolean shuttingDown;

  private Gatekeeper(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      ServerSettings settings,
      Session.Parts parts,
      ServerMetrics metrics,
      ActorRef<Supervisor.Occupancy> supervisor,
      CompletableFuture<ChatServer.Addresses> bound) {
    super(context);
    this.timers = timers;
    this.settings = settings;
    this.parts = new Session.Parts(parts.names(), parts.rooms(), parts.delivery(),
        context.getSelf().narrow(), parts.nodes());
    this.metrics = metrics;
    this.supervisor = supervisor;
    this.bound = bound;
    this.limits = new ConnectionLimits<>(settings.maxConnections(), settings.maxConnectionsPerIp());
    this.passwordGuard = new PasswordGuard(settings.wrongPasswords());
    bindPorts();
    addShutdownTasks();
  }

  private void bindPorts() {
    List<Listener> listeners;
    try {
      listeners = Listener.from(settings, line -> getContext().getLog().info(line));
    } catch (IOException | GeneralSecurityException e) {
      getContext().getLog().error("Cannot set up TLS: [{}]", e.getMessage());
      bound.completeExceptionally(e);
      CoordinatedShutdown.get(getContext().getSystem()).run(Supervisor.Reason.BIND_FAILED);
      return;
    }
    listenerCount = listeners.size();
    ActorRef<Command> self = getContext().getSelf();
    for (Listener listener : listeners) {
      if (listener.web()) {
        getContext().pipeToSelf(
            WebServer.bind(getContext().getSystem(), settings, metrics, listener.tls(), self),
            (binding, failure) -> failure == null
                ? new Bound(listener, binding.localAddress(), binding::unbind)
                : new BindFailed(listener, failure));
        continue;
      }
      Optional<SSLContext> tls = listener.tls();
      getContext().pipeToSelf(
          TcpServer.bind(getContext().getSystem(), settings.host(), settings.keepAlive(), sockets,
                  listener)
              .toMat(Sink.foreach(connection -> self.tell(new Accepted(connection, tls))),
                  Keep.left())
              .run(getContext().getSystem()),
          (binding, failure) -> failure == null
              ? new Bound(listener, binding.localAddress(), binding::unbind)
              : new BindFailed(listener, failure));
    }
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
        .onMessage(Accepted.class, this::onAccepted)
        .onMessage(Admit.class, this::onAdmit)
        .onMessage(SessionStopped.class, this::onSessionStopped)
        .onMessage(WrongPassword.class, this::onWrongPassword)
        .onMessage(GetCounts.class, this::onGetCounts)
        .onMessage(Bound.class, this::onBound)
        .onMessage(BindFailed.class, this::onBindFailed)
        .onMessage(Unbind.class, this::onUnbind)
        .onMessage(Drain.class, this::onDrain)
        .onMessageEquals(DrainTimedOut.INSTANCE, this::onDrainTimedOut)
        .build();
  }

  /** A TCP or TLS connection: admitted, or refused with its line, as any transport's. */
  private Behavior<Command> onAccepted(Accepted accepted) {
    return onAdmit(new Admit(TcpServer.offer(accepted.connection(), accepted.tls(), sockets,
        settings, metrics, getContext().getSystem())));
  }

  private Behavior<Command> onAdmit(Admit admit) {
    ConnectionOffer offer = admit.offer();
    InetAddress address = offer.address();
    boolean exempt = settings.exempt(address);
    // An exempt address has no wrong passwords counted (onWrongPassword), so no refusal.
    Optional<String> refusal = limits.refusal(address, exempt)
        .or(() -> passwordGuard.refusal(address, System.nanoTime()));
    if (refusal.isPresent()) {
      getContext().getLog().debug("Refused a connection from [{}]: {}", address, refusal.get());
      offer.refuse(refusal.get());
      return this;
    }
    ActorRef<Session.Command> session = getContext().spawn(
        Session.create(offer, parts, settings, metrics, exempt),
        "session-" + (++connectionCount));
    getContext().getLog().debug("Connection from [{}] is [{}]", offer.peer(),
        session.path().name());
    getContext().watchWith(session, new SessionStopped(session));
    limits.opened(session, address);
    if (limits.open().size() == 1) {
      supervisor.tell(Supervisor.Occupancy.USED);
    }
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
      supervisor.tell(Supervisor.Occupancy.EMPTY);
    }
    return this;
  }

  private Behavior<Command> onWrongPassword(WrongPassword wrong) {
    limits.address(wrong.session())
        .filter(address -> !settings.exempt(address))
        .ifPresent(address -> passwordGuard.failed(address, System.nanoTime()));
    return this;
  }

  private Behavior<Command> onGetCounts(GetCounts get) {
    get.replyTo().tell(new Counts(limits.open().size(),
        limits.refused() + passwordGuard.refused()));
    return this;
  }

  private Behavior<Command> onBound(Bound bound) {
    bindings.put(bound.listener(), bound);
    return allAnswered();
  }

  private Behavior<Command> onBindFailed(BindFailed failed) {
    Listener listener = failed.listener();
    // Listeners sharing a port fail together: the port is told once.
    if (!listener.shared() || listener.acceptor() == 0) {
      bindFailures.add(new BindFailures.Failure(listener.kind(), listener.port(), failed.cause()));
    } else {
      listenerCount--;
    }
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
          chat.protocol.ServerLines.describe(idle)));
      bound.complete(new ChatServer.Addresses(address(Listener.Kind.PLAIN),
          address(Listener.Kind.TLS), address(Listener.Kind.WEB)));
      return this;
    }
    getContext().getLog().error(BindFailures.describe(bindFailures, settings.host()));
    bound.completeExceptionally(bindFailures.get(0).cause());
    CoordinatedShutdown.get(getContext().getSystem()).run(Supervisor.Reason.BIND_FAILED);
    return this;
  }

  private void logListening(Listener listener, Bound bound) {
    InetSocketAddress address = bound.address();
    String where = address.getAddress().isAnyLocalAddress()
        ? "all interfaces" : address.getAddress().getHostAddress();
    if (listener.web()) {
      getContext().getLog().info("Chat server listening for web browsers on port [{}] ({}):"
          + " open {}://<this machine's address>:{}/", address.getPort(), where,
          settings.web().scheme(),
          address.getPort());
    } else if (listener.acceptor() == 0) {
      getContext().getLog().info("Chat server listening for {} connections on port [{}] ({})",
          listener.kind() == Listener.Kind.TLS ? "TLS" : "plain", address.getPort(), where);
    }
  }

  private Optional<InetSocketAddress> address(Listener.Kind kind) {
    return bindings.values().stream()
        .filter(bound -> bound.listener().kind() == kind)
        .map(Bound::address)
        .findFirst();
  }

  private Behavior<Command> onUnbind(Unbind unbind) {
    shuttingDown = true;
    if (!bindings.isEmpty()) {
      getContext().getLog().info("Shutting down: no new connections");
    }
    CompletableFuture<?>[] unbound =
        bindings.values().stream()
            .map(binding -> binding.unbind().get().toCompletableFuture())
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
