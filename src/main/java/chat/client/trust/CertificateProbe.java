package chat.client.trust;

import chat.tls.Fingerprints;
import chat.tls.TlsContexts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Meets a TLS server once, before the chat connection, to see its certificate: a blocking JSSE
 * handshake whose trust manager notes the certificate and whether the authorities (the JDK's trust
 * store) accept it for the host name, then lets the handshake finish; nothing is sent and the
 * socket is closed. {@link ServerTrust} decides on what it saw.
 */
final class CertificateProbe {

  /** What the server showed: its own certificate's fingerprint, and whether PKIX accepts it. */
  record Presented(String fingerprint, boolean pkixTrusted) {}

  /** The probe could not see a certificate; the message is one line for the user. */
  static final class Failed extends Exception {
    Failed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final X509ExtendedTrustManager authorities;
  private final Duration timeout;

  CertificateProbe(X509ExtendedTrustManager authorities, Duration timeout) {
    this.authorities = authorities;
    this.timeout = timeout;
  }

  /** The JDK's default trust store, as a trust manager that can check host names. */
  static X509ExtendedTrustManager systemAuthorities() {
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init((KeyStore) null);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509ExtendedTrustManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("the JDK has no X.509 trust manager");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the JDK's trust store", e);
    }
  }

  Presented probe(String host, int port) throws Failed {
    String target = host + ":" + port;
    Capturing capturing = new Capturing(authorities);
    int millis = (int) timeout.toMillis();
    try (Socket plain = new Socket()) {
      try {
        plain.connect(new InetSocketAddress(host, port), millis);
      } catch (UnknownHostException e) {
        throw new Failed("Cannot connect to " + target + ": unknown host", e);
      } catch (IOException e) {
        throw new Failed("Cannot connect to " + target + ": " + reason(e), e);
      }
      plain.setSoTimeout(millis);
      SSLContext context = TlsContexts.client(capturing);
      try (SSLSocket socket =
          (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true)) {
        socket.setSSLParameters(parameters(context, host, port));
        socket.startHandshake();
      }
    } catch (Failed e) {
      throw e;
    } catch (IOException | GeneralSecurityException e) {
      if (capturing.presented == null) {
        throw new Failed(
            "TLS handshake with " + target + " failed (" + reason(e)
                + "); is this a plain-text port? drop --tls",
            e);
      }
      // The certificate was seen; what went wrong after does not matter for trust.
    }
    if (capturing.presented == null) {
      throw new Failed("TLS handshake with " + target + " failed: the server sent no certificate",
          null);
    }
    return capturing.presented;
  }

  /** The chat's TLS settings, plus the host name check that PKIX trust asks for. */
  private static SSLParameters parameters(SSLContext context, String host, int port) {
    SSLEngine engine = TlsContexts.clientEngine(context, host, port);
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    return parameters;
  }

  static String reason(Throwable error) {
    if (error instanceof SocketTimeoutException) {
      return "timed out";
    }
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }

  /** Notes the server's certificate and asks the authorities about it; lets any through. */
  private static final class Capturing extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager authorities;
    private volatile Presented presented;

    Capturing(X509ExtendedTrustManager authorities) {
      this.authorities = authorities;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      if (chain == null || chain.length == 0) {
        throw new CertificateException("the server sent no certificate");
      }
      boolean pkix;
      try {
        authorities.checkServerTrusted(chain, authType, socket);
        pkix = true;
      } catch (CertificateException | IllegalArgumentException e) {
        pkix = false;
      }
      presented = new Presented(Fingerprints.of(chain[0]), pkix);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("the probe uses a socket");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("the probe checks the host name too");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("a client does not check clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("a client does not check clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("a client does not check clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
