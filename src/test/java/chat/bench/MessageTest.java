package chat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessageTest {

  private final Message messages = new Message("ab12");

  @Test
  void encodedMessageIsPaddedToItsSizeAndEndsTheLine() {
    String line = encode(7, 42, 123_456_789L, 64);
    assertEquals(65, line.length());
    assertEquals("lt-ab12-7#42@123456789 ", line.substring(0, 23));
    assertEquals("x\n", line.substring(63));
  }

  @Test
  void aSizeBelowTheHeaderGivesTheHeaderAlone() {
    assertEquals("lt-ab12-0#0@5\n", encode(0, 0, 5, 1));
  }

  @Test
  void parseGivesBackWhatWasEncoded() {
    String line = encode(19, 1_000_000_007L, 987_654_321_012L, 200);
    byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
    assertEquals(new Parsed(19, 1_000_000_007L, 987_654_321_012L),
        Parsed.by(to -> messages.parse(bytes, 0, bytes.length - 1, to)));
  }

  @Test
  void parseRefusesOtherRunsAndMangledTexts() {
    assertNull(parse("lt-zz99-1#2@3"));
    assertNull(parse("lt-ab12-1#2"));
    assertNull(parse("lt-ab12-#2@3"));
    assertNull(parse("lt-ab12-1#2@3y"));
    assertNull(parse("hello"));
    assertEquals(new Parsed(1, 2, 3), parse("lt-ab12-1#2@3"));
  }

  @Test
  void encodeWritesNothingWhenTheBufferIsFull() {
    ByteBuffer small = ByteBuffer.allocate(40);
    assertFalse(messages.encode(small, 1, 1, 1, 64));
    assertEquals(0, small.position());
  }

  @Test
  void namesCarryTheRun() {
    assertEquals("lt-ab12-17", Message.name("ab12", 17));
  }

  private Parsed parse(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    return Parsed.by(to -> messages.parse(bytes, 0, bytes.length, to));
  }

  private String encode(int sender, long seq, long nanos, int size) {
    ByteBuffer out = ByteBuffer.allocate(4096);
    messages.encode(out, sender, seq, nanos, size);
    return new String(out.array(), 0, out.position(), StandardCharsets.US_ASCII);
  }
}
