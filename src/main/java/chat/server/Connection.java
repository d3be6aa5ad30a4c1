package chat.server;

import chat.room.Outbox;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * One client's connection as its session sees it: the outbox for what it sends, a signal for when
 * everything sent has left, and a way to cut it. Made by {@link TcpServer}; tests use a fake.
 */
public interface Connection extends Outbox {

  /** The client's address, for logs. */
  String peer();

  /** Completes once the outbox is closed and all it held has been handed to the socket. */
  CompletionStage<Done> sent();

  /** Cuts the connection at once, in both directions, dropping what was not sent. */
  void abort();
}
