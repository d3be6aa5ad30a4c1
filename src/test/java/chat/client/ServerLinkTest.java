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
  void quitWhileReconnectingEndsAtOnce() throws Exception {
    try (FakeServer server = new FakeServer()) {
      TestProbe<Object> probe = testKit.createTestProbe();
      ActorRef<ServerLink.Command> link = spawn(server, 8, probe);
      LineClient first = server.accept();
      probe.expectMessage(new Connected());
      link.tell(new ServerLink.Join("bo"));
      first.readLine();
      joinAnswer("bo").forEach(first::send);
      expectSteps(probe, 3);
      server.close(); // no reconnect can succeed
      first.reset();
      probe.expectMessage(new Notice(ServerLink.LOST));
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
}
