package chat.room;

import chat.protocol.Mode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.util.ByteString;

/**
 * Chat posted since the room last flushed, per room: under load many posts go to each member in
 * one offer of bytes shared by every member in the same mode, instead of one offer per post per
 * member. The {@link ChatRoom} flushes on a message it sends itself once the first post is
 * pending (so a lone post waits for nothing but that message), when the pending bytes pass a
 * bound, and before anything else reaches a member or changes who is in a room, so every member
 * gets its lines in order. Plain state, used only inside the ChatRoom actor.
 */
final class PendingPosts {

  /** Pending bytes (per mode) that make the room flush at once. */
  static final int FLUSH_BYTES = 16 * 1024;

  private record Post(Encoded encoded, Member sender) {}

  private final Map<Room, List<Post>> byRoom = new LinkedHashMap<>();
  private int bytes;

  boolean isEmpty() {
    return byRoom.isEmpty();
  }

  /**
   * Adds a post for every member of the room but the sender (who, in machine mode, gets it too).
   *
   * @return whether the pending bytes passed {@link #FLUSH_BYTES}
   */
  boolean add(Room room, Encoded encoded, Member sender) {
    byRoom.computeIfAbsent(room, r -> new ArrayList<>()).add(new Post(encoded, sender));
    bytes += encoded.bytes(Mode.TEXT).length();
    return bytes >= FLUSH_BYTES;
  }

  /** Offers every room's pending posts to its members, and forgets them. */
  void flush() {
    byRoom.forEach(PendingPosts::deliver);
    byRoom.clear();
    bytes = 0;
  }

  private static void deliver(Room room, List<Post> posts) {
    if (posts.size() == 1) {
      Post post = posts.get(0);
      room.members.forEach(member -> {
        if (member != post.sender() || member.mode == Mode.JSON) {
          member.send(post.encoded());
        }
      });
      return;
    }
    ByteString[] everything = new ByteString[Mode.values().length];
    for (Member member : room.members) {
      if (member.mode == Mode.TEXT && sent(posts, member)) {
        ByteString others = concat(posts, Mode.TEXT, member);
        if (others.length() > 0) {
          member.outbox.offer(others);
        }
      } else {
        int mode = member.mode.ordinal();
        if (everything[mode] == null) {
          everything[mode] = concat(posts, member.mode, null);
        }
        member.outbox.offer(everything[mode]);
      }
    }
  }

  private static boolean sent(List<Post> posts, Member member) {
    for (Post post : posts) {
      if (post.sender() == member) {
        return true;
      }
    }
    return false;
  }

  /** The posts' lines in {@code mode}, without those {@code except} sent. */
  private static ByteString concat(List<Post> posts, Mode mode, Member except) {
    ByteString lines = ByteString.emptyByteString();
    for (Post post : posts) {
      if (post.sender() != except || except == null) {
        lines = lines.concat(post.encoded().bytes(mode));
      }
    }
    return lines;
  }
}
