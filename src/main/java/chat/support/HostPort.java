package chat.support;

import java.util.List;
import java.util.Optional;

/**
 * A server's address as people write it: {@code host:port}, {@code [v6]:port}, or a host alone
 * (port 0: none given). Read from options, settings and the welcome's list of nodes; written
 * back the same way, an IPv6 host in brackets.
 */
public record HostPort(String host, int port) {

  /** The address in {@code text}, if it is one: a port, when given, is 1 to 65535 in digits. */
  public static Optional<HostPort> parse(String text) {
    String host;
    String port;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0 || (close + 1 < text.length() && text.charAt(close + 1) != ':')) {
        return Optional.empty();
      }
      host = text.substring(1, close);
      port = close + 1 < text.length() ? text.substring(close + 2) : null;
    } else if (text.indexOf(':') != text.lastIndexOf(':')) {
      host = text; // an IPv6 address without brackets: a host alone
      port = null;
    } else {
      int colon = text.indexOf(':');
      host = colon < 0 ? text : text.substring(0, colon);
      port = colon < 0 ? null : text.substring(colon + 1);
    }
    if (host.isBlank()) {
      return Optional.empty();
    }
    if (port == null) {
      return Optional.of(new HostPort(host, 0));
    }
    if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1
        || Integer.parseInt(port) > 65535) {
      return Optional.empty();
    }
    return Optional.of(new HostPort(host, Integer.parseInt(port)));
  }

  /** The parts of a comma-separated list, stripped, empty ones kept (for the caller to judge). */
  public static List<String> split(String list) {
    return List.of(list.split(",", -1)).stream().map(String::strip).toList();
  }

  /** {@code host:port} ({@code [host]:port} for IPv6), or the host alone without a port. */
  @Override
  public String toString() {
    String written = host.contains(":") ? "[" + host + "]" : host;
    return port == 0 ? written : written + ":" + port;
  }
}
