package chat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every event's text line, and every event through the JSON codec and back. */
class ServerLinesTest {

  private static final long T = 1_764_000_000_000L; // 2025-11-24T16:00:00Z
  private final TextRenderer text = new TextRenderer(ZoneOffset.UTC);

  private static final List<Event> EVERY_EVENT =
      List.of(
          new Event.Welcome(T, "alice", "#lobby", "s3cr3t"),
          new Event.Refused(T, "Username 'bob' is already taken."),
          new Event.Joined(T, "#lobby", "alice", false),
          new Event.Joined(T, "#dev", "alice", true),
          new Event.Left(T, "#lobby", "alice", Event.Departure.QUIT, null),
          new Event.Left(T, "#lobby", "alice", Event.Departure.CLOSED, null),
          new Event.Left(T, "#lobby", "alice", Event.Departure.LOST, null),
          new Event.Left(T, "#lobby", "alice", Event.Departure.PARTED, "off to work"),
          new Event.Left(T, "#lobby", "alice", Event.Departure.PARTED, null),
          new Event.Left(T, "#lobby", "alice", Event.Departure.KICKED, "spam"),
          new Event.Left(T, "#lobby", "alice", Event.Departure.SLOW, null),
          new Event.Left(T, "#lobby", "alice", Event.Departure.FLOODING, null),
          new Event.Joins(T, "#lobby", List.of("ann", "ben", "cat", "dan", "eve")),
          new Event.Joins(T, "#lobby", List.of("ann", "ben", "cat", "dan")),
          new Event.Joins(T, "#lobby", List.of("ann", "ben", "cat")),
          new Event.Joins(T, "#lobby", List.of("ann")),
          new Event.Leaves(T, "#lobby", List.of("ann", "ben", "cat", "dan"), Event.Departure.QUIT),
          new Event.Leaves(T, "#lobby", List.of("ann", "ben"), Event.Departure.CLOSED),
          new Event.Leaves(T, "#lobby", List.of("ann", "ben", "cat", "dan"), Event.Departure.LOST),
          new Event.Leaves(T, "#lobby", List.of("ann"), Event.Departure.LOST),
          new Event.Leaves(T, "#lobby", List.of("ann", "ben"), Event.Departure.PARTED),
          new Event.Leaves(T, "#lobby", List.of("ann", "ben"), Event.Departure.KICKED),
          new Event.Leaves(T, "#lobby", List.of("ann", "ben"), Event.Departure.SLOW),
          new Event.Leaves(T, "#lobby", List.of("ann"), Event.Departure.FLOODING),
          new Event.Chat(T, "#lobby", 7, "alice", "hi", false),
          new Event.Chat(T, "#lobby", 7, "alice", "hi", true),
          new Event.Action(T, "#lobby", 8, "alice", "waves", false),
          new Event.Private(T, "alice", "bob", "psst"),
          new Event.Renamed(T, "#lobby", "alice", "Alicia"),
          new Event.Topic(T, "#lobby", "Friday", "bob"),
          new Event.Topic(T, "#lobby", "Friday", null),
          new Event.Topic(T, "#lobby", null, null),
          new Event.Entered(T, "#dev", List.of("alice", "bob"), "Friday", 12),
          new Event.Who(T, "#lobby", List.of(new Event.Presence("alice", "#lobby"))),
          new Event.Who(T, null, List.of(new Event.Presence("alice", "#lobby"), new Event.Presence("bob", "#dev"))),
          new Event.RoomList(T, List.of(new Event.RoomInfo("#dev", 1, null), new Event.RoomInfo("#lobby", 2, "Friday"))),
          new Event.Gap(T, "#lobby", 12),
          new Event.Gap(T, "#lobby", 1),
          new Event.Missed(T, 57),
          new Event.Missed(T, 1),
          new Event.Throttled(T, 400),
          new Event.Throttled(T, 2000),
          new Event.Announcement(T, "maintenance at noon"),
          new Event.Info(T, "Commands:"),
          new Event.Error(T, "Unknown command '/x'. Type /help for the commands."),
          new Event.Shutdown(T),
          new Event.Who(T, "#lobby", List.of(new Event.Presence("alice", "#lobby"),
              new Event.Presence("bob", "#lobby", "out, for lunch"))),
          new Event.Who(T, null, List.of(new Event.Presence("bob", "#dev", "lunch"),
              new Event.Presence("alice", "#lobby"), new Event.Presence("bob", "#lobby", "lunch"))),
          new Event.Marked(T, "lunch"),
          new Event.Marked(T, null),
          new Event.Away(T, "bob", "lunch"),
          new Event.Whois(T, "bob", List.of("#dev", "#lobby"), "lunch; back at 2", T - 3_600_000),
          new Event.Whois(T, "bob", List.of(), null, T));

  private static final List<String> TEXT_LINES =
      List.of(
          "SET_USERNAME: Username 'bob' is already taken.",
          "alice has joined the chat.",
          "alice has joined #dev.",
          "alice left the chat.",
          "alice left the chat.",
          "alice has disconnected unexpectedly.",
          "alice left #lobby (off to work).",
          "alice left #lobby.",
          "alice was kicked: spam",
          "alice was disconnected for not keeping up with the chat.",
          "alice was disconnected for flooding.",
          "ann, ben, cat and 2 others have joined the chat.",
          "ann, ben, cat and 1 other have joined the chat.",
          "ann, ben and cat have joined the chat.",
          "ann has joined the chat.",
          "ann, ben, cat and 1 other left the chat.",
          "ann and ben left the chat.",
          "ann, ben, cat and 1 other have disconnected unexpectedly.",
          "ann has disconnected unexpectedly.",
          "ann and ben left #lobby.",
          "ann and ben were kicked.",
          "ann and ben were disconnected for not keeping up with the chat.",
          "ann was disconnected for flooding.",
          "alice: hi",
          "[history 16:00] alice: hi",
          "* alice waves",
          "[private to bob] alice: psst",
          "alice is now known as Alicia.",
          "bob set the topic of #lobby: Friday",
          "Topic of #lobby: Friday",
          "#lobby has no topic.",
          "You are now in #dev (2 here: alice, bob).",
          "In #lobby (1): alice",
          "Online (2): alice (#lobby), bob (#dev)",
          "Rooms (2): #dev (1), #lobby (2)",
          "12 messages in #lobby were lost while you were away.",
          "1 message in #lobby was lost while you were away.",
          "You missed 57 lines: you were not reading fast enough.",
          "You missed 1 line: you were not reading fast enough.",
          "ERROR: You are sending too fast; that line was not sent. Send again in 0.4 s.",
          "ERROR: You are sending too fast; that line was not sent. Send again in 2 s.",
          "[server] maintenance at noon",
          "Commands:",
          "ERROR: Unknown command '/x'. Type /help for the commands.",
          "!server_shutdown",
          "In #lobby (2): alice, bob (away: out, for lunch)",
          "Online (2): bob (#dev, #lobby; away: lunch), alice (#lobby)",
          "You are marked as away: lunch",
          "You are no longer marked as away.",
          "bob is away: lunch",
          "bob is in #dev, #lobby; connected since 2025-11-24 15:00 UTC; away: lunch; back at 2",
          "bob is in no room; connected since 2025-11-24 16:00 UTC");

  @Test
  void textModeRendersEveryEventButTheWelcomeAsASentence() {
    for (int i = 1; i < EVERY_EVENT.size(); i++) {
      assertEquals(TEXT_LINES.get(i - 1), text.render(EVERY_EVENT.get(i), "alice"));
    }
    assertThrows(IllegalArgumentException.class, () -> text.render(EVERY_EVENT.get(0), "alice"),
        "the welcome is sent in machine mode only");
  }

  @Test
  void privateMessagesReadDifferentlyForTheirRecipient() {
    assertEquals("[private] alice: psst", text.render(new Event.Private(T, "alice", "bob", "psst"), "BOB"));
  }

  @Test
  void everyEventSurvivesTheJsonCodecOnOneLine() {
    for (Event event : EVERY_EVENT) {
      String line = JsonLines.write(event);
      assertEquals(false, line.contains("\n"), line);
      assertEquals(event, JsonLines.read(line).orElseThrow(), line);
    }
  }

  @Test
  void jsonLinesSayWhatTheyAre() {
    assertEquals(
        "{\"type\":\"chat\",\"time\":" + T + ",\"room\":\"#lobby\",\"seq\":7,\"from\":\"alice\",\"text\":\"hi\"}",
        JsonLines.write(new Event.Chat(T, "#lobby", 7, "alice", "hi", false)));
    assertEquals(
        "{\"type\":\"leave\",\"time\":" + T + ",\"room\":\"#lobby\",\"name\":\"alice\",\"how\":\"lost\"}",
        JsonLines.write(new Event.Left(T, "#lobby", "alice", Event.Departure.LOST, null)));
    assertEquals(
        "{\"type\":\"joins\",\"time\":" + T + ",\"room\":\"#lobby\",\"names\":[\"ann\",\"ben\"]}",
        JsonLines.write(new Event.Joins(T, "#lobby", List.of("ann", "ben"))));
    assertEquals(
        "{\"type\":\"leaves\",\"time\":" + T + ",\"room\":\"#lobby\",\"names\":[\"ann\"],\"how\":\"closed\"}",
        JsonLines.write(new Event.Leaves(T, "#lobby", List.of("ann"), Event.Departure.CLOSED)));
    assertEquals("{\"type\":\"missed\",\"time\":" + T + ",\"lines\":57}",
        JsonLines.write(new Event.Missed(T, 57)));
    assertEquals("{\"type\":\"throttled\",\"time\":" + T + ",\"retryAfterMs\":400}",
        JsonLines.write(new Event.Throttled(T, 400)));
    assertEquals("{\"type\":\"who\",\"time\":" + T + ",\"room\":\"#lobby\",\"members\":["
        + "{\"name\":\"alice\",\"room\":\"#lobby\"},"
        + "{\"name\":\"bob\",\"room\":\"#lobby\",\"away\":\"lunch\"}]}",
        JsonLines.write(new Event.Who(T, "#lobby", List.of(new Event.Presence("alice", "#lobby"),
            new Event.Presence("bob", "#lobby", "lunch")))));
    assertEquals("{\"type\":\"marked\",\"time\":" + T + "}",
        JsonLines.write(new Event.Marked(T, null)));
    assertEquals("{\"type\":\"away\",\"time\":" + T + ",\"name\":\"bob\",\"text\":\"lunch\"}",
        JsonLines.write(new Event.Away(T, "bob", "lunch")));
    assertEquals("{\"type\":\"whois\",\"time\":" + T + ",\"name\":\"bob\",\"rooms\":[],"
        + "\"since\":" + T + "}", JsonLines.write(new Event.Whois(T, "bob", List.of(), null, T)));
  }

  @Test
  void readingToleratesUnknownFieldsAndRefusesUnknownTypes() {
    assertEquals(new Event.Shutdown(T), JsonLines.read("{\"type\":\"shutdown\",\"time\":" + T + ",\"extra\":1}").orElseThrow());
    assertEquals(true, JsonLines.read("{\"type\":\"teleport\"}").isEmpty());
    assertEquals(true, JsonLines.read("alice: not json").isEmpty());
  }

  @Test
  void describesDurationsAsPeopleSayThem() {
    assertEquals("10 seconds", ServerLines.describe(Duration.ofSeconds(10)));
    assertEquals("1 second", ServerLines.describe(Duration.ofSeconds(1)));
    assertEquals("250 ms", ServerLines.describe(Duration.ofMillis(250)));
    assertEquals(
        "No JOIN:<username> within 10 seconds; closing the connection.",
        ServerLines.joinTimedOut(Duration.ofSeconds(10)));
  }
}
