package chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The JVM options the project ships are written twice, because neither place can read the other:
 * in {@code .mvn/jvm.config} for {@code mvn exec:java} and in the jar's launcher. They must agree,
 * or the two ways of running the server would not be the configuration the benchmarks measured.
 */
class JvmOptionsTest {

  private static final Pattern LAUNCHER_OPTIONS =
      Pattern.compile("^JVM_OPTIONS=\"([^\"]*)\"$", Pattern.MULTILINE);

  @Test
  void mavenAndTheLauncherRunTheSameJvmOptions() throws IOException {
    Matcher launcher =
        LAUNCHER_OPTIONS.matcher(Files.readString(Path.of("src/main/bin/pekko-chat")));
    assertTrue(launcher.find(), "no JVM_OPTIONS line in the launcher");
    List<String> maven = split(Files.readString(Path.of(".mvn/jvm.config")));

    assertEquals(maven, split(launcher.group(1)));
    assertTrue(maven.contains("-XX:+UseParallelGC"), maven::toString);
  }

  private static List<String> split(String options) {
    return Arrays.stream(options.trim().split("\\s+")).toList();
  }
}
