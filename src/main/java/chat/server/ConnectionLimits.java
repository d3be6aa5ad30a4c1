package chat.server;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Counts open connections, in all and per client address, against {@code
 * chat.server.max-connections} and {@code max-connections-per-ip}; says why a new one must be
 * refused. Plain state, kept by the {@link Supervisor}.
 */
final class ConnectionLimits {

  private final int maxConnections;
  private final int maxPerAddress;
  private final Map<Object, InetAddress> addressOf = new HashMap<>();
  private final Map<InetAddress, Integer> perAddress = new HashMap<>();
  private long refused;

  ConnectionLimits(int maxConnections, int maxPerAddress) {
    this.maxConnections = maxConnections;
    this.maxPerAddress = maxPerAddress;
  }

  /** Why a connection from {@code address} cannot be taken now; empty if it can. */
  Optional<String> refusal(InetAddress address) {
    if (addressOf.size() >= maxConnections) {
      refused++;
      return Optional.of("The server is full (" + maxConnections
          + " connections); try again later.");
    }
    if (perAddress.getOrDefault(address, 0) >= maxPerAddress) {
      refused++;
      return Optional.of("Too many connections from your address (" + maxPerAddress
          + "); close one and try again.");
    }
    return Optional.empty();
  }

  void opened(Object connection, InetAddress address) {
    addressOf.put(connection, address);
    perAddress.merge(address, 1, Integer::sum);
  }

  void closed(Object connection) {
    InetAddress address = addressOf.remove(connection);
    if (address != null) {
      perAddress.computeIfPresent(address, (key, count) -> count == 1 ? null : count - 1);
    }
  }

  /** Connections refused since start. */
  long refused() {
    return refused;
  }

  /** Addresses with a connection open now (so no entry outlives its connections). */
  int addresses() {
    return perAddress.size();
  }
}
