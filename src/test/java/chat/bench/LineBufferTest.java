package chat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineBufferTest {

  private final List<String> lines = new ArrayList<>();
  private final LineBuffer.Sink sink = (bytes, offset, length) ->
      lines.add(new String(bytes, offset, length, StandardCharsets.UTF_8));

  @Test
  void linesInOneReadComeOutInOrder() {
    LineBuffer buffer = new LineBuffer(100);
    feed(buffer, "one\ntwo\r\n\nthree\n");
    assertEquals(List.of("one", "two", "", "three"), lines);
    assertEquals(0, buffer.pending());
  }

  @Test
  void aLineSplitAcrossReadsIsJoined() {
    LineBuffer buffer = new LineBuffer(100);
    feed(buffer, "alice: hel");
    feed(buffer, "lo the");
    assertEquals(List.of(), lines);
    assertEquals(16, buffer.pending());
    feed(buffer, "re\nbob: hi\nca");
    feed(buffer, "rol\r");
    feed(buffer, "\n");
    assertEquals(List.of("alice: hello there", "bob: hi", "carol"), lines);
  }

  @Test
  void everySplitPointGivesTheSameLines() {
    String text = "a: 1\nbb: 22\r\nccc: 333\n";
    for (int split = 0; split <= text.length(); split++) {
      lines.clear();
      LineBuffer buffer = new LineBuffer(100);
      feed(buffer, text.substring(0, split));
      feed(buffer, text.substring(split));
      assertEquals(List.of("a: 1", "bb: 22", "ccc: 333"), lines, "split at " + split);
    }
  }

  @Test
  void aLineLongerThanTheLimitIsSkippedAndCounted() {
    LineBuffer buffer = new LineBuffer(8);
    feed(buffer, "short\n0123456789");
    feed(buffer, "abcdef\nok\n");
    feed(buffer, "0123456789abc\nfine\n");
    assertEquals(List.of("short", "ok", "fine"), lines);
    assertEquals(2, buffer.overlong());
  }

  @Test
  void aMultiByteCharacterSplitAcrossReadsSurvives() {
    LineBuffer buffer = new LineBuffer(100);
    byte[] bytes = "zoë\n".getBytes(StandardCharsets.UTF_8);
    buffer.feed(bytes, 0, 3, sink);
    buffer.feed(bytes, 3, bytes.length - 3, sink);
    assertEquals(List.of("zoë"), lines);
  }

  private void feed(LineBuffer buffer, String text) {
    byte[] bytes = ("##" + text).getBytes(StandardCharsets.UTF_8);
    // An offset into the array, as reads into a shared buffer have.
    buffer.feed(bytes, 2, bytes.length - 2, sink);
  }

  @Test
  void theNewlineScanFindsTheFirstNewlineAtEveryPlaceAndAmongAnyBytes() {
    java.util.Random random = new java.util.Random(7);
    for (int length = 0; length < 40; length++) {
      for (int at = -1; at < length; at++) {
        byte[] bytes = new byte[length + 3];
        for (int i = 0; i < bytes.length; i++) {
          byte b = (byte) random.nextInt(256);
          bytes[i] = b == '\n' ? (byte) 0x0B : b;
        }
        if (at >= 0) {
          bytes[1 + at] = '\n';
          if (at + 1 < length) {
            bytes[2 + at] = '\n';
          }
        }
        org.junit.jupiter.api.Assertions.assertEquals(at < 0 ? -1 : 1 + at,
            LineBuffer.newline(bytes, 1, 1 + length), "length " + length + ", newline at " + at);
      }
    }
  }
}
