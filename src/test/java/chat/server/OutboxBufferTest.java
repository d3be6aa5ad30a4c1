package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

class OutboxBufferTest {

  private final LongAdder dropped = new LongAdder();
  private final List<String> signals = new ArrayList<>();
  private final OutboxBuffer buffer = new OutboxBuffer(30, dropped);

  OutboxBufferTest() {
    buffer.signalTo(new OutboxBuffer.Signals() {
      @Override
      public void lineReady() {
        signals.add("ready");
      }

      @Override
      public void overflowStarted() {
        signals.add("overflow");
      }

      @Override
      public void aborted() {
        signals.add("aborted");
      }
    });
  }

  private static ByteString line(String text) {
    return ByteString.fromString(text + "\n");
  }

  @Test
  void whenFullTheOldestLinesMakeWayAndAreCountedOnce() {
    for (int n = 0; n < 5; n++) {
      assertTrue(buffer.offer(line("line " + n))); // 7 bytes each: 4 fit in 30
    }
    assertEquals(28, buffer.queuedBytes());
    assertEquals(1, dropped.sum());
    OutboxBuffer.Taken taken = buffer.take(1024);
    assertEquals(1, taken.missed());
    assertEquals("line 1\nline 2\nline 3\nline 4\n", taken.lines().utf8String());
    assertEquals(0, buffer.take(1024).missed(), "the client is told of a drop once");
  }

  @Test
  void aTakeIsBoundedButAlwaysTakesALine() {
    buffer.offer(line("aaaaaaaaaaaa")); // 13 bytes
    buffer.offer(line("bbbbbbbbbbbb"));
    assertEquals("aaaaaaaaaaaa\n", buffer.take(20).lines().utf8String());
    assertEquals("bbbbbbbbbbbb\n", buffer.take(5).lines().utf8String());
    assertEquals(0, buffer.queuedBytes());
  }

  @Test
  void aLineLongerThanTheCapacityIsStillSentAlone() {
    buffer.offer(line("short"));
    buffer.offer(line("x".repeat(40)));
    OutboxBuffer.Taken taken = buffer.take(1024);
    assertEquals(1, taken.missed());
    assertEquals("x".repeat(40) + "\n", taken.lines().utf8String());
  }

  @Test
  void aWaitingTakerIsSignalledByTheNextLineOnly() {
    assertTrue(buffer.take(1024).lines().isEmpty());
    buffer.offer(line("one"));
    buffer.offer(line("two"));
    assertEquals(List.of("ready"), signals);
    buffer.take(1024);
    assertEquals(List.of("ready"), signals, "a taker that got lines is not waiting");
  }

  @Test
  void overflowIsSignalledOncePerEpisodeAndEndsWhenTheClientCatchesUp() {
    for (int n = 0; n < 10; n++) {
      buffer.offer(line("line " + n));
    }
    assertEquals(List.of("overflow"), signals);
    assertTrue(buffer.overflowingForNanos(System.nanoTime()) >= 0);
    buffer.take(1024);
    assertEquals(-1, buffer.overflowingForNanos(System.nanoTime()), "caught up");
    for (int n = 0; n < 10; n++) {
      buffer.offer(line("line " + n));
    }
    assertEquals(List.of("overflow", "overflow"), signals);
  }

  @Test
  void discardDropsEverythingQueuedAndCountsItAsMissed() {
    buffer.offer(line("one"));
    buffer.offer(line("two"));
    buffer.discard();
    buffer.offer(line("bye"));
    OutboxBuffer.Taken taken = buffer.take(1024);
    assertEquals(2, taken.missed());
    assertEquals("bye\n", taken.lines().utf8String());
    assertEquals(2, dropped.sum());
  }

  @Test
  void closingRefusesNewLinesAndFinishesOnceDrained() {
    buffer.offer(line("last"));
    buffer.close();
    assertFalse(buffer.offer(line("late")));
    assertFalse(buffer.finished());
    assertEquals("last\n", buffer.take(1024).lines().utf8String());
    assertTrue(buffer.finished());
  }

  @Test
  void closingWakesAWaitingTaker() {
    buffer.take(1024);
    buffer.close();
    assertEquals(List.of("ready"), signals);
    assertTrue(buffer.finished());
  }

  @Test
  void nothingToSendIsNotQueuedSoAWaitingTakerStillWaits() {
    assertTrue(buffer.take(1024).lines().isEmpty());
    assertTrue(buffer.offer(ByteString.emptyByteString()));
    assertEquals(List.of(), signals);
    buffer.offer(line("one"));
    assertEquals(List.of("ready"), signals);
    assertEquals("one\n", buffer.take(1024).lines().utf8String());
  }

  @Test
  void abortingDropsWhatIsQueuedRefusesMoreAndSignals() {
    buffer.offer(line("never sent"));
    buffer.abort();
    assertFalse(buffer.offer(line("late")));
    assertEquals(0, buffer.queuedBytes());
    assertEquals(List.of("aborted"), signals);
    assertTrue(buffer.aborted());
  }

  @Test
  void aClientCatchesUpOnceItsBufferIsHalfEmptyAgain() {
    for (int n = 0; n < 10; n++) {
      buffer.offer(line("line " + n)); // 7 bytes each: the last 4 stay, 28 of 30 bytes
    }
    buffer.take(10); // one line: 21 bytes left, more than half
    assertTrue(buffer.overflowingForNanos(System.nanoTime()) >= 0, "still behind");
    buffer.take(10); // 14 bytes left: at most half
    assertEquals(-1, buffer.overflowingForNanos(System.nanoTime()), "caught up");
    assertFalse(buffer.aborted());
  }
}
