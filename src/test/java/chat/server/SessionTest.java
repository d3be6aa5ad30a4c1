package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertSame;

import chat.protocol.ClientLines;
import chat.protocol.Event;
import chat.protocol.ServerLines;
import chat.room.ChatRoom;
import chat.room.RoomSettings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LogCapturingExtension.class)
class SessionTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  private static final Duration QUIET = Duration.ofMillis(100);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static ServerSettings settings(Duration joinTimeout, Duration linger) {
    return settings(joinTimeout, Duration.ofSeconds(10), linger);
  }

  private static ServerSettings settings(Duration joinTimeout, Duration close, Duration linger) {
    return settings(joinTimeout, close, linger, Optional.empty(), Duration.ofSeconds(10));
  }

  private static ServerSettings settings(Duration joinTimeout, Duration close, Duration linger,
      Optional<Duration> joinHint, Duration handshakeTimeout) {
    return new ServerSettings("127.0.0.1", 0, joinTimeout, joinHint, Optional.empty(), 20,
        4096, Duration.ofSeconds(30), new RateLimit.Settings(true, 1, 5, 3), java.util.Set.of(),
        Duration.ofSeconds(1), close, linger, new RoomSettings(8, 2), true,
        new TlsSettings(true, 0, Optional.empty(), "", java.nio.file.Path.of("data"),
            handshakeTimeout), Optional.empty(),
        new PasswordGuard.Settings(5, Duration.ofSeconds(10)), 100, 100,
        new KeepAlive(Duration.ofSeconds(60), Duration.ofSeconds(10), 6), 1);
  }

  private final TestProbe<ChatRoom.Command> room = testKit.createTestProbe();
  private final TestProbe<String> client = testKit.createTestProbe();
  private final TestProbe<ChatRoom.Processed> acks = testKit.createTestProbe();
  private final TestProbe<Supervisor.WrongPassword> wrongPasswords = testKit.createTestProbe();
  private final FakeConnection connection = new FakeConnection(client);

  private ActorRef<Session.Command> start(ServerSettings settings) {
    return start(settings, connection);
  }

  private ActorRef<Session.Command> start(ServerSettings settings, FakeConnection connection) {
    ActorRef<Session.Command> session =
        testKit.spawn(Session.create(self -> connection, room.ref(), wrongPasswords.ref(), settings,
            new ServerMetrics(), false));
    session.tell(new Session.StreamStarted(acks.ref()));
    acks.expectMessage(ChatRoom.Processed.INSTANCE);
    return session;
  }

  private ActorRef<Session.Command> start() {
    return start(settings(Duration.ofSeconds(10), Duration.ofSeconds(10)));
  }

  private void type(ActorRef<Session.Command> session, String line) {
    session.tell(new Session.FramesReceived(acks.ref(), List.of(new LineFraming.Line(line))));
  }

  private ActorRef<Session.Command> joined(String name) {
    ActorRef<Session.Command> session = start();
    type(session, "JOIN:" + name);
    ChatRoom.Join join = room.expectMessageClass(ChatRoom.Join.class);
    join.replyTo().tell(new ChatRoom.Joined(name));
    acks.expectMessage(ChatRoom.Processed.INSTANCE);
    return session;
  }

  private ChatRoom.Leave expectLeave(ActorRef<Session.Command> session, ChatRoom.Departure how) {
    ChatRoom.Leave leave = room.expectMessageClass(ChatRoom.Leave.class);
    assertEquals(session, leave.session());
    assertEquals(how, leave.how());
    return leave;
  }

  /**
   * Plays the room for a line the session answered itself (it goes through the room to keep its
   * place): gives the answer, and acknowledges it.
   */
  private Event expectAnswer(ActorRef<Session.Command> session) {
    ChatRoom.Perform perform = room.expectMessageClass(ChatRoom.Perform.class);
    assertEquals(session, perform.session());
    assertEquals(1, perform.requests().size());
    ClientLines.Answered answered =
        assertInstanceOf(ClientLines.Answered.class, perform.requests().get(0));
    perform.ackTo().tell(ChatRoom.Processed.INSTANCE);
    acks.expectMessage(ChatRoom.Processed.INSTANCE);
    return answered.reply();
  }

  /** Plays the room for one line: checks what it was asked to do, and acknowledges it. */
  private void expectPerform(ActorRef<Session.Command> session, ClientLines.AfterJoin request) {
    ChatRoom.Perform perform = room.expectMessageClass(ChatRoom.Perform.class);
    assertEquals(session, perform.session());
    assertEquals(List.of(request), perform.requests());
    perform.ackTo().tell(ChatRoom.Processed.INSTANCE);
    acks.expectMessage(ChatRoom.Processed.INSTANCE);
  }

  @Test
  void linesBeforeJoinAreRefusedWithTheSeedWordingAndTheConnectionStaysOpen() {
    ActorRef<Session.Command> session = start();
    type(session, "hello");
    client.expectMessage("SET_USERNAME: Invalid Protocol. Use JOIN:<username>");
    acks.expectMessage(ChatRoom.Processed.INSTANCE);
    type(session, "JOIN:");
    client.expectMessage("SET_USERNAME: Username cannot be empty.");
    acks.expectMessage(ChatRoom.Processed.INSTANCE);
    type(session, "");
    acks.expectMessage(ChatRoom.Processed.INSTANCE);
    client.expectNoMessage(QUIET);
    room.expectNoMessage(QUIET);
  }

  @Test
  void joinHoldsTheNextLineUntilTheRoomAnswersAndARefusalAllowsARetry() {
    ActorRef<Session.Command> session = start();
    type(session, "JOIN: bob ");
    ChatRoom.Join join = room.expectMessageClass(ChatRoom.Join.class);
    assertEquals("bob", join.name());
    assertSame(connection, join.outbox());
    acks.expectNoMessage(QUIET);

    join.replyTo().tell(new ChatRoom.JoinRejected("Username 'bob' is already taken."));
    client.expectMessage("SET_USERNAME: Username 'bob' is already taken.");
    acks.expectMessage(ChatRoom.Processed.INSTANCE);

    type(session, "JOIN:bobby");
    room.expectMessageClass(ChatRoom.Join.class).replyTo().tell(new ChatRoom.Joined("bobby"));
    acks.expectMessage(ChatRoom.Processed.INSTANCE);
    type(session, "hi all");
    expectPerform(session, new ClientLines.Say("hi all"));
  }

  @Test
  void chatIsPostedCleanedAndBlankLinesAreIgnored() {
    ActorRef<Session.Command> session = joined("alice");
    type(session, "   ");
    acks.expectMessage(ChatRoom.Processed.INSTANCE);
    type(session, "\u001B[31mhi\u0007");
    expectPerform(session, new ClientLines.Say("hi"));
    type(session, "/who *");
    expectPerform(session, new chat.protocol.Commands.Who(true));
    room.expectNoMessage(QUIET);
  }

  @Test
  void tooLongLineGetsAnErrorAndIsNotPosted() {
    ActorRef<Session.Command> session = joined("alice");
    session.tell(new Session.FramesReceived(acks.ref(), List.of(LineFraming.TooLong.INSTANCE)));
    Event.Error error = assertInstanceOf(Event.Error.class, expectAnswer(session));
    assertEquals("Line too long (more than 20 bytes); it was not sent.", error.text());
    room.expectNoMessage(QUIET);
  }

  @Test
  void quitClosesOnlyAfterTheRoomHasSentItsLastLine() {
    ActorRef<Session.Command> session = joined("alice");
    type(session, "!quit");
    ChatRoom.Leave leave = expectLeave(session, ChatRoom.Departure.QUIT);
    client.expectNoMessage(QUIET);

    leave.replyTo().tell(new ChatRoom.Left());
    client.expectMessage(FakeConnection.CLOSED);

    TestProbe<Void> watcher = testKit.createTestProbe();
    session.tell(Session.StreamCompleted.INSTANCE);
    watcher.expectTerminated(session);
    client.expectMessage(FakeConnection.ABORTED); // a no-op on a finished connection
  }

  @Test
  void aClosedConnectionLeavesAsClosedAndALostOneAsLost() {
    ActorRef<Session.Command> alice = joined("alice");
    alice.tell(Session.StreamCompleted.INSTANCE);
    expectLeave(alice, ChatRoom.Departure.CLOSED);

    ActorRef<Session.Command> bob = joined("bob");
    bob.tell(new Session.StreamFailed(new RuntimeException("Connection reset by peer")));
    expectLeave(bob, ChatRoom.Departure.LOST);
  }

  @Test
  void silentClientIsClosedByTheJoinTimeoutWithALine() {
    ActorRef<Session.Command> session = start(settings(Duration.ofMillis(200), Duration.ofSeconds(5)));
    client.expectMessage(Duration.ofSeconds(3),
        "ERROR: No JOIN:<username> within 200 ms; closing the connection.");
    client.expectMessage(FakeConnection.CLOSED);
    session.tell(Session.StreamCompleted.INSTANCE);
    testKit.createTestProbe().expectTerminated(session);
  }

  @Test
  void lingerCutsAClientThatNeverClosesItsSide() {
    ActorRef<Session.Command> session = start(settings(Duration.ofMillis(100), Duration.ofMillis(100)));
    client.expectMessageClass(String.class, Duration.ofSeconds(3));
    client.expectMessage(FakeConnection.CLOSED);
    // A normal close, not a reset: the client can still read what reached it.
    client.expectMessage(Duration.ofSeconds(3), FakeConnection.ENDED);
    client.expectMessage(FakeConnection.ABORTED);
    testKit.createTestProbe().expectTerminated(session);
  }

  @Test
  void aClientThatNeverReadsWhatIsQueuedEndsWithANormalCloseOnceTheCloseTimeoutIsOver() {
    FakeConnection slow = new FakeConnection(client, true);
    ActorRef<Session.Command> session =
        start(settings(Duration.ofSeconds(10), Duration.ofMillis(200), Duration.ofSeconds(5)), slow);
    type(session, "!quit");
    acks.expectMessage(ChatRoom.Processed.INSTANCE);
    client.expectMessage(FakeConnection.CLOSED);
    client.expectMessage(Duration.ofSeconds(3), FakeConnection.ENDED);
    client.expectMessage(FakeConnection.ABORTED);
    testKit.createTestProbe().expectTerminated(session);
  }

  @Test
  void someoneWhoConnectedAndSentNothingIsToldHowToJoin() {
    start(settings(Duration.ofMillis(1000), Duration.ofSeconds(5), Duration.ofSeconds(5),
        Optional.of(Duration.ofMillis(100)), Duration.ofSeconds(10)));
    client.expectMessage(Duration.ofSeconds(3),
        "To join the chat, send JOIN:<your name> (as in JOIN:alice) within 900 ms.");
    client.expectMessage(Duration.ofSeconds(3),
        "ERROR: No JOIN:<username> within 1 second; closing the connection.");
  }

  @Test
  void aClientThatSendsALineAtOnceIsNeverGivenTheHint() {
    ActorRef<Session.Command> session = start(settings(Duration.ofSeconds(10),
        Duration.ofSeconds(5), Duration.ofSeconds(5), Optional.of(Duration.ofMillis(100)),
        Duration.ofSeconds(10)));
    type(session, "");
    acks.expectMessage(ChatRoom.Processed.INSTANCE);
    client.expectNoMessage(Duration.ofMillis(400));
  }

  @Test
  void aTlsConnectionWhoseHandshakeDoesNotFinishInTimeIsCut() {
    FakeConnection handshaking = FakeConnection.handshaking(client);
    ActorRef<Session.Command> session = start(settings(Duration.ofSeconds(10),
        Duration.ofSeconds(5), Duration.ofSeconds(5), Optional.empty(), Duration.ofMillis(200)),
        handshaking);
    client.expectMessage(Duration.ofSeconds(3), FakeConnection.ABORTED);
    testKit.createTestProbe().expectTerminated(session);
  }

  @Test
  void aFinishedHandshakeStopsTheHandshakeTimeout() {
    FakeConnection handshaking = FakeConnection.handshaking(client);
    ActorRef<Session.Command> session = start(settings(Duration.ofSeconds(10),
        Duration.ofSeconds(5), Duration.ofSeconds(5), Optional.empty(), Duration.ofMillis(300)),
        handshaking);
    handshaking.ready.complete(org.apache.pekko.Done.getInstance());
    client.expectNoMessage(Duration.ofMillis(600));
    type(session, "JOIN:alice");
    assertEquals("alice", room.expectMessageClass(ChatRoom.Join.class).name());
  }

  @Test
  void shutdownBeforeJoinSendsServerShutdownAndCloses() {
    ActorRef<Session.Command> session = start();
    session.tell(Session.Shutdown.INSTANCE);
    client.expectMessage("!server_shutdown");
    client.expectMessage(FakeConnection.CLOSED);
    room.expectNoMessage(QUIET);
  }

  @Test
  void shutdownAfterJoinLeavesSilentlyThenSendsServerShutdownLast() {
    ActorRef<Session.Command> session = joined("alice");
    session.tell(Session.Shutdown.INSTANCE);
    ChatRoom.Leave leave = expectLeave(session, ChatRoom.Departure.SHUTDOWN);
    client.expectNoMessage(QUIET);
    leave.replyTo().tell(new ChatRoom.Left());
    client.expectMessage("!server_shutdown");
    client.expectMessage(FakeConnection.CLOSED);
  }

  @Test
  void quitBeforeJoinClosesWithoutTheRoom() {
    ActorRef<Session.Command> session = start();
    type(session, "/quit");
    acks.expectMessage(ChatRoom.Processed.INSTANCE);
    client.expectMessage(FakeConnection.CLOSED);
    room.expectNoMessage(QUIET);
    session.tell(Session.StreamCompleted.INSTANCE);
    testKit.createTestProbe().expectTerminated(session);
  }

  @Test
  void shutdownWhileJoiningWaitsForTheRoomThenLeavesSilently() {
    ActorRef<Session.Command> session = start();
    type(session, "JOIN:alice");
    ChatRoom.Join join = room.expectMessageClass(ChatRoom.Join.class);
    session.tell(Session.Shutdown.INSTANCE);
    join.replyTo().tell(new ChatRoom.Joined("alice"));
    acks.expectMessage(ChatRoom.Processed.INSTANCE);
    ChatRoom.Leave leave = expectLeave(session, ChatRoom.Departure.SHUTDOWN);
    leave.replyTo().tell(new ChatRoom.Left());
    client.expectMessage("!server_shutdown");
    client.expectMessage(FakeConnection.CLOSED);
  }

  @Test
  void clientGoneWhileJoiningLeavesAsClosedOnceJoined() {
    ActorRef<Session.Command> session = start();
    type(session, "JOIN:alice");
    ChatRoom.Join join = room.expectMessageClass(ChatRoom.Join.class);
    session.tell(Session.StreamCompleted.INSTANCE);
    join.replyTo().tell(new ChatRoom.Joined("alice"));
    expectLeave(session, ChatRoom.Departure.CLOSED).replyTo().tell(new ChatRoom.Left());
    client.expectMessage(FakeConnection.CLOSED);
    testKit.createTestProbe().expectTerminated(session);
  }

  @Test
  void clientGoneWhileJoiningAndRefusedJustCloses() {
    ActorRef<Session.Command> session = start();
    type(session, "JOIN:alice");
    ChatRoom.Join join = room.expectMessageClass(ChatRoom.Join.class);
    session.tell(Session.StreamCompleted.INSTANCE);
    join.replyTo().tell(new ChatRoom.JoinRejected("Username 'alice' is already taken."));
    client.expectMessage("SET_USERNAME: Username 'alice' is already taken.");
    client.expectMessage(FakeConnection.CLOSED);
    testKit.createTestProbe().expectTerminated(session);
    room.expectNoMessage(QUIET);
  }

  @Test
  void evictedMemberIsClosedWithoutTellingTheRoom() {
    ActorRef<Session.Command> session = start();
    type(session, "JOIN:alice");
    ChatRoom.Join join = room.expectMessageClass(ChatRoom.Join.class);
    join.replyTo().tell(new ChatRoom.Joined("alice"));
    acks.expectMessage(ChatRoom.Processed.INSTANCE);
    join.evictTo().tell(new ChatRoom.Evicted("kicked"));
    client.expectMessage(FakeConnection.CLOSED);
    room.expectNoMessage(QUIET);
  }

  @Test
  void aSlowReaderGetsTheCloseTimeoutToDrainBeforeTheLingerStarts() {
    FakeConnection slow = new FakeConnection(client, true);
    ActorRef<Session.Command> session =
        start(settings(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofMillis(100)), slow);
    type(session, "!quit");
    acks.expectMessage(ChatRoom.Processed.INSTANCE);
    client.expectMessage(FakeConnection.CLOSED);
    client.expectNoMessage(Duration.ofMillis(500)); // longer than the linger: not cut yet
    slow.sent.complete(org.apache.pekko.Done.getInstance());
    client.expectMessage(Duration.ofSeconds(3), FakeConnection.ENDED);
    client.expectMessage(FakeConnection.ABORTED);
    testKit.createTestProbe().expectTerminated(session);
  }

  @Test
  void shutdownWhileLeavingStillSendsServerShutdownLast() {
    ActorRef<Session.Command> session = joined("alice");
    type(session, "!quit");
    acks.expectMessage(ChatRoom.Processed.INSTANCE);
    ChatRoom.Leave leave = expectLeave(session, ChatRoom.Departure.QUIT);
    session.tell(Session.Shutdown.INSTANCE);
    leave.replyTo().tell(new ChatRoom.Left());
    client.expectMessage("!server_shutdown");
    client.expectMessage(FakeConnection.CLOSED);
  }

  private static final String TOO_FAST = "ERROR: You are sending too fast; that line was not sent. Send again in ";

  @Test
  void linesOverTheRateLimitAreRefusedWithATimeToRetryAndNotPosted() {
    ActorRef<Session.Command> session = joined("alice"); // the JOIN: took one of 5
    for (int n = 0; n < 4; n++) {
      type(session, "line " + n);
      expectPerform(session, new ClientLines.Say("line " + n));
    }
    type(session, "one too many");
    Event.Throttled refusal = assertInstanceOf(Event.Throttled.class, expectAnswer(session));
    assertTrue(refusal.retryAfterMs() > 0 && refusal.retryAfterMs() <= 1000, refusal.toString());
    room.expectNoMessage(QUIET);
  }

  @Test
  void floodingPastTheRefusalsAllowedLeavesAsFloodingWithALastLine() {
    ActorRef<Session.Command> session = joined("alice");
    for (int n = 0; n < 4; n++) {
      type(session, "line " + n);
      expectPerform(session, new ClientLines.Say("line " + n));
    }
    for (int n = 0; n < 3; n++) {
      type(session, "refused " + n);
      assertInstanceOf(Event.Throttled.class, expectAnswer(session));
    }
    type(session, "the last straw");
    acks.expectMessage(ChatRoom.Processed.INSTANCE);
    expectLeave(session, ChatRoom.Departure.FLOODING).replyTo().tell(new ChatRoom.Left());
    client.expectMessage("ERROR: " + ServerLines.flooding(1));
    client.expectMessage(FakeConnection.CLOSED);
  }

  @Test
  void aClientThatFellBehindLeavesAsSlowAndGetsOnlyTheReason() {
    ActorRef<Session.Command> session = joined("alice");
    session.tell(Session.FellBehind.INSTANCE);
    expectLeave(session, ChatRoom.Departure.SLOW).replyTo().tell(new ChatRoom.Left());
    client.expectMessage(FakeConnection.DISCARDED);
    client.expectMessage("ERROR: " + ServerLines.tooSlow(Duration.ofSeconds(30)));
    client.expectMessage(FakeConnection.CLOSED);
  }

  @Test
  void aClientThatFellBehindBeforeJoiningIsClosedWithTheReason() {
    ActorRef<Session.Command> session = start();
    session.tell(Session.FellBehind.INSTANCE);
    client.expectMessage(FakeConnection.DISCARDED);
    client.expectMessage("ERROR: " + ServerLines.tooSlow(Duration.ofSeconds(30)));
    client.expectMessage(FakeConnection.CLOSED);
    room.expectNoMessage(QUIET);
  }

  private void typeTogether(ActorRef<Session.Command> session, String... lines) {
    List<LineFraming.Frame> frames = new java.util.ArrayList<>();
    for (String line : lines) {
      frames.add(new LineFraming.Line(line));
    }
    session.tell(new Session.FramesReceived(acks.ref(), frames));
  }

  @Test
  void linesThatArriveTogetherGoToTheRoomTogetherAndTheLinesBeforeAQuitGoFirst() {
    ActorRef<Session.Command> session = joined("alice");
    typeTogether(session, "one", "", "/me waves", "!quit", "never");
    ChatRoom.Perform perform = room.expectMessageClass(ChatRoom.Perform.class);
    assertEquals(List.of(new ClientLines.Say("one"), new chat.protocol.Commands.Me("waves")),
        perform.requests());
    assertEquals(acks.ref(), perform.ackTo(), "the room acknowledges the batch");
    expectLeave(session, ChatRoom.Departure.QUIT);
  }

  @Test
  void linesAfterAJoinInTheSameBatchWaitForTheRoomsAnswer() {
    ActorRef<Session.Command> session = start();
    typeTogether(session, "JOIN:alice", "hello", "again");
    ChatRoom.Join join = room.expectMessageClass(ChatRoom.Join.class);
    acks.expectNoMessage(QUIET);
    join.replyTo().tell(new ChatRoom.Joined("alice"));
    ChatRoom.Perform perform = room.expectMessageClass(ChatRoom.Perform.class);
    assertEquals(List.of(new ClientLines.Say("hello"), new ClientLines.Say("again")), perform.requests());
    perform.ackTo().tell(ChatRoom.Processed.INSTANCE);
    acks.expectMessage(ChatRoom.Processed.INSTANCE);
  }

  @Test
  void aRefusedJoinGoesOnWithTheRestOfTheBatch() {
    ActorRef<Session.Command> session = start();
    typeTogether(session, "JOIN:bob", "JOIN:bobby", "hi");
    room.expectMessageClass(ChatRoom.Join.class).replyTo().tell(new ChatRoom.JoinRejected("taken"));
    client.expectMessage("SET_USERNAME: taken");
    ChatRoom.Join second = room.expectMessageClass(ChatRoom.Join.class);
    assertEquals("bobby", second.name());
    second.replyTo().tell(new ChatRoom.Joined("bobby"));
    expectPerform(session, new ClientLines.Say("hi"));
  }

  @Test
  void theSessionsOwnAnswersKeepTheirPlaceAmongTheRoomsInABatch() {
    ActorRef<ChatRoom.Command> realRoom =
        testKit.spawn(ChatRoom.create(new chat.room.RoomSettings(8, 2)));
    ActorRef<Session.Command> session = testKit.spawn(Session.create(self -> connection, realRoom,
        wrongPasswords.ref(), settings(Duration.ofSeconds(10), Duration.ofSeconds(10)), new ServerMetrics(), false));
    session.tell(new Session.StreamStarted(acks.ref()));
    acks.expectMessage(ChatRoom.Processed.INSTANCE);
    typeTogether(session, "JOIN:bob");
    client.expectMessage("bob has joined the chat.");
    acks.expectMessage(ChatRoom.Processed.INSTANCE);

    // One read holding "/topic", a line over the limit, and (past the burst of 5) a refused one.
    session.tell(new Session.FramesReceived(acks.ref(), List.of(new LineFraming.Line("/topic"),
        LineFraming.TooLong.INSTANCE, new LineFraming.Line("a"), new LineFraming.Line("b"),
        new LineFraming.Line("c"))));
    client.expectMessage("#lobby has no topic.");
    client.expectMessage("ERROR: Line too long (more than 20 bytes); it was not sent.");
    assertTrue(client.receiveMessage().startsWith(TOO_FAST));
    acks.expectMessage(ChatRoom.Processed.INSTANCE);
  }
}
