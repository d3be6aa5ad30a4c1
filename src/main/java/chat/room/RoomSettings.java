package chat.room;

import com.typesafe.config.Config;

/** What the rooms keep, read once from {@code chat.room}. */
public record RoomSettings(int historySize, int historyOnJoin, int maxRooms, int maxTopicLength) {

  public RoomSettings {
    if (historySize < 0 || historyOnJoin < 0) {
      throw new IllegalArgumentException("chat.room history sizes cannot be negative");
    }
    if (maxRooms < 1 || maxTopicLength < 1) {
      throw new IllegalArgumentException("chat.room.max-rooms and max-topic-length must be positive");
    }
  }

  /** Defaults but for the history sizes, for tests. */
  public RoomSettings(int historySize, int historyOnJoin) {
    this(historySize, historyOnJoin, 1000, 300);
  }

  public static RoomSettings fromConfig(Config config) {
    Config room = config.getConfig("chat.room");
    return new RoomSettings(
        room.getInt("history-size"),
        room.getInt("history-on-join"),
        room.getInt("max-rooms"),
        room.getInt("max-topic-length"));
  }
}
