package chat.room;

import com.typesafe.config.Config;
import java.time.Duration;

/** What the rooms keep, read once from {@code chat.room}. */
public record RoomSettings(
    int historySize,
    long historyBytes,
    int historyOnJoin,
    int maxRooms,
    int maxTopicLength,
    int maxRoomsPerMember,
    Duration stopWhenEmptyAfter) {

  /**
   * What a kept message holds beyond its text, as a bound: the message itself, its strings'
   * headers, the sender's name (kept after the sender has gone) and its slot in the history.
   */
  static final int MESSAGE_OVERHEAD_BYTES = 200;

  public RoomSettings {
    if (historySize < 0 || historyBytes < 0 || historyOnJoin < 0) {
      throw new IllegalArgumentException("chat.room history sizes cannot be negative");
    }
    if (maxRooms < 1 || maxTopicLength < 1 || maxRoomsPerMember < 1) {
      throw new IllegalArgumentException(
          "chat.room.max-rooms, max-topic-length and max-rooms-per-member must be positive");
    }
    if (stopWhenEmptyAfter.isNegative()) {
      throw new IllegalArgumentException("chat.room.stop-when-empty-after cannot be negative");
    }
  }

  /** Defaults but for the history sizes, for tests. */
  public RoomSettings(int historySize, int historyOnJoin) {
    this(historySize, 256 << 10, historyOnJoin, 1000, 300, 20, Duration.ofSeconds(10));
  }

  /** The most memory the rooms' histories can hold, every room full: what the heap needs. */
  public long worstCaseHistoryBytes() {
    return (long) maxRooms * (historyBytes + (long) historySize * MESSAGE_OVERHEAD_BYTES);
  }

  public static RoomSettings fromConfig(Config config) {
    Config room = config.getConfig("chat.room");
    return new RoomSettings(
        room.getInt("history-size"),
        room.getBytes("history-bytes"),
        room.getInt("history-on-join"),
        room.getInt("max-rooms"),
        room.getInt("max-topic-length"),
        room.getInt("max-rooms-per-member"),
        room.getDuration("stop-when-empty-after"));
  }
}
