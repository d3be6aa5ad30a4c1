package chat.server;

import java.net.InetAddress;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A connection of some transport that has been accepted and waits for the {@link Gatekeeper}'s
 * word: taken up by a session, or refused with a line saying why. Made by a transport's edge
 * ({@link TcpServer} for TCP and TLS).
 */
public interface ConnectionOffer {

  /** The client's address, which the limits per address count. */
  InetAddress address();

  /** The client's address and port, for logs. */
  String peer();

  /** Starts the connection's stream towards {@code session}; called once, by the session. */
  Connection attach(ActorRef<Session.Command> session);

  /** Answers the connection with one error line, and closes it. */
  void refuse(String reason);
}
