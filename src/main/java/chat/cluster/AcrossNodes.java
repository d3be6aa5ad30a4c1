package chat.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * One question to the actor every node of a cluster registers under a key: finds them through the
 * receptionist, asks each, gathers the answers (a node that does not answer within the bound is
 * left out), and goes on as the caller makes of them: answers and stops, or asks further. Spawned
 * for each such question.
 */
public final class AcrossNodes {

  private AcrossNodes() {}

  private enum TimedOut {
    INSTANCE
  }

  public static <T, A> Behavior<Object> create(
      ServiceKey<T> key,
      Function<ActorRef<A>, T> question,
      Class<A> answer,
      Duration bound,
      Function<List<A>, Behavior<Object>> then) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      context.getSystem().receptionist().tell(
          Receptionist.find(key, context.getSelf().<Receptionist.Listing>narrow()));
      timers.startSingleTimer(TimedOut.INSTANCE, bound);
      return Behaviors.receive(Object.class)
          .onMessage(Receptionist.Listing.class, listing -> {
            List<ActorRef<T>> nodes = List.copyOf(listing.getServiceInstances(key));
            ActorRef<A> answers = context.getSelf().narrow();
            nodes.forEach(node -> node.tell(question.apply(answers)));
            return gathering(answer, nodes.size(), new ArrayList<>(), answered(timers, then));
          })
          .onMessageEquals(TimedOut.INSTANCE, () -> then.apply(List.of()))
          .build();
    }));
  }

  /** What the caller makes of the answers, the bound's timer cancelled first. */
  private static <A> Function<List<A>, Behavior<Object>> answered(
      org.apache.pekko.actor.typed.javadsl.TimerScheduler<Object> timers,
      Function<List<A>, Behavior<Object>> then) {
    return got -> {
      timers.cancel(TimedOut.INSTANCE);
      return then.apply(got);
    };
  }

  private static <A> Behavior<Object> gathering(
      Class<A> answer, int expected, List<A> got, Function<List<A>, Behavior<Object>> then) {
    if (got.size() >= expected) {
      return then.apply(got);
    }
    return Behaviors.receive(Object.class)
        .onMessage(answer, one -> {
          got.add(one);
          return gathering(answer, expected, got, then);
        })
        .onMessageEquals(TimedOut.INSTANCE, () -> then.apply(got))
        .build();
  }
}
