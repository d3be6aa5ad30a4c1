package chat.client;

import chat.client.trust.KnownServers;
import chat.tls.Fingerprints;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The client's settings, read once from {@code chat.client} and overridden by options. {@code
 * port} is the port connected to: with TLS on and no port given, the TLS port.
 *
 * @param password the server password, sent before every join, if one is set
 */
public record ClientSettings(
    String host, int port, int maxLineBytes, Optional<String> password, Tls tls) {

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
    return new ClientSettings(
        client.getString("host"),
        tls.enabled() ? tls.defaultPort() : client.getInt("port"),
        client.getInt("max-line-bytes"),
        password.isEmpty() ? Optional.empty() : Optional.of(password),
        tls);
  }

  public ClientSettings withHost(String newHost) {
    return new ClientSettings(newHost, port, maxLineBytes, password, tls);
  }

  public ClientSettings withPort(int newPort) {
    return new ClientSettings(host, newPort, maxLineBytes, password, tls);
  }

  /** TLS on: to the TLS port, unless it was on already (then the port stays). */
  public ClientSettings withTls() {
    if (tls.enabled()) {
      return this;
    }
    Tls on = new Tls(true, tls.defaultPort(), tls.pin(), tls.knownServers());
    return new ClientSettings(host, tls.defaultPort(), maxLineBytes, password, on);
  }

  /** Accepts only the server certificate with this SHA-256 fingerprint. */
  public ClientSettings withPin(String fingerprint) {
    Tls pinned = new Tls(tls.enabled(), tls.defaultPort(), Optional.of(fingerprint),
        tls.knownServers());
    return new ClientSettings(host, port, maxLineBytes, password, pinned);
  }

  public ClientSettings withKnownServers(Path file) {
    Tls moved = new Tls(tls.enabled(), tls.defaultPort(), tls.pin(), file);
    return new ClientSettings(host, port, maxLineBytes, password, moved);
  }

  public ClientSettings withPassword(String newPassword) {
    return new ClientSettings(host, port, maxLineBytes, Optional.of(newPassword), tls);
  }

  /** Never shows the password. */
  @Override
  public String toString() {
    return "ClientSettings[host=" + host + ", port=" + port + ", maxLineBytes=" + maxLineBytes
        + ", password=" + password.map(given -> "****").orElse("none") + ", tls=" + tls + "]";
  }

  private static void checkPort(int port, String key) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(key + " must be 1 to 65535, was " + port);
    }
  }
}
