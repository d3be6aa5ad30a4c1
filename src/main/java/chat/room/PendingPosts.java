package chat.room;

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
 * room when the posts are delivered. Plain state, used only inside the ChatRoom actor.
 */
final class PendingPosts {

  /** Pending bytes (per mode) that make the room flush at once. */
  static final int FLUSH_BYTES = 16 * 1024;

  private record Post(Encoded encoded, Member sender) {}

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
    posts.list().add(new Post(encoded, sender));
    if (sender != null) {
      posts.senders().add(sender);
    }
    bytes += encoded.bytes(Mode.TEXT).length();
    return bytes >= FLUSH_BYTES;
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

  /** The posts' lines in {@code mode} from index {@code from}, without those {@code except} sent. */
  private static ByteString concat(List<Post> posts, int from, Mode mode, Member except) {
    ByteString lines = ByteString.emptyByteString();
    for (int i = from; i < posts.size(); i++) {
      Post post = posts.get(i);
      if (except == null || post.sender() != except) {
        lines = lines.concat(post.encoded().bytes(mode));
      }
    }
    return lines;
  }
}
