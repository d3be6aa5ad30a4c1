package chat.delivery;

import chat.protocol.Event;
import chat.protocol.Mode;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.agrona.collections.Long2ObjectHashMap;
import org.apache.pekko.util.ByteString;

/**
 * One room's batch of entries, offered to the members of this node: each member gets, in one
 * offer, the lines of the batch meant for it. Members who were in the room for the whole batch
 * and sent nothing in it (in text mode one's own posts are not echoed) share the same bytes, one
 * rendering per {@link Encoded.Form}; a member who came in or left within the batch, was sent a
 * line of its own, or posted in text mode gets its own share, built from the same renderings.
 * Crowds of notices become one line each ({@link Crowds}). Plain logic, used by the {@link
 * Delivery} on its thread.
 */
final class Fanout {

  private final String room;
  private final List<Delivery.Entry> entries;
  /** A rendering of each post of the batch, made once and shared by every member that gets it. */
  private final Map<Event, Encoded> encoded = new IdentityHashMap<>();

  Fanout(String room, List<Delivery.Entry> entries) {
    this.room = room;
    this.entries = entries;
  }

  /**
   * Offers the batch to the room's members of this node ({@code present}, by member id, updated
   * by the batch's entries and exits), looking up newcomers among {@code registered}. {@code
   * mark}, new for each batch, marks the members that get a share of their own.
   */
  void deliver(
      Map<Long, LocalMember> present, Long2ObjectHashMap<LocalMember> registered, long mark) {
    List<Event> posts = new ArrayList<>(entries.size());
    List<LocalMember> own = new ArrayList<>();
    for (Delivery.Entry entry : entries) {
      if (entry instanceof Delivery.Post post) {
        posts.add(post.event());
        LocalMember poster = post.from() == 0 ? null : present.get(post.from());
        if (poster != null) {
          poster.posted = mark;
        }
      } else {
        markOwn(member(entry), present, registered, mark, own);
      }
    }
    ByteString[] shared = new ByteString[Encoded.Form.values().length];
    List<Event> sharedEvents = null;
    for (LocalMember member : posts.isEmpty() ? List.<LocalMember>of() : present.values()) {
      if (member.ownShare == mark) {
        continue;
      }
      if (member.mode == Mode.TEXT && member.posted == mark) {
        // In text mode one's own posts are not echoed.
        member.ownShare = mark;
        member.listed = mark;
        own.add(member);
        continue;
      }
      Encoded.Form form = member.form(room);
      if (shared[form.ordinal()] == null) {
        sharedEvents = sharedEvents == null ? Crowds.compress(posts) : sharedEvents;
        shared[form.ordinal()] = render(sharedEvents, form);
      }
      member.offer(shared[form.ordinal()]);
    }
    for (LocalMember member : own) {
      List<Event> share = shareOf(member, present.containsKey(member.id));
      if (!share.isEmpty()) {
        member.offer(render(share, member.form(room)));
      }
    }
    applyMoves(present, registered);
  }

  /**
   * Marks a member named by an entry as getting a share of its own; a member taken over by a new
   * connection gets it there (its old connection, still in the room until the new one comes in,
   * gets nothing).
   */
  private static void markOwn(long id, Map<Long, LocalMember> present,
      Long2ObjectHashMap<LocalMember> registered, long mark, List<LocalMember> own) {
    LocalMember inRoom = present.get(id);
    if (inRoom != null) {
      inRoom.ownShare = mark;
    }
    LocalMember member = registered.get(id);
    if (member == null) {
      member = inRoom;
    }
    if (member != null && member.listed != mark) {
      member.ownShare = mark;
      member.listed = mark;
      own.add(member);
    }
  }

  /** What one member gets of the batch: posts while it is in the room, and lines of its own. */
  private List<Event> shareOf(LocalMember member, boolean inRoom) {
    List<Event> events = new ArrayList<>();
    boolean in = inRoom;
    for (Delivery.Entry entry : entries) {
      if (entry instanceof Delivery.Post post) {
        if (in && !(member.mode == Mode.TEXT && post.from() == member.id)) {
          events.add(post.event());
        }
      } else if (entry instanceof Delivery.To to && to.member() == member.id) {
        events.add(to.event());
      } else if (entry instanceof Delivery.Enter enter && enter.member() == member.id) {
        in = true;
      } else if (entry instanceof Delivery.Exit exit && exit.member() == member.id) {
        in = false;
      }
    }
    return Crowds.compress(events);
  }

  /** Applies the batch's entries and exits to the room's members of this node, in order. */
  private void applyMoves(
      Map<Long, LocalMember> present, Long2ObjectHashMap<LocalMember> registered) {
    for (Delivery.Entry entry : entries) {
      if (entry instanceof Delivery.Enter enter) {
        LocalMember member = registered.get(enter.member());
        if (member != null) {
          present.put(member.key, member);
        }
      } else if (entry instanceof Delivery.Exit exit) {
        present.remove(exit.member());
      }
    }
  }

  /** The lines of the events in {@code form}, as one string of bytes. */
  private ByteString render(List<Event> events, Encoded.Form form) {
    ByteString lines = ByteString.emptyByteString();
    for (Event event : events) {
      lines = lines.concat(encoded.computeIfAbsent(event, Encoded::new).bytes(form));
    }
    return lines;
  }

  private static long member(Delivery.Entry entry) {
    if (entry instanceof Delivery.To to) {
      return to.member();
    }
    return entry instanceof Delivery.Enter enter ? enter.member() : ((Delivery.Exit) entry).member();
  }
}
