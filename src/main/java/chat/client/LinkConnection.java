package chat.client;

import chat.client.trust.TrustedServer;
import chat.protocol.ClientLines;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.CompletionStrategy;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSource;

/**
 * One connection of a {@link ServerLink}, and what the link knows of it: whether the password
 * and a join went out on it, whether the server said anything, and the line given to its
 * outbound stream and not yet taken. Lines go out one at a time: the stream acknowledges each to
 * the link (with the {@code pushed} message) before the next may be given. Plain state, used on
 * the link's thread.
 */
final class LinkConnection {

  /** A line waiting to go out; {@code ackTo} for piped input, {@code quit} for {@code !quit}. */
  record Pending(String line, ActorRef<ServerLink.InputAck> ackTo, boolean quit) {
    static final Pending QUIT = new Pending(ClientLines.QUIT, null, true);

    static Pending typed(String line) {
      return new Pending(line, null, false);
    }

    /** Whether the user typed it (rather than piping it, or quitting). */
    boolean typed() {
      return ackTo == null && !quit;
    }
  }

  /** What goes into the outbound stream: a line, or its end (a half-close). */
  private sealed interface Outgoing {}

  private record Line(String text) implements Outgoing {}

  private enum End implements Outgoing {
    INSTANCE
  }

  final int id;
  final ChatClient client;
  private final ActorRef<Outgoing> out;
  /** Whether the server password went out on this connection. */
  boolean passwordSent;
  /** Whether the server has sent anything on this connection. */
  boolean heard;
  /** Whether the server closes it because no join came in time (the user was choosing a name). */
  boolean joinTimedOut;
  /** The name of a join (or resume) sent on this connection and not answered yet; null if none. */
  String joinUnanswered;
  private boolean ready = true;
  private Pending inFlight;

  private LinkConnection(int id, ChatClient client, ActorRef<Outgoing> out) {
    this.id = id;
    this.client = client;
    this.out = out;
  }

  /**
   * Starts connecting. Each line the outbound stream takes is acknowledged with {@code pushed} to
   * {@code ackTo}; each line from the server goes to {@code listener}.
   */
  static <A> LinkConnection connect(
      ActorSystem<?> system,
      ClientSettings settings,
      Optional<TrustedServer> tls,
      int id,
      ActorRef<A> ackTo,
      A pushed,
      Consumer<String> listener) {
    Pair<ActorRef<Outgoing>, Source<Outgoing, NotUsed>> outbound =
        ActorSource.<Outgoing, A>actorRefWithBackpressure(
                ackTo,
                pushed,
                element ->
                    element == End.INSTANCE
                        ? Optional.of(CompletionStrategy.draining())
                        : Optional.empty(),
                element -> Optional.empty())
            .preMaterialize(system);
    Source<String, NotUsed> lines =
        outbound.second().filter(Line.class::isInstance).map(line -> ((Line) line).text());
    ChatClient client = ChatClient.connect(system, settings, tls, lines, listener);
    return new LinkConnection(id, client, outbound.first());
  }

  /** Whether the outbound stream can take a line now (the link sends once connected only). */
  boolean ready() {
    return ready;
  }

  /** Gives the stream a line; {@code origin} is what to acknowledge once it is taken. */
  void send(String line, Pending origin) {
    ready = false;
    inFlight = origin;
    out.tell(new Line(line));
  }

  /** The stream took the last line: returns what it was, if it came from the pending lines. */
  Optional<Pending> pushed() {
    ready = true;
    Pending sent = inFlight;
    inFlight = null;
    return Optional.ofNullable(sent);
  }

  /** The line given and not taken when the connection ended: it never reached the server. */
  Optional<Pending> unsent() {
    return Optional.ofNullable(inFlight).filter(pending -> !pending.quit());
  }

  /** Half-closes after the lines given: the server still sends until it closes. */
  void end() {
    out.tell(End.INSTANCE);
  }

  /** Cuts the connection at once. */
  void abort() {
    client.abort();
  }
}
