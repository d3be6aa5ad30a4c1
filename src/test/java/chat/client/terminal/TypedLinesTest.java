package chat.client.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class TypedLinesTest {

  private static final WindowScreen.Target DEV = new WindowScreen.Target(Window.Kind.ROOM, "#dev");
  private static final WindowScreen.Target BOB =
      new WindowScreen.Target(Window.Kind.PRIVATE, "bob");

  private static TypedLines.Plan plan(String typed, WindowScreen.Target target) {
    return TypedLines.plan(typed, target, true);
  }

  @Test
  void textGoesWhereTheWindowPoints() {
    assertEquals(new TypedLines.Send("/say #dev hello"), plan("hello", DEV));
    assertEquals(new TypedLines.Send("/msg bob hello"), plan("hello", BOB));
    assertEquals(new TypedLines.Send("/say #dev /not a command"), plan("//not a command", DEV));
    assertEquals(new TypedLines.Send("hello"), plan("hello", WindowScreen.NO_ROOM));
  }

  @Test
  void commandsGoAsTypedButRoomCommandsNotFromAPrivateWindow() {
    assertEquals(new TypedLines.Send("/topic Friday"), plan("/topic Friday", DEV));
    assertEquals(new TypedLines.Send("/whois carol"), plan("/whois carol", BOB));
    assertInstanceOf(TypedLines.Refuse.class, plan("/me waves", BOB));
    assertInstanceOf(TypedLines.Refuse.class, plan("/topic x", BOB));
    assertInstanceOf(TypedLines.Refuse.class, plan("/who", BOB));
    assertInstanceOf(TypedLines.Refuse.class, plan("/more", BOB));
    assertInstanceOf(TypedLines.Refuse.class, plan("/part", BOB));
    assertEquals(new TypedLines.Send("/part #dev"), plan("/part #dev", BOB));
    assertEquals(new TypedLines.Send("/who *"), plan("/who *", BOB));
  }

  @Test
  void theClientsOwnCommands() {
    assertEquals(new TypedLines.Query("carol", Optional.empty()), plan("/query carol", DEV));
    assertEquals(new TypedLines.Query("carol", Optional.of("lunch at 1?")),
        plan("/q carol lunch at 1?", DEV));
    assertEquals(new TypedLines.Win(4), plan("/win 4", DEV));
    assertEquals(TypedLines.Close.INSTANCE, plan("/close", DEV));
    assertEquals(new TypedLines.Bell(Optional.of(false)), plan("/set bell off", DEV));
    assertEquals(new TypedLines.Bell(Optional.empty()), plan("/set", DEV));
    assertEquals(new TypedLines.Ignore(Optional.of("dan")), plan("/ignore dan", DEV));
    assertEquals(new TypedLines.Ignore(Optional.empty()), plan("/ignore", DEV));
    assertEquals(new TypedLines.Unignore("dan"), plan("/unignore dan", DEV));
    assertEquals(TypedLines.Help.INSTANCE, plan("/help", DEV));
    assertEquals(new TypedLines.Send("/help msg"), plan("/help msg", DEV));
  }

  @Test
  void badUseIsExplained() {
    assertInstanceOf(TypedLines.Refuse.class, plan("/win two", DEV));
    assertInstanceOf(TypedLines.Refuse.class, plan("/query", DEV));
    assertInstanceOf(TypedLines.Refuse.class, plan("/set bell maybe", DEV));
    assertInstanceOf(TypedLines.Refuse.class, plan("/query no/slashes", DEV));
    assertInstanceOf(TypedLines.Refuse.class, plan("/more -5", DEV));
    assertInstanceOf(TypedLines.Refuse.class, plan("/more 99999999999", DEV));
    assertEquals(new TypedLines.More(50), plan("/more 50", DEV), "the window's own oldest");
    assertEquals(new TypedLines.More(TypedLines.MORE), plan("/more", DEV));
    assertEquals(new TypedLines.Send("/more 50"),
        TypedLines.plan("/more 50", WindowScreen.NO_ROOM, false), "the link's, without windows");
  }

  @Test
  void withoutWindowsAQueryWithTextIsAPrivateLine() {
    assertEquals(new TypedLines.Send("/msg carol hi"),
        TypedLines.plan("/query carol hi", WindowScreen.NO_ROOM, false));
    assertInstanceOf(TypedLines.Refuse.class,
        TypedLines.plan("/win 2", WindowScreen.NO_ROOM, false));
  }

  @Test
  void commandsThatActOnTheCurrentRoomAreKnown() {
    assertEquals(true, TypedLines.actsOnCurrentRoom("/topic x"));
    assertEquals(true, TypedLines.actsOnCurrentRoom("/me waves"));
    assertEquals(false, TypedLines.actsOnCurrentRoom("/say #dev hi"));
    assertEquals(false, TypedLines.actsOnCurrentRoom("/msg bob hi"));
    assertEquals(false, TypedLines.actsOnCurrentRoom("hello"));
    assertEquals(true, TypedLines.actsOnCurrentRoom("/part"));
    assertEquals(false, TypedLines.actsOnCurrentRoom("/part #dev"));
    assertEquals(true, TypedLines.actsOnCurrentRoom("/who"));
    assertEquals(false, TypedLines.actsOnCurrentRoom("/who *"));
    assertEquals(false, TypedLines.actsOnCurrentRoom("/search #dev deploy"));
    assertEquals(false, TypedLines.actsOnCurrentRoom("/rooms"));
  }

  @Test
  void awayLinesAreKnown() {
    assertEquals(Optional.of(Optional.of("lunch")), TypedLines.away("/away lunch"));
    assertEquals(Optional.of(Optional.empty()), TypedLines.away("/AWAY"));
    assertEquals(Optional.empty(), TypedLines.away("/awaylunch"));
  }
}
