package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AdminConsoleTest {

  @Test
  void parsesCommandsInAnyCase() {
    assertEquals(AdminConsole.ExitServer.INSTANCE, AdminConsole.parse("!EXITSERVER"));
    assertEquals(AdminConsole.ExitServer.INSTANCE, AdminConsole.parse(" !exitserver\r"));
    assertEquals(AdminConsole.Who.INSTANCE, AdminConsole.parse("!Who"));
    assertEquals(AdminConsole.Help.INSTANCE, AdminConsole.parse("!help"));
    assertEquals(AdminConsole.Blank.INSTANCE, AdminConsole.parse("  "));
    assertEquals(new AdminConsole.Unknown("!shutdown"), AdminConsole.parse("!shutdown"));
  }

  @Test
  void answersSayWhatToDoNext() {
    assertTrue(AdminConsole.unknown("x").contains("!help"));
    assertTrue(AdminConsole.HELP.contains("!exitserver"));
    assertEquals("No one is online.", AdminConsole.online(List.of()));
    assertEquals("Online (2): alice, bob", AdminConsole.online(List.of("alice", "bob")));
  }
}
