package chat.server.web;

import chat.delivery.Encoded;
import chat.protocol.Event;
import chat.protocol.Mode;
import chat.server.ConnectionOffer;
import chat.server.Gatekeeper;
import chat.server.ServerMetrics;
import chat.server.ServerSettings;
import chat.server.Session;
import chat.server.StreamConnection;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * One WebSocket: the offer the {@link Gatekeeper} admits or refuses, and then its session's
 * connection. pekko-http runs the socket's stream as soon as the handshake is done, so the stream
 * starts first and asks the Gatekeeper in; its frames wait until a session takes them up (or the
 * refusal is sent). Each text frame from the client is a line, as on TCP (a frame holding
 * newlines is that many lines; a binary frame is read as UTF-8 text); each line for the client
 * goes as one text frame, always in machine mode.
 */
final class WebSocketConnection extends StreamConnection implements ConnectionOffer {

  private static final ByteString NEWLINE = ByteString.fromString("\n");

  private final InetAddress address;
  /** Where the client's lines go: its session's stream, once admitted; nowhere, if refused. */
  private final CompletableFuture<Sink<ByteString, NotUsed>> lines = new CompletableFuture<>();
  private final ServerSettings settings;
  /** Ends the frames to the client: with a close frame, or at once. */
  private volatile UniqueKillSwitch frames;

  WebSocketConnection(InetAddress address, int port, ServerSettings settings) {
    super(address.getHostAddress() + ":" + port, true);
    this.address = address;
    this.settings = settings;
  }

  /** The socket's stream, which asks {@code gatekeeper} to let it in once it runs. */
  Flow<Message, Message, NotUsed> flow(ServerMetrics metrics,
      ActorRef<Gatekeeper.Command> gatekeeper) {
    Sink<Message, NotUsed> inbound = Flow.<Message>create()
        .flatMapConcat(WebSocketConnection::bytes)
        // No bytes, first: the lazy sink starts the session's side as soon as it is admitted,
        // so the session learns of a client that closes before it has sent anything.
        .prepend(Source.single(ByteString.emptyByteString()))
        .to(Sink.lazyCompletionStageSink(() -> lines));
    Source<Message, NotUsed> outbound = outbound(settings, metrics)
        .mapConcat(WebSocketConnection::frames)
        .viaMat(KillSwitches.single(), Keep.right())
        .mapMaterializedValue(killSwitch -> {
          frames = killSwitch;
          return NotUsed.getInstance();
        });
    return Flow.fromSinkAndSource(inbound, outbound)
        .mapMaterializedValue(unused -> {
          gatekeeper.tell(new Gatekeeper.Admit(this));
          return NotUsed.getInstance();
        });
  }

  /** A frame's bytes as one line: the framing skips one over the limit without holding it. */
  private static Source<ByteString, ?> bytes(Message message) {
    // A whole frame (the usual case) is one element; only a streamed one needs a substream.
    if (message.isText()) {
      TextMessage text = message.asTextMessage();
      return text.isStrict()
          ? Source.single(ByteString.fromString(text.getStrictText()).concat(NEWLINE))
          : text.getStreamedText().map(ByteString::fromString).concat(Source.single(NEWLINE));
    }
    BinaryMessage binary = message.asBinaryMessage();
    return binary.isStrict() ? Source.single(binary.getStrictData().concat(NEWLINE))
        : binary.getStreamedData().concat(Source.single(NEWLINE));
  }

  /** The outbox's lines, a frame each. */
  private static List<Message> frames(ByteString lines) {
    List<Message> frames = new ArrayList<>();
    int start = 0;
    for (int end = lines.indexOf('\n'); end >= 0; end = lines.indexOf('\n', start)) {
      frames.add(TextMessage.create(lines.slice(start, end).utf8String()));
      start = end + 1;
    }
    if (start < lines.length()) {
      frames.add(TextMessage.create(lines.drop(start).utf8String()));
    }
    return frames;
  }

  @Override
  public InetAddress address() {
    return address;
  }

  @Override
  public chat.server.Connection attach(ActorRef<Session.Command> session) {
    attachedTo(session);
    lines.complete(StreamConnection.inbound(session, settings));
    return this;
  }

  @Override
  public void refuse(String reason) {
    lines.complete(Sink.<ByteString>ignore().mapMaterializedValue(done -> NotUsed.getInstance()));
    offer(Encoded.line(new Event.Error(System.currentTimeMillis(), reason), Mode.JSON, null));
    close();
  }

  @Override
  public CompletionStage<Done> ready() {
    return READY;
  }

  /**
   * Ends the socket with a close frame, dropping what was queued: a client that reads again
   * learns that the server closed it. One that never reads is cut by the HTTP server's idle
   * timeout.
   */
  @Override
  public void end() {
    frames.shutdown();
  }

  @Override
  public void abort() {
    frames.abort(cut());
  }
}
