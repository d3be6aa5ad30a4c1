package chat.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerIdentityTest {

  @TempDir Path dataDir;

  @Test
  void firstStartMakesAnIdentityReadableByItsOwnerOnlyAndLaterStartsReuseIt() throws Exception {
    ServerIdentity first = ServerIdentity.loadOrCreate(dataDir.resolve("nested"));
    Path file = dataDir.resolve("nested").resolve(ServerIdentity.GENERATED_FILE);
    assertTrue(first.generated());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertTrue(Fingerprints.isValid(first.fingerprint()), first.fingerprint());

    ServerIdentity again = ServerIdentity.loadOrCreate(dataDir.resolve("nested"));
    assertFalse(again.generated());
    assertEquals(first.fingerprint(), again.fingerprint());
    first.certificate().checkValidity();
  }

  @Test
  void anOperatorsKeystoreIsUsedAsConfigured() throws Exception {
    ServerIdentity made = ServerIdentity.loadOrCreate(dataDir);
    Path operators = dataDir.resolve("operator.p12");
    try (OutputStream out = Files.newOutputStream(operators)) {
      made.keyStore().store(out, "s3cret".toCharArray());
    }
    // The generated keystore's entry password differs; re-store the key under the new one.
    java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("chat", made.keyStore().getKey("chat-server", made.password()),
        "s3cret".toCharArray(), new java.security.cert.Certificate[] {made.certificate()});
    try (OutputStream out = Files.newOutputStream(operators)) {
      store.store(out, "s3cret".toCharArray());
    }
    ServerIdentity loaded = ServerIdentity.load(operators, "s3cret".toCharArray());
    assertEquals(made.fingerprint(), loaded.fingerprint());
    assertThrows(java.io.IOException.class,
        () -> ServerIdentity.load(operators, "wrong".toCharArray()));
  }

  @Test
  void aPinnedTrustManagerTrustsOnlyItsFingerprint() throws Exception {
    ServerIdentity identity = ServerIdentity.loadOrCreate(dataDir);
    X509Certificate[] chain = {identity.certificate()};
    new PinnedTrustManager(identity.fingerprint().toLowerCase()).checkServerTrusted(chain, "EC");
    String other = "00:" + identity.fingerprint().substring(3);
    CertificateException refused = assertThrows(CertificateException.class,
        () -> new PinnedTrustManager(other).checkServerTrusted(chain, "EC"));
    assertTrue(refused.getMessage().contains(identity.fingerprint()), refused.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new PinnedTrustManager("not-hex"));
  }

  @Test
  void onlyStrongSuitesAreOffered() {
    assertTrue(TlsContexts.isStrong("TLS_AES_256_GCM_SHA384"));
    assertTrue(TlsContexts.isStrong("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"));
    assertFalse(TlsContexts.isStrong("TLS_RSA_WITH_AES_128_GCM_SHA256"));
    assertFalse(TlsContexts.isStrong("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"));
  }

  @Test
  void twoServersStartingTogetherOnOneDataDirectoryShareOneIdentity() throws Exception {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      java.util.List<java.util.concurrent.Future<ServerIdentity>> starts = new java.util.ArrayList<>();
      for (int i = 0; i < 4; i++) {
        starts.add(pool.submit(() -> ServerIdentity.loadOrCreate(dataDir)));
      }
      java.util.Set<String> fingerprints = new java.util.HashSet<>();
      for (java.util.concurrent.Future<ServerIdentity> start : starts) {
        fingerprints.add(start.get(30, java.util.concurrent.TimeUnit.SECONDS).fingerprint());
      }
      assertEquals(1, fingerprints.size(), fingerprints.toString());
      assertEquals(fingerprints.iterator().next(), ServerIdentity.loadOrCreate(dataDir).fingerprint());
      try (java.util.stream.Stream<Path> files = Files.list(dataDir)) {
        assertEquals(1, files.count(), "no temporary file is left behind");
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
