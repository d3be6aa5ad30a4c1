package chat.room;

import com.typesafe.config.Config;

/** What the rooms keep, read once from {@code chat.room}. */
public record RoomSettings(int historySize, int historyOnJoin) {

  public RoomSettings {
    if (historySize < 0 || historyOnJoin < 0) {
      throw new IllegalArgumentException("chat.room history sizes cannot be negative");
    }
  }

  public static RoomSettings fromConfig(Config config) {
    Config room = config.getConfig("chat.room");
    return new RoomSettings(room.getInt("history-size"), room.getInt("history-on-join"));
  }
}
