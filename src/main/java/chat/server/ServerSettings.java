package chat.server;

import chat.history.HistorySettings;
import chat.room.RoomSettings;
import chat.server.web.WebSettings;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The server's settings, read once from {@code chat.server} and handed to the actors, which never
 * read {@code Config} themselves.
 */
public record ServerSettings(
    String host,
    int port,
    Duration joinTimeout,
    Optional<Duration> joinHint,
    Optional<Duration> idleShutdown,
    int maxLineBytes,
    long outboxBytes,
    Duration slowClientTimeout,
    RateLimit.Settings rate,
    Set<InetAddress> exemptAddresses,
    Duration shutdownDrainTimeout,
    Duration closeTimeout,
    Duration closeLinger,
    RoomSettings room,
    HistorySettings history,
    boolean plainEnabled,
    TlsSettings tls,
    WebSettings web,
    Optional<String> password,
    PasswordGuard.Settings wrongPasswords,
    int maxConnections,
    int maxConnectionsPerIp,
    KeepAlive keepAlive,
    int acceptors) {

  /** The brackets and quotes of a list written as a -D flag's string. */
  private static final Pattern LIST_PUNCTUATION = Pattern.compile("[\\[\\]\"]");

  public ServerSettings {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("chat.server.port must be 0 to 65535, was " + port);
    }
    if (!plainEnabled && !tls.enabled() && !web.enabled()) {
      throw new IllegalArgumentException("chat.server.plain.enabled, chat.server.tls.enabled and"
          + " chat.server.web.enabled are all off: nobody could connect");
    }
    requirePositive("chat.server.max-line-bytes", maxLineBytes);
    if (outboxBytes < 1024) {
      throw new IllegalArgumentException(
          "chat.server.outbox-bytes must be at least 1 KiB, was " + outboxBytes);
    }
    exemptAddresses = Set.copyOf(exemptAddresses);
    requirePositive("chat.server.max-connections", maxConnections);
    requirePositive("chat.server.max-connections-per-ip", maxConnectionsPerIp);
    requirePositive("chat.server.acceptors", acceptors);
  }

  public static ServerSettings fromConfig(Config config) {
    Config server = config.getConfig("chat.server");
    return new ServerSettings(
        server.getString("host"),
        server.getInt("port"),
        server.getDuration("join-timeout"),
        optionalDuration(server, "join-hint"),
        optionalDuration(server, "idle-shutdown"),
        server.getInt("max-line-bytes"),
        server.getBytes("outbox-bytes"),
        server.getDuration("slow-client-timeout"),
        new RateLimit.Settings(
            server.getBoolean("rate.enabled"),
            server.getDouble("rate.lines-per-second"),
            server.getInt("rate.burst"),
            server.getInt("rate.max-refused")),
        addresses(server, "exempt-addresses"),
        server.getDuration("shutdown-drain-timeout"),
        server.getDuration("close-timeout"),
        server.getDuration("close-linger"),
        RoomSettings.fromConfig(config),
        HistorySettings.fromConfig(config),
        server.getBoolean("plain.enabled"),
        TlsSettings.fromConfig(server),
        WebSettings.fromConfig(server),
        password(server),
        PasswordGuard.Settings.fromConfig(server),
        server.getInt("max-connections"),
        server.getInt("max-connections-per-ip"),
        KeepAlive.fromConfig(server),
        server.getInt("acceptors"));
  }

  /** Whether the limits per address (connections, rate) spare this client's address. */
  boolean exempt(InetAddress address) {
    return exemptAddresses.contains(address);
  }

  /**
   * The most memory the outboxes can hold when every connection is full, with what the socket
   * stage holds beyond them: what the heap must have room for.
   */
  long worstCaseOutboxBytes() {
    return (long) maxConnections * (outboxBytes + OutboxStage.MAX_BATCH_BYTES);
  }

  /**
   * What to tell the operator when full outboxes ({@link #worstCaseOutboxBytes}) and full room
   * histories together could need more than the heap.
   */
  Optional<String> memoryWarning(long maxHeapBytes) {
    long outboxes = worstCaseOutboxBytes();
    long histories = room.worstCaseHistoryBytes();
    if (outboxes + histories <= maxHeapBytes) {
      return Optional.empty();
    }
    return Optional.of("Outboxes and room histories could need up to "
        + ((outboxes + histories) >> 20) + " MiB (" + maxConnections + " connections x "
        + ((outboxes / maxConnections) >> 10) + " KiB, " + room.maxRooms() + " rooms x "
        + ((histories / room.maxRooms()) >> 10) + " KiB) but the heap is "
        + (maxHeapBytes >> 20) + " MiB: lower chat.server.max-connections or outbox-bytes, "
        + "chat.room.max-rooms or history-bytes, or give the JVM more heap (-Xmx)");
  }

  /**
   * A list of addresses; also a string of them separated by commas, as a -D flag gives, which may
   * be spelled as the list ({@code []}, {@code ["10.0.0.7", "::1"]}).
   */
  private static Set<InetAddress> addresses(Config server, String key) {
    List<String> given = server.getValue(key).valueType() == ConfigValueType.STRING
        ? Arrays.stream(LIST_PUNCTUATION.matcher(server.getString(key)).replaceAll("").split(","))
            .map(String::strip).filter(a -> !a.isEmpty()).toList()
        : server.getStringList(key);
    Set<InetAddress> addresses = new HashSet<>();
    for (String address : given) {
      try {
        addresses.add(InetAddress.getByName(address));
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(
            "chat.server." + key + ": cannot resolve '" + address + "'", e);
      }
    }
    return addresses;
  }

  /**
   * The server password, if set; refused on a server that accepts plain text, where it would
   * cross the network in clear, unless the operator allows that explicitly.
   */
  private static Optional<String> password(Config server) {
    Optional<String> password = Optional.of(server.getString("password")).filter(p -> !p.isEmpty());
    if (password.isPresent()
        && server.getBoolean("plain.enabled")
        && !server.getBoolean("password-on-plain")) {
      throw new IllegalArgumentException(
          "chat.server.password is set but plain-text connections are on, so the password would "
              + "cross the network in clear. Set chat.server.plain.enabled = off, or allow it with "
              + "chat.server.password-on-plain = on.");
    }
    if (password.isPresent()
        && server.getBoolean("web.enabled") && !server.getBoolean("web.tls")
        && !server.getBoolean("password-on-plain")) {
      throw new IllegalArgumentException(
          "chat.server.password is set but the web listener serves plain HTTP (web.tls = off), so"
              + " the password would cross the network in clear unless a proxy in front ends TLS."
              + " Set chat.server.web.tls = on, or allow it with chat.server.password-on-plain = on.");
    }
    return password;
  }

  /** A duration that may be {@code off} (HOCON reads an unquoted off as the boolean false). */
  private static Optional<Duration> optionalDuration(Config config, String path) {
    String value = config.getString(path);
    if (value.equalsIgnoreCase("off") || value.equalsIgnoreCase("false")) {
      return Optional.empty();
    }
    return Optional.of(config.getDuration(path));
  }

  private static void requirePositive(String key, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(key + " must be positive, was " + value);
    }
  }
}
