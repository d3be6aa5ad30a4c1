package chat.server;

import chat.cluster.ClusterSettings;
import chat.support.CommandLines;
import chat.support.Version;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The server's command-line options, parsed by picocli: each one sets a {@code chat.server} or
 * {@code chat.cluster} key, over {@code conf/application.conf} and {@code -D} flags. {@link
 * chat.ServerApp} runs {@link #execute} with what to do once the options are known; help,
 * version and bad options are answered here.
 */
@Command(
    name = "pekko-chat server",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Runs a pekko-chat server: plain text (nc, telnet), TLS and web browsers.",
    footer = {
      "",
      "Each option sets the key named beside it, over conf/application.conf",
      "and -D flags; conf/application.conf and src/main/resources/reference.conf list",
      "every other key. A second server on one machine needs three other ports:",
      "  --port 6000 --tls-port 6443 --web-port 6080",
      "The server stops by itself once nobody has been connected for 60 seconds",
      "(chat.server.idle-shutdown); --idle-shutdown off keeps it running.",
      "Type !help at its console for the operator's commands."
    })
public final class ServerOptions {

  @Spec private CommandSpec spec;

  private final Map<String, Object> settings = new LinkedHashMap<>();
  private final Map<String, Object> clusterSettings = new LinkedHashMap<>();

  @Option(
      names = "--host",
      paramLabel = "HOST",
      description = "Interface to listen on (chat.server.host): 0.0.0.0 for the network,"
          + " 127.0.0.1 for this machine only.")
  void setHost(String host) {
    settings.put("host", host);
  }

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "Plain-text port, 0 to 65535; 0 picks a free one (chat.server.port).")
  void setPort(int port) {
    settings.put("port", checkedPort("--port", port));
  }

  @Option(
      names = "--tls-port",
      paramLabel = "PORT",
      description = "TLS port, 0 to 65535 (chat.server.tls.port).")
  void setTlsPort(int port) {
    settings.put("tls.port", checkedPort("--tls-port", port));
  }

  @Option(names = "--no-tls", description = "No TLS listener (chat.server.tls.enabled = off).")
  void setNoTls(boolean noTls) {
    if (noTls) {
      settings.put("tls.enabled", false);
    }
  }

  @Option(
      names = "--web-port",
      paramLabel = "PORT",
      description = "Web port for browsers (https://HOST:PORT/), 0 to 65535"
          + " (chat.server.web.port).")
  void setWebPort(int port) {
    settings.put("web.port", checkedPort("--web-port", port));
  }

  @Option(names = "--no-web", description = "No web listener (chat.server.web.enabled = off).")
  void setNoWeb(boolean noWeb) {
    if (noWeb) {
      settings.put("web.enabled", false);
    }
  }

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where the server keeps its TLS identity and the H2 history "
          + "(chat.server.data-dir).")
  void setDataDir(String directory) {
    settings.put("data-dir", directory);
  }

  @Option(
      names = "--idle-shutdown",
      paramLabel = "DURATION",
      description = "Stop once nobody has been connected this long: 60s, 10m, ... or off%n"
          + "(chat.server.idle-shutdown).")
  void setIdleShutdown(String idle) {
    settings.put("idle-shutdown", idle);
  }

  @Option(
      names = "--cluster",
      description = "Be a node of a cluster (chat.cluster.enabled): servers that are one chat,"
          + " on a PostgreSQL history store.")
  void setCluster(boolean cluster) {
    if (cluster) {
      clusterSettings.put("enabled", true);
    }
  }

  @Option(
      names = "--cluster-host",
      paramLabel = "HOST",
      description = "The address (chat.cluster.host) the other nodes reach this one at.")
  void setClusterHost(String host) {
    clusterSettings.put("host", host);
  }

  @Option(
      names = "--cluster-port",
      paramLabel = "PORT",
      description = "The port (chat.cluster.port) the other nodes reach this one at, 0 to"
          + " 65535.")
  void setClusterPort(int port) {
    clusterSettings.put("port", checkedPort("--cluster-port", port));
  }

  @Option(
      names = "--seed-nodes",
      paramLabel = "NODES",
      description = "The nodes to join at start, host:port,...; none: start a new cluster%n"
          + "(chat.cluster.seed-nodes).")
  void setSeedNodes(String seeds) {
    List<String> nodes = ClusterSettings.seedNodes(seeds);
    try {
      nodes.forEach(ClusterSettings::hostAndPort);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(),
          "Invalid value for option '--seed-nodes': " + e.getMessage());
    }
    clusterSettings.put("seed-nodes", nodes);
  }

  private int checkedPort(String option, int port) {
    if (port < 0 || port > 65535) {
      throw new ParameterException(spec.commandLine(),
          "Invalid value for option '" + option + "': " + port + " is not a port (0 to 65535).");
    }
    return port;
  }

  /**
   * Parses {@code args} and runs {@code action} with the options. Returns the action's exit code,
   * 0 after {@code --help} or {@code --version}, or 2 after printing what is wrong with them.
   */
  public static int execute(
      String[] args, PrintWriter out, PrintWriter err, ToIntFunction<ServerOptions> action) {
    ServerOptions options = new ServerOptions();
    return CommandLines.execute(options, args, out, err, () -> action.applyAsInt(options));
  }

  /** The settings the options give, as configuration that wins over every other source. */
  public Config asConfig() {
    Map<String, Object> keys = new LinkedHashMap<>();
    settings.forEach((key, value) -> keys.put("chat.server." + key, value));
    clusterSettings.forEach((key, value) -> keys.put("chat.cluster." + key, value));
    return ConfigFactory.parseMap(keys, "command-line options");
  }
}
