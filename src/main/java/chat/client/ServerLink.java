package chat.client;

import chat.client.LinkConnection.Pending;
import chat.client.trust.TrustedServer;
import chat.protocol.ClientLines;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.typed.javadsl.ActorSink;

/**
 * The client's side of the chat across connections: connects, joins in JSON mode, sends what the
 * user types once the client is in, and when the connection drops unexpectedly connects again with
 * growing pauses and resumes the session (token, room, last message seen), holding typed lines
 * meanwhile. A front (piped or terminal) spawns one per run and hears from it through a {@link
 * Listener}, called on this actor's thread; it stops after {@link Listener#ended} or {@link Stop}.
 */
public final class ServerLink extends AbstractBehavior<ServerLink.Command> {

  public sealed interface Command {}

  /** Joins under {@code name}, already checked by the front; again after a refusal. */
  public record Join(String name) implements Command {}

  /** The server password, sent before the next join and every one after (a reconnect's too). */
  public record UsePassword(String password) implements Command {
    @Override
    public String toString() {
      return "UsePassword[****]";
    }
  }

  /** A typed line without line breaks: sent once in the chat, held (up to a bound) until then. */
  public record Say(String line) implements Command {}

  /** Leaves now: {@code !quit} if connected, and no more reconnects. */
  public enum Quit implements Command {
    INSTANCE
  }

  /** The front has finished on its own: closes the connection without a word, and stops. */
  public enum Stop implements Command {
    INSTANCE
  }

  /** Acknowledges a line of piped input: the next may come. */
  public enum InputAck {
    INSTANCE
  }

  private record InputStarted(ActorRef<InputAck> ackTo) implements Command {}

  private record InputLine(ActorRef<InputAck> ackTo, String line) implements Command {}

  private enum InputEnded implements Command {
    INSTANCE
  }

  private record Connected(int id) implements Command {}

  private record ConnectFailed(int id, Throwable cause) implements Command {}

  private record LineReceived(int id, String line) implements Command {}

  private record Closed(int id, Throwable failure) implements Command {}

  /** The connection's outbound stream took the last line given to it. */
  private record Pushed(int id) implements Command {}

  private enum RetryDue implements Command {
    INSTANCE
  }

  private record AnswerTimedOut(int id) implements Command {}

  private enum QuitTimedOut implements Command {
    INSTANCE
  }

  /** What a link tells its front, on the link's thread, in order. */
  public interface Listener {
    /** The first connection is open; the front may ask for a name. */
    void connected();

    /** A line from the server, classified, with who the client is now. */
    void received(Conversation.Step step, Conversation.Me me);

    /** Something about the link itself: lost, reconnected, a line not sent. */
    void notice(String text);

    /** The end: the exit code, and what to tell the user, if anything. Called once, last. */
    void ended(int exitCode, Optional<String> message);
  }

  /**
   * @param quitWait how long to wait for the server to close after {@code !quit}
   * @param heldLines how many typed lines may wait for the server
   * @param tls how to check the server, when connecting with TLS
   */
  public record Settings(
      ClientSettings client,
      Backoff backoff,
      Duration quitWait,
      int heldLines,
      Optional<TrustedServer> tls) {

    /** Plain text. */
    public Settings(ClientSettings client, Backoff backoff, Duration quitWait, int heldLines) {
      this(client, backoff, quitWait, heldLines, Optional.empty());
    }
  }

  public static final String LOST = "Connection lost; reconnecting...";
  public static final String RECONNECTED = "Reconnected.";
  public static final String GAVE_UP = "Could not reconnect.";
  public static final String NOT_SENT = "Not sent: too many lines are waiting for the server.";
  /** Before a line typed while the client is not in the chat: it goes once the client is back. */
  public static final String WAITING = "Waiting to send: ";
  /** Before each typed line that never went out, when the link ends without having sent it. */
  public static final String UNSENT = "Not sent: ";
  public static final String WRONG_PASSWORD = "Wrong password.";
  public static final String PASSWORD_NOT_NEEDED =
      "This server has no password; none is sent from now on.";

  private static final AtomicInteger LINKS = new AtomicInteger();

  /** Starts a link on {@code system}; it connects at once. */
  public static ActorRef<Command> spawn(
      ActorSystem<?> system, Settings settings, Listener listener) {
    Behavior<Command> behavior =
        Behaviors.setup(
            context ->
                Behaviors.withTimers(
                    timers -> new ServerLink(context, timers, settings, listener)));
    return system.systemActorOf(behavior, "server-link-" + LINKS.incrementAndGet(), Props.empty());
  }

  /**
   * Piped input into the link, with backpressure: each line is acknowledged once it has gone to
   * the server, so input is read no faster than it is sent, and not at all while reconnecting. The
   * end of input sends {@code !quit} after the lines before it.
   */
  public static Sink<String, NotUsed> input(ActorRef<Command> link) {
    return ActorSink.actorRefWithBackpressure(
        link,
        InputLine::new,
        InputStarted::new,
        InputAck.INSTANCE,
        InputEnded.INSTANCE,
        failure -> InputEnded.INSTANCE);
  }

  private final TimerScheduler<Command> timers;
  private final Settings settings;
  private final Listener listener;
  private final Conversation conversation = new Conversation();
  private final Deque<Pending> pending = new ArrayDeque<>();
  private LinkConnection connection;
  private int connections;
  private boolean everConnected;
  private String requestedName;
  private boolean quitting;
  private boolean quitSent;
  private long lostAtNanos = -1;
  private int attempt;
  private Optional<String> password;

  private ServerLink(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      Settings settings,
      Listener listener) {
    super(context);
    this.timers = timers;
    this.settings = settings;
    this.listener = listener;
    this.password = settings.client().password();
    connect();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Join.class, this::onJoin)
        .onMessage(UsePassword.class, this::onUsePassword)
        .onMessage(Say.class, this::onSay)
        .onMessage(InputStarted.class, this::onInputStarted)
        .onMessage(InputLine.class, this::onInputLine)
        .onMessageEquals(InputEnded.INSTANCE, this::onInputEnded)
        .onMessageEquals(Quit.INSTANCE, this::onQuit)
        .onMessageEquals(Stop.INSTANCE, this::onStop)
        .onMessage(Connected.class, this::onConnected)
        .onMessage(ConnectFailed.class, this::onConnectFailed)
        .onMessage(LineReceived.class, this::onLineReceived)
        .onMessage(Pushed.class, this::onPushed)
        .onMessage(Closed.class, this::onClosed)
        .onMessageEquals(RetryDue.INSTANCE, this::onRetryDue)
        .onMessage(AnswerTimedOut.class, this::onAnswerTimedOut)
        .onMessageEquals(QuitTimedOut.INSTANCE, () -> end(0, null, true))
        .build();
  }

  // What the front asks.

  private Behavior<Command> onJoin(Join join) {
    requestedName = join.name();
    pump();
    return this;
  }

  /**
   * Before the first welcome the password comes after a refusal, perhaps long after (the user
   * typed it): the server's join timeout runs from the connection's start, so the join goes on
   * a fresh connection.
   */
  private Behavior<Command> onUsePassword(UsePassword given) {
    password = Optional.of(given.password());
    if (connection != null && connection.open && !conversation.welcomed()) {
      closeConnection(false);
      connect();
    } else if (connection != null) {
      connection.passwordSent = false;
      pump();
    }
    return this;
  }

  /** A typed line; one typed while the client is not in the chat is shown as waiting. */
  private Behavior<Command> onSay(Say say) {
    boolean inChat = connection != null && connection.joined;
    if (!quitting && hold(Pending.typed(say.line())) && !inChat) {
      listener.notice(WAITING + say.line());
    }
    return this;
  }

  private Behavior<Command> onInputStarted(InputStarted started) {
    started.ackTo().tell(InputAck.INSTANCE);
    return this;
  }

  private Behavior<Command> onInputLine(InputLine input) {
    pending.addLast(new Pending(input.line(), input.ackTo(), false)); // one at a time: no bound
    pump();
    return this;
  }

  private Behavior<Command> onInputEnded() {
    if (requestedName != null || conversation.name() != null) {
      pending.addLast(Pending.QUIT);
      pump();
    }
    return this;
  }

  private Behavior<Command> onQuit() {
    quitting = true;
    timers.cancel(RetryDue.INSTANCE);
    tellUnsent();
    pending.clear();
    if (connection == null || !connection.open) {
      return end(0, null, true);
    }
    pending.addFirst(Pending.QUIT);
    timers.startSingleTimer(QuitTimedOut.INSTANCE, settings.quitWait());
    pump();
    return this;
  }

  private Behavior<Command> onStop() {
    closeConnection(false);
    return Behaviors.stopped();
  }

  /** Queues a line to go out in turn; false, after saying so, when too many wait already. */
  private boolean hold(Pending line) {
    if (pending.size() >= settings.heldLines()) {
      listener.notice(NOT_SENT);
      return false;
    }
    pending.addLast(line);
    pump();
    return true;
  }

  /** Says which typed lines never went out: the link is ending, or the user is leaving. */
  private void tellUnsent() {
    pending.stream()
        .filter(Pending::typed)
        .forEach(line -> listener.notice(UNSENT + line.line()));
  }

  // The connection.

  private void connect() {
    int id = ++connections;
    ActorRef<Command> self = getContext().getSelf();
    connection =
        LinkConnection.connect(
            getContext().getSystem(),
            settings.client(),
            settings.tls(),
            id,
            self.<Pushed>narrow(),
            new Pushed(id),
            line -> self.tell(new LineReceived(id, line)));
    getContext()
        .pipeToSelf(
            connection.client.connected(),
            (done, error) -> error == null ? new Connected(id) : new ConnectFailed(id, error));
    getContext().pipeToSelf(connection.client.closed(), (done, error) -> new Closed(id, error));
  }

  private boolean isCurrent(int id) {
    return connection != null && connection.id == id;
  }

  private Behavior<Command> onConnected(Connected connected) {
    if (!isCurrent(connected.id())) {
      return this;
    }
    connection.open = true;
    if (!everConnected) {
      everConnected = true;
      listener.connected();
    }
    connection.rejoinDue = conversation.welcomed();
    pump();
    return this;
  }

  private Behavior<Command> onConnectFailed(ConnectFailed failed) {
    if (!isCurrent(failed.id())) {
      return this;
    }
    connection = null;
    if (!conversation.welcomed()) {
      return end(1, unwrap(failed.cause()).getMessage(), false);
    }
    getContext().getLog().debug("Reconnect failed: {}", failed.cause().toString());
    return retryLater();
  }

  private Behavior<Command> onAnswerTimedOut(AnswerTimedOut timedOut) {
    if (isCurrent(timedOut.id()) && !connection.joined) {
      connection.abort(); // the Closed that follows tries again
    }
    return this;
  }

  /**
   * Gives the outbound stream its next line, when it can take one: the password before a join,
   * the join (or the resume), then what waits.
   */
  private void pump() {
    LinkConnection current = connection;
    if (current == null || !current.ready()) {
      return;
    }
    boolean joinDue = current.rejoinDue || (requestedName != null && !conversation.welcomed());
    if (joinDue && password.isPresent() && !current.passwordSent) {
      current.passwordSent = true;
      current.send(ClientLines.PASSWORD_PREFIX + password.get(), null);
      return;
    }
    if (current.rejoinDue) {
      current.rejoinDue = false;
      current.send(conversation.rejoinLine(), null);
      timers.startSingleTimer(new AnswerTimedOut(current.id), ChatClient.CONNECT_TIMEOUT);
      return;
    }
    if (requestedName != null && !conversation.welcomed()) {
      current.send(conversation.joinLine(requestedName), null);
      current.joinUnanswered = requestedName;
      requestedName = null;
      return;
    }
    Pending next = pending.peekFirst();
    if (next != null && (current.joined || next.quit())) {
      current.send(pending.removeFirst().line(), next);
    }
  }

  private Behavior<Command> onPushed(Pushed pushed) {
    if (!isCurrent(pushed.id())) {
      return this;
    }
    Optional<Pending> sent = connection.pushed();
    sent.map(Pending::ackTo).ifPresent(ackTo -> ackTo.tell(InputAck.INSTANCE));
    if (sent.filter(Pending::quit).isPresent()) {
      quitSent = true;
      conversation.quitSent();
      connection.end();
      timers.startSingleTimer(QuitTimedOut.INSTANCE, settings.quitWait());
    }
    pump();
    return this;
  }

  private Behavior<Command> onLineReceived(LineReceived received) {
    if (!isCurrent(received.id())) {
      return this;
    }
    connection.heard = true;
    Conversation.Step step = conversation.onLine(received.line());
    if (step instanceof Conversation.WrongPassword) {
      return end(1, WRONG_PASSWORD, false);
    }
    if (step instanceof Conversation.PasswordNotNeeded) {
      password = Optional.empty();
      listener.notice(PASSWORD_NOT_NEEDED);
      return this;
    }
    if (step instanceof Conversation.ForPeople forPeople) {
      connection.joinTimedOut = forPeople.timedOut();
      return this;
    }
    if (step instanceof Conversation.Refused || step instanceof Conversation.Welcomed) {
      connection.joinUnanswered = null;
    }
    if (step instanceof Conversation.Refused refused && refused.rejoin()) {
      return end(1, "Could not rejoin as " + conversation.name() + ": " + refused.reason(), false);
    }
    if (step instanceof Conversation.Welcomed welcomed) {
      connection.joined = true;
      timers.cancel(new AnswerTimedOut(connection.id));
      if (welcomed.rejoin()) {
        lostAtNanos = -1;
        attempt = 0;
        listener.notice(RECONNECTED);
      }
    }
    listener.received(step, conversation.me());
    if (step instanceof Conversation.ShutDown) {
      return end(0, "Server has shut down.", false);
    }
    pump();
    return this;
  }

  private Behavior<Command> onClosed(Closed closed) {
    if (!isCurrent(closed.id())) {
      return this;
    }
    LinkConnection ended = connection;
    connection = null;
    timers.cancel(new AnswerTimedOut(ended.id));
    ended.unsent().ifPresent(pending::addFirst); // never reached the server: sent after a rejoin
    if (quitting || quitSent) {
      return end(0, null, false);
    }
    if (!conversation.welcomed() && ended.joinTimedOut) {
      // The server's join timeout ran while the user chose a name: a new connection waits for
      // it, or takes the join that came too late.
      if (requestedName == null) {
        requestedName = ended.joinUnanswered;
      }
      connect();
      return this;
    }
    if (!conversation.welcomed()) {
      return end(1, firstCloseMessage(ended, closed.failure()), false);
    }
    Optional<String> refused = ConnectionProblems.certificateRefused(closed.failure());
    if (refused.isPresent()) {
      return end(1, "Not reconnecting: " + refused.get() + ". Someone may be between you and"
          + " the server: start the client again to see what it shows.", false);
    }
    if (!conversation.shouldReconnect()) {
      return end(1, "Server closed the connection.", false); // kicked, or taken over
    }
    if (closed.failure() != null) {
      getContext().getLog().debug("Connection lost: {}", closed.failure().toString());
    }
    if (lostAtNanos < 0) {
      lostAtNanos = System.nanoTime();
      listener.notice(LOST);
    }
    return retryLater();
  }

  /** Why the first connection ended before the client was in, with a hint where one helps. */
  private String firstCloseMessage(LinkConnection ended, Throwable failure) {
    String target = settings.client().host() + ":" + settings.client().port();
    Optional<String> handshake = ConnectionProblems.tlsFailure(failure);
    if (handshake.isPresent()) {
      return "TLS handshake with " + target + " failed (" + handshake.get() + ").";
    }
    if (!ended.heard && settings.tls().isEmpty() && failure == null) {
      return ConnectionProblems.closedWithoutAWord(target);
    }
    return failure != null ? "Connection to server lost." : "Server closed the connection.";
  }

  private Behavior<Command> retryLater() {
    timers.startSingleTimer(RetryDue.INSTANCE, settings.backoff().delay(attempt++));
    return this;
  }

  private Behavior<Command> onRetryDue() {
    Duration down = Duration.ofNanos(System.nanoTime() - lostAtNanos);
    if (down.compareTo(settings.backoff().giveUpAfter()) >= 0) {
      return end(1, GAVE_UP, false);
    }
    connect();
    return this;
  }

  /** Tells the front how it ended, closes what is left of the connection, and stops. */
  private Behavior<Command> end(int exitCode, String message, boolean abort) {
    tellUnsent();
    listener.ended(exitCode, Optional.ofNullable(message));
    closeConnection(abort);
    return Behaviors.stopped();
  }

  private void closeConnection(boolean abort) {
    if (connection == null) {
      return;
    }
    if (abort) {
      connection.abort();
    } else {
      connection.end();
    }
    connection = null;
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }
}
