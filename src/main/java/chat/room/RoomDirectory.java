package chat.room;

import chat.cluster.AcrossNodes;
import chat.cluster.CrossNode;
import chat.delivery.Delivery;
import chat.history.HistorySettings;
import chat.history.JournalMaintenance;
import chat.history.StoreMetrics;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.persistence.typed.PersistenceId;
import chat.protocol.Event;
import chat.protocol.RoomNames;
import chat.support.ToSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;

/**
 * The rooms of this server: starts a {@link ChatRoom} on the first join of a room (its history and
 * topic from the {@link RoomStore}), stops one that has been empty for a while without losing a
 * join that comes meanwhile, and keeps at most {@code chat.room.max-rooms} rooms' records,
 * forgetting the oldest unused one to make way. It answers what spans the rooms: the list of
 * rooms, who is where, and how much they hold. A join is the only message to a room that goes
 * through it; a member's lines go to its rooms directly. Spawned by the Supervisor.
 *
 * <p>In a cluster each node has its own directory, for the rooms Cluster Sharding keeps on that
 * node: it sends joins, {@code /who #room} and purges to the room's entity wherever it lives, and
 * answers what spans the rooms by asking every node's directory.
 */
public final class RoomDirectory extends AbstractBehavior<RoomDirectory.Command> {

  public sealed interface Command extends CrossNode {}

  /** Every node's directory in a cluster, found through the receptionist. */
  public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "rooms");

  /** A room's entity starts on this node (a cluster): its actor and its record. */
  record Hosted(String room, ActorRef<ChatRoom.Command> ref, RoomStore.Record record)
      implements Command {}

  /** From a node's directory gathering the cluster's rooms: answered with {@link Local}. */
  public record AskLocal(ActorRef<Local> replyTo) implements Command {}

  /** A node's rooms: those running on it, how they are listed, and its counts. */
  public record Local(List<ActorRef<ChatRoom.Command>> running, List<Event.RoomInfo> rooms,
      long messages, long historyHeld) implements CrossNode {
    public Local {
      running = List.copyOf(running);
      rooms = List.copyOf(rooms);
    }
  }

  /** A member joins {@code room}, made if needed; the room answers, or this if it cannot be made. */
  public record Join(String room, ChatRoom.Join join) implements Command {}

  /** Asks who is in a room: the room answers, or this (nobody) if it is not running. */
  public record Who(String room, ActorRef<ChatRoom.Members> replyTo) implements Command {}

  /** Asks who is in every room. */
  public record Everyone(ActorRef<Presences> replyTo) implements Command {}

  /** Asks for the rooms, with how many are in each and their topics. */
  public record ListRooms(ActorRef<Rooms> replyTo) implements Command {}

  public record GetStats(ActorRef<Stats> replyTo) implements Command {}

  /** A room says how many are in it now. */
  public record MemberCount(String room, int members) implements Command {}

  /** A room has been empty for a while and may be stopped. */
  public record Passivate(String room, ActorRef<ChatRoom.Command> ref) implements Command {}

  /** A room asked to stop has had a member come in meanwhile, and stays. */
  public record StillInUse(String room) implements Command {}

  private record RoomStopped(String key, ActorRef<ChatRoom.Command> ref) implements Command {}

  /** Who is in which room, room by room. */
  public record Presences(List<Event.Presence> members) implements ToSession {
    public Presences {
      members = List.copyOf(members);
    }
  }

  public record Rooms(List<Event.RoomInfo> rooms) implements ToSession {
    public Rooms {
      rooms = List.copyOf(rooms);
    }
  }

  /** Rooms kept, messages posted since start, and messages held in histories. */
  /**
   * {@code kept}: the entries the database keeps (-1 if it could not be counted, 0 for the
   * memory store).
   */
  public record Stats(int rooms, long messages, long historyHeld, String store, long kept,
      StoreMetrics.Snapshot writes) implements CrossNode {}

  private record Counted(GetStats get, long kept) implements Command {}

  /** Empties a room's history (made if needed); the answer is {@link ChatRoom.Purged}. */
  public record Purge(String room, ActorRef<ChatRoom.Purged> replyTo) implements Command {}

  /**
   * Answers once every running room has written what it took: a task of the server's shutdown,
   * after the sessions are gone.
   */
  public record DrainWrites(ActorRef<Done> replyTo) implements Command {}

  private record RoomDrained(ChatRoom.Drained drained) implements Command {}

  /** Time to let go of what retention no longer keeps. */
  private enum Retain implements Command {
    INSTANCE
  }

  /** The keys of the rooms that have history in the database, read at start. */
  private record StoredRooms(List<String> keys, Throwable failure) implements Command {}

  /** What the database's retention run deleted, or why it failed. */
  private record Retained(int deleted, Throwable failure) implements Command {}

  /** How long a question to every room waits for the rooms' answers. */
  static final Duration ASK_ROOMS = Duration.ofSeconds(3);

  public static Behavior<Command> create(RoomStore store, RoomSettings settings,
      HistorySettings history, ActorRef<Delivery.Command> delivery) {
    return Behaviors.setup(context -> Behaviors.withTimers(
        timers -> new RoomDirectory(context, timers, store, settings, history, delivery, null)));
  }

  /**
   * This node's directory in a cluster: starts Cluster Sharding's rooms on this node (each
   * restarted alone should it fail) and lets the other nodes' directories find it.
   */
  public static Behavior<Command> sharded(
      RoomSettings settings, HistorySettings history, ActorRef<Delivery.Command> delivery) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      ClusterSharding sharding = ClusterSharding.get(context.getSystem());
      RoomDirectory directory = new RoomDirectory(context, timers, new MemoryRoomStore(settings),
          settings, history, delivery, sharding);
      ChatRoom.Parts parts = directory.roomParts();
      sharding.init(Entity.of(ChatRoom.ENTITY, entity -> Behaviors.supervise(
                  ChatRoom.entity(entity, parts))
              .onFailure(SupervisorStrategy.restart()))
          .withStopMessage(ChatRoom.Stop.INSTANCE));
      chat.cluster.Nodes.register(context.getSystem(), KEY, context.getSelf());
      return directory;
    }));
  }

  private final RoomStore store;
  private final RoomSettings settings;
  private final HistorySettings history;
  private final ActorRef<Delivery.Command> delivery;
  /** Cluster Sharding, where the rooms are its entities (a cluster); null on one server. */
  private final ClusterSharding sharding;
  /** The records of the rooms running on this node as entities, by key. */
  private final Map<String, RoomStore.Record> hosted = new HashMap<>();
  private final LongAdder messages = new LongAdder();
  private final StoreMetrics writes = new StoreMetrics();
  /** Rooms yet to answer a {@link DrainWrites}, and who asked. */
  private int roomsDraining;
  private final List<ActorRef<Done>> drainedTo = new ArrayList<>();
  /** The rooms running, by key. */
  private final Map<String, ActorRef<ChatRoom.Command>> running = new HashMap<>();
  private final Map<String, Integer> counts = new HashMap<>();
  /** Rooms asked to stop, with the joins that came for them meanwhile. */
  private final Map<String, List<Join>> stopping = new HashMap<>();
  private long started;

  private RoomDirectory(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      RoomStore store,
      RoomSettings settings,
      HistorySettings history,
      ActorRef<Delivery.Command> delivery,
      ClusterSharding sharding) {
    super(context);
    this.sharding = sharding;
    this.store = store;
    this.settings = settings;
    this.history = history;
    this.delivery = delivery;
    store.open(RoomNames.LOBBY);
    if (history.durable()) {
      // The rooms at rest in the database are listed (and counted) as the rooms in memory are.
      JournalMaintenance maintenance = new JournalMaintenance(history);
      String prefix = RoomJournal.ENTITY + PersistenceId.DefaultSeparator();
      context.pipeToSelf(JournalMaintenance.offThread(context.getSystem(),
          () -> maintenance.idsStartingWith(prefix)),
          StoredRooms::new);
    }
    if (history.retention().any()) {
      timers.startTimerWithFixedDelay(Retain.INSTANCE, Duration.ZERO,
          history.retention().interval());
    }
  }

  /** Why a room could not be made: the start of an error line. */
  public static String noRoomFor(String room) {
    return "The server has too many rooms to make " + room;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Join.class, this::onJoin)
        .onMessage(MemberCount.class, this::onMemberCount)
        .onMessage(Who.class, this::onWho)
        .onMessage(Everyone.class, this::onEveryone)
        .onMessage(ListRooms.class, this::onListRooms)
        .onMessage(GetStats.class, this::onGetStats)
        .onMessage(Counted.class, this::onCounted)
        .onMessage(Passivate.class, this::onPassivate)
        .onMessage(StillInUse.class, this::onStillInUse)
        .onMessage(RoomStopped.class, this::onRoomStopped)
        .onMessage(Purge.class, this::onPurge)
        .onMessage(DrainWrites.class, this::onDrainWrites)
        .onMessage(RoomDrained.class, drained -> {
          if (--roomsDraining == 0) {
            drainedTo.forEach(replyTo -> replyTo.tell(Done.getInstance()));
            drainedTo.clear();
          }
          return this;
        })
        .onMessageEquals(Retain.INSTANCE, this::onRetain)
        .onMessage(Retained.class, this::onRetained)
        .onMessage(StoredRooms.class, this::onStoredRooms)
        .onMessage(Hosted.class, this::onHosted)
        .onMessage(AskLocal.class, ask -> reply(ask.replyTo(), local()))
        .build();
  }

  private Behavior<Command> onJoin(Join join) {
    if (sharding != null) {
      entity(join.room()).tell(join.join());
      return this;
    }
    String key = RoomNames.key(join.room());
    List<Join> waiting = stopping.get(key);
    if (waiting != null) {
      waiting.add(join);
      return this;
    }
    ActorRef<ChatRoom.Command> room = running.get(key);
    if (room == null) {
      room = start(join.room());
    }
    if (room == null) {
      join.join().replyTo().tell(new ChatRoom.JoinRejected(join.room(), noRoomFor(join.room())));
    } else {
      room.tell(join.join());
    }
    return this;
  }

  /**
   * Starts a room, restarted alone should it fail; null if there are {@code chat.room.max-rooms}
   * already and none that is not running can make way.
   */
  private ActorRef<ChatRoom.Command> start(String name) {
    String key = RoomNames.key(name);
    if (store.find(key).isEmpty() && store.records().size() >= settings.maxRooms()
        && !forgetAnUnusedRoom()) {
      return null;
    }
    RoomStore.Record record = store.open(name);
    ActorRef<ChatRoom.Command> room = getContext().spawn(
        Behaviors.supervise(ChatRoom.create(record, roomParts()))
            .onFailure(SupervisorStrategy.restart()),
        "room-" + (++started));
    getContext().watchWith(room, new RoomStopped(key, room));
    running.put(key, room);
    return room;
  }

  /** What every room of this directory shares. */
  private ChatRoom.Parts roomParts() {
    return new ChatRoom.Parts(settings, history, getContext().getSelf(), delivery, messages,
        writes);
  }

  /** Makes space for a room by forgetting the oldest one that is not running, history and all. */
  private boolean forgetAnUnusedRoom() {
    String lobby = RoomNames.key(RoomNames.LOBBY);
    for (RoomStore.Record record : store.records()) {
      String key = RoomNames.key(record.name());
      if (!key.equals(lobby) && !running.containsKey(key)) {
        store.forget(key);
        return true;
      }
    }
    return false;
  }

  private Behavior<Command> onMemberCount(MemberCount count) {
    counts.put(RoomNames.key(count.room()), count.members());
    return this;
  }

  private Behavior<Command> onWho(Who who) {
    if (sharding != null) {
      entity(who.room()).tell(new ChatRoom.ListMembers(who.replyTo()));
      return this;
    }
    ActorRef<ChatRoom.Command> room = running.get(RoomNames.key(who.room()));
    if (room == null) {
      who.replyTo().tell(new ChatRoom.Members(who.room(), List.of()));
    } else {
      room.tell(new ChatRoom.ListMembers(who.replyTo()));
    }
    return this;
  }

  private Behavior<Command> onEveryone(Everyone everyone) {
    if (sharding != null) {
      acrossNodes(locals -> EveryoneQuery.create(locals.stream()
          .flatMap(local -> local.running().stream()).toList(), everyone.replyTo(), ASK_ROOMS));
      return this;
    }
    getContext().spawnAnonymous(
        EveryoneQuery.create(List.copyOf(running.values()), everyone.replyTo(), ASK_ROOMS));
    return this;
  }

  private Behavior<Command> onListRooms(ListRooms list) {
    if (sharding != null) {
      acrossNodes(locals -> {
        list.replyTo().tell(new Rooms(merged(locals)));
        return Behaviors.stopped();
      });
      return this;
    }
    list.replyTo().tell(new Rooms(listed()));
    return this;
  }

  /** The rooms as this node lists them, by name. */
  private List<Event.RoomInfo> listed() {
    return listed(rooms());
  }

  private List<Event.RoomInfo> listed(List<RoomStore.Record> records) {
    List<Event.RoomInfo> rooms = new ArrayList<>();
    for (RoomStore.Record record : records) {
      rooms.add(new Event.RoomInfo(record.name(),
          counts.getOrDefault(RoomNames.key(record.name()), 0), record.topic().orElse(null)));
    }
    rooms.sort(Comparator.comparing(Event.RoomInfo::room, String.CASE_INSENSITIVE_ORDER));
    return rooms;
  }

  /**
   * The rooms every node lists, one entry a room: the node that runs it knows its members and
   * topic; the others list it at rest, as the database keeps it.
   */
  private static List<Event.RoomInfo> merged(List<Local> locals) {
    Map<String, Event.RoomInfo> byKey = new java.util.TreeMap<>();
    locals.forEach(local -> local.rooms().forEach(room -> byKey.merge(RoomNames.key(room.room()),
        room, (one, other) -> one.members() > other.members()
            || one.members() == other.members() && one.topic() != null ? one : other)));
    List<Event.RoomInfo> rooms = new ArrayList<>(byKey.values());
    rooms.sort(Comparator.comparing(Event.RoomInfo::room, String.CASE_INSENSITIVE_ORDER));
    return rooms;
  }

  /** What this node's directory tells the others gathering the cluster's rooms. */
  private Local local() {
    List<RoomStore.Record> records = rooms();
    return new Local(List.copyOf(running.values()), listed(records), messages.sum(),
        records.stream().mapToLong(record -> record.history().size()).sum());
  }

  /**
   * Asks every node's directory (this one's too) for its {@link Local}, and goes on as {@code
   * then} makes of the answers, in a child of its own (a node that does not answer within the
   * bound is left out).
   */
  private void acrossNodes(java.util.function.Function<List<Local>, Behavior<Object>> then) {
    getContext().spawnAnonymous(
        AcrossNodes.create(KEY, AskLocal::new, Local.class, ASK_ROOMS, then));
  }

  /** The room's entity, wherever Cluster Sharding keeps it (a cluster). */
  private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<ChatRoom.Command> entity(
      String room) {
    return sharding.entityRefFor(ChatRoom.ENTITY, RoomNames.key(room));
  }

  /** A room's entity started on this node: listed, counted and drained here while it runs. */
  private Behavior<Command> onHosted(Hosted started) {
    String key = RoomNames.key(started.room());
    running.put(key, started.ref());
    hosted.put(key, started.record());
    getContext().watchWith(started.ref(), new RoomStopped(key, started.ref()));
    return this;
  }

  /**
   * The rooms there are: the lobby, those someone is in, and those that keep a history or a
   * topic. An empty room that keeps nothing is forgotten as soon as its actor stops: it is no
   * room any more.
   */
  private List<RoomStore.Record> rooms() {
    String lobby = RoomNames.key(RoomNames.LOBBY);
    if (sharding != null) {
      List<RoomStore.Record> records = new ArrayList<>(hosted.values());
      store.records().stream().filter(record -> !hosted.containsKey(RoomNames.key(record.name())))
          .forEach(records::add);
      return records;
    }
    return store.records().stream().filter(record -> {
      String key = RoomNames.key(record.name());
      return counts.getOrDefault(key, 0) > 0 || !record.isBlank() || key.equals(lobby);
    }).toList();
  }

  /** The figures for {@code !stats}; with a database, once it has counted its entries. */
  private Behavior<Command> onGetStats(GetStats get) {
    if (!history.durable()) {
      return onCounted(new Counted(get, 0));
    }
    JournalMaintenance maintenance = new JournalMaintenance(history);
    getContext().pipeToSelf(
        JournalMaintenance.offThread(getContext().getSystem(), maintenance::count),
        (kept, failure) -> new Counted(get, failure == null ? kept : -1));
    return this;
  }

  private Behavior<Command> onCounted(Counted counted) {
    ActorRef<Stats> replyTo = counted.get().replyTo();
    String store = history.describe();
    StoreMetrics.Snapshot written = writes.snapshot();
    if (sharding != null) {
      acrossNodes(locals -> {
        replyTo.tell(new Stats(merged(locals).size(),
            locals.stream().mapToLong(Local::messages).sum(),
            locals.stream().mapToLong(Local::historyHeld).sum(), store, counted.kept(), written));
        return Behaviors.stopped();
      });
      return this;
    }
    Local local = local();
    replyTo.tell(new Stats(local.rooms().size(), local.messages(), local.historyHeld(), store,
        counted.kept(), written));
    return this;
  }

  private Behavior<Command> onDrainWrites(DrainWrites drain) {
    if (running.isEmpty()) {
      drain.replyTo().tell(Done.getInstance());
      return this;
    }
    drainedTo.add(drain.replyTo());
    if (roomsDraining == 0) {
      roomsDraining = running.size();
      ActorRef<ChatRoom.Drained> adapter =
          getContext().messageAdapter(ChatRoom.Drained.class, RoomDrained::new);
      running.values().forEach(room -> room.tell(new ChatRoom.Drain(adapter)));
    }
    return this;
  }

  private Behavior<Command> onPurge(Purge purge) {
    if (sharding != null) {
      entity(purge.room()).tell(new ChatRoom.Purge(purge.replyTo()));
      return this;
    }
    String key = RoomNames.key(purge.room());
    ActorRef<ChatRoom.Command> room = stopping.containsKey(key) ? null
        : running.containsKey(key) ? running.get(key) : start(purge.room());
    if (room == null) {
      purge.replyTo().tell(new ChatRoom.Purged(purge.room(), 0, false,
          "the room is stopping or cannot be made now; try again"));
    } else {
      room.tell(new ChatRoom.Purge(purge.replyTo()));
    }
    return this;
  }

  /**
   * Lets go of what retention no longer keeps: the rooms running prune their memory, the
   * directory that of the rooms at rest, and the database deletes its own, off this thread.
   */
  private Behavior<Command> onRetain() {
    HistorySettings.Retention retention = history.retention();
    long time = retention.maxAge().map(age -> System.currentTimeMillis() - age.toMillis())
        .orElse(Long.MIN_VALUE);
    int keep = retention.maxMessages().orElse(Integer.MAX_VALUE);
    running.values().forEach(room -> room.tell(new ChatRoom.Prune(time, keep)));
    for (RoomStore.Record record : store.records()) {
      if (!running.containsKey(RoomNames.key(record.name()))) {
        record.history().prune(time, keep);
      }
    }
    if (history.durable()) {
      JournalMaintenance maintenance = new JournalMaintenance(history);
      getContext().pipeToSelf(JournalMaintenance.offThread(getContext().getSystem(),
              () -> maintenance.applyRetention(retention.maxAge(), retention.maxMessages())),
          Retained::new);
    }
    return this;
  }

  private Behavior<Command> onStoredRooms(StoredRooms stored) {
    if (stored.failure() != null) {
      getContext().getLog().warn("Could not list the rooms in the history store: {}",
          stored.failure().getMessage());
      return this;
    }
    for (String id : stored.keys()) {
      String key = RoomJournal.key(id);
      if (store.find(key).isEmpty() && store.records().size() < settings.maxRooms()) {
        store.open(key).stored(true);
      }
    }
    return this;
  }

  private Behavior<Command> onRetained(Retained retained) {
    if (retained.failure() != null) {
      getContext().getLog().warn("Retention could not delete old history: {}",
          retained.failure().getMessage());
    } else if (retained.deleted() > 0) {
      getContext().getLog().info("Retention deleted {} old history entries", retained.deleted());
    }
    return this;
  }

  private Behavior<Command> onPassivate(Passivate passivate) {
    String key = RoomNames.key(passivate.room());
    if (passivate.ref().equals(running.get(key)) && !stopping.containsKey(key)) {
      stopping.put(key, new ArrayList<>());
      passivate.ref().tell(ChatRoom.Stop.INSTANCE);
    }
    return this;
  }

  private Behavior<Command> onStillInUse(StillInUse still) {
    String key = RoomNames.key(still.room());
    List<Join> waiting = stopping.remove(key);
    ActorRef<ChatRoom.Command> room = running.get(key);
    if (waiting != null && room != null) {
      waiting.forEach(join -> room.tell(join.join()));
    }
    return this;
  }

  /** A room stopped: its record is forgotten if it keeps nothing; joins that waited restart it. */
  private Behavior<Command> onRoomStopped(RoomStopped stopped) {
    if (!stopped.ref().equals(running.get(stopped.key()))) {
      return this;
    }
    running.remove(stopped.key());
    counts.remove(stopped.key());
    RoomStore.Record entity = hosted.remove(stopped.key());
    if (entity != null && !entity.isBlank() && store.find(stopped.key()).isEmpty()) {
      store.open(stopped.key()).stored(true); // at rest: listed as the database keeps it
    }
    List<Join> waiting = stopping.remove(stopped.key());
    if (!stopped.key().equals(RoomNames.key(RoomNames.LOBBY))) {
      store.find(stopped.key()).filter(RoomStore.Record::isBlank)
          .ifPresent(record -> store.forget(stopped.key()));
    }
    if (waiting != null) {
      waiting.forEach(this::onJoin);
    }
    return this;
  }

  private <T> Behavior<Command> reply(ActorRef<T> replyTo, T answer) {
    replyTo.tell(answer);
    return this;
  }
}
