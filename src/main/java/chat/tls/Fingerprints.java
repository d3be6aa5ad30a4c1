package chat.tls;

import chat.support.Sha256;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Certificate fingerprints as people read them out to each other: SHA-256 of the certificate, in
 * upper-case hex pairs joined by colons. Pinning compares them without regard to case or colons.
 */
public final class Fingerprints {

  private Fingerprints() {}

  public static String of(X509Certificate certificate) {
    try {
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(Sha256.of(certificate.getEncoded()));
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("cannot fingerprint certificate", e);
    }
  }

  /** The fingerprint with colons and spaces removed, lower-case: the form two are compared in. */
  public static String canonical(String fingerprint) {
    return fingerprint.replaceAll("[:\\s]", "").toLowerCase(Locale.ROOT);
  }

  /** Whether a string looks like a SHA-256 fingerprint (64 hex digits, colons allowed). */
  public static boolean isValid(String fingerprint) {
    return canonical(fingerprint).matches("[0-9a-f]{64}");
  }

  /** The fingerprint, if it is one; otherwise an {@link IllegalArgumentException} saying so. */
  public static String require(String fingerprint) {
    if (!isValid(fingerprint)) {
      throw new IllegalArgumentException(
          "not a SHA-256 fingerprint (64 hex digits, colons optional): " + fingerprint);
    }
    return fingerprint;
  }

  public static boolean same(String a, String b) {
    return canonical(a).equals(canonical(b));
  }
}
