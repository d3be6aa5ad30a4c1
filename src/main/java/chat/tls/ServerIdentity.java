package chat.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Enumeration;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The server's TLS key and certificate: a PKCS#12 keystore the operator configured, or else one
 * the server made itself on first start (an EC P-256 key and a self-signed certificate valid for
 * ten years), kept readable by its owner only under the data directory and reused after.
 */
public final class ServerIdentity {

  /** The file a generated identity is kept in, under the data directory. */
  public static final String GENERATED_FILE = "server-identity.p12";

  /** Protects the generated keystore as a format requires; the file's mode 600 is the protection. */
  private static final char[] GENERATED_PASSWORD = "pekko-chat".toCharArray();

  private static final Duration VALIDITY = Duration.ofDays(3650);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyStore keyStore;
  private final char[] password;
  private final X509Certificate certificate;
  private final boolean generated;

  private ServerIdentity(KeyStore keyStore, char[] password, boolean generated)
      throws GeneralSecurityException {
    this.keyStore = keyStore;
    this.password = password;
    this.certificate = firstCertificate(keyStore);
    this.generated = generated;
  }

  /** Loads the operator's keystore. */
  public static ServerIdentity load(Path keystore, char[] password)
      throws IOException, GeneralSecurityException {
    return new ServerIdentity(read(keystore, password), password, false);
  }

  /**
   * Loads the identity kept under {@code dataDir}, making and keeping one on first use. Two
   * servers starting at once on one data directory end up with the same identity: the second
   * to keep its new one finds the first's and uses that.
   */
  public static ServerIdentity loadOrCreate(Path dataDir) throws IOException, GeneralSecurityException {
    Path file = dataDir.resolve(GENERATED_FILE);
    if (Files.exists(file)) {
      return new ServerIdentity(read(file, GENERATED_PASSWORD), GENERATED_PASSWORD, false);
    }
    KeyStore created = create();
    if (!keepPrivately(created, file)) {
      return new ServerIdentity(read(file, GENERATED_PASSWORD), GENERATED_PASSWORD, false);
    }
    return new ServerIdentity(created, GENERATED_PASSWORD, true);
  }

  public KeyStore keyStore() {
    return keyStore;
  }

  public char[] password() {
    return password.clone();
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** The certificate's SHA-256 fingerprint, for the operator to read out to users. */
  public String fingerprint() {
    return Fingerprints.of(certificate);
  }

  /** Whether this start made the identity (rather than finding one). */
  public boolean generated() {
    return generated;
  }

  private static KeyStore read(Path file, char[] password) throws IOException, GeneralSecurityException {
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      keyStore.load(in, password);
    }
    return keyStore;
  }

  private static KeyStore create() throws GeneralSecurityException, IOException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    KeyPair keys = generator.generateKeyPair();
    String host = localHostName();
    X500Name subject = new X500Name("CN=pekko-chat on " + host.replaceAll("[,=+<>#;\"\\\\]", "_"));
    Instant now = Instant.now();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            subject,
            new BigInteger(64, RANDOM),
            Date.from(now.minus(Duration.ofDays(1))),
            Date.from(now.plus(VALIDITY)),
            subject,
            keys.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.dNSName, host),
        new GeneralName(GeneralName.dNSName, "localhost"),
        new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
    X509Certificate certificate;
    try {
      certificate = new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign the certificate", e);
    }
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    keyStore.load(null, null);
    keyStore.setKeyEntry("chat-server", keys.getPrivate(), GENERATED_PASSWORD, new Certificate[] {certificate});
    return keyStore;
  }

  /**
   * Writes the keystore readable by its owner only, never over an existing file.
   *
   * @return false if another process kept one there first
   */
  private static boolean keepPrivately(KeyStore keyStore, Path file)
      throws IOException, GeneralSecurityException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), GENERATED_FILE, ".tmp");
    try {
      if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
      }
      try (OutputStream out = Files.newOutputStream(temporary)) {
        keyStore.store(out, GENERATED_PASSWORD);
      }
      // A hard link fails if the name is taken, where a rename would replace the other's file.
      Files.createLink(file, temporary);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private static X509Certificate firstCertificate(KeyStore keyStore) throws GeneralSecurityException {
    Enumeration<String> aliases = keyStore.aliases();
    while (aliases.hasMoreElements()) {
      String alias = aliases.nextElement();
      if (keyStore.isKeyEntry(alias) && keyStore.getCertificate(alias) instanceof X509Certificate x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("the keystore holds no private key with a certificate");
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
