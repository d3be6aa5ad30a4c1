package chat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Reads a local process's resident memory, the {@code VmRSS} line of {@code /proc/<pid>/status}
 * (Linux only). The driver reads the server's before the clients connect and at the end.
 */
final class ServerMemory {

  private ServerMemory() {}

  /** The process's resident set in KB, or empty if it cannot be read. */
  static OptionalLong rssKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return OptionalLong.of(parseKb(line));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // No such process, or not Linux: the report says the reading is missing.
    }
    return OptionalLong.empty();
  }

  /** The number in a line such as {@code VmRSS:   123456 kB}. */
  static long parseKb(String line) {
    return Long.parseLong(line.substring(line.indexOf(':') + 1).replace("kB", "").trim());
  }
}
