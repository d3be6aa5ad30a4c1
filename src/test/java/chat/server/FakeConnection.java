package chat.server;

import chat.protocol.Mode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.util.ByteString;

/**
 * A connection without a socket: what the session sends, closes and cuts shows up on a probe as
 * the line's text, {@value #CLOSED}, {@value #ENDED} or {@value #ABORTED}. Closing flushes at
 * once.
 */
final class FakeConnection implements Connection {

  static final String CLOSED = "<closed>";
  static final String ABORTED = "<aborted>";
  static final String DISCARDED = "<discarded>";
  static final String ENDED = "<ended>";

  final TestProbe<String> events;
  final CompletableFuture<Done> sent = new CompletableFuture<>();
  /** Complete at once, as for plain text; a {@link #handshaking} one waits for the test. */
  final CompletableFuture<Done> ready = new CompletableFuture<>();
  private final boolean slowReader;
  private boolean closed;

  FakeConnection(TestProbe<String> events) {
    this(events, false);
  }

  /** @param slowReader whether closing leaves {@link #sent} for the test to complete */
  FakeConnection(TestProbe<String> events, boolean slowReader) {
    this(events, slowReader, true);
  }

  private FakeConnection(TestProbe<String> events, boolean slowReader, boolean ready) {
    this.events = events;
    this.slowReader = slowReader;
    if (ready) {
      this.ready.complete(Done.getInstance());
    }
  }

  /** A TLS connection whose handshake has not finished: the test completes {@link #ready}. */
  static FakeConnection handshaking(TestProbe<String> events) {
    return new FakeConnection(events, false, false);
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
  public CompletionStage<Done> ready() {
    return ready;
  }

  @Override
  public CompletionStage<Done> sent() {
    return sent;
  }

  /** A normal close is seen as {@value #ENDED}. */
  @Override
  public void end() {
    events.ref().tell(ENDED);
  }

  @Override
  public void abort() {
    events.ref().tell(ABORTED);
  }
}
