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
 * One listening socket: plain text, or TLS with the server's identity. Plain text may have
 * several, sharing one port ({@code shared}, numbered by {@code acceptor}) so that connections
 * are accepted in parallel.
 */
record Listener(String name, int port, Optional<SSLContext> tls, boolean shared, int acceptor) {

  /** The listeners the settings ask for; loads (or makes) the TLS identity if TLS is on. */
  static List<Listener> from(ServerSettings settings, java.util.function.Consumer<String> log)
      throws IOException, GeneralSecurityException {
    List<Listener> listeners = new ArrayList<>(2);
    if (settings.plainEnabled()) {
      OptionalInt shared = settings.acceptors() > 1 && ReusePort.supported()
          ? ReusePort.claim(settings.host(), settings.port()) : OptionalInt.empty();
      if (shared.isPresent()) {
        for (int acceptor = 0; acceptor < settings.acceptors(); acceptor++) {
          listeners.add(new Listener("plain", shared.getAsInt(), Optional.empty(), true, acceptor));
        }
      } else {
        listeners.add(new Listener("plain", settings.port(), Optional.empty(), false, 0));
      }
    }
    if (settings.tls().enabled()) {
      TlsSettings tls = settings.tls();
      ServerIdentity identity =
          tls.keystore().isPresent()
              ? ServerIdentity.load(tls.keystore().get(), tls.keystorePassword().toCharArray())
              : ServerIdentity.loadOrCreate(tls.dataDir());
      log.accept((identity.generated() ? "Made a new TLS certificate" : "TLS certificate")
          + ", SHA-256 fingerprint " + identity.fingerprint());
      listeners.add(
          new Listener("TLS", tls.port(), Optional.of(TlsContexts.server(identity)), false, 0));
    }
    return listeners;
  }
}
