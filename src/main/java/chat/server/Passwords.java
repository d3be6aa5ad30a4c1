package chat.server;

import chat.support.Sha256;
import java.security.MessageDigest;

/** Compares passwords in constant time, so the time an answer takes tells nothing. */
final class Passwords {

  private Passwords() {}

  /** Whether {@code given} is {@code expected}; digests first, so lengths do not show either. */
  static boolean matches(String given, String expected) {
    return MessageDigest.isEqual(Sha256.of(given), Sha256.of(expected));
  }
}
