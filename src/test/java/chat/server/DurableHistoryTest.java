package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.testing.LineClient;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rooms on a database journal: what a server kept is there after it restarts, and older pages
 * and searches read it. Run on H2 ({@link H2HistoryTest}) and PostgreSQL ({@link
 * PostgresHistoryTest}).
 */
@ExtendWith(LogCapturingExtension.class)
abstract class DurableHistoryTest {

  /** The {@code chat.history} settings of a store of this test's own, named {@code name}. */
  abstract String store(String name);

  private TestServer server() {
    return TestServer.start("chat.history { snapshot-every = 3 }\n" + store("restarts"));
  }

  @Test
  void historyTopicAndNumberingOutliveTheServer() {
    try (TestServer server = server(); Talk talk = Talk.joined(server)) {
      LineClient alice = talk.alice();
      LineClient watcher = talk.watcher();
      alice.send("/topic kept across restarts");
      watcher.expect("alice set the topic of #lobby: kept across restarts");
      talk.lines(1, 4);
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
  void olderPagesAndSearchesReadTheStoreBeyondWhatTheRoomHoldsInMemory() {
    try (TestServer server = TestServer.start("chat.room.history-size = 3\n" + store("paged"));
        Talk talk = Talk.joined(server)) {
      LineClient alice = talk.alice();
      LineClient watcher = talk.watcher();
      talk.lines(1, 2);
      // A topic between messages 2 and 3 takes a journal entry of its own.
      alice.send("/topic paging");
      watcher.expect("alice set the topic of #lobby: paging");
      talk.lines(3, 10);
      // Memory holds 8 to 10; 1 to 7 come from the database.
      List<String> newest = answerTo(watcher, "/history before 100 5");
      assertEquals(5, newest.size(), "above the last number: the newest, " + newest);
      assertTrue(newest.get(0).endsWith("] alice: line 6"), newest.toString());
      assertTrue(newest.get(4).endsWith("] alice: line 10"), newest.toString());
      watcher.send("/history before 5 3");
      for (int i = 2; i <= 4; i++) {
        String line = watcher.readLine();
        assertTrue(line.startsWith("[history ") && line.endsWith("] alice: line " + i), line);
      }
      watcher.send("/history before 2");
      String first = watcher.readLine();
      assertTrue(first.endsWith("] alice: line 1"), first);
      watcher.send("/history before 1");
      watcher.expect("No messages in #lobby before 1.");

      watcher.send("/search LINE 1");
      watcher.expect("Found in #lobby for \"LINE 1\", newest first (2):");
      assertTrue(watcher.readLine().matches("\\[#lobby 10 \\d\\d:\\d\\d\\] alice: line 10"));
      assertTrue(watcher.readLine().matches("\\[#lobby 1 \\d\\d:\\d\\d\\] alice: line 1"));
      watcher.send("/search nowhere");
      watcher.expect("Nothing in #lobby has \"nowhere\" (searched its last 10 messages).");
    }
  }

  @Test
  void aClientComingBackAfterARestartGetsWhatItMissedBeyondTheMemoryFromTheStore() {
    String config = "chat.room.history-size = 3\nchat.history.replay-max = 5\n" + store("missed");
    try (TestServer server = TestServer.start(config); Talk talk = Talk.joined(server)) {
      talk.lines(1, 4);
      talk.alice().send("/topic among the missed");
      talk.watcher().expect("alice set the topic of #lobby: among the missed");
      talk.lines(5, 12);
    }
    // The memory holds 10 to 12 after the restart: 5 to 9 come from the store, 3 and 4 are
    // past replay-max and named, none is lost.
    try (TestServer server = TestServer.start(config);
        LineClient carol = LineClient.connect(server.address)) {
      carol.send("JOIN:carol after=2");
      List<String> seen = linesUntil(carol, "alice: line 12");
      assertFalse(seen.stream().anyMatch(line -> line.contains("lost")), seen.toString());
      assertTrue(seen.contains("2 earlier messages of #lobby came while you were away;"
          + " /history before 5 shows them."), seen.toString());
      List<String> replayed = seen.stream().filter(line -> line.startsWith("[history ")).toList();
      assertEquals(8, replayed.size(), seen.toString());
      for (int i = 5; i <= 12; i++) {
        assertTrue(replayed.get(i - 5).endsWith("] alice: line " + i), replayed.toString());
      }
      List<String> older = answerTo(carol, "/history before 5");
      assertEquals(4, older.size(), older.toString());
      assertTrue(older.get(3).endsWith("] alice: line 4"), older.toString());
    }
  }

  @Test
  void manyTopicsAfterTheLastMessagesHideNoneOfThemAfterARestart() {
    String config = "chat.room.history-size = 3\nchat.history.snapshot-every = 7\n"
        + store("topics");
    try (TestServer server = TestServer.start(config); Talk talk = Talk.joined(server)) {
      talk.lines(1, 5);
      for (int i = 1; i <= 80; i++) {
        talk.alice().send("/topic number " + i);
        talk.watcher().expect("alice set the topic of #lobby: number " + i);
      }
    }
    try (TestServer server = TestServer.start(config); LineClient bob = server.joined("bob")) {
      List<String> seen = linesUntil(bob, "alice: line 5");
      assertTrue(seen.contains("Topic of #lobby: number 80"), seen.toString());
      List<String> history = seen.stream().filter(line -> line.startsWith("[history ")).toList();
      assertEquals(3, history.size(), seen.toString());
      assertTrue(history.get(0).endsWith("] alice: line 3"), history.toString());
      List<String> older = answerTo(bob, "/history before 3");
      assertEquals(2, older.size(), older.toString());
      assertTrue(older.get(0).endsWith("] alice: line 1"), older.toString());
    }
  }

  @Test
  void roomsAtRestInTheStoreAreListedAfterARestart() {
    try (TestServer server = TestServer.start(store("listed"));
        LineClient alice = server.joined("alice");
        LineClient watcher = server.joined("watcher")) {
      alice.send("/join #dev");
      alice.send("/topic kept");
      alice.send("in dev");
      watcher.send("/join #dev");
      linesUntil(watcher, "alice: in dev");
    }
    try (TestServer server = TestServer.start(store("listed"));
        LineClient bob = server.joined("bob")) {
      String rooms;
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
      do { // the directory reads the rooms in the store just after it starts
        bob.send("/rooms");
        rooms = bob.readLine();
      } while (!rooms.contains("#dev") && System.nanoTime() < deadline);
      assertEquals("Rooms (2): #dev (0), #lobby (1, current)", rooms);
      bob.send("/join #dev");
      List<String> seen = linesUntil(bob, "alice: in dev");
      assertTrue(seen.contains("Topic of #dev: kept"), seen.toString());
    }
  }

  @Test
  void aMembersLastLinesComeBeforeItsLeavingThoughTheyWaitForTheStore() {
    try (TestServer server = TestServer.start(store("last_words"));
        Talk talk = Talk.joined(server)) {
      for (int round = 1; round <= 5; round++) {
        try (LineClient bob = server.joined("bob" + round)) {
          talk.watcher().expect("bob" + round + " has joined the chat.");
          bob.write("last words " + round + "\n!quit\n");
          talk.watcher().expect("bob" + round + ": last words " + round);
          talk.watcher().expect("bob" + round + " left the chat.");
        }
      }
    }
  }

  @Test
  void aRenameComesAfterWhatWasSaidUnderTheOldName() {
    try (TestServer server = TestServer.start(store("renamed"));
        Talk talk = Talk.joined(server)) {
      for (int round = 1; round <= 5; round++) {
        String before = round == 1 ? "alice" : "al" + (round - 1);
        talk.alice().write("said as " + before + "\n/nick al" + round + "\n");
        talk.watcher().expect(before + ": said as " + before);
        talk.watcher().expect(before + " is now known as al" + round + ".");
      }
    }
  }

  @Test
  void aMemberReadsItsOwnLinesThoughTheyAreStillBeingWritten() {
    try (TestServer server = TestServer.start(store("own_lines"));
        Talk talk = Talk.joined(server)) {
      LineClient alice = talk.alice();
      alice.write("deploy one\ndeploy two\n/history 2\n/search deploy\n");
      List<String> answers = answerTo(alice, "/history before 2");
      assertEquals(6, answers.size(), answers.toString());
      assertTrue(answers.get(0).endsWith("] alice: deploy one"), answers.toString());
      assertTrue(answers.get(1).endsWith("] alice: deploy two"), answers.toString());
      assertEquals("Found in #lobby for \"deploy\", newest first (2):", answers.get(2));
      assertTrue(answers.get(3).matches("\\[#lobby 2 .*\\] alice: deploy two"), answers.toString());
      assertTrue(answers.get(4).matches("\\[#lobby 1 .*\\] alice: deploy one"), answers.toString());
      assertTrue(answers.get(5).endsWith("] alice: deploy one"), answers.toString());
      // Asked together, the topic she asks for is the one she set.
      alice.write("/topic fresh\n/topic\n");
      alice.expect("alice set the topic of #lobby: fresh");
      alice.expect("Topic of #lobby: fresh");
    }
  }

  @Test
  void aPurgeEmptiesTheRoomInTheStoreTooAndItsNumberingAndTopicGoOn() {
    try (TestServer server = TestServer.start(store("purged"));
        Talk talk = Talk.joined(server)) {
      LineClient alice = talk.alice();
      LineClient watcher = talk.watcher();
      alice.send("/topic stays");
      watcher.expect("alice set the topic of #lobby: stays");
      for (int i = 1; i <= 3; i++) {
        alice.send("secret " + i);
        watcher.expect("alice: secret " + i);
      }
      server.admin("!history-purge #lobby");
      assertEquals("Emptied the history of #lobby: 4 entries (messages and topic changes) deleted"
          + " from the store; its numbering goes on.", server.console());
      server.admin("!stats");
      String stats = server.console();
      assertTrue(stats.contains("1 entries kept; 5 written since start"), stats);
      watcher.send("/history before 100");
      watcher.expect("No messages in #lobby before 100.");
      watcher.send("/search secret");
      watcher.expect("No messages in #lobby to search.");
      // A room with nothing in it is not made for a purge.
      server.admin("!history-purge #typo");
      assertEquals("#typo has no history to empty.", server.console());
    }
    // Restarted with nothing said since the purge: the numbering and the topic are the purge's.
    try (TestServer server = TestServer.start(store("purged"));
        LineClient carol = LineClient.connect(server.address)) {
      carol.send("JOIN:carol mode=json after=0");
      List<String> seen = linesUntil(carol, "\"current\":true}");
      String room = seen.get(seen.size() - 1);
      assertTrue(room.contains("\"topic\":\"stays\",\"seq\":3"), room);
      carol.send("after the purge");
      List<String> own = linesUntil(carol, "\"text\":\"after the purge\"}");
      assertTrue(own.get(own.size() - 1).contains("\"seq\":4"), own.toString());
      assertFalse(seen.stream().anyMatch(line -> line.contains("secret")), seen.toString());
      carol.send("/rooms");
      String rooms = carol.readLine();
      assertFalse(rooms.contains("#typo"), rooms);
    }
  }


  @Test
  void retentionDeletesWhatIsPastItsLimitInTheBackground() {
    String config = "chat.room.history-size = 10\nchat.history { snapshot-every = 3,"
        + " retention { max-messages = 2, interval = 100ms } }\n" + store("retained");
    try (TestServer server = TestServer.start(config);
        Talk talk = Talk.joined(server)) {
      LineClient alice = talk.alice();
      LineClient watcher = talk.watcher();
      talk.lines(1, 10);
      // Memory keeps the last 2; the database its entries since the latest snapshot (9): 9, 10.
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
      List<String> answer;
      do {
        answer = answerTo(watcher, "/history before 9 8");
      } while (!answer.equals(List.of("No messages in #lobby before 9."))
          && System.nanoTime() < deadline);
      assertEquals(List.of("No messages in #lobby before 9."), answer);
      // Memory is pruned at the next run too.
      List<String> last;
      do {
        last = answerTo(watcher, "/history 5");
      } while (last.size() > 2 && System.nanoTime() < deadline);
      assertEquals(2, last.size(), last.toString());
      assertTrue(last.get(0).endsWith("] alice: line 9"), last.toString());
      assertTrue(last.get(1).endsWith("] alice: line 10"), last.toString());
    }
  }

  /** alice, who talks, and a watcher, who sees what she says once the room has kept it. */
  record Talk(LineClient alice, LineClient watcher) implements AutoCloseable {
    static Talk joined(TestServer server) {
      Talk talk = new Talk(server.joined("alice"), server.joined("watcher"));
      talk.alice().expect("watcher has joined the chat.");
      return talk;
    }

    /** alice says "line n" for each n from {@code from} to {@code to}; the watcher sees each. */
    void lines(int from, int to) {
      for (int i = from; i <= to; i++) {
        alice.send("line " + i);
        watcher.expect("alice: line " + i);
      }
    }

    @Override
    public void close() {
      alice.close();
      watcher.close();
    }
  }

  /** The lines that answer {@code command}: those before the answer to a {@code /topic} after it. */
  private static List<String> answerTo(LineClient client, String command) {
    client.send(command);
    client.send("/topic");
    List<String> lines = new ArrayList<>();
    for (String line = client.readLine();
        !line.equals("#lobby has no topic.") && !line.startsWith("Topic of #lobby: ");
        line = client.readLine()) {
      lines.add(line);
    }
    return lines;
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
