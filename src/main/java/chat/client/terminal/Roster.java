package chat.client.terminal;

import chat.protocol.Event;
import chat.protocol.Names;
import chat.protocol.RoomNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The people in the client's room and the rooms it has heard of, for Tab completion. The room's
 * members come whole with every entry into a room (a join, a move, a resume) and with {@code /who},
 * and are kept current by every join, leave, crowd and rename in that room, the only changes the
 * server tells a member of; people elsewhere are left out, since nothing would say when they leave
 * or change their names. Updated on the link's thread by {@link TerminalSession}, read by {@link
 * ChatCompleter} on the input thread; each read gets an immutable, sorted copy.
 */
public final class Roster {

  private final Map<String, String> people = new HashMap<>();
  private final Map<String, String> rooms = new HashMap<>();
  /** The key of the room the client is in; null before it is in one. */
  private String room;
  private volatile List<String> peopleView = List.of();
  private volatile List<String> roomsView = List.of();

  /** Learns from one event. */
  public synchronized void update(Event event) {
    if (event instanceof Event.Entered entered) {
      addRoom(entered.room());
      if (entered.current()) {
        room = RoomNames.key(entered.room());
        people.clear();
        entered.members().forEach(this::addPerson);
      }
    } else if (event instanceof Event.Who who) {
      learnWho(who);
    } else if (event instanceof Event.RoomList list) {
      rooms.clear();
      list.rooms().forEach(known -> addRoom(known.room()));
    } else if (event instanceof Event.Joined joined) {
      addRoom(joined.room());
      ifHere(joined.room(), () -> addPerson(joined.name()));
    } else if (event instanceof Event.Left left) {
      ifHere(left.room(), () -> removePerson(left.name()));
    } else if (event instanceof Event.Joins joins) {
      ifHere(joins.room(), () -> joins.names().forEach(this::addPerson));
    } else if (event instanceof Event.Leaves leaves) {
      ifHere(leaves.room(), () -> leaves.names().forEach(this::removePerson));
    } else if (event instanceof Event.Renamed renamed) {
      ifHere(renamed.room(), () -> {
        removePerson(renamed.old());
        addPerson(renamed.name());
      });
    }
    peopleView = sorted(people);
    roomsView = sorted(rooms);
  }

  /** Who is in a room, or on the server: exactly these are in the client's room now. */
  private void learnWho(Event.Who who) {
    if (who.room() != null && !RoomNames.key(who.room()).equals(room)) {
      return;
    }
    people.clear();
    who.members().forEach(member -> {
      addRoom(member.room());
      ifHere(member.room(), () -> addPerson(member.name()));
    });
  }

  private void ifHere(String someRoom, Runnable change) {
    if (someRoom != null && RoomNames.key(someRoom).equals(room)) {
      change.run();
    }
  }

  /** The names of the people in the client's room, sorted without regard to case. */
  public List<String> people() {
    return peopleView;
  }

  /** The rooms known, with their {@code #}, sorted without regard to case. */
  public List<String> rooms() {
    return roomsView;
  }

  private void addPerson(String name) {
    add(people, name, Names::fold);
  }

  private void removePerson(String name) {
    people.remove(Names.fold(name));
  }

  private void addRoom(String room) {
    add(rooms, room, RoomNames::key);
  }

  private static void add(Map<String, String> known, String name, Function<String, String> key) {
    if (name != null && !name.isBlank()) {
      known.put(key.apply(name), name);
    }
  }

  private static List<String> sorted(Map<String, String> known) {
    List<String> names = new ArrayList<>(known.values());
    names.sort(String.CASE_INSENSITIVE_ORDER);
    return List.copyOf(names);
  }
}
