package chat.server;

import chat.delivery.Encoded;
import chat.protocol.Event;
import chat.protocol.Mode;
import chat.room.ChatRoom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSink;
import org.apache.pekko.util.ByteString;

/**
 * What every transport's connection shares: the client's bytes framed into lines and fed to its
 * {@link Session} with backpressure, and an {@link OutboxStage} towards the client that the room
 * and the session offer lines to without waiting. A transport ({@link TcpServer}, the web
 * listener's WebSocket) lays its own bytes around these two ends and says how to cut it.
 */
public abstract class StreamConnection implements Connection {

  /** Done already: a connection whose stream is running when it is offered. */
  protected static final CompletionStage<Done> READY =
      CompletableFuture.completedFuture(Done.getInstance());

  /**
   * Lines a busy session gets in one message: the framing stops reading once it holds this many
   * (the lines of that last read come along too).
   */
  private static final int INBOUND_BATCH = 256;

  private final String peer;
  private final boolean machineOnly;
  private volatile Mode mode;
  private volatile ActorRef<Session.Command> session;
  private OutboxStage.Outbox outbox;

  /**
   * @param peer the client's address and port, for logs
   * @param machineOnly whether the transport carries machine mode only (a WebSocket)
   */
  protected StreamConnection(String peer, boolean machineOnly) {
    this.peer = peer;
    this.machineOnly = machineOnly;
    this.mode = machineOnly ? Mode.JSON : Mode.TEXT;
  }

  /** The client's lines, framed from its bytes, to {@code session}: it acknowledges each batch. */
  public static Sink<ByteString, NotUsed> inbound(
      ActorRef<Session.Command> session, ServerSettings settings) {
    return LineFraming.batched(settings.maxLineBytes(), INBOUND_BATCH)
        .to(ActorSink.actorRefWithBackpressure(
            session,
            Session.FramesReceived::new,
            Session.StreamStarted::new,
            ChatRoom.Processed.INSTANCE,
            Session.StreamCompleted.INSTANCE,
            Session.StreamFailed::new));
  }

  /**
   * The bytes for the client: the outbox, which this connection offers to once the stream runs.
   * A client that stays behind for the slow-client timeout is reported to its session, once the
   * connection is {@link #attachedTo attached} to one.
   */
  public Source<ByteString, NotUsed> outbound(ServerSettings settings, ServerMetrics metrics) {
    return Source.fromGraph(new OutboxStage(
            settings.outboxBytes(),
            metrics.outboxDrops,
            settings.slowClientTimeout(),
            this::missedLine,
            this::fellBehind))
        .mapMaterializedValue(outbox -> {
          this.outbox = outbox;
          return NotUsed.getInstance();
        });
  }

  /** The session this connection feeds, from now on told when its client falls behind. */
  protected void attachedTo(ActorRef<Session.Command> session) {
    this.session = session;
  }

  private ByteString missedLine(long missed) {
    return Encoded.line(new Event.Missed(System.currentTimeMillis(), missed), mode, null);
  }

  private void fellBehind() {
    ActorRef<Session.Command> attached = session;
    if (attached != null) {
      attached.tell(Session.FellBehind.INSTANCE);
    }
  }

  @Override
  public boolean offer(ByteString line) {
    return outbox.buffer().offer(line);
  }

  @Override
  public void close() {
    outbox.buffer().close();
  }

  @Override
  public void discard() {
    outbox.buffer().discard();
  }

  @Override
  public long queuedBytes() {
    return outbox.buffer().queuedBytes();
  }

  @Override
  public void mode(Mode mode) {
    this.mode = mode;
  }

  @Override
  public boolean machineOnly() {
    return machineOnly;
  }

  @Override
  public CompletionStage<Done> sent() {
    return outbox.stopped();
  }

  @Override
  public String peer() {
    return peer;
  }

  /** What a connection's stream fails with when the server cuts it. */
  protected static RuntimeException cut() {
    return new OutboxStage.ConnectionCut();
  }

  /** Cuts the stream: the outbox fails, which ends the connection, dropping what it held. */
  @Override
  public void abort() {
    outbox.buffer().abort();
  }
}
