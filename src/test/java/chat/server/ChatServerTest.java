package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.support.Configs;
import com.typesafe.config.ConfigFactory;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class ChatServerTest {

  @Test
  void threadsLineSaysWhatPekkoWillRunOn() {
    int cores = Runtime.getRuntime().availableProcessors();
    assertEquals("Threads: " + cores + " for actors and streams, " + (cores + 1) / 2
            + " for Pekko's own work; TCP connections on [pekko.actor.default-dispatcher]",
        ChatServer.threads(Configs.serverTuning().withFallback(ConfigFactory.load())));
    assertEquals("Threads: 3 for actors and streams, 5 for Pekko's own work;"
            + " TCP connections on [pekko.actor.internal-dispatcher]",
        ChatServer.threads(ConfigFactory.parseString("""
            pekko.actor.default-dispatcher.fork-join-executor {
              parallelism-min = 3, parallelism-factor = 0.1, parallelism-max = 64 }
            pekko.actor.internal-dispatcher.fork-join-executor {
              parallelism-min = 5, parallelism-factor = 0.1, parallelism-max = 5 }
            pekko.io.tcp.worker-dispatcher = "pekko.actor.internal-dispatcher"
            """).withFallback(ConfigFactory.load())));
    assertEquals("Threads: thread-pool-executor for actors and streams, 1 for Pekko's own work;"
            + " TCP connections on [pekko.actor.default-dispatcher]",
        ChatServer.threads(ConfigFactory.parseString("""
            pekko.actor.default-dispatcher.executor = "thread-pool-executor"
            pekko.actor.internal-dispatcher.fork-join-executor.parallelism-max = 1
            """).withFallback(Configs.serverTuning()).withFallback(ConfigFactory.load())));
  }

  @Test
  void jvmLineNamesTheVersionTheCollectorsAndTheHeapLimit() {
    String line = ChatServer.jvm();

    assertTrue(line.startsWith("JVM: Java " + Runtime.version().feature() + "."), line);
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      assertTrue(line.contains(collector.getName()), line);
    }
    assertTrue(line.endsWith(", heap up to " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB"),
        line);
  }
}
