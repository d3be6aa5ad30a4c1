package chat.cluster;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/** What an actor needs to know of the cluster it may be in. */
public final class Nodes {

  private Nodes() {}

  /** Whether this actor system is a node of a cluster ({@code chat.cluster.enabled}). */
  public static boolean inCluster(ActorSystem<?> system) {
    return system.settings().config().getString("pekko.actor.provider").equals("cluster");
  }

  /** Registers {@code actor} under {@code key}, so that the other nodes find it, in a cluster. */
  public static <T> void register(ActorSystem<?> system, ServiceKey<T> key, ActorRef<T> actor) {
    if (inCluster(system)) {
      system.receptionist().tell(Receptionist.register(key, actor));
    }
  }
}
