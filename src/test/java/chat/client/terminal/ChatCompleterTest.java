package chat.client.terminal;

import static chat.testing.ServerEvents.TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.protocol.Event;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.ParsedLine;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.Test;

class ChatCompleterTest {

  private final Roster roster = new Roster();
  /** The names of the shown window: a private one with erin, or the room's. */
  private List<String> window = null;
  private final ChatCompleter completer =
      new ChatCompleter(roster, () -> window == null ? roster.people("#lobby") : window);

  ChatCompleterTest() {
    roster.update(new Event.Entered(TIME, "#lobby", List.of("alice", "Bob"), null));
    roster.update(
        new Event.RoomList(
            TIME,
            List.of(new Event.RoomInfo("#lobby", 2, null), new Event.RoomInfo("#dev", 1, null))));
  }

  /** What JLine would offer with the cursor at the end of {@code typed}. */
  private List<String> offered(String typed) {
    ParsedLine line = new DefaultParser().parse(typed, typed.length());
    List<Candidate> candidates = new ArrayList<>();
    completer.complete(null, line, candidates);
    return candidates.stream().map(Candidate::value).toList();
  }

  @Test
  void commandsAtTheStartOfALine() {
    assertEquals(ChatCompleter.COMMANDS, offered("/"));
    assertEquals(ChatCompleter.COMMANDS, offered("/jo"));
    assertEquals(ChatCompleter.COMMANDS, offered(""));
  }

  @Test
  void roomsAfterJoin() {
    assertEquals(List.of("#dev", "#lobby"), offered("/join #"));
    assertEquals(List.of(), offered("/join #dev "), "one room only");
  }

  @Test
  void namesAfterMsgAndInMessages() {
    assertEquals(List.of("alice", "Bob"), offered("/msg "));
    assertEquals(List.of("alice", "Bob"), offered("/msg alice see b"));
    assertEquals(List.of("alice", "Bob"), offered("thanks a"));
  }

  @Test
  void aNameAtTheStartOfALineAddressesThatPerson() {
    assertEquals(List.of("alice:", "Bob:"), offered("Bo"));
    ParsedLine line = new DefaultParser().parse("Bo", 2);
    List<Candidate> candidates = new ArrayList<>();
    completer.complete(null, line, candidates);
    assertEquals(List.of("alice", "Bob"), candidates.stream().map(Candidate::displ).toList());
    assertEquals(List.of(true, true), candidates.stream().map(Candidate::complete).toList(),
        "JLine adds the space after the colon");
  }

  @Test
  void onlyTheNamesOfTheShownWindowAreOffered() {
    window = List.of("erin");
    assertEquals(List.of("erin"), offered("/msg "));
    assertEquals(List.of("erin:"), offered("e"));
    assertEquals(List.of("#dev", "#lobby"), offered("/join #"), "rooms are the server's");
  }

  @Test
  void nothingWhereNoNameFits() {
    assertEquals(List.of(), offered("/nick "));
    assertEquals(List.of(), offered("/history "));
  }
}
