package chat.client.trust;

import chat.tls.PinnedTrustManager;
import chat.tls.TlsContexts;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How the client's TLS connections to one server check it, once {@link ServerTrust} has decided:
 * by the authorities with the host name checked, or by the one fingerprint trusted. The first
 * connection and every reconnect make their engines here, so a server that shows another
 * certificate later fails the handshake.
 */
public final class TrustedServer {

  private final SSLContext context;
  private final boolean checkHostName;
  private final String fingerprint;
  private final TrustDecision.Basis basis;

  private TrustedServer(
      SSLContext context, boolean checkHostName, String fingerprint, TrustDecision.Basis basis) {
    this.context = context;
    this.checkHostName = checkHostName;
    this.fingerprint = fingerprint;
    this.basis = basis;
  }

  /** Trusts what the authorities accept for the host name, as a browser would. */
  static TrustedServer byAuthorities(X509ExtendedTrustManager authorities, String fingerprint)
      throws GeneralSecurityException {
    return new TrustedServer(
        TlsContexts.client(authorities), true, fingerprint, TrustDecision.Basis.PKIX);
  }

  /** Trusts the certificate with this fingerprint, and no other. */
  public static TrustedServer byFingerprint(String fingerprint, TrustDecision.Basis basis)
      throws GeneralSecurityException {
    return new TrustedServer(
        TlsContexts.client(new PinnedTrustManager(fingerprint)), false, fingerprint, basis);
  }

  /** An engine for one connection to {@code host:port}. */
  public SSLEngine engine(String host, int port) {
    SSLEngine engine = TlsContexts.clientEngine(context, host, port);
    if (checkHostName) {
      SSLParameters parameters = engine.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      engine.setSSLParameters(parameters);
    }
    return engine;
  }

  /** The fingerprint of the certificate the server showed when trust was decided. */
  public String fingerprint() {
    return fingerprint;
  }

  public TrustDecision.Basis basis() {
    return basis;
  }
}
