package chat.client;

import com.typesafe.config.Config;

/** The client's settings, read once from {@code chat.client} and overridden by options. */
public record ClientSettings(String host, int port, int maxLineBytes) {

  public ClientSettings {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1 to 65535, was " + port);
    }
    if (maxLineBytes < 1) {
      throw new IllegalArgumentException("max-line-bytes must be positive, was " + maxLineBytes);
    }
  }

  public static ClientSettings fromConfig(Config config) {
    Config client = config.getConfig("chat.client");
    return new ClientSettings(
        client.getString("host"), client.getInt("port"), client.getInt("max-line-bytes"));
  }

  public ClientSettings withHost(String newHost) {
    return new ClientSettings(newHost, port, maxLineBytes);
  }

  public ClientSettings withPort(int newPort) {
    return new ClientSettings(host, newPort, maxLineBytes);
  }
}
