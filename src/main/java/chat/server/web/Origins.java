package chat.server.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which pages may open the chat's WebSocket. A browser sends the page's origin with every
 * WebSocket handshake and lets any page open a socket anywhere: without this check, a page on
 * another site could chat in the name of a visitor who has the chat open. The server's own page
 * (the origin that names the host the request was sent to) and the configured origins may;
 * clients that are not browsers send no origin, and are let in as on TCP. Plain logic.
 */
final class Origins {

  private Origins() {}

  /**
   * Whether a handshake from {@code origin}, sent to {@code host} (the request's {@code Host}
   * header), is let in; {@code scheme} is the listener's.
   */
  static boolean allowed(Optional<String> origin, Optional<String> host, String scheme,
      List<String> configured) {
    if (origin.isEmpty()) {
      return true;
    }
    Optional<String> given = normalized(origin.get());
    if (given.isEmpty()) {
      return false;
    }
    if (host.isPresent() && given.equals(normalized(scheme + "://" + host.get()))) {
      return true;
    }
    return configured.stream().map(Origins::normalized).anyMatch(given::equals);
  }

  /** An origin as {@code scheme://host:port} in lower case, its default port written out. */
  static Optional<String> normalized(String origin) {
    try {
      URI uri = new URI(origin.strip());
      String scheme = uri.getScheme();
      String host = uri.getHost();
      if (scheme == null || host == null) {
        return Optional.empty();
      }
      scheme = scheme.toLowerCase(Locale.ROOT);
      int port = uri.getPort() != -1 ? uri.getPort()
          : scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
      return Optional.of(scheme + "://" + host.toLowerCase(Locale.ROOT) + ":" + port);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }
}
