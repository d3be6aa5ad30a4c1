package chat.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.delivery.Delivery;
import chat.history.StoreMetrics;
import chat.names.NameRegistry;
import chat.protocol.ClientLines;
import chat.protocol.Commands;
import chat.protocol.Event;
import chat.protocol.Mode;
import chat.room.ChatRoom;
import chat.room.RoomDirectory;
import chat.support.Configs;
import com.typesafe.config.ConfigFactory;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every message that may cross nodes goes as Jackson CBOR (never Java serialization) and comes
 * back equal, with its actor references, lists, optionals and the kinds of lines and events
 * inside it.
 */
class CrossNodeSerializationTest {

  static final ActorTestKit testKit = ActorTestKit.create(
      Configs.serverTuning().withFallback(ConfigFactory.load()).resolve());

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** Public messages that stay on their node: they hold a connection. */
  private static final Set<Class<?>> LOCAL = Set.of(Delivery.Register.class);

  private static <T> ActorRef<T> ref() {
    return testKit.<T>createTestProbe().ref();
  }

  private static final Event.Chat CHAT = new Event.Chat(1L, "#lobby", 42, "ann", "hi ünï", false);

  private static List<Object> samples() {
    List<ClientLines.AfterJoin> requests = List.of(new ClientLines.Say("hello"),
        ClientLines.Quit.INSTANCE, ClientLines.Blank.INSTANCE,
        new ClientLines.Answered(new Event.Info(2L, "ok")), Commands.Help.INSTANCE,
        new Commands.Who(true, Optional.of("#dev")), new Commands.Part(Optional.empty(),
            Optional.of("bye")), new Commands.SayTo("#dev", "hi"), new Commands.Msg("bob", "psst"),
        new Commands.Whois("bob"), new Commands.Away(Optional.of("lunch")),
        new Commands.Me("waves"), new Commands.Nick("anne"), new Commands.JoinRoom("#dev"),
        Commands.ListRooms.INSTANCE, new Commands.Topic(Optional.of("news")),
        new Commands.History(20, OptionalLong.of(100)), new Commands.Search(Optional.empty(),
            "deploy done"), new Commands.Invalid("no such command"));
    Event.Private pm = new Event.Private(3L, "ann", "bob", "psst");
    return List.of(
        // The rooms'
        new ChatRoom.Join(7, "ann", Mode.JSON, ref(), ChatRoom.Arrival.RESUMED,
            OptionalLong.of(41), false, "lunch", ref()),
        new ChatRoom.Leave(7, ChatRoom.Departure.KICKED, "spam", true, ref()),
        new ChatRoom.Perform(7, ref(), requests, ref()),
        new ChatRoom.Rename(7, "anne"),
        new ChatRoom.MarkAway(7, "lunch"),
        new ChatRoom.ListMembers(ref()),
        ChatRoom.Stop.INSTANCE,
        new ChatRoom.Prune(5L, 100),
        new ChatRoom.Purge(ref()),
        new ChatRoom.Drain(ref()),
        new ChatRoom.Joined("#lobby", ref(), true),
        new ChatRoom.Rejoined("#lobby", ref(), true),
        new ChatRoom.JoinRejected("#lobby", "full"),
        new ChatRoom.Left("#lobby"),
        new ChatRoom.Members("#lobby", List.of("ann", "bob"), java.util.Map.of("bob", "lunch")),
        ChatRoom.Processed.INSTANCE,
        new ChatRoom.Purged("#lobby", 12, true, null),
        new ChatRoom.Drained("#lobby"),
        // The Deliveries'
        new Delivery.Unregister(7, ref(), ref()),
        new Delivery.Deliver("#lobby", List.of(new Delivery.Post(CHAT, 7),
            new Delivery.To(8, new Event.Topic(4L, "#lobby", "news", "ann")),
            new Delivery.Enter(9), new Delivery.Exit(10)), 41),
        new Delivery.Tell(7, List.of(CHAT, new Event.Gap(5L, "#lobby", 3))),
        new Delivery.Current(7, "#dev"),
        new Delivery.Renamed(7, "anne"),
        new Delivery.Announce(new Event.Announcement(6L, "maintenance at noon")),
        new Delivery.RoomStarted("#lobby"),
        new Delivery.GetBacklogs(3, ref()),
        new Delivery.Rejoin("#lobby", java.util.OptionalLong.of(12)),
        new Delivery.Unregistered(7),
        new Delivery.Backlogs(List.of(new Delivery.Backlog("ann", 1024))),
        // The name registry's
        new NameRegistry.Claim("ann", ref(), ref(), ref()),
        new NameRegistry.Resume("token", "ann", ref(), ref(), ref()),
        new NameRegistry.Rename(7, "anne", ref()),
        new NameRegistry.Release(7, ref()),
        new NameRegistry.Hold(7, ref(), java.time.Duration.ofSeconds(30)),
        new NameRegistry.SendPrivate(pm, ref()),
        new NameRegistry.Kick("bob", Optional.of("spam"), ref()),
        new NameRegistry.Whois("bob", ref()),
        new NameRegistry.Count(ref()),
        new NameRegistry.CountHere(ref()),
        new NameRegistry.Claimed(7, "ann", "token"),
        new NameRegistry.Resumed(7, "ann", "token"),
        new NameRegistry.NotResumed(),
        new NameRegistry.RenamedTo("ann", "anne"),
        new NameRegistry.Refused("taken"),
        new NameRegistry.Sent("bob"),
        new NameRegistry.NotOnline("bob"),
        new NameRegistry.IsAway("bob", "lunch"),
        new NameRegistry.Described(new Event.Whois(3L, "bob", List.of("#dev", "#lobby"), "lunch",
            1L)),
        new NameRegistry.Counted(3),
        new NameRegistry.TakenOver(ref()),
        new NameRegistry.PrivateMessage(pm, ref()),
        new NameRegistry.DescribeYourself(ref()),
        new NameRegistry.Kicked(Optional.empty()),
        NameRegistry.AlreadyLeft.INSTANCE,
        new NameRegistry.HandOver(List.of("#lobby", "#dev"), "#dev", "lunch"),
        // The directory's
        new RoomDirectory.Join("#dev", new ChatRoom.Join(7, "ann", Mode.TEXT, ref(),
            ChatRoom.Arrival.ADDED, OptionalLong.empty(), ref())),
        new RoomDirectory.Who("#dev", ref()),
        new RoomDirectory.Everyone(ref()),
        new RoomDirectory.ListRooms(ref()),
        new RoomDirectory.GetStats(ref()),
        new RoomDirectory.MemberCount("#dev", 3),
        new RoomDirectory.Passivate("#dev", ref()),
        new RoomDirectory.StillInUse("#dev"),
        new RoomDirectory.Purge("#dev", ref()),
        new RoomDirectory.AskLocal(ref()),
        new RoomDirectory.Local(List.of(ref()), List.of(new Event.RoomInfo("#dev", 3, "news")),
            12, 5),
        new RoomDirectory.DrainWrites(testKit.<Done>createTestProbe().ref()),
        new RoomDirectory.Presences(List.of(new Event.Presence("ann", "#dev"),
            new Event.Presence("bob", "#dev", "lunch"))),
        new RoomDirectory.Rooms(List.of(new Event.RoomInfo("#dev", 3, "news", true, false))),
        new RoomDirectory.Stats(2, 100, 50, "h2", 100,
            new StoreMetrics.Snapshot(10, 100, 0, 10, 0.4, 2.3)),
        // The nodes'
        new ClusterNodes.GetCount(ref()),
        new ClusterNodes.NodeCount("127.0.0.1:17355", 12, "127.0.0.1:50007"),
        new ClusterNodes.ListNodes(ref()),
        new ClusterNodes.Listed(List.of("Cluster: 1 node, 0 clients")),
        new ClusterNodes.ShutdownCluster(ref()),
        ClusterNodes.StopNode.INSTANCE);
  }

  @Test
  void everyMessageThatMayCrossNodesGoesAsJacksonCborAndComesBackEqual() {
    SerializationTestKit serialization = new SerializationTestKit(testKit.system());
    for (Object sample : samples()) {
      assertEquals("JacksonCborSerializer", SerializationExtension.get(testKit.system())
          .findSerializerFor(sample).getClass().getSimpleName(), sample.getClass().getName());
      serialization.verifySerialization(sample, true);
    }
  }

  @Test
  void everyPublicMessageOfTheActorsThatMayCrossNodesHasASample() {
    Set<Class<?>> sampled = samples().stream().map(Object::getClass).collect(Collectors.toSet());
    List<Class<?>> missing = new ArrayList<>();
    for (Class<?> protocol : List.of(ChatRoom.Command.class, ChatRoom.Reply.class,
        ChatRoom.JoinReply.class, Delivery.Command.class, NameRegistry.Command.class,
        NameRegistry.ClaimReply.class, NameRegistry.SendReply.class, NameRegistry.ToOwner.class,
        NameRegistry.WhoisReply.class,
        RoomDirectory.Command.class, ClusterNodes.Command.class)) {
      Arrays.stream(protocol.getPermittedSubclasses())
          .filter(kind -> Modifier.isPublic(kind.getModifiers()) && !kind.isInterface())
          .filter(kind -> !sampled.contains(kind) && !LOCAL.contains(kind))
          .forEach(missing::add);
    }
    assertTrue(missing.isEmpty(), "no sample of " + missing);
  }
}
