package chat.client.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserSettingsTest {

  @Test
  void settingsAreKeptAndReadBack(@TempDir Path home) {
    Path file = home.resolve("dir").resolve("settings.conf");
    UserSettings settings = UserSettings.load(Optional.of(file));
    assertTrue(settings.bell(), "the bell rings unless told not to");
    assertTrue(settings.ignore("Bob"));
    assertFalse(settings.ignore("bob"), "the same name in another case");
    settings.ignore("carol");
    settings.bell(false);
    assertTrue(settings.unignore("CAROL"));

    UserSettings again = UserSettings.load(Optional.of(file));
    assertFalse(again.bell());
    assertEquals(List.of("Bob"), again.ignored());
    assertTrue(again.ignores("BOB"));
    assertFalse(again.ignores("carol"));
  }

  @Test
  void aFileThatCannotBeReadLeavesTheDefaults(@TempDir Path home) throws Exception {
    Path file = home.resolve("settings.conf");
    Files.writeString(file, "bell = [not a boolean\n");
    UserSettings settings = UserSettings.load(Optional.of(file));
    assertTrue(settings.bell());
    assertEquals(List.of(), settings.ignored());
  }
}
