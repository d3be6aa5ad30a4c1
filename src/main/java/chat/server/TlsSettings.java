package chat.server;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The TLS listener's settings, from {@code chat.server.tls}: its port, the operator's PKCS#12
 * keystore if one is configured (without one the server makes its own identity under {@code
 * dataDir}), and how long a client has to finish its handshake.
 */
public record TlsSettings(
    boolean enabled,
    int port,
    Optional<Path> keystore,
    String keystorePassword,
    Path dataDir,
    Duration handshakeTimeout) {

  public TlsSettings {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("chat.server.tls.port must be 0 to 65535, was " + port);
    }
    if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
      throw new IllegalArgumentException(
          "chat.server.tls.handshake-timeout must be positive, was " + handshakeTimeout);
    }
  }

  static TlsSettings fromConfig(Config server) {
    Config tls = server.getConfig("tls");
    String keystore = tls.getString("keystore");
    return new TlsSettings(
        tls.getBoolean("enabled"),
        tls.getInt("port"),
        keystore.isBlank() ? Optional.empty() : Optional.of(Path.of(keystore)),
        tls.getString("keystore-password"),
        Path.of(server.getString("data-dir")),
        tls.getDuration("handshake-timeout"));
  }
}
