package chat.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.history.HistorySettings;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {

  private static ClusterSettings settings(String cluster) {
    return ClusterSettings.fromConfig(
        ConfigFactory.parseString("chat.cluster { " + cluster + " }")
            .withFallback(ConfigFactory.defaultReference()).resolve());
  }

  private static HistorySettings history(String history) {
    return HistorySettings.fromConfig(ConfigFactory.parseString("chat.history { " + history + " }")
        .withFallback(ConfigFactory.parseString("chat.server.data-dir = /tmp/none"))
        .withFallback(ConfigFactory.defaultReference()).resolve());
  }

  @Test
  void offByDefaultAndThenPekkoIsLeftAlone() {
    ClusterSettings off = settings("");
    assertEquals(false, off.enabled());
    assertTrue(off.pekkoConfig().isEmpty());
    off.checkShared(history("store = h2"));
  }

  @Test
  void aNodeJoinsItsSeedsUnderTheChatsSystemNameWithTheSplitBrainResolver() {
    Config pekko = settings("enabled = on, host = \"10.0.0.1\", port = 2552,"
        + " seed-nodes = [\"10.0.0.2:17355\", \"[::1]:17356\"], stable-after = 9s").pekkoConfig();
    assertEquals("cluster", pekko.getString("pekko.actor.provider"));
    assertEquals("10.0.0.1", pekko.getString("pekko.remote.artery.canonical.hostname"));
    assertEquals(2552, pekko.getInt("pekko.remote.artery.canonical.port"));
    assertEquals(List.of("pekko://chat-server@10.0.0.2:17355", "pekko://chat-server@[::1]:17356"),
        pekko.getStringList("pekko.cluster.seed-nodes"));
    assertEquals("keep-majority",
        pekko.getString("pekko.cluster.split-brain-resolver.active-strategy"));
    assertEquals(9000,
        pekko.getDuration("pekko.cluster.split-brain-resolver.stable-after").toMillis());
  }

  @Test
  void seedNodesMayComeAsOneStringFromADashDFlag() {
    assertEquals(List.of("a:1", "b:2"), settings("seed-nodes = \"a:1, b:2\"").seedNodes());
  }

  @Test
  void aSeedThatIsNotHostAndPortIsRefusedByName() {
    for (String bad : List.of("nohost", "host:", ":17355", "host:port", "host:70000")) {
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
          () -> settings("seed-nodes = [\"" + bad + "\"]"));
      assertTrue(refused.getMessage().contains("\"" + bad + "\""), refused.getMessage());
    }
  }

  @Test
  void aClusterRefusesAStoreItsNodesCannotShare() {
    ClusterSettings on = settings("enabled = on");
    IllegalArgumentException h2 = assertThrows(IllegalArgumentException.class,
        () -> on.checkShared(history("store = h2")));
    assertEquals("chat.cluster.enabled is on, but chat.history.store is h2: the nodes of a"
        + " cluster share the rooms' history, which needs chat.history.store = postgres",
        h2.getMessage());
    assertThrows(IllegalArgumentException.class, () -> on.checkShared(history("store = memory")));
    on.checkShared(history("store = postgres"));
    on.checkShared(history("store = h2, h2.url = \"jdbc:h2:mem:nodes;DB_CLOSE_DELAY=-1\""));
  }
}
