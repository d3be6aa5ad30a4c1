package chat.room;

import chat.delivery.Delivery;
import chat.history.HistorySettings;
import chat.history.JournalMaintenance;
import chat.history.StoreMetrics;
import chat.protocol.Event;
import chat.protocol.RoomNames;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * A {@link ChatRoom}'s side of its {@link RoomJournal}, for a room that keeps its history in a
 * database: starts the journal, and again after its database failed (with a growing wait);
 * hands it what members say, gathered while a write is under way, as one write; tells the room
 * what is written, so that it shows it; and reads the room's messages back from the database.
 * Plain code on the room's thread, made by the room.
 */
final class RoomKeeper {

  /** At most this many lines wait for the journal; past it, lines are refused. */
  private static final int MAX_UNKEPT = 10_000;
  /** Waits between tries to start a journal whose database failed: 1, 2, 4 ... 30 s. */
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final ActorContext<ChatRoom.Command> context;
  private final TimerScheduler<ChatRoom.Command> timers;
  private final ChatRoom room;
  private final String name;
  private final RoomStore.Record record;
  private final HistorySettings history;
  private final StoreMetrics metrics;
  /** What is being written, and what waits for the next write. */
  private final Unwritten unwritten = new Unwritten();
  /** The journal: null while it is down. */
  private ActorRef<RoomJournal.Command> journal;
  /** Whether the journal has read the room back and takes writes (false while it restarts). */
  private boolean ready;
  private int started;
  /** The journal's state as of its last write: its numbering, its last purge, its marks. */
  private RoomJournal.State state = new RoomJournal.State(0, null, 0, 0, List.of());
  /** When the write under way began, in {@link System#nanoTime} terms. */
  private long writeStarted;
  /** How long to wait before starting a failed journal again. */
  private Duration backoff = Duration.ofSeconds(1);
  private StoredHistory stored;

  RoomKeeper(ActorContext<ChatRoom.Command> context, TimerScheduler<ChatRoom.Command> timers,
      ChatRoom room, RoomStore.Record record, HistorySettings history, StoreMetrics metrics) {
    this.context = context;
    this.timers = timers;
    this.room = room;
    this.name = record.name();
    this.record = record;
    this.history = history;
    this.metrics = metrics;
  }

  void start() {
    journal = context.spawn(
        RoomJournal.create(RoomNames.key(name), history.snapshotEvery(),
            context.messageAdapter(RoomJournal.Recovered.class, ChatRoom.WrappedRecovered::new)),
        "journal-" + (++started));
    context.watchWith(journal, ChatRoom.JournalStopped.INSTANCE);
  }

  /**
   * The journal has read what the room kept: its topic now, its last messages once read back
   * from the database (a {@link ChatRoom.TailLoaded} follows).
   */
  void recovered(RoomJournal.State recovered, int historySize) {
    backoff = Duration.ofSeconds(1);
    ready = true;
    state = recovered;
    record.stored(false); // read now: what the record holds is the room's
    record.topic(recovered.topic());
    long last = recovered.lastSeq();
    if (record.history().lastSeq() != last) {
      context.pipeToSelf(messages(last - historySize + 1, last), ChatRoom.TailLoaded::new);
    } else {
      context.getSelf().tell(new ChatRoom.TailLoaded(List.of(), null));
    }
  }

  /** The room's last messages, read back at start, go into its memory. */
  void tailLoaded(ChatRoom.TailLoaded loaded) {
    if (loaded.failure() != null) {
      context.getLog().warn("Room [{}] could not read its history back: {}", name,
          loaded.failure().toString());
    } else {
      loaded.messages().stream()
          .filter(message -> message.seq() > record.history().lastSeq())
          .forEach(record.history()::add);
    }
    record.history().numberedUpTo(state.lastSeq());
  }

  /**
   * Hands what a member did to the journal, in the next write; false, with an error to the
   * member, if the journal is down or too far behind.
   */
  boolean keep(ChatRoom.RoomMember member, RoomJournal.Event kept, Event shown) {
    if (!ready || unwritten.waiting() >= MAX_UNKEPT) {
      room.tell(member, List.of(new Event.Error(ChatRoom.now(), "Not sent: the history store of"
          + " this server " + (!ready ? "is not available" : "is too far behind")
          + "; try again soon.")));
      return false;
    }
    add(new Unwritten.Line(kept, shown, member.id, member.name, member.delivery, null));
    return true;
  }

  /**
   * Empties the history: a marker is written after what is already on its way, and the entries
   * below it are deleted once it is kept. {@code numbered}: the last number given.
   */
  void purge(ActorRef<ChatRoom.Purged> replyTo, long numbered) {
    if (!ready) {
      replyTo.tell(new ChatRoom.Purged(name, 0, true, "the history store is not available"));
    } else if (numbered == 0 && pendingTopic().isEmpty()) {
      // Nothing to purge: no marker, so that no empty room is kept in the database for it.
      replyTo.tell(new ChatRoom.Purged(name, 0, true, null));
    } else {
      add(new Unwritten.Line(new RoomJournal.Purged(ChatRoom.now(), numbered,
          pendingTopic().orElse(null)), null, 0, "", null, replyTo));
    }
  }

  private void add(Unwritten.Line line) {
    if (unwritten.add(line)) {
      write();
    }
  }

  /** Writes what waits, as one write; what comes meanwhile waits for the next. */
  private void write() {
    writeStarted = System.nanoTime();
    journal.tell(new RoomJournal.Keep(unwritten.startWrite(),
        context.messageAdapter(RoomJournal.Kept.class, ChatRoom.WrappedKept::new)));
  }

  /** The journal has what was being written: now the room shows it. */
  void kept(RoomJournal.Kept kept) {
    metrics.written(kept.events(), System.nanoTime() - writeStarted);
    state = kept.state();
    for (Unwritten.Line done : unwritten.written()) {
      if (done.shown() instanceof Event.Message message) {
        room.show(message, done.name(), done.member());
      } else if (done.stored() instanceof RoomJournal.TopicSet set) {
        record.topic(set.topic());
        room.broadcast(done.shown());
      } else if (done.stored() instanceof RoomJournal.Purged) {
        deleteBelow(state.purgedAt(), done.purgedTo());
      }
      unwritten.noticesAfter(done).forEach(room::broadcast);
    }
    if (unwritten.nextWrite()) {
      write();
    }
  }

  /** Empties the memory, then deletes the entries below the marker, off the actor's thread. */
  private void deleteBelow(long marker, ActorRef<ChatRoom.Purged> replyTo) {
    record.history().clear();
    JournalMaintenance maintenance = new JournalMaintenance(history);
    String id = RoomJournal.persistenceId(RoomNames.key(name)).id();
    context.pipeToSelf(
        JournalMaintenance.offThread(context.getSystem(),
            () -> maintenance.deleteBelow(id, marker)),
        (deleted, failure) ->
            new ChatRoom.PurgeDone(replyTo, failure == null ? deleted : 0, failure));
  }

  /**
   * The journal's database failed: what was not written is told to its senders as not sent, and
   * the journal starts again after a while (until then lines are refused).
   */
  void stopped() {
    context.getLog().warn("Room [{}]: the history store failed; lines are refused until it"
        + " is back (next try in {})", name, backoff);
    journal = null;
    ready = false;
    if (unwritten.writing()) {
      metrics.failed();
    }
    dropUnkept("the history store failed",
        "Not sent: the history store of this server failed to keep it; try again soon.");
    timers.startSingleTimer(ChatRoom.RestartJournal.INSTANCE, backoff);
    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
        ? MAX_BACKOFF : backoff.multipliedBy(2);
  }

  void restart() {
    if (journal == null) {
      start();
    }
  }

  /**
   * Gives up what waits for the journal: each line's sender is told {@code error}, a purge's
   * operator {@code why}.
   */
  void dropUnkept(String why, String error) {
    for (Unwritten.Line line : unwritten.dropAll()) {
      if (line.purgedTo() != null) {
        line.purgedTo().tell(new ChatRoom.Purged(name, 0, true, why));
      } else {
        room.send(line.delivery(),
            List.of(new Delivery.To(line.member(), new Event.Error(ChatRoom.now(), error))));
      }
      unwritten.noticesAfter(line).forEach(room::broadcast); // what came after it still did
    }
  }

  /** The topic as it will be once what waits for the journal is written. */
  private Optional<String> pendingTopic() {
    return unwritten.topic(record.topic());
  }

  /** Whether lines of that member wait for the journal. */
  boolean holds(long member) {
    return unwritten.holds(member);
  }

  /** Whether nothing waits for the journal. */
  boolean isEmpty() {
    return unwritten.isEmpty();
  }

  /** Shows {@code notice} after the lines waiting for the journal; false if none waits. */
  boolean follow(Event notice) {
    return unwritten.follow(notice);
  }

  /** How many messages the database keeps of the room (retention may have deleted some). */
  long storedMessages() {
    return state.lastSeq() - state.purgedUpTo();
  }

  /** The messages numbered {@code from} to {@code to} that the database still has. */
  private CompletionStage<List<Event.Message>> messages(long from, long to) {
    return stored().messages(name, state, from, to);
  }

  /**
   * What a member coming back missed, numbered {@code from} to {@code to}, read once the reads
   * before it are done ({@link HistoryReads#queued}).
   */
  CompletionStage<List<Event.Message>> readMissed(long from, long to) {
    return HistoryReads.queued(read((reader, now) -> reader.messages(name, now, from, to)));
  }

  /** Up to {@code count} messages below number {@code before}, as history; or busy. */
  CompletionStage<List<Event.Message>> readPage(long before, int count) {
    return HistoryReads.now(read((reader, now) -> reader.page(name, now, before, count)));
  }

  /** The newest messages with all the terms among the room's last ones; or busy. */
  CompletionStage<List<Event.Message>> readSearch(SearchTerms terms) {
    return HistoryReads.now(read((reader, now) -> reader.search(name, now, terms)));
  }

  /** A read of the database as of now, to be run later, on whatever thread. */
  private Supplier<CompletionStage<List<Event.Message>>> read(Read read) {
    StoredHistory reader = stored();
    RoomJournal.State now = state;
    return () -> read.of(reader, now);
  }

  private interface Read {
    CompletionStage<List<Event.Message>> of(StoredHistory reader, RoomJournal.State state);
  }

  /** The last number a purge took away: nothing up to it is read back. */
  long purgedUpTo() {
    return state.purgedUpTo();
  }

  private StoredHistory stored() {
    if (stored == null) {
      stored = new StoredHistory(context.getSystem());
    }
    return stored;
  }
}
