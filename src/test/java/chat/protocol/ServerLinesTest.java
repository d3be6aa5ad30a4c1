package chat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServerLinesTest {

  @Test
  void rendersTheSeedLines() {
    assertEquals("alice has joined the chat.", ServerLines.joined("alice"));
    assertEquals("alice left the chat.", ServerLines.left("alice"));
    assertEquals("alice has disconnected unexpectedly.", ServerLines.disconnected("alice"));
    assertEquals("alice: hi", ServerLines.chat("alice", "hi"));
    assertEquals(
        "SET_USERNAME: Username 'bob' is already taken.",
        ServerLines.refusal(Names.Refusals.taken("bob")));
  }

  @Test
  void describesDurationsAsPeopleSayThem() {
    assertEquals("10 seconds", ServerLines.describe(Duration.ofSeconds(10)));
    assertEquals("1 second", ServerLines.describe(Duration.ofSeconds(1)));
    assertEquals("250 ms", ServerLines.describe(Duration.ofMillis(250)));
    assertEquals(
        "ERROR: No JOIN:<username> within 10 seconds; closing the connection.",
        ServerLines.joinTimedOut(Duration.ofSeconds(10)));
  }
}
