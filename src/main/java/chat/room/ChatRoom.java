package chat.room;

import chat.cluster.CrossNode;
import chat.cluster.Nodes;
import chat.delivery.Delivery;
import chat.history.HistorySettings;
import chat.history.StoreMetrics;
import chat.protocol.ClientLines;
import chat.protocol.Commands;
import chat.protocol.Event;
import chat.protocol.Mode;
import chat.support.ToSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityContext;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * One room: its members (by member number, with their names and where their lines go), its topic
 * and its numbered history, kept in the {@link RoomStore} so that they outlive this actor. It
 * numbers what members say, keeps it, and sends its lines, with the comings and goings, to the
 * {@link Delivery} of each member's node, in batches; it never touches a connection. Made by the
 * {@link RoomDirectory} on first use and restarted alone if it fails (its members are then asked
 * back); it asks the directory to stop it once it has been empty for a while. In a cluster it is
 * an entity of Cluster Sharding, keyed by the room's key: one writer per room on whichever node
 * its shard lives, passivated through its shard, and moved to another node when its own leaves
 * (its members are asked to come back to it there).
 */
public final class ChatRoom extends AbstractBehavior<ChatRoom.Command> {

  public sealed interface Command extends CrossNode {}

  /** The rooms of a cluster, as Cluster Sharding knows them: the entity id is the room's key. */
  public static final EntityTypeKey<Command> ENTITY = EntityTypeKey.create(Command.class, "room");

  /** How a member comes into the room, which decides what it and the others are told. */
  public enum Arrival {
    /** Comes onto the server: the others are told it joined the chat. */
    NEW,
    /** Joins this room while on the server: the others are told it joined the room. */
    ADDED,
    /** A new connection took the member over: nobody is told; it gets what it missed. */
    RESUMED,
    /** The room restarted and forgot it: it comes back without a word. */
    REJOINED
  }

  /**
   * A member comes in; the answer is {@link Joined}. {@code after}: the last message of this room
   * the client saw, to be sent what came after it instead of the recent history. {@code away}:
   * the member's away text, null if it is not away.
   */
  public record Join(
      long member,
      String name,
      Mode mode,
      ActorRef<Delivery.Command> delivery,
      Arrival arrival,
      OptionalLong after,
      boolean current,
      String away,
      ActorRef<JoinReply> replyTo)
      implements Command {

    /** A join of a member that is not away. */
    public Join(long member, String name, Mode mode, ActorRef<Delivery.Command> delivery,
        Arrival arrival, OptionalLong after, boolean current, ActorRef<JoinReply> replyTo) {
      this(member, name, mode, delivery, arrival, after, current, null, replyTo);
    }

    /** A join into the current room of a member that is not away. */
    public Join(long member, String name, Mode mode, ActorRef<Delivery.Command> delivery,
        Arrival arrival, OptionalLong after, ActorRef<JoinReply> replyTo) {
      this(member, name, mode, delivery, arrival, after, true, replyTo);
    }
  }

  /**
   * A member leaves, as {@code how} says ({@code detail}: the reason of a kick or a part); the
   * others are told, and the answer is {@link Left}, once the member has been handed what was
   * pending for it (the answer may go nowhere: {@code replyTo} null). One who quits is told it left
   * by one room of its rooms only, the one {@code toldHere}: its current room.
   */
  public record Leave(
      long member, Departure how, String detail, boolean toldHere, ActorRef<Left> replyTo)
      implements Command {

    /** A leave the member is told of here, if its kind is told to the one who leaves. */
    public Leave(long member, Departure how, String detail, ActorRef<Left> replyTo) {
      this(member, how, detail, true, replyTo);
    }
  }

  /** How a member leaves a room, which decides what it and the others are told. */
  public enum Departure {
    /** Sent {@code !quit}: everybody in the room, the quitter too, is told. */
    QUIT(Event.Departure.QUIT),
    /** Closed the connection: the others are told the member left. */
    CLOSED(Event.Departure.CLOSED),
    /** Lost through an error or reset: the others are told it was unexpected. */
    LOST(Event.Departure.LOST),
    /** Disconnected for not reading while lines piled up. */
    SLOW(Event.Departure.SLOW),
    /** Disconnected for flooding past the rate limit. */
    FLOODING(Event.Departure.FLOODING),
    /** Removed by the operator. */
    KICKED(Event.Departure.KICKED),
    /** Left this room ({@code /part}) and stays in its others; it is told too. */
    PARTED(Event.Departure.PARTED),
    /** The server is shutting down: nobody is told. */
    SHUTDOWN(null);

    private final Event.Departure told;

    Departure(Event.Departure told) {
      this.told = told;
    }

    /** What the room's members are told; null for nothing. */
    public Event.Departure told() {
      return told;
    }
  }

  /**
   * What a member says and asks of this room, in order; once done, the room tells {@code ackTo},
   * so a client can never have more than one batch of lines waiting in the room.
   */
  public record Perform(
      long member,
      ActorRef<Delivery.Command> delivery,
      List<ClientLines.AfterJoin> requests,
      ActorRef<Processed> ackTo)
      implements Command {
    public Perform {
      requests = List.copyOf(requests);
    }
  }

  /** A member's lines have been handled: its connection may deliver the next. */
  public enum Processed implements CrossNode {
    INSTANCE
  }

  /** A member of the room took another name. */
  public record Rename(long member, String name) implements Command {}

  /** A member of the room is away, with that text, or (text null) no longer. */
  public record MarkAway(long member, String text) implements Command {}

  /** Asks who is in the room. */
  public record ListMembers(ActorRef<Members> replyTo) implements Command {}

  /** The directory stops the room, which has been empty; it stays if someone came meanwhile. */
  public enum Stop implements Command {
    INSTANCE
  }

  /**
   * Lets the messages sent before {@code time} go from memory, and all but the newest {@code
   * keep} (retention: the database deletes its own).
   */
  public record Prune(long time, int keep) implements Command {}

  /**
   * Empties the room's history (the operator's {@code !history-purge}); the numbering goes on.
   * The answer is {@link Purged}.
   */
  public record Purge(ActorRef<Purged> replyTo) implements Command {}

  /**
   * Answers {@code replyTo} once what the room has taken is written (the server is stopping:
   * no line it took is to be lost).
   */
  public record Drain(ActorRef<Drained> replyTo) implements Command {}

  public record Drained(String room) implements CrossNode {}

  /**
   * What a purge did: how many messages went from memory, or ({@code entries}) how many entries
   * from the database; or why it failed.
   */
  public record Purged(String room, long deleted, boolean entries, String failure)
      implements CrossNode {}

  /** Sends what is pending. */
  private enum Flush implements Command {
    INSTANCE
  }

  /** The room has been empty for {@link RoomSettings#stopWhenEmptyAfter}. */
  private enum EmptyTooLong implements Command {
    INSTANCE
  }

  record WrappedRecovered(RoomJournal.Recovered recovered) implements Command {}

  record WrappedKept(RoomJournal.Kept kept) implements Command {}

  /** A Delivery that served members stopped: its node is gone, or stopping. */
  private record DeliveryGone(ActorRef<Delivery.Command> delivery) implements Command {}


  /** The kept messages read back at start, or why they could not be. */
  record TailLoaded(List<Event.Message> messages, Throwable failure) implements Command {}

  /** A member's requests that wait for a read of the database, from {@code next} on. */
  private record Resume(long member, ActorRef<Delivery.Command> delivery,
      List<ClientLines.AfterJoin> requests, int next, ActorRef<Processed> ackTo) {}

  /** What the store gave for a member's request, as the lines to send it. */
  private record StoreAnswer(Resume resume, List<Event> lines) implements Command {}

  /** A read of the database a request asked for, and the lines its result makes. */
  private record Reading(CompletionStage<List<Event.Message>> read,
      Function<List<Event.Message>, List<Event>> lines) {}

  /**
   * What a member coming back missed beyond the memory, numbered {@code from} to {@code to},
   * as read from the database (or why it could not be).
   */
  private record JoinRead(Join join, long from, long to, List<Event.Message> messages,
      Throwable failure, int reads) implements Command {}

  /** The entries below a purge marker were deleted (or not). */
  record PurgeDone(ActorRef<Purged> replyTo, long messages, Throwable failure)
      implements Command {}

  /** The journal stopped: its database failed. */
  enum JournalStopped implements Command {
    INSTANCE
  }

  /** Time to start the journal again. */
  enum RestartJournal implements Command {
    INSTANCE
  }


  /** At most this many commands wait while the room reads its journal at start. */
  private static final int MAX_STASHED = 10_000;

  /** What a room answers a member's session. */
  public sealed interface Reply extends ToSession {}

  public sealed interface JoinReply extends Reply {}

  /**
   * In the room; {@code ref} takes the member's lines and its leaving. {@code sharded}: the room
   * is an entity of a cluster, which its members reach through Cluster Sharding wherever it
   * moves, not through this actor.
   */
  public record Joined(String room, ActorRef<Command> ref, boolean sharded) implements JoinReply {

    /** Where the member's session sends what is for this room. */
    public RoomLink link(org.apache.pekko.actor.typed.ActorSystem<?> system) {
      return ChatRoom.link(system, room, ref, sharded);
    }
  }

  /**
   * Back in a room that restarted or moved and forgot the member (a {@link Arrival#REJOINED}
   * join): {@code ref} is the room's actor now.
   */
  public record Rejoined(String room, ActorRef<Command> ref, boolean sharded)
      implements JoinReply {

    public RoomLink link(org.apache.pekko.actor.typed.ActorSystem<?> system) {
      return ChatRoom.link(system, room, ref, sharded);
    }
  }

  /**
   * Where a member's session sends what is for a room of a cluster while it comes back into it
   * after a move: all through Cluster Sharding, which keeps it in order and holds it for the room
   * wherever it starts again.
   */
  public static RoomLink throughSharding(org.apache.pekko.actor.typed.ActorSystem<?> system,
      String room) {
    return ClusterSharding.get(system).entityRefFor(ENTITY, chat.protocol.RoomNames.key(room))
        ::tell;
  }

  /**
   * Where a member's session sends what is for a room: to the room's actor, straight; in a
   * cluster a join goes through Cluster Sharding, which finds or starts the room wherever it now
   * lives (a rejoin after a move), and the rest to the actor that answered: what is sent to it
   * after it moved is lost, but its sender hears no acknowledgement and says so.
   */
  private static RoomLink link(org.apache.pekko.actor.typed.ActorSystem<?> system, String room,
      ActorRef<Command> ref, boolean sharded) {
    if (!sharded) {
      return ref::tell;
    }
    RoomLink entity = throughSharding(system, room);
    return command -> {
      if (command instanceof Join) {
        entity.tell(command);
      } else {
        ref.tell(command);
      }
    };
  }

  public record JoinRejected(String room, String reason) implements JoinReply {}

  public record Left(String room) implements Reply {}

  /**
   * Who is in {@code room}, in the order they came; {@code away}: the away texts of those who are
   * away, by name.
   */
  public record Members(String room, List<String> names, Map<String, String> away)
      implements ToSession {
    public Members {
      names = List.copyOf(names);
      away = Map.copyOf(away);
    }

    /** Nobody away. */
    public Members(String room, List<String> names) {
      this(room, names, Map.of());
    }

    /** The members as {@code who} lists them. */
    public List<Event.Presence> presences() {
      return names.stream().map(name -> new Event.Presence(name, room, away.get(name))).toList();
    }
  }

  /** Up to how many members the directory hears every change of the count at once. */
  private static final int COUNT_AT_ONCE = 100;

  /**
   * How long notices of members coming and going may wait to be sent together: joins that come
   * in a crowd then cost each member one write per interval, not one per join. Every such write
   * reaches every member, so a bigger room waits longer: 100 ms up to 1,000 members, then 0.1 ms
   * more per member, up to a second from 10,000 members on. A post sends them at once.
   */
  static Duration presenceDelay(int members) {
    return Duration.ofMillis(Math.min(1000, Math.max(100, members / 10)));
  }

  /**
   * What every room of a server shares: its settings, the node's directory and Delivery (told
   * when the room starts, so that the members of a room that failed come back), and the
   * server-wide counts of messages posted and of writes to the store.
   */
  record Parts(
      RoomSettings settings,
      HistorySettings history,
      ActorRef<RoomDirectory.Command> directory,
      ActorRef<Delivery.Command> delivery,
      LongAdder messages,
      StoreMetrics store) {}

  static Behavior<Command> create(RoomStore.Record record, Parts parts) {
    return create(record, parts, null);
  }

  /**
   * A room as an entity of Cluster Sharding on this node: its record is its own (the journal
   * fills it), the node's directory hears that it runs here, and it passivates through its
   * shard.
   */
  static Behavior<Command> entity(EntityContext<Command> entity, Parts parts) {
    RoomStore.Record record = new MemoryRoomStore(parts.settings()).open(entity.getEntityId());
    return create(record, parts, entity.getShard());
  }

  private static Behavior<Command> create(
      RoomStore.Record record, Parts parts, ActorRef<ClusterSharding.ShardCommand> shard) {
    return Behaviors.setup(
        context -> Behaviors.withTimers(timers -> Behaviors.withStash(MAX_STASHED, stash -> {
          ChatRoom room = new ChatRoom(context, timers, record, parts, shard);
          return parts.history().durable() ? room.recovering(stash) : room;
        })));
  }

  private final TimerScheduler<Command> timers;
  private final RoomStore.Record record;
  private final RoomSettings settings;
  private final ActorRef<RoomDirectory.Command> directory;
  /** This node's Delivery, told when the room's members are to come back to it. */
  private final ActorRef<Delivery.Command> nodeDelivery;
  /** The room's shard when it is an entity of a cluster; null on one server. */
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  /**
   * When a room that had a history or topic started, to tell a member whose line came as it
   * restarted what happened; 0 for a new room.
   */
  private final long restartedAt;
  private final LongAdder messages;
  private final String name;
  private final Map<Long, RoomMember> members = new LinkedHashMap<>();
  /** The Deliveries the members' lines go through, with how many members each serves. */
  private final Map<ActorRef<Delivery.Command>, Integer> deliveries = new HashMap<>();
  /** The Deliveries of members who left since the last send, which must hear of it. */
  private final Set<ActorRef<Delivery.Command>> departed = new HashSet<>();
  private final RoomBatch batch = new RoomBatch();
  private final RoomCommands commands;
  /** When the flush timer fires, in {@link System#nanoTime} terms, while it runs. */
  private long flushDue;
  /** Whether a {@link Flush} is on its way in the mailbox: posts need no timer then. */
  private boolean flushAsked;
  /** Whether the directory has not heard the number of members yet. */
  private boolean countChanged;
  private final HistorySettings history;
  /**
   * The number of the last message sent out in a batch, or the room's numbering when it started
   * (what came before was sent out by the room's earlier life, or is history).
   */
  private long shown;
  /** The last number given to a message (it may not be kept yet). */
  private long numbered;
  /** The room's side of its journal; null when the history is kept in memory. */
  private final RoomKeeper keeper;
  /** The read of the database the request being performed asked for, if any. */
  private Reading reading;
  /** Who waits for the writes to be done. */
  private final List<ActorRef<Drained>> drains = new ArrayList<>();
  /** Members who left while lines of theirs were being written. */
  private final List<Leave> leavesWaiting = new ArrayList<>();
  /** Reads of the history that wait for the reader's own lines to be written. */
  private final List<Resume> readsWaiting = new ArrayList<>();
  /** Reads of the database under way, with the requests that follow them. */
  private final List<Resume> readsInFlight = new ArrayList<>();
  /** Joins that wait for what their members missed to be read from the database. */
  private final List<Join> joinsReading = new ArrayList<>();

  private ChatRoom(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      RoomStore.Record record,
      Parts parts,
      ActorRef<ClusterSharding.ShardCommand> shard) {
    super(context);
    this.timers = timers;
    this.shard = shard;
    this.nodeDelivery = parts.delivery();
    this.restartedAt = record.isBlank() ? 0 : System.currentTimeMillis();
    this.record = record;
    this.settings = parts.settings();
    this.history = parts.history();
    this.numbered = record.history().lastSeq();
    this.shown = numbered;
    this.directory = parts.directory();
    this.messages = parts.messages();
    this.name = record.name();
    this.commands = new RoomCommands(this);
    // A room that failed and restarts has forgotten its members: they are asked to come back,
    // on every node of a cluster.
    askMembersBack();
    timers.startSingleTimer(EmptyTooLong.INSTANCE, settings.stopWhenEmptyAfter());
    if (shard != null) {
      directory.tell(new RoomDirectory.Hosted(name, context.getSelf(), record));
    }
    this.keeper = history.durable()
        ? new RoomKeeper(context, timers, this, record, history, parts.store()) : null;
    if (keeper != null) {
      keeper.start();
    }
  }

  /**
   * While the journal reads the room's history at start: everything else waits, so that the
   * first member in sees what the room kept.
   */
  private Behavior<Command> recovering(StashBuffer<Command> stash) {
    return Behaviors.receive(Command.class)
        .onMessage(WrappedRecovered.class, recovered -> {
          onRecovered(recovered);
          return Behaviors.same();
        })
        .onMessage(TailLoaded.class, loaded -> {
          keeper.tailLoaded(loaded);
          return stash.unstashAll(this);
        })
        .onMessageEquals(JournalStopped.INSTANCE, () -> {
          onJournalStopped();
          return stash.unstashAll(this);
        })
        .onAnyMessage(command -> {
          stash.stash(command);
          return Behaviors.same();
        })
        .onSignal(PreRestart.class, signal -> letGoStashed(stash))
        .onSignal(PostStop.class, signal -> letGoStashed(stash))
        .build();
  }

  /** The answer to a join that the room's failure cut short. */
  private JoinRejected failedWhileComingIn() {
    return new JoinRejected(name, name + " failed while you came in");
  }

  /**
   * The room fails or stops before it has read its history: whoever waits in the stash is
   * answered, so that no session waits for a join or an ack that will not come.
   */
  private Behavior<Command> letGoStashed(StashBuffer<Command> stash) {
    stash.forEach(command -> {
      if (command instanceof Join join) {
        join.replyTo().tell(failedWhileComingIn());
      } else if (command instanceof Perform perform) {
        perform.ackTo().tell(Processed.INSTANCE);
      } else if (command instanceof Leave leave && leave.replyTo() != null) {
        leave.replyTo().tell(new Left(name));
      } else if (command instanceof Drain drain) {
        drain.replyTo().tell(new Drained(name));
      } else if (command instanceof Purge purge) {
        purge.replyTo().tell(new Purged(name, 0, true, "the room failed"));
      }
    });
    stash.clear();
    return letGo();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Perform.class, this::onPerform)
        .onMessageEquals(Flush.INSTANCE, this::onFlush)
        .onMessage(Join.class, this::onJoin)
        .onMessage(JoinRead.class, this::onJoinRead)
        .onMessage(Leave.class, this::onLeave)
        .onMessage(Rename.class, this::onRename)
        .onMessage(MarkAway.class, this::onMarkAway)
        .onMessage(ListMembers.class, list -> reply(list.replyTo(), members()))
        .onMessageEquals(EmptyTooLong.INSTANCE, this::onEmptyTooLong)
        .onMessageEquals(Stop.INSTANCE, this::onStop)
        .onMessage(WrappedKept.class, this::onKept)
        .onMessage(DeliveryGone.class, this::onDeliveryGone)
        .onMessage(StoreAnswer.class, this::onStoreAnswer)
        .onSignal(PreRestart.class, signal -> letGo())
        .onSignal(PostStop.class, signal -> letGo())
        .onMessage(WrappedRecovered.class, this::onRecovered)
        .onMessage(TailLoaded.class, loaded -> {
          keeper.tailLoaded(loaded);
          return this;
        })
        .onMessageEquals(JournalStopped.INSTANCE, this::onJournalStopped)
        .onMessageEquals(RestartJournal.INSTANCE, () -> {
          keeper.restart();
          return this;
        })
        .onMessage(Prune.class, this::onPrune)
        .onMessage(Drain.class, drain -> {
          drains.add(drain.replyTo());
          drained();
          return this;
        })
        .onMessage(Purge.class, this::onPurge)
        .onMessage(PurgeDone.class, done -> {
          done.replyTo().tell(new Purged(name, done.messages(), true,
              done.failure() == null ? null : done.failure().getMessage()));
          return this;
        })
        .build();
  }

  private Behavior<Command> onPerform(Perform perform) {
    RoomMember member = members.get(perform.member());
    if (member == null) {
      send(perform.delivery(), List.of(new Delivery.To(perform.member(), new Event.Error(now(),
          notIn(perform.member())))));
    } else {
      performFrom(member, perform.requests(), 0, perform.ackTo());
      return this;
    }
    perform.ackTo().tell(Processed.INSTANCE);
    return this;
  }

  /**
   * Why a line from someone who is not a member was not taken: a room that has just started again
   * (it failed, or moved to another node) asks its members back; their lines sent meanwhile are
   * refused, said so.
   */
  private String notIn(long member) {
    if (now() - restartedAt < JUST_STARTED.toMillis()) {
      return "Not sent: " + name + " has just restarted and is taking its members back; "
          + "send it again.";
    }
    return "You are not in " + name + "; /join " + name + " first.";
  }

  private static final Duration JUST_STARTED = Duration.ofSeconds(30);

  /**
   * Performs a member's requests from {@code from} on, in order. A request that reads the
   * database suspends the rest: they, and the member's next lines (its connection waits for the
   * ack), come after the answer, so that the member's answers keep the order of its requests.
   */
  private void performFrom(RoomMember member, List<ClientLines.AfterJoin> requests, int from,
      ActorRef<Processed> ackTo) {
    for (int i = from; i < requests.size(); i++) {
      if (readsHistory(requests.get(i)) && pending(member.id)) {
        // Its own lines are being written: it reads them too, once they are.
        readsWaiting.add(new Resume(member.id, member.delivery, requests, i, ackTo));
        return;
      }
      commands.performAlone(member, requests.get(i));
      if (reading != null) {
        Resume resume = new Resume(member.id, member.delivery, requests, i + 1, ackTo);
        readsInFlight.add(resume);
        Function<List<Event.Message>, List<Event>> lines = reading.lines();
        getContext().pipeToSelf(reading.read(), (messages, failure) -> new StoreAnswer(resume,
            failure == null ? lines.apply(messages) : List.of(readFailed(failure))));
        reading = null;
        return;
      }
    }
    ackTo.tell(Processed.INSTANCE);
  }

  /** What a member is told when the read it asked for failed: busy, or the store's fault. */
  private static Event.Error readFailed(Throwable failure) {
    boolean busy = failure instanceof HistoryReads.Busy
        || failure.getCause() instanceof HistoryReads.Busy;
    return new Event.Error(now(), busy
        ? "The server is busy reading history for others; try again in a moment."
        : "The history store could not be read (" + failure.getMessage() + "); try again.");
  }

  private Behavior<Command> onFlush() {
    flushAsked = false;
    flush();
    return this;
  }

  /**
   * A member comes in. One coming back who missed more than the memory holds waits for the rest
   * to be read from the database, at most {@code chat.history.replay-max} messages of it, so
   * that it gets what it missed, in order, before live lines.
   */
  private Behavior<Command> onJoin(Join join) {
    long to = record.history().firstHeld() - 1;
    if (!history.durable() || history.replayMax() == 0 || join.after().isEmpty()
        || join.after().getAsLong() >= to || to <= keeper.purgedUpTo()) {
      return join(join, RoomCommands.Older.NONE);
    }
    long from = Math.max(join.after().getAsLong() + 1, to - history.replayMax() + 1);
    readMissed(join, from, from, to, List.of(), 1);
    return this;
  }

  /**
   * Reads what {@code join}'s member missed, numbered {@code next} to {@code to}, after what
   * was read already (from {@code from} on) in {@code reads - 1} reads.
   */
  private void readMissed(Join join, long from, long next, long to, List<Event.Message> read,
      int reads) {
    joinsReading.add(join);
    getContext().pipeToSelf(keeper.readMissed(next, to), (messages, failure) -> new JoinRead(
        join, from, to, failure == null ? concat(read, messages) : read, failure, reads));
  }

  private static List<Event.Message> concat(List<Event.Message> first, List<Event.Message> then) {
    List<Event.Message> all = new ArrayList<>(first);
    all.addAll(then);
    return all;
  }

  /** Reads at most this many times for one join while posts push messages out of memory. */
  private static final int MAX_READS_FOR_A_JOIN = 3;

  private Behavior<Command> onJoinRead(JoinRead read) {
    if (!joinsReading.remove(read.join())) {
      return this;
    }
    long held = record.history().firstHeld() - 1;
    if (read.failure() == null && held > read.to() && read.reads() < MAX_READS_FOR_A_JOIN) {
      // Posts made meanwhile pushed more out of memory: those are read too.
      readMissed(read.join(), read.from(), read.to() + 1, held, read.messages(),
          read.reads() + 1);
      return this;
    }
    if (read.failure() != null) {
      getContext().getLog().warn("Room [{}] could not read what [{}] missed: {}", name,
          read.join().name(), read.failure().toString());
      // Nothing read: the member is told where the messages it did not get begin.
      return join(read.join(), new RoomCommands.Older(read.to() + 1, List.of()));
    }
    return join(read.join(), new RoomCommands.Older(read.from(), read.messages()));
  }

  private Behavior<Command> join(Join join, RoomCommands.Older older) {
    RoomMember present = members.get(join.member());
    if (present == null) {
      RoomMember member = new RoomMember(join);
      admit(member, join.arrival());
      commands.arrive(member, join.arrival(), join.after(), join.current(), older);
    } else if (join.arrival() == Arrival.RESUMED) {
      // A new connection: what was pending went to the old one, and is in the history.
      flush();
      served(present.delivery, -1);
      present.attach(join);
      served(present.delivery, 1);
      commands.resume(present, join.after(), join.current(), older);
    } else if (join.arrival() == Arrival.REJOINED) {
      // Back already (a room that moved asks its members back, and asks again as it starts
      // where it moved to): its node's Delivery forgot it when asked, so it is shown in again,
      // with what came since the last line that node was given, and away as it is now.
      present.away = join.away();
      batch.enter(present.id);
      flushWithin(presenceDelay(members.size()));
      commands.arrive(present, Arrival.REJOINED, join.after(), join.current(), older);
    } else {
      commands.enter(present);
    }
    join.replyTo().tell(join.arrival() == Arrival.REJOINED
        ? new Rejoined(name, getContext().getSelf(), shard != null)
        : new Joined(name, getContext().getSelf(), shard != null));
    return this;
  }

  /**
   * Takes a member in. The others' copies of the join line wait for the flush, so that joins
   * arriving together cost each member one write; queued before the newcomer is in, so that it
   * does not get its own.
   */
  private void admit(RoomMember member, Arrival arrival) {
    timers.cancel(EmptyTooLong.INSTANCE);
    if (arrival == Arrival.NEW || arrival == Arrival.ADDED) {
      notice(new Event.Joined(now(), name, member.name, arrival == Arrival.ADDED), member.name);
    }
    members.put(member.id, member);
    served(member.delivery, 1);
    batch.enter(member.id);
    flushWithin(presenceDelay(members.size()));
    counted();
  }

  private Behavior<Command> onLeave(Leave leave) {
    if (pending(leave.member())) {
      // Its last lines are being written: it leaves once they are shown, not before them.
      leavesWaiting.add(leave);
      return this;
    }
    RoomMember member = members.remove(leave.member());
    if (member != null) {
      served(member.delivery, -1);
      departed.add(member.delivery);
      // It may still read: what was said before it went is its due; a lost one gets nothing.
      List<Event> share = batch.leave(member.id, member.mode);
      if (leave.how() == Departure.LOST) {
        share = List.of();
      }
      flushWithin(presenceDelay(members.size()));
      Event.Left left = leave.how() == Departure.SHUTDOWN ? null
          : new Event.Left(now(), name, member.name, leave.how().told(), leave.detail());
      if ((leave.how() == Departure.QUIT && leave.toldHere()) || leave.how() == Departure.PARTED) {
        share = append(share, left);
      }
      if (!share.isEmpty()) {
        send(member.delivery, share.stream()
            .<Delivery.Entry>map(event -> new Delivery.To(member.id, event)).toList());
      }
      if (left != null) {
        notice(left, member.name);
      }
      counted();
      if (members.isEmpty()) {
        timers.startSingleTimer(EmptyTooLong.INSTANCE, settings.stopWhenEmptyAfter());
      }
      getContext().getLog().debug("Member [{}] left [{}] ({})", member.name, name, leave.how());
    }
    if (leave.replyTo() != null) {
      leave.replyTo().tell(new Left(name));
    }
    return this;
  }

  /**
   * One member more ({@code 1}) or fewer ({@code -1}) is served by that Delivery. The room
   * watches each Delivery it serves: one that stops (its node was lost) takes its members away.
   */
  private void served(ActorRef<Delivery.Command> delivery, int change) {
    if (change > 0) {
      if (deliveries.merge(delivery, change, Integer::sum) == change) {
        getContext().watchWith(delivery, new DeliveryGone(delivery));
      }
    } else if (deliveries.computeIfPresent(delivery,
        (served, count) -> count == 1 ? null : count - 1) == null) {
      getContext().unwatch(delivery);
    }
  }

  /** The members whose Delivery stopped are lost: the others are told, as of a lost connection. */
  private Behavior<Command> onDeliveryGone(DeliveryGone gone) {
    List<Long> lost = members.values().stream()
        .filter(member -> member.delivery.equals(gone.delivery()))
        .map(member -> member.id)
        .toList();
    getContext().getLog().info("Room [{}]: a Delivery stopped, with [{}] members", name,
        lost.size());
    lost.forEach(member -> onLeave(new Leave(member, Departure.LOST, null, false, null)));
    departed.remove(gone.delivery());
    return this;
  }

  private static List<Event> append(List<Event> events, Event last) {
    List<Event> all = new java.util.ArrayList<>(events);
    all.add(last);
    return all;
  }

  private Behavior<Command> onRename(Rename rename) {
    RoomMember member = members.get(rename.member());
    if (member != null) {
      String old = member.name;
      member.name = rename.name();
      afterPending(new Event.Renamed(now(), name, old, member.name));
    }
    return this;
  }

  private Behavior<Command> onMarkAway(MarkAway mark) {
    RoomMember member = members.get(mark.member());
    if (member != null) {
      member.away = mark.text();
    }
    return this;
  }

  /**
   * A notice for every member, shown after the lines still waiting for the journal (someone's
   * rename comes after what it said under its old name), or at once if none waits.
   */
  private void afterPending(Event notice) {
    if (keeper == null || !keeper.follow(notice)) {
      broadcast(notice);
    }
  }

  private Behavior<Command> onEmptyTooLong() {
    if (members.isEmpty() && shard != null) {
      shard.tell(new ClusterSharding.Passivate<>(getContext().getSelf()));
    } else if (members.isEmpty()) {
      directory.tell(new RoomDirectory.Passivate(record.name(), getContext().getSelf()));
    }
    return this;
  }

  private Behavior<Command> onStop() {
    return shard == null ? onStopAsked() : onShardStop();
  }

  /**
   * The shard stops the entity: it passivates, or its shard moves to another node (this one
   * leaves, or the cluster rebalances). What is being written is written first; members still
   * here are asked to come back to the room, which starts again where the shard goes (what they
   * send meanwhile waits for it there).
   */
  private Behavior<Command> onShardStop() {
    if (pending() || !joinsReading.isEmpty()) {
      drains.add(getContext().messageAdapter(Drained.class, drained -> Stop.INSTANCE));
      return this;
    }
    flush();
    if (!members.isEmpty()) {
      askMembersBack();
    }
    return Behaviors.stopped();
  }

  /** Every node's Delivery asks the room's members there to come back to it. */
  private void askMembersBack() {
    Nodes.tellEveryNode(getContext().getSystem(), Delivery.KEY, new Delivery.RoomStarted(name),
        nodeDelivery);
  }

  private Behavior<Command> onStopAsked() {
    if (!members.isEmpty() || pending() || !joinsReading.isEmpty()) {
      directory.tell(new RoomDirectory.StillInUse(name));
      if (members.isEmpty()) { // busy writing: asked again later
        timers.startSingleTimer(EmptyTooLong.INSTANCE, settings.stopWhenEmptyAfter());
      }
      return this;
    }
    flush();
    return Behaviors.stopped();
  }

  // What RoomCommands needs of the room.

  org.slf4j.Logger log() {
    return getContext().getLog();
  }

  String name() {
    return name;
  }

  RoomStore.Record record() {
    return record;
  }

  RoomSettings settings() {
    return settings;
  }

  Members members() {
    Map<String, String> away = new HashMap<>();
    members.values().stream().filter(member -> member.away != null)
        .forEach(member -> away.put(member.name, member.away));
    return new Members(name, members.values().stream().map(member -> member.name).toList(), away);
  }

  /**
   * Numbers, keeps and posts what a member says: in memory at once; in a journal once it is
   * written, so that no line is seen that a crash could forget.
   */
  void post(RoomMember member, String text, boolean action) {
    if (history.durable()) {
      RoomJournal.Posted posted =
          new RoomJournal.Posted(numbered + 1, now(), member.name, text, action);
      if (keeper.keep(member, posted, StoredHistory.message(name, posted))) {
        numbered++;
      }
      return;
    }
    long seq = ++numbered;
    long time = now();
    show(action
        ? new Event.Action(time, name, seq, member.name, text, false)
        : new Event.Chat(time, name, seq, member.name, text, false), member.name, member.id);
  }

  /** Shows a message to the members: it is in the room's history now. */
  void show(Event.Message message, String from, long member) {
    record.history().add(message);
    messages.increment();
    requestFlush();
    if (batch.post(message, from, member)) {
      flush();
    }
  }

  /** Sets the topic: at once in memory, once written in a journal. */
  void topic(RoomMember member, String topic) {
    Event.Topic notice = new Event.Topic(now(), name, topic, member.name);
    if (history.durable()) {
      keeper.keep(member, new RoomJournal.TopicSet(notice.time(), member.name, topic), notice);
      return;
    }
    record.topic(topic);
    broadcast(notice);
  }

  private Behavior<Command> onPrune(Prune prune) {
    record.history().prune(prune.time(), prune.keep());
    return this;
  }

  /** Empties the history: in memory at once; with a journal, once it has a purge marker. */
  private Behavior<Command> onPurge(Purge purge) {
    if (!history.durable()) {
      int messages = record.history().size();
      record.history().clear();
      purge.replyTo().tell(new Purged(name, messages, false, null));
    } else {
      keeper.purge(purge.replyTo(), numbered);
    }
    return this;
  }

  /** The journal has what was being written: now the room sees it. */
  private Behavior<Command> onKept(WrappedKept kept) {
    keeper.kept(kept.kept());
    drained();
    return this;
  }

  /**
   * The room stops or restarts (after a fault) with work under way: whoever waits for it is
   * answered, so that no line is lost without a word and no connection waits for an answer
   * that will not come.
   */
  private Behavior<Command> letGo() {
    if (keeper != null) {
      keeper.dropUnkept("the room failed",
          "Not sent: the room failed before the history store kept it; try again.");
    }
    List<Resume> waiting = new ArrayList<>(readsWaiting);
    waiting.addAll(readsInFlight);
    readsWaiting.clear();
    readsInFlight.clear();
    waiting.forEach(resume -> resume.ackTo().tell(Processed.INSTANCE));
    leavesWaiting.stream().filter(leave -> leave.replyTo() != null)
        .forEach(leave -> leave.replyTo().tell(new Left(name)));
    leavesWaiting.clear();
    drains.forEach(waiter -> waiter.tell(new Drained(name)));
    drains.clear();
    joinsReading.forEach(join -> join.replyTo().tell(failedWhileComingIn()));
    joinsReading.clear();
    return this;
  }

  /** The leaves that waited for their members' last lines, once those are written (or lost). */
  private void leaveWhenWritten() {
    List<Leave> ready =
        leavesWaiting.stream().filter(leave -> !pending(leave.member())).toList();
    leavesWaiting.removeAll(ready);
    ready.forEach(this::onLeave);
  }

  /** Tells who waits that the writes are done, once they are. */
  private void drained() {
    readWhenWritten();
    leaveWhenWritten();
    if (!pending()) {
      drains.forEach(waiting -> waiting.tell(new Drained(name)));
      drains.clear();
    }
  }

  /** The journal has read what the room kept: its numbering, its topic, then its last lines. */
  private Behavior<Command> onRecovered(WrappedRecovered wrapped) {
    numbered = wrapped.recovered().state().lastSeq();
    shown = Math.max(shown, numbered);
    keeper.recovered(wrapped.recovered().state(), settings.historySize());
    return this;
  }

  /** Whether lines of that member wait for the journal. */
  private boolean pending(long member) {
    return keeper != null && keeper.holds(member);
  }

  /** Whether any line waits for the journal. */
  private boolean pending() {
    return keeper != null && !keeper.isEmpty();
  }

  /** Whether the room keeps its history in a database, beyond what it holds in memory. */
  boolean durable() {
    return history.durable();
  }

  /**
   * Up to {@code count} messages below number {@code before}, read from the database; the
   * member is sent {@code lines} of them once read, or an error.
   */
  void pageFromStore(long before, int count, Function<List<Event.Message>, List<Event>> lines) {
    // Above the last number, a page is the newest messages.
    long below = Math.min(before, record.history().lastSeq() + 1);
    reading = new Reading(keeper.readPage(below, count), lines);
  }

  /** The last number a purge took away (0 in memory: a purge there leaves no mark). */
  long purgedUpTo() {
    return keeper == null ? 0 : keeper.purgedUpTo();
  }

  /** How many messages the database keeps of the room (retention may have deleted some). */
  long storedMessages() {
    return keeper.storedMessages();
  }

  /** A search of the database's newest entries; the member is sent {@code lines} of it. */
  void searchStore(SearchTerms terms, Function<List<Event.Message>, List<Event>> lines) {
    reading = new Reading(keeper.readSearch(terms), lines);
  }

  /** Whether the request reads what the member's own pending lines change: they go first. */
  private static boolean readsHistory(ClientLines.AfterJoin request) {
    return request instanceof Commands.History || request instanceof Commands.Search
        || (request instanceof Commands.Topic topic && topic.text().isEmpty());
  }

  /** Goes on with the requests of members whose lines, which they were to read, are written. */
  private void readWhenWritten() {
    List<Resume> ready =
        readsWaiting.stream().filter(resume -> !pending(resume.member())).toList();
    readsWaiting.removeAll(ready);
    for (Resume resume : ready) {
      resume(resume);
    }
  }

  private void resume(Resume resume) {
    RoomMember member = members.get(resume.member());
    if (member != null) {
      performFrom(member, resume.requests(), resume.next(), resume.ackTo());
    } else {
      resume.ackTo().tell(Processed.INSTANCE);
    }
  }

  /** Sends the answer after what is pending, then goes on with the member's requests. */
  private Behavior<Command> onStoreAnswer(StoreAnswer answer) {
    Resume resume = answer.resume();
    readsInFlight.remove(resume);
    flush(); // what is pending goes first
    send(resume.delivery(), answer.lines().stream()
        .<Delivery.Entry>map(line -> new Delivery.To(resume.member(), line)).toList());
    resume(resume);
    return this;
  }

  /** The journal's database failed: the numbering goes back to what was kept. */
  private Behavior<Command> onJournalStopped() {
    keeper.stopped();
    numbered = record.history().lastSeq();
    drained();
    return this;
  }

  /** A line for every member, sent at once (with what is pending before it). */
  void broadcast(Event event) {
    batch.notice(event, "");
    flush();
  }

  /** Lines for one member, sent at once, after what is pending. */
  void tell(RoomMember member, List<Event> events) {
    events.forEach(event -> batch.to(member.id, event));
    flush();
  }

  /** Lines for a member who just came in: at once, before anything pending reaches it. */
  void welcome(RoomMember member, List<Delivery.Entry> entries) {
    send(member.delivery, entries);
  }

  /** Queues a notice for the members, to go within the presence delay. */
  private void notice(Event notice, String subject) {
    flushWithin(presenceDelay(members.size()));
    if (batch.notice(notice, subject)) {
      flush();
    }
  }

  /**
   * Sees that what is pending goes within {@code delay}: sooner if it is due sooner, and never
   * later, whatever an earlier notice allowed.
   */
  private void flushWithin(Duration delay) {
    long due = System.nanoTime() + delay.toNanos();
    if (!flushAsked && (!timers.isTimerActive(Flush.INSTANCE) || due - flushDue < 0)) {
      timers.startSingleTimer(Flush.INSTANCE, delay);
      flushDue = due;
    }
  }

  /**
   * The first post pending asks for a flush, which comes after the messages already waiting for
   * the room, so posts that arrive together go together.
   */
  private void requestFlush() {
    if (!flushAsked) {
      timers.cancel(Flush.INSTANCE);
      getContext().getSelf().tell(Flush.INSTANCE);
      flushAsked = true;
    }
  }

  /**
   * Sends what is pending to every Delivery that serves a member, and to those that served one
   * who left since the last send (they are to take it out of the room).
   */
  void flush() {
    if (countChanged) {
      tellCount();
    }
    if (batch.isEmpty()) {
      return;
    }
    shown = Math.max(shown, batch.lastMessage());
    Delivery.Deliver deliver = new Delivery.Deliver(name, batch.drain(), shown);
    deliveries.keySet().forEach(delivery -> delivery.tell(deliver));
    departed.removeAll(deliveries.keySet());
    departed.forEach(delivery -> delivery.tell(deliver));
    departed.clear();
  }

  void send(ActorRef<Delivery.Command> delivery, List<Delivery.Entry> entries) {
    delivery.tell(new Delivery.Deliver(name, entries, shown));
  }

  /**
   * The number of members changed: the directory of a small room hears it at once; of a crowd, with
   * the next send of lines (within the presence delay), so that a crowd's comings and goings cost
   * it a message per send.
   */
  private void counted() {
    if (members.size() <= COUNT_AT_ONCE) {
      tellCount();
    } else {
      countChanged = true;
    }
  }

  private void tellCount() {
    countChanged = false;
    directory.tell(new RoomDirectory.MemberCount(name, members.size()));
  }

  private <T> Behavior<Command> reply(ActorRef<T> replyTo, T answer) {
    replyTo.tell(answer);
    return this;
  }

  static long now() {
    return System.currentTimeMillis();
  }

  /** A member as the room keeps it. */
  static final class RoomMember {
    final long id;
    String name;
    Mode mode;
    ActorRef<Delivery.Command> delivery;
    /** The member's away text; null if it is not away. */
    String away;

    RoomMember(Join join) {
      this.id = join.member();
      this.name = join.name();
      attach(join);
    }

    /** Takes the connection of a join, a new member's or a new connection's, and its away. */
    void attach(Join join) {
      this.mode = join.mode();
      this.delivery = join.delivery();
      this.away = join.away();
    }
  }
}
