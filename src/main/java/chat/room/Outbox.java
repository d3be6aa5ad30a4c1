package chat.room;

import org.apache.pekko.util.ByteString;

/**
 * Where lines for one client go: a bounded buffer in front of its connection. The room offers
 * encoded lines and never waits; a client that does not read loses lines instead of holding up
 * the others.
 */
public interface Outbox {

  /**
   * Queues one encoded line (newline included) for the client.
   *
   * @return false if it was dropped because the buffer was full or the connection is closing
   */
  boolean offer(ByteString line);

  /** Sends what is queued, then closes the client's connection; later offers are dropped. */
  void close();
}
