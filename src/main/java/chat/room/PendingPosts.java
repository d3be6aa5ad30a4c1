package chat.room;

import chat.protocol.Event;
import chat.protocol.Mode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.util.ByteString;

/**
 * What was posted to rooms since the room last flushed (chat, and the notices of members coming
 * and going): under load many posts go to each member in one offer of bytes shared by every
 * member in the same mode, instead of one offer per post per member. The {@link ChatRoom}
 * flushes on a message it sends itself once the first post is pending (so a lone post waits for
 * nothing but that message), when the pending bytes pass a bound, and before anything else
 * reaches a member already there, so every member gets its lines in order. A member who comes
 * in gets only what is posted after it ({@link #startNow}); one who goes is no longer in the
 * room when the posts are delivered.
 *
 * <p>A crowd coming or going together costs each member one line, not one per person: a run of
 * at least {@link #CROWD} notices of the same kind (joined the chat, or left the same way) is
 * delivered as one {@link Event.Joins} or {@link Event.Leaves}. Without that, 5,000 joining a
 * room would send its members 12.5 million join lines. Plain state, used only inside the
 * ChatRoom actor.
 */
final class PendingPosts {

  /**
   * Pending bytes (per mode) that make the room flush at once. A notice counts its line until its
   * run is a crowd, then its name, which is what a crowd's line in machine mode grows by.
   */
  static final int FLUSH_BYTES = 16 * 1024;

  /** Notices of one kind in a row that go out as one crowd line. */
  static final int CROWD = 4;

  /** What a name adds to a crowd's line in machine mode besides itself: quotes and a comma. */
  private static final int NAME_BYTES = 3;

  /** A post, and the run of notices of its kind it belongs to, if it is such a notice. */
  private record Post(Encoded encoded, Member sender, Run run) {}

  /**
   * Notices of one kind in a row, from {@code start} in the room's posts: {@code how} is null for
   * joins. A member whose share starts within the run gets the names from there on.
   */
  private record Run(int start, String room, Event.Departure how, List<String> names) {

    int end() {
      return start + names.size();
    }

    /** The run from the post at {@code from} on, as one event (of the first one's time). */
    Event crowd(List<Post> posts, int from) {
      long time = posts.get(from).encoded().event().time();
      List<String> rest = names.subList(from - start, names.size());
      return how == null
          ? new Event.Joins(time, room, rest)
          : new Event.Leaves(time, room, rest, how);
    }
  }

  /** A room's pending posts, and who sent them: asked of every member at each flush. */
  private record Posts(List<Post> list, Set<Member> senders) {
    Posts() {
      this(new ArrayList<>(), new HashSet<>());
    }
  }

  private final Map<Room, Posts> byRoom = new LinkedHashMap<>();
  private int bytes;
  /** Counts flushes, so a member's {@link Member#pendingFrom} from an earlier one is ignored. */
  private long epoch;

  boolean isEmpty() {
    return byRoom.isEmpty();
  }

  /**
   * Adds a post for every member of the room but the sender (who, in machine mode, gets it too).
   *
   * @return whether the pending bytes passed {@link #FLUSH_BYTES}
   */
  boolean add(Room room, Encoded encoded, Member sender) {
    Posts posts = byRoom.computeIfAbsent(room, r -> new Posts());
    Run run = runFor(posts.list(), encoded.event());
    posts.list().add(new Post(encoded, sender, run));
    if (sender != null) {
      posts.senders().add(sender);
    }
    bytes += run == null || run.names().size() < CROWD
        ? encoded.bytes(Mode.TEXT).length()
        : run.names().get(run.names().size() - 1).length() + NAME_BYTES;
    return bytes >= FLUSH_BYTES;
  }

  /**
   * The run a notice joins (the last post's, if of its kind, else a new one), with its name added;
   * null for any other post.
   */
  private static Run runFor(List<Post> posts, Event event) {
    String room;
    String name;
    Event.Departure how;
    if (event instanceof Event.Joined joined && !joined.moved()) {
      room = joined.room();
      name = joined.name();
      how = null;
    } else if (event instanceof Event.Left left
        && left.how() != Event.Departure.MOVED && left.detail() == null) {
      room = left.room();
      name = left.name();
      how = left.how();
    } else {
      return null;
    }
    Run last = posts.isEmpty() ? null : posts.get(posts.size() - 1).run();
    Run run = last != null && last.how() == how
        ? last
        : new Run(posts.size(), room, how, new ArrayList<>());
    run.names().add(name);
    return run;
  }

  /** The member, just come into the room, gets only what is added from now on. */
  void startNow(Room room, Member member) {
    Posts posts = byRoom.get(room);
    member.pendingEpoch = epoch;
    member.pendingFrom = posts == null ? 0 : posts.list().size();
  }

  /** Offers every room's pending posts to its members, and forgets them. */
  void flush() {
    byRoom.forEach(this::deliver);
    byRoom.clear();
    bytes = 0;
    epoch++;
  }

  /**
   * Offers one member, about to leave its room, its share of what is pending there now; the
   * flush that comes later no longer finds it in the room.
   */
  void flushTo(Member member) {
    Posts posts = byRoom.get(member.room);
    if (posts != null) {
      offerShare(member, posts, new ByteString[Mode.values().length]);
    }
  }

  private void deliver(Room room, Posts posts) {
    ByteString[] everything = new ByteString[Mode.values().length];
    for (Member member : room.members) {
      offerShare(member, posts, everything);
    }
  }

  /**
   * Offers the member the posts meant for it: from where it came in, without its own in text
   * mode; {@code everything} holds the bytes shared by members who get all, per mode.
   */
  private void offerShare(Member member, Posts posts, ByteString[] everything) {
    int from = member.pendingEpoch == epoch ? member.pendingFrom : 0;
    boolean sender = member.mode == Mode.TEXT && posts.senders().contains(member);
    if (from == 0 && !sender) {
      int mode = member.mode.ordinal();
      if (everything[mode] == null) {
        everything[mode] = concat(posts.list(), 0, member.mode, null);
      }
      member.outbox.offer(everything[mode]);
    } else if (from < posts.list().size()) {
      ByteString own = concat(posts.list(), from, member.mode, sender ? member : null);
      if (own.length() > 0) {
        member.outbox.offer(own);
      }
    }
  }

  /**
   * The posts' lines in {@code mode} from index {@code from}, without those {@code except} sent; a
   * run of {@link #CROWD} or more notices as one line. No crowd names {@code except}: a member's
   * own join comes before its share starts, and its leave after it has gone.
   */
  private static ByteString concat(List<Post> posts, int from, Mode mode, Member except) {
    ByteString lines = ByteString.emptyByteString();
    int i = from;
    while (i < posts.size()) {
      Post post = posts.get(i);
      Run run = post.run();
      if (run != null && run.end() - i >= CROWD) {
        lines = lines.concat(Encoded.line(run.crowd(posts, i), mode, null));
        i = run.end();
      } else {
        if (except == null || post.sender() != except) {
          lines = lines.concat(post.encoded().bytes(mode));
        }
        i++;
      }
    }
    return lines;
  }
}
