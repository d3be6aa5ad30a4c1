package chat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LogCapturingExtension.class)
class InputLinesTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  private final List<String> reports = new CopyOnWriteArrayList<>();

  private List<String> lines(int maxLineBytes, String... chunks) throws Exception {
    return Source.from(List.of(chunks))
        .map(ByteString::fromString)
        .via(InputLines.lines(maxLineBytes, reports::add))
        .runWith(Sink.seq(), testKit.system())
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
  }

  @Test
  void linesAreSplitAcrossChunksWithoutCarriageReturns() throws Exception {
    assertEquals(List.of("one", "two", "three"), lines(100, "one\r\ntw", "o\nthree"));
    assertEquals(List.of(), reports);
  }

  @Test
  void lineOfExactlyTheLimitPassesAndALongerOneIsReported() throws Exception {
    assertEquals(List.of("\u00e9\u00e9", "ok"), lines(4, "\u00e9\u00e9\n\u00e9\u00e9x\nok\n"));
    assertEquals(List.of("Line too long (5 bytes, at most 4); it was not sent."), reports);
  }

  @Test
  void unreadablyLongLineEndsInputWithAReport() throws Exception {
    String huge = "x".repeat(InputLines.MAX_READ_BYTES + 1);
    assertEquals(List.of("before"), lines(10, "before\n", huge, "\nafter\n"));
    assertEquals(1, reports.size());
    assertEquals(
        "Input line longer than " + InputLines.MAX_READ_BYTES + " bytes; no further input is read.",
        reports.get(0));
  }

  @Test
  void joinRequestMustFitInALineToo() {
    assertEquals(Optional.empty(), InputLines.joinProblem("bob", 8));
    assertEquals(
        Optional.of("Username too long for chat.client.max-line-bytes (7)."),
        InputLines.joinProblem("bob", 7));
  }
}
