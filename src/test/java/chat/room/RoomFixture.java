package chat.room;

import chat.testing.ProbeOutbox;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import chat.delivery.Delivery;
import chat.history.HistorySettings;
import chat.protocol.ClientLines;
import chat.protocol.Mode;
import chat.protocol.RoomNames;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Rooms under test, as a server runs them: a {@link RoomDirectory} over a store, and a real
 * {@link Delivery}, whose members' outboxes are probes; the tests play the members' sessions.
 */
final class RoomFixture {

  /** A member: its number, its outbox, where its session hears the Delivery, and its rooms. */
  record Member(
      long id, String name, Mode mode, ProbeOutbox outbox, TestProbe<Delivery.Rejoin> session,
      Map<String, ActorRef<ChatRoom.Command>> rooms) {

    ActorRef<ChatRoom.Command> room(String name) {
      return rooms.get(RoomNames.key(name));
    }
  }

  final ActorTestKit testKit;
  final RoomStore store;
  final ActorRef<Delivery.Command> delivery;
  final ActorRef<RoomDirectory.Command> directory;
  private long members;

  RoomFixture(ActorTestKit testKit, RoomSettings settings) {
    this(testKit, settings, new MemoryRoomStore(settings));
  }

  RoomFixture(ActorTestKit testKit, RoomSettings settings, RoomStore store) {
    this(testKit, settings, store, HistorySettings.memory());
  }

  RoomFixture(ActorTestKit testKit, RoomSettings settings, RoomStore store,
      HistorySettings history) {
    this.testKit = testKit;
    this.store = store;
    this.delivery = testKit.spawn(Delivery.create());
    this.directory = testKit.spawn(RoomDirectory.create(store, settings, history, delivery));
  }

  /** Joins the lobby in text mode and reads the own join line. */
  Member join(String name) {
    return join(name, Mode.TEXT, RoomNames.LOBBY);
  }

  Member join(String name, Mode mode, String room) {
    return join(name, mode, room, OptionalLong.empty(), ProbeOutbox.create(testKit));
  }

  /** A new member: registered with the Delivery, then in {@code room}, which is its current one. */
  Member join(String name, Mode mode, String room, OptionalLong after, ProbeOutbox outbox) {
    Member member = register(name, mode, outbox);
    enter(member, room, ChatRoom.Arrival.NEW, after);
    if (mode == Mode.TEXT) {
      outbox.expectLine(name + " has joined the chat.");
    }
    return member;
  }

  /**
   * The member on a new connection: a new outbox, registered with the Delivery under the same
   * member number, in no room as far as this connection knows yet.
   */
  Member reconnect(Member member, Mode mode) {
    ProbeOutbox outbox = ProbeOutbox.create(testKit);
    TestProbe<Delivery.Rejoin> session = testKit.createTestProbe();
    Member again = new Member(member.id(), member.name(), mode, outbox, session,
        new HashMap<>(member.rooms()));
    delivery.tell(new Delivery.Register(member.id(), member.name(), outbox, mode, null,
        session.ref()));
    return again;
  }

  /** A member known to the Delivery, in no room yet. */
  Member register(String name, Mode mode, ProbeOutbox outbox) {
    TestProbe<Delivery.Rejoin> session = testKit.createTestProbe();
    Member member = new Member(++members, name, mode, outbox, session, new HashMap<>());
    delivery.tell(new Delivery.Register(member.id(), name, outbox, mode, null, session.ref()));
    return member;
  }

  /** The member comes into a room, which becomes its current one. */
  ChatRoom.JoinReply enter(
      Member member, String room, ChatRoom.Arrival arrival, OptionalLong after) {
    delivery.tell(new Delivery.Current(member.id(), room));
    TestProbe<ChatRoom.JoinReply> reply = testKit.createTestProbe();
    directory.tell(new RoomDirectory.Join(room, new ChatRoom.Join(member.id(), member.name(),
        member.mode(), delivery, arrival, after, reply.ref())));
    ChatRoom.JoinReply answer = reply.receiveMessage();
    if (answer instanceof ChatRoom.Joined joined) {
      member.rooms().put(RoomNames.key(joined.room()), joined.ref());
    }
    return answer;
  }

  /** Joins a further room, made the current one, and reads the own join line. */
  void add(Member member, String room) {
    assertInstanceOf(ChatRoom.Joined.class, enter(member, room, ChatRoom.Arrival.ADDED,
        OptionalLong.empty()));
    if (member.mode() == Mode.TEXT) {
      member.outbox().expectLine(member.name() + " has joined " + room + ".");
    }
  }

  /** The member's current room is now {@code room}. */
  void current(Member member, String room) {
    delivery.tell(new Delivery.Current(member.id(), room));
  }

  /** What the member typed, for its room, as its session would pass it; waits for the ack. */
  void type(Member member, String room, String line) {
    TestProbe<ChatRoom.Processed> ack = testKit.createTestProbe();
    member.room(room).tell(new ChatRoom.Perform(member.id(), delivery,
        List.of(ClientLines.parseAfterJoin(line)), ack.ref()));
    ack.expectMessage(ChatRoom.Processed.INSTANCE);
  }

  /** What the member typed, for the lobby. */
  void type(Member member, String line) {
    type(member, RoomNames.LOBBY, line);
  }

  /** Chat from the member to the lobby, as one batch, without waiting for the room. */
  void say(Member member, String... texts) {
    member.room(RoomNames.LOBBY).tell(new ChatRoom.Perform(member.id(), delivery,
        java.util.Arrays.stream(texts).<ClientLines.AfterJoin>map(ClientLines.Say::new).toList(),
        testKit.<ChatRoom.Processed>createTestProbe().ref()));
  }

  void leave(Member member, ChatRoom.Departure how) {
    leave(member, RoomNames.LOBBY, how);
  }

  void leave(Member member, String room, ChatRoom.Departure how) {
    TestProbe<ChatRoom.Left> left = testKit.createTestProbe();
    member.room(room).tell(new ChatRoom.Leave(member.id(), how, null, left.ref()));
    left.expectMessageClass(ChatRoom.Left.class);
  }

  /** Who is in the room, in the order they came. */
  List<String> members(String room) {
    TestProbe<ChatRoom.Members> probe = testKit.createTestProbe();
    directory.tell(new RoomDirectory.Who(room, probe.ref()));
    return probe.receiveMessage().names();
  }

  List<String> members() {
    return members(RoomNames.LOBBY);
  }
}
