package chat.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LogCapturingExtension.class)
class ChatRoomTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private final ActorRef<ChatRoom.Command> room = testKit.spawn(ChatRoom.create());

  /** A joined member: its outbox and a stand-in for its session. */
  private record Member(String name, ProbeOutbox outbox, ActorRef<Object> session) {}

  private Member join(String name) {
    return join(name, ProbeOutbox.create(testKit));
  }

  private Member join(String name, ProbeOutbox outbox) {
    TestProbe<ChatRoom.JoinReply> reply = testKit.createTestProbe();
    ActorRef<Object> session = testKit.createTestProbe().ref();
    room.tell(new ChatRoom.Join(name, session, outbox, reply.ref()));
    reply.expectMessage(new ChatRoom.Joined(name));
    outbox.expectLine(name + " has joined the chat.");
    return new Member(name, outbox, session);
  }

  private void leave(Member member, ChatRoom.Departure how) {
    TestProbe<ChatRoom.Left> left = testKit.createTestProbe();
    room.tell(new ChatRoom.Leave(member.name(), how, left.ref()));
    left.expectMessage(new ChatRoom.Left(member.name()));
  }

  private List<String> members() {
    TestProbe<ChatRoom.Members> probe = testKit.createTestProbe();
    room.tell(new ChatRoom.ListMembers(probe.ref()));
    return probe.receiveMessage().names();
  }

  @Test
  void joinIsAnnouncedToEveryoneIncludingTheNewcomer() {
    Member alice = join("alice");
    Member bob = join("bob");
    alice.outbox().expectLine("bob has joined the chat.");
    bob.outbox().probe.expectNoMessage(Duration.ofMillis(50));
    assertEquals(List.of("alice", "bob"), members());
  }

  @Test
  void joinRejectsDuplicateNameWithoutRegardToCase() {
    Member alice = join("alice");
    TestProbe<ChatRoom.JoinReply> reply = testKit.createTestProbe();
    ProbeOutbox second = ProbeOutbox.create(testKit);
    room.tell(new ChatRoom.Join("ALICE", testKit.createTestProbe().ref(), second, reply.ref()));
    reply.expectMessage(new ChatRoom.JoinRejected("Username 'ALICE' is already taken."));
    second.probe.expectNoMessage(Duration.ofMillis(50));
    alice.outbox().probe.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void postGoesToEveryoneButTheSenderAsOneSharedEncoding() {
    Member alice = join("alice");
    Member bob = join("bob");
    Member carol = join("carol");
    alice.outbox().expectLine("bob has joined the chat.");
    alice.outbox().expectLine("carol has joined the chat.");
    bob.outbox().expectLine("carol has joined the chat.");

    room.tell(new ChatRoom.Post("alice", "hello"));

    assertSame(bob.outbox().expectLine("alice: hello"), carol.outbox().expectLine("alice: hello"));
    alice.outbox().probe.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void quitIsToldToEveryoneIncludingTheQuitterAndFreesTheName() {
    Member alice = join("alice");
    Member bob = join("bob");
    alice.outbox().expectLine("bob has joined the chat.");

    leave(bob, ChatRoom.Departure.QUIT);

    alice.outbox().expectLine("bob left the chat.");
    bob.outbox().expectLine("bob left the chat.");
    assertEquals(List.of("alice"), members());
    join("BOB");
  }

  @Test
  void closedAndLostAreToldToTheOthersOnly() {
    Member alice = join("alice");
    Member bob = join("bob");
    Member carol = join("carol");
    alice.outbox().expectLine("bob has joined the chat.");
    alice.outbox().expectLine("carol has joined the chat.");

    leave(bob, ChatRoom.Departure.CLOSED);
    leave(carol, ChatRoom.Departure.LOST);

    alice.outbox().expectLine("bob left the chat.");
    alice.outbox().expectLine("carol has disconnected unexpectedly.");
    bob.outbox().expectLine("carol has joined the chat.");
    bob.outbox().probe.expectNoMessage(Duration.ofMillis(50));
    carol.outbox().expectLine("bob left the chat.");
    carol.outbox().probe.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void shutdownLeavesSilently() {
    Member alice = join("alice");
    Member bob = join("bob");
    alice.outbox().expectLine("bob has joined the chat.");

    leave(bob, ChatRoom.Departure.SHUTDOWN);

    alice.outbox().probe.expectNoMessage(Duration.ofMillis(50));
    bob.outbox().probe.expectNoMessage(Duration.ofMillis(50));
    assertEquals(List.of("alice"), members());
  }

  @Test
  void memberWhoseSessionDiesIsRemovedAndAnnounced() {
    Member alice = join("alice");
    ActorRef<Object> doomed = testKit.spawn(Behaviors.empty());
    ProbeOutbox doomedOutbox = ProbeOutbox.create(testKit);
    TestProbe<ChatRoom.JoinReply> reply = testKit.createTestProbe();
    room.tell(new ChatRoom.Join("bob", doomed, doomedOutbox, reply.ref()));
    reply.expectMessage(new ChatRoom.Joined("bob"));
    alice.outbox().expectLine("bob has joined the chat.");

    testKit.stop(doomed);

    alice.outbox().expectLine("bob has disconnected unexpectedly.");
    assertEquals(List.of("alice"), members());
  }

  @Test
  void aFullOutboxDoesNotHoldUpTheOthers() {
    Member alice = join("alice");
    Member slow = join("slow", ProbeOutbox.full(testKit));
    Member bob = join("bob");
    alice.outbox().expectLine("slow has joined the chat.");
    alice.outbox().expectLine("bob has joined the chat.");
    slow.outbox().expectLine("bob has joined the chat.");

    for (int i = 0; i < 100; i++) {
      room.tell(new ChatRoom.Post("alice", "line " + i));
    }

    for (int i = 0; i < 100; i++) {
      bob.outbox().expectLine("alice: line " + i);
    }
  }

  @Test
  void postFromSomeoneNotInTheRoomIsIgnored() {
    Member alice = join("alice");
    room.tell(new ChatRoom.Post("ghost", "boo"));
    alice.outbox().probe.expectNoMessage(Duration.ofMillis(50));
  }
}
