package chat.server;

import chat.cluster.ClusterNodes;
import chat.cluster.KnownNodes;
import chat.cluster.Nodes;
import chat.delivery.Delivery;
import chat.names.NameRegistry;
import chat.names.NameShards;
import chat.protocol.Names;
import chat.protocol.ServerLines;
import chat.room.MemoryRoomStore;
import chat.room.RoomDirectory;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSink;
import org.apache.pekko.util.ByteString;

/**
 * The root of the server: spawns the {@link NameRegistry}, the {@link RoomDirectory}, this node's
 * {@link Delivery}, the {@link Gatekeeper} (which binds and admits) and the {@link AdminConsole},
 * reads the operator's console, and owns the idle shutdown: when no one has been connected for
 * {@code chat.server.idle-shutdown} (a receive timeout, armed only while no connection is open)
 * the server stops, as on {@code !exitserver} or a JVM signal, every client getting {@code
 * !server_shutdown} first.
 */
public final class Supervisor extends AbstractBehavior<Supervisor.Command> {

  public sealed interface Command {}

  /** From the Gatekeeper: the first connection opened, or the last one closed. */
  public enum Occupancy implements Command {
    USED,
    EMPTY
  }

  private record AdminFrame(LineFraming.Frame frame) implements Command {}

  private enum AdminInputEnded implements Command {
    INSTANCE
  }

  private record AdminInputFailed(Throwable cause) implements Command {}

  private enum IdleTimedOut implements Command {
    INSTANCE
  }

  /** Why the server shut down; the failures end the process with exit code 1. */
  public enum Reason implements CoordinatedShutdown.Reason {
    IDLE,
    ADMIN,
    BIND_FAILED,
    /** Every node of the cluster stops ({@code !shutdown-cluster}): the chat ends. */
    CLUSTER;

    boolean isFailure() {
      return this == BIND_FAILED;
    }

    static boolean isFailure(CoordinatedShutdown.Reason reason) {
      return reason instanceof Reason ours && ours.isFailure();
    }
  }

  private static final int ADMIN_LINE_BYTES = 4096;

  /** How long a stopping server waits for the rooms' last writes to the history store. */
  private static final java.time.Duration HISTORY_WRITES_WAIT = java.time.Duration.ofSeconds(4);

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
        context -> new Supervisor(context, settings, adminInput, console, bound));
  }

  private final ServerSettings settings;
  private final Consumer<String> console;
  private final ActorRef<AdminConsole.Command> adminConsole;

  private Supervisor(
      ActorContext<Command> context,
      ServerSettings settings,
      Source<ByteString, ?> adminInput,
      Consumer<String> console,
      CompletableFuture<ChatServer.Addresses> bound) {
    super(context);
    this.settings = settings;
    this.console = console;
    Names.load();
    ServerMetrics metrics = new ServerMetrics();
    ActorRef<Delivery.Command> delivery = context.spawn(Delivery.create(), "delivery");
    Behavior<NameRegistry.Command> registry = NameRegistry.create();
    Behavior<RoomDirectory.Command> directory = RoomDirectory.create(
        new MemoryRoomStore(settings.room()), settings.room(), settings.history(), delivery);
    // In a cluster, each name is an entity of Cluster Sharding, kept in the journal; this node's
    // sessions reach them through its registry.
    boolean cluster = Nodes.inCluster(context.getSystem());
    ActorRef<NameRegistry.Command> names =
        context.spawn(cluster ? NameShards.create() : registry, "names");
    // Each node keeps the rooms Cluster Sharding gives it, and its directory finds the rest.
    ActorRef<RoomDirectory.Command> rooms = context.spawn(cluster
        ? RoomDirectory.sharded(settings.room(), settings.history(), delivery) : directory,
        "rooms");
    // Once the sessions are gone, what the rooms took is written before the system stops.
    CoordinatedShutdown.get(context.getSystem()).addTask(
        CoordinatedShutdown.PhaseServiceStop(), "chat-history-writes",
        () -> AskPattern.ask(rooms, RoomDirectory.DrainWrites::new, HISTORY_WRITES_WAIT,
            context.getSystem().scheduler()));
    KnownNodes known = cluster ? new KnownNodes() : KnownNodes.NONE;
    ActorRef<Gatekeeper.Command> gatekeeper = context.spawn(
        Gatekeeper.create(settings, new Session.Parts(names, rooms, delivery, null, known),
            metrics, context.getSelf().narrow(), bound),
        "gatekeeper");
    // A node of a cluster answers the others' questions about it, lists them for !cluster, and
    // tells the sessions where clients can go on when this node is lost.
    Optional<ActorRef<ClusterNodes.Command>> nodes = cluster
        ? Optional.of(context.spawn(ClusterNodes.create(gatekeeper,
            bound.thenApply(addresses -> addresses.plain().stream()
                .mapToInt(java.net.InetSocketAddress::getPort).findFirst()), known), "nodes"))
        : Optional.empty();
    this.adminConsole = context.spawn(
        AdminConsole.create(new AdminConsole.Parts(names, rooms, delivery, gatekeeper, nodes),
            console, metrics),
        "admin-console");
    checkMemory();
    readAdminConsole(adminInput);
    armIdleShutdown();
  }

  /** Warns when full outboxes on every allowed connection and full histories could pass the heap. */
  private void checkMemory() {
    settings.memoryWarning(Runtime.getRuntime().maxMemory())
        .ifPresent(warning -> getContext().getLog().warn(warning));
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

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(Occupancy.USED, this::onUsed)
        .onMessageEquals(Occupancy.EMPTY, this::onEmpty)
        .onMessageEquals(IdleTimedOut.INSTANCE, this::onIdleTimedOut)
        .onMessage(AdminFrame.class, this::onAdminFrame)
        .onMessageEquals(AdminInputEnded.INSTANCE, this::onAdminInputEnded)
        .onMessage(AdminInputFailed.class, this::onAdminInputFailed)
        .build();
  }

  private Behavior<Command> onUsed() {
    getContext().cancelReceiveTimeout();
    return this;
  }

  private Behavior<Command> onEmpty() {
    armIdleShutdown();
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
      adminConsole.tell(new AdminConsole.Typed(line.text()));
    } else {
      console.accept("Ignored a line of more than " + ADMIN_LINE_BYTES + " bytes.");
    }
    return this;
  }

  private Behavior<Command> onAdminInputFailed(AdminInputFailed failed) {
    getContext().getLog().warn("Admin console stopped: [{}]; still serving", failed.cause().toString());
    return this;
  }

  private Behavior<Command> onAdminInputEnded() {
    getContext().getLog().info("Admin console closed (end of standard input); still serving");
    return this;
  }
}
