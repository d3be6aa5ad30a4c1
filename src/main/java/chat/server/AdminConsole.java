package chat.server;

import chat.cluster.ClusterNodes;
import chat.cluster.Nodes;
import chat.protocol.Event;
import chat.protocol.ServerLines;
import chat.protocol.TextRenderer;
import chat.delivery.Delivery;
import chat.names.NameRegistry;
import chat.history.StoreMetrics;
import chat.protocol.RoomNames;
import chat.room.ChatRoom;
import chat.room.RoomDirectory;
import java.util.HashMap;
import java.util.Map;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Carries out the operator's commands, typed on the server's standard input: asks the registry,
 * the rooms, the Delivery and the Gatekeeper, and writes the answers to the console. A child of
 * the {@link Supervisor}, which owns the input and hands each line over.
 */
public final class AdminConsole extends AbstractBehavior<AdminConsole.Command> {

  static final String HELP =
      String.join(
          "\n",
          "Admin commands:",
          "  !who                  who is online, and in which room",
          "  !rooms                the rooms, with how many are in each",
          "  !kick <name> [reason] disconnect a user, telling them why",
          "  !say <text>           an announcement to every room",
          "  !stats                connections, rooms, messages, the history store, drops and",
          "                        limits, memory",
          "  !history-purge #room  empty a room's history (its numbering goes on)",
          "  !cluster              the nodes of the cluster, their state and clients",
          "  !shutdown-cluster     stop every node of the cluster (its clients are told the chat",
          "                        ends); !exitserver stops this node alone, whose clients",
          "                        move to the others",
          "  !exitserver           tell every client and shut the server down",
          "  !help                 show this list");

  public sealed interface Command {}

  /** A line the operator typed. */
  public record Typed(String line) implements Command {}

  /** The actors the console asks. */
  public record Parts(
      ActorRef<NameRegistry.Command> names,
      ActorRef<RoomDirectory.Command> rooms,
      ActorRef<Delivery.Command> delivery,
      ActorRef<Gatekeeper.Command> gatekeeper,
      Optional<ActorRef<ClusterNodes.Command>> nodes) {}

  private record WrappedPresences(RoomDirectory.Presences presences) implements Command {}

  private record WrappedRooms(RoomDirectory.Rooms rooms) implements Command {}

  private record WrappedKick(NameRegistry.SendReply reply) implements Command {}

  private record WrappedPurged(ChatRoom.Purged purged) implements Command {}

  private record WrappedNodes(ClusterNodes.Listed listed) implements Command {}

  /** What !stats gathers, as the answers come in. */
  private record StatsPart(Object part) implements Command {}

  public static Behavior<Command> create(Parts parts, Consumer<String> console, ServerMetrics metrics) {
    return Behaviors.setup(context -> new AdminConsole(context, parts, console, metrics));
  }

  private final Parts parts;
  private final ServerMetrics metrics;
  private final Consumer<String> console;
  private final long startedNanos = System.nanoTime();
  private long statsMessages;
  private long statsEvents;
  private long statsNanos = startedNanos;
  /** The answers to the !stats being gathered; null when none is. */
  private Map<Class<?>, Object> stats;

  private AdminConsole(
      ActorContext<Command> context, Parts parts, Consumer<String> console, ServerMetrics metrics) {
    super(context);
    this.parts = parts;
    this.metrics = metrics;
    this.console = console;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Typed.class, this::onTyped)
        .onMessage(WrappedPresences.class, wrapped -> say(online(wrapped.presences().members())))
        .onMessage(WrappedRooms.class, wrapped -> say(rooms(wrapped.rooms().rooms())))
        .onMessage(WrappedKick.class, wrapped -> say(kicked(wrapped.reply())))
        .onMessage(WrappedPurged.class, wrapped -> say(purged(wrapped.purged())))
        .onMessage(WrappedNodes.class, wrapped -> say(String.join("\n", wrapped.listed().lines())))
        .onMessage(StatsPart.class, this::onStatsPart)
        .build();
  }

  private Behavior<Command> onTyped(Typed typed) {
    String text = typed.line().strip();
    int space = text.indexOf(' ');
    String command = (space < 0 ? text : text.substring(0, space)).toLowerCase(Locale.ROOT);
    String rest = space < 0 ? "" : text.substring(space + 1).strip();
    switch (command) {
      case "" -> { }
      case "!who" -> parts.rooms().tell(new RoomDirectory.Everyone(
          getContext().messageAdapter(RoomDirectory.Presences.class, WrappedPresences::new)));
      case "!rooms" -> parts.rooms().tell(new RoomDirectory.ListRooms(
          getContext().messageAdapter(RoomDirectory.Rooms.class, WrappedRooms::new)));
      case "!kick" -> kick(rest);
      case "!say" -> announce(rest);
      case "!stats" -> askStats();
      case "!history-purge" -> purge(rest);
      case "!cluster" -> listNodes();
      case "!shutdown-cluster" -> parts.nodes().ifPresentOrElse(
          nodes -> nodes.tell(new ClusterNodes.ShutdownCluster(
              getContext().messageAdapter(ClusterNodes.Listed.class, WrappedNodes::new))),
          () -> console.accept("This server runs alone: it is not in a cluster; !exitserver stops"
              + " it."));
      case "!exitserver" -> exit();
      case "!help" -> console.accept(HELP);
      default -> console.accept("Unknown command '" + command + "'. Type !help for the list.");
    }
    return this;
  }

  private void listNodes() {
    parts.nodes().ifPresentOrElse(
        nodes -> nodes.tell(new ClusterNodes.ListNodes(
            getContext().messageAdapter(ClusterNodes.Listed.class, WrappedNodes::new))),
        () -> console.accept("This server runs alone: it is not in a cluster"
            + " (chat.cluster.enabled = off)."));
  }

  private void purge(String rest) {
    String room = RoomNames.normalize(rest);
    Optional<String> problem = rest.isEmpty() || rest.contains(" ")
        ? Optional.of("Usage: !history-purge #<room>") : RoomNames.problem(room);
    if (problem.isPresent()) {
      console.accept(problem.get());
      return;
    }
    parts.rooms().tell(new RoomDirectory.Purge(room,
        getContext().messageAdapter(ChatRoom.Purged.class, WrappedPurged::new)));
  }

  static String purged(ChatRoom.Purged purged) {
    return purged.failure() != null
        ? "Could not empty the history of " + purged.room() + ": " + purged.failure() + "."
        : purged.deleted() == 0 ? purged.room() + " has no history to empty."
        : "Emptied the history of " + purged.room() + ": " + purged.deleted()
            + (purged.entries() ? " entries (messages and topic changes) deleted from the store"
                : " messages deleted") + "; its numbering goes on.";
  }

  private void kick(String rest) {
    if (rest.isEmpty()) {
      console.accept("Usage: !kick <name> [reason]");
      return;
    }
    int space = rest.indexOf(' ');
    String name = space < 0 ? rest : rest.substring(0, space);
    Optional<String> reason = space < 0 ? Optional.empty() : Optional.of(rest.substring(space + 1).strip());
    parts.names().tell(new NameRegistry.Kick(name, reason,
        getContext().messageAdapter(NameRegistry.SendReply.class, WrappedKick::new)));
  }

  private void announce(String text) {
    if (text.isEmpty()) {
      console.accept("Usage: !say <text>");
      return;
    }
    Nodes.tellEveryNode(getContext().getSystem(), Delivery.KEY,
        new Delivery.Announce(new Event.Announcement(System.currentTimeMillis(), text)),
        parts.delivery());
    console.accept("Announced to every room.");
  }

  private void exit() {
    console.accept("Shutting down.");
    CoordinatedShutdown.get(getContext().getSystem()).run(Supervisor.Reason.ADMIN);
  }

  /** Asks each part for its figures; the answer goes out once all have come. */
  private void askStats() {
    if (stats != null) {
      return;
    }
    stats = new HashMap<>();
    parts.gatekeeper().tell(new Gatekeeper.GetCounts(part(Gatekeeper.Counts.class)));
    parts.names().tell(new NameRegistry.Count(part(NameRegistry.Counted.class)));
    parts.rooms().tell(new RoomDirectory.GetStats(part(RoomDirectory.Stats.class)));
    parts.delivery().tell(
        new Delivery.GetBacklogs(DEEPEST_SHOWN, part(Delivery.Backlogs.class)));
  }

  private <T> ActorRef<T> part(Class<T> type) {
    return getContext().messageAdapter(type, StatsPart::new);
  }

  /** How many of the deepest outboxes !stats names. */
  static final int DEEPEST_SHOWN = 3;

  private Behavior<Command> onStatsPart(StatsPart part) {
    if (stats == null) {
      return this;
    }
    stats.put(part.part().getClass(), part.part());
    if (stats.size() < 4) {
      return this;
    }
    Gatekeeper.Counts counts = (Gatekeeper.Counts) stats.get(Gatekeeper.Counts.class);
    NameRegistry.Counted names = (NameRegistry.Counted) stats.get(NameRegistry.Counted.class);
    RoomDirectory.Stats rooms = (RoomDirectory.Stats) stats.get(RoomDirectory.Stats.class);
    Delivery.Backlogs backlogs = (Delivery.Backlogs) stats.get(Delivery.Backlogs.class);
    stats = null;
    long now = System.nanoTime();
    double seconds = Math.max(1e-3, (now - statsNanos) / 1e9);
    double rate = (rooms.messages() - statsMessages) / seconds;
    statsMessages = rooms.messages();
    statsNanos = now;
    Runtime runtime = Runtime.getRuntime();
    long usedMiB = (runtime.totalMemory() - runtime.freeMemory()) >> 20;
    ServerMetrics.Snapshot dropped = metrics.snapshot();
    console.accept(String.join("\n",
        "Uptime:       " + ServerLines.describe(Duration.ofSeconds((now - startedNanos) / 1_000_000_000L)),
        "Connections:  " + counts.open() + " (" + names.names() + " joined; " + counts.refused()
            + " refused since start)",
        "Rooms:        " + rooms.rooms(),
        "Messages:     " + rooms.messages() + String.format(Locale.ROOT, " (%.1f/s since the last !stats)", rate),
        "History held: " + rooms.historyHeld() + " messages in memory",
        "History store: " + store(rooms, seconds),
        "Dropped:      " + dropped.outboxDrops() + " lines to clients that did not keep up; "
            + dropped.rateRefusals() + " lines over the rate limit refused",
        "Disconnected: " + dropped.slowDisconnects() + " slow clients, "
            + dropped.floodDisconnects() + " flooding clients",
        "Deepest outboxes: " + deepest(backlogs.deepest()),
        "Heap:         " + usedMiB + " MiB used of " + (runtime.maxMemory() >> 20) + " MiB"));
    return this;
  }

  /** The store's line of !stats: where, how much it keeps, how fast its writes go. */
  private String store(RoomDirectory.Stats rooms, double seconds) {
    StoreMetrics.Snapshot writes = rooms.writes();
    double rate = (writes.events() - statsEvents) / seconds;
    statsEvents = writes.events();
    if (rooms.store().equals("memory")) {
      return "memory (gone when the server stops)";
    }
    return rooms.store() + "; " + (rooms.kept() < 0 ? "entries kept unknown (not counted)"
        : rooms.kept() + " entries kept") + "; " + writes.events() + " written since start ("
        + String.format(Locale.ROOT, "%.1f/s since the last !stats", rate) + ") in "
        + writes.writes() + " writes, " + writes.failures() + " failed; write latency"
        + String.format(Locale.ROOT, " p50 %.2f ms, p99 %.2f ms", writes.p50(), writes.p99())
        + " over the last " + writes.sampled() + " writes";
  }

  private Behavior<Command> say(String answer) {
    console.accept(answer);
    return this;
  }

  static String deepest(List<Delivery.Backlog> backlogs) {
    return backlogs.isEmpty()
        ? "none (every client is keeping up)"
        : backlogs.stream()
            .map(b -> b.name() + " " + String.format(Locale.ROOT, "%.1f KiB", b.bytes() / 1024.0))
            .collect(Collectors.joining(", "));
  }

  static String online(List<Event.Presence> members) {
    return members.isEmpty()
        ? "No one is online."
        : TextRenderer.who(new Event.Who(0, null, members));
  }

  static String rooms(List<Event.RoomInfo> rooms) {
    return "Rooms (" + rooms.size() + "): "
        + rooms.stream()
            .map(r -> r.room() + " (" + r.members() + ")" + (r.topic() == null ? "" : " - " + r.topic()))
            .collect(Collectors.joining(", "));
  }

  static String kicked(NameRegistry.SendReply reply) {
    return reply instanceof NameRegistry.Sent kicked
        ? "Kicked " + kicked.name() + "."
        : "No one called '" + ((NameRegistry.NotOnline) reply).name() + "' is online.";
  }
}
