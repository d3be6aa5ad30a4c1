package chat.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.protocol.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class HistoryReadsTest {

  @Test
  void aCrowdOfReadsGetsBusyPastTheLimitAndAFinishedReadMakesRoom() {
    List<CompletableFuture<List<Event.Message>>> underWay = new ArrayList<>();
    for (int i = 0; i < HistoryReads.MAX_READS; i++) {
      CompletableFuture<List<Event.Message>> read = new CompletableFuture<>();
      underWay.add(read);
      HistoryReads.now(() -> read);
    }
    CompletableFuture<List<Event.Message>> refused =
        HistoryReads.<List<Event.Message>>now(() -> CompletableFuture.completedFuture(List.of()))
            .toCompletableFuture();
    CompletionException busy = org.junit.jupiter.api.Assertions.assertThrows(
        CompletionException.class, refused::join);
    assertInstanceOf(HistoryReads.Busy.class, busy.getCause());
    underWay.forEach(read -> read.complete(List.of()));
    assertTrue(HistoryReads.now(() -> CompletableFuture.completedFuture(List.of()))
        .toCompletableFuture().join().isEmpty(), "room again once the reads are done");
  }

  @Test
  void aReplayWaitsForItsTurnInsteadOfBeingRefusedAndTheQueueKeepsItsOrder() throws Exception {
    List<CompletableFuture<String>> underWay = new ArrayList<>();
    for (int i = 0; i < HistoryReads.MAX_READS; i++) {
      CompletableFuture<String> read = new CompletableFuture<>();
      underWay.add(read);
      HistoryReads.now(() -> read);
    }
    java.util.Queue<String> started = new java.util.concurrent.ConcurrentLinkedQueue<>();
    CompletableFuture<String> first = HistoryReads.queued(() -> {
      started.add("first");
      return CompletableFuture.completedFuture("first read");
    }).toCompletableFuture();
    CompletableFuture<String> second = HistoryReads.queued(() -> {
      started.add("second");
      return CompletableFuture.completedFuture("second read");
    }).toCompletableFuture();
    assertTrue(started.isEmpty(), "nothing starts while the reads under way take every turn");
    assertFalse(first.isDone());
    underWay.get(0).complete("done");
    assertEquals("first read", first.get(10, java.util.concurrent.TimeUnit.SECONDS));
    assertEquals("second read", second.get(10, java.util.concurrent.TimeUnit.SECONDS));
    assertEquals(List.of("first", "second"), List.copyOf(started));
    underWay.get(1).complete("done");
  }
}
