package chat.client.trust;

import chat.tls.Fingerprints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The servers a user has trusted on first use, as ssh keeps its known hosts: a text file with one
 * line {@code host:port fingerprint} per server (blank lines and {@code #} comments are skipped).
 * It is created readable by its owner only, entries are only ever added, and a server is never
 * given a second, different fingerprint: forgetting one is deleting its line by hand.
 */
public final class KnownServers {

  /** A server's line: where it is in the file (from 1), and the fingerprint it holds. */
  public record Entry(int line, String fingerprint) {}

  private final Path file;

  public KnownServers(Path file) {
    this.file = file;
  }

  /** The usual file: {@code ~/.pekko-chat/known_servers}. */
  public static Path defaultFile() {
    return Path.of(System.getProperty("user.home"), ".pekko-chat", "known_servers");
  }

  public Path file() {
    return file;
  }

  /** How a server is named in the file: {@code host:port}, an IPv6 address in brackets. */
  public static String key(String host, int port) {
    String lower = host.toLowerCase(Locale.ROOT);
    boolean ipv6 = lower.contains(":") && !lower.startsWith("[");
    return (ipv6 ? "[" + lower + "]" : lower) + ":" + port;
  }

  /** The entry for {@code host:port}, if the file has one; none if there is no file yet. */
  public Optional<Entry> find(String host, int port) throws IOException {
    String key = key(host, port);
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty(); // nothing remembered yet
    }
    for (int i = 0; i < lines.size(); i++) {
      String[] words = lines.get(i).strip().split("\\s+");
      if (words.length >= 2
          && !words[0].startsWith("#")
          && words[0].toLowerCase(Locale.ROOT).equals(key)
          && Fingerprints.isValid(words[1])) {
        return Optional.of(new Entry(i + 1, words[1]));
      }
    }
    return Optional.empty();
  }

  /**
   * Adds {@code host:port} with its fingerprint, making the file (mode 600) and its directory
   * (mode 700) if missing. Nothing is written if the entry is there already; a different
   * fingerprint for the server is refused with an {@link IllegalStateException}.
   */
  public void remember(String host, int port, String fingerprint) throws IOException {
    Fingerprints.require(fingerprint);
    Optional<Entry> known = find(host, port);
    if (known.isPresent()) {
      if (Fingerprints.same(known.get().fingerprint(), fingerprint)) {
        return;
      }
      throw new IllegalStateException(
          key(host, port) + " is already known with another fingerprint, on line "
              + known.get().line() + " of " + file);
    }
    createPrivately();
    String line = key(host, port) + " " + fingerprint + System.lineSeparator();
    String existing = Files.readString(file, StandardCharsets.UTF_8);
    String separator =
        existing.isEmpty() || existing.endsWith("\n") ? "" : System.lineSeparator();
    Files.writeString(file, separator + line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }

  private void createPrivately() throws IOException {
    if (Files.exists(file)) {
      return;
    }
    boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
    Path directory = file.toAbsolutePath().getParent();
    if (directory != null && !Files.isDirectory(directory)) {
      if (posix) {
        Files.createDirectories(directory,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectories(directory);
      }
    }
    if (posix) {
      Files.createFile(file,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(file);
    }
  }
}
