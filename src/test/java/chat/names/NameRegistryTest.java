package chat.names;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import chat.protocol.Event;
import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The registry of names against probes standing in for the sessions that own them. */
@ExtendWith(LogCapturingExtension.class)
class NameRegistryTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  private final ActorRef<NameRegistry.Command> registry = testKit.spawn(NameRegistry.create());

  /** A connection's session as the registry sees it: what it hears as owner, and its answers. */
  private record Owner(TestProbe<NameRegistry.ToOwner> hears,
      TestProbe<NameRegistry.ClaimReply> answers, ActorRef<Void> session) {

    static Owner create() {
      return new Owner(testKit.createTestProbe(), testKit.createTestProbe(),
          testKit.spawn(Behaviors.<Void>ignore()));
    }
  }

  private NameRegistry.ClaimReply claim(Owner owner, String name) {
    registry.tell(new NameRegistry.Claim(name, owner.hears().ref(), owner.session(),
        owner.answers().ref()));
    return owner.answers().receiveMessage();
  }

  private NameRegistry.ClaimReply resume(Owner owner, String token) {
    registry.tell(new NameRegistry.Resume(token, "any", owner.hears().ref(), owner.session(),
        owner.answers().ref()));
    return owner.answers().receiveMessage();
  }

  private int names() {
    TestProbe<NameRegistry.Counted> count = testKit.createTestProbe();
    registry.tell(new NameRegistry.Count(count.ref()));
    return count.receiveMessage().names();
  }

  private NameRegistry.SendReply send(String to, String text) {
    TestProbe<NameRegistry.SendReply> reply = testKit.createTestProbe();
    registry.tell(new NameRegistry.SendPrivate(
        new Event.Private(1, "someone", to, text), reply.ref()));
    return reply.receiveMessage();
  }

  @Test
  void aNameIsOnesAndItsLookAlikesAreTakenWithIt() {
    Owner alice = Owner.create();
    NameRegistry.Claimed claimed =
        assertInstanceOf(NameRegistry.Claimed.class, claim(alice, "alice"));
    assertEquals("alice", claimed.name());

    Owner other = Owner.create();
    assertEquals(new NameRegistry.Refused("Username 'ALICE' is already taken."),
        claim(other, "ALICE"));
    assertEquals(new NameRegistry.Refused(
            "Username 'аӏісе' looks too much like 'alice', which is taken."),
        claim(other, "аӏісе"));
    NameRegistry.Claimed bob = assertInstanceOf(NameRegistry.Claimed.class, claim(other, "bob"));
    assertNotEquals(claimed.member(), bob.member());
    assertNotEquals(claimed.token(), bob.token());
    assertEquals(2, names());
  }

  @Test
  void capitalsOfAnotherScriptThatLookLikeANameTakenAreTakenWithItOnClaimAndRename() {
    Owner team = Owner.create();
    assertInstanceOf(NameRegistry.Claimed.class, claim(team, "TEAM"));
    Owner other = Owner.create();
    String greek = "\u03A4\u0395\u0391\u039C";
    assertEquals(new NameRegistry.Refused(
            "Username '" + greek + "' looks too much like 'TEAM', which is taken."),
        claim(other, greek));
    NameRegistry.Claimed teamx =
        assertInstanceOf(NameRegistry.Claimed.class, claim(other, greek + "X"));
    TestProbe<NameRegistry.ClaimReply> renamed = testKit.createTestProbe();
    registry.tell(new NameRegistry.Rename(teamx.member(), "\u0422\u0415\u0410\u041C", renamed.ref()));
    assertInstanceOf(NameRegistry.Refused.class, renamed.receiveMessage());
    // Renaming to its own name in other capitals is no clash with itself.
    registry.tell(new NameRegistry.Rename(teamx.member(), greek.toLowerCase(java.util.Locale.ROOT)
        + "x", renamed.ref()));
    assertInstanceOf(NameRegistry.RenamedTo.class, renamed.receiveMessage());
  }

  @Test
  void aTokenTakesTheMemberOverOnceAndTheOldOwnerIsTold() {
    Owner first = Owner.create();
    NameRegistry.Claimed claimed =
        assertInstanceOf(NameRegistry.Claimed.class, claim(first, "carol"));

    Owner second = Owner.create();
    NameRegistry.Resumed resumed =
        assertInstanceOf(NameRegistry.Resumed.class, resume(second, claimed.token()));
    assertEquals(claimed.member(), resumed.member());
    assertEquals("carol", resumed.name());
    assertEquals(new NameRegistry.TakenOver(second.hears().ref()),
        first.hears().receiveMessage());

    assertEquals(new NameRegistry.NotResumed(), resume(Owner.create(), claimed.token()),
        "the old token no longer works");
    Owner third = Owner.create();
    assertInstanceOf(NameRegistry.Resumed.class, resume(third, resumed.token()));
    assertEquals(new NameRegistry.NotResumed(), resume(Owner.create(), "made-up"));
  }

  @Test
  void theSessionTakenOverCannotFreeTheName() {
    Owner first = Owner.create();
    NameRegistry.Claimed claimed =
        assertInstanceOf(NameRegistry.Claimed.class, claim(first, "dave"));
    Owner second = Owner.create();
    resume(second, claimed.token());

    registry.tell(new NameRegistry.Release(claimed.member(), first.session()));
    testKit.stop(first.session());
    assertInstanceOf(NameRegistry.Refused.class, claim(Owner.create(), "dave"),
        "the new connection holds it");

    registry.tell(new NameRegistry.Release(claimed.member(), second.session()));
    assertInstanceOf(NameRegistry.Claimed.class, claim(Owner.create(), "dave"));
  }

  @Test
  void aSessionThatStopsFreesItsName() {
    Owner erin = Owner.create();
    assertInstanceOf(NameRegistry.Claimed.class, claim(erin, "erin"));
    testKit.stop(erin.session());
    Owner again = Owner.create();
    // The registry hears of the stop in its own time.
    again.answers().awaitAssert(
        () -> assertInstanceOf(NameRegistry.Claimed.class, claim(again, "erin")));
  }

  @Test
  void aRenameFollowsTheNameRulesOfClaims() {
    Owner frank = Owner.create();
    NameRegistry.Claimed claimed =
        assertInstanceOf(NameRegistry.Claimed.class, claim(frank, "frank"));
    claim(Owner.create(), "gina");

    registry.tell(new NameRegistry.Rename(claimed.member(), "G1na", frank.answers().ref()));
    assertEquals(new NameRegistry.Refused("Username 'G1na' looks too much like 'gina', which is"
        + " taken."), frank.answers().receiveMessage());
    registry.tell(new NameRegistry.Rename(claimed.member(), "Frankie", frank.answers().ref()));
    assertEquals(new NameRegistry.RenamedTo("frank", "Frankie"), frank.answers().receiveMessage());
    registry.tell(new NameRegistry.Rename(claimed.member(), "FRANK", frank.answers().ref()));
    assertEquals(new NameRegistry.RenamedTo("Frankie", "FRANK"), frank.answers().receiveMessage(),
        "its own old name is free");
    assertInstanceOf(NameRegistry.Claimed.class, claim(Owner.create(), "Frankie"));
  }

  @Test
  void privateMessagesAndKicksReachTheNameAsWrittenNeverALookAlike() {
    Owner hana = Owner.create();
    claim(hana, "hana");

    assertEquals(new NameRegistry.Sent("hana"), send("HANA", "psst"));
    assertEquals(new Event.Private(1, "someone", "HANA", "psst"),
        hana.hears().expectMessageClass(NameRegistry.PrivateMessage.class).message());
    assertEquals(new NameRegistry.NotOnline("h\u0430na"), send("h\u0430na", "to a look-alike"));
    hana.hears().expectNoMessage(java.time.Duration.ofMillis(100));

    TestProbe<NameRegistry.SendReply> kicked = testKit.createTestProbe();
    registry.tell(new NameRegistry.Kick("Hana", Optional.of("spam"), kicked.ref()));
    assertEquals(new NameRegistry.Sent("hana"), kicked.receiveMessage());
    assertEquals(new NameRegistry.Kicked(Optional.of("spam")), hana.hears().receiveMessage());
    registry.tell(new NameRegistry.Kick("nobody", Optional.empty(), kicked.ref()));
    assertEquals(new NameRegistry.NotOnline("nobody"), kicked.receiveMessage());
  }

  @Test
  void aWhoisAsksTheHolderOfTheNameAsWrittenAndAnUnknownNameIsNotOnline() {
    Owner hana = Owner.create();
    claim(hana, "hana");
    TestProbe<NameRegistry.WhoisReply> asker = testKit.createTestProbe();
    registry.tell(new NameRegistry.Whois("HANA", asker.ref()));
    assertEquals(new NameRegistry.DescribeYourself(asker.ref()), hana.hears().receiveMessage());
    asker.expectNoMessage(java.time.Duration.ofMillis(100)); // the holder's session answers

    registry.tell(new NameRegistry.Whois("h\u0430na", asker.ref()));
    assertEquals(new NameRegistry.NotOnline("h\u0430na"), asker.receiveMessage());
    hana.hears().expectNoMessage(java.time.Duration.ofMillis(100));
  }

  @Test
  void aPrivateMessageCarriesWhereItsSenderHearsAnswers() {
    Owner hana = Owner.create();
    claim(hana, "hana");
    TestProbe<NameRegistry.SendReply> sender = testKit.createTestProbe();
    Event.Private message = new Event.Private(1, "bob", "hana", "psst");
    registry.tell(new NameRegistry.SendPrivate(message, sender.ref()));
    assertEquals(new NameRegistry.PrivateMessage(message, sender.ref()),
        hana.hears().receiveMessage());
  }

  @Test
  void aNameHeldForAMovingMemberOutlivesItsSessionUntilResumedOrTimeIsUp() {
    Owner moving = Owner.create();
    NameRegistry.Claimed claimed =
        assertInstanceOf(NameRegistry.Claimed.class, claim(moving, "mover"));
    registry.tell(
        new NameRegistry.Hold(claimed.member(), moving.session(), Duration.ofSeconds(30)));
    testKit.stop(moving.session()); // its node stops; the name stays the member's
    Owner other = Owner.create();
    assertInstanceOf(NameRegistry.Refused.class, claim(other, "mover"));
    Owner back = Owner.create();
    assertInstanceOf(NameRegistry.Resumed.class, resume(back, claimed.token()));

    Owner gone = Owner.create();
    NameRegistry.Claimed left =
        assertInstanceOf(NameRegistry.Claimed.class, claim(gone, "leaver"));
    registry.tell(new NameRegistry.Hold(left.member(), gone.session(), Duration.ofMillis(200)));
    testKit.stop(gone.session());
    // Not resumed in time: the name is free again.
    testKit.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
      Owner newcomer = Owner.create();
      assertInstanceOf(NameRegistry.Claimed.class, claim(newcomer, "leaver"));
      return null;
    });
  }
}
