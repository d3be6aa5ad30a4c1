package chat.server;

import chat.protocol.Names;
import chat.protocol.RoomNames;
import chat.room.ChatRoom;
import chat.room.RoomLink;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A joined client as its {@link Session} knows it: its member number, name and resume token, the
 * rooms it is in (in the order it joined them) and the current one, where its lines go, when it
 * joined, and whether it is away. Plain state of the session's.
 */
final class Membership {

  /**
   * A room the member is in, by its key, and where what is for the room goes: to {@code ref},
   * the room's actor, or (ref null) through Cluster Sharding while the room comes back.
   */
  record Room(String name, String key, ActorRef<ChatRoom.Command> ref, RoomLink link) {}

  final long id;
  final String token;
  /** When this connection's join was granted, server time in milliseconds. */
  final long since;
  String name;
  /** The away text; null if the member is not away. */
  private String away;
  /** Who has been told the member is away since it was marked so, by folded name; or null. */
  private Set<String> toldAway;
  /**
   * In the order joined: a few at most, so a list, and an immutable one that changes only when a
   * room comes or goes (one room costs a member no array).
   */
  private List<Room> rooms = List.of();
  /** The current room's name; null if the member is in no room. */
  private String current;
  private String currentKey;
  /** The current room if the member is in it (looked up once, not for every line). */
  private Room currentRoom;

  Membership(long id, String name, String token, long since) {
    this.id = id;
    this.name = name;
    this.token = token;
    this.since = since;
  }

  /** The away text; null if the member is not away. */
  String away() {
    return away;
  }

  /** Marks the member away with {@code text}, or (null) back; nobody has been told of it yet. */
  void markAway(String text) {
    away = text;
    toldAway = null;
  }

  /**
   * Whether someone who sent the member a private message is to be told it is away: once per
   * sender (by name, in any case) while it stays so; never the member itself.
   */
  boolean tellAway(String sender) {
    if (away == null || Names.same(sender, name)) {
      return false;
    }
    if (toldAway == null) {
      toldAway = new HashSet<>();
    }
    return toldAway.add(Names.fold(sender));
  }

  /** The room of that name the member is in; null if it is in no such room. */
  Room room(String name) {
    return name == null ? null : byKey(RoomNames.key(name));
  }

  private Room byKey(String key) {
    for (Room room : rooms) {
      if (room.key().equals(key)) {
        return room;
      }
    }
    return null;
  }

  /** The current room's name; null if none. */
  String current() {
    return current;
  }

  /** The current room if the member is in it; null if not (or not yet). */
  Room currentRoom() {
    return currentRoom;
  }

  void makeCurrent(String room) {
    current = room;
    currentKey = room == null ? null : RoomNames.key(room);
    currentRoom = room == null ? null : byKey(currentKey);
  }

  boolean isCurrent(String room) {
    return currentKey != null && currentKey.equals(RoomNames.key(room));
  }

  void entered(String room, ActorRef<ChatRoom.Command> ref, RoomLink link) {
    String key = RoomNames.key(room);
    Room entered = new Room(room, key, ref, link);
    Room known = byKey(key);
    List<Room> changed = new ArrayList<>(rooms);
    if (known == null) {
      changed.add(entered);
    } else {
      changed.set(rooms.indexOf(known), entered); // a room back after a restart keeps its place
    }
    rooms = List.copyOf(changed);
    if (key.equals(currentKey)) {
      currentRoom = entered;
    }
  }

  void left(String room) {
    String key = RoomNames.key(room);
    List<Room> changed = new ArrayList<>(rooms);
    changed.removeIf(known -> known.key().equals(key));
    rooms = List.copyOf(changed);
    if (key.equals(currentKey)) {
      currentRoom = null;
    }
  }

  List<Room> rooms() {
    return rooms;
  }

  /** The room joined last; null if none. */
  String lastRoom() {
    return rooms.isEmpty() ? null : rooms.get(rooms.size() - 1).name();
  }

  List<String> roomNames() {
    List<String> names = new ArrayList<>(rooms.size());
    rooms.forEach(room -> names.add(room.name()));
    return names;
  }
}
