package chat.cluster;

import chat.server.Gatekeeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * This node as the other nodes of the cluster see it, and the cluster as the operator's {@code
 * !cluster} shows it: every node with its state and its number of clients. One per node, made
 * by the Supervisor when the server is in a cluster; it registers with the receptionist, and a
 * listing asks every node's one (the nodes that do not answer in time show no count).
 */
public final class ClusterNodes extends AbstractBehavior<ClusterNodes.Command> {

  /** The key the nodes' ClusterNodes register under. */
  public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "chat-node");

  /** How long a listing waits for the nodes' counts. */
  static final Duration ASK_TIMEOUT = Duration.ofSeconds(3);

  public sealed interface Command extends CrossNode {}

  /** Asks this node how many clients it has; the answer is {@link NodeCount}. */
  public record GetCount(ActorRef<NodeCount> replyTo) implements Command {}

  /** A node's address ({@code host:port}) and its number of clients. */
  public record NodeCount(String node, int clients) implements CrossNode {}

  /** Lists the nodes; the answer is {@link Listed}. */
  public record ListNodes(ActorRef<Listed> replyTo) implements Command {}

  /** The cluster, a node a line: address, state, clients. */
  public record Listed(List<String> lines) implements CrossNode {
    public Listed {
      lines = List.copyOf(lines);
    }
  }

  private record WrappedListing(Receptionist.Listing listing, ActorRef<Listed> replyTo)
      implements Command {}

  /** A change of the cluster's membership, for the log. */
  private record WrappedMemberEvent(ClusterEvent.MemberEvent event) implements Command {}

  private record WrappedReachability(ClusterEvent.ReachabilityEvent event) implements Command {}

  /** A node's count for listing {@code listing} (null: it did not answer in time). */
  private record Counted(long listing, NodeCount count) implements Command {}

  /** A listing under way: whom it is for, how many nodes it waits for, what came. */
  private record Gathering(ActorRef<Listed> replyTo, int expected, List<NodeCount> counts) {}

  private final Cluster cluster;
  private final ActorRef<Gatekeeper.Command> gatekeeper;
  /** The nodes up, as the membership events said. */
  private final java.util.Set<Address> up = new java.util.HashSet<>();
  /** The listings under way, by number. */
  private final Map<Long, Gathering> gathering = new HashMap<>();
  private long listings;

  /** @param gatekeeper this node's, which counts its clients */
  public static Behavior<Command> create(ActorRef<Gatekeeper.Command> gatekeeper) {
    return Behaviors.setup(context -> new ClusterNodes(context, gatekeeper));
  }

  private ClusterNodes(ActorContext<Command> context, ActorRef<Gatekeeper.Command> gatekeeper) {
    super(context);
    this.cluster = Cluster.get(context.getSystem());
    this.gatekeeper = gatekeeper;
    Nodes.register(context.getSystem(), KEY, context.getSelf());
    cluster.subscriptions().tell(Subscribe.create(
        context.messageAdapter(ClusterEvent.MemberEvent.class, WrappedMemberEvent::new),
        ClusterEvent.MemberEvent.class));
    cluster.subscriptions().tell(Subscribe.create(
        context.messageAdapter(ClusterEvent.ReachabilityEvent.class, WrappedReachability::new),
        ClusterEvent.ReachabilityEvent.class));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(GetCount.class, this::onGetCount)
        .onMessage(ListNodes.class, this::onList)
        .onMessage(WrappedListing.class, this::onListing)
        .onMessage(Counted.class, this::onCounted)
        .onMessage(WrappedMemberEvent.class, this::onMemberEvent)
        .onMessage(WrappedReachability.class, wrapped -> {
          getContext().getLog().warn("Cluster: node [{}] is {}",
              node(wrapped.event().member().address()),
              wrapped.event() instanceof ClusterEvent.UnreachableMember ? "unreachable"
                  : "reachable again");
          return this;
        })
        .build();
  }

  /** Members coming up, leaving and removed, as the operator follows them in the log. */
  private Behavior<Command> onMemberEvent(WrappedMemberEvent wrapped) {
    ClusterEvent.MemberEvent event = wrapped.event();
    if (event.member().status() == MemberStatus.up()) {
      up.add(event.member().address());
    } else {
      up.remove(event.member().address());
    }
    getContext().getLog().info("Cluster: node [{}] is {}; {} up", node(event.member().address()),
        event.member().status(), counted(up.size(), "node"));
    return this;
  }

  private Behavior<Command> onGetCount(GetCount get) {
    String node = node(cluster.selfMember().address());
    // The answer goes straight back: nothing of this actor's state is touched.
    AskPattern.<Gatekeeper.Command, Gatekeeper.Counts>ask(gatekeeper, Gatekeeper.GetCounts::new,
            ASK_TIMEOUT, getContext().getSystem().scheduler())
        .whenComplete((counts, failure) -> get.replyTo().tell(
            new NodeCount(node, failure == null ? counts.open() : -1)));
    return this;
  }

  private Behavior<Command> onList(ListNodes list) {
    getContext().getSystem().receptionist().tell(Receptionist.find(KEY,
        getContext().messageAdapter(Receptionist.Listing.class,
            listing -> new WrappedListing(listing, list.replyTo()))));
    return this;
  }

  private Behavior<Command> onListing(WrappedListing wrapped) {
    Set<ActorRef<Command>> nodes = wrapped.listing().getServiceInstances(KEY);
    if (nodes.isEmpty()) {
      wrapped.replyTo().tell(new Listed(lines(List.of())));
      return this;
    }
    long listing = ++listings;
    gathering.put(listing, new Gathering(wrapped.replyTo(), nodes.size(), new ArrayList<>()));
    for (ActorRef<Command> node : nodes) {
      getContext().ask(NodeCount.class, node, ASK_TIMEOUT, GetCount::new,
          (count, failure) -> new Counted(listing, failure == null ? count : null));
    }
    return this;
  }

  private Behavior<Command> onCounted(Counted counted) {
    Gathering listing = gathering.get(counted.listing());
    listing.counts().add(counted.count());
    if (listing.counts().size() == listing.expected()) {
      gathering.remove(counted.listing());
      listing.replyTo().tell(new Listed(lines(listing.counts())));
    }
    return this;
  }

  /** The cluster's members as the operator reads them, with the counts that came. */
  private List<String> lines(List<NodeCount> counts) {
    Map<String, Integer> clients = counts.stream().filter(count -> count != null)
        .collect(Collectors.toMap(NodeCount::node, NodeCount::clients, (a, b) -> a));
    ClusterEvent.CurrentClusterState state = cluster.state();
    Set<Member> unreachable = state.getUnreachable();
    List<Member> members = StreamSupport.stream(state.getMembers().spliterator(), false).toList();
    Address self = cluster.selfMember().address();
    List<String> lines = new ArrayList<>();
    lines.add("Cluster: " + counted(members.size(), "node") + ", " + counted(
        clients.values().stream().filter(count -> count >= 0).mapToInt(Integer::intValue).sum(),
        "client"));
    for (Member member : members) {
      String node = node(member.address());
      Integer count = clients.get(node);
      lines.add("  " + node + "  " + member.status()
          + (unreachable.contains(member) ? " (unreachable)" : "") + "  "
          + (count == null || count < 0 ? "clients unknown" : counted(count, "client"))
          + (member.address().equals(self) ? "  (this node)" : ""));
    }
    return lines;
  }

  private static String counted(int count, String what) {
    return count + " " + what + (count == 1 ? "" : "s");
  }

  /** A node's address as {@code host:port}. */
  static String node(Address address) {
    return address.host().getOrElse(() -> "?") + ":" + address.port().getOrElse(() -> 0);
  }
}
