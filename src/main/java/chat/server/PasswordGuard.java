package chat.server;

import com.typesafe.config.Config;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Wrong server passwords by client address, so that guessing the password takes time: an address
 * may give {@code burst} wrong ones at once, then one more each {@code interval}; past that, its
 * new connections are refused until the next one is due. An address is forgotten once its
 * allowance is whole again. Plain state, kept by the Supervisor.
 */
final class PasswordGuard {

  /** From {@code chat.server.wrong-passwords}. */
  record Settings(int burst, Duration interval) {
    Settings {
      if (burst < 1 || interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException(
            "chat.server.wrong-passwords needs burst >= 1 and a positive interval");
      }
    }

    static Settings fromConfig(Config server) {
      return new Settings(
          server.getInt("wrong-passwords.burst"), server.getDuration("wrong-passwords.interval"));
    }
  }

  /** Below this many addresses the map is not searched for ones to forget. */
  private static final int PRUNE_FLOOR = 1024;

  private final long burstNanos;
  private final long intervalNanos;
  /** Per address, when its allowance will be whole again (System.nanoTime). */
  private final Map<InetAddress, Long> wholeAt = new HashMap<>();
  private int pruneAt = PRUNE_FLOOR;
  private long refused;

  PasswordGuard(Settings settings) {
    this.intervalNanos = settings.interval().toNanos();
    this.burstNanos = settings.burst() * intervalNanos;
  }

  /** A wrong password came from {@code address}. */
  void failed(InetAddress address, long nowNanos) {
    Long at = wholeAt.get(address);
    long from = at == null || at - nowNanos < 0 ? nowNanos : at;
    wholeAt.put(address, from + intervalNanos);
    if (wholeAt.size() >= pruneAt) {
      wholeAt.values().removeIf(whole -> whole - nowNanos <= 0);
      pruneAt = Math.max(PRUNE_FLOOR, 2 * wholeAt.size());
    }
  }

  /** Why a new connection from {@code address} cannot be taken now; empty if it can. */
  Optional<String> refusal(InetAddress address, long nowNanos) {
    Long at = wholeAt.get(address);
    if (at == null) {
      return Optional.empty();
    }
    long owed = at - nowNanos;
    if (owed <= 0) {
      wholeAt.remove(address);
      return Optional.empty();
    }
    // Each wrong password owes one interval; the burst's worth is allowed.
    long wait = owed - burstNanos + intervalNanos;
    if (wait <= 0) {
      return Optional.empty();
    }
    refused++;
    long seconds = Math.max(1, (wait + 999_999_999) / 1_000_000_000);
    return Optional.of("Too many wrong passwords from your address; try again in " + seconds
        + (seconds == 1 ? " second." : " seconds."));
  }

  /** Connections refused since start. */
  long refused() {
    return refused;
  }

  /** Addresses remembered now. */
  int addresses() {
    return wholeAt.size();
  }
}
