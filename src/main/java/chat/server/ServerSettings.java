package chat.server;

import chat.room.RoomSettings;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Optional;

/**
 * The server's settings, read once from {@code chat.server} and handed to the actors, which never
 * read {@code Config} themselves.
 */
public record ServerSettings(
    String host,
    int port,
    Duration joinTimeout,
    Optional<Duration> idleShutdown,
    int maxLineBytes,
    int outboxLines,
    Duration shutdownDrainTimeout,
    Duration closeTimeout,
    Duration closeLinger,
    RoomSettings room,
    boolean plainEnabled,
    TlsSettings tls,
    Optional<String> password,
    int maxConnections,
    int maxConnectionsPerIp,
    KeepAlive keepAlive) {

  public ServerSettings {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("chat.server.port must be 0 to 65535, was " + port);
    }
    if (!plainEnabled && !tls.enabled()) {
      throw new IllegalArgumentException(
          "chat.server.plain.enabled and chat.server.tls.enabled are both off: nobody could connect");
    }
    requirePositive("chat.server.max-line-bytes", maxLineBytes);
    requirePositive("chat.server.outbox-lines", outboxLines);
    requirePositive("chat.server.max-connections", maxConnections);
    requirePositive("chat.server.max-connections-per-ip", maxConnectionsPerIp);
    if (room.historySize() >= outboxLines) {
      throw new IllegalArgumentException(
          "chat.room.history-size (" + room.historySize() + ") must be smaller than "
              + "chat.server.outbox-lines (" + outboxLines + "), or a returning client could not "
              + "be sent all the messages it missed");
    }
  }

  public static ServerSettings fromConfig(Config config) {
    Config server = config.getConfig("chat.server");
    return new ServerSettings(
        server.getString("host"),
        server.getInt("port"),
        server.getDuration("join-timeout"),
        optionalDuration(server, "idle-shutdown"),
        server.getInt("max-line-bytes"),
        server.getInt("outbox-lines"),
        server.getDuration("shutdown-drain-timeout"),
        server.getDuration("close-timeout"),
        server.getDuration("close-linger"),
        RoomSettings.fromConfig(config),
        server.getBoolean("plain.enabled"),
        TlsSettings.fromConfig(server),
        password(server),
        server.getInt("max-connections"),
        server.getInt("max-connections-per-ip"),
        KeepAlive.fromConfig(server));
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
