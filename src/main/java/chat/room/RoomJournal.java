package chat.room;

import chat.support.Stored;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * What of a room outlives the server: its numbered messages and its topic, as events in the
 * journal (an {@link EventSourcedBehavior}, one per room, the {@link ChatRoom}'s child). It has
 * one write in flight at a time, and stashes what comes meanwhile; so the room gathers what its
 * members say while a write is under way and hands it over as one {@link Keep}, written with one
 * {@code persistAll}. Its state is the numbering and the topic; the messages themselves are read
 * back from the journal ({@link StoredHistory}). A snapshot every {@code snapshotEvery} events
 * keeps its recovery short.
 */
public final class RoomJournal
    extends EventSourcedBehavior<RoomJournal.Command, RoomJournal.Event, RoomJournal.State> {

  public sealed interface Command {}

  /** Keeps these events, in order, in one write; the answer is {@link Kept}. */
  public record Keep(List<Event> events, ActorRef<Kept> replyTo) implements Command {
    public Keep {
      events = List.copyOf(events);
    }
  }

  /** The events of a {@link Keep} are in the journal, which is now in {@code state}. */
  public record Kept(int events, State state) {}

  /** The journal has been read at start: the room's state then. */
  public record Recovered(State state) {}

  /** What the journal keeps of a room. */
  public sealed interface Event extends Stored {}

  /** A member said something: message {@code seq} of the room. */
  public record Posted(long seq, long time, String from, String text, boolean action)
      implements Event {}

  /** A member set the topic. */
  public record TopicSet(long time, String by, String topic) implements Event {}

  /**
   * The operator emptied the room's history: the messages numbered up to {@code lastSeq} are
   * gone (the entries before this one are deleted); the numbering and the topic go on from it.
   */
  public record Purged(long time, long lastSeq, String topic) implements Event {}

  /**
   * The room's state: the last number given, the topic (null for none), the last number a purge
   * took away (its messages are not to be read back, even if their entries are still there:
   * deleting them may not have finished) and the purge's own entry (0 for none), and where some
   * messages sit in the journal ({@link Mark}), so that a message can be found among topics.
   */
  public record State(long lastSeq, String topic, long purgedUpTo, long purgedAt,
      List<Mark> marks) implements Stored {

    public State {
      marks = marks == null ? List.of() : List.copyOf(marks);
    }

    /**
     * Message {@code seq} is journal entry {@code entry}. Every {@link #MARK_EVERY}-th message
     * is marked when the entries that are not messages (topics, purges) moved it since the last
     * mark; so the marks are few, and a message's entry is known to within that many messages.
     */
    public record Mark(long seq, long entry) {
      long shift() {
        return entry - seq;
      }
    }

    /** Every how many messages one may be marked. */
    static final int MARK_EVERY = 500;

    /** The state after {@code event}, which is journal entry {@code entry}. */
    State apply(Event event, long entry) {
      if (event instanceof Posted posted) {
        return new State(posted.seq(), topic, purgedUpTo, purgedAt, marked(posted.seq(), entry));
      } else if (event instanceof TopicSet set) {
        return new State(lastSeq, set.topic(), purgedUpTo, purgedAt, marks);
      }
      Purged purged = (Purged) event;
      return new State(purged.lastSeq(), purged.topic(), purged.lastSeq(), entry, List.of());
    }

    private List<Mark> marked(long seq, long entry) {
      if (seq % MARK_EVERY != 0
          || (!marks.isEmpty() && marks.get(marks.size() - 1).shift() == entry - seq)) {
        return marks;
      }
      List<Mark> more = new ArrayList<>(marks);
      more.add(new Mark(seq, entry));
      return more;
    }

    /**
     * A journal entry at or before that of message {@code seq} (one of those kept, above the last
     * purge), fewer than {@link #MARK_EVERY} messages before it, to read the journal from.
     */
    long entryFrom(long seq) {
      long marked = seq / MARK_EVERY * MARK_EVERY;
      Mark last = null;
      for (int i = marks.size() - 1; i >= 0 && last == null; i--) {
        if (marks.get(i).seq() <= marked) {
          last = marks.get(i);
        }
      }
      // Unmarked messages since the purge (or the start) are read from its entry on.
      return last == null || marked <= purgedUpTo ? purgedAt + 1 : marked + last.shift();
    }
  }

  /** The journal of a room, by the room's key; tells {@code room} what it read at start. */
  static Behavior<Command> create(String key, int snapshotEvery, ActorRef<Recovered> room) {
    return Behaviors.setup(
        context -> new RoomJournal(context, persistenceId(key), snapshotEvery, room));
  }

  /** The journal's name for the room with that key. */
  static PersistenceId persistenceId(String key) {
    return PersistenceId.of(ENTITY, key);
  }

  /** What the journal's names of rooms start with. */
  static final String ENTITY = "room";

  /** The key of the room a journal name belongs to. */
  static String key(String persistenceId) {
    return persistenceId.substring(ENTITY.length() + PersistenceId.DefaultSeparator().length());
  }

  private final ActorContext<Command> context;
  private final int snapshotEvery;
  private final ActorRef<Recovered> room;

  private RoomJournal(ActorContext<Command> context, PersistenceId id, int snapshotEvery,
      ActorRef<Recovered> room) {
    super(id);
    this.context = context;
    this.snapshotEvery = snapshotEvery;
    this.room = room;
  }

  @Override
  public State emptyState() {
    return new State(0, null, 0, 0, List.of());
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Keep.class, keep -> Effect().persist(keep.events())
            .thenRun(state -> keep.replyTo().tell(new Kept(keep.events().size(), state))))
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return (state, event) -> state.apply(event, lastSequenceNumber(context));
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(),
            state -> room.tell(new Recovered(state)))
        .build();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(snapshotEvery, 2);
  }
}
