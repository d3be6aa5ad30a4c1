package chat.room;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.protocol.ClientLines;
import chat.protocol.Event;
import chat.protocol.Mode;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;

/** A ChatRoom under test and members whose outboxes and sessions are probes. */
final class RoomFixture {

  /** A joined member: its outbox, a stand-in for its session, and where evictions arrive. */
  record Member(
      String name, ProbeOutbox outbox, ActorRef<Object> session, TestProbe<ChatRoom.Evicted> evicted) {}

  final ActorTestKit testKit;
  final ActorRef<ChatRoom.Command> room;

  RoomFixture(ActorTestKit testKit, RoomSettings settings) {
    this.testKit = testKit;
    this.room = testKit.spawn(ChatRoom.create(settings));
  }

  static ClientLines.JoinOptions json() {
    return new ClientLines.JoinOptions(Mode.JSON, Optional.empty(), Optional.empty(), OptionalLong.empty());
  }

  /** Joins in text mode and reads the own join line. */
  Member join(String name) {
    return join(name, ClientLines.JoinOptions.DEFAULT);
  }

  Member join(String name, ClientLines.JoinOptions options) {
    return join(name, options, ProbeOutbox.create(testKit));
  }

  Member join(String name, ClientLines.JoinOptions options, ProbeOutbox outbox) {
    return join(name, options, outbox, name);
  }

  /** Joins as {@code name}; a take-over by token may come back as the member's current name. */
  Member join(String name, ClientLines.JoinOptions options, ProbeOutbox outbox, String joinedAs) {
    TestProbe<ChatRoom.Evicted> evicted = testKit.createTestProbe();
    ActorRef<Object> session = testKit.createTestProbe().ref();
    TestProbe<ChatRoom.JoinReply> reply = testKit.createTestProbe();
    room.tell(new ChatRoom.Join(name, options, session, evicted.ref(), outbox, reply.ref()));
    reply.expectMessage(new ChatRoom.Joined(joinedAs));
    if (options.mode() == Mode.TEXT) {
      outbox.expectLine(joinedAs + " has joined the chat.");
    }
    return new Member(joinedAs, outbox, session, evicted);
  }

  /** A join that may be refused: the room's answer. */
  ChatRoom.JoinReply tryJoin(String name, ClientLines.JoinOptions options, Outbox outbox) {
    return startJoin(name, options, outbox).receiveMessage();
  }

  /** Asks to join, without waiting: where the room's answer will come. */
  TestProbe<ChatRoom.JoinReply> startJoin(
      String name, ClientLines.JoinOptions options, Outbox outbox) {
    TestProbe<ChatRoom.JoinReply> reply = testKit.createTestProbe();
    room.tell(new ChatRoom.Join(name, options, testKit.createTestProbe().ref(),
        testKit.<ChatRoom.Evicted>createTestProbe().ref(), outbox, reply.ref()));
    return reply;
  }

  /** What the member typed, parsed as a joined client's line; the room must acknowledge it. */
  void type(Member member, String line) {
    TestProbe<ChatRoom.Processed> ack = testKit.createTestProbe();
    room.tell(new ChatRoom.Perform(
        member.session(), List.of(ClientLines.parseAfterJoin(line)), ack.ref()));
    ack.expectMessage(ChatRoom.Processed.INSTANCE);
  }

  /** Chat from the member, as one batch, without waiting for the room to handle it. */
  void say(Member member, String... texts) {
    send(member, Arrays.stream(texts).<ClientLines.AfterJoin>map(ClientLines.Say::new).toList());
  }

  /** Lines from the member, as one batch, without waiting for the room to handle them. */
  void send(Member member, List<ClientLines.AfterJoin> requests) {
    room.tell(new ChatRoom.Perform(member.session(), requests,
        testKit.<ChatRoom.Processed>createTestProbe().ref()));
  }

  void leave(Member member, ChatRoom.Departure how) {
    TestProbe<ChatRoom.Left> left = testKit.createTestProbe();
    room.tell(new ChatRoom.Leave(member.session(), how, left.ref()));
    assertEquals(new ChatRoom.Left(), left.receiveMessage());
  }

  List<Event.Presence> members() {
    TestProbe<ChatRoom.Members> probe = testKit.createTestProbe();
    room.tell(new ChatRoom.ListMembers(probe.ref()));
    return probe.receiveMessage().members();
  }
}
