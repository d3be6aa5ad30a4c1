package chat.delivery;

import chat.protocol.Mode;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.util.ByteString;
import org.slf4j.LoggerFactory;

/**
 * A member whose connection is on this node, as the {@link Delivery} keeps it: its outbox, the
 * mode it reads in, its current room (its other rooms' lines carry their room in text mode), and
 * its session, which is asked to rejoin a room that restarted. Plain
 * state of the Delivery's.
 */
final class LocalMember {

  final long id;
  /** The id, boxed once for the maps of the rooms it is in. */
  final Long key;
  final Outbox outbox;
  final Mode mode;
  final ActorRef<Delivery.Rejoin> session;
  String name;
  /** The key of the member's current room; null if it is in none. */
  String current;
  /** The last batch in which the member gets a share of its own; see {@link Fanout}. */
  long ownShare;
  /** The last batch in which the member posted. */
  long posted;
  /** The last batch in whose list of own shares the member is. */
  long listed;

  LocalMember(long id, String name, Outbox outbox, Mode mode, ActorRef<Delivery.Rejoin> session) {
    this.id = id;
    this.key = id;
    this.name = name;
    this.outbox = outbox;
    this.mode = mode;
    this.session = session;
  }

  /** How the member reads a line of the room with that key. */
  Encoded.Form form(String roomKey) {
    return Encoded.Form.of(mode, roomKey.equals(current));
  }

  /** How the member reads a line that belongs to no room, or to its current one. */
  Encoded.Form ownForm() {
    return Encoded.Form.of(mode, true);
  }

  /**
   * Offers lines to the member's outbox; a fault in it costs this member the lines, never the
   * others theirs.
   */
  void offer(ByteString lines) {
    try {
      outbox.offer(lines);
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(Delivery.class).error("Failed to offer lines to [{}]", name, e);
    }
  }
}
