package chat.delivery;

import chat.protocol.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * A crowd coming or going together costs each member one line, not one per person: a run of at
 * least {@link #CROWD} notices of the same kind in a row (joined the chat; left it, or a room, the
 * same way) among the lines a member gets is delivered as one {@link Event.Joins} or {@link
 * Event.Leaves}. Without that, 5,000 joining a room would send its members 12.5 million join lines.
 * Plain logic, used by the {@link Delivery} and by a room that hands a leaving member its share.
 */
public final class Crowds {

  /** Notices of one kind in a row that go out as one crowd line. */
  public static final int CROWD = 4;

  private Crowds() {}

  /** What run of notices an event belongs to: joins, or leaves of one kind; null for others. */
  public record Kind(boolean joins, Event.Departure how) {}

  /** The kind of notice the event is, if it can be part of a crowd; null if not. */
  public static Kind kindOf(Event event) {
    if (event instanceof Event.Joined joined && !joined.moved()) {
      return new Kind(true, null);
    }
    if (event instanceof Event.Left left && left.detail() == null) {
      return new Kind(false, left.how());
    }
    return null;
  }

  /** The name a notice is about. */
  private static String subject(Event event) {
    return event instanceof Event.Joined joined ? joined.name() : ((Event.Left) event).name();
  }

  /** The events as a member gets them, each run of {@link #CROWD} or more notices as one. */
  public static List<Event> compress(List<Event> events) {
    List<Event> out = new ArrayList<>(events.size());
    int i = 0;
    while (i < events.size()) {
      Kind kind = kindOf(events.get(i));
      int end = i + 1;
      while (kind != null && end < events.size() && kind.equals(kindOf(events.get(end)))) {
        end++;
      }
      if (end - i >= CROWD) {
        out.add(crowd(events.subList(i, end), kind));
      } else {
        out.addAll(events.subList(i, end));
      }
      i = end;
    }
    return out;
  }

  private static Event crowd(List<Event> run, Kind kind) {
    Event first = run.get(0);
    List<String> names = new ArrayList<>(run.size());
    run.forEach(event -> names.add(subject(event)));
    String room = first instanceof Event.Joined joined ? joined.room() : ((Event.Left) first).room();
    return kind.joins()
        ? new Event.Joins(first.time(), room, names)
        : new Event.Leaves(first.time(), room, names, kind.how());
  }
}
