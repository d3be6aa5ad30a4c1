package chat.room;

import chat.protocol.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * One question to every running room, who is in it: gathers the answers (a room that does not
 * answer within the bound is left out) and answers with everyone, room by room. Spawned by the
 * {@link RoomDirectory} for each such question; stops once it has answered.
 */
final class EveryoneQuery {

  private EveryoneQuery() {}

  private enum TimedOut {
    INSTANCE
  }

  static Behavior<Object> create(
      List<ActorRef<ChatRoom.Command>> rooms,
      ActorRef<RoomDirectory.Presences> replyTo,
      Duration bound) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      ActorRef<ChatRoom.Members> answers = context.getSelf().narrow();
      rooms.forEach(room -> room.tell(new ChatRoom.ListMembers(answers)));
      timers.startSingleTimer(TimedOut.INSTANCE, bound);
      return collecting(new ArrayList<>(), rooms.size(), replyTo);
    }));
  }

  private static Behavior<Object> collecting(
      List<ChatRoom.Members> got, int expected, ActorRef<RoomDirectory.Presences> replyTo) {
    if (got.size() >= expected) {
      return answer(got, replyTo);
    }
    return Behaviors.receive(Object.class)
        .onMessage(ChatRoom.Members.class, members -> {
          got.add(members);
          return collecting(got, expected, replyTo);
        })
        .onMessageEquals(TimedOut.INSTANCE, () -> answer(got, replyTo))
        .build();
  }

  private static Behavior<Object> answer(
      List<ChatRoom.Members> got, ActorRef<RoomDirectory.Presences> replyTo) {
    List<Event.Presence> presences = new ArrayList<>();
    got.sort((a, b) -> a.room().compareToIgnoreCase(b.room()));
    got.forEach(members -> presences.addAll(members.presences()));
    replyTo.tell(new RoomDirectory.Presences(presences));
    return Behaviors.stopped();
  }
}
