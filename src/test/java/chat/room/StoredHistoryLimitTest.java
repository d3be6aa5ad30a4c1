package chat.room;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.protocol.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class StoredHistoryLimitTest {

  @Test
  void aCrowdOfReadsGetsBusyPastTheLimitAndAFinishedReadMakesRoom() {
    List<CompletableFuture<List<Event.Message>>> underWay = new ArrayList<>();
    for (int i = 0; i < StoredHistory.MAX_READS; i++) {
      CompletableFuture<List<Event.Message>> read = new CompletableFuture<>();
      underWay.add(read);
      StoredHistory.limited(() -> read);
    }
    CompletableFuture<List<Event.Message>> refused =
        StoredHistory.limited(() -> CompletableFuture.completedFuture(List.of()))
            .toCompletableFuture();
    CompletionException busy = org.junit.jupiter.api.Assertions.assertThrows(
        CompletionException.class, refused::join);
    assertInstanceOf(StoredHistory.Busy.class, busy.getCause());
    underWay.forEach(read -> read.complete(List.of()));
    assertTrue(StoredHistory.limited(() -> CompletableFuture.completedFuture(List.of()))
        .toCompletableFuture().join().isEmpty(), "room again once the reads are done");
  }
}
