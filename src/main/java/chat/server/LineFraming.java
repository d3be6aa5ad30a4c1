package chat.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * Splits a client's bytes into lines. Unlike {@code Framing.delimiter}, an over-long line is not a
 * stream failure (which would reset the connection before the client learns why) but a value,
 * {@link TooLong}, so the session can answer it; its bytes are skipped up to the next newline and
 * never buffered. A last line without a newline still counts at end of input.
 */
final class LineFraming {

  private static final byte NEWLINE = '\n';
  private static final byte CARRIAGE_RETURN = '\r';

  private LineFraming() {}

  /** What the framing makes of the bytes of one line. */
  sealed interface Frame {}

  /** A line, decoded from UTF-8 (malformed bytes become U+FFFD), without its line ending. */
  record Line(String text) implements Frame {}

  /** A line longer than the limit, which was skipped. */
  enum TooLong implements Frame {
    INSTANCE
  }

  /** Lines one by one. */
  static Flow<ByteString, Frame, NotUsed> flow(int maxLineBytes) {
    return batches(maxLineBytes).mapConcat(frames -> frames);
  }

  /**
   * Lines in batches: those that arrived together, and more while the reader is busy, up to
   * {@code maxBatch} lines (a batch of one chunk can hold more); never an empty batch.
   */
  static Flow<ByteString, List<Frame>, NotUsed> batched(int maxLineBytes, int maxBatch) {
    // A blueprint is immutable: one per limit serves every connection, and saves each of them
    // the memory of its own copy.
    return BATCHED.computeIfAbsent(List.of(maxLineBytes, maxBatch),
        limits -> newBatched(maxLineBytes, maxBatch));
  }

  private static final Map<List<Integer>, Flow<ByteString, List<Frame>, NotUsed>> BATCHED =
      new ConcurrentHashMap<>();

  private static Flow<ByteString, List<Frame>, NotUsed> newBatched(int maxLineBytes, int maxBatch) {
    return batches(maxLineBytes)
        .filter(frames -> !frames.isEmpty())
        .batchWeighted(
            maxBatch,
            frames -> (long) frames.size(),
            frames -> (List<Frame>) new ArrayList<>(frames),
            (batch, frames) -> {
              batch.addAll(frames);
              return batch;
            });
  }

  private static Flow<ByteString, List<Frame>, NotUsed> batches(int maxLineBytes) {
    return Flow.<ByteString>create()
        .statefulMap(
            () -> new Splitter(maxLineBytes),
            (splitter, chunk) -> Pair.create(splitter, splitter.feed(chunk)),
            splitter -> Optional.of(splitter.finish()));
  }

  /** The framing state of one connection: the unfinished line, or that one is being skipped. */
  static final class Splitter {
    private final int maxLineBytes;
    private ByteString pending = ByteString.emptyByteString();
    private boolean skipping;

    Splitter(int maxLineBytes) {
      this.maxLineBytes = maxLineBytes;
    }

    List<Frame> feed(ByteString chunk) {
      List<Frame> frames = new ArrayList<>(2);
      ByteString buffer = pending.isEmpty() ? chunk : pending.concat(chunk);
      int start = 0;
      int newline;
      while ((newline = buffer.indexOf(NEWLINE, start)) >= 0) {
        if (skipping) {
          skipping = false;
        } else {
          frames.add(frame(buffer.slice(start, newline)));
        }
        start = newline + 1;
      }
      ByteString rest = buffer.drop(start);
      // One byte of slack: the line may still end in "\r\n".
      if (!skipping && rest.size() > maxLineBytes + 1) {
        frames.add(TooLong.INSTANCE);
        skipping = true;
      }
      pending = skipping ? ByteString.emptyByteString() : rest.compact();
      return frames;
    }

    List<Frame> finish() {
      List<Frame> frames = pending.isEmpty() || skipping ? List.of() : List.of(frame(pending));
      pending = ByteString.emptyByteString();
      return frames;
    }

    private Frame frame(ByteString line) {
      ByteString content =
          !line.isEmpty() && line.apply(line.size() - 1) == CARRIAGE_RETURN
              ? line.dropRight(1)
              : line;
      return content.size() > maxLineBytes ? TooLong.INSTANCE : new Line(content.utf8String());
    }
  }
}
