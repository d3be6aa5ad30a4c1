package chat.room;

import java.util.List;
import java.util.Optional;

/**
 * What outlives a room's actor: its name as first written, its topic and its numbered history.
 * The {@link RoomDirectory} opens a room's record when it starts the room and forgets the records
 * of rooms no one uses; the {@link ChatRoom} reads and writes its own record only. Kept in memory
 * today ({@link MemoryRoomStore}); a durable store keeps the same records.
 */
public interface RoomStore {

  /** One room's kept state. Its history is the room's to change, from the room's thread only. */
  interface Record {
    String name();

    History history();

    Optional<String> topic();

    void topic(String topic);

    /** Whether the room has history in a database that this record has not read yet. */
    boolean stored();

    void stored(boolean stored);

    /** Whether the record keeps nothing: no message, no topic, nothing in a database. */
    default boolean isBlank() {
      return history().lastSeq() == 0 && topic().isEmpty() && !stored();
    }
  }

  /** The room's record, made (blank, under {@code name}) if it has none. */
  Record open(String name);

  /** The record of the room with that key, if there is one. */
  Optional<Record> find(String key);

  /** Forgets the room with that key: its history and topic. */
  void forget(String key);

  /** The records kept, oldest first. */
  List<Record> records();
}
