package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PasswordGuardTest {

  private static final long SECOND = 1_000_000_000L;

  private final InetAddress guesser = InetAddress.getLoopbackAddress();
  private final PasswordGuard guard =
      new PasswordGuard(new PasswordGuard.Settings(3, Duration.ofSeconds(10)));

  @Test
  void aBurstOfWrongPasswordsIsAllowedThenOneAnInterval() throws Exception {
    long now = 5 * SECOND;
    for (int i = 0; i < 2; i++) {
      guard.failed(guesser, now);
      assertEquals(Optional.empty(), guard.refusal(guesser, now), "wrong password " + (i + 1));
    }
    guard.failed(guesser, now);
    assertEquals(Optional.of("Too many wrong passwords from your address; try again in 10 seconds."),
        guard.refusal(guesser, now));
    assertEquals(Optional.of("Too many wrong passwords from your address; try again in 1 second."),
        guard.refusal(guesser, now + 9 * SECOND + 1));
    assertEquals(Optional.empty(), guard.refusal(guesser, now + 10 * SECOND));
    // One more guess at once spends the interval earned, and the wait starts again.
    guard.failed(guesser, now + 10 * SECOND);
    assertEquals(10, waitSeconds(now + 10 * SECOND));
    InetAddress other = InetAddress.getByName("10.0.0.7");
    assertEquals(Optional.empty(), guard.refusal(other, now), "other addresses are not held back");
    assertEquals(3, guard.refused());
  }

  private long waitSeconds(long now) {
    String refusal = guard.refusal(guesser, now).orElseThrow();
    return Long.parseLong(refusal.replaceAll("\\D", ""));
  }

  @Test
  void anAddressIsForgottenOnceItsAllowanceIsWholeAgain() throws Exception {
    long now = 0;
    guard.failed(guesser, now);
    assertEquals(1, guard.addresses());
    assertEquals(Optional.empty(), guard.refusal(guesser, now + 10 * SECOND));
    assertEquals(0, guard.addresses());
  }

  @Test
  void manyAddressesGuessingAtOnceAreForgottenAsTheyCoolDown() throws Exception {
    for (int i = 0; i < 3000; i++) {
      guard.failed(address(1, i), 0);
    }
    assertEquals(3000, guard.addresses());
    // An hour later those allowances are whole: once the map has doubled again (at 4,096), it
    // is swept of them, and holds only the new guessers.
    for (int i = 0; i < 1100; i++) {
      guard.failed(address(2, i), 3600 * SECOND);
    }
    assertEquals(1100, guard.addresses());
  }

  private static InetAddress address(int net, int i) throws Exception {
    return InetAddress.getByAddress(new byte[] {10, (byte) net, (byte) (i >> 8), (byte) i});
  }
}
