package chat.room;

import chat.delivery.Delivery;
import chat.protocol.Event;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What a room on a journal has taken and not yet shown: the lines of the write under way, those
 * that wait for the next write (the journal has one write in flight; what comes meanwhile goes
 * in the next, as one {@code persistAll}), and the notices that are to follow some of them.
 * Plain state, kept by the {@link ChatRoom} on its own thread.
 */
final class Unwritten {

  /**
   * Something that waits for the journal, and what the room shows once it is kept: a member's
   * line (with whom to tell if it fails), or a purge (with whom to answer).
   */
  record Line(RoomJournal.Event stored, Event shown, long member, String name,
      ActorRef<Delivery.Command> delivery, ActorRef<ChatRoom.Purged> purgedTo) {}

  private List<Line> writing = new ArrayList<>();
  private List<Line> waiting = new ArrayList<>();
  /** Notices that wait for a line, by the line (its identity: two lines may be equal). */
  private final Map<Line, List<Event>> noticesAfter = new IdentityHashMap<>();

  /** Takes a line for the next write; true if no write is under way (one should start). */
  boolean add(Line line) {
    waiting.add(line);
    return writing.isEmpty();
  }

  /** How many lines wait for the next write. */
  int waiting() {
    return waiting.size();
  }

  boolean isEmpty() {
    return writing.isEmpty() && waiting.isEmpty();
  }

  boolean writing() {
    return !writing.isEmpty();
  }

  /** The lines waiting become the write under way; returns what to write. */
  List<RoomJournal.Event> startWrite() {
    writing = waiting;
    waiting = new ArrayList<>();
    return writing.stream().map(Line::stored).toList();
  }

  /** The write under way is kept: its lines, in order; true in {@link #nextWrite} if more wait. */
  List<Line> written() {
    List<Line> done = writing;
    writing = new ArrayList<>();
    return done;
  }

  /** Whether lines wait for a write (after {@link #written}). */
  boolean nextWrite() {
    return !waiting.isEmpty();
  }

  /** Gives up every line, the write under way first; returns them. */
  List<Line> dropAll() {
    List<Line> lost = new ArrayList<>(writing);
    lost.addAll(waiting);
    writing = new ArrayList<>();
    waiting = new ArrayList<>();
    return lost;
  }

  /** Whether a line of {@code member} is under way or waiting. */
  boolean holds(long member) {
    return writing.stream().anyMatch(line -> line.member() == member)
        || waiting.stream().anyMatch(line -> line.member() == member);
  }

  /** The topic as it will be once every line is written, from {@code now}. */
  Optional<String> topic(Optional<String> now) {
    Optional<String> topic = now;
    for (List<Line> lines : List.of(writing, waiting)) {
      for (Line line : lines) {
        if (line.stored() instanceof RoomJournal.TopicSet set) {
          topic = Optional.ofNullable(set.topic());
        }
      }
    }
    return topic;
  }

  /** Keeps {@code notice} for after the last line; false if none is there (show it now). */
  boolean follow(Event notice) {
    Line last = !waiting.isEmpty() ? waiting.get(waiting.size() - 1)
        : !writing.isEmpty() ? writing.get(writing.size() - 1) : null;
    if (last == null) {
      return false;
    }
    noticesAfter.computeIfAbsent(last, line -> new ArrayList<>()).add(notice);
    return true;
  }

  /** The notices that waited for {@code line}, to show now. */
  List<Event> noticesAfter(Line line) {
    List<Event> notices = noticesAfter.remove(line);
    return notices == null ? List.of() : notices;
  }
}
