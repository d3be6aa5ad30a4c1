package chat.room;

import chat.delivery.Crowds;
import chat.delivery.Delivery;
import chat.protocol.Event;
import chat.protocol.Mode;
import chat.protocol.Text;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a room has said since it last sent its lines to the Delivery (chat, and the notices of
 * members coming and going, with the points where members came in): under load many posts go to
 * each member in one offer of shared bytes, instead of one offer per post per member. The {@link
 * ChatRoom} sends it on a message it sends itself once the first post is pending (so a lone post
 * waits for nothing but that message), when its lines pass a bound, and before anything else
 * reaches a member already there. A member who comes in gets only what is posted after it; one who
 * leaves is handed its share at once and is out of the room for the rest. Plain state of the
 * room's.
 */
final class RoomBatch {

  /**
   * Lines pending (in bytes of text, as estimated) that make the room send at once. A notice counts
   * its line until its run is a crowd, then its name, which is what a crowd's line in machine mode
   * grows by.
   */
  static final int FLUSH_BYTES = 16 * 1024;

  /** What a notice's line adds to its name: "... has disconnected unexpectedly.\n". */
  private static final int NOTICE_BYTES = 34;

  /** What a name adds to a crowd's line in machine mode besides itself: quotes and a comma. */
  private static final int NAME_BYTES = 3;

  private final List<Delivery.Entry> entries = new ArrayList<>();
  /** Where the share of each member who came in during this batch starts. */
  private final Map<Long, Integer> starts = new HashMap<>();
  private int bytes;
  /** The number of the last message posted since the last drain; 0 if none. */
  private long lastMessage;
  /** Notices of one kind in a row at the end of the batch, and of which kind. */
  private int run;
  private Object runKind;

  boolean isEmpty() {
    return entries.isEmpty();
  }

  /**
   * A message for every member but, in text mode, its sender.
   *
   * @return whether the pending lines passed {@link #FLUSH_BYTES}
   */
  boolean post(Event.Message message, String from, long sender) {
    entries.add(new Delivery.Post(message, sender));
    lastMessage = message.seq();
    run = 0;
    bytes += from.length() + Text.utf8Length(message.text()) + 4;
    return bytes >= FLUSH_BYTES;
  }

  /**
   * A line for every member in the room: a notice of someone coming or going, a rename, a topic.
   *
   * @return whether the pending lines passed {@link #FLUSH_BYTES}
   */
  boolean notice(Event notice, String subject) {
    entries.add(new Delivery.Post(notice, 0));
    Object kind = Crowds.kindOf(notice);
    run = kind != null && kind.equals(runKind) ? run + 1 : 1;
    runKind = kind;
    bytes += subject.length() + (kind != null && run > Crowds.CROWD ? NAME_BYTES : NOTICE_BYTES);
    return bytes >= FLUSH_BYTES;
  }

  /** A line for one member, in its place among the room's. */
  void to(long member, Event event) {
    entries.add(new Delivery.To(member, event));
  }

  /** The member is in the room from here on, and gets only what follows. */
  void enter(long member) {
    entries.add(new Delivery.Enter(member));
    starts.put(member, entries.size());
  }

  /**
   * The member leaves: returns its share of what is pending (what it would have got at the next
   * send: the posts since it came in, but its own in text mode), and takes it out of the room from
   * where its share began, so that the next send does not give it those lines again.
   */
  List<Event> leave(long member, Mode mode) {
    int from = starts.getOrDefault(member, 0);
    List<Event> share = new ArrayList<>();
    for (int i = from; i < entries.size(); i++) {
      Delivery.Entry entry = entries.get(i);
      if (entry instanceof Delivery.Post post
          && !(mode == Mode.TEXT && post.from() == member)) {
        share.add(post.event());
      } else if (entry instanceof Delivery.To to && to.member() == member) {
        share.add(to.event());
      }
    }
    entries.add(from, new Delivery.Exit(member));
    starts.remove(member);
    starts.replaceAll((other, start) -> start > from ? start + 1 : start);
    return Crowds.compress(share);
  }

  /** The number of the last message posted since the last drain; 0 if none. */
  long lastMessage() {
    return lastMessage;
  }

  /** The pending entries, to send now; the batch starts again empty. */
  List<Delivery.Entry> drain() {
    List<Delivery.Entry> drained = List.copyOf(entries);
    entries.clear();
    starts.clear();
    bytes = 0;
    lastMessage = 0;
    run = 0;
    runKind = null;
    return drained;
  }
}
