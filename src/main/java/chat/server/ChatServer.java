package chat.server;

import chat.cluster.ClusterSettings;
import chat.history.JournalSchema;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.dispatch.ThreadPoolConfig;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running chat server: its actor system, with the {@link Supervisor} as root. Started by
 * {@code chat.ServerApp}, and by tests that need a real server on a free port.
 */
public final class ChatServer {

  private final ActorSystem<Supervisor.Command> system;
  private final CompletableFuture<Addresses> bound;

  private ChatServer(
      ActorSystem<Supervisor.Command> system, CompletableFuture<Addresses> bound) {
    this.system = system;
    this.bound = bound;
  }

  /**
   * Starts a server with the settings under {@code chat.server}, {@code chat.room} and {@code
   * chat.history}.
   *
   * @param adminInput the admin console's input
   * @param console where the admin console's answers go
   * @throws JournalSchema.Unavailable if the history's database cannot be reached or prepared
   */
  public static ChatServer start(
      Config config, Source<ByteString, ?> adminInput, Consumer<String> console) {
    ServerSettings settings = ServerSettings.fromConfig(config);
    ClusterSettings cluster = ClusterSettings.fromConfig(config);
    cluster.checkShared(settings.history());
    JournalSchema.prepare(settings.history());
    // Clients are drained in this phase of coordinated shutdown: give it the time they get.
    long drainMillis = settings.shutdownDrainTimeout().toMillis() + 2000;
    Config withDrain =
        ConfigFactory.parseString(
                "pekko.coordinated-shutdown.phases.service-requests-done.timeout = "
                    + drainMillis + "ms")
            .withFallback(cluster.pekkoConfig())
            .withFallback(settings.history().pekkoConfig())
            .withFallback(config);
    Logger log = LoggerFactory.getLogger(ChatServer.class);
    log.info(jvm());
    log.info(threads(withDrain));
    log.info("History: {}", settings.history().describe());
    log.info("Cluster: {}", cluster.describe());
    CompletableFuture<Addresses> bound = new CompletableFuture<>();
    ActorSystem<Supervisor.Command> system =
        ActorSystem.create(
            Supervisor.create(settings, adminInput, console, bound), ClusterSettings.SYSTEM,
            withDrain);
    if (cluster.enabled() && cluster.seedNodes().isEmpty()) {
      // No node to join: this one starts the cluster, and the others join it.
      Cluster self = Cluster.get(system);
      self.manager().tell(Join.create(self.selfMember().address()));
    }
    return new ChatServer(system, bound);
  }

  /**
   * How many threads run the chat, as Pekko will size its pools from {@code config}: the log
   * line that lets an operator (and the runnable jar's test) see which settings are in force.
   */
  static String threads(Config config) {
    return "Threads: " + poolSize(config, "pekko.actor.default-dispatcher")
        + " for actors and streams, " + poolSize(config, "pekko.actor.internal-dispatcher")
        + " for Pekko's own work; TCP connections on ["
        + config.getString("pekko.io.tcp.worker-dispatcher") + "]";
  }

  /**
   * The JVM's version, garbage collectors and heap limit: the log line that shows an operator
   * (and the launcher's test) which JVM options are in force.
   */
  static String jvm() {
    String collectors =
        ManagementFactory.getGarbageCollectorMXBeans().stream()
            .map(GarbageCollectorMXBean::getName)
            .collect(Collectors.joining(" and "));
    return "JVM: Java " + Runtime.version() + ", collectors " + collectors + ", heap up to "
        + (Runtime.getRuntime().maxMemory() >> 20) + " MiB";
  }

  /** The pool's size if it is a fork-join pool (Pekko's default); else the executor's name. */
  private static String poolSize(Config config, String dispatcher) {
    String executor = config.getString(dispatcher + ".executor");
    if (!executor.equals("default-executor") && !executor.equals("fork-join-executor")) {
      return executor;
    }
    Config pool = config.getConfig(dispatcher + ".fork-join-executor");
    return String.valueOf(ThreadPoolConfig.scaledPoolSize(
        pool.getInt("parallelism-min"),
        pool.getDouble("parallelism-factor"),
        pool.getInt("parallelism-max")));
  }

  /** Where the server listens, for plain text and for TLS (either may be off). */
  public record Addresses(
      Optional<InetSocketAddress> plain,
      Optional<InetSocketAddress> tls,
      Optional<InetSocketAddress> web) {}

  /** The addresses the server listens on, once it does; fails if it could not bind. */
  public CompletionStage<Addresses> bound() {
    return bound;
  }

  /**
   * The server's actor system, for tests and tools that look inside a running server (counting
   * its actors, say); the server itself is driven through its sockets and console only.
   */
  public ActorSystem<?> system() {
    return system;
  }

  /** Completes with the process exit code once the server has stopped. */
  public CompletionStage<Integer> stopped() {
    return system
        .getWhenTerminated()
        .thenApply(
            done ->
                CoordinatedShutdown.get(system)
                    .getShutdownReason()
                    .filter(Supervisor.Reason::isFailure)
                    .map(reason -> 1)
                    .orElse(0));
  }

  /** Shuts the server down as {@code !exitserver} does. */
  public CompletionStage<Integer> stop() {
    CoordinatedShutdown.get(system).run(Supervisor.Reason.ADMIN);
    return stopped();
  }
}
