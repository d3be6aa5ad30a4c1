package chat.cluster;

import chat.history.HistorySettings;
import chat.support.HostPort;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Whether the server is a node of a cluster ({@code chat.cluster}), where the other nodes reach
 * it, the nodes it joins at start, and how long a split must last before the split brain
 * resolver acts; and Pekko's settings that make it so.
 */
public record ClusterSettings(
    boolean enabled, String host, int port, List<String> seedNodes, Duration stableAfter) {

  /** The actor system's name, which is part of every node's address. */
  public static final String SYSTEM = "chat-server";

  public ClusterSettings {
    seedNodes = List.copyOf(seedNodes);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("chat.cluster.port must be 0 to 65535, was " + port);
    }
    for (String seed : seedNodes) {
      hostAndPort(seed);
    }
    if (stableAfter.isNegative() || stableAfter.isZero()) {
      throw new IllegalArgumentException("chat.cluster.stable-after must be positive");
    }
  }

  public static ClusterSettings fromConfig(Config config) {
    Config cluster = config.getConfig("chat.cluster");
    return new ClusterSettings(cluster.getBoolean("enabled"), cluster.getString("host"),
        cluster.getInt("port"), seedNodes(cluster), cluster.getDuration("stable-after"));
  }

  /** The seed nodes as a list, or as one string of "host:port" parts split by commas (-D). */
  private static List<String> seedNodes(Config cluster) {
    return cluster.getValue("seed-nodes").valueType() == com.typesafe.config.ConfigValueType.LIST
        ? cluster.getStringList("seed-nodes") : seedNodes(cluster.getString("seed-nodes"));
  }

  /** Seed nodes written as one string, "host:port" parts split by commas; empty parts left out. */
  public static List<String> seedNodes(String list) {
    return HostPort.split(list).stream().filter(seed -> !seed.isEmpty()).toList();
  }

  /** A seed node's host and port, from "host:port"; a clear error for anything else. */
  public static HostPort hostAndPort(String seed) {
    return HostPort.parse(seed).filter(address -> address.port() > 0)
        .orElseThrow(() -> new IllegalArgumentException("chat.cluster.seed-nodes takes host:port"
            + " entries (such as 10.0.0.2:17355), not \"" + seed + "\""));
  }

  /**
   * Refuses a cluster whose nodes could not share the rooms' journal: only PostgreSQL is shared
   * by servers on several machines (an H2 database in memory serves nodes in one JVM).
   */
  public void checkShared(HistorySettings history) {
    if (!enabled) {
      return;
    }
    boolean shared = history.store() == HistorySettings.Store.POSTGRES
        || (history.store() == HistorySettings.Store.H2 && history.url().startsWith("jdbc:h2:mem:"));
    if (!shared) {
      throw new IllegalArgumentException("chat.cluster.enabled is on, but chat.history.store is "
          + history.store().name().toLowerCase(java.util.Locale.ROOT) + ": the nodes of a cluster"
          + " share the rooms' history, which needs chat.history.store = postgres");
    }
  }

  /** What the server's log says of the cluster at start. */
  public String describe() {
    if (!enabled) {
      return "off (one server)";
    }
    return "node at " + host + ":" + port + (seedNodes.isEmpty()
        ? ", starting a new cluster" : ", joining " + String.join(", ", seedNodes))
        + "; split brain resolver keep-majority after " + stableAfter.toMillis() + " ms";
  }

  /** Pekko's settings for this node: none when it is not in a cluster. */
  public Config pekkoConfig() {
    if (!enabled) {
      return ConfigFactory.empty();
    }
    List<String> seeds = seedNodes.stream()
        .map(seed -> "pekko://" + SYSTEM + "@" + hostAndPort(seed))
        .toList();
    return ConfigFactory.parseMap(Map.of(
            "pekko.actor.provider", "cluster",
            "pekko.remote.artery.canonical.hostname", host,
            "pekko.remote.artery.canonical.port", port,
            "pekko.cluster.downing-provider-class",
            "org.apache.pekko.cluster.sbr.SplitBrainResolverProvider",
            "pekko.cluster.split-brain-resolver.active-strategy", "keep-majority",
            "pekko.cluster.split-brain-resolver.stable-after", stableAfter.toMillis() + "ms",
            // A room passivates itself once empty for a while; a quiet room with members stays.
            "pekko.cluster.sharding.passivation.strategy", "none",
            // Several nodes in one JVM (tests) each register their beans.
            "pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on"))
        .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(seeds));
  }
}
