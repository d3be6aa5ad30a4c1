package chat.server;

import chat.protocol.Mode;
import chat.delivery.Outbox;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * One client's connection as its session sees it: the outbox for what it sends, a signal for when
 * everything sent has left, and a way to cut it. Made by a transport ({@link StreamConnection}); tests use a fake.
 */
public interface Connection extends Outbox {

  /** The client's address, for logs. */
  String peer();

  /**
   * Completes once lines can flow: at once for plain text, once the handshake has finished for
   * TLS (until then the client cannot have sent a line, nor read one).
   */
  CompletionStage<Done> ready();

  /** Completes once the outbox is closed and all it held has been handed to the socket. */
  CompletionStage<Done> sent();

  /** Drops every line still queued; the client is told how many it missed. */
  void discard();

  /** The mode the client reads in, for the lines the connection itself writes. */
  void mode(Mode mode);

  /**
   * Whether the transport carries machine mode only (a WebSocket): its client reads JSON from
   * the first line, whatever mode a {@code JOIN:} line asks for.
   */
  default boolean machineOnly() {
    return false;
  }

  /**
   * Ends the connection now with a normal close, not a reset: what the system still holds for
   * the client goes out, then the end of the stream; what the server had not handed to the system
   * yet is dropped. For a client that stopped reading, so that it can still read what reached it.
   */
  void end();

  /** Cuts the connection at once, in both directions, dropping what was not sent. */
  void abort();
}
