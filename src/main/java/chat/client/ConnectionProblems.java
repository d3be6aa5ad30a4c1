package chat.client;

import java.security.cert.CertificateException;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * What went wrong with a connection, in one line for the user, with the fix when the likely cause
 * is a port of the other kind: used by the {@link ServerLink} when a connection ends before the
 * server said anything.
 */
final class ConnectionProblems {

  private ConnectionProblems() {}

  /**
   * A TLS listener drops a plain-text client at once, without a line; a chat server always
   * answers a join, so silence means the wrong port.
   */
  static String closedWithoutAWord(String target) {
    return "The server at " + target + " closed the connection without a word;"
        + " is this the TLS port? try --tls";
  }

  /** As {@link #closedWithoutAWord}, for a connection reset rather than closed. */
  static String lostWithoutAWord(String target) {
    return "The connection to " + target + " was lost before the server said anything;"
        + " is this the TLS port? try --tls";
  }

  /** Why a TLS handshake failed, if that is what ended the connection. */
  static Optional<String> tlsFailure(Throwable failure) {
    return find(failure, SSLException.class).map(ChatClient::reason);
  }

  /**
   * Why the server's certificate was refused, if it was: on a reconnect, a server that shows
   * another certificate than the one trusted is not tried again.
   */
  static Optional<String> certificateRefused(Throwable failure) {
    return find(failure, CertificateException.class).map(ChatClient::reason);
  }

  private static Optional<Throwable> find(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return Optional.of(cause);
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return Optional.empty();
  }
}
