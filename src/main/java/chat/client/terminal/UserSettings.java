package chat.client.terminal;

import chat.protocol.Names;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a user sets from inside the terminal client and keeps between runs: whether the bell rings
 * ({@code /set bell off}) and whom to ignore ({@code /ignore name}). Kept in a HOCON file, {@code
 * ~/.pekko-chat/settings.conf} unless told otherwise, written again on every change; a file that
 * cannot be read or written leaves the settings in memory for this run, said once in the log.
 * Used on the terminal's input and output threads, so every method is synchronized.
 */
final class UserSettings {

  private static final Logger log = LoggerFactory.getLogger(UserSettings.class);

  private final Optional<Path> file;
  private boolean bell = true;
  /** Ignored people by folded name, with the name as the user typed it. */
  private final TreeMap<String, String> ignored = new TreeMap<>();

  private UserSettings(Optional<Path> file) {
    this.file = file;
  }

  /** The usual place: {@code ~/.pekko-chat/settings.conf}. */
  static Path defaultFile() {
    return Path.of(System.getProperty("user.home"), ".pekko-chat", "settings.conf");
  }

  /** The settings in {@code file}, or the defaults if it does not exist or cannot be read. */
  static UserSettings load(Optional<Path> file) {
    UserSettings settings = new UserSettings(file);
    file.filter(Files::isRegularFile).ifPresent(path -> {
      try {
        Config config = ConfigFactory.parseFile(path.toFile());
        if (config.hasPath("bell")) {
          settings.bell = config.getBoolean("bell");
        }
        if (config.hasPath("ignore")) {
          config.getStringList("ignore").forEach(name -> settings.ignored.put(Names.fold(name), name));
        }
      } catch (RuntimeException e) {
        log.warn("Could not read the settings in [{}]: {}", path, e.getMessage());
      }
    });
    return settings;
  }

  synchronized boolean bell() {
    return bell;
  }

  synchronized void bell(boolean on) {
    if (bell != on) {
      bell = on;
      save();
    }
  }

  synchronized boolean ignores(String name) {
    return name != null && ignored.containsKey(Names.fold(name));
  }

  /** Ignores someone; false if they were already. */
  synchronized boolean ignore(String name) {
    boolean added = ignored.putIfAbsent(Names.fold(name), name) == null;
    if (added) {
      save();
    }
    return added;
  }

  /** Stops ignoring someone; false if they were not. */
  synchronized boolean unignore(String name) {
    boolean removed = ignored.remove(Names.fold(name)) != null;
    if (removed) {
      save();
    }
    return removed;
  }

  synchronized List<String> ignored() {
    return List.copyOf(ignored.values());
  }

  private void save() {
    if (file.isEmpty()) {
      return;
    }
    Config config = ConfigFactory.empty()
        .withValue("bell", ConfigValueFactory.fromAnyRef(bell))
        .withValue("ignore", ConfigValueFactory.fromIterable(new ArrayList<>(ignored.values())));
    String text = "# pekko-chat's terminal client: /set bell on|off, /ignore, /unignore\n"
        + config.root().render(ConfigRenderOptions.concise().setFormatted(true).setJson(false));
    try {
      Path path = file.get().toAbsolutePath();
      if (path.getParent() != null) {
        Files.createDirectories(path.getParent());
      }
      Files.writeString(path, text + "\n");
    } catch (IOException e) {
      log.warn("Could not keep the settings in [{}]: {}", file.get(), e.toString());
    }
  }
}
