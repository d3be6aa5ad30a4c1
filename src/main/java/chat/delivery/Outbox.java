package chat.delivery;

import org.apache.pekko.util.ByteString;

/**
 * Where lines for one client go: a buffer of bounded bytes in front of its connection. The room
 * offers encoded lines and never waits; a client that does not read loses its oldest lines
 * instead of holding up the others.
 */
public interface Outbox {

  /**
   * Queues encoded lines (one, or several at once; newlines included) for the client. When the
   * buffer is full the oldest lines make way, and the client is later told how many it missed.
   *
   * @return false if the connection is closing and the line was not queued
   */
  boolean offer(ByteString lines);

  /** Bytes queued for the client now: how far behind it is. */
  long queuedBytes();

  /** Sends what is queued, then closes the client's connection; later offers are dropped. */
  void close();
}
