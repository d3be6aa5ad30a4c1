package chat.room;

import chat.protocol.Event;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;

/** Reads a room's messages back from the journal, for a room that starts with what it kept. */
final class StoredHistory {

  private final JdbcReadJournal journal;
  private final ActorSystem<?> system;

  StoredHistory(ActorSystem<?> system) {
    this.system = system;
    this.journal = PersistenceQuery.get(system)
        .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
  }

  /**
   * The messages among the room's last {@code events} journal entries up to {@code lastSeqNr},
   * oldest first.
   */
  CompletionStage<List<Event.Message>> tail(
      String room, String key, long purgedUpTo, long lastSeqNr, int events) {
    return read(room, key, purgedUpTo, Math.max(1, lastSeqNr - events + 1), lastSeqNr);
  }

  /**
   * Up to {@code count} messages numbered below {@code before}, oldest first. A message numbered
   * {@code n} is journal entry {@code n} plus the topics set before it, so the entries between
   * {@code before - count} and {@code before - 1 + topics} hold them ({@code topics}: the room's
   * entries that are not messages, at most {@code MAX_SCANNED} of them read).
   */
  CompletionStage<List<Event.Message>> page(String room, String key, long purgedUpTo,
      long before, int count, long topics, long lastSeqNr) {
    long from = Math.max(1, before - count);
    long to = Math.min(lastSeqNr, before - 1 + Math.min(topics, SearchTerms.MAX_SCANNED));
    return read(room, key, purgedUpTo, from, to).thenApply(messages -> {
      List<Event.Message> below = messages.stream()
          .filter(message -> message.seq() < before)
          .map(Event.Message::asHistory)
          .toList();
      return below.subList(Math.max(0, below.size() - count), below.size());
    });
  }

  /**
   * The newest messages with all the terms among the room's last {@link
   * SearchTerms#MAX_SCANNED} journal entries, at most {@link SearchTerms#MAX_RESULTS}, newest
   * first.
   */
  CompletionStage<List<Event.Message>> search(
      String room, String key, long purgedUpTo, SearchTerms terms, long lastSeqNr) {
    long from = Math.max(1, lastSeqNr - SearchTerms.MAX_SCANNED + 1);
    // Streamed: only the newest matches are held, whatever the size of what is read.
    return journal
        .currentEventsByPersistenceId(RoomJournal.persistenceId(key).id(), from, lastSeqNr)
        .map(EventEnvelope::event)
        .filter(RoomJournal.Posted.class::isInstance)
        .map(event -> (RoomJournal.Posted) event)
        .filter(posted -> posted.seq() > purgedUpTo && terms.matches(posted.text()))
        .runFold(new java.util.ArrayDeque<RoomJournal.Posted>(), (newest, posted) -> {
          newest.addFirst(posted);
          if (newest.size() > SearchTerms.MAX_RESULTS) {
            newest.removeLast();
          }
          return newest;
        }, system)
        .thenApply(newest -> newest.stream().map(posted -> message(room, posted)).toList());
  }

  /**
   * Reads of the database under way in this server, at most {@link #MAX_READS}: a crowd asking
   * for old pages and searches gets "busy" instead of taking the pool the rooms write through.
   */
  private static final java.util.concurrent.Semaphore READS =
      new java.util.concurrent.Semaphore(StoredHistory.MAX_READS);

  static final int MAX_READS = 2;

  /** Runs {@code read} if fewer than {@link #MAX_READS} are under way; else fails at once. */
  static CompletionStage<List<Event.Message>> limited(
      java.util.function.Supplier<CompletionStage<List<Event.Message>>> read) {
    if (!READS.tryAcquire()) {
      return java.util.concurrent.CompletableFuture.failedFuture(new Busy());
    }
    try {
      return read.get().whenComplete((messages, failure) -> READS.release());
    } catch (RuntimeException e) {
      READS.release();
      throw e;
    }
  }

  /** Too many reads of the history are under way. */
  static final class Busy extends RuntimeException {
    Busy() {
      super("the server is busy reading history for others; try again in a moment", null,
          false, false);
    }
  }

  /**
   * The messages among entries {@code from} to {@code to}, oldest first, but those a purge took
   * away (numbered up to {@code purgedUpTo}).
   */
  private CompletionStage<List<Event.Message>> read(
      String room, String key, long purgedUpTo, long from, long to) {
    if (to < from) {
      return java.util.concurrent.CompletableFuture.completedFuture(List.of());
    }
    return journal
        .currentEventsByPersistenceId(RoomJournal.persistenceId(key).id(), from, to)
        .map(EventEnvelope::event)
        .filter(RoomJournal.Posted.class::isInstance)
        .map(event -> (RoomJournal.Posted) event)
        .filter(posted -> posted.seq() > purgedUpTo)
        .map(posted -> message(room, posted))
        .runWith(Sink.seq(), system);
  }

  static Event.Message message(String room, RoomJournal.Posted posted) {
    return posted.action()
        ? new Event.Action(posted.time(), room, posted.seq(), posted.from(), posted.text(), false)
        : new Event.Chat(posted.time(), room, posted.seq(), posted.from(), posted.text(), false);
  }
}
