package chat.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigsTest {

  private static final String SLF4J = "org.apache.pekko.event.slf4j.Slf4jLogger";

  @TempDir Path dir;

  @Test
  void theAppsPekkoSettingsHoldWhenAnotherApplicationFileIsNamed() {
    // As with -Dconfig.file=other.conf: Typesafe Config then reads that file, not the resource.
    Config config = Configs.load(ConfigFactory.empty(), dir.resolve("missing.conf"),
        ConfigFactory.parseString("x = 1"), true);

    assertEquals("pekko.actor.default-dispatcher",
        config.getString("pekko.io.tcp.worker-dispatcher"));
    assertEquals(List.of(SLF4J), config.getStringList("pekko.loggers"));
    assertEquals(0, config.getInt("pekko.stream.materializer.io.tcp.coalesce-writes"));
    assertEquals("org.apache.pekko.dispatch.SingleConsumerOnlyUnboundedMailbox",
        config.getString("pekko.actor.default-mailbox.mailbox-type"));
    assertEquals("LIFO",
        config.getString("pekko.actor.default-dispatcher.fork-join-executor.task-peeking-mode"));
    assertEquals(50007, config.getInt("chat.server.port"));
    assertEquals(1, config.getInt("x"));
  }

  @Test
  void theServersTuningOfPekkoIsTheServersOnly() {
    Path missing = dir.resolve("missing.conf");
    Config client = Configs.load(ConfigFactory.empty(), missing, ConfigFactory.empty(), false);
    Config server = Configs.load(ConfigFactory.empty(), missing, ConfigFactory.empty(), true);
    for (String key : List.of("pekko.io.tcp.worker-dispatcher",
        "pekko.actor.default-mailbox.mailbox-type",
        "pekko.actor.default-dispatcher.fork-join-executor.task-peeking-mode",
        "pekko.actor.default-dispatcher.fork-join-executor.parallelism-min",
        "pekko.stream.materializer.io.tcp.coalesce-writes")) {
      assertEquals(ConfigFactory.defaultReference().getValue(key).unwrapped(),
          client.getValue(key).unwrapped(), key + " is Pekko's default in the client");
      assertNotEquals(client.getValue(key).unwrapped(), server.getValue(key).unwrapped(), key);
    }
    assertEquals(List.of(SLF4J), client.getStringList("pekko.loggers"), "logging for both");
  }

  @Test
  void theUsersFileWinsOverTheServersTuning() throws IOException {
    Path user = Files.writeString(dir.resolve("application.conf"),
        "pekko.stream.materializer.io.tcp.coalesce-writes = 3\n"
            + "pekko-persistence-jdbc.shared-databases.slick.db.numThreads = 2\n");
    Config config = Configs.load(ConfigFactory.empty(), user, ConfigFactory.empty(), true);
    assertEquals(3, config.getInt("pekko.stream.materializer.io.tcp.coalesce-writes"));
    assertEquals(2, config.getInt("pekko-persistence-jdbc.shared-databases.slick.db.numThreads"));
    assertEquals(4, Configs.load(ConfigFactory.empty(), dir.resolve("missing.conf"),
        ConfigFactory.empty(), true)
        .getInt("pekko-persistence-jdbc.shared-databases.slick.db.numThreads"), "the wiring's");
    assertEquals("jdbc-journal", config.getString("pekko.persistence.journal.plugin"));
  }

  @Test
  void theUsersFileWinsOverTheNamedFileWhichWinsOverTheAppsSettings() throws IOException {
    Path user = Files.writeString(dir.resolve("application.conf"),
        "chat.server.port = 6001\npekko.loglevel = WARNING\n");
    Config named = ConfigFactory.parseString(
        "chat.server.port = 6002\npekko.loglevel = DEBUG\npekko.log-dead-letters = 5\n");

    Config config = Configs.load(ConfigFactory.empty(), user, named, true);

    assertEquals(6001, config.getInt("chat.server.port"));
    assertEquals("WARNING", config.getString("pekko.loglevel"));
    assertEquals(5, config.getInt("pekko.log-dead-letters"));
  }
}
