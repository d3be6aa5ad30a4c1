package chat.server;

import java.net.InetAddress;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The open connections, by a key of the owner's choosing (the Supervisor's session refs), with
 * their client addresses; counted against {@code chat.server.max-connections} and {@code
 * max-connections-per-ip} to say why a new one must be refused. Plain state.
 */
final class ConnectionLimits<K> {

  private final int maxConnections;
  private final int maxPerAddress;
  private final Map<K, InetAddress> addressOf = new HashMap<>();
  private final Map<InetAddress, Integer> perAddress = new HashMap<>();
  private long refused;

  ConnectionLimits(int maxConnections, int maxPerAddress) {
    this.maxConnections = maxConnections;
    this.maxPerAddress = maxPerAddress;
  }

  /**
   * Why a connection from {@code address} cannot be taken now; empty if it can. An {@code exempt}
   * address is held to the total only.
   */
  Optional<String> refusal(InetAddress address, boolean exempt) {
    if (addressOf.size() >= maxConnections) {
      refused++;
      return Optional.of("The server is full (" + maxConnections
          + " connections); try again later.");
    }
    if (!exempt && perAddress.getOrDefault(address, 0) >= maxPerAddress) {
      refused++;
      return Optional.of("Too many connections from your address (" + maxPerAddress
          + "); close one and try again.");
    }
    return Optional.empty();
  }

  void opened(K connection, InetAddress address) {
    addressOf.put(connection, address);
    perAddress.merge(address, 1, Integer::sum);
  }

  void closed(K connection) {
    InetAddress address = addressOf.remove(connection);
    if (address != null) {
      perAddress.computeIfPresent(address, (key, count) -> count == 1 ? null : count - 1);
    }
  }

  /** The address of an open connection. */
  Optional<InetAddress> address(K connection) {
    return Optional.ofNullable(addressOf.get(connection));
  }

  /** The connections open now. */
  Set<K> open() {
    return Collections.unmodifiableSet(addressOf.keySet());
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
