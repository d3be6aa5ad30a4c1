package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.delivery.Delivery;
import chat.names.NameRegistry;
import chat.protocol.ClientLines;
import chat.protocol.Commands;
import chat.protocol.Event;
import chat.protocol.JsonLines;
import chat.protocol.Mode;
import chat.protocol.ServerLines;
import chat.room.ChatRoom;
import chat.room.RoomDirectory;
import chat.room.RoomSettings;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One session against probes standing in for the registry, the rooms' directory, a room, the
 * Delivery and the connection: the handshake, what each line becomes, the order answers keep,
 * and how a client goes.
 */
@ExtendWith(LogCapturingExtension.class)
class SessionTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static final Duration QUIET = Duration.ofMillis(200);

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
        Duration.ofSeconds(1), close, linger,
        new RoomSettings(8, 256 << 10, 2, 1000, 300, 2, Duration.ofSeconds(10)),
        chat.history.HistorySettings.memory(), true,
        new TlsSettings(true, 0, Optional.empty(), "", java.nio.file.Path.of("data"),
            handshakeTimeout), new chat.server.web.WebSettings(false, 0, true, java.util.List.of()),
        Optional.empty(),
        new PasswordGuard.Settings(5, Duration.ofSeconds(10)), 100, 100,
        new KeepAlive(Duration.ofSeconds(60), Duration.ofSeconds(10), 6), 1);
  }

  private final TestProbe<NameRegistry.Command> names = testKit.createTestProbe();
  private final TestProbe<RoomDirectory.Command> rooms = testKit.createTestProbe();
  private final TestProbe<Delivery.Command> delivery = testKit.createTestProbe();
  private final TestProbe<Gatekeeper.WrongPassword> gatekeeper = testKit.createTestProbe();
  private final TestProbe<ChatRoom.Command> lobby = testKit.createTestProbe();
  private final TestProbe<String> client = testKit.createTestProbe();
  private final TestProbe<ChatRoom.Processed> acks = testKit.createTestProbe();
  private final FakeConnection connection = new FakeConnection(client);

  private ActorRef<Session.Command> start(ServerSettings settings) {
    return start(settings, connection);
  }

  private ActorRef<Session.Command> start(ServerSettings settings, FakeConnection connection) {
    ActorRef<Session.Command> session = testKit.spawn(Session.create(offer(connection),
        new Session.Parts(names.ref(), rooms.ref(), delivery.ref(), gatekeeper.ref(),
            chat.cluster.KnownNodes.NONE), settings,
        new ServerMetrics(), false));
    session.tell(new Session.StreamStarted(acks.ref()));
    acks.expectMessage(ChatRoom.Processed.INSTANCE);
    return session;
  }

  private static ConnectionOffer offer(FakeConnection connection) {
    return new ConnectionOffer() {
      @Override
      public InetAddress address() {
        return InetAddress.getLoopbackAddress();
      }

      @Override
      public String peer() {
        return connection.peer();
      }

      @Override
      public Connection attach(ActorRef<Session.Command> session) {
        return connection;
      }

      @Override
      public void refuse(String reason) {
        throw new AssertionError("a session never refuses");
      }
    };
  }

  private ActorRef<Session.Command> start() {
    return start(settings(Duration.ofSeconds(10), Duration.ofSeconds(10)));
  }

  private void type(ActorRef<Session.Command> session, String line) {
    session.tell(new Session.FramesReceived(acks.ref(), List.of(new LineFraming.Line(line))));
  }

  private void typeTogether(ActorRef<Session.Command> session, String... lines) {
    List<LineFraming.Frame> frames = new ArrayList<>();
    for (String line : lines) {
      frames.add(new LineFraming.Line(line));
    }
    session.tell(new Session.FramesReceived(acks.ref(), frames));
  }

  /** Plays the registry: the claim of {@code name} succeeds as member {@code id}. */
  private NameRegistry.Claim claimed(String name, long id) {
    NameRegistry.Claim claim = names.expectMessageClass(NameRegistry.Claim.class);
    assertEquals(name, claim.name());
    claim.replyTo().tell(new NameRegistry.Claimed(id, name, "token-" + id));
    return claim;
  }

  /**
   * The member's connection goes to the Delivery, the lobby becomes its current room, and it asks
   * to join it; plays the directory and lets it in.
   */
  private ChatRoom.Join joinsTheLobby(long id) {
    Delivery.Register register = delivery.expectMessageClass(Delivery.Register.class);
    assertEquals(id, register.member());
    assertEquals("#lobby", register.current());
    RoomDirectory.Join join = rooms.expectMessageClass(RoomDirectory.Join.class);
    assertEquals("#lobby", join.room());
    join.join().replyTo().tell(new ChatRoom.Joined("#lobby", lobby.ref(), false));
    return join.join();
  }

  private ActorRef<Session.Command> joined(String name) {
    ActorRef<Session.Command> session = start();
    type(session, "JOIN:" + name);
    claimed(name, 7);
    joinsTheLobby(7);
    acks.expectMessage(ChatRoom.Processed.INSTANCE);
    return session;
  }

  /** Plays the lobby for a group of lines: checks them, and acknowledges them. */
  private ChatRoom.Perform expectPerform(ClientLines.AfterJoin... requests) {
    ChatRoom.Perform perform = lobby.expectMessageClass(ChatRoom.Perform.class);
    assertEquals(List.of(requests), perform.requests());
    perform.ackTo().tell(ChatRoom.Processed.INSTANCE);
    return perform;
  }

  /** What the session answered itself, through the Delivery. */
  private List<Event> expectTell() {
    return delivery.expectMessageClass(Delivery.Tell.class).events();
  }

  /** The lobby is asked to let the member go as {@code how}; answers, and the Delivery too. */
  private void leaves(ChatRoom.Departure how) {
    ChatRoom.Leave leave = lobby.expectMessageClass(ChatRoom.Leave.class);
    assertEquals(how, leave.how());
    client.expectNoMessage(QUIET);
    leave.replyTo().tell(new ChatRoom.Left("#lobby"));
    assertEquals(7, names.expectMessageClass(NameRegistry.Release.class).member());
    Delivery.Unregister unregister = delivery.expectMessageClass(Delivery.Unregister.class);
    client.expectNoMessage(QUIET);
    unregister.replyTo().tell(new Delivery.Unregistered(7));
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
    names.expectNoMessage(QUIET);
  }

  @Test
  void aJoinClaimsTheNameHoldsTheNextLinesAndARefusalAllowsARetry() {
    ActorRef<Session.Command> session = start();
    typeTogether(session, "JOIN: bob ", "JOIN:bobby", "hi all");
    NameRegistry.Claim claim = names.expectMessageClass(NameRegistry.Claim.class);
    assertEquals("bob", claim.name());
    acks.expectNoMessage(QUIET);

    claim.replyTo().tell(new NameRegistry.Refused("Username 'bob' is already taken."));
    client.expectMessage("SET_USERNAME: Username 'bob' is already taken.");
    claimed("bobby", 7);
    ChatRoom.Join join = joinsTheLobby(7);
    assertEquals(ChatRoom.Arrival.NEW, join.arrival());
    assertEquals("bobby", join.name());
    expectPerform(new ClientLines.Say("hi all"));
    acks.expectMessage(ChatRoom.Processed.INSTANCE);
  }

  @Test
  void inMachineModeTheWelcomeWithTheTokenIsTheFirstLine() {
    ActorRef<Session.Command> session = start();
    type(session, "JOIN:alice mode=json");
    claimed("alice", 7);
    Event.Welcome welcome = assertInstanceOf(Event.Welcome.class,
        JsonLines.read(client.receiveMessage()).orElseThrow());
    assertEquals("alice", welcome.name());
    assertEquals("#lobby", welcome.room());
    assertEquals("token-7", welcome.token());
    Delivery.Register register = delivery.expectMessageClass(Delivery.Register.class);
    assertSame(connection, register.outbox());
    assertEquals(Mode.JSON, register.mode());
  }

  @Test
  void chatIsPostedCleanedAndBlankLinesAreIgnored() {
    ActorRef<Session.Command> session = joined("alice");
    type(session, "   ");
    acks.expectMessage(ChatRoom.Processed.INSTANCE);
    type(session, "\u001B[31mhi\u0007");
    ChatRoom.Perform perform = expectPerform(new ClientLines.Say("hi"));
    assertEquals(acks.ref(), perform.ackTo(), "the room acknowledges the batch to the stream");
    lobby.expectNoMessage(QUIET);
  }

  @Test
  void tooLongLineGetsAnErrorAndIsNotPosted() {
    ActorRef<Session.Command> session = joined("alice");
    session.tell(new Session.FramesReceived(acks.ref(), List.of(LineFraming.TooLong.INSTANCE)));
    Event.Error error = assertInstanceOf(Event.Error.class, expectTell().get(0));
    assertEquals("Line too long (more than 20 bytes); it was not sent.", error.text());
    acks.expectMessage(ChatRoom.Processed.INSTANCE);
    lobby.expectNoMessage(QUIET);
  }

  @Test
  void theSessionsOwnAnswersWaitForTheLinesBeforeThemToBeHandled() {
    ActorRef<Session.Command> session = joined("alice");
    typeTogether(session, "one", "two", "/help", "three");
    ChatRoom.Perform first = lobby.expectMessageClass(ChatRoom.Perform.class);
    assertEquals(List.of(new ClientLines.Say("one"), new ClientLines.Say("two")),
        first.requests());
    assertNotEquals(acks.ref(), first.ackTo());
    delivery.expectNoMessage(QUIET);
    first.ackTo().tell(ChatRoom.Processed.INSTANCE);
    assertEquals("Commands:", ((Event.Info) expectTell().get(0)).text());
    ChatRoom.Perform last = expectPerform(new ClientLines.Say("three"));
    assertEquals(acks.ref(), last.ackTo());
  }

  @Test
  void aPrivateMessageGoesThroughTheRegistryAndIsEchoedOnceSent() {
    ActorRef<Session.Command> session = joined("alice");
    type(session, "/msg bob psst");
    NameRegistry.SendPrivate send = names.expectMessageClass(NameRegistry.SendPrivate.class);
    assertEquals("bob", send.message().to());
    assertEquals("psst", send.message().text());
    acks.expectNoMessage(QUIET);
    send.replyTo().tell(new NameRegistry.Sent("Bob"));
    Event.Private echo = (Event.Private) expectTell().get(0);
    assertEquals("Bob", echo.to());
    acks.expectMessage(ChatRoom.Processed.INSTANCE);

    type(session, "/msg nobody hello");
    names.expectMessageClass(NameRegistry.SendPrivate.class).replyTo()
        .tell(new NameRegistry.NotOnline("nobody"));
    assertEquals("No one called 'nobody' is online. Type /who * to see who is.",
        ((Event.Error) expectTell().get(0)).text());
  }

  @Test
  void aPrivateMessageForTheMemberGoesToItsClientThroughTheDelivery() {
    ActorRef<Session.Command> session = start();
    type(session, "JOIN:alice");
    NameRegistry.Claim claim = claimed("alice", 7);
    joinsTheLobby(7);
    Event.Private message = new Event.Private(1, "bob", "alice", "psst");
    claim.owner().tell(new NameRegistry.PrivateMessage(message,
        testKit.<NameRegistry.SendReply>createTestProbe().ref()));
    assertEquals(new Delivery.Tell(7, List.of(message)), delivery.receiveMessage());
  }

  /** Types {@code /away} with the text (none: back) and expects its rooms and client told. */
  private void markAway(ActorRef<Session.Command> session, String text) {
    type(session, text == null ? "/away" : "/away " + text);
    assertEquals(new ChatRoom.MarkAway(7, text), lobby.expectMessageClass(ChatRoom.MarkAway.class));
    assertEquals(text, assertInstanceOf(Event.Marked.class, expectTell().get(0)).away());
    acks.expectMessage(ChatRoom.Processed.INSTANCE);
  }

  /** alice, joined as member 7; the registry's claim, whose owner hears what comes for her. */
  private NameRegistry.Claim aliceJoined(ActorRef<Session.Command> session) {
    type(session, "JOIN:alice");
    NameRegistry.Claim claim = claimed("alice", 7);
    joinsTheLobby(7);
    acks.expectMessage(ChatRoom.Processed.INSTANCE);
    return claim;
  }

  @Test
  void awayIsToldToTheRoomsAndAnsweredAndItsTextIsNoLongerThanATopic() {
    ActorRef<Session.Command> session = joined("alice");
    markAway(session, "out to lunch");
    markAway(session, null);
    type(session, "/away " + "x".repeat(301));
    assertEquals("An away text can be at most 300 characters long.",
        assertInstanceOf(Event.Error.class, expectTell().get(0)).text());
    lobby.expectNoMessage(QUIET);
  }

  @Test
  void aPrivateMessageToAnAwayMemberIsDeliveredAndEachSenderToldOncePerAway() {
    ActorRef<Session.Command> session = start();
    NameRegistry.Claim claim = aliceJoined(session);
    TestProbe<NameRegistry.SendReply> bob = testKit.createTestProbe();
    Event.Private fromBob = new Event.Private(1, "bob", "alice", "psst");
    claim.owner().tell(new NameRegistry.PrivateMessage(fromBob, bob.ref()));
    assertEquals(new Delivery.Tell(7, List.of(fromBob)), delivery.receiveMessage());
    bob.expectNoMessage(QUIET); // not away

    markAway(session, "lunch");
    claim.owner().tell(new NameRegistry.PrivateMessage(fromBob, bob.ref()));
    assertEquals(new Delivery.Tell(7, List.of(fromBob)), delivery.receiveMessage());
    assertEquals(new NameRegistry.IsAway("alice", "lunch"), bob.receiveMessage());
    Event.Private again = new Event.Private(2, "BOB", "alice", "still?");
    claim.owner().tell(new NameRegistry.PrivateMessage(again, bob.ref()));
    assertEquals(new Delivery.Tell(7, List.of(again)), delivery.receiveMessage());
    bob.expectNoMessage(QUIET);
    TestProbe<NameRegistry.SendReply> carol = testKit.createTestProbe();
    claim.owner().tell(new NameRegistry.PrivateMessage(
        new Event.Private(3, "carol", "alice", "hi"), carol.ref()));
    assertEquals(new NameRegistry.IsAway("alice", "lunch"), carol.receiveMessage());
    delivery.expectMessageClass(Delivery.Tell.class);
    TestProbe<NameRegistry.SendReply> herself = testKit.createTestProbe();
    claim.owner().tell(new NameRegistry.PrivateMessage(
        new Event.Private(4, "alice", "alice", "note"), herself.ref()));
    delivery.expectMessageClass(Delivery.Tell.class);
    herself.expectNoMessage(QUIET);

    markAway(session, "meeting");
    claim.owner().tell(new NameRegistry.PrivateMessage(fromBob, bob.ref()));
    assertEquals(new NameRegistry.IsAway("alice", "meeting"), bob.receiveMessage());
  }

  @Test
  void anAwayAnswerThatComesBeforeTheRegistrysIsToldAfterTheEcho() {
    ActorRef<Session.Command> session = joined("alice");
    type(session, "/msg bob lunch?");
    NameRegistry.SendPrivate send = names.expectMessageClass(NameRegistry.SendPrivate.class);
    send.replyTo().tell(new NameRegistry.IsAway("Bob", "out"));
    delivery.expectNoMessage(QUIET);
    send.replyTo().tell(new NameRegistry.Sent("Bob"));
    assertInstanceOf(Event.Private.class, expectTell().get(0));
    Event.Away away = assertInstanceOf(Event.Away.class, expectTell().get(0));
    assertEquals(List.of("Bob", "out"), List.of(away.name(), away.text()));
    acks.expectMessage(ChatRoom.Processed.INSTANCE);
  }

  @Test
  void whoisAsksTheRegistryAndTellsItsAnswerOrTheErrorOfMsg() {
    ActorRef<Session.Command> session = joined("alice");
    type(session, "/whois BOB");
    NameRegistry.Whois whois = names.expectMessageClass(NameRegistry.Whois.class);
    assertEquals("BOB", whois.name());
    acks.expectNoMessage(QUIET);
    Event.Whois bob = new Event.Whois(5, "bob", List.of("#dev"), "lunch", 1);
    whois.replyTo().tell(new NameRegistry.Described(bob));
    assertEquals(List.of(bob), expectTell());
    acks.expectMessage(ChatRoom.Processed.INSTANCE);

    type(session, "/whois nobody");
    names.expectMessageClass(NameRegistry.Whois.class).replyTo()
        .tell(new NameRegistry.NotOnline("nobody"));
    assertEquals("No one called 'nobody' is online. Type /who * to see who is.",
        assertInstanceOf(Event.Error.class, expectTell().get(0)).text());
  }

  @Test
  void aMemberAskedWhoItIsAnswersWithItsRoomsAwayAndWhenItJoined() {
    long before = System.currentTimeMillis();
    ActorRef<Session.Command> session = start();
    NameRegistry.Claim claim = aliceJoined(session);
    markAway(session, "lunch");
    TestProbe<NameRegistry.WhoisReply> asker = testKit.createTestProbe();
    claim.owner().tell(new NameRegistry.DescribeYourself(asker.ref()));
    Event.Whois whois = assertInstanceOf(NameRegistry.Described.class, asker.receiveMessage())
        .whois();
    assertEquals(new Event.Whois(whois.time(), "alice", List.of("#lobby"), "lunch",
        whois.since()), whois);
    assertTrue(whois.since() >= before && whois.since() <= System.currentTimeMillis());
  }

  @Test
  void aTakeOverHandsTheAwayTextOverAndTheRoomsAreRejoinedWithIt() {
    ActorRef<Session.Command> old = start();
    NameRegistry.Claim claim = aliceJoined(old);
    markAway(old, "lunch");
    TestProbe<NameRegistry.ToOwner> successor = testKit.createTestProbe();
    claim.owner().tell(new NameRegistry.TakenOver(successor.ref()));
    assertEquals(new NameRegistry.HandOver(List.of("#lobby"), "#lobby", "lunch"),
        successor.receiveMessage());

    FakeConnection next = new FakeConnection(testKit.createTestProbe());
    ActorRef<Session.Command> session =
        start(settings(Duration.ofSeconds(10), Duration.ofSeconds(10)), next);
    type(session, "JOIN:alice token=token-7");
    NameRegistry.Resume resume = names.expectMessageClass(NameRegistry.Resume.class);
    resume.replyTo().tell(new NameRegistry.Resumed(7, "alice", "fresh"));
    resume.owner().tell(new NameRegistry.HandOver(List.of("#lobby"), "#lobby", "lunch"));
    delivery.expectMessageClass(Delivery.Register.class);
    assertEquals("lunch", rooms.expectMessageClass(RoomDirectory.Join.class).join().away());
  }

  @Test
  void quitLeavesTheRoomsThenTheDeliveryAndThenCloses() {
    ActorRef<Session.Command> session = joined("alice");
    type(session, "!quit");
    leaves(ChatRoom.Departure.QUIT);
    client.expectMessage(FakeConnection.CLOSED);
    session.tell(Session.StreamCompleted.INSTANCE);
    testKit.createTestProbe().expectTerminated(session);
    client.expectMessage(FakeConnection.ABORTED); // a no-op on a finished connection
  }

  @Test
  void aClosedConnectionLeavesAsClosedAndALostOneAsLost() {
    ActorRef<Session.Command> alice = joined("alice");
    alice.tell(Session.StreamCompleted.INSTANCE);
    assertEquals(ChatRoom.Departure.CLOSED,
        lobby.expectMessageClass(ChatRoom.Leave.class).how());

    ActorRef<Session.Command> bob = joined("bob");
    bob.tell(new Session.StreamFailed(new RuntimeException("Connection reset by peer")));
    assertEquals(ChatRoom.Departure.LOST, lobby.expectMessageClass(ChatRoom.Leave.class).how());
  }

  @Test
  void aSessionThatFailsLeavesItsRoomsAsLostAndFreesItsName() {
    ActorRef<Session.Command> session = joined("alice");
    testKit.stop(session);
    ChatRoom.Leave leave = lobby.expectMessageClass(ChatRoom.Leave.class);
    assertEquals(ChatRoom.Departure.LOST, leave.how());
    assertEquals(session, names.expectMessageClass(NameRegistry.Release.class).session());
    assertEquals(7, delivery.expectMessageClass(Delivery.Unregister.class).member());
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
    assertEquals("alice", names.expectMessageClass(NameRegistry.Claim.class).name());
  }

  @Test
  void shutdownBeforeJoinSendsServerShutdownAndCloses() {
    ActorRef<Session.Command> session = start();
    session.tell(Session.Shutdown.INSTANCE);
    client.expectMessage("!server_shutdown");
    client.expectMessage(FakeConnection.CLOSED);
    names.expectNoMessage(QUIET);
  }

  @Test
  void shutdownAfterJoinLeavesSilentlyThenSendsServerShutdownLast() {
    ActorRef<Session.Command> session = joined("alice");
    session.tell(Session.Shutdown.INSTANCE);
    leaves(ChatRoom.Departure.SHUTDOWN);
    client.expectMessage("!server_shutdown");
    client.expectMessage(FakeConnection.CLOSED);
  }

  @Test
  void shutdownWhileJoiningWaitsForTheRoomThenLeavesSilently() {
    ActorRef<Session.Command> session = start();
    type(session, "JOIN:alice");
    claimed("alice", 7);
    session.tell(Session.Shutdown.INSTANCE);
    joinsTheLobby(7);
    acks.expectMessage(ChatRoom.Processed.INSTANCE);
    leaves(ChatRoom.Departure.SHUTDOWN);
    client.expectMessage("!server_shutdown");
    client.expectMessage(FakeConnection.CLOSED);
  }

  @Test
  void shutdownWhileLeavingStillSendsServerShutdownLast() {
    ActorRef<Session.Command> session = joined("alice");
    type(session, "!quit");
    ChatRoom.Leave leave = lobby.expectMessageClass(ChatRoom.Leave.class);
    session.tell(Session.Shutdown.INSTANCE);
    leave.replyTo().tell(new ChatRoom.Left("#lobby"));
    delivery.expectMessageClass(Delivery.Unregister.class).replyTo()
        .tell(new Delivery.Unregistered(7));
    client.expectMessage("!server_shutdown");
    client.expectMessage(FakeConnection.CLOSED);
  }

  @Test
  void clientGoneWhileJoiningLeavesAsClosedOnceJoined() {
    ActorRef<Session.Command> session = start();
    type(session, "JOIN:alice");
    claimed("alice", 7);
    session.tell(Session.StreamCompleted.INSTANCE);
    joinsTheLobby(7);
    leaves(ChatRoom.Departure.CLOSED);
    client.expectMessage(FakeConnection.CLOSED);
    testKit.createTestProbe().expectTerminated(session);
  }

  @Test
  void quitBeforeJoinClosesWithoutTheRegistry() {
    ActorRef<Session.Command> session = start();
    type(session, "/quit");
    acks.expectMessage(ChatRoom.Processed.INSTANCE);
    client.expectMessage(FakeConnection.CLOSED);
    names.expectNoMessage(QUIET);
    session.tell(Session.StreamCompleted.INSTANCE);
    testKit.createTestProbe().expectTerminated(session);
  }

  @Test
  void aKickedMemberLeavesItsRoomsAndIsToldWhyLast() {
    ActorRef<Session.Command> session = start();
    type(session, "JOIN:alice");
    NameRegistry.Claim claim = claimed("alice", 7);
    joinsTheLobby(7);
    claim.owner().tell(new NameRegistry.Kicked(Optional.of("spamming")));
    ChatRoom.Leave leave = lobby.expectMessageClass(ChatRoom.Leave.class);
    assertEquals(ChatRoom.Departure.KICKED, leave.how());
    assertEquals("spamming", leave.detail());
    leave.replyTo().tell(new ChatRoom.Left("#lobby"));
    delivery.expectMessageClass(Delivery.Unregister.class).replyTo()
        .tell(new Delivery.Unregistered(7));
    client.expectMessage("ERROR: You were kicked by the server operator: spamming");
    client.expectMessage(FakeConnection.CLOSED);
  }

  @Test
  void aMemberTakenOverHandsItsRoomsOverAndClosesWithoutLeavingThem() {
    ActorRef<Session.Command> session = start();
    type(session, "JOIN:alice");
    NameRegistry.Claim claim = claimed("alice", 7);
    joinsTheLobby(7);
    TestProbe<NameRegistry.ToOwner> successor = testKit.createTestProbe();
    claim.owner().tell(new NameRegistry.TakenOver(successor.ref()));
    assertEquals(new NameRegistry.HandOver(List.of("#lobby"), "#lobby", null),
        successor.receiveMessage());
    client.expectMessage("ERROR: Your name was taken over by a new connection.");
    client.expectMessage(FakeConnection.CLOSED);
    lobby.expectNoMessage(QUIET);
    names.expectNoMessage(QUIET);
    delivery.expectNoMessage(QUIET);
    testKit.stop(session);
    lobby.expectNoMessage(QUIET);
  }

  @Test
  void aTokenTakesTheMemberOverIntoTheRoomsItWasInWithWhatTheClientSaw() {
    ActorRef<Session.Command> session = start();
    type(session, "JOIN:alice mode=json token=secret room=#dev after=#lobby:5,#dev:9");
    NameRegistry.Resume resume = names.expectMessageClass(NameRegistry.Resume.class);
    assertEquals("secret", resume.token());
    resume.replyTo().tell(new NameRegistry.Resumed(7, "alicia", "fresh"));
    client.expectNoMessage(QUIET);
    resume.owner().tell(new NameRegistry.HandOver(List.of("#lobby", "#dev", "#ops"), "#ops", null));
    Event.Welcome welcome = assertInstanceOf(Event.Welcome.class,
        JsonLines.read(client.receiveMessage()).orElseThrow());
    assertEquals(new Event.Welcome(welcome.time(), "alicia", "#dev", "fresh"), welcome);
    assertEquals("#dev", delivery.expectMessageClass(Delivery.Register.class).current());
    List<RoomDirectory.Join> joins = List.of(rooms.expectMessageClass(RoomDirectory.Join.class),
        rooms.expectMessageClass(RoomDirectory.Join.class),
        rooms.expectMessageClass(RoomDirectory.Join.class));
    assertEquals(List.of("#lobby", "#ops", "#dev"), joins.stream().map(RoomDirectory.Join::room)
        .toList(), "the current room last");
    assertEquals(List.of(OptionalLong.of(5), OptionalLong.empty(), OptionalLong.of(9)),
        joins.stream().map(join -> join.join().after()).toList());
    joins.forEach(join -> assertEquals(ChatRoom.Arrival.RESUMED, join.join().arrival()));
  }

  @Test
  void joinAddsARoomMadeCurrentFirstAndThePartedCurrentRoomGivesWayToTheLastJoined() {
    ActorRef<Session.Command> session = joined("alice");
    type(session, "/join #dev");
    assertEquals(new Delivery.Current(7, "#dev"), delivery.receiveMessage());
    RoomDirectory.Join join = rooms.expectMessageClass(RoomDirectory.Join.class);
    assertEquals(ChatRoom.Arrival.ADDED, join.join().arrival());
    TestProbe<ChatRoom.Command> dev = testKit.createTestProbe();
    join.join().replyTo().tell(new ChatRoom.Joined("#dev", dev.ref(), false));
    acks.expectMessage(ChatRoom.Processed.INSTANCE);

    typeTogether(session, "in dev", "/say #lobby in the lobby");
    ChatRoom.Perform inDev = dev.expectMessageClass(ChatRoom.Perform.class);
    assertEquals(List.of(new ClientLines.Say("in dev")), inDev.requests());
    inDev.ackTo().tell(ChatRoom.Processed.INSTANCE);
    expectPerform(new Commands.SayTo("#lobby", "in the lobby"));

    type(session, "/part off");
    ChatRoom.Leave part = dev.expectMessageClass(ChatRoom.Leave.class);
    assertEquals(ChatRoom.Departure.PARTED, part.how());
    assertEquals("off", part.detail());
    part.replyTo().tell(new ChatRoom.Left("#dev"));
    assertEquals(new Delivery.Current(7, "#lobby"), delivery.receiveMessage());
    expectPerform(new Commands.JoinRoom("#lobby"));
  }

  @Test
  void aMemberInAsManyRoomsAsAllowedIsRefusedAnother() {
    ActorRef<Session.Command> session = joined("alice");
    type(session, "/join #dev");
    delivery.expectMessageClass(Delivery.Current.class);
    rooms.expectMessageClass(RoomDirectory.Join.class).join().replyTo()
        .tell(new ChatRoom.Joined("#dev", testKit.<ChatRoom.Command>createTestProbe().ref(), false));
    acks.expectMessage(ChatRoom.Processed.INSTANCE);
    type(session, "/join #ops");
    assertEquals("You are in 2 rooms, the most one may be in; /part one first.",
        ((Event.Error) expectTell().get(0)).text());
    rooms.expectNoMessage(QUIET);
  }

  @Test
  void aRoomThatRestartedGetsItsMemberBackUnseen() {
    ActorRef<Session.Command> session = start();
    type(session, "JOIN:alice");
    claimed("alice", 7);
    Delivery.Register register = delivery.expectMessageClass(Delivery.Register.class);
    rooms.expectMessageClass(RoomDirectory.Join.class).join().replyTo()
        .tell(new ChatRoom.Joined("#lobby", lobby.ref(), false));
    register.session().tell(new Delivery.Rejoin("#lobby", java.util.OptionalLong.of(3)));
    ChatRoom.Join rejoin = lobby.expectMessageClass(ChatRoom.Join.class);
    assertEquals(ChatRoom.Arrival.REJOINED, rejoin.arrival());
    assertEquals(java.util.OptionalLong.of(3), rejoin.after());
    assertEquals(7, rejoin.member());
    // The room that answers is the one its lines go to from now on (in a cluster, it may be
    // another actor on another node).
    TestProbe<ChatRoom.Command> restarted = testKit.createTestProbe();
    rejoin.replyTo().tell(new ChatRoom.Rejoined("#lobby", restarted.ref(), false));
    type(session, "back again");
    ChatRoom.Perform perform = restarted.expectMessageClass(ChatRoom.Perform.class);
    assertEquals(List.of(new ClientLines.Say("back again")), perform.requests());
    lobby.expectNoMessage(Duration.ofMillis(50));
  }

  private static final String TOO_FAST = "ERROR: You are sending too fast; that line was not sent. Send again in ";

  @Test
  void linesOverTheRateLimitAreRefusedWithATimeToRetryAndNotPosted() {
    ActorRef<Session.Command> session = joined("alice"); // the JOIN: took one of 5
    for (int n = 0; n < 4; n++) {
      type(session, "line " + n);
      expectPerform(new ClientLines.Say("line " + n));
    }
    type(session, "one too many");
    Event.Throttled refusal = assertInstanceOf(Event.Throttled.class, expectTell().get(0));
    assertTrue(refusal.retryAfterMs() > 0 && refusal.retryAfterMs() <= 1000, refusal.toString());
    lobby.expectNoMessage(QUIET);
  }

  @Test
  void floodingPastTheRefusalsAllowedLeavesAsFloodingWithALastLine() {
    ActorRef<Session.Command> session = joined("alice");
    for (int n = 0; n < 4; n++) {
      type(session, "line " + n);
      expectPerform(new ClientLines.Say("line " + n));
    }
    for (int n = 0; n < 3; n++) {
      type(session, "refused " + n);
      assertInstanceOf(Event.Throttled.class, expectTell().get(0));
      acks.expectMessage(ChatRoom.Processed.INSTANCE);
    }
    type(session, "the last straw");
    acks.expectMessage(ChatRoom.Processed.INSTANCE);
    leaves(ChatRoom.Departure.FLOODING);
    client.expectMessage("ERROR: " + ServerLines.flooding(1));
    client.expectMessage(FakeConnection.CLOSED);
  }

  @Test
  void aClientThatFellBehindLeavesAsSlowAndGetsOnlyTheReason() {
    ActorRef<Session.Command> session = joined("alice");
    session.tell(Session.FellBehind.INSTANCE);
    leaves(ChatRoom.Departure.SLOW);
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
    names.expectNoMessage(QUIET);
  }

  @Test
  void linesThatArriveTogetherGoToTheRoomTogetherAndTheLinesBeforeAQuitGoFirst() {
    ActorRef<Session.Command> session = joined("alice");
    typeTogether(session, "one", "", "/me waves", "!quit", "never");
    ChatRoom.Perform perform = lobby.expectMessageClass(ChatRoom.Perform.class);
    assertEquals(List.of(new ClientLines.Say("one"), new Commands.Me("waves")),
        perform.requests());
    assertEquals(acks.ref(), perform.ackTo(), "the room acknowledges the batch");
    assertEquals(ChatRoom.Departure.QUIT, lobby.expectMessageClass(ChatRoom.Leave.class).how());
  }

  @Test
  void aWrongPasswordIsCountedAgainstTheAddressAndCloses() {
    ServerSettings base = settings(Duration.ofSeconds(10), Duration.ofSeconds(10));
    ServerSettings withPassword = new ServerSettings(base.host(), base.port(), base.joinTimeout(),
        base.joinHint(), base.idleShutdown(), base.maxLineBytes(), base.outboxBytes(),
        base.slowClientTimeout(), base.rate(), base.exemptAddresses(), base.shutdownDrainTimeout(),
        base.closeTimeout(), base.closeLinger(), base.room(), base.history(), base.plainEnabled(),
        base.tls(), base.web(),
        Optional.of("sesame"), base.wrongPasswords(), base.maxConnections(),
        base.maxConnectionsPerIp(), base.keepAlive(), base.acceptors());
    ActorRef<Session.Command> session = start(withPassword);
    type(session, "JOIN:alice");
    client.expectMessage("SET_USERNAME: " + chat.protocol.Names.Refusals.PASSWORD_NEEDED);
    type(session, "PASS:sesam");
    client.expectMessage("ERROR: " + ServerLines.WRONG_PASSWORD);
    client.expectMessage(FakeConnection.CLOSED);
    assertEquals(session, gatekeeper.receiveMessage().session());
  }
}
