package chat.names;

import chat.support.Sha256;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Resume tokens: 18 random bytes, URL-safe Base64; what is kept of one is its digest, so that
 * looking a token up says nothing of it by its timing and a copy of the registry gives none away.
 */
final class Tokens {

  private Tokens() {}

  private static final SecureRandom RANDOM = new SecureRandom();

  static String create() {
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String digest(String token) {
    return Base64.getEncoder().encodeToString(Sha256.of(token));
  }
}
