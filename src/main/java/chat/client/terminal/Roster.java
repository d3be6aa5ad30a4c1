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
 * The people and rooms the client has heard of, for Tab completion: learnt from the events that
 * name them (room entries, who lists, room lists, joins and leaves, one by one or in crowds,
 * renames, messages). Updated on the link's thread by {@link TerminalSession}, read by {@link
 * ChatCompleter} on the input thread; each read gets an immutable, sorted copy.
 */
public final class Roster {

  private final Map<String, String> people = new HashMap<>();
  private final Map<String, String> rooms = new HashMap<>();
  private volatile List<String> peopleView = List.of();
  private volatile List<String> roomsView = List.of();

  /** Learns from one event. */
  public synchronized void update(Event event) {
    if (event instanceof Event.Welcome welcome) {
      addPerson(welcome.name());
      addRoom(welcome.room());
    } else if (event instanceof Event.Entered entered) {
      addRoom(entered.room());
      entered.members().forEach(this::addPerson);
    } else if (event instanceof Event.Who who) {
      if (who.room() == null) {
        people.clear(); // the whole server: exactly these are online
      }
      who.members().forEach(member -> {
        addPerson(member.name());
        addRoom(member.room());
      });
    } else if (event instanceof Event.RoomList list) {
      rooms.clear();
      list.rooms().forEach(room -> addRoom(room.room()));
    } else if (event instanceof Event.Joined joined) {
      addPerson(joined.name());
      addRoom(joined.room());
    } else if (event instanceof Event.Left left) {
      if (left.how() == Event.Departure.MOVED) {
        addRoom(left.detail()); // still online, now there
      } else {
        removePerson(left.name());
      }
    } else if (event instanceof Event.Joins joins) {
      joins.names().forEach(this::addPerson);
      addRoom(joins.room());
    } else if (event instanceof Event.Leaves leaves) {
      if (leaves.how() != Event.Departure.MOVED) {
        leaves.names().forEach(this::removePerson);
      }
    } else if (event instanceof Event.Renamed renamed) {
      removePerson(renamed.old());
      addPerson(renamed.name());
    } else if (event instanceof Event.Private message) {
      addPerson(message.from());
      addPerson(message.to());
    } else if (event instanceof Event.Chat chat && !chat.history()) {
      addPerson(chat.from());
    } else if (event instanceof Event.Action action && !action.history()) {
      addPerson(action.from());
    }
    peopleView = sorted(people);
    roomsView = sorted(rooms);
  }

  /** The names of people known to be online, sorted without regard to case. */
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
