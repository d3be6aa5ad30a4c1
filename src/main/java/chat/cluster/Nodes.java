package chat.cluster;

import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/** What an actor needs to know of the cluster it may be in. */
public final class Nodes {

  private Nodes() {}

  /** Whether this actor system is a node of a cluster ({@code chat.cluster.enabled}). */
  public static boolean inCluster(ActorSystem<?> system) {
    return system.settings().config().getString("pekko.actor.provider").equals("cluster");
  }

  /**
   * Tells {@code message} to {@code local}, this node's actor registered under {@code key}, and,
   * in a cluster, to every other node's (found through the receptionist: told from its answer,
   * whatever thread that comes on; nothing of an actor's state is touched).
   */
  public static <T> void tellEveryNode(
      ActorSystem<?> system, ServiceKey<T> key, T message, ActorRef<T> local) {
    local.tell(message);
    if (inCluster(system)) {
      AskPattern.<Receptionist.Command, Receptionist.Listing>ask(system.receptionist(),
              replyTo -> Receptionist.find(key, replyTo), FIND_TIMEOUT, system.scheduler())
          .thenAccept(listing -> listing.getServiceInstances(key).stream()
              .filter(other -> !other.equals(local))
              .forEach(other -> other.tell(message)));
    }
  }

  private static final Duration FIND_TIMEOUT = Duration.ofSeconds(3);

  /** Registers {@code actor} under {@code key}, so that the other nodes find it, in a cluster. */
  public static <T> void register(ActorSystem<?> system, ServiceKey<T> key, ActorRef<T> actor) {
    if (inCluster(system)) {
      system.receptionist().tell(Receptionist.register(key, actor));
    }
  }
}
