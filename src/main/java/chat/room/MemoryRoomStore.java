package chat.room;

import chat.protocol.RoomNames;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rooms' records in this server's memory: they outlive the rooms' actors, not the server.
 * Used by the directory and the rooms, each room only through its own record.
 */
public final class MemoryRoomStore implements RoomStore {

  private final RoomSettings settings;
  /** By the room's key, in the order the rooms were made. */
  private final Map<String, MemoryRecord> records =
      Collections.synchronizedMap(new LinkedHashMap<>());

  public MemoryRoomStore(RoomSettings settings) {
    this.settings = settings;
  }

  private static final class MemoryRecord implements Record {
    private final String name;
    private final History history;
    private volatile String topic;
    private volatile boolean stored;

    MemoryRecord(String name, RoomSettings settings) {
      this.name = name;
      this.history = new History(settings.historySize(), settings.historyBytes());
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public History history() {
      return history;
    }

    @Override
    public Optional<String> topic() {
      return Optional.ofNullable(topic);
    }

    @Override
    public void topic(String topic) {
      this.topic = topic;
    }

    @Override
    public boolean stored() {
      return stored;
    }

    @Override
    public void stored(boolean stored) {
      this.stored = stored;
    }
  }

  @Override
  public Record open(String name) {
    return records.computeIfAbsent(RoomNames.key(name), key -> new MemoryRecord(name, settings));
  }

  @Override
  public Optional<Record> find(String key) {
    return Optional.ofNullable(records.get(key));
  }

  @Override
  public void forget(String key) {
    records.remove(key);
  }

  @Override
  public List<Record> records() {
    synchronized (records) {
      return new ArrayList<>(records.values());
    }
  }
}
