package chat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A message as a test saw it handed to a {@link Message.Receiver}. */
record Parsed(int sender, long seq, long sentNanos) {

  /**
   * Runs {@code parse} with a receiver that keeps what it is given: the message, or null if the
   * parse said no. A parse hands on exactly one message when it says yes, and none when no.
   */
  static Parsed by(Predicate<Message.Receiver> parse) {
    List<Parsed> got = new ArrayList<>();
    boolean matched =
        parse.test((sender, seq, sentNanos) -> got.add(new Parsed(sender, seq, sentNanos)));
    assertEquals(matched ? 1 : 0, got.size());
    return matched ? got.get(0) : null;
  }
}
