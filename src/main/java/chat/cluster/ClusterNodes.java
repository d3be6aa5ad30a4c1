package chat.cluster;

import chat.server.Gatekeeper;
import chat.server.Supervisor;
import chat.support.HostPort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.CoordinatedShutdown;
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

  /**
   * A node's address ({@code host:port}), its number of clients, and where clients connect to it
   * ({@code host:port}, empty if it takes no plain-text clients).
   */
  public record NodeCount(String node, int clients, String client) implements CrossNode {}

  /** Lists the nodes; the answer is {@link Listed}. */
  public record ListNodes(ActorRef<Listed> replyTo) implements Command {}

  /** Stops every node of the cluster (the operator's {@code !shutdown-cluster}). */
  public record ShutdownCluster(ActorRef<Listed> replyTo) implements Command {}

  /** Stops this node, as part of the whole cluster: its clients are told the chat ends. */
  public enum StopNode implements Command {
    INSTANCE
  }

  /** The cluster, a node a line: address, state, clients. */
  public record Listed(List<String> lines) implements CrossNode {
    public Listed {
      lines = List.copyOf(lines);
    }
  }

  /** The nodes' ClusterNodes now, as the receptionist lists them. */
  private record WrappedNodes(Receptionist.Listing listing) implements Command {}

  /** A node's client address, learnt. */
  private record ClientAddress(ActorRef<Command> node, NodeCount count) implements Command {}

  /** This node listens for clients. */
  private record Bound(String client) implements Command {}

  /** A change of the cluster's membership, for the log. */
  private record WrappedMemberEvent(ClusterEvent.MemberEvent event) implements Command {}

  private record WrappedReachability(ClusterEvent.ReachabilityEvent event) implements Command {}

  /** A node's count for listing {@code listing} (null: it did not answer in time). */
  private record Counted(long listing, NodeCount count) implements Command {}

  /** A listing under way: whom it is for, how many nodes it waits for, what came. */
  private record Gathering(ActorRef<Listed> replyTo, int expected, List<NodeCount> counts) {}

  private final Cluster cluster;
  private final ActorRef<Gatekeeper.Command> gatekeeper;
  private final KnownNodes known;
  /** Where clients connect to this node; empty until it listens, or if it takes none. */
  private String client = "";
  /** The nodes' ClusterNodes, as the receptionist last listed them. */
  private Set<ActorRef<Command>> nodes = Set.of();
  /** The other nodes' client addresses, by their ClusterNodes. */
  private final Map<ActorRef<Command>, String> clients = new HashMap<>();
  /** The nodes up, as the membership events said. */
  private final java.util.Set<Address> up = new java.util.HashSet<>();
  /** The listings under way, by number. */
  private final Map<Long, Gathering> gathering = new HashMap<>();
  private long listings;

  /**
   * @param gatekeeper this node's, which counts its clients
   * @param plainPort this node's port for plain-text clients, once it listens (empty if none)
   * @param known where the sessions find the other nodes' client addresses
   */
  public static Behavior<Command> create(ActorRef<Gatekeeper.Command> gatekeeper,
      CompletionStage<java.util.OptionalInt> plainPort, KnownNodes known) {
    return Behaviors.setup(context -> new ClusterNodes(context, gatekeeper, plainPort, known));
  }

  private ClusterNodes(ActorContext<Command> context, ActorRef<Gatekeeper.Command> gatekeeper,
      CompletionStage<java.util.OptionalInt> plainPort, KnownNodes known) {
    super(context);
    this.cluster = Cluster.get(context.getSystem());
    this.gatekeeper = gatekeeper;
    this.known = known;
    String host = cluster.selfMember().address().host().getOrElse(() -> "127.0.0.1");
    context.pipeToSelf(plainPort, (port, failure) -> new Bound(
        failure == null && port.isPresent() ? new HostPort(host, port.getAsInt()).toString()
            : ""));
    context.getSystem().receptionist().tell(Receptionist.subscribe(KEY,
        context.messageAdapter(Receptionist.Listing.class, WrappedNodes::new)));
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
        .onMessage(ShutdownCluster.class, this::onShutdownCluster)
        .onMessageEquals(StopNode.INSTANCE, () -> {
          getContext().getLog().info("Cluster: stopping, as every node of the cluster does");
          CoordinatedShutdown.get(getContext().getSystem()).run(Supervisor.Reason.CLUSTER);
          return this;
        })
        .onMessage(Counted.class, this::onCounted)
        .onMessage(WrappedMemberEvent.class, this::onMemberEvent)
        .onMessage(Bound.class, bound -> {
          client = bound.client();
          return this;
        })
        .onMessage(WrappedNodes.class, this::onNodes)
        .onMessage(ClientAddress.class, this::onClientAddress)
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
    String address = client;
    // The answer goes straight back: nothing of this actor's state is touched.
    AskPattern.<Gatekeeper.Command, Gatekeeper.Counts>ask(gatekeeper, Gatekeeper.GetCounts::new,
            ASK_TIMEOUT, getContext().getSystem().scheduler())
        .whenComplete((counts, failure) -> get.replyTo().tell(
            new NodeCount(node, failure == null ? counts.open() : -1, address)));
    return this;
  }

  /** The nodes changed: the new ones are asked where their clients connect. */
  private Behavior<Command> onNodes(WrappedNodes wrapped) {
    nodes = wrapped.listing().getServiceInstances(KEY);
    clients.keySet().retainAll(nodes);
    for (ActorRef<Command> node : nodes) {
      if (!node.equals(getContext().getSelf()) && !clients.containsKey(node)) {
        getContext().ask(NodeCount.class, node, ASK_TIMEOUT, GetCount::new,
            (count, failure) -> new ClientAddress(node, failure == null ? count : null));
      }
    }
    publish();
    return this;
  }

  private Behavior<Command> onClientAddress(ClientAddress learnt) {
    if (learnt.count() != null && !learnt.count().client().isEmpty()) {
      clients.put(learnt.node(), learnt.count().client());
      publish();
    }
    return this;
  }

  private void publish() {
    known.set(clients.values().stream().sorted().toList());
  }

  /** The nodes listed now, this one among them even before the receptionist has it. */
  private Set<ActorRef<Command>> everyNode() {
    Set<ActorRef<Command>> every = new java.util.HashSet<>(nodes);
    every.add(getContext().getSelf());
    return every;
  }

  private Behavior<Command> onList(ListNodes list) {
    Set<ActorRef<Command>> every = everyNode();
    long listing = ++listings;
    gathering.put(listing, new Gathering(list.replyTo(), every.size(), new ArrayList<>()));
    for (ActorRef<Command> node : every) {
      getContext().ask(NodeCount.class, node, ASK_TIMEOUT, GetCount::new,
          (count, failure) -> new Counted(listing, failure == null ? count : null));
    }
    return this;
  }

  /** Every node is told to stop, this one last. */
  private Behavior<Command> onShutdownCluster(ShutdownCluster shutdown) {
    Set<ActorRef<Command>> every = everyNode();
    shutdown.replyTo().tell(new Listed(List.of("Stopping the cluster: "
        + counted(every.size(), "node") + ", this one last.")));
    every.stream().filter(node -> !node.equals(getContext().getSelf()))
        .forEach(node -> node.tell(StopNode.INSTANCE));
    getContext().getSelf().tell(StopNode.INSTANCE);
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
