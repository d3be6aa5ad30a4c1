package chat.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Compares passwords in constant time, so the time an answer takes tells nothing. */
final class Passwords {

  private Passwords() {}

  /** Whether {@code given} is {@code expected}; digests first, so lengths do not show either. */
  static boolean matches(String given, String expected) {
    return MessageDigest.isEqual(digest(given), digest(expected));
  }

  private static byte[] digest(String password) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
