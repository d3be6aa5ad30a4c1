package chat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerLineTest {

  private static final List<String> LOBBY = List.of("#lobby");

  private final Message messages = new Message("ab12");
  private final ServerLine text = new ServerLine(ServerLine.Mode.TEXT, messages, LOBBY);
  private final ServerLine json = new ServerLine(ServerLine.Mode.JSON, messages, LOBBY);
  private final byte[] ownJoin = ServerLine.ownJoinLine("lt-ab12-3");

  @Test
  void textChatLinesOfThisRunGiveTheirMessage() {
    assertEquals(new Parsed(1, 9, 77), chat(text, "lt-ab12-1: lt-ab12-1#9@77 xxxx"));
    assertNull(chat(text, "[history 17:00] lt-ab12-1: lt-ab12-1#9@77 xxxx"));
    assertNull(chat(text, "lt-zz99-1: lt-zz99-1#9@77"));
    assertNull(chat(text, "lt-ab12-1 has joined the chat."));
    assertNull(chat(text, "alice: hello"));
  }

  @Test
  void textChatLinesOfAnotherRoomGiveTheirMessageToo() {
    assertEquals(new Parsed(1, 9, 77), chat(text, "[#load-2] lt-ab12-1: lt-ab12-1#9@77 xxxx"));
    assertNull(chat(text, "[#load-2] [history 17:00] lt-ab12-1: lt-ab12-1#9@77 xxxx"));
    assertNull(chat(text, "[#load-2] lt-ab12-1 has joined the chat."));
    assertNull(chat(text, "[#load-2 lt-ab12-1: lt-ab12-1#9@77"));
  }

  @Test
  void jsonChatObjectsGiveTheirMessageButHistoryDoesNot() {
    String live = "{\"type\":\"chat\",\"time\":1,\"room\":\"#lobby\",\"seq\":4,"
        + "\"from\":\"lt-ab12-2\",\"text\":\"lt-ab12-2#5@66 xx\"}";
    assertEquals(new Parsed(2, 5, 66), chat(json, live));
    assertNull(chat(json, live.replace("}", ",\"history\":true}")));
    assertNull(chat(json, "{\"type\":\"join\",\"time\":1,\"room\":\"#lobby\",\"name\":\"x\"}"));
  }

  @Test
  void textModeTellsJoinRefusalErrorAndShutdown() {
    assertEquals(ServerLine.Kind.JOINED, kind(text, "lt-ab12-3 has joined the chat."));
    assertEquals(ServerLine.Kind.OTHER, kind(text, "lt-ab12-4 has joined the chat."));
    assertEquals(ServerLine.Kind.REFUSED,
        kind(text, "SET_USERNAME: Username 'x' is already taken."));
    assertEquals(ServerLine.Kind.ERROR, kind(text, "ERROR: Slow down."));
    assertEquals(ServerLine.Kind.SHUTDOWN, kind(text, "!server_shutdown"));
  }

  @Test
  void jsonModeTellsJoinRefusalErrorAndShutdown() {
    assertEquals(ServerLine.Kind.JOINED, kind(json, "{\"type\":\"welcome\",\"time\":1}"));
    assertEquals(ServerLine.Kind.REFUSED, kind(json, "{\"type\":\"refused\",\"reason\":\"x\"}"));
    assertEquals(ServerLine.Kind.ERROR, kind(json, "{\"type\":\"error\",\"text\":\"x\"}"));
    assertEquals(ServerLine.Kind.SHUTDOWN, kind(json, "{\"type\":\"shutdown\",\"time\":1}"));
    assertEquals(ServerLine.Kind.OTHER, kind(json, "{\"type\":\"join\",\"time\":1}"));
  }

  @Test
  void joinRequestAsksForMachineModeOnlyInJsonMode() {
    assertEquals("JOIN:lt-ab12-3\n", ascii(text.joinRequest("lt-ab12-3")));
    assertEquals("JOIN:lt-ab12-3 mode=json\n", ascii(json.joinRequest("lt-ab12-3")));
  }

  @Test
  void joinRequestNamesEveryRoomWithTheLobbyCurrent() {
    ServerLine rooms = new ServerLine(ServerLine.Mode.TEXT, messages,
        List.of("#lobby", "#load-2", "#load-3"));
    assertEquals("JOIN:lt-ab12-3 room=#lobby after=#load-2:0,#load-3:0\n",
        ascii(rooms.joinRequest("lt-ab12-3")));
  }

  private static Parsed chat(ServerLine lines, String line) {
    byte[] bytes = ("  " + line).getBytes(StandardCharsets.UTF_8);
    return Parsed.by(to -> lines.chat(bytes, 2, bytes.length - 2, to));
  }

  private ServerLine.Kind kind(ServerLine lines, String line) {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    return lines.classify(bytes, 0, bytes.length, ownJoin);
  }

  private static String ascii(byte[] bytes) {
    return new String(bytes, StandardCharsets.US_ASCII);
  }
}
