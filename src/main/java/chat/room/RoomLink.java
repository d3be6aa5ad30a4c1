package chat.room;

/**
 * Where a member's session sends what is for a room it is in: the room's actor on one server, the
 * room's entity wherever Cluster Sharding keeps it in a cluster (what is sent while it moves
 * waits for it there).
 */
@FunctionalInterface
public interface RoomLink {

  void tell(ChatRoom.Command command);
}
