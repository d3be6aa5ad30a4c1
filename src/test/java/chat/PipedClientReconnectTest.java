package chat;

import chat.testing.RunningServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.client.Backoff;
import chat.client.ClientSettings;
import chat.client.PipedFront;
import chat.client.ServerLink;
import chat.testing.CapturedLines;
import chat.testing.CuttableProxy;
import chat.testing.LineClient;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The piped client against a real server through a proxy that the test cuts: the client
 * reconnects, resumes its session and prints every line it missed once, in order.
 */
@ExtendWith(LogCapturingExtension.class)
class PipedClientReconnectTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  static final Backoff QUICK =
      new Backoff(Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(10));

  static final Duration WAIT = Duration.ofSeconds(10);

  @AfterAll
  static void shutdownTestKit() {
    testKit.shutdownTestKit();
  }

  private RunningServer server;
  private CuttableProxy proxy;
  private InetSocketAddress address;

  private void startServer(String overrides) throws Exception {
    server = RunningServer.plainOnly(overrides);
    address = server.plain();
    proxy = CuttableProxy.start(address);
  }

  @AfterEach
  void stop() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** A piped client through the proxy, with standard input kept open until {@link #endInput}. */
  private final class Bot {
    final PipedOutputStream typing = new PipedOutputStream();
    final CapturedLines out = new CapturedLines();
    final CapturedLines err = new CapturedLines();
    final CompletableFuture<Integer> exit;

    Bot(String name) throws IOException {
      this(name, new ClientSettings("127.0.0.1", proxy.port(), 4096));
    }

    Bot(String name, ClientSettings settings) throws IOException {
      PipedInputStream in = new PipedInputStream(typing);
      PipedFront front = new PipedFront(testKit.system(), QUICK);
      exit =
          CompletableFuture.supplyAsync(
              () -> front.run(settings, Optional.of(name), in, out.stream(), err.stream()));
    }

    void type(String line) throws IOException {
      typing.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      typing.flush();
    }

    int endInput() throws Exception {
      typing.close();
      return exit.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Reads lines until {@code line} comes (each read bounded); returns those before it. */
  private static List<String> readUntil(LineClient client, String line) {
    List<String> before = new ArrayList<>();
    for (String next = client.readLine(); !line.equals(next); next = client.readLine()) {
      assertTrue(next != null, () -> "closed before " + line + "; read " + before);
      before.add(next);
    }
    return before;
  }

  /** Sends lines as alice and waits until the server has handled them all. */
  private static void say(LineClient alice, String... lines) {
    for (String line : lines) {
      alice.send(line);
    }
    alice.send("/topic");
    readUntil(alice, "#lobby has no topic.");
  }

  @Test
  void aServerThatCannotBeReachedIsLeftForTheNextOfTheChatsServers() throws Exception {
    startServer("");
    try (RunningServer other = RunningServer.plainOnly("");
        LineClient carol = LineClient.joined(other.plain(), "carol")) {
      Bot bot = new Bot("bot", new ClientSettings("127.0.0.1", proxy.port(), 4096).withServers(
          List.of("127.0.0.1:" + proxy.port(), "127.0.0.1:" + other.plain().getPort())));
      bot.out.expect("bot has joined the chat.");
      proxy.cut(); // and it stays cut: the first server is out of reach
      assertEquals(ServerLink.LOST, bot.err.next(WAIT));
      assertEquals("Reconnected, to 127.0.0.1:" + other.plain().getPort() + ".",
          bot.err.next(WAIT));
      readUntil(carol, "bot has joined the chat.");
      bot.type("here now");
      readUntil(carol, "bot: here now");
      assertEquals(0, bot.endInput());
    }
  }

  @Test
  void missedLinesArePrintedOnceInOrderAfterAReconnect() throws Exception {
    startServer("");
    try (LineClient alice = LineClient.joined(address, "alice")) {
      Bot bot = new Bot("bot");
      bot.out.expect("bot has joined the chat.");
      readUntil(alice, "bot has joined the chat.");
      say(alice, "one");
      bot.out.expect("alice: one");

      proxy.cut();
      assertEquals(ServerLink.LOST, bot.err.next(WAIT));
      readUntil(alice, "bot has disconnected unexpectedly.");
      bot.type("typed while away");
      say(alice, "two", "three");

      proxy.heal();
      assertEquals(ServerLink.RECONNECTED, bot.err.next(WAIT));
      bot.out.expect("alice: two", "alice: three");
      readUntil(alice, "bot: typed while away");
      say(alice, "four");
      bot.out.expect("alice: four");

      assertEquals(0, bot.endInput(), bot.err.text());
      assertEquals(
          List.of(
              "bot has joined the chat.",
              "alice: one",
              "alice: two",
              "alice: three",
              "alice: four",
              "bot left the chat."),
          bot.out.all());
      assertEquals(List.of(ServerLink.LOST, ServerLink.RECONNECTED), bot.err.all());
    }
  }

  @Test
  void theClientResumesAcrossARestartOfAServerThatKeepsItsHistory(@TempDir Path data)
      throws Exception {
    String h2 = "chat.history.store = h2\nchat.server.tls.enabled = off\n";
    server = RunningServer.start(data, h2);
    address = server.plain();
    proxy = CuttableProxy.start(address);
    Bot bot = new Bot("bot");
    try (LineClient alice = LineClient.joined(address, "alice")) {
      bot.out.expect("bot has joined the chat.");
      readUntil(alice, "bot has joined the chat.");
      say(alice, "one");
      bot.out.expect("alice: one");
      proxy.cut();
      assertEquals(ServerLink.LOST, bot.err.next(WAIT));
      say(alice, "two");
    }
    // The server goes (the bot, cut off, never hears of it) and comes back on the same port.
    server.close();
    server = RunningServer.start(data, h2 + "chat.server.port = " + address.getPort());
    try (LineClient alice = LineClient.joined(address, "alice")) {
      say(alice, "three");
      proxy.heal();
      assertEquals(ServerLink.RECONNECTED, bot.err.next(WAIT));
      bot.out.expect("alice: two", "alice: three");
      readUntil(alice, "bot has joined the chat.");
      say(alice, "four");
      bot.out.expect("alice: four");
    }
    bot.out.expect("alice left the chat."); // before the bot quits, or it may leave first
    assertEquals(0, bot.endInput(), bot.err.text());
    assertEquals(List.of("bot has joined the chat.", "alice: one", "alice: two", "alice: three",
        "alice: four", "alice left the chat.", "bot left the chat."), bot.out.all());
  }

  @Test
  void aSessionTheServerStillHoldsIsTakenBackWithTheToken() throws Exception {
    startServer("");
    try (LineClient alice = LineClient.joined(address, "alice")) {
      Bot bot = new Bot("bot");
      bot.out.expect("bot has joined the chat.");
      readUntil(alice, "bot has joined the chat.");

      proxy.cutClientSide(); // the server keeps the old connection: it holds the name
      assertEquals(ServerLink.LOST, bot.err.next(WAIT));
      assertEquals(ServerLink.RECONNECTED, bot.err.next(WAIT));
      say(alice, "after the takeover");
      bot.out.expect("alice: after the takeover");
      bot.type("still here");
      assertEquals(
          List.of(),
          readUntil(alice, "bot: still here"),
          "alice sees no leave and no join: the takeover is quiet");
      assertEquals(0, bot.endInput(), bot.err.text());
    }
  }

  @Test
  void aReconnectAfterTooLongTellsHowManyLinesWereLost() throws Exception {
    startServer("chat.room.history-size = 5");
    try (LineClient alice = LineClient.joined(address, "alice")) {
      Bot bot = new Bot("bot");
      bot.out.expect("bot has joined the chat.");
      readUntil(alice, "bot has joined the chat.");
      say(alice, "m1");
      bot.out.expect("alice: m1");

      proxy.cut();
      assertEquals(ServerLink.LOST, bot.err.next(WAIT));
      say(alice, "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10", "m11");
      proxy.heal();

      assertEquals(ServerLink.RECONNECTED, bot.err.next(WAIT));
      bot.out.expect(
          "5 messages in #lobby were lost while you were away.",
          "alice: m7",
          "alice: m8",
          "alice: m9",
          "alice: m10",
          "alice: m11");
      assertEquals(0, bot.endInput(), bot.err.text());
      assertEquals("bot left the chat.", bot.out.all().get(bot.out.all().size() - 1));
    }
  }
}
