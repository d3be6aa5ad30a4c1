package chat.testing;

import chat.delivery.Outbox;
import chat.protocol.Event;
import chat.protocol.JsonLines;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.util.ByteString;

/** An outbox that hands every offered line to a probe, so tests see what a client would get. */
public final class ProbeOutbox implements Outbox {

  public final TestProbe<ByteString> probe;
  private final boolean accepting;

  /** Offers that contain this text throw, as a bug on the server's side would; null for none. */
  private final String failOn;

  private ProbeOutbox(TestProbe<ByteString> probe, boolean accepting, String failOn) {
    this.probe = probe;
    this.accepting = accepting;
    this.failOn = failOn;
  }

  private ProbeOutbox(TestProbe<ByteString> probe, boolean accepting) {
    this(probe, accepting, null);
  }

  /** An outbox that throws when offered a line containing {@code text}, recording the others. */
  public static ProbeOutbox failingOn(ActorTestKit testKit, String text) {
    return new ProbeOutbox(testKit.createTestProbe(), true, text);
  }

  public static ProbeOutbox create(ActorTestKit testKit) {
    return new ProbeOutbox(testKit.createTestProbe(), true);
  }

  /** An outbox that is always full: it records what was offered and refuses it. */
  public static ProbeOutbox full(ActorTestKit testKit) {
    return new ProbeOutbox(testKit.createTestProbe(), false);
  }

  /** The probe gets each line alone, however many the room offered at once. */
  @Override
  public boolean offer(ByteString lines) {
    if (failOn != null && lines.utf8String().contains(failOn)) {
      throw new IllegalStateException("a fault the test planted");
    }
    if (lines.isEmpty()) {
      probe.ref().tell(ByteString.fromString("<an offer of nothing>"));
    }
    int start = 0;
    for (int end = lines.indexOf((byte) '\n'); end >= 0; end = lines.indexOf((byte) '\n', start)) {
      probe.ref().tell(lines.slice(start, end + 1));
      start = end + 1;
    }
    return accepting;
  }

  /** What the outbox says it holds; a test sets it to play a client that is behind. */
  public volatile long queued;

  @Override
  public long queuedBytes() {
    return queued;
  }

  @Override
  public void close() {
    throw new AssertionError("the Delivery never closes an outbox");
  }

  /** The next line, without its newline. */
  public String nextLine() {
    return probe.receiveMessage().utf8String().stripTrailing();
  }

  public ByteString expectLine(String line) {
    ByteString bytes = probe.receiveMessage();
    org.junit.jupiter.api.Assertions.assertEquals(line + "\n", bytes.utf8String());
    return bytes;
  }

  /** The next line, read as a machine-mode event of the given type. */
  public <T extends Event> T expectEvent(Class<T> type) {
    String line = probe.receiveMessage().utf8String();
    Event event = JsonLines.read(line).orElseThrow(() -> new AssertionError("not an event: " + line));
    return org.junit.jupiter.api.Assertions.assertInstanceOf(type, event, line);
  }

  public void expectNothing() {
    probe.expectNoMessage(java.time.Duration.ofMillis(50));
  }
}
