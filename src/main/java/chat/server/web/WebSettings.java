package chat.server.web;

import com.typesafe.config.Config;
import java.util.List;

/**
 * The web listener's settings, from {@code chat.server.web}: whether browsers are served, on
 * which port (on {@code chat.server.host}), over HTTPS or plain HTTP behind a proxy that ends
 * TLS, and which pages other than the server's own may open its WebSocket.
 */
public record WebSettings(boolean enabled, int port, boolean tls, List<String> allowedOrigins) {

  public WebSettings {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("chat.server.web.port must be 0 to 65535, was " + port);
    }
    allowedOrigins = List.copyOf(allowedOrigins);
  }

  public static WebSettings fromConfig(Config server) {
    Config web = server.getConfig("web");
    return new WebSettings(
        web.getBoolean("enabled"),
        web.getInt("port"),
        web.getBoolean("tls"),
        web.getStringList("allowed-origins"));
  }

  /** The scheme the page is served with: {@code https}, or {@code http} behind a proxy. */
  public String scheme() {
    return tls ? "https" : "http";
  }
}
