package chat.room;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.protocol.ClientLines;
import chat.protocol.Mode;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every /command and its errors, in text mode, with alice, bob and carol in #lobby. */
@ExtendWith(LogCapturingExtension.class)
class ChatRoomCommandsTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  final RoomFixture fixture = new RoomFixture(testKit, new RoomSettings(500, 0));
  RoomFixture.Member alice;
  RoomFixture.Member bob;
  RoomFixture.Member carol;

  @BeforeEach
  void everybodyInTheLobby() {
    alice = fixture.join("alice");
    bob = fixture.join("bob");
    carol = fixture.join("carol");
    alice.outbox().expectLine("bob has joined the chat.");
    alice.outbox().expectLine("carol has joined the chat.");
    bob.outbox().expectLine("carol has joined the chat.");
  }

  private void nothingElse() {
    alice.outbox().expectNothing();
    bob.outbox().expectNothing();
    carol.outbox().expectNothing();
  }

  @Test
  void privateMessageReachesOnlyItsRecipientAndIsEchoedToTheSender() {
    fixture.type(alice, "/msg BOB psst, lunch?");
    bob.outbox().expectLine("[private] alice: psst, lunch?");
    alice.outbox().expectLine("[private to bob] alice: psst, lunch?");
    nothingElse();
  }

  @Test
  void privateMessageToSomeoneOfflineIsAnError() {
    fixture.type(alice, "/msg dave hello?");
    alice.outbox().expectLine(
        "ERROR: No one called 'dave' is online. Type /who * to see who is.");
    nothingElse();
  }

  @Test
  void meIsAnActionForTheRoom() {
    fixture.type(alice, "/me waves");
    bob.outbox().expectLine("* alice waves");
    carol.outbox().expectLine("* alice waves");
    nothingElse();
  }

  @Test
  void nickRenamesUnderTheNameRulesAndTellsTheRoom() {
    fixture.type(alice, "/nick Alicia");
    for (RoomFixture.Member member : List.of(alice, bob, carol)) {
      member.outbox().expectLine("alice is now known as Alicia.");
    }
    fixture.type(alice, "renamed");
    bob.outbox().expectLine("Alicia: renamed");
    carol.outbox().expectLine("Alicia: renamed");

    fixture.type(bob, "/nick ALICIA");
    bob.outbox().expectLine("ERROR: Username 'ALICIA' is already taken.");
    fixture.type(bob, "/nick no spaces");
    bob.outbox().expectLine("ERROR: Usage: /nick <name>. Type /help for the commands.");
    fixture.type(bob, "/nick b@d");
    bob.outbox().expectLine(
        "ERROR: Username may only contain letters, digits, '_', '-' and '.'. Type /help for the commands.");
    fixture.type(alice, "/nick alice");
    for (RoomFixture.Member member : List.of(alice, bob, carol)) {
      member.outbox().expectLine("Alicia is now known as alice.");
    }
    nothingElse();
  }

  @Test
  void joinMovesToARoomAndOnlyTheTwoRoomsConcernedAreTold() {
    fixture.type(alice, "/join #Dev");
    bob.outbox().expectLine("alice moved to #Dev.");
    carol.outbox().expectLine("alice moved to #Dev.");
    alice.outbox().expectLine("alice has joined #Dev.");
    alice.outbox().expectLine("You are now in #Dev (1 here: alice).");

    fixture.type(bob, "/join dev");
    alice.outbox().expectLine("bob has joined #Dev.");
    bob.outbox().expectLine("bob has joined #Dev.");
    bob.outbox().expectLine("You are now in #Dev (2 here: alice, bob).");
    carol.outbox().expectLine("bob moved to #Dev.");

    fixture.type(carol, "lobby only");
    fixture.type(alice, "dev only");
    bob.outbox().expectLine("alice: dev only");
    fixture.type(alice, "/join #dev");
    alice.outbox().expectLine("ERROR: You are already in #Dev.");
    fixture.type(alice, "/join #bad room");
    alice.outbox().expectLine("ERROR: Usage: /join #<room>. Type /help for the commands.");
    nothingElse();
  }

  @Test
  void roomsListsEveryRoomWithHowManyAreInIt() {
    fixture.type(bob, "/join #dev");
    alice.outbox().expectLine("bob moved to #dev.");
    carol.outbox().expectLine("bob moved to #dev.");
    bob.outbox().expectLine("bob has joined #dev.");
    bob.outbox().expectLine("You are now in #dev (1 here: bob).");

    fixture.type(alice, "/rooms");
    alice.outbox().expectLine("Rooms (2): #dev (1), #lobby (2)");
    nothingElse();
  }

  @Test
  void topicIsShownAndSetForTheRoom() {
    fixture.type(alice, "/topic");
    alice.outbox().expectLine("#lobby has no topic.");
    fixture.type(bob, "/topic Release on Friday");
    for (RoomFixture.Member member : List.of(alice, bob, carol)) {
      member.outbox().expectLine("bob set the topic of #lobby: Release on Friday");
    }
    fixture.type(carol, "/topic");
    carol.outbox().expectLine("Topic of #lobby: Release on Friday");
    nothingElse();
  }

  @Test
  void whoListsTheRoomOrEverybody() {
    fixture.type(carol, "/join #ops");
    alice.outbox().expectLine("carol moved to #ops.");
    bob.outbox().expectLine("carol moved to #ops.");
    carol.outbox().expectLine("carol has joined #ops.");
    carol.outbox().expectLine("You are now in #ops (1 here: carol).");

    fixture.type(alice, "/who");
    alice.outbox().expectLine("In #lobby (2): alice, bob");
    fixture.type(alice, "/who *");
    alice.outbox().expectLine("Online (3): alice (#lobby), bob (#lobby), carol (#ops)");
    nothingElse();
  }

  @Test
  void unknownCommandsAndWrongUsesAreErrorsThatNameHelpAndAreNeverBroadcast() {
    fixture.type(alice, "/dance");
    alice.outbox().expectLine("ERROR: Unknown command '/dance'. Type /help for the commands.");
    fixture.type(alice, "/msg bob");
    alice.outbox().expectLine("ERROR: Usage: /msg <name> <text>. Type /help for the commands.");
    fixture.type(alice, "/me");
    alice.outbox().expectLine("ERROR: Usage: /me <action>. Type /help for the commands.");
    fixture.type(alice, "/history lots");
    alice.outbox().expectLine("ERROR: Usage: /history [n]. Type /help for the commands.");
    nothingElse();
  }

  @Test
  void doubleSlashSendsALiteralSlash() {
    fixture.type(alice, "//shrug");
    bob.outbox().expectLine("alice: /shrug");
    carol.outbox().expectLine("alice: /shrug");
    nothingElse();
  }

  @Test
  void helpListsTheCommands() {
    fixture.type(alice, "/help");
    alice.outbox().expectLine("Commands:");
    String all = alice.outbox().probe.receiveMessage().utf8String();
    assertEquals(true, all.contains("/who"), all);
  }

  @Test
  void statsCountMembersRoomsAndMessages() {
    fixture.type(alice, "one");
    fixture.type(alice, "/msg bob two");
    TestProbe<ChatRoom.Stats> stats = testKit.createTestProbe();
    fixture.room.tell(new ChatRoom.GetStats(stats.ref()));
    assertEquals(new ChatRoom.Stats(3, 1, 2, 1, List.of()), stats.receiveMessage());
  }

  @Test
  void statsNameTheMembersFurthestBehindFirst() {
    alice.outbox().queued = 1_000;
    bob.outbox().queued = 250_000;
    TestProbe<ChatRoom.Stats> stats = testKit.createTestProbe();
    fixture.room.tell(new ChatRoom.GetStats(stats.ref()));
    assertEquals(List.of(new ChatRoom.Backlog("bob", 250_000), new ChatRoom.Backlog("alice", 1_000)),
        stats.receiveMessage().deepest());
  }

  @Test
  void topicsHaveAMaximumLength() {
    fixture.type(alice, "/topic " + "t".repeat(301));
    alice.outbox().expectLine("ERROR: A topic can be at most 300 characters long.");
    nothingElse();
  }

  @Test
  void roomsAreBoundedAndEmptyOnesMakeWay() {
    RoomFixture small = new RoomFixture(testKit, new RoomSettings(10, 256 << 10, 0, 2, 300));
    RoomFixture.Member dora = small.join("dora");
    RoomFixture.Member ed = small.join("ed");
    dora.outbox().expectLine("ed has joined the chat.");
    small.type(dora, "/join #one");
    small.type(dora, "kept in the history of #one");
    small.type(ed, "/join #two");
    ed.outbox().expectLine("dora moved to #one.");
    ed.outbox().expectLine("ERROR: The server has too many rooms to make #two; join one of /rooms.");

    small.type(dora, "/join #lobby"); // #one is empty now: the oldest empty room makes way
    small.type(ed, "/join #two");
    ed.outbox().expectLine("dora has joined #lobby.");
    ed.outbox().expectLine("ed has joined #two.");
    ed.outbox().expectLine("You are now in #two (1 here: ed).");
    small.type(ed, "/rooms");
    ed.outbox().expectLine("Rooms (2): #lobby (1), #two (1)");
  }

  @Test
  void aJoinIntoARoomTheServerCannotMakeIsRefusedNotSentToTheLobby() {
    RoomFixture small = new RoomFixture(testKit, new RoomSettings(10, 256 << 10, 0, 2, 300));
    RoomFixture.Member dora = small.join("dora");
    RoomFixture.Member cy = small.join("cy");
    small.type(cy, "/join #one");
    dora.outbox().expectLine("cy has joined the chat.");
    dora.outbox().expectLine("cy moved to #one.");
    ClientLines.JoinOptions intoTwo = new ClientLines.JoinOptions(
        Mode.TEXT, Optional.empty(), Optional.of("#two"), OptionalLong.empty());
    ProbeOutbox outbox = ProbeOutbox.create(testKit);
    assertEquals(
        new ChatRoom.JoinRejected("The server has too many rooms to make #two; join without room=."),
        small.tryJoin("ed", intoTwo, outbox));
    // Refused whole: nobody was told of a join, and the name is still free.
    dora.outbox().expectNothing();
    small.join("ed");
    dora.outbox().expectLine("ed has joined the chat.");
  }
}
