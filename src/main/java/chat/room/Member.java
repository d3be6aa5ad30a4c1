package chat.room;

import chat.protocol.Event;
import chat.protocol.Mode;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A joined client as the {@link ChatRoom} keeps it: its name and room, its connection's outbox and
 * mode, its session (which a reconnect with the {@link #token} can replace), and its token.
 */
final class Member {

  /** The secret a reconnect takes the member over with; a new one after each take-over. */
  String token;
  ActorRef<?> session;
  ActorRef<ChatRoom.Evicted> evictTo;
  Outbox outbox;
  Mode mode;
  String name;
  Room room;
  /**
   * Where this member's share of the posts pending in its room starts, while {@link
   * #pendingEpoch} is the current flush's: a member who came in after some were pending gets
   * only the later ones.
   */
  int pendingFrom;
  long pendingEpoch = -1;

  Member(String name, String token, ChatRoom.Join join) {
    this.name = name;
    this.token = token;
    attach(join);
  }

  /** Takes the connection of a join: a new member's, or a reconnect's. */
  void attach(ChatRoom.Join join) {
    this.session = join.session();
    this.evictTo = join.evictTo();
    this.outbox = join.outbox();
    this.mode = join.options().mode();
  }

  /** Sends one event rendered for this member alone. */
  boolean send(Event event) {
    return outbox.offer(Encoded.line(event, mode, name));
  }

  /** Sends an event rendered once for all its receivers. */
  boolean send(Encoded encoded) {
    return outbox.offer(encoded.bytes(mode));
  }
}
