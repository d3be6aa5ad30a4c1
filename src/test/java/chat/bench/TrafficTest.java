package chat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficTest {

  private static final long IDLE = 10_000_000;

  @Test
  void aPacedRunWaitsUntilTheNextMessageIsDueAndNoLonger() {
    Traffic traffic = new Traffic(List.of(), new int[0], new Message("ab12"), 64, 1000, 100,
        List.of("#lobby"));
    traffic.start(5_000_000);

    // Message 0 is due at the start: waiting a whole period first would send two at once later.
    assertEquals(2_000_000, traffic.untilNext(3_000_000, IDLE));
    assertEquals(0, traffic.untilNext(5_000_000, IDLE));
    assertEquals(0, traffic.untilNext(5_400_000, IDLE));
  }

  @Test
  void unpacedRunsWaitTheIdleTime() {
    Traffic traffic = new Traffic(List.of(), new int[0], new Message("ab12"), 64, 0, 100,
        List.of("#lobby"));
    traffic.start(0);
    assertEquals(IDLE, traffic.untilNext(0, IDLE));
  }
}
