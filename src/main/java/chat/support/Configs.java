package chat.support;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.nio.file.Path;

/**
 * Loads the configuration both apps run with: {@code -D} system properties over the user's
 * {@code conf/application.conf} over the application's Pekko settings (the {@code
 * application.conf} resource) over the defaults in {@code reference.conf}.
 */
public final class Configs {

  /** Where a user keeps overrides, relative to the directory the app is started in. */
  public static final Path USER_FILE = Path.of("conf", "application.conf");

  /** The resource with the app's own Pekko settings. */
  private static final String APPLICATION = "application.conf";

  private Configs() {}

  /** The merged configuration; a malformed user file throws a {@code ConfigException}. */
  public static Config load() {
    return load(USER_FILE, ConfigFactory.defaultApplication());
  }

  /**
   * @param application the file Typesafe Config takes as the application's: the {@code
   *     application.conf} resource, or the one {@code -Dconfig.file} or {@code -Dconfig.resource}
   *     names instead
   */
  static Config load(Path userFile, Config application) {
    Config user =
        ConfigFactory.parseFile(userFile.toFile(), ConfigParseOptions.defaults().setAllowMissing(true));
    return ConfigFactory.systemProperties()
        .withFallback(user)
        .withFallback(application)
        // The app's Pekko settings stay in force when -Dconfig.file names another file.
        .withFallback(ConfigFactory.parseResources(Configs.class.getClassLoader(), APPLICATION))
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
  }
}
