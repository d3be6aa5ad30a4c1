package chat.server;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.util.ByteString;

/**
 * The lines waiting for one client, bounded in bytes: when a new line does not fit, the oldest
 * are dropped and counted, so the room never waits and a client that falls behind gets the newest
 * lines plus a count of what it missed. Thread-safe: the room and the session offer from their
 * threads, and the connection's {@link OutboxStage} takes on its own. Plain code, tested alone.
 */
final class OutboxBuffer {

  /** What the stage is asked to do after an offer; run outside the lock. */
  interface Signals {
    /** A line arrived while the stream was waiting for one. */
    void lineReady();

    /** Lines started to be dropped: the client is not keeping up. */
    void overflowStarted();

    /** The server cuts the connection: nothing more is sent. */
    void aborted();
  }

  /** What {@link #take} found: lines dropped since the last take, and the lines to send. */
  record Taken(long missed, ByteString lines) {}

  private static final Taken NOTHING = new Taken(0, ByteString.emptyByteString());

  private final long capacity;
  private final LongAdder droppedLines;
  private final ArrayDeque<ByteString> lines = new ArrayDeque<>();
  private Signals signals;
  private long bytes;
  private long missed;
  /**
   * When lines first had to be dropped since the client last caught up (the buffer at most half
   * full after a take); -1 if they have not.
   */
  private long overflowingSince = -1;
  private boolean waiting;
  private boolean closed;
  private boolean aborted;

  /**
   * @param capacity bytes queued at most (one line longer than that is still taken alone)
   * @param droppedLines counts every line dropped, server-wide
   */
  OutboxBuffer(long capacity, LongAdder droppedLines) {
    this.capacity = capacity;
    this.droppedLines = droppedLines;
  }

  synchronized void signalTo(Signals signals) {
    this.signals = signals;
  }

  /**
   * Queues a line (or several, as one string of bytes), dropping the oldest queued lines as
   * needed to stay within the capacity.
   *
   * @return false if the buffer is closed and the line was not queued
   */
  boolean offer(ByteString line) {
    boolean wake;
    boolean overflowStarted = false;
    Signals toSignal;
    synchronized (this) {
      if (closed) {
        return false;
      }
      if (line.length() == 0) {
        // Queued, it would be taken as nothing to send while the taker does not wait.
        return true;
      }
      while (!lines.isEmpty() && bytes + line.length() > capacity) {
        ByteString dropped = lines.removeFirst();
        bytes -= dropped.length();
        int count = lineCount(dropped);
        missed += count;
        droppedLines.add(count);
        if (overflowingSince < 0) {
          overflowingSince = System.nanoTime();
          overflowStarted = true;
        }
      }
      lines.addLast(line);
      bytes += line.length();
      wake = waiting;
      waiting = false;
      toSignal = signals;
    }
    if (toSignal != null) {
      if (overflowStarted) {
        toSignal.overflowStarted();
      }
      if (wake) {
        toSignal.lineReady();
      }
    }
    return true;
  }

  /**
   * Takes queued lines, up to {@code maxBytes} of them (at least one), as one string of bytes,
   * and the count of lines dropped since the last take. Takes nothing and remembers that the
   * taker waits (so the next offer signals {@link Signals#lineReady}) when nothing is queued.
   */
  synchronized Taken take(int maxBytes) {
    long dropped = missed;
    missed = 0;
    if (lines.isEmpty()) {
      waiting = !closed;
      overflowingSince = -1;
      // The usual answer to the pull after each write: no garbage for it.
      return dropped == 0 ? NOTHING : new Taken(dropped, ByteString.emptyByteString());
    }
    ByteString taken = lines.removeFirst();
    while (!lines.isEmpty() && taken.length() + lines.peekFirst().length() <= maxBytes) {
      taken = taken.concat(lines.removeFirst());
    }
    bytes -= taken.length();
    if (bytes <= capacity / 2) {
      overflowingSince = -1;
    }
    return new Taken(dropped, taken);
  }

  /** Drops every queued line, counting them as missed. */
  synchronized void discard() {
    int count = 0;
    for (ByteString dropped : lines) {
      count += lineCount(dropped);
    }
    missed += count;
    droppedLines.add(count);
    lines.clear();
    bytes = 0;
  }

  /** Lines in what was offered as one: the room offers several lines at once under load. */
  private static int lineCount(ByteString bytes) {
    int count = 0;
    for (int i = bytes.indexOf((byte) '\n'); i >= 0; i = bytes.indexOf((byte) '\n', i + 1)) {
      count++;
    }
    return count;
  }

  /** No more lines are taken; the stream ends once what is queued has been taken. */
  void close() {
    boolean wake;
    Signals toSignal;
    synchronized (this) {
      closed = true;
      wake = waiting;
      waiting = false;
      toSignal = signals;
    }
    if (wake && toSignal != null) {
      toSignal.lineReady();
    }
  }

  /** Cuts the connection at once: what is queued is dropped, later offers refused. */
  void abort() {
    Signals toSignal;
    synchronized (this) {
      closed = true;
      aborted = true;
      lines.clear();
      bytes = 0;
      toSignal = signals;
    }
    if (toSignal != null) {
      toSignal.aborted();
    }
  }

  /** Whether the connection was cut (perhaps before the stage could be told). */
  synchronized boolean aborted() {
    return aborted;
  }

  /** Whether it is closed and nothing is left to take. */
  synchronized boolean finished() {
    return closed && lines.isEmpty();
  }

  /** Nanoseconds since lines started to be dropped without the client catching up; -1 if not. */
  synchronized long overflowingForNanos(long nowNanos) {
    return overflowingSince < 0 ? -1 : nowNanos - overflowingSince;
  }

  synchronized long queuedBytes() {
    return bytes;
  }
}
