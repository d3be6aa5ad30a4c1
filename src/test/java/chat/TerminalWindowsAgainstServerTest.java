package chat;

import static org.junit.jupiter.api.Assertions.assertFalse;

import chat.client.ClientSettings;
import chat.client.terminal.TerminalFront;
import chat.testing.LineClient;
import chat.testing.RunningServer;
import chat.testing.ServerEvents;
import chat.testing.VirtualTerminal;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The terminal client's windows against a real server, with people on plain sockets: a user in
 * four rooms and two private conversations sees where something happened, moves there with one
 * key, and misses no line said meanwhile; /away and /whois answer across them.
 */
@ExtendWith(LogCapturingExtension.class)
class TerminalWindowsAgainstServerTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  static final TerminalFront.Options PLAIN =
      new TerminalFront.Options(false, Optional.empty(), ServerEvents.QUICK);

  @AfterAll
  static void shutdownTestKit() {
    testKit.shutdownTestKit();
  }

  private static void readUntil(LineClient client, String line) {
    readUntilStart(client, line + "\n");
  }

  /** Reads lines until one starts with {@code start} (a whole line when it ends with \n). */
  private static void readUntilStart(LineClient client, String start) {
    for (int read = 0; read < 200; read++) {
      if ((client.readLine() + "\n").startsWith(start)) {
        return;
      }
    }
    throw new AssertionError("no " + start);
  }

  @Test
  void fourRoomsAndTwoConversationsWithNoLineLost() throws Exception {
    try (RunningServer server = RunningServer.plainOnly("");
        LineClient bob = LineClient.joined(server.plain(), "bob");
        LineClient carol = LineClient.joined(server.plain(), "carol");
        VirtualTerminal alice = VirtualTerminal.start(testKit.system(), 140, 24,
            new ClientSettings("127.0.0.1", server.plain().getPort(), 4096), Optional.of("alice"),
            PLAIN)) {
      alice.awaitStatus("1:#lobby");
      for (String room : new String[] {"#dev", "#ops", "#random"}) {
        bob.send("/join " + room);
        readUntilStart(bob, "You are now in " + room);
        alice.type("/join " + room);
        readUntil(bob, "alice has joined " + room + "."); // bob's current room
      }
      alice.awaitStatus("4:#random");
      carol.send("/msg alice are you coming?");
      alice.awaitStatus("5:carol(1!)");
      bob.send("/msg alice psst");
      alice.awaitStatus("6:bob(1!)");

      // Lines in rooms not shown: counted in the status line, shown once moved there.
      bob.send("/say #dev one");
      bob.send("/say #dev two, alice");
      bob.send("/say #ops three");
      alice.awaitStatus("2:#dev(2!)");
      alice.awaitStatus("3:#ops(1)");
      alice.keys("\u001b2");
      alice.awaitText("bob: two, alice");
      alice.awaitText("bob: one");
      assertFalse(alice.status().contains("(2!)"), alice.status());
      alice.type("hello dev");
      readUntil(bob, "[#dev] alice: hello dev");

      // A private window: text goes to that person; an away one answers once.
      carol.send("/away at lunch");
      readUntil(carol, "You are marked as away: at lunch");
      alice.keys("\u001b5");
      alice.awaitText("[private] carol: are you coming?");
      alice.type("see you there");
      readUntil(carol, "[private] alice: see you there");
      alice.awaitText("carol is away: at lunch");
      alice.type("/whois carol");
      alice.awaitText("carol is in #lobby; connected since");
      alice.type("/who *");
      alice.awaitText("carol (#lobby; away: at lunch)");
    }
  }
}
