package chat.server;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;
import org.apache.pekko.Done;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.stage.AbstractGraphStageWithMaterializedValue;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * The source of a connection's outbound bytes: materializes an {@link OutboxBuffer} that the room
 * and the session offer lines to, and sends what it holds to the socket. A line offered while the
 * socket is idle goes out at once, alone; lines that pile up while a write is under way go out
 * together in one write, so a backlog costs fewer writes and a quiet connection no latency. After
 * lines were dropped it first sends a line saying how many; when lines keep being dropped for the
 * slow-client timeout, it calls {@code fellBehind} once.
 */
final class OutboxStage
    extends AbstractGraphStageWithMaterializedValue<SourceShape<ByteString>, OutboxStage.Outbox> {

  /**
   * What the stage gives its connection: the buffer to offer to, and a signal completed once the
   * stage has stopped (everything taken was handed on, or the connection was cut).
   */
  record Outbox(OutboxBuffer buffer, CompletionStage<Done> stopped) {}

  /** Bytes sent in one element at most: bounds what the socket stage holds beyond the buffer. */
  static final int MAX_BATCH_BYTES = 32 * 1024;

  private static final String SLOW_TIMER = "slow";

  private final Outlet<ByteString> out = Outlet.create("OutboxStage.out");
  private final long capacity;
  private final LongAdder droppedLines;
  private final Duration slowClientTimeout;
  private final LongFunction<ByteString> missedLine;
  private final Runnable fellBehind;

  /**
   * @param capacity the buffer's size in bytes
   * @param droppedLines counts every line dropped, server-wide
   * @param missedLine the line telling the client how many lines it missed
   * @param fellBehind called once, on the stream's thread, when the client stayed behind too long
   */
  OutboxStage(
      long capacity,
      LongAdder droppedLines,
      Duration slowClientTimeout,
      LongFunction<ByteString> missedLine,
      Runnable fellBehind) {
    this.capacity = capacity;
    this.droppedLines = droppedLines;
    this.slowClientTimeout = slowClientTimeout;
    this.missedLine = missedLine;
    this.fellBehind = fellBehind;
  }

  @Override
  public SourceShape<ByteString> shape() {
    return SourceShape.of(out);
  }

  @Override
  public Pair<GraphStageLogic, Outbox> createLogicAndMaterializedValuePair(
      Attributes attributes) {
    OutboxBuffer buffer = new OutboxBuffer(capacity, droppedLines);
    CompletableFuture<Done> stopped = new CompletableFuture<>();
    return Pair.create(new Logic(buffer, stopped), new Outbox(buffer, stopped));
  }

  private final class Logic extends TimerGraphStageLogic {

    private final OutboxBuffer buffer;
    private final CompletableFuture<Done> stopped;
    private boolean reportedBehind;

    Logic(OutboxBuffer buffer, CompletableFuture<Done> stopped) {
      super(shape());
      this.buffer = buffer;
      this.stopped = stopped;
      setHandler(out, new AbstractOutHandler() {
        @Override
        public void onPull() {
          send();
        }
      });
    }

    @Override
    public void preStart() {
      AsyncCallback<Boolean> lineReady = createAsyncCallback(ready -> {
        if (isAvailable(out)) {
          send();
        }
      });
      AsyncCallback<Boolean> overflowStarted = createAsyncCallback(started -> watchOverflow());
      AsyncCallback<Boolean> aborted = createAsyncCallback(cut -> failStage(new ConnectionCut()));
      buffer.signalTo(new OutboxBuffer.Signals() {
        @Override
        public void lineReady() {
          lineReady.invoke(Boolean.TRUE);
        }

        @Override
        public void overflowStarted() {
          overflowStarted.invoke(Boolean.TRUE);
        }

        @Override
        public void aborted() {
          aborted.invoke(Boolean.TRUE);
        }
      });
      // What happened before the stage started found no one to signal.
      if (buffer.aborted()) {
        failStage(new ConnectionCut());
      } else if (buffer.overflowingForNanos(System.nanoTime()) >= 0) {
        watchOverflow();
      }
    }

    @Override
    public void postStop() {
      stopped.complete(Done.getInstance());
    }

    private void send() {
      OutboxBuffer.Taken taken = buffer.take(MAX_BATCH_BYTES);
      ByteString lines = taken.lines();
      if (taken.missed() > 0) {
        lines = missedLine.apply(taken.missed()).concat(lines);
      }
      if (lines.length() > 0) {
        push(out, lines);
      } else if (buffer.finished()) {
        completeStage();
      }
    }

    private void watchOverflow() {
      if (!reportedBehind && !isTimerActive(SLOW_TIMER)) {
        scheduleOnce(SLOW_TIMER, slowClientTimeout);
      }
    }

    @Override
    public void onTimer(Object key) {
      long behind = buffer.overflowingForNanos(System.nanoTime());
      if (behind < 0 || reportedBehind) {
        return;
      }
      long left = slowClientTimeout.toNanos() - behind;
      if (left > 0) {
        // The client caught up in between and has fallen behind again since.
        scheduleOnce(SLOW_TIMER, Duration.ofNanos(left));
      } else {
        reportedBehind = true;
        fellBehind.run();
      }
    }
  }

  /** Why a connection's stream failed when the server cut it: failing it aborts the socket. */
  static final class ConnectionCut extends RuntimeException {
    ConnectionCut() {
      super("connection cut by the server", null, false, false);
    }
  }
}
