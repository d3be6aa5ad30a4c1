package chat.room;

import chat.protocol.Event;
import chat.protocol.Text;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A room's last messages, numbered from 1 in the order the room saw them. Holds at most {@code
 * capacity} messages and at most {@code maxBytes} of their text (in UTF-8); the oldest go first.
 * Answers what a returning client missed, and how many of those are gone.
 */
public final class History {

  /** What a client missed since a sequence number: the messages still held, and the rest. */
  public record Replay(List<Event.Message> messages, long lost) {}

  private final int capacity;
  private final long maxBytes;
  private final ArrayDeque<Event.Message> messages;
  private long bytes;
  private long lastSeq;

  public History(int capacity, long maxBytes) {
    this.capacity = capacity;
    this.maxBytes = maxBytes;
    this.messages = new ArrayDeque<>(Math.min(capacity, 64));
  }

  /** The number the next message gets. */
  public long nextSeq() {
    return lastSeq + 1;
  }

  public long lastSeq() {
    return lastSeq;
  }

  /** The number of the oldest message held; one past the last if none is. */
  public long firstHeld() {
    return messages.isEmpty() ? lastSeq + 1 : messages.peekFirst().seq();
  }

  public int size() {
    return messages.size();
  }

  /**
   * Goes on from number {@code seq} if it has not reached it: the room's numbering as its journal
   * kept it, when the last numbers are not messages held here.
   */
  public void numberedUpTo(long seq) {
    lastSeq = Math.max(lastSeq, seq);
  }

  /** Lets go of every message; the numbering goes on. */
  public void clear() {
    messages.clear();
    bytes = 0;
  }

  /**
   * Lets go of the messages sent before {@code time} (milliseconds since the epoch) and of all
   * but the newest {@code keep}; returns how many went.
   */
  public int prune(long time, int keep) {
    int before = messages.size();
    while (!messages.isEmpty()
        && (messages.size() > keep || messages.peekFirst().time() < time)) {
      bytes -= Text.utf8Length(messages.removeFirst().text());
    }
    return before - messages.size();
  }

  public void add(Event.Message message) {
    lastSeq = message.seq();
    if (capacity == 0) {
      return;
    }
    messages.addLast(message);
    bytes += Text.utf8Length(message.text());
    while (messages.size() > capacity || bytes > maxBytes) {
      bytes -= Text.utf8Length(messages.removeFirst().text());
    }
  }

  /** The last {@code count} messages, oldest first, marked as history. */
  public List<Event.Message> last(int count) {
    List<Event.Message> result = new ArrayList<>(Math.min(count, messages.size()));
    Iterator<Event.Message> newestFirst = messages.descendingIterator();
    while (newestFirst.hasNext() && result.size() < count) {
      result.add(newestFirst.next().asHistory());
    }
    java.util.Collections.reverse(result);
    return result;
  }

  /**
   * Up to {@code count} messages numbered below {@code before}, oldest first, marked as history;
   * {@code complete} when that is all there is below it (a page that reached the first message,
   * or a full page), false when older messages were let go from memory.
   */
  public record Page(List<Event.Message> messages, boolean complete) {}

  public Page before(long before, int count) {
    List<Event.Message> page = new ArrayList<>();
    Iterator<Event.Message> newestFirst = messages.descendingIterator();
    while (newestFirst.hasNext() && page.size() < count) {
      Event.Message message = newestFirst.next();
      if (message.seq() < before) {
        page.add(message.asHistory());
      }
    }
    java.util.Collections.reverse(page);
    return new Page(page, page.size() == count || firstHeld() <= 1 || before <= 1);
  }

  /** The newest messages (at most {@code limit}) that have all the terms, newest first. */
  List<Event.Message> search(SearchTerms terms, int limit) {
    List<Event.Message> found = new ArrayList<>();
    Iterator<Event.Message> newestFirst = messages.descendingIterator();
    while (newestFirst.hasNext() && found.size() < limit) {
      Event.Message message = newestFirst.next();
      if (terms.matches(message.text())) {
        found.add(message);
      }
    }
    return found;
  }

  /** What came after {@code after}: held messages marked as history, and how many are gone. */
  public Replay since(long after) {
    if (after >= lastSeq) {
      return new Replay(List.of(), 0);
    }
    List<Event.Message> held = new ArrayList<>();
    for (Event.Message message : messages) {
      if (message.seq() > after) {
        held.add(message.asHistory());
      }
    }
    long firstHeld = held.isEmpty() ? lastSeq + 1 : held.get(0).seq();
    return new Replay(held, firstHeld - after - 1);
  }
}
