package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

class LineFramingTest {

  private final LineFraming.Splitter splitter = new LineFraming.Splitter(10);

  private static ByteString bytes(String text) {
    return ByteString.fromString(text);
  }

  private static LineFraming.Line line(String text) {
    return new LineFraming.Line(text);
  }

  @Test
  void splitsChunksIntoLinesAcrossBoundaries() {
    assertEquals(List.of(line("one")), splitter.feed(bytes("one\ntw")));
    assertEquals(List.of(), splitter.feed(bytes("o")));
    assertEquals(List.of(line("two"), line("three")), splitter.feed(bytes("\nthree\n")));
  }

  @Test
  void acceptsCrLfAndEmptyLines() {
    assertEquals(List.of(line("a"), line(""), line("b")), splitter.feed(bytes("a\r\n\nb\r\n")));
  }

  @Test
  void lineOfExactlyTheLimitPassesAndOneByteMoreIsTooLong() {
    assertEquals(List.of(line("0123456789")), splitter.feed(bytes("0123456789\r\n")));
    assertEquals(List.of(LineFraming.TooLong.INSTANCE), splitter.feed(bytes("0123456789X\n")));
  }

  @Test
  void overLongLineIsReportedOnceAndSkippedWithoutBuffering() {
    assertEquals(List.of(LineFraming.TooLong.INSTANCE), splitter.feed(bytes("x".repeat(50))));
    assertEquals(List.of(), splitter.feed(bytes("y".repeat(5000))));
    assertEquals(List.of(line("next")), splitter.feed(bytes("zz\nnext\n")));
  }

  @Test
  void utf8SplitInsideACharacterDecodesWhole() {
    byte[] euro = "€\n".getBytes(StandardCharsets.UTF_8);
    assertEquals(List.of(), splitter.feed(ByteString.fromArray(euro, 0, 1)));
    assertEquals(List.of(), splitter.feed(ByteString.fromArray(euro, 1, 1)));
    assertEquals(List.of(line("€")), splitter.feed(ByteString.fromArray(euro, 2, 2)));
  }

  @Test
  void invalidUtf8BecomesReplacementCharacters() {
    ByteString bad = ByteString.fromArray(new byte[] {'a', (byte) 0xC3, (byte) 0xFF, 'b', '\n'});
    assertEquals(List.of(line("a\uFFFD\uFFFDb")), splitter.feed(bad));
  }

  @Test
  void unterminatedLastLineCountsAtEndOfInput() {
    assertEquals(List.of(), splitter.feed(bytes("bye")));
    assertEquals(List.of(line("bye")), splitter.finish());
    assertEquals(List.of(), splitter.finish());
  }

  @Test
  void skippedTailIsNotALineAtEndOfInput() {
    splitter.feed(bytes("x".repeat(20)));
    assertEquals(List.of(), splitter.finish());
  }
}
