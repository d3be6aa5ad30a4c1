package chat.client.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownServersTest {

  static final String ONE = "AB:" + "01:".repeat(30) + "CD";
  static final String TWO = "EF:" + "01:".repeat(30) + "CD";

  @TempDir Path home;

  private Path file() {
    return home.resolve(".pekko-chat").resolve("known_servers");
  }

  @Test
  void withoutAFileNoServerIsKnown() throws Exception {
    assertEquals(Optional.empty(), new KnownServers(file()).find("chat.example", 50443));
  }

  @Test
  void rememberingMakesAPrivateFileWithOneLinePerServer() throws Exception {
    KnownServers known = new KnownServers(file());
    known.remember("Chat.Example", 50443, ONE);
    known.remember("10.0.0.7", 6000, TWO);
    known.remember("chat.example", 50443, ONE); // already there: nothing written
    assertEquals(
        List.of("chat.example:50443 " + ONE, "10.0.0.7:6000 " + TWO),
        Files.readAllLines(file()));
    assertEquals(Optional.of(new KnownServers.Entry(2, TWO)), known.find("10.0.0.7", 6000));
    assertEquals(Optional.of(new KnownServers.Entry(1, ONE)), known.find("CHAT.example", 50443));
    assertEquals(Optional.empty(), known.find("chat.example", 50444), "per port");
    if (Files.getFileStore(home).supportsFileAttributeView("posix")) {
      assertEquals("rw-------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(file())));
      assertEquals("rwx------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(file().getParent())));
    }
  }

  @Test
  void aDifferentFingerprintForAKnownServerIsRefused() throws Exception {
    KnownServers known = new KnownServers(file());
    known.remember("chat.example", 50443, ONE);
    IllegalStateException refused =
        assertThrows(IllegalStateException.class, () -> known.remember("chat.example", 50443, TWO));
    assertTrue(refused.getMessage().contains("line 1 of " + file()), refused.getMessage());
    assertEquals(List.of("chat.example:50443 " + ONE), Files.readAllLines(file()));
  }

  @Test
  void commentsBlankAndBrokenLinesAreSkippedButCountedForLineNumbers() throws Exception {
    Files.createDirectories(file().getParent());
    Files.writeString(file(),
        "# my servers\n\nchat.example:50443 not-a-fingerprint\nchat.example:50443 " + TWO,
        StandardCharsets.UTF_8);
    KnownServers known = new KnownServers(file());
    assertEquals(Optional.of(new KnownServers.Entry(4, TWO)), known.find("chat.example", 50443));
    known.remember("other.example", 50443, ONE);
    assertEquals("other.example:50443 " + ONE, Files.readAllLines(file()).get(4),
        "a new line, even after a last line without a line break");
  }

  @Test
  void anIpv6AddressIsWrittenInBrackets() throws Exception {
    assertEquals("[::1]:50443", KnownServers.key("::1", 50443));
    KnownServers known = new KnownServers(file());
    known.remember("::1", 50443, ONE);
    assertEquals(Optional.of(new KnownServers.Entry(1, ONE)), known.find("::1", 50443));
  }

  @Test
  void theUsualFileIsInTheHomeDirectory() {
    assertEquals(
        Path.of(System.getProperty("user.home"), ".pekko-chat", "known_servers"),
        KnownServers.defaultFile());
  }
}
