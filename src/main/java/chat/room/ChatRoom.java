package chat.room;

import chat.protocol.Names;
import chat.protocol.ServerLines;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.util.ByteString;

/**
 * The chat room: owns the names in use and fans every line out to the members' outboxes, encoding
 * it once. Created by the Supervisor; sessions join, post and leave through it. It watches each
 * member's session, so a session that dies without leaving is removed and announced.
 */
public final class ChatRoom extends AbstractBehavior<ChatRoom.Command> {

  public sealed interface Command {}

  /** Asks to join under {@code name}; the answer is {@link Joined} or {@link JoinRejected}. */
  public record Join(String name, ActorRef<?> session, Outbox outbox, ActorRef<JoinReply> replyTo)
      implements Command {}

  /** Chat text from a member, for everybody else. */
  public record Post(String name, String text) implements Command {}

  /** A member leaves; the room announces it as {@code how} says, then answers {@link Left}. */
  public record Leave(String name, Departure how, ActorRef<Left> replyTo) implements Command {}

  /** Asks who is in the room. */
  public record ListMembers(ActorRef<Members> replyTo) implements Command {}

  private record SessionStopped(String key, ActorRef<?> session) implements Command {}

  public sealed interface JoinReply {}

  public record Joined(String name) implements JoinReply {}

  public record JoinRejected(String reason) implements JoinReply {}

  public record Left(String name) {}

  public record Members(List<String> names) {
    public Members {
      names = List.copyOf(names);
    }
  }

  /** How a member went, which decides what the others are told. */
  public enum Departure {
    /** Sent {@code !quit}: everybody, the quitter too, is told. */
    QUIT,
    /** Closed the connection: the others are told the member left. */
    CLOSED,
    /** Lost through an error or reset: the others are told it was unexpected. */
    LOST,
    /** The server is shutting down: nobody is told. */
    SHUTDOWN
  }

  private record Member(String name, ActorRef<?> session, Outbox outbox) {}

  public static Behavior<Command> create() {
    return Behaviors.setup(ChatRoom::new);
  }

  /** Members by {@link Names#key}, in the order they joined. */
  private final Map<String, Member> members = new LinkedHashMap<>();

  private ChatRoom(ActorContext<Command> context) {
    super(context);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Join.class, this::onJoin)
        .onMessage(Post.class, this::onPost)
        .onMessage(Leave.class, this::onLeave)
        .onMessage(ListMembers.class, this::onListMembers)
        .onMessage(SessionStopped.class, this::onSessionStopped)
        .build();
  }

  private Behavior<Command> onJoin(Join join) {
    String key = Names.key(join.name());
    if (members.containsKey(key)) {
      join.replyTo().tell(new JoinRejected(Names.Refusals.taken(join.name())));
      return this;
    }
    members.put(key, new Member(join.name(), join.session(), join.outbox()));
    getContext().watchWith(join.session(), new SessionStopped(key, join.session()));
    join.replyTo().tell(new Joined(join.name()));
    broadcast(ServerLines.joined(join.name()), null);
    getContext().getLog().info("Member [{}] joined, [{}] online", join.name(), members.size());
    return this;
  }

  private Behavior<Command> onPost(Post post) {
    String key = Names.key(post.name());
    if (members.containsKey(key)) {
      broadcast(ServerLines.chat(post.name(), post.text()), key);
      getContext().getLog().debug("Member [{}] posted [{}]", post.name(), post.text());
    }
    return this;
  }

  private Behavior<Command> onLeave(Leave leave) {
    Member member = members.get(Names.key(leave.name()));
    if (member != null) {
      getContext().unwatch(member.session());
      remove(Names.key(leave.name()), leave.how());
    }
    leave.replyTo().tell(new Left(leave.name()));
    return this;
  }

  private Behavior<Command> onListMembers(ListMembers list) {
    List<String> names = new ArrayList<>(members.size());
    members.values().forEach(member -> names.add(member.name()));
    list.replyTo().tell(new Members(names));
    return this;
  }

  private Behavior<Command> onSessionStopped(SessionStopped stopped) {
    Member member = members.get(stopped.key());
    if (member != null && member.session().equals(stopped.session())) {
      remove(stopped.key(), Departure.LOST);
    }
    return this;
  }

  private void remove(String key, Departure how) {
    Member member = members.get(key);
    switch (how) {
      case QUIT -> broadcast(ServerLines.left(member.name()), null);
      case CLOSED -> broadcast(ServerLines.left(member.name()), key);
      case LOST -> broadcast(ServerLines.disconnected(member.name()), key);
      case SHUTDOWN -> { }
    }
    members.remove(key);
    getContext().getLog().info(
        "Member [{}] left ({}), [{}] online", member.name(), how, members.size());
  }

  /** Encodes the line once and offers the same bytes to every member but {@code exceptKey}. */
  private void broadcast(String line, String exceptKey) {
    ByteString bytes = ByteString.fromString(line + "\n");
    for (Map.Entry<String, Member> entry : members.entrySet()) {
      if (!Objects.equals(entry.getKey(), exceptKey) && !entry.getValue().outbox().offer(bytes)) {
        getContext().getLog().debug("Dropped a line for slow member [{}]", entry.getValue().name());
      }
    }
  }
}
