package chat.server;

import chat.protocol.Mode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.util.ByteString;

/**
 * A connection without a socket: what the session sends, closes and cuts shows up on a probe as
 * the line's text, {@value #CLOSED} or {@value #ABORTED}. Closing flushes at once.
 */
final class FakeConnection implements Connection {

  static final String CLOSED = "<closed>";
  static final String ABORTED = "<aborted>";
  static final String DISCARDED = "<discarded>";

  final TestProbe<String> events;
  final CompletableFuture<Done> sent = new CompletableFuture<>();
  private final boolean slowReader;
  private boolean closed;

  FakeConnection(TestProbe<String> events) {
    this(events, false);
  }

  /** @param slowReader whether closing leaves {@link #sent} for the test to complete */
  FakeConnection(TestProbe<String> events, boolean slowReader) {
    this.events = events;
    this.slowReader = slowReader;
  }

  @Override
  public synchronized boolean offer(ByteString line) {
    if (closed) {
      return false;
    }
    events.ref().tell(line.utf8String().stripTrailing());
    return true;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      events.ref().tell(CLOSED);
      if (!slowReader) {
        sent.complete(Done.getInstance());
      }
    }
  }

  /** Discarding is seen as {@value #DISCARDED}. */
  @Override
  public void discard() {
    events.ref().tell(DISCARDED);
  }

  @Override
  public long queuedBytes() {
    return 0;
  }

  @Override
  public void mode(Mode mode) {}

  @Override
  public String peer() {
    return "127.0.0.1:1";
  }

  @Override
  public CompletionStage<Done> sent() {
    return sent;
  }

  @Override
  public void abort() {
    events.ref().tell(ABORTED);
  }
}
