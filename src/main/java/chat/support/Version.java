package chat.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/**
 * The project's version, as Maven wrote it into {@code chat/version.properties} at build time:
 * what {@code --version} prints in both apps.
 */
public final class Version implements CommandLine.IVersionProvider {

  private static final String RESOURCE = "/chat/version.properties";

  /** The version, such as {@code 0.1.0}; {@code unknown} in a build that did not write it. */
  public static String number() {
    try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  @Override
  public String[] getVersion() {
    return new String[] {"pekko-chat " + number()};
  }
}
