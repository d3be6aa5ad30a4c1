package chat.server;

import chat.protocol.Event;
import chat.protocol.ServerLines;
import chat.room.ChatRoom;
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
 * Carries out the operator's commands, typed on the server's standard input: asks the {@link
 * ChatRoom}, and writes the answers to the console. A child of the {@link Supervisor}, which owns
 * the input and hands each line over with the number of open connections.
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
          "  !stats                connections, rooms, messages, drops and limits, memory",
          "  !exitserver           tell every client and shut the server down",
          "  !help                 show this list");

  public sealed interface Command {}

  /** A line the operator typed, how many connections are open now, and how many were refused. */
  public record Typed(String line, int connections, long refused) implements Command {}

  private record WrappedMembers(ChatRoom.Members members) implements Command {}

  private record WrappedRooms(ChatRoom.Rooms rooms) implements Command {}

  private record WrappedKickReply(ChatRoom.KickReply reply) implements Command {}

  private record WrappedStats(ChatRoom.Stats stats) implements Command {}

  public static Behavior<Command> create(
      ActorRef<ChatRoom.Command> room, Consumer<String> console, ServerMetrics metrics) {
    return Behaviors.setup(context -> new AdminConsole(context, room, console, metrics));
  }

  private final ActorRef<ChatRoom.Command> room;
  private final ServerMetrics metrics;
  private final Consumer<String> console;
  private final ActorRef<ChatRoom.Members> membersAdapter;
  private final ActorRef<ChatRoom.Rooms> roomsAdapter;
  private final ActorRef<ChatRoom.KickReply> kickAdapter;
  private final ActorRef<ChatRoom.Stats> statsAdapter;
  /** Open and refused connections when the operator last asked for !stats. */
  private int connections;
  private long refused;
  private final long startedNanos = System.nanoTime();
  private long statsMessages;
  private long statsNanos = startedNanos;

  private AdminConsole(
      ActorContext<Command> context,
      ActorRef<ChatRoom.Command> room,
      Consumer<String> console,
      ServerMetrics metrics) {
    super(context);
    this.room = room;
    this.metrics = metrics;
    this.console = console;
    this.membersAdapter = context.messageAdapter(ChatRoom.Members.class, WrappedMembers::new);
    this.roomsAdapter = context.messageAdapter(ChatRoom.Rooms.class, WrappedRooms::new);
    this.kickAdapter = context.messageAdapter(ChatRoom.KickReply.class, WrappedKickReply::new);
    this.statsAdapter = context.messageAdapter(ChatRoom.Stats.class, WrappedStats::new);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Typed.class, this::onTyped)
        .onMessage(WrappedMembers.class, wrapped -> say(online(wrapped.members().members())))
        .onMessage(WrappedRooms.class, wrapped -> say(rooms(wrapped.rooms().rooms())))
        .onMessage(WrappedKickReply.class, wrapped -> say(kicked(wrapped.reply())))
        .onMessage(WrappedStats.class, this::onStats)
        .build();
  }

  private Behavior<Command> onTyped(Typed typed) {
    String text = typed.line().strip();
    int space = text.indexOf(' ');
    String command = (space < 0 ? text : text.substring(0, space)).toLowerCase(Locale.ROOT);
    String rest = space < 0 ? "" : text.substring(space + 1).strip();
    switch (command) {
      case "" -> { }
      case "!who" -> room.tell(new ChatRoom.ListMembers(membersAdapter));
      case "!rooms" -> room.tell(new ChatRoom.ListRooms(roomsAdapter));
      case "!kick" -> kick(rest);
      case "!say" -> announce(rest);
      case "!stats" -> {
        connections = typed.connections();
        refused = typed.refused();
        room.tell(new ChatRoom.GetStats(statsAdapter));
      }
      case "!exitserver" -> exit();
      case "!help" -> console.accept(HELP);
      default -> console.accept("Unknown command '" + command + "'. Type !help for the list.");
    }
    return this;
  }

  private void kick(String rest) {
    if (rest.isEmpty()) {
      console.accept("Usage: !kick <name> [reason]");
      return;
    }
    int space = rest.indexOf(' ');
    String name = space < 0 ? rest : rest.substring(0, space);
    Optional<String> reason = space < 0 ? Optional.empty() : Optional.of(rest.substring(space + 1).strip());
    room.tell(new ChatRoom.Kick(name, reason, kickAdapter));
  }

  private void announce(String text) {
    if (text.isEmpty()) {
      console.accept("Usage: !say <text>");
      return;
    }
    room.tell(new ChatRoom.Announce(text));
    console.accept("Announced to every room.");
  }

  private void exit() {
    console.accept("Shutting down.");
    CoordinatedShutdown.get(getContext().getSystem()).run(Supervisor.Reason.ADMIN);
  }

  private Behavior<Command> onStats(WrappedStats wrapped) {
    ChatRoom.Stats stats = wrapped.stats();
    long now = System.nanoTime();
    double seconds = Math.max(1e-3, (now - statsNanos) / 1e9);
    double rate = (stats.messages() - statsMessages) / seconds;
    statsMessages = stats.messages();
    statsNanos = now;
    Runtime runtime = Runtime.getRuntime();
    long usedMiB = (runtime.totalMemory() - runtime.freeMemory()) >> 20;
    ServerMetrics.Snapshot counts = metrics.snapshot();
    console.accept(String.join("\n",
        "Uptime:       " + ServerLines.describe(Duration.ofSeconds((now - startedNanos) / 1_000_000_000L)),
        "Connections:  " + connections + " (" + stats.members() + " joined; " + refused
            + " refused since start)",
        "Rooms:        " + stats.rooms(),
        "Messages:     " + stats.messages() + String.format(Locale.ROOT, " (%.1f/s since the last !stats)", rate),
        "History held: " + stats.historyHeld() + " messages",
        "Dropped:      " + counts.outboxDrops() + " lines to clients that did not keep up; "
            + counts.rateRefusals() + " lines over the rate limit refused",
        "Disconnected: " + counts.slowDisconnects() + " slow clients, "
            + counts.floodDisconnects() + " flooding clients",
        "Deepest outboxes: " + deepest(stats.deepest()),
        "Heap:         " + usedMiB + " MiB used of " + (runtime.maxMemory() >> 20) + " MiB"));
    return this;
  }

  private Behavior<Command> say(String answer) {
    console.accept(answer);
    return this;
  }

  static String deepest(List<ChatRoom.Backlog> backlogs) {
    return backlogs.isEmpty()
        ? "none (every client is keeping up)"
        : backlogs.stream()
            .map(b -> b.name() + " " + String.format(Locale.ROOT, "%.1f KiB", b.bytes() / 1024.0))
            .collect(Collectors.joining(", "));
  }

  static String online(List<Event.Presence> members) {
    return members.isEmpty()
        ? "No one is online."
        : "Online (" + members.size() + "): "
            + members.stream().map(m -> m.name() + " (" + m.room() + ")").collect(Collectors.joining(", "));
  }

  static String rooms(List<Event.RoomInfo> rooms) {
    return "Rooms (" + rooms.size() + "): "
        + rooms.stream()
            .map(r -> r.room() + " (" + r.members() + ")" + (r.topic() == null ? "" : " - " + r.topic()))
            .collect(Collectors.joining(", "));
  }

  static String kicked(ChatRoom.KickReply reply) {
    return reply instanceof ChatRoom.Kicked kicked
        ? "Kicked " + kicked.name() + "."
        : "No one called '" + ((ChatRoom.NotOnline) reply).name() + "' is online.";
  }
}
