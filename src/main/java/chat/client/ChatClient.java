package chat.client;

import chat.client.trust.TrustedServer;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.IgnoreComplete$;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Framing;
import org.apache.pekko.stream.javadsl.FramingTruncation;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to the chat server, plain or over TLS, as a stream: each line given is sent
 * {@code \n}-terminated; the lines the server sends reach a listener in order. The {@link
 * ServerLink} makes one per connection (a reconnect makes a new one); it ends when the server
 * closes the connection, the connection is lost, or it is aborted.
 */
public final class ChatClient {

  /** Longest line accepted from the server, in bytes; a longer one ends the connection. */
  public static final int MAX_INCOMING_LINE_BYTES = 1024 * 1024;

  /** How long to try to connect before giving up. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(ChatClient.class);
  private static final ByteString NEWLINE = ByteString.fromString("\n");

  private final CompletionStage<Done> connected;
  private final CompletionStage<Done> closed;
  private final UniqueKillSwitch outbound;

  private ChatClient(
      CompletionStage<Done> connected, CompletionStage<Done> closed, UniqueKillSwitch outbound) {
    this.connected = connected;
    this.closed = closed;
    this.outbound = outbound;
  }

  /**
   * Connects to the server and starts the stream. {@code lines} are sent one per line, so they must
   * not contain a line break; completing them half-closes the connection (the client still reads
   * until the server closes). The listener is called on a stream thread, one line at a time, in
   * order.
   */
  public static ChatClient connect(
      ActorSystem<?> system,
      ClientSettings settings,
      Source<String, ?> lines,
      Consumer<String> listener) {
    return connect(system, settings, Optional.empty(), lines, listener);
  }

  /**
   * Connects as {@link #connect(ActorSystem, ClientSettings, Source, Consumer)} does, over TLS
   * when {@code tls} says how to check the server. {@link #connected()} then completes once the
   * TCP connection is made; a failed handshake fails {@link #closed()}.
   */
  public static ChatClient connect(
      ActorSystem<?> system,
      ClientSettings settings,
      Optional<TrustedServer> tls,
      Source<String, ?> lines,
      Consumer<String> listener) {
    String target = settings.host() + ":" + settings.port();
    InetSocketAddress address =
        InetSocketAddress.createUnresolved(settings.host(), settings.port());
    Flow<ByteString, ByteString, CompletionStage<Tcp.OutgoingConnection>> connection =
        tls.isEmpty()
            ? Tcp.get(system)
                .outgoingConnection(
                    address,
                    Optional.empty(),
                    List.of(),
                    true, // half-close: after our !quit the server's last lines still arrive
                    Optional.of(CONNECT_TIMEOUT),
                    Optional.empty())
            : Tcp.get(system)
                .outgoingConnectionWithTls(
                    address,
                    () -> tls.get().engine(settings.host(), settings.port()),
                    Optional.empty(),
                    List.of(),
                    Optional.of(CONNECT_TIMEOUT),
                    Optional.empty(),
                    session -> Optional.empty(), // the engine's trust manager has checked it
                    // No close_notify after our !quit: the server's last lines still arrive.
                    IgnoreComplete$.MODULE$);
    Pair<Pair<UniqueKillSwitch, CompletionStage<Tcp.OutgoingConnection>>, CompletionStage<Done>>
        materialized =
            lines
                .viaMat(KillSwitches.single(), Keep.right())
                .map(ChatClient::line)
                .viaMat(connection, Keep.both())
                .via(Framing.delimiter(NEWLINE, MAX_INCOMING_LINE_BYTES, FramingTruncation.ALLOW))
                .map(ChatClient::decode)
                .toMat(Sink.foreach(listener::accept), Keep.both())
                .run(system);
    CompletionStage<Done> connected =
        materialized
            .first()
            .second()
            .handle(
                (outgoing, error) -> {
                  if (error != null) {
                    throw new CompletionException(cannotConnect(target, error));
                  }
                  log.debug("Connected to [{}]", target);
                  return Done.done();
                });
    CompletionStage<Done> closed = connected.thenCompose(done -> materialized.second());
    return new ChatClient(connected, closed, materialized.first().first());
  }

  /**
   * Cuts the connection at once, with a reset: {@link #closed()} then fails. Lines not yet sent are
   * lost. For a server that does not answer, or does not close after {@code !quit}.
   */
  public void abort() {
    outbound.abort(new ConnectionAborted());
  }

  /**
   * Completes when the connection is open; fails with a {@link ConnectException} whose message is
   * one clear line, such as {@code Cannot connect to 127.0.0.1:50007: Connection refused}.
   */
  public CompletionStage<Done> connected() {
    return connected;
  }

  /**
   * Completes when the server has closed the connection and every line it sent has reached the
   * listener; fails when the connection could not be made or was lost (reset, error).
   */
  public CompletionStage<Done> closed() {
    return closed;
  }

  /** A line to send, as bytes: UTF-8 with the terminating {@code \n}. */
  public static ByteString line(String text) {
    return ByteString.fromString(text + "\n", StandardCharsets.UTF_8);
  }

  /** A framed line as text: UTF-8, without a trailing {@code \r}. */
  static String decode(ByteString frame) {
    String text = frame.utf8String();
    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }

  /** Why a connection was cut by this client. */
  static final class ConnectionAborted extends Exception {
    ConnectionAborted() {
      super("aborted by the client", null, false, false);
    }
  }

  private static ConnectException cannotConnect(String target, Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    ConnectException exception =
        new ConnectException("Cannot connect to " + target + ": " + reason(cause));
    exception.initCause(cause);
    return exception;
  }

  /**
   * The root cause in words: Pekko reports {@code Tcp command [Connect(...)] failed because of
   * java.net.ConnectException: Connection refused}, and users need only the last part.
   */
  static String reason(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof UnknownHostException) {
      return "unknown host";
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }
}
