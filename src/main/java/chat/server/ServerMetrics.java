package chat.server;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of what the server refused or dropped to protect itself, since start: shared by every
 * connection's stream and session, read by the admin console's {@code !stats}. Thread-safe.
 */
public final class ServerMetrics {

  /** Lines dropped from the outboxes of clients that did not keep up. */
  final LongAdder outboxDrops = new LongAdder();
  /** Client lines refused by the rate limit. */
  final LongAdder rateRefusals = new LongAdder();
  /** Clients disconnected for falling behind for the slow-client timeout. */
  final LongAdder slowDisconnects = new LongAdder();
  /** Clients disconnected for flooding past the rate limit. */
  final LongAdder floodDisconnects = new LongAdder();

  /** The counts now. */
  Snapshot snapshot() {
    return new Snapshot(outboxDrops.sum(), rateRefusals.sum(), slowDisconnects.sum(),
        floodDisconnects.sum());
  }

  record Snapshot(long outboxDrops, long rateRefusals, long slowDisconnects, long floodDisconnects) {}
}
