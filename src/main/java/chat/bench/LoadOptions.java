package chat.bench;

import chat.protocol.RoomNames;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The load test's command-line options, parsed by picocli, with the bounds that keep every run
 * small in count and time. {@link LoadTest} parses them and hands them to the {@link Driver}.
 */
@Command(
    name = "load-test",
    mixinStandardHelpOptions = true,
    version = "pekko-chat load test",
    description = "Loads a pekko-chat server from one thread with non-blocking sockets.",
    footer = {
      "",
      "Scenarios:",
      "  fanout  the clients join, the senders among them send; every other",
      "          client should get each message",
      "  conns   the clients join and stay idle; with --server-pid, the server's",
      "          memory per connection",
      "  slow    as fanout, but the last --slow clients stop reading once joined",
      "Durations are numbers of seconds or take a unit: 500ms, 2s, 1m.",
      "Only loopback hosts are loaded unless --allow-remote is given."
    })
final class LoadOptions {

  /** What a run does. */
  enum Scenario { FANOUT, CONNS, SLOW }

  @Spec private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SCENARIO", description = "fanout, conns or slow.")
  private Scenario scenario;

  @Option(names = "--host", paramLabel = "HOST",
      description = "Server host (default ${DEFAULT-VALUE}).")
  private String host = "127.0.0.1";

  @Option(names = "--port", paramLabel = "PORT",
      description = "Server port (default ${DEFAULT-VALUE}).")
  private int port = 50007;

  @Option(names = "--servers", paramLabel = "HOST:PORT,...",
      description = "Spread the clients over these servers in turn, the first client on the"
          + " first (instead of --host and --port): the nodes of one cluster.")
  private String servers;

  @Option(names = "--allow-remote", description = "Allow a host that is not loopback.")
  private boolean allowRemote;

  @Option(names = {"-c", "--clients"}, paramLabel = "N",
      description = "Clients that join (default ${DEFAULT-VALUE}).")
  private int clients = 100;

  @Option(names = {"-s", "--senders"}, paramLabel = "N",
      description = "Clients that send (default ${DEFAULT-VALUE}).")
  private int senders = 10;

  @Option(names = "--rate", paramLabel = "MSGS/S",
      description = "Total messages per second over all senders; 0 (default) for as fast as "
          + "the window allows.")
  private double rate;

  @Option(names = "--window", paramLabel = "N",
      description = "Messages per sender not yet received by its witness "
          + "(default ${DEFAULT-VALUE}).")
  private int window = 100;

  @Option(names = "--size", paramLabel = "BYTES",
      description = "Bytes of each message text (default ${DEFAULT-VALUE}).")
  private int size = 64;

  @Option(names = "--slow", paramLabel = "N",
      description = "Slow readers in the slow scenario (default ${DEFAULT-VALUE}).")
  private int slow = 10;

  @Option(names = "--duration", paramLabel = "TIME", converter = Seconds.class,
      description = "Measured time (default 10s).")
  private Duration duration = Duration.ofSeconds(10);

  @Option(names = "--warmup", paramLabel = "TIME", converter = Seconds.class,
      description = "Warm-up (default 2s).")
  private Duration warmup = Duration.ofSeconds(2);

  @Option(names = "--drain", paramLabel = "TIME", converter = Seconds.class,
      description = "Longest wait for messages still under way after sending stops (default 5s).")
  private Duration drain = Duration.ofSeconds(5);

  @Option(names = "--join-timeout", paramLabel = "TIME", converter = Seconds.class,
      description = "Longest time for all clients to join (default 30s).")
  private Duration joinTimeout = Duration.ofSeconds(30);

  @Option(names = "--max-pending", paramLabel = "N",
      description = "Connects and joins under way at once (default ${DEFAULT-VALUE}).")
  private int maxPending = 200;

  @Option(names = "--rooms", paramLabel = "N",
      description = "Rooms each client is in: the lobby, where the run's messages go, and N-1 "
          + "more (#load-2 ... #load-N), all joined with its JOIN line (default ${DEFAULT-VALUE}).")
  private int rooms = 1;

  @Option(names = "--spread", description = "Senders post in all the rooms in turn, with "
      + "/say #load-K in all but the lobby (needs --rooms 2 or more).")
  private boolean spread;

  @Option(names = "--mode", paramLabel = "MODE", description = "text or json (default text).")
  private ServerLine.Mode mode = ServerLine.Mode.TEXT;

  @Option(names = "--server-pid", paramLabel = "PID",
      description = "Server process to read VmRSS of.")
  private Long serverPid;

  @Option(names = "--json", paramLabel = "FILE",
      description = "Write the report as JSON; - for stdout.")
  private String json;

  /** Checks the bounds and the host; throws a {@link ParameterException} naming the problem. */
  void validate() {
    check(port >= 1 && port <= 65535, "--port must be 1 to 65535");
    check(clients >= 1 && clients <= 20_000, "--clients must be 1 to 20000");
    check(maxPending >= 1 && maxPending <= 1_000, "--max-pending must be 1 to 1000");
    check(size >= 1 && size <= 4_000, "--size must be 1 to 4000 bytes");
    check(rate >= 0 && rate <= 10_000_000, "--rate must be 0 to 10000000 msgs/s");
    check(window >= 1 && window <= 10_000, "--window must be 1 to 10000");
    check(rooms >= 1 && rooms <= 100, "--rooms must be 1 to 100");
    check(!spread || rooms >= 2, "--spread needs --rooms 2 or more");
    check(positive(duration) && atMost(duration, 300), "--duration must be above 0, at most 300s");
    check(!warmup.isNegative() && atMost(warmup, 60), "--warmup must be 0 to 60s");
    check(!drain.isNegative() && atMost(drain, 30), "--drain must be 0 to 30s");
    check(positive(joinTimeout) && atMost(joinTimeout, 120),
        "--join-timeout must be above 0, at most 120s");
    if (scenario != Scenario.CONNS) {
      int slowReaders = slowReaders();
      check(senders >= 1 && senders <= 200, "--senders must be 1 to 200");
      check(scenario != Scenario.SLOW || slowReaders >= 1, "--slow must be at least 1");
      check(senders + slowReaders < clients,
          "--clients must be more than --senders plus the slow readers");
    }
    for (InetSocketAddress server : servers()) {
      check(!server.isUnresolved(), "unknown host " + server.getHostString());
      check(allowRemote || server.getAddress().isLoopbackAddress(),
          "host " + server.getHostString() + " is not a loopback address; add --allow-remote to"
              + " load it");
    }
  }

  /** The servers the clients go to in turn: those of --servers, else --host and --port. */
  List<InetSocketAddress> servers() {
    if (servers == null) {
      return List.of(new InetSocketAddress(host, port));
    }
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (String server : servers.split(",")) {
      String part = server.strip();
      int colon = part.lastIndexOf(':');
      int serverPort = -1;
      try {
        serverPort = colon > 0 ? Integer.parseInt(part.substring(colon + 1)) : -1;
      } catch (NumberFormatException e) {
        // reported below
      }
      check(serverPort >= 1 && serverPort <= 65535,
          "--servers takes host:port entries (such as 127.0.0.1:50007), not \"" + part + "\"");
      addresses.add(new InetSocketAddress(part.substring(0, colon), serverPort));
    }
    return List.copyOf(addresses);
  }

  /** The servers as the report names them: host:port, comma-separated. */
  String serverNames() {
    return String.join(",", servers().stream()
        .map(server -> server.getHostString() + ":" + server.getPort()).toList());
  }

  Scenario scenario() {
    return scenario;
  }

  String host() {
    return host;
  }

  int port() {
    return port;
  }

  int clients() {
    return clients;
  }

  /** Senders; none in the conns scenario. */
  int senders() {
    return scenario == Scenario.CONNS ? 0 : senders;
  }

  /** Slow readers; only the slow scenario has them. */
  int slowReaders() {
    return scenario == Scenario.SLOW ? slow : 0;
  }

  double rate() {
    return rate;
  }

  int window() {
    return window;
  }

  int size() {
    return size;
  }

  Duration duration() {
    return duration;
  }

  Duration warmup() {
    return scenario == Scenario.CONNS ? Duration.ZERO : warmup;
  }

  Duration drain() {
    return scenario == Scenario.CONNS ? Duration.ZERO : drain;
  }

  Duration joinTimeout() {
    return joinTimeout;
  }

  int maxPending() {
    return maxPending;
  }

  /** The rooms every client is in, the lobby first. */
  List<String> rooms() {
    List<String> names = new ArrayList<>(List.of(RoomNames.LOBBY));
    for (int room = 2; room <= rooms; room++) {
      names.add("#load-" + room);
    }
    return names;
  }

  /** Whether senders post in every room in turn, not only the lobby. */
  boolean spread() {
    return spread;
  }

  ServerLine.Mode mode() {
    return mode;
  }

  /** The server's process id for memory readings, or null. */
  Long serverPid() {
    return serverPid;
  }

  /** Where the JSON report goes: a file, {@code -} for stdout, or null for nowhere. */
  String json() {
    return json;
  }

  private static boolean positive(Duration d) {
    return !d.isNegative() && !d.isZero();
  }

  private static boolean atMost(Duration d, long seconds) {
    return d.compareTo(Duration.ofSeconds(seconds)) <= 0;
  }

  private void check(boolean ok, String problem) {
    if (!ok) {
      throw new ParameterException(spec.commandLine(), problem);
    }
  }

  /** Reads {@code 10}, {@code 2.5s}, {@code 500ms} or {@code 1m} as a duration. */
  static final class Seconds implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      long scale = v.endsWith("ms") ? 1 : v.endsWith("m") ? 60_000 : 1_000;
      String number = v.replaceFirst("(ms|s|m)$", "");
      try {
        return Duration.ofMillis(Math.round(Double.parseDouble(number) * scale));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "'" + value + "' is not a duration such as 10s or 500ms");
      }
    }
  }
}
