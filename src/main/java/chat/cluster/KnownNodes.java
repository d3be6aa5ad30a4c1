package chat.cluster;

import java.util.List;

/**
 * The client addresses ({@code host:port}) of the other nodes of the chat, as this node knows
 * them now: written by its {@link ClusterNodes} as nodes come and go, read by the sessions for
 * the welcome they send, so that a client knows where to go on when its node is lost. A
 * snapshot that is replaced whole, never changed in place.
 */
public final class KnownNodes {

  /** A server alone: no other node. */
  public static final KnownNodes NONE = new KnownNodes();

  private volatile List<String> others = List.of();

  /** Whether this node is one of a cluster (whose rooms move between nodes). */
  public boolean inCluster() {
    return this != NONE;
  }

  /** The other nodes' client addresses. */
  public List<String> others() {
    return others;
  }

  void set(List<String> addresses) {
    others = List.copyOf(addresses);
  }
}
