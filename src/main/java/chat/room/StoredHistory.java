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
  CompletionStage<List<Event.Message>> tail(String room, String key, long lastSeqNr, int events) {
    long from = Math.max(1, lastSeqNr - events + 1);
    return journal
        .currentEventsByPersistenceId(RoomJournal.persistenceId(key).id(), from, lastSeqNr)
        .map(EventEnvelope::event)
        .filter(RoomJournal.Posted.class::isInstance)
        .map(event -> message(room, (RoomJournal.Posted) event))
        .runWith(Sink.seq(), system);
  }

  static Event.Message message(String room, RoomJournal.Posted posted) {
    return posted.action()
        ? new Event.Action(posted.time(), room, posted.seq(), posted.from(), posted.text(), false)
        : new Event.Chat(posted.time(), room, posted.seq(), posted.from(), posted.text(), false);
  }
}
