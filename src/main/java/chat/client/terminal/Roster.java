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
 * The people in each of the client's rooms and the rooms it has heard of, for Tab completion. A
 * room's members come whole with every entry into it (a join, a move, a resume) and with {@code
 * /who}, and are kept current by every join, leave, crowd and rename in it, the only changes the
 * server tells a member of; people elsewhere are left out, since nothing would say when they
 * leave or change their names. Updated on the link's thread by {@link TerminalSession}, read by
 * {@link ChatCompleter} on the input thread; each read gets an immutable, sorted copy.
 */
public final class Roster {

  /** Per room key: the people there, by folded name. */
  private final Map<String, Map<String, String>> people = new HashMap<>();
  private final Map<String, String> rooms = new HashMap<>();
  /** The key of the client's current room; null before it is in one. */
  private String room;
  private volatile Map<String, List<String>> peopleView = Map.of();
  private volatile List<String> roomsView = List.of();

  /** Learns from one event. */
  public synchronized void update(Event event) {
    if (event instanceof Event.Message || event instanceof Event.Private) {
      return; // the most common lines change no one's presence
    }
    if (event instanceof Event.Entered entered) {
      addRoom(entered.room());
      String key = RoomNames.key(entered.room());
      if (entered.current()) {
        room = key;
      }
      Map<String, String> here = new HashMap<>();
      entered.members().forEach(name -> add(here, name, Names::fold));
      people.put(key, here);
    } else if (event instanceof Event.Who who) {
      learnWho(who);
    } else if (event instanceof Event.RoomList list) {
      rooms.clear();
      list.rooms().forEach(known -> addRoom(known.room()));
    } else if (event instanceof Event.Joined joined) {
      addRoom(joined.room());
      in(joined.room(), here -> add(here, joined.name(), Names::fold));
    } else if (event instanceof Event.Left left) {
      in(left.room(), here -> here.remove(Names.fold(left.name())));
    } else if (event instanceof Event.Joins joins) {
      in(joins.room(), here -> joins.names().forEach(name -> add(here, name, Names::fold)));
    } else if (event instanceof Event.Leaves leaves) {
      in(leaves.room(), here -> leaves.names().forEach(name -> here.remove(Names.fold(name))));
    } else if (event instanceof Event.Renamed renamed) {
      in(renamed.room(), here -> {
        here.remove(Names.fold(renamed.old()));
        add(here, renamed.name(), Names::fold);
      });
    }
    Map<String, List<String>> view = new HashMap<>();
    people.forEach((key, here) -> view.put(key, sorted(here)));
    peopleView = Map.copyOf(view);
    roomsView = sorted(rooms);
  }

  /** Who is in a room, or on the server: exactly these are in the rooms of ours it names. */
  private void learnWho(Event.Who who) {
    if (who.room() != null) {
      in(who.room(), here -> {
        here.clear();
        who.members().forEach(member -> add(here, member.name(), Names::fold));
      });
      return;
    }
    people.values().forEach(Map::clear);
    who.members().forEach(member -> {
      addRoom(member.room());
      in(member.room(), here -> add(here, member.name(), Names::fold));
    });
  }

  private void in(String someRoom, java.util.function.Consumer<Map<String, String>> change) {
    Map<String, String> here = someRoom == null ? null : people.get(RoomNames.key(someRoom));
    if (here != null) {
      change.accept(here);
    }
  }

  /** The names of the people in the client's current room, sorted without regard to case. */
  public List<String> people() {
    return room == null ? List.of() : people(room);
  }

  /** The names of the people in one of the client's rooms, sorted without regard to case. */
  public List<String> people(String someRoom) {
    return peopleView.getOrDefault(RoomNames.key(someRoom), List.of());
  }

  /** The rooms known, with their {@code #}, sorted without regard to case. */
  public List<String> rooms() {
    return roomsView;
  }

  private void addRoom(String someRoom) {
    add(rooms, someRoom, RoomNames::key);
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
