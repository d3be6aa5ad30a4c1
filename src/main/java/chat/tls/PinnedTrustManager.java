package chat.tls;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;

/**
 * Trusts a server whose certificate has one given SHA-256 fingerprint, whoever signed it: how a
 * client trusts a self-signed server it has met before, or was told the fingerprint of.
 */
public final class PinnedTrustManager implements X509TrustManager {

  private final String fingerprint;

  public PinnedTrustManager(String fingerprint) {
    this.fingerprint = Fingerprints.require(fingerprint);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the server sent no certificate");
    }
    String actual = Fingerprints.of(chain[0]);
    if (!Fingerprints.same(actual, fingerprint)) {
      throw new CertificateException(
          "the server's certificate has fingerprint " + actual + ", not the expected " + fingerprint);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("a client trust manager does not check clients");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
