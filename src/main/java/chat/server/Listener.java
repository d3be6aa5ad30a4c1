package chat.server;

import chat.tls.ServerIdentity;
import chat.tls.TlsContexts;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import javax.net.ssl.SSLContext;

/**
 * One listening socket: plain text, TLS with the server's identity, or the web listener (HTTPS
 * with that identity, or plain HTTP behind a proxy). Plain text may have several, sharing one
 * port ({@code shared}, numbered by {@code acceptor}) so that connections are accepted in
 * parallel.
 */
record Listener(Kind kind, int port, Optional<SSLContext> tls, boolean shared, int acceptor) {

  /** What a listener takes, in the order messages about several name them. */
  enum Kind {
    PLAIN("plain text"),
    TLS("TLS"),
    /** HTTP and WebSockets, not raw TCP lines. */
    WEB("web");

    /** How the operator's messages name it. */
    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /** Whether this is the web listener, of HTTP and WebSockets, not raw TCP lines. */
  boolean web() {
    return kind == Kind.WEB;
  }

  /** The listeners the settings ask for; loads (or makes) the TLS identity if one needs it. */
  static List<Listener> from(ServerSettings settings, java.util.function.Consumer<String> log)
      throws IOException, GeneralSecurityException {
    List<Listener> listeners = new ArrayList<>(3);
    if (settings.plainEnabled()) {
      OptionalInt shared = settings.acceptors() > 1 && ReusePort.supported()
          ? ReusePort.claim(settings.host(), settings.port()) : OptionalInt.empty();
      if (shared.isPresent()) {
        for (int acceptor = 0; acceptor < settings.acceptors(); acceptor++) {
          listeners.add(
              new Listener(Kind.PLAIN, shared.getAsInt(), Optional.empty(), true, acceptor));
        }
      } else {
        listeners.add(new Listener(Kind.PLAIN, settings.port(), Optional.empty(), false, 0));
      }
    }
    Optional<SSLContext> tls = settings.tls().enabled()
        || (settings.web().enabled() && settings.web().tls())
        ? Optional.of(TlsContexts.server(identity(settings.tls(), log))) : Optional.empty();
    if (settings.tls().enabled()) {
      listeners.add(new Listener(Kind.TLS, settings.tls().port(), tls, false, 0));
    }
    if (settings.web().enabled()) {
      listeners.add(new Listener(Kind.WEB, settings.web().port(),
          settings.web().tls() ? tls : Optional.empty(), false, 0));
    }
    return listeners;
  }

  /** The operator's keystore, or the server's own identity (made on first start). */
  private static ServerIdentity identity(TlsSettings tls, java.util.function.Consumer<String> log)
      throws IOException, GeneralSecurityException {
    ServerIdentity identity =
        tls.keystore().isPresent()
            ? ServerIdentity.load(tls.keystore().get(), tls.keystorePassword().toCharArray())
            : ServerIdentity.loadOrCreate(tls.dataDir());
    log.accept((identity.generated() ? "Made a new TLS certificate" : "TLS certificate")
        + ", SHA-256 fingerprint " + identity.fingerprint());
    return identity;
  }
}
