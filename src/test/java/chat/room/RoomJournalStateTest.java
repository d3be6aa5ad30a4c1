package chat.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The journal's marks find any message among topics and purges, reading little before it. */
class RoomJournalStateTest {

  private static final int EVERY = RoomJournal.State.MARK_EVERY;

  /** A journal played event by event, with where each message landed. */
  private static final class Played {
    RoomJournal.State state = new RoomJournal.State(0, null, 0, 0, List.of());
    final Map<Long, Long> entryOf = new HashMap<>();
    long entries;

    void post() {
      long seq = state.lastSeq() + 1;
      state = state.apply(new RoomJournal.Posted(seq, 0, "a", "m" + seq, false), ++entries);
      entryOf.put(seq, entries);
    }

    void topic() {
      state = state.apply(new RoomJournal.TopicSet(0, "a", "t" + entries), ++entries);
    }

    void purge() {
      state = state.apply(new RoomJournal.Purged(0, state.lastSeq(), null), ++entries);
    }

    /** Every kept message is found from an entry at or before its own, few messages back. */
    void checkEveryMessage() {
      for (long seq = state.purgedUpTo() + 1; seq <= state.lastSeq(); seq++) {
        long from = state.entryFrom(seq);
        long entry = entryOf.get(seq);
        assertTrue(from <= entry, "message " + seq + " at " + entry + ", read from " + from);
        assertTrue(from > state.purgedAt(), "read from " + from + ", purged at " + state.purgedAt());
        long before = entryOf.entrySet().stream()
            .filter(e -> e.getValue() >= from && e.getValue() < entry).count();
        assertTrue(before < EVERY, before + " messages read before message " + seq);
      }
    }
  }

  @Test
  void tenThousandTopicsAfterTheMessagesHideNone() {
    Played played = new Played();
    for (int i = 0; i < 3 * EVERY; i++) {
      played.post();
    }
    for (int i = 0; i < 10_050; i++) {
      played.topic();
    }
    for (int i = 0; i < 2 * EVERY; i++) {
      played.post();
    }
    played.checkEveryMessage();
    long last = played.state.lastSeq();
    assertEquals(played.entryOf.get(last / EVERY * EVERY),
        played.state.entryFrom(last), "the last mark is exact past the topics");
  }

  @Test
  void topicsAndPurgesAnywhereStillFindEveryMessage() {
    Random random = new Random(17);
    Played played = new Played();
    for (int i = 0; i < 20_000; i++) {
      int roll = random.nextInt(1000);
      if (roll < 700) {
        played.post();
      } else if (roll < 999) {
        played.topic();
      } else {
        played.purge();
      }
    }
    played.checkEveryMessage();
    assertTrue(played.state.marks().size() <= played.state.lastSeq() / EVERY,
        "at most one mark per " + EVERY + " messages: " + played.state.marks().size());
  }

  @Test
  void aRoomWithoutTopicsHasOneMark() {
    Played played = new Played();
    for (int i = 0; i < 10 * EVERY; i++) {
      played.post();
    }
    played.checkEveryMessage();
    assertEquals(1, played.state.marks().size(), played.state.marks().toString());
  }
}
