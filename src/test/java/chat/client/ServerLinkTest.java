package chat.client;

import static chat.testing.ServerEvents.joinAnswer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.testing.FakeServer;
import chat.testing.LineClient;
import chat.testing.ServerEvents;
import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The link on its own, against a fake server, with a listener that reports to a probe. */
@ExtendWith(LogCapturingExtension.class)
class ServerLinkTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  static final Backoff QUICK = ServerEvents.QUICK;

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  record Connected() {}

  record Received(Conversation.Step step) {}

  record Notice(String text) {}

  record Ended(int code, Optional<String> message) {}

  /** A listener that tells the probe everything, in order. */
  static ServerLink.Listener reportingTo(ActorRef<Object> probe) {
    return new ServerLink.Listener() {
      @Override
      public void connected() {
        probe.tell(new Connected());
      }

      @Override
      public void received(Conversation.Step step, Conversation.Me me) {
        probe.tell(new Received(step));
      }

      @Override
      public void notice(String text) {
        probe.tell(new Notice(text));
      }

      @Override
      public void ended(int code, Optional<String> message) {
        probe.tell(new Ended(code, message));
      }
    };
  }

  private static ActorRef<ServerLink.Command> spawn(
      FakeServer server, int heldLines, TestProbe<Object> probe) {
    ServerLink.Settings settings =
        new ServerLink.Settings(server.settings(), QUICK, Duration.ofSeconds(2), heldLines);
    return ServerLink.spawn(testKit.system(), settings, reportingTo(probe.ref()));
  }

  /** A link that joined as {@code name} and then lost a server that takes no connection again. */
  private static ActorRef<ServerLink.Command> joinedAndLostForGood(
      FakeServer server, String name, TestProbe<Object> probe) throws Exception {
    ActorRef<ServerLink.Command> link = spawn(server, 8, probe);
    LineClient first = server.accept();
    probe.expectMessage(new Connected());
    link.tell(new ServerLink.Join(name));
    first.readLine();
    joinAnswer(name).forEach(first::send);
    expectSteps(probe, 3);
    server.close(); // no reconnect can succeed
    first.reset();
    probe.expectMessage(new Notice(ServerLink.LOST));
    return link;
  }

  private static void expectSteps(TestProbe<Object> probe, int count) {
    for (int i = 0; i < count; i++) {
      probe.expectMessageClass(Received.class);
    }
  }

  @Test
  void linesTypedWhileDisconnectedAreHeldUpToTheBoundAndSentAfterTheRejoin() throws Exception {
    try (FakeServer server = new FakeServer()) {
      TestProbe<Object> probe = testKit.createTestProbe();
      ActorRef<ServerLink.Command> link = spawn(server, 2, probe);
      LineClient first = server.accept();
      probe.expectMessage(new Connected());
      link.tell(new ServerLink.Join("ann"));
      assertEquals("JOIN:ann mode=json", first.readLine());
      joinAnswer("ann").forEach(first::send);
      expectSteps(probe, 3);
      first.reset();
      probe.expectMessage(new Notice(ServerLink.LOST));

      link.tell(new ServerLink.Say("one"));
      link.tell(new ServerLink.Say("two"));
      link.tell(new ServerLink.Say("three"));
      probe.expectMessage(new Notice(ServerLink.WAITING + "one"));
      probe.expectMessage(new Notice(ServerLink.WAITING + "two"));
      probe.expectMessage(new Notice(ServerLink.NOT_SENT));

      try (LineClient second = server.accept()) {
        assertTrue(second.readLine().startsWith("JOIN:ann mode=json token=token-ann"));
        assertTrue(second.silentFor(Duration.ofMillis(200)), "nothing before the welcome");
        second.send(ServerEvents.welcome("ann"));
        probe.expectMessage(new Notice(ServerLink.RECONNECTED));
        assertEquals("one", second.readLine());
        assertEquals("two", second.readLine());
        link.tell(ServerLink.Quit.INSTANCE);
        assertEquals("!quit", second.readLine());
      }
      Object welcomed = probe.expectMessageClass(Received.class).step();
      assertInstanceOf(Conversation.Welcomed.class, welcomed);
      probe.expectMessage(new Ended(0, Optional.empty()));
    }
  }

  @Test
  void linesTypedWhileDisconnectedAreToldAsNotSentWhenReconnectingGivesUp() throws Exception {
    try (FakeServer server = new FakeServer()) {
      TestProbe<Object> probe = testKit.createTestProbe();
      ActorRef<ServerLink.Command> link = joinedAndLostForGood(server, "cy", probe);
      link.tell(new ServerLink.Say("are you there?"));
      link.tell(new ServerLink.Say("hello?"));
      probe.expectMessage(new Notice(ServerLink.WAITING + "are you there?"));
      probe.expectMessage(new Notice(ServerLink.WAITING + "hello?"));
      probe.expectMessage(Duration.ofSeconds(5), new Notice(ServerLink.UNSENT + "are you there?"));
      probe.expectMessage(new Notice(ServerLink.UNSENT + "hello?"));
      probe.expectMessage(new Ended(1, Optional.of(ServerLink.GAVE_UP)));
    }
  }

  @Test
  void theJoinHintIsNotShownAndAJoinTimeoutWhileTheNameIsChosenConnectsAgain() throws Exception {
    try (FakeServer server = new FakeServer()) {
      TestProbe<Object> probe = testKit.createTestProbe();
      ActorRef<ServerLink.Command> link = spawn(server, 8, probe);
      try (LineClient first = server.accept()) {
        probe.expectMessage(new Connected());
        first.send("To join the chat, send JOIN:<your name> (as in JOIN:alice) within 7 seconds.");
        first.send("ERROR: No JOIN:<username> within 10 seconds; closing the connection.");
      }
      try (LineClient second = server.accept()) {
        probe.expectNoMessage(Duration.ofMillis(200)); // nothing shown, and no end
        link.tell(new ServerLink.Join("di"));
        assertEquals("JOIN:di mode=json", second.readLine());
        joinAnswer("di").forEach(second::send);
        assertInstanceOf(Conversation.Welcomed.class,
            probe.expectMessageClass(Received.class).step());
      }
    }
  }

  @Test
  void aJoinThatCameAfterTheServersJoinTimeoutIsSentAgainOnANewConnection() throws Exception {
    try (FakeServer server = new FakeServer()) {
      TestProbe<Object> probe = testKit.createTestProbe();
      ActorRef<ServerLink.Command> link = spawn(server, 8, probe);
      try (LineClient first = server.accept()) {
        probe.expectMessage(new Connected());
        link.tell(new ServerLink.Join("ed"));
        assertEquals("JOIN:ed mode=json", first.readLine());
        first.send("ERROR: No JOIN:<username> within 10 seconds; closing the connection.");
      }
      try (LineClient second = server.accept()) {
        assertEquals("JOIN:ed mode=json", second.readLine());
        probe.expectNoMessage(Duration.ofMillis(100));
      }
    }
  }

  @Test
  void quitWhileReconnectingEndsAtOnce() throws Exception {
    try (FakeServer server = new FakeServer()) {
      TestProbe<Object> probe = testKit.createTestProbe();
      ActorRef<ServerLink.Command> link = joinedAndLostForGood(server, "bo", probe);
      link.tell(ServerLink.Quit.INSTANCE);
      probe.expectMessage(new Ended(0, Optional.empty()));
      probe.expectNoMessage(Duration.ofMillis(200));
    }
  }

  @Test
  void aCleanCloseWithNoReasonIsReconnectedToo() throws Exception {
    try (FakeServer server = new FakeServer()) {
      TestProbe<Object> probe = testKit.createTestProbe();
      ActorRef<ServerLink.Command> link = spawn(server, 8, probe);
      LineClient first = server.accept();
      probe.expectMessage(new Connected());
      link.tell(new ServerLink.Join("cy"));
      first.readLine();
      joinAnswer("cy").forEach(first::send);
      expectSteps(probe, 3);
      first.send(ServerEvents.chat(4, "dee", "hi"));
      expectSteps(probe, 1);
      first.close(); // a clean close with no reason given: reconnect too
      probe.expectMessage(new Notice(ServerLink.LOST));
      try (LineClient second = server.accept()) {
        assertEquals("JOIN:cy mode=json token=token-cy room=#lobby after=4", second.readLine());
        joinAnswer("cy").forEach(second::send);
        probe.expectMessage(new Notice(ServerLink.RECONNECTED));
        link.tell(ServerLink.Quit.INSTANCE);
        assertEquals("!quit", second.readLine());
      }
      expectSteps(probe, 3);
      probe.expectMessage(new Ended(0, Optional.empty()));
    }
  }

  private static ActorRef<ServerLink.Command> spawnWithPassword(
      FakeServer server, String password, TestProbe<Object> probe) {
    ServerLink.Settings settings =
        new ServerLink.Settings(
            server.settings().withPassword(password), QUICK, Duration.ofSeconds(2), 8);
    return ServerLink.spawn(testKit.system(), settings, reportingTo(probe.ref()));
  }

  @Test
  void thePasswordGoesBeforeEveryJoinTheResumeToo() throws Exception {
    try (FakeServer server = new FakeServer()) {
      TestProbe<Object> probe = testKit.createTestProbe();
      ActorRef<ServerLink.Command> link = spawnWithPassword(server, "open sesame", probe);
      LineClient first = server.accept();
      probe.expectMessage(new Connected());
      link.tell(new ServerLink.Join("gil"));
      assertEquals("PASS:open sesame", first.readLine());
      assertEquals("JOIN:gil mode=json", first.readLine());
      joinAnswer("gil").forEach(first::send);
      expectSteps(probe, 3);
      first.reset();
      probe.expectMessage(new Notice(ServerLink.LOST));
      try (LineClient second = server.accept()) {
        assertEquals("PASS:open sesame", second.readLine());
        assertTrue(second.readLine().startsWith("JOIN:gil mode=json token=token-gil"));
        joinAnswer("gil").forEach(second::send);
        probe.expectMessage(new Notice(ServerLink.RECONNECTED));
        link.tell(ServerLink.Quit.INSTANCE);
        assertEquals("!quit", second.readLine());
      }
      expectSteps(probe, 3);
      probe.expectMessage(new Ended(0, Optional.empty()));
    }
  }

  @Test
  void aWrongPasswordEndsWithoutReconnecting() throws Exception {
    try (FakeServer server = new FakeServer()) {
      TestProbe<Object> probe = testKit.createTestProbe();
      ActorRef<ServerLink.Command> link = spawnWithPassword(server, "guess", probe);
      try (LineClient connection = server.accept()) {
        probe.expectMessage(new Connected());
        link.tell(new ServerLink.Join("hu"));
        assertEquals("PASS:guess", connection.readLine());
        // Before a join the server answers in text mode.
        connection.send("ERROR: Wrong password; closing the connection.");
      }
      probe.expectMessage(new Ended(1, Optional.of(ServerLink.WRONG_PASSWORD)));
      probe.expectNoMessage(Duration.ofMillis(200));
    }
  }

  @Test
  void aPasswordGivenAfterARefusalJoinsOnAFreshConnection() throws Exception {
    try (FakeServer server = new FakeServer()) {
      TestProbe<Object> probe = testKit.createTestProbe();
      ActorRef<ServerLink.Command> link = spawn(server, 8, probe);
      LineClient first = server.accept();
      probe.expectMessage(new Connected());
      link.tell(new ServerLink.Join("ivy"));
      assertEquals("JOIN:ivy mode=json", first.readLine());
      first.send(ServerEvents.refused(chat.protocol.Names.Refusals.PASSWORD_NEEDED));
      Object refused = probe.expectMessageClass(Received.class).step();
      assertInstanceOf(Conversation.Refused.class, refused);
      // The user took a while to type it: the server's join timeout runs from the connection.
      link.tell(new ServerLink.UsePassword("sesame"));
      link.tell(new ServerLink.Join("ivy"));
      try (LineClient second = server.accept()) {
        assertEquals("PASS:sesame", second.readLine());
        assertEquals("JOIN:ivy mode=json", second.readLine());
        joinAnswer("ivy").forEach(second::send);
        expectSteps(probe, 3);
        link.tell(ServerLink.Quit.INSTANCE);
        assertEquals("!quit", second.readLine());
      }
      probe.expectMessage(new Ended(0, Optional.empty()));
      first.close();
    }
  }

  @Test
  void aPasswordForAServerWithoutOneIsDroppedWithANotice() throws Exception {
    try (FakeServer server = new FakeServer()) {
      TestProbe<Object> probe = testKit.createTestProbe();
      ActorRef<ServerLink.Command> link = spawnWithPassword(server, "unneeded", probe);
      try (LineClient connection = server.accept()) {
        probe.expectMessage(new Connected());
        link.tell(new ServerLink.Join("jay"));
        assertEquals("PASS:unneeded", connection.readLine());
        assertEquals("JOIN:jay mode=json", connection.readLine());
        connection.send("ERROR: This server has no password; send JOIN:<username>.");
        probe.expectMessage(new Notice(ServerLink.PASSWORD_NOT_NEEDED));
        joinAnswer("jay").forEach(connection::send);
        expectSteps(probe, 3);
        link.tell(ServerLink.Quit.INSTANCE);
        assertEquals("!quit", connection.readLine());
      }
      probe.expectMessage(new Ended(0, Optional.empty()));
    }
  }

  @Test
  void aPlainConnectionClosedWithoutAWordSuggestsTheTlsPort() throws Exception {
    try (FakeServer server = new FakeServer()) {
      TestProbe<Object> probe = testKit.createTestProbe();
      ActorRef<ServerLink.Command> link = spawn(server, 8, probe);
      try (LineClient connection = server.accept()) {
        probe.expectMessage(new Connected());
        link.tell(new ServerLink.Join("kai"));
        connection.readLine();
      }
      Ended ended = probe.expectMessageClass(Ended.class);
      assertEquals(1, ended.code());
      assertEquals(
          Optional.of("The server at 127.0.0.1:" + server.port()
              + " closed the connection without a word; is this the TLS port? try --tls"),
          ended.message());
    }
  }
}
