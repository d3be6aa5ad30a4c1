package chat.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
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
    return batched(maxLineBytes, 1).mapConcat(frames -> frames);
  }

  /**
   * Lines in batches: those that arrived together, and more while the reader is busy, up to
   * {@code maxBatch} lines: reading stops once a batch holds that many, so a batch is at most
   * {@code maxBatch} lines plus those of the last read. Never an empty batch.
   */
  static Flow<ByteString, List<Frame>, NotUsed> batched(int maxLineBytes, int maxBatch) {
    // A blueprint is immutable: one per limit serves every connection, and saves each of them
    // the memory of its own copy.
    return BATCHED.computeIfAbsent(List.of(maxLineBytes, maxBatch),
        limits -> Flow.fromGraph(new Batches(maxLineBytes, maxBatch)));
  }

  private static final Map<List<Integer>, Flow<ByteString, List<Frame>, NotUsed>> BATCHED =
      new ConcurrentHashMap<>();

  /**
   * Splitting and batching in one stage: every connection runs one, so it costs a connection one
   * stage, not three (a split, a filter of empty results and a batch).
   */
  private static final class Batches extends GraphStage<FlowShape<ByteString, List<Frame>>> {

    private final Inlet<ByteString> in = Inlet.create("LineFraming.in");
    private final Outlet<List<Frame>> out = Outlet.create("LineFraming.out");
    private final FlowShape<ByteString, List<Frame>> shape = FlowShape.of(in, out);
    private final int maxLineBytes;
    private final int maxBatch;

    Batches(int maxLineBytes, int maxBatch) {
      this.maxLineBytes = maxLineBytes;
      this.maxBatch = maxBatch;
    }

    @Override
    public FlowShape<ByteString, List<Frame>> shape() {
      return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
      return new Logic();
    }

    private final class Logic extends GraphStageLogic {

      private final Splitter splitter = new Splitter(maxLineBytes);
      private List<Frame> batch = new ArrayList<>();

      Logic() {
        super(shape);
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            batch.addAll(splitter.feed(grab(in)));
            pushIfWanted();
            if (batch.size() < maxBatch) {
              pull(in);
            }
          }

          @Override
          public void onUpstreamFinish() {
            batch.addAll(splitter.finish());
            if (batch.isEmpty()) {
              completeStage();
            } else {
              emit(out, take(), () -> completeStage());
            }
          }
        });
        setHandler(out, new AbstractOutHandler() {
          @Override
          public void onPull() {
            pushIfWanted();
            if (!hasBeenPulled(in) && !isClosed(in)) {
              pull(in);
            }
          }
        });
      }

      @Override
      public void preStart() {
        pull(in);
      }

      private void pushIfWanted() {
        if (!batch.isEmpty() && isAvailable(out)) {
          push(out, take());
        }
      }

      private List<Frame> take() {
        List<Frame> taken = batch;
        batch = new ArrayList<>();
        return taken;
      }
    }
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
