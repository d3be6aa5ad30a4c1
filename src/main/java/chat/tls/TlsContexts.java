package chat.tls;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

/**
 * The TLS settings both ends use: TLS 1.3, with 1.2 as the floor, and only forward-secret AEAD
 * cipher suites (AES-GCM, ChaCha20-Poly1305).
 */
public final class TlsContexts {

  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  private TlsContexts() {}

  public static SSLContext server(ServerIdentity identity) throws GeneralSecurityException {
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(identity.keyStore(), identity.password());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, new SecureRandom());
    return context;
  }

  public static SSLContext client(TrustManager trust) throws GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {trust}, new SecureRandom());
    return context;
  }

  /** An engine for one server-side connection. */
  public static SSLEngine serverEngine(SSLContext context) {
    SSLEngine engine = context.createSSLEngine();
    engine.setUseClientMode(false);
    engine.setSSLParameters(strong(engine));
    return engine;
  }

  /** An engine for a client connection to {@code host:port}. */
  public static SSLEngine clientEngine(SSLContext context, String host, int port) {
    SSLEngine engine = context.createSSLEngine(host, port);
    engine.setUseClientMode(true);
    engine.setSSLParameters(strong(engine));
    return engine;
  }

  private static SSLParameters strong(SSLEngine engine) {
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setProtocols(PROTOCOLS.stream()
        .filter(Arrays.asList(engine.getSupportedProtocols())::contains)
        .toArray(String[]::new));
    parameters.setCipherSuites(Arrays.stream(engine.getSupportedCipherSuites())
        .filter(TlsContexts::isStrong)
        .toArray(String[]::new));
    return parameters;
  }

  /** TLS 1.3 suites, and TLS 1.2 suites with ECDHE key exchange and an AEAD cipher. */
  static boolean isStrong(String suite) {
    boolean aead = suite.contains("_GCM_") || suite.contains("CHACHA20_POLY1305");
    boolean tls13 = suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_");
    return tls13 || (suite.startsWith("TLS_ECDHE_") && aead);
  }
}
