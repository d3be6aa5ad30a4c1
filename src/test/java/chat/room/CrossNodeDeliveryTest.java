package chat.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.cluster.ClusterSettings;
import chat.delivery.Delivery;
import chat.protocol.ClientLines;
import chat.protocol.Mode;
import chat.support.Configs;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A room on one node with members on another: what the room says crosses to the other node
 * once per batch, whatever the number of members there, as Jackson CBOR over Artery.
 */
class CrossNodeDeliveryTest {

  private static Config node() {
    return new ClusterSettings(true, "127.0.0.1", 0, List.of(), Duration.ofSeconds(7))
        .pekkoConfig()
        .withFallback(Configs.serverTuning())
        .withFallback(ConfigFactory.load())
        .resolve();
  }

  static final ActorTestKit roomNode = ActorTestKit.create(ClusterSettings.SYSTEM, node());
  static final ActorTestKit otherNode = ActorTestKit.create(ClusterSettings.SYSTEM, node());

  @AfterAll
  static void shutdown() {
    otherNode.shutdownTestKit();
    roomNode.shutdownTestKit();
  }

  private static long up(ActorTestKit node) {
    return StreamSupport.stream(
            Cluster.get(node.system()).state().getMembers().spliterator(), false)
        .filter(member -> member.status() == MemberStatus.up())
        .count();
  }

  /** The two nodes in one cluster, both Up on each. */
  private static void formed() {
    Cluster first = Cluster.get(roomNode.system());
    first.manager().tell(Join.create(first.selfMember().address()));
    Cluster.get(otherNode.system()).manager().tell(Join.create(first.selfMember().address()));
    for (ActorTestKit node : List.of(roomNode, otherNode)) {
      node.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
        assertEquals(2, up(node));
        return null;
      });
    }
  }

  @Test
  void theMembersOfADeliveryThatStopsAreLostToTheRoom() {
    formed();
    RoomFixture fixture = new RoomFixture(roomNode, new RoomSettings(500, 0));
    RoomFixture.Member ann = fixture.join("ann", Mode.TEXT, "#lossy");
    TestProbe<Delivery.Command> otherDelivery = otherNode.createTestProbe();
    TestProbe<ChatRoom.JoinReply> joined = roomNode.createTestProbe();
    for (long member = 101; member <= 103; member++) {
      fixture.directory.tell(new RoomDirectory.Join("#lossy", new ChatRoom.Join(member,
          "far" + member, Mode.TEXT, otherDelivery.ref(), ChatRoom.Arrival.NEW,
          OptionalLong.empty(), joined.ref())));
      assertInstanceOf(ChatRoom.Joined.class, joined.receiveMessage());
    }
    linesUntil(ann, "far103", "joined the chat.");
    otherDelivery.stop(); // as when its node is lost
    String told = String.join("\n", linesUntil(ann, "far103", "disconnected unexpectedly."));
    for (String far : List.of("far101", "far102")) {
      assertTrue(told.contains(far), told);
    }
    assertEquals(List.of("ann"), fixture.members("#lossy"));
  }

  /** The member's lines up to one that names {@code who} and ends with {@code end}. */
  private static List<String> linesUntil(RoomFixture.Member member, String who, String end) {
    List<String> lines = new java.util.ArrayList<>();
    while (lines.stream().noneMatch(line -> line.contains(who) && line.endsWith(end))) {
      lines.addAll(member.outbox().nextLine().lines().toList());
      if (lines.size() > 20) {
        throw new AssertionError("no line of " + who + " ending " + end + " in " + lines);
      }
    }
    return lines;
  }

  @Test
  void aBatchCrossesToTheOtherNodeOnceForAllItsMembers() {
    formed();
    RoomFixture fixture = new RoomFixture(roomNode, new RoomSettings(500, 0));
    // The other node's Delivery, as a probe there: fifty members of the room are its.
    TestProbe<Delivery.Command> otherDelivery = otherNode.createTestProbe();
    TestProbe<ChatRoom.JoinReply> joined = roomNode.createTestProbe();
    ActorRef<ChatRoom.Command> room = null;
    for (long member = 1; member <= 50; member++) {
      fixture.directory.tell(new RoomDirectory.Join("#far", new ChatRoom.Join(member,
          "m" + member, Mode.TEXT, otherDelivery.ref(), ChatRoom.Arrival.NEW,
          OptionalLong.empty(), joined.ref())));
      room = assertInstanceOf(ChatRoom.Joined.class, joined.receiveMessage()).ref();
    }
    // What the joins sent: each newcomer's own lines, and the crowd's notice, in a few sends.
    otherDelivery.fishForMessage(Duration.ofSeconds(10), message ->
        message instanceof Delivery.Deliver deliver && deliver.entries().stream()
            .anyMatch(entry -> entry instanceof Delivery.Enter enter && enter.member() == 50)
            ? FishingOutcomes.complete()
            : FishingOutcomes.continueAndIgnore());
    otherDelivery.expectNoMessage(Duration.ofMillis(1500)); // the joins' notices have gone

    TestProbe<ChatRoom.Processed> ack = roomNode.createTestProbe();
    room.tell(new ChatRoom.Perform(1, otherDelivery.ref(),
        java.util.stream.IntStream.rangeClosed(1, 10)
            .<ClientLines.AfterJoin>mapToObj(i -> new ClientLines.Say("line " + i)).toList(),
        ack.ref()));
    ack.expectMessage(ChatRoom.Processed.INSTANCE);
    Delivery.Deliver batch = otherDelivery.expectMessageClass(Delivery.Deliver.class);
    assertEquals(10, batch.entries().stream().filter(Delivery.Post.class::isInstance).count(),
        batch.toString());
    otherDelivery.expectNoMessage(Duration.ofMillis(300));
  }
}
