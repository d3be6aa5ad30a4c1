package chat.client;

import chat.client.trust.KnownServers;
import chat.support.HostPort;
import chat.tls.Fingerprints;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The client's settings, read once from {@code chat.client} and overridden by options. {@code
 * port} is the port connected to: with TLS on and no port given, the TLS port.
 *
 * @param password the server password, sent before every join, if one is set
 * @param others the other servers of the chat ({@code host:port}), tried in turn when this one
 *     cannot be reached: the nodes of a cluster
 */
public record ClientSettings(
    String host, int port, int maxLineBytes, Optional<String> password, Tls tls,
    List<String> others) {

  /**
   * TLS: whether it is on, the port it uses unless one is given, a fingerprint pinned with {@code
   * --trust}, and the file of servers trusted on first use.
   */
  public record Tls(boolean enabled, int defaultPort, Optional<String> pin, Path knownServers) {

    public static final int DEFAULT_PORT = 50443;

    /** TLS off, as a client without options or configuration has it. */
    public static final Tls OFF =
        new Tls(false, DEFAULT_PORT, Optional.empty(), KnownServers.defaultFile());

    public Tls {
      checkPort(defaultPort, "tls-port");
      pin.ifPresent(Fingerprints::require);
    }
  }

  public ClientSettings {
    others = List.copyOf(others);
    others.forEach(ClientSettings::parsed);
    if (!others.isEmpty() && tls.enabled()) {
      throw new IllegalArgumentException("several servers work with plain text for now; with TLS"
          + " give one");
    }
    checkPort(port, "port");
    if (maxLineBytes < 1) {
      throw new IllegalArgumentException("max-line-bytes must be positive, was " + maxLineBytes);
    }
    if (password.isPresent() && password.get().matches("(?s).*[\\r\\n].*")) {
      throw new IllegalArgumentException("the password cannot contain a line break");
    }
  }

  /** Plain text, no password. */
  public ClientSettings(String host, int port, int maxLineBytes) {
    this(host, port, maxLineBytes, Optional.empty(), Tls.OFF);
  }

  /** One server. */
  public ClientSettings(
      String host, int port, int maxLineBytes, Optional<String> password, Tls tls) {
    this(host, port, maxLineBytes, password, tls, List.of());
  }

  /**
   * A server as {@code host:port}, {@code [v6]:port}, or a host alone (port 0: the port given
   * apart); a clear error for anything else.
   */
  public static Map.Entry<String, Integer> server(String server) {
    HostPort address = parsed(server);
    return Map.entry(address.host(), address.port());
  }

  private static HostPort parsed(String server) {
    return HostPort.parse(server).orElseThrow(() -> new IllegalArgumentException(
        "a server is host:port (such as 10.0.0.2:50007), not \"" + server + "\""));
  }

  /** The servers to try, as {@code host:port} (or a host alone) parts split by commas. */
  public ClientSettings withServers(String servers) {
    return withServers(HostPort.split(servers));
  }

  /** The servers to try, this one and the others, each given as host:port or host. */
  public ClientSettings withServers(List<String> servers) {
    HostPort first = parsed(servers.get(0));
    List<String> rest = servers.subList(1, servers.size()).stream()
        .map(ClientSettings::parsed)
        .map(other -> other.port() == 0 ? new HostPort(other.host(), port) : other)
        .map(HostPort::toString)
        .toList();
    ClientSettings here = withHost(first.host());
    here = first.port() == 0 ? here : here.withPort(first.port());
    return new ClientSettings(here.host, here.port, maxLineBytes, password, tls, rest);
  }

  /**
   * With the chat's other nodes as a server named them (its welcome), those not known yet going
   * last; unchanged with TLS (several servers are for plain text for now).
   */
  public ClientSettings withOthersKnown(List<String> nodes) {
    String self = address().toString();
    List<String> more = new ArrayList<>(others);
    for (String node : nodes) {
      if (!node.equals(self) && !more.contains(node)) {
        parsed(node); // a malformed address from a server is refused here, loudly
        more.add(node);
      }
    }
    return more.size() == others.size() || tls.enabled() ? this
        : new ClientSettings(host, port, maxLineBytes, password, tls, more);
  }

  /**
   * The next server to try when this one cannot be reached: the first of the others, this one
   * going to the end of them; itself if there are none.
   */
  public ClientSettings next() {
    if (others.isEmpty()) {
      return this;
    }
    HostPort next = parsed(others.get(0));
    List<String> rest = new ArrayList<>(others.subList(1, others.size()));
    rest.add(address().toString());
    return new ClientSettings(next.host(), next.port(), maxLineBytes, password, tls, rest);
  }

  /** The server this connects to. */
  public HostPort address() {
    return new HostPort(host, port);
  }

  public static ClientSettings fromConfig(Config config) {
    Config client = config.getConfig("chat.client");
    String knownServers = client.getString("known-servers");
    Tls tls =
        new Tls(
            client.getBoolean("tls"),
            client.getInt("tls-port"),
            Optional.empty(),
            knownServers.isBlank() ? KnownServers.defaultFile() : Path.of(knownServers));
    String password = client.getString("password");
    String host = client.getString("host");
    ClientSettings settings = new ClientSettings(
        host.contains(",") ? "127.0.0.1" : host,
        tls.enabled() ? tls.defaultPort() : client.getInt("port"),
        client.getInt("max-line-bytes"),
        password.isEmpty() ? Optional.empty() : Optional.of(password),
        tls);
    // The nodes of one chat, as --host takes them.
    return host.contains(",") ? settings.withServers(host) : settings;
  }

  public ClientSettings withHost(String newHost) {
    return new ClientSettings(newHost, port, maxLineBytes, password, tls, others);
  }

  public ClientSettings withPort(int newPort) {
    return new ClientSettings(host, newPort, maxLineBytes, password, tls, others);
  }

  /** TLS on: to the TLS port, unless it was on already (then the port stays). */
  public ClientSettings withTls() {
    if (tls.enabled()) {
      return this;
    }
    Tls on = new Tls(true, tls.defaultPort(), tls.pin(), tls.knownServers());
    return new ClientSettings(host, tls.defaultPort(), maxLineBytes, password, on, others);
  }

  /** Accepts only the server certificate with this SHA-256 fingerprint. */
  public ClientSettings withPin(String fingerprint) {
    Tls pinned = new Tls(tls.enabled(), tls.defaultPort(), Optional.of(fingerprint),
        tls.knownServers());
    return new ClientSettings(host, port, maxLineBytes, password, pinned, others);
  }

  public ClientSettings withKnownServers(Path file) {
    Tls moved = new Tls(tls.enabled(), tls.defaultPort(), tls.pin(), file);
    return new ClientSettings(host, port, maxLineBytes, password, moved, others);
  }

  public ClientSettings withPassword(String newPassword) {
    return new ClientSettings(host, port, maxLineBytes, Optional.of(newPassword), tls, others);
  }

  /** Never shows the password. */
  @Override
  public String toString() {
    return "ClientSettings[host=" + host + ", port=" + port + ", maxLineBytes=" + maxLineBytes
        + ", password=" + password.map(given -> "****").orElse("none") + ", tls=" + tls
        + ", others=" + others + "]";
  }

  private static void checkPort(int port, String key) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(key + " must be 1 to 65535, was " + port);
    }
  }
}
