package chat.support;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.nio.file.Path;

/**
 * Loads the configuration the apps run with: the server's command-line options over {@code -D}
 * system properties over the user's {@code conf/application.conf} over the application's own
 * settings (the {@code application.conf} resource: logging) over the defaults in {@code
 * reference.conf}; for the server, its tuning of Pekko ({@code server.conf}) and its wiring of
 * the history journal ({@code history.conf}) come just under the user's file.
 */
public final class Configs {

  /** Where a user keeps overrides, relative to the directory the app is started in. */
  public static final Path USER_FILE = Path.of("conf", "application.conf");

  /** The resource with the app's own Pekko settings. */
  private static final String APPLICATION = "application.conf";

  /** The resource with the server's tuning of Pekko: threads, mailboxes, TCP writes. */
  private static final String SERVER = "server.conf";

  /**
   * The resource that wires Pekko Persistence to the JDBC journal (its pool's sizes a user may
   * override); the database itself comes from {@code chat.history}.
   */
  private static final String HISTORY = "history.conf";

  private Configs() {}

  /** The client's configuration; a malformed user file throws a {@code ConfigException}. */
  public static Config client() {
    return load(ConfigFactory.empty(), USER_FILE, ConfigFactory.defaultApplication(), false);
  }

  /**
   * The server's configuration under {@code options}: settings from the command line, which win
   * over everything else.
   */
  public static Config server(Config options) {
    return load(options, USER_FILE, ConfigFactory.defaultApplication(), true);
  }

  /**
   * The server's tuning of Pekko and its wiring of the history journal, for a server started
   * from a configuration built apart.
   */
  public static Config serverTuning() {
    return ConfigFactory.parseResources(Configs.class.getClassLoader(), SERVER)
        .withFallback(ConfigFactory.parseResources(Configs.class.getClassLoader(), HISTORY));
  }

  /**
   * @param application the file Typesafe Config takes as the application's: the {@code
   *     application.conf} resource, or the one {@code -Dconfig.file} or {@code -Dconfig.resource}
   *     names instead
   * @param server whether the server's tuning of Pekko applies
   */
  static Config load(Config options, Path userFile, Config application, boolean server) {
    Config user =
        ConfigFactory.parseFile(userFile.toFile(), ConfigParseOptions.defaults().setAllowMissing(true));
    return options
        .withFallback(ConfigFactory.systemProperties())
        .withFallback(user)
        .withFallback(server ? serverTuning() : ConfigFactory.empty())
        .withFallback(application)
        // The app's Pekko settings stay in force when -Dconfig.file names another file.
        .withFallback(ConfigFactory.parseResources(Configs.class.getClassLoader(), APPLICATION))
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
  }
}
