package chat.bench;

import java.util.Arrays;

/**
 * The receiving side's tally: every message a receiver gets is checked against what that
 * receiver already had from the same sender in the same room (a number not above the last one
 * is a duplicate: each room keeps its order, two rooms need not keep theirs) and, if it was sent
 * in the measured window, counted with its latency.
 */
final class Deliveries {

  private final int[] senderSlot;
  private final int rooms;
  private final long[][] lastSeq;
  private final long windowStart;
  private final long windowEnd;
  private final LatencyHistogram latency = new LatencyHistogram();
  private final StealSpans spans;
  private long measured;
  private long duplicates;
  private long unknown;

  /**
   * @param senderSlot for each client index, its place among the senders, or -1
   * @param senders how many senders there are
   * @param rooms how many rooms the senders post in, in turn (message {@code seq} goes to room
   *     {@code seq % rooms})
   * @param windowStart start of the measured window, in the run's nanos
   * @param windowEnd end of the measured window (exclusive), in the run's nanos
   * @param spans where latency is also counted by the span it was sent in, or null
   */
  Deliveries(int[] senderSlot, int senders, int rooms, long windowStart, long windowEnd,
      StealSpans spans) {
    this.senderSlot = senderSlot.clone();
    this.rooms = rooms;
    this.lastSeq = new long[senderSlot.length][];
    this.windowStart = windowStart;
    this.windowEnd = windowEnd;
    this.spans = spans;
    for (int i = 0; i < lastSeq.length; i++) {
      lastSeq[i] = new long[senders * rooms];
      Arrays.fill(lastSeq[i], -1);
    }
  }

  /**
   * Counts message {@code seq} of client {@code sender}, sent at {@code sentNanos}, arriving at
   * client {@code receiver} at {@code now}.
   *
   * @return the sender's slot if it is new for this receiver, else -1
   */
  int received(int receiver, int sender, long seq, long sentNanos, long now) {
    int slot = sender >= 0 && sender < senderSlot.length ? senderSlot[sender] : -1;
    if (slot < 0) {
      unknown++;
      return -1;
    }
    long[] last = lastSeq[receiver];
    int stream = slot * rooms + (int) (seq % rooms);
    if (seq <= last[stream]) {
      duplicates++;
      return -1;
    }
    last[stream] = seq;
    if (sentNanos >= windowStart && sentNanos < windowEnd) {
      measured++;
      latency.record(now - sentNanos);
      if (spans != null) {
        spans.record(sentNanos, now - sentNanos);
      }
    }
    return slot;
  }

  /** Whether {@code nanos} falls in the measured window. */
  boolean inWindow(long nanos) {
    return nanos >= windowStart && nanos < windowEnd;
  }

  /** Deliveries of messages sent in the measured window. */
  long measured() {
    return measured;
  }

  /** Messages a receiver got again, or out of order, from the same sender in the same room. */
  long duplicates() {
    return duplicates;
  }

  /** Messages of this run from a client that is not a sender (should stay 0). */
  long unknown() {
    return unknown;
  }

  LatencyHistogram latency() {
    return latency;
  }

  /** The latency by span and the host's steal in each, for paced runs; else null. */
  StealSpans spans() {
    return spans;
  }
}
