package chat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void delaysDoubleUpToTheMaximum() {
    List<Duration> delays = IntStream.range(0, 8).mapToObj(Backoff.DEFAULT::delay).toList();
    assertEquals(
        List.of(500L, 1000L, 2000L, 4000L, 8000L, 10000L, 10000L, 10000L),
        delays.stream().map(Duration::toMillis).toList());
    assertEquals(Duration.ofSeconds(10), Backoff.DEFAULT.delay(1000), "no overflow");
    assertEquals(Duration.ofMinutes(2), Backoff.DEFAULT.giveUpAfter());
  }

  @Test
  void nonsenseIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), Duration.ofMinutes(1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMinutes(1)));
  }
}
