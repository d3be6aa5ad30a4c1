package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.history.JournalSchema;
import chat.testing.LineClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rooms on the H2 journal: what a server kept is there after it restarts. */
@org.junit.jupiter.api.extension.ExtendWith(org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension.class)
class DurableHistoryTest {

  @TempDir Path data;

  private TestServer server() {
    return TestServer.start("chat.history { store = h2, snapshot-every = 3,"
        + " h2.url = \"jdbc:h2:file:" + data.resolve("history") + ";WRITE_DELAY=0\" }");
  }

  @Test
  void historyTopicAndNumberingOutliveTheServer() {
    try (TestServer server = server(); LineClient alice = server.joined("alice");
        LineClient watcher = server.joined("watcher")) {
      alice.expect("watcher has joined the chat.");
      alice.send("/topic kept across restarts");
      watcher.expect("alice set the topic of #lobby: kept across restarts");
      for (int i = 1; i <= 4; i++) {
        alice.send("line " + i);
        watcher.expect("alice: line " + i);
      }
    }
    try (TestServer server = server(); LineClient bob = server.joined("bob")) {
      List<String> seen = linesUntil(bob, "alice: line 4");
      assertTrue(seen.contains("Topic of #lobby: kept across restarts"), seen.toString());
      List<String> history = seen.stream().filter(line -> line.startsWith("[history ")).toList();
      assertEquals(4, history.size(), seen.toString());
      for (int i = 1; i <= 4; i++) {
        assertTrue(history.get(i - 1).endsWith("] alice: line " + i), history.toString());
      }
      try (LineClient dave = server.joined("dave")) {
        bob.expect("dave has joined the chat.");
        bob.send("line 5");
        List<String> daveSaw = linesUntil(dave, "bob: line 5");
        assertEquals("bob: line 5", daveSaw.get(daveSaw.size() - 1));
      }
    }
    // Numbering went on from the kept messages: a resume after 4 gets line 5 alone.
    try (TestServer server = server();
        LineClient carol = LineClient.connect(server.address)) {
      carol.send("JOIN:carol after=4");
      List<String> seen = linesUntil(carol, "bob: line 5");
      assertFalse(seen.stream().anyMatch(line -> line.contains("started again")), seen.toString());
      assertFalse(seen.stream().anyMatch(line -> line.contains("line 4")), seen.toString());
    }
  }

  @Test
  void aStoreThatCannotBeReachedIsOneClearError() {
    String url = "jdbc:postgresql://127.0.0.1:1/chat";
    JournalSchema.Unavailable refused = assertThrows(JournalSchema.Unavailable.class,
        () -> ChatServer.start(TestServer.config("chat.history { store = postgres,"
            + " postgres.url = \"" + url + "\" }"), Source.empty(), line -> { }));
    assertTrue(refused.getMessage().startsWith("Cannot use the history store postgres at " + url
        + ": "), refused.getMessage());
    assertEquals(-1, refused.getMessage().indexOf('\n'), refused.getMessage());
  }

  /** Lines up to and including the first that ends with {@code end}. */
  private static List<String> linesUntil(LineClient client, String end) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String line = client.readLine();
      lines.add(line);
      if (line.endsWith(end)) {
        return lines;
      }
    }
    throw new AssertionError("no line ending with " + end + " in " + lines);
  }
}
