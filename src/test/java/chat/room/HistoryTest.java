package chat.room;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.protocol.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryTest {

  private long seq;

  private Event.Message chat(String text) {
    seq++;
    return new Event.Chat(0, "#lobby", seq, "alice", text, false);
  }

  private static List<String> texts(List<Event.Message> messages) {
    return messages.stream().map(Event.Message::text).toList();
  }

  @Test
  void keepsAtMostItsCountOfMessages() {
    History history = new History(3, 1 << 20);
    for (String text : List.of("a", "b", "c", "d", "e")) {
      history.add(chat(text));
    }
    assertEquals(List.of("c", "d", "e"), texts(history.last(10)));
  }

  @Test
  void keepsAtMostItsBytesOfTextSoLongLinesPushTheOldestOut() {
    History history = new History(500, 10_000);
    for (int i = 0; i < 20; i++) {
      history.add(chat(String.valueOf((char) ('a' + i)).repeat(4_000)));
    }
    assertEquals(2, history.size(), "two lines of 4,000 bytes fit in 10,000, not three");
    // Bytes in UTF-8: 2,000 two-byte letters are 4,000 bytes.
    history.add(chat("é".repeat(2_000)));
    assertEquals(2, history.size());
    history.add(chat("short"));
    assertEquals(3, history.size());
    History.Replay replay = history.since(0);
    assertEquals(19, replay.lost(), "what went (1 to 19) is still counted as missed");
    assertEquals("short", replay.messages().get(2).text());
  }

  @Test
  void aMessageLargerThanTheWholeBoundIsNotKeptButStillNumbered() {
    History history = new History(500, 100);
    history.add(chat("x".repeat(101)));
    assertEquals(0, history.size());
    assertEquals(1, history.lastSeq());
    assertEquals(new History.Replay(List.of(), 1), history.since(0));
  }
  @Test
  void aPageHoldsTheMessagesJustBelowANumberAndSaysWhetherItIsAllThereIs() {
    History history = new History(4, 1 << 20);
    for (String text : List.of("a", "b", "c", "d", "e", "f")) {
      history.add(chat(text)); // numbered 1 to 6; c to f (3 to 6) held
    }
    History.Page page = history.before(6, 2);
    assertEquals(List.of("d", "e"), texts(page.messages()));
    assertEquals(true, page.complete());
    assertEquals(true, ((Event.Chat) page.messages().get(0)).history(), "marked as history");
    History.Page pastMemory = history.before(4, 3);
    assertEquals(List.of("c"), texts(pastMemory.messages()));
    assertEquals(false, pastMemory.complete(), "a and b were let go: a store may have them");
    History whole = new History(10, 1 << 20);
    whole.add(new Event.Chat(0, "#lobby", 1, "alice", "first", false));
    assertEquals(true, whole.before(1, 5).complete());
    assertEquals(true, whole.before(9, 5).complete(), "it holds everything from number 1");
  }

  @Test
  void aSearchFindsTheNewestMessagesWithEveryWordInAnyCase() {
    History history = new History(10, 1 << 20);
    for (String text : List.of("Deploy done", "lunch?", "deploy failed: DONE wrong", "deploy")) {
      history.add(chat(text));
    }
    SearchTerms terms = new SearchTerms("  done   DEPLOY ");
    assertEquals(List.of("deploy failed: DONE wrong", "Deploy done"),
        texts(history.search(terms, 20)));
    assertEquals(List.of("deploy failed: DONE wrong"), texts(history.search(terms, 1)));
    assertEquals("done   DEPLOY", terms.words());
  }
}
