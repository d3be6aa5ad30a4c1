package chat.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.delivery.Delivery;
import chat.protocol.Event;
import chat.protocol.Mode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A room's batch: what it sends the Delivery, and a leaving member's share of it. */
class RoomBatchTest {

  private static final long T = 1764090000000L;

  private final RoomBatch batch = new RoomBatch();

  private static Event.Chat chat(long seq, String from) {
    return new Event.Chat(T, "#lobby", seq, from, "message " + seq, false);
  }

  @Test
  void postsNoticesAndEntriesGoInTheOrderTheyCame() {
    assertTrue(batch.isEmpty());
    batch.post(chat(1, "ann"), "ann", 1);
    batch.enter(2);
    batch.to(2, new Event.Info(T, "welcome"));
    batch.notice(new Event.Joined(T, "#lobby", "ben", false), "ben");

    assertEquals(List.of(
            new Delivery.Post(chat(1, "ann"), 1),
            new Delivery.Enter(2),
            new Delivery.To(2, new Event.Info(T, "welcome")),
            new Delivery.Post(new Event.Joined(T, "#lobby", "ben", false), 0)),
        batch.drain());
    assertTrue(batch.isEmpty());
  }

  @Test
  void aMemberLeavingGetsWhatCameSinceItCameInButItsOwnInTextModeAndIsOutFromThere() {
    batch.post(chat(1, "ann"), "ann", 1);
    batch.enter(2);
    batch.post(chat(2, "ann"), "ann", 1);
    batch.post(chat(3, "ben"), "ben", 2);
    batch.to(2, new Event.Info(T, "for ben"));

    assertEquals(List.of(chat(2, "ann"), new Event.Info(T, "for ben")), batch.leave(2, Mode.TEXT));
    // The exit stands where ben's share began: the next send gives him nothing of it again.
    List<Delivery.Entry> sent = batch.drain();
    assertEquals(new Delivery.Exit(2), sent.get(2));
    assertEquals(new Delivery.Enter(2), sent.get(1));
  }

  @Test
  void aMemberInMachineModeGetsItsOwnPostsInItsShare() {
    batch.post(chat(1, "ann"), "ann", 1);
    assertEquals(List.of(chat(1, "ann")), batch.leave(1, Mode.JSON));
    assertEquals(List.of(), new RoomBatch().leave(1, Mode.TEXT));
  }

  @Test
  void aLeavingMembersShareComesWithCrowdsAsOneLine() {
    batch.enter(9);
    for (String name : List.of("ann", "ben", "cat", "dan")) {
      batch.notice(new Event.Joined(T, "#lobby", name, false), name);
    }
    assertEquals(List.of(new Event.Joins(T, "#lobby", List.of("ann", "ben", "cat", "dan"))),
        batch.leave(9, Mode.TEXT));
  }

  @Test
  void theBatchAsksToBeSentOnceItsLinesPassTheBound() {
    boolean full = false;
    int posts = 0;
    while (!full) {
      full = batch.post(chat(++posts, "ann"), "ann", 1);
    }
    // "ann: message N" and its line ending: about 20 bytes a post.
    assertTrue(posts > RoomBatch.FLUSH_BYTES / 25 && posts < RoomBatch.FLUSH_BYTES / 15,
        "full after " + posts);
    batch.drain();
    assertFalse(batch.post(chat(1, "ann"), "ann", 1), "counting starts again");
  }
}
