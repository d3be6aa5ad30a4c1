package chat.room;

import chat.protocol.Event;
import chat.protocol.RoomNames;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Reads a room's messages back from the journal: its last ones when it starts, older pages,
 * what a returning client missed, searches. A message is found by its number through the marks
 * of the journal's state ({@link RoomJournal.State#entryFrom}), however many topics sit among
 * the messages; reads are streamed and stop at the last message asked for.
 */
final class StoredHistory {

  private final JdbcReadJournal journal;
  private final ActorSystem<?> system;

  StoredHistory(ActorSystem<?> system) {
    this.system = system;
    this.journal = PersistenceQuery.get(system)
        .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
  }

  /**
   * The messages numbered {@code from} to {@code to} that the journal still has (none a purge
   * took away), oldest first.
   */
  CompletionStage<List<Event.Message>> messages(
      String room, RoomJournal.State state, long from, long to) {
    long first = Math.max(from, state.purgedUpTo() + 1);
    long last = Math.min(to, state.lastSeq());
    if (last < first) {
      return CompletableFuture.completedFuture(List.of());
    }
    return posted(room, state.entryFrom(first))
        .takeWhile(posted -> posted.seq() <= last)
        .filter(posted -> posted.seq() >= first)
        .map(posted -> message(room, posted))
        .runWith(Sink.seq(), system);
  }

  /** Up to {@code count} messages numbered below {@code before}, oldest first, as history. */
  CompletionStage<List<Event.Message>> page(
      String room, RoomJournal.State state, long before, int count) {
    return messages(room, state, before - count, before - 1)
        .thenApply(messages -> messages.stream().map(Event.Message::asHistory).toList());
  }

  /**
   * The newest messages with all the terms among the room's last {@link
   * SearchTerms#MAX_SCANNED}, at most {@link SearchTerms#MAX_RESULTS}, newest first.
   */
  CompletionStage<List<Event.Message>> search(
      String room, RoomJournal.State state, SearchTerms terms) {
    long first = Math.max(state.purgedUpTo() + 1, state.lastSeq() - SearchTerms.MAX_SCANNED + 1);
    // Streamed: only the newest matches are held, whatever the size of what is read.
    return posted(room, state.entryFrom(first))
        .takeWhile(posted -> posted.seq() <= state.lastSeq())
        .filter(posted -> posted.seq() >= first && terms.matches(posted.text()))
        .runFold(new ArrayDeque<RoomJournal.Posted>(), (newest, posted) -> {
          newest.addFirst(posted);
          if (newest.size() > SearchTerms.MAX_RESULTS) {
            newest.removeLast();
          }
          return newest;
        }, system)
        .thenApply(newest -> newest.stream().map(posted -> message(room, posted)).toList());
  }

  /** The room's messages as the journal has them from entry {@code entry} on. */
  private Source<RoomJournal.Posted, ?> posted(String room, long entry) {
    String id = RoomJournal.persistenceId(RoomNames.key(room)).id();
    return journal
        .currentEventsByPersistenceId(id, entry, Long.MAX_VALUE)
        .map(EventEnvelope::event)
        .filter(RoomJournal.Posted.class::isInstance)
        .map(event -> (RoomJournal.Posted) event);
  }

  static Event.Message message(String room, RoomJournal.Posted posted) {
    return posted.action()
        ? new Event.Action(posted.time(), room, posted.seq(), posted.from(), posted.text(), false)
        : new Event.Chat(posted.time(), room, posted.seq(), posted.from(), posted.text(), false);
  }
}
