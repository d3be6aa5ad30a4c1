package chat.server;

import chat.tls.ServerIdentity;
import chat.tls.TlsContexts;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/** One port the server listens on: plain text, or TLS with the server's identity. */
record Listener(String name, int port, Optional<SSLContext> tls) {

  /** The listeners the settings ask for; loads (or makes) the TLS identity if TLS is on. */
  static List<Listener> from(ServerSettings settings, java.util.function.Consumer<String> log)
      throws IOException, GeneralSecurityException {
    List<Listener> listeners = new ArrayList<>(2);
    if (settings.plainEnabled()) {
      listeners.add(new Listener("plain", settings.port(), Optional.empty()));
    }
    if (settings.tls().enabled()) {
      TlsSettings tls = settings.tls();
      ServerIdentity identity =
          tls.keystore().isPresent()
              ? ServerIdentity.load(tls.keystore().get(), tls.keystorePassword().toCharArray())
              : ServerIdentity.loadOrCreate(tls.dataDir());
      log.accept((identity.generated() ? "Made a new TLS certificate" : "TLS certificate")
          + ", SHA-256 fingerprint " + identity.fingerprint());
      listeners.add(new Listener("TLS", tls.port(), Optional.of(TlsContexts.server(identity))));
    }
    return listeners;
  }
}
