package chat.server;

import chat.protocol.RoomNames;
import chat.room.ChatRoom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A joined client as its {@link Session} knows it: its member number, name and resume token, the
 * rooms it is in (in the order it joined them) and the current one, where its lines go. Plain
 * state of the session's.
 */
final class Membership {

  /** A room the member is in, and the room's actor. */
  record Room(String name, ActorRef<ChatRoom.Command> ref) {}

  final long id;
  final String token;
  String name;
  /** By the room's key, in the order joined. */
  private final Map<String, Room> rooms = new LinkedHashMap<>();
  /** The current room's name; null if the member is in no room. */
  private String current;
  private String currentKey;
  /** The current room if the member is in it (looked up once, not for every line). */
  private Room currentRoom;

  Membership(long id, String name, String token) {
    this.id = id;
    this.name = name;
    this.token = token;
  }

  /** The room of that name the member is in; null if it is in no such room. */
  Room room(String name) {
    return name == null ? null : rooms.get(RoomNames.key(name));
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
    currentRoom = room == null ? null : rooms.get(currentKey);
  }

  boolean isCurrent(String room) {
    return currentKey != null && currentKey.equals(RoomNames.key(room));
  }

  void entered(String room, ActorRef<ChatRoom.Command> ref) {
    String key = RoomNames.key(room);
    Room entered = new Room(room, ref);
    rooms.put(key, entered);
    if (key.equals(currentKey)) {
      currentRoom = entered;
    }
  }

  void left(String room) {
    String key = RoomNames.key(room);
    rooms.remove(key);
    if (key.equals(currentKey)) {
      currentRoom = null;
    }
  }

  Collection<Room> rooms() {
    return rooms.values();
  }

  /** The room joined last; null if none. */
  String lastRoom() {
    String last = null;
    for (Room room : rooms.values()) {
      last = room.name();
    }
    return last;
  }

  List<String> roomNames() {
    List<String> names = new ArrayList<>(rooms.size());
    rooms.values().forEach(room -> names.add(room.name()));
    return names;
  }
}
