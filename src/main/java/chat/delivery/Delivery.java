package chat.delivery;

import chat.cluster.CrossNode;
import chat.cluster.Nodes;
import chat.protocol.Event;
import chat.protocol.Mode;
import chat.protocol.RoomNames;
import chat.support.ToSession;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.agrona.collections.Hashing;
import org.agrona.collections.Long2ObjectHashMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.util.ByteString;

/**
 * The one writer of chat lines to the connections of this node. Sessions register their outboxes
 * with it; rooms send it their lines as batches of {@link Entry}s, in each room's order, which it
 * renders once per way of reading them and offers to the room's members here, without ever
 * waiting: a client that does not read loses its oldest lines, not the others their turn. It also
 * carries a session's own answers to its client in their place among the rooms' lines. Spawned by
 * the Supervisor; lives as long as the server.
 */
public final class Delivery extends AbstractBehavior<Delivery.Command> {

  public sealed interface Command extends CrossNode {}

  /**
   * A session of this node takes its member's lines: a new member, or one taken over by a new
   * connection (whose rooms switch to it as each room lets it back in).
   */
  public record Register(
      long member, String name, Outbox outbox, Mode mode, String current,
      ActorRef<Rejoin> session)
      implements Command {}

  /** The session's member has gone; answered once nothing more is offered to its outbox. */
  public record Unregister(long member, ActorRef<Rejoin> session, ActorRef<Unregistered> replyTo)
      implements Command {}

  /**
   * A room's lines and comings and goings, in the room's order; {@code shown}, the number of the
   * last message the room has sent out in its batches (so far as it knows, its numbering when it
   * started), so that members whose node forgets them come back with what came after it.
   */
  public record Deliver(String room, List<Entry> entries, long shown) implements Command {
    public Deliver {
      entries = List.copyOf(entries);
    }
  }

  /** Lines for one member alone: its session's answers, private messages. */
  public record Tell(long member, List<Event> events) implements Command {
    public Tell {
      events = List.copyOf(events);
    }
  }

  /** The member's current room, whose lines read without the room's name in text mode. */
  public record Current(long member, String room) implements Command {}

  /** The member's new name, for the operator's statistics. */
  public record Renamed(long member, String name) implements Command {}

  /** A line for every member of this node. */
  public record Announce(Event event) implements Command {}

  /** A room has started: its members here, if it was running before, are asked to come back. */
  public record RoomStarted(String room) implements Command {}

  /** Asks for the deepest outboxes of this node. */
  public record GetBacklogs(int count, ActorRef<Backlogs> replyTo) implements Command {}

  /**
   * What a session hears from the Delivery: a room it is in restarted (or moved to another node)
   * and forgot it; {@code after}, the last message of the room this node was given, if any, so
   * that the member comes back with whatever came after it.
   */
  public record Rejoin(String room, java.util.OptionalLong after) implements ToSession {}

  public record Unregistered(long member) implements ToSession {}

  /** A member's outbox: how many bytes wait in it. */
  public record Backlog(String name, long bytes) implements CrossNode {}

  public record Backlogs(List<Backlog> deepest) implements CrossNode {
    public Backlogs {
      deepest = List.copyOf(deepest);
    }
  }

  /** A part of a room's batch (named by kind when it goes to another node). */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "entry")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = Post.class, name = "post"),
    @JsonSubTypes.Type(value = To.class, name = "to"),
    @JsonSubTypes.Type(value = Enter.class, name = "enter"),
    @JsonSubTypes.Type(value = Exit.class, name = "exit")
  })
  public sealed interface Entry {}

  /**
   * A line for every member in the room at this point: a message ({@code from} its sender, who in
   * text mode does not get it back) or a notice ({@code from} 0).
   */
  public record Post(Event event, long from) implements Entry {}

  /** A line for one member of the room (or one coming in). */
  public record To(long member, Event event) implements Entry {}

  /** The member is in the room from here on: it gets the posts that follow. */
  public record Enter(long member) implements Entry {}

  /** The member is out of the room from here on. */
  public record Exit(long member) implements Entry {}

  public static Behavior<Command> create() {
    return Behaviors.setup(Delivery::new);
  }

  /** Keyed by the member number itself: no boxed key and no entry object per member. */
  private final Long2ObjectHashMap<LocalMember> members =
      new Long2ObjectHashMap<>(64, Hashing.DEFAULT_LOAD_FACTOR, false);
  /** Batches delivered: each marks the members that get a share of their own in it. */
  private long batches;
  /**
   * The members of this node in each room, by the room's key, in the order they came in: the
   * first to come gets a room's lines first, as in the seed.
   */
  private final Map<String, Map<Long, LocalMember>> rooms = new HashMap<>();
  /** The number of each room's last message sent out to its members here (-1: none known). */
  private final org.agrona.collections.Object2LongHashMap<String> posted =
      new org.agrona.collections.Object2LongHashMap<>(-1);

  /** The key the nodes' Deliveries register under in a cluster: rooms and !say reach them all. */
  public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "chat-delivery");

  private Delivery(ActorContext<Command> context) {
    super(context);
    Nodes.register(context.getSystem(), KEY, context.getSelf());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Deliver.class, this::onDeliver)
        .onMessage(Tell.class, this::onTell)
        .onMessage(Register.class, this::onRegister)
        .onMessage(Unregister.class, this::onUnregister)
        .onMessage(Current.class, this::onCurrent)
        .onMessage(Renamed.class, this::onRenamed)
        .onMessage(Announce.class, this::onAnnounce)
        .onMessage(RoomStarted.class, this::onRoomStarted)
        .onMessage(GetBacklogs.class, this::onGetBacklogs)
        .build();
  }

  private Behavior<Command> onDeliver(Deliver deliver) {
    String key = RoomNames.key(deliver.room());
    long last = posted.getValue(key);
    if (last >= 0 && firstPosted(deliver.entries()) > last + 1) {
      // Batches were lost on the way (between nodes): the members here come back into the room
      // with what came after the last line this node was given, this batch's lines among it.
      getContext().getLog().debug("Lines of [{}] after [{}] did not arrive; fetching them",
          deliver.room(), last);
      onRoomStarted(new RoomStarted(deliver.room()));
    }
    Map<Long, LocalMember> present = rooms.computeIfAbsent(key, k -> new LinkedHashMap<>());
    new Fanout(key, deliver.entries()).deliver(present, members, ++batches);
    if (present.isEmpty()) {
      rooms.remove(key);
      posted.removeKey(key);
    } else if (deliver.shown() > posted.getValue(key)) {
      posted.put(key, deliver.shown());
    }
    return this;
  }

  /** The number of the first message posted in a batch; 0 if none. */
  private static long firstPosted(List<Entry> entries) {
    for (Entry entry : entries) {
      if (entry instanceof Post post && post.event() instanceof Event.Message message) {
        return message.seq();
      }
    }
    return 0;
  }

  private Behavior<Command> onTell(Tell tell) {
    LocalMember member = members.get(tell.member());
    if (member != null) {
      ByteString lines = ByteString.emptyByteString();
      for (Event event : tell.events()) {
        lines = lines.concat(Encoded.line(event, member.mode, member.name));
      }
      member.offer(lines);
    }
    return this;
  }

  private Behavior<Command> onRegister(Register register) {
    LocalMember member = new LocalMember(register.member(), register.name(), register.outbox(),
        register.mode(), register.session());
    member.current = register.current() == null ? null : RoomNames.key(register.current());
    members.put(member.id, member);
    return this;
  }

  /** Forgets the member, unless a newer session took it over meanwhile: then only the old one. */
  private Behavior<Command> onUnregister(Unregister unregister) {
    LocalMember member = members.get(unregister.member());
    if (member != null && member.session.equals(unregister.session())) {
      members.remove(member.id);
      // Its rooms took it out as it left them; one that stopped meanwhile may not have.
      rooms.values().removeIf(present -> present.remove(member.key) != null && present.isEmpty());
    }
    unregister.replyTo().tell(new Unregistered(unregister.member()));
    return this;
  }

  private Behavior<Command> onCurrent(Current current) {
    LocalMember member = members.get(current.member());
    if (member != null) {
      member.current = current.room() == null ? null : RoomNames.key(current.room());
    }
    return this;
  }

  private Behavior<Command> onRenamed(Renamed renamed) {
    LocalMember member = members.get(renamed.member());
    if (member != null) {
      member.name = renamed.name();
    }
    return this;
  }

  private Behavior<Command> onAnnounce(Announce announce) {
    Encoded encoded = new Encoded(announce.event());
    members.values().forEach(member -> member.offer(encoded.bytes(member.ownForm())));
    return this;
  }

  private Behavior<Command> onRoomStarted(RoomStarted started) {
    String key = RoomNames.key(started.room());
    Map<Long, LocalMember> present = rooms.remove(key);
    long last = posted.removeKey(key);
    java.util.OptionalLong after =
        last >= 0 ? java.util.OptionalLong.of(last) : java.util.OptionalLong.empty();
    if (present != null) {
      present.values().forEach(member -> member.session.tell(new Rejoin(started.room(), after)));
    }
    return this;
  }

  private Behavior<Command> onGetBacklogs(GetBacklogs get) {
    List<Backlog> deepest = members.values().stream()
        .map(member -> new Backlog(member.name, member.outbox.queuedBytes()))
        .filter(backlog -> backlog.bytes() > 0)
        .sorted(Comparator.comparingLong(Backlog::bytes).reversed())
        .limit(get.count())
        .toList();
    get.replyTo().tell(new Backlogs(deepest));
    return this;
  }
}
