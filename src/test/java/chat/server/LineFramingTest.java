package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSink;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class LineFramingTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

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

  @Test
  void theFlowGivesLinesOneByOneAndTheUnterminatedLastAtTheEnd() throws Exception {
    List<LineFraming.Frame> frames =
        Source.from(List.of(bytes("abc\nthis line is too long\n"), bytes("x\n"), bytes("tail")))
            .via(LineFraming.flow(10))
            .runWith(Sink.seq(), testKit.system())
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS);

    assertEquals(
        List.of(line("abc"), LineFraming.TooLong.INSTANCE, line("x"), line("tail")), frames);
  }

  /** What the session gets from the stream, as the real sink hands it over. */
  private sealed interface Received {}

  private record Started(ActorRef<Object> ackTo) implements Received {}

  private record Batch(ActorRef<Object> ackTo, List<LineFraming.Frame> frames)
      implements Received {}

  private enum Ended implements Received {
    INSTANCE
  }

  private record Failed(Throwable cause) implements Received {}

  private static final Object ACK = "ack";

  @Test
  void batchesTheLinesThatArriveWhileTheReaderIsBusyUpToTheLimit() {
    TestProbe<Received> session = testKit.createTestProbe();
    AtomicInteger chunksTaken = new AtomicInteger();
    List<ByteString> chunks = new ArrayList<>();
    IntStream.range(0, 12).forEach(i -> chunks.add(bytes("line " + i + "\n")));
    chunks.add(bytes("last, unterminated"));

    Source.from(chunks)
        .map(chunk -> {
          chunksTaken.incrementAndGet();
          return chunk;
        })
        .via(LineFraming.batched(100, 3))
        .runWith(
            ActorSink.<List<LineFraming.Frame>, Received, Object>actorRefWithBackpressure(
                    session.ref(), Batch::new, Started::new, ACK, Ended.INSTANCE, Failed::new)
                .withAttributes(Attributes.inputBuffer(1, 1)),
            testKit.system());

    // The session has not acknowledged the start yet: the framing takes chunks until it holds
    // a full batch, then waits.
    Started started = (Started) session.receiveMessage();
    session.awaitAssert(() -> {
      assertTrue(chunksTaken.get() >= 3, "chunks taken: " + chunksTaken);
      return null;
    });
    started.ackTo().tell(ACK);

    List<List<LineFraming.Frame>> batches = new ArrayList<>();
    Received next;
    while ((next = session.receiveMessage(Duration.ofSeconds(5))) instanceof Batch batch) {
      batches.add(batch.frames());
      batch.ackTo().tell(ACK);
    }
    assertEquals(Ended.INSTANCE, next);

    List<LineFraming.Frame> expected = new ArrayList<>();
    IntStream.range(0, 12).forEach(i -> expected.add(line("line " + i)));
    expected.add(line("last, unterminated"));
    assertEquals(expected, batches.stream().flatMap(List::stream).toList());
    assertTrue(batches.stream().allMatch(b -> !b.isEmpty() && b.size() <= 3), batches.toString());
    assertEquals(3, batches.stream().mapToInt(List::size).max().orElse(0), batches.toString());
  }
}
