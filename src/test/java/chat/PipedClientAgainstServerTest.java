package chat;

import chat.testing.RunningServer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.client.ClientSettings;
import chat.client.PipedFront;
import chat.testing.LineClient;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The client app in piped mode, as a script uses it, against a real server on loopback. */
@ExtendWith(LogCapturingExtension.class)
class PipedClientAgainstServerTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdownTestKit() {
    testKit.shutdownTestKit();
  }

  private RunningServer server;
  private InetSocketAddress address;
  private ClientSettings settings;

  @BeforeEach
  void startServer() throws Exception {
    server = RunningServer.plainOnly("");
    address = server.plain();
    settings = ClientSettings.fromConfig(ConfigFactory.load())
        .withHost("127.0.0.1")
        .withPort(address.getPort());
  }

  @AfterEach
  void stopServer() throws Exception {
    server.close();
  }

  /** What one piped run printed, and how it ended. */
  private record Run(int exitCode, List<String> out, String err) {}

  private Run pipe(Optional<String> name, String input) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new PipedFront(testKit.system())
            .run(
                settings,
                name,
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8).lines().toList(), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void scriptJoinsPostsAndLeavesAtEndOfInput() {
    try (LineClient watcher = LineClient.joined(address, "watcher")) {
      Run run = pipe(Optional.empty(), "bot\nhello from a script\nsecond line\n");

      assertEquals(0, run.exitCode(), run.err());
      assertEquals(List.of("bot has joined the chat.", "bot left the chat."), run.out());
      watcher.expect("bot has joined the chat.");
      watcher.expect("bot: hello from a script");
      watcher.expect("bot: second line");
      watcher.expect("bot left the chat.");
    }
  }

  @Test
  void aScriptInSeveralRoomsSeesTheOtherRoomsLinesMarkedAsNcWould() {
    try (LineClient watcher = LineClient.joined(address, "watcher")) {
      watcher.send("/join #dev");
      watcher.expect("watcher has joined #dev.");
      watcher.expect("You are now in #dev (1 here: watcher).");
      Run run = pipe(Optional.of("bot"),
          "/join #dev\nin dev\n/say #lobby hello lobby\n/part #dev\n/who\n");

      assertEquals(0, run.exitCode(), run.err());
      assertEquals(List.of(
              "bot has joined the chat.",
              "bot has joined #dev.",
              "You are now in #dev (2 here: watcher, bot).",
              "bot left #dev.",
              "You are now in #lobby (2 here: watcher, bot).",
              "In #lobby (2): watcher, bot",
              "bot left the chat."),
          run.out(), run.err());
      // Each room's lines in order; the two rooms' lines may interleave either way.
      List<String> seen = new java.util.ArrayList<>();
      while (seen.size() < 6) {
        seen.add(watcher.readLine());
      }
      assertEquals(List.of("[#lobby] bot has joined the chat.", "[#lobby] bot: hello lobby",
          "[#lobby] bot left the chat."), seen.stream().filter(l -> l.startsWith("[#")).toList());
      assertEquals(List.of("bot has joined #dev.", "bot: in dev", "bot left #dev."),
          seen.stream().filter(l -> !l.startsWith("[#")).toList());
    }
  }

  @Test
  void takenNameEndsTheScriptWithExitCodeOne() {
    try (LineClient alice = LineClient.joined(address, "alice")) {
      Run run = pipe(Optional.of("ALICE"), "never sent\n");

      assertEquals(1, run.exitCode());
      assertEquals("Username refused: Username 'ALICE' is already taken.", run.err().strip());
      alice.send("anyone?");
      alice.send("!quit");
      alice.expect("alice left the chat.");
    }
  }
}
