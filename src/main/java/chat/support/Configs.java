package chat.support;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.nio.file.Path;

/**
 * Loads the configuration both apps run with: the server's command-line options over {@code -D}
 * system properties over the user's {@code conf/application.conf} over the application's Pekko
 * settings (the {@code application.conf} resource) over the defaults in {@code reference.conf}.
 */
public final class Configs {

  /** Where a user keeps overrides, relative to the directory the app is started in. */
  public static final Path USER_FILE = Path.of("conf", "application.conf");

  /** The resource with the app's own Pekko settings. */
  private static final String APPLICATION = "application.conf";

  private Configs() {}

  /** The merged configuration; a malformed user file throws a {@code ConfigException}. */
  public static Config load() {
    return load(ConfigFactory.empty());
  }

  /**
   * The merged configuration under {@code options}: settings from the command line's options,
   * which win over everything else.
   */
  public static Config load(Config options) {
    return load(options, USER_FILE, ConfigFactory.defaultApplication());
  }

  static Config load(Path userFile, Config application) {
    return load(ConfigFactory.empty(), userFile, application);
  }

  /**
   * @param application the file Typesafe Config takes as the application's: the {@code
   *     application.conf} resource, or the one {@code -Dconfig.file} or {@code -Dconfig.resource}
   *     names instead
   */
  static Config load(Config options, Path userFile, Config application) {
    Config user =
        ConfigFactory.parseFile(userFile.toFile(), ConfigParseOptions.defaults().setAllowMissing(true));
    return options
        .withFallback(ConfigFactory.systemProperties())
        .withFallback(user)
        .withFallback(application)
        // The app's Pekko settings stay in force when -Dconfig.file names another file.
        .withFallback(ConfigFactory.parseResources(Configs.class.getClassLoader(), APPLICATION))
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
  }
}
