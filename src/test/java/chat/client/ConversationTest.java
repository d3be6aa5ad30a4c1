package chat.client;

import static chat.testing.ServerEvents.LOBBY;
import static chat.testing.ServerEvents.TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.client.Conversation.Origin;
import chat.protocol.Event;
import chat.protocol.JsonLines;
import chat.testing.ServerEvents;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ConversationTest {

  private final Conversation conversation = new Conversation();

  private Conversation.Step receive(Event event) {
    return conversation.onLine(ServerEvents.json(event));
  }

  private void joinAsAlice() {
    conversation.joinLine("alice");
    ServerEvents.joinAnswer("alice", "bob").forEach(conversation::onLine);
  }

  private static Event.Chat chat(String room, long seq, String from, boolean history) {
    return new Event.Chat(TIME, room, seq, from, "message " + seq, history);
  }

  private static Event.Entered entered(String room) {
    return new Event.Entered(TIME, room, List.of("alice"), null);
  }

  @Test
  void moreAsksForTheMessagesBeforeTheOldestShownInTheCurrentRoom() {
    assertEquals("/more", conversation.outgoing("/more"), "before any welcome it goes as typed");
    joinAsAlice();
    assertEquals("/history", conversation.outgoing("/more"), "nothing shown yet: the last ones");
    receive(chat(LOBBY, 41, "bob", true));
    receive(chat(LOBBY, 42, "bob", false));
    assertEquals("/history before 41", conversation.outgoing("/more"));
    assertEquals("/history before 41 50", conversation.outgoing("/MORE 50"));
    receive(chat(LOBBY, 21, "bob", true)); // the answer: older lines
    assertEquals("/history before 21", conversation.outgoing("/more"));
    assertEquals("/more me", conversation.outgoing("/more me"));
    assertEquals("hello", conversation.outgoing("hello"));
  }

  @Test
  void joinAsksForMachineMode() {
    assertEquals("JOIN:alice mode=json", conversation.joinLine("alice"));
  }

  @Test
  void refusalBeforeTheWelcomeCarriesTheReasonAndKeepsWaiting() {
    conversation.joinLine("bob");
    assertEquals(
        new Conversation.Refused("Username 'bob' is already taken.", false),
        conversation.onLine(ServerEvents.refused("Username 'bob' is already taken.")));
    assertFalse(conversation.welcomed());
    assertFalse(conversation.shouldReconnect(), "no session to resume yet");
  }

  @Test
  void welcomeOwnJoinAndTheRoomComeInThatOrder() {
    conversation.joinLine("alice");
    Event.Welcome welcome = new Event.Welcome(TIME, "Alice", LOBBY, "secret");
    assertEquals(new Conversation.Welcomed(welcome, false), receive(welcome));
    Event.Joined ownJoin = new Event.Joined(TIME, LOBBY, "Alice", false);
    assertEquals(new Conversation.Shown(ownJoin, Origin.LIVE, false), receive(ownJoin));
    Event.Entered lobby = new Event.Entered(TIME, LOBBY, List.of("bob", "Alice"), "hi");
    assertEquals(new Conversation.Arrived(lobby, false), receive(lobby));
    assertEquals(new Conversation.Me("Alice", LOBBY, List.of(LOBBY)), conversation.me());
    assertEquals("secret", conversation.token());
  }

  @Test
  void theRejoinLineCarriesTokenCurrentRoomAndTheLastSeqSeenInEachRoom() {
    joinAsAlice();
    assertEquals("JOIN:alice mode=json token=token-alice room=#lobby after=0",
        conversation.rejoinLine(), "nothing seen yet: everything in the room is new");
    receive(chat(LOBBY, 7, "bob", false));
    receive(chat(LOBBY, 8, "alice", false));
    assertEquals(OptionalLong.of(8), conversation.lastSeq("#LOBBY"));
    receive(new Event.Joined(TIME, "#dev", "alice", true));
    receive(new Event.Entered(TIME, "#dev", List.of("alice"), null, 3));
    receive(chat("#dev", 4, "bob", false));
    assertEquals("JOIN:alice mode=json token=token-alice room=#dev after=#lobby:8,#dev:4",
        conversation.rejoinLine());
  }

  @Test
  void aResumeIntoSeveralRoomsKeepsTheCurrentOneTheServerNamesAndReplaysEachRoomsMissed() {
    joinAsAlice();
    receive(new Event.Joined(TIME, "#dev", "alice", true));
    receive(new Event.Entered(TIME, "#dev", List.of("alice"), null, 0));
    receive(chat(LOBBY, 2, "bob", false));
    receive(chat("#dev", 1, "bob", false));
    conversation.rejoinLine();

    receive(new Event.Welcome(TIME, "alice", "#dev", "token-alice"));
    assertInstanceOf(Conversation.Skipped.class,
        receive(new Event.Joined(TIME, "#dev", "alice", false)));
    Event.Entered dev = new Event.Entered(TIME, "#dev", List.of("alice"), null, 3, true);
    assertEquals(new Conversation.Arrived(dev, true), receive(dev));
    assertInstanceOf(Conversation.Skipped.class, receive(chat("#dev", 1, "bob", true)));
    assertEquals(new Conversation.Shown(chat("#dev", 2, "bob", true), Origin.MISSED, false),
        receive(chat("#dev", 2, "bob", true)));
    assertInstanceOf(Conversation.Skipped.class,
        receive(new Event.Joined(TIME, LOBBY, "alice", false)));
    Event.Entered lobby = new Event.Entered(TIME, LOBBY, List.of("alice"), null, 3, false);
    assertEquals(new Conversation.Arrived(lobby, true), receive(lobby));
    assertInstanceOf(Conversation.Skipped.class, receive(chat(LOBBY, 2, "bob", true)));
    assertEquals(new Conversation.Shown(chat(LOBBY, 3, "bob", true), Origin.MISSED, false),
        receive(chat(LOBBY, 3, "bob", true)));

    assertEquals(new Conversation.Me("alice", "#dev", List.of("#dev", LOBBY)), conversation.me());
    assertTrue(conversation.me().isCurrent("#DEV"));
    assertFalse(conversation.me().isCurrent(LOBBY));
  }

  @Test
  void partingTheCurrentRoomLeavesTheClientInNoneUntilTheServerNamesTheNext() {
    joinAsAlice();
    receive(new Event.Joined(TIME, "#dev", "alice", true));
    assertInstanceOf(Conversation.Shown.class,
        receive(new Event.Entered(TIME, "#dev", List.of("alice"), null, 0)));
    assertEquals("#dev", conversation.room());
    receive(new Event.Left(TIME, "#dev", "alice", Event.Departure.PARTED, null));
    assertEquals(new Conversation.Me("alice", null, List.of(LOBBY)), conversation.me());
    receive(new Event.Entered(TIME, LOBBY, List.of("alice", "bob"), null, 0));
    assertEquals(LOBBY, conversation.room());
    assertEquals("JOIN:alice mode=json token=token-alice room=#lobby after=0",
        conversation.rejoinLine());
  }

  @Test
  void rejoinBeforeAnyWelcomeIsAnError() {
    assertThrows(IllegalStateException.class, conversation::rejoinLine);
  }

  @Test
  void ownMessagesAreMarkedWhateverTheCase() {
    joinAsAlice();
    Event.Chat own = new Event.Chat(TIME, LOBBY, 1, "ALICE", "hi", false);
    assertEquals(new Conversation.Shown(own, Origin.LIVE, true), receive(own));
    Event.Action other = new Event.Action(TIME, LOBBY, 2, "bob", "waves", false);
    assertEquals(new Conversation.Shown(other, Origin.LIVE, false), receive(other));
  }

  @Test
  void replayAfterARejoinSkipsWhatWasSeenAndMarksTheRestMissed() {
    joinAsAlice();
    receive(chat(LOBBY, 5, "bob", false));
    conversation.rejoinLine();
    assertEquals(
        new Conversation.Welcomed(new Event.Welcome(TIME, "alice", LOBBY, "token-alice"), true),
        conversation.onLine(ServerEvents.welcome("alice")));
    assertInstanceOf(Conversation.Skipped.class, conversation.onLine(ServerEvents.joined("alice")),
        "a resume is no join for the user");
    assertEquals(new Conversation.Arrived(entered(LOBBY), true), receive(entered(LOBBY)));
    assertInstanceOf(Conversation.Shown.class, conversation.onLine(ServerEvents.gap(3)));
    assertInstanceOf(Conversation.Skipped.class, receive(chat(LOBBY, 4, "bob", true)));
    assertInstanceOf(Conversation.Skipped.class, receive(chat(LOBBY, 5, "bob", true)));
    assertEquals(
        new Conversation.Shown(chat(LOBBY, 6, "bob", true), Origin.MISSED, false),
        receive(chat(LOBBY, 6, "bob", true)));
    assertEquals(
        new Conversation.Shown(chat(LOBBY, 7, "alice", true), Origin.MISSED, true),
        receive(chat(LOBBY, 7, "alice", true)));
    assertEquals(
        new Conversation.Shown(chat(LOBBY, 8, "bob", false), Origin.LIVE, false),
        receive(chat(LOBBY, 8, "bob", false)));
    assertEquals(OptionalLong.of(8), conversation.lastSeq(LOBBY));
  }

  @Test
  void historyAskedForIsShownEvenWhenSeen() {
    joinAsAlice();
    receive(chat(LOBBY, 1, "bob", false));
    receive(chat(LOBBY, 2, "bob", false));
    receive(new Event.Info(TIME, "No messages"));
    assertEquals(
        new Conversation.Shown(chat(LOBBY, 1, "bob", true), Origin.HISTORY, false),
        receive(chat(LOBBY, 1, "bob", true)));
    assertEquals(
        new Conversation.Shown(chat(LOBBY, 2, "bob", true), Origin.HISTORY, false),
        receive(chat(LOBBY, 2, "bob", true)));
  }

  @Test
  void historyRightAfterARoomsHistoryIsAnAnswerToHistoryNotAReplay() {
    joinAsAlice();
    receive(chat(LOBBY, 1, "bob", true));
    receive(chat(LOBBY, 2, "bob", true));
    assertEquals(
        new Conversation.Shown(chat(LOBBY, 1, "bob", true), Origin.HISTORY, false),
        receive(chat(LOBBY, 1, "bob", true)),
        "numbers going back start the answer to /history");
  }

  @Test
  void comingBackToARoomSkipsItsHistoryAlreadySeen() {
    joinAsAlice();
    receive(entered("#dev"));
    receive(chat("#dev", 3, "bob", false));
    receive(new Event.Left(TIME, "#dev", "alice", Event.Departure.PARTED, null));
    receive(entered(LOBBY));
    assertEquals(
        new Conversation.Shown(entered("#dev"), Origin.LIVE, false), receive(entered("#dev")));
    assertInstanceOf(Conversation.Skipped.class, receive(chat("#dev", 2, "bob", true)));
    assertInstanceOf(Conversation.Skipped.class, receive(chat("#dev", 3, "bob", true)));
    assertEquals(
        new Conversation.Shown(chat("#dev", 4, "bob", true), Origin.HISTORY, false),
        receive(chat("#dev", 4, "bob", true)));
    assertEquals("#dev", conversation.room());
  }

  @Test
  void aPageOfHistoryRightAfterAMoveIntoARoomOneIsInIsShown() {
    joinAsAlice();
    receive(entered("#dev"));
    receive(chat("#dev", 300, "bob", false));
    receive(entered(LOBBY)); // a window switch: /join of a room one is in
    receive(entered("#dev"));
    assertEquals( // the answer to /history before 251, sent right after the switch
        new Conversation.Shown(chat("#dev", 201, "bob", true), Origin.HISTORY, false),
        receive(chat("#dev", 201, "bob", true)));
    assertEquals(
        new Conversation.Shown(chat("#dev", 202, "bob", true), Origin.HISTORY, false),
        receive(chat("#dev", 202, "bob", true)));
  }

  @Test
  void liveNumbersLeadAfterAServerRestart() {
    joinAsAlice();
    receive(chat(LOBBY, 50, "bob", false));
    receive(chat(LOBBY, 1, "bob", false));
    assertEquals(OptionalLong.of(1), conversation.lastSeq(LOBBY));
  }

  @Test
  void ownRenameChangesTheNameUsedToRejoin() {
    joinAsAlice();
    receive(new Event.Renamed(TIME, LOBBY, "alice", "alicia"));
    assertEquals("alicia", conversation.name());
    assertTrue(conversation.rejoinLine().startsWith("JOIN:alicia "));
    receive(new Event.Renamed(TIME, LOBBY, "bob", "robert"));
    assertEquals("alicia", conversation.name());
  }

  @Test
  void aLineThatIsNoEventIsUnreadable() {
    assertEquals(new Conversation.Unreadable("hello there"), conversation.onLine("hello there"));
    assertEquals(new Conversation.Unreadable("{\"type\":\"dance\"}"),
        conversation.onLine("{\"type\":\"dance\"}"));
  }

  @Test
  void reconnectOnlyAfterAnUnexplainedEnd() {
    joinAsAlice();
    assertTrue(conversation.shouldReconnect(), "closed with no reason given");
    receive(new Event.Error(TIME, "You were kicked by the server operator."));
    assertFalse(conversation.shouldReconnect(), "closed right after an error: kicked");
    receive(chat(LOBBY, 1, "bob", false));
    assertTrue(conversation.shouldReconnect(), "an error long before the end does not count");
    assertInstanceOf(Conversation.ShutDown.class, receive(new Event.Shutdown(TIME)));
    assertFalse(conversation.shouldReconnect(), "the server shut down");
    conversation.rejoinLine();
    assertTrue(conversation.shouldReconnect(), "each connection starts afresh");
    conversation.quitSent();
    assertFalse(conversation.shouldReconnect(), "the user left");
  }

  @Test
  void aResumeAsksOnlyForWhatCameAfterTheRoomsNumberAtEntry() {
    Conversation conversation = new Conversation();
    conversation.joinLine("alice");
    conversation.onLine(JsonLines.write(new Event.Welcome(TIME, "alice", "#lobby", "tok")));
    conversation.onLine(JsonLines.write(new Event.Joined(TIME, "#lobby", "alice", false)));
    conversation.onLine(
        JsonLines.write(new Event.Entered(TIME, "#lobby", List.of("alice"), null, 40)));
    assertEquals("JOIN:alice mode=json token=tok room=#lobby after=40", conversation.rejoinLine());
  }

  @Test
  void theServersTextAnswersToAPasswordAreRecognised() {
    conversation.joinLine("alice");
    assertInstanceOf(
        Conversation.WrongPassword.class,
        conversation.onLine("ERROR: Wrong password; closing the connection."));
    assertInstanceOf(
        Conversation.PasswordNotNeeded.class,
        conversation.onLine("ERROR: This server has no password; send JOIN:<username>."));
    assertInstanceOf(Conversation.Unreadable.class, conversation.onLine("ERROR: something else"));
  }
}
