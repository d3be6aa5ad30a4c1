package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import chat.protocol.Event;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

class LineAdmissionTest {

  private static final LineFraming.Frame LINE = new LineFraming.Line("hello");
  private static final long SECOND = 1_000_000_000L;

  private final ServerMetrics metrics = new ServerMetrics();

  /** Two lines a second, a burst of three, disconnect after four refusals in a row. */
  private LineAdmission admission(boolean exempt) {
    ServerSettings settings = ServerSettings.fromConfig(ConfigFactory.parseString("""
            chat.server.max-line-bytes = 100
            chat.server.rate { lines-per-second = 2, burst = 3, max-refused = 4 }
            """).withFallback(ConfigFactory.load()).resolve());
    return new LineAdmission(settings, metrics, exempt, 0);
  }

  @Test
  void linesWithinTheBurstPassAndTheNextIsRefusedWithWhenToRetry() {
    LineAdmission admission = admission(false);
    for (int i = 0; i < 3; i++) {
      assertEquals(LineAdmission.Pass.INSTANCE, admission.check(LINE, 0));
    }

    LineAdmission.Refuse refused =
        assertInstanceOf(LineAdmission.Refuse.class, admission.check(LINE, 0));
    // One token comes back every half second.
    assertEquals(500, assertInstanceOf(Event.Throttled.class, refused.answer()).retryAfterMs());
    assertEquals(1, metrics.snapshot().rateRefusals());
    assertEquals(LineAdmission.Pass.INSTANCE, admission.check(LINE, SECOND / 2));
  }

  @Test
  void aLineTooLongIsRefusedWithTheLimitAndStillCounts() {
    LineAdmission admission = admission(false);
    LineAdmission.Refuse refused = assertInstanceOf(LineAdmission.Refuse.class,
        admission.check(LineFraming.TooLong.INSTANCE, 0));
    assertEquals(
        "Line too long (more than 100 bytes); it was not sent.",
        assertInstanceOf(Event.Error.class, refused.answer()).text());
    assertEquals(LineAdmission.Pass.INSTANCE, admission.check(LINE, 0));
    assertEquals(LineAdmission.Pass.INSTANCE, admission.check(LINE, 0));
    // The too-long line took the first of the three in the burst.
    assertInstanceOf(Event.Throttled.class,
        assertInstanceOf(LineAdmission.Refuse.class, admission.check(LINE, 0)).answer());
  }

  @Test
  void refusalsPastTheMaximumWithoutAPauseAreFlooding() {
    LineAdmission admission = admission(false);
    for (int i = 0; i < 3; i++) {
      admission.check(LINE, 0);
    }
    for (int i = 0; i < 4; i++) {
      assertInstanceOf(LineAdmission.Refuse.class, admission.check(LINE, 0));
    }
    assertEquals(LineAdmission.Flooding.INSTANCE, admission.check(LINE, 0));
  }

  @Test
  void anExemptClientIsNeverLimitedButItsLinesMustStillFit() {
    LineAdmission admission = admission(true);
    for (int i = 0; i < 1000; i++) {
      assertEquals(LineAdmission.Pass.INSTANCE, admission.check(LINE, 0));
    }
    assertInstanceOf(LineAdmission.Refuse.class,
        admission.check(LineFraming.TooLong.INSTANCE, 0));
    assertEquals(0, metrics.snapshot().rateRefusals());
  }
}
