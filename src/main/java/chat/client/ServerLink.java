package chat.client;

import chat.client.LinkConnection.Pending;
import chat.client.trust.TrustedServer;
import chat.protocol.ClientLines;
import chat.protocol.Event;
import chat.support.HostPort;
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
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.BehaviorBuilder;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.typed.javadsl.ActorSink;

/**
 * The client's side of the chat across connections: connects, joins in JSON mode, sends what the
 * user types once the client is in, and when the connection drops unexpectedly connects again with
 * growing pauses and resumes the session (token, rooms, last message seen in each), holding typed
 * lines meanwhile. One behaviour per phase: {@link #connecting}, {@link #joining}, {@link
 * #chatting}, {@link #reconnecting} (with {@link #waitingToRetry}) and {@link #quitting}. A front
 * (piped or terminal) spawns one per run and hears from it through a {@link Listener}, called on
 * this actor's thread (the front writes on a thread of its own: {@link FrontOutput}); the link
 * stops after {@link Listener#ended} or {@link Stop}.
 */
public final class ServerLink {

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
  /** How {@link #RECONNECTED} starts, and its form for another server: "Reconnected, to h:p." */
  public static final String RECONNECTED_PREFIX = "Reconnected";
  public static final String RECONNECTED_TO = RECONNECTED_PREFIX + ", to ";
  public static final String MOVING = "The server left the chat; going on at another node...";
  public static final String GAVE_UP = "Could not reconnect.";
  public static final String NOT_SENT = "Not sent: too many lines are waiting for the server.";
  /** Before a line typed while the client is not in the chat: it goes once the client is back. */
  public static final String WAITING = "Waiting to send: ";
  /** Before each typed line that never went out, when the link ends without having sent it. */
  public static final String UNSENT = "Not sent: ";
  public static final String WRONG_PASSWORD = "Wrong password.";
  public static final String SHUT_DOWN = "Server has shut down.";
  public static final String PASSWORD_NOT_NEEDED =
      "This server has no password; none is sent from now on.";

  private static final AtomicInteger LINKS = new AtomicInteger();

  /** What a phase that sends nothing of what waits gives a connection. */
  private static final Runnable NOTHING = () -> { };

  /** Starts a link on {@code system}; it connects at once. */
  public static ActorRef<Command> spawn(
      ActorSystem<?> system, Settings settings, Listener listener) {
    Behavior<Command> behavior = Behaviors.setup(context -> Behaviors.withTimers(
        timers -> new ServerLink(context, timers, settings, listener).start()));
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

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final Settings settings;
  private final Listener listener;
  private final Conversation conversation = new Conversation();
  /** Lines to go out in turn: typed, piped, and the {@code !quit}. */
  private final Deque<Pending> pending = new ArrayDeque<>();
  private int connections;
  private Optional<String> password;
  /** The name to join under, once a connection can take the join; null if none is asked. */
  private String requestedName;
  /** When the connection was lost, for giving up; and how many tries since. */
  private long lostAtNanos;
  private int attempt;

  private ServerLink(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      Settings settings,
      Listener listener) {
    this.context = context;
    this.timers = timers;
    this.settings = settings;
    this.listener = listener;
    this.password = settings.client().password();
    this.server = settings.client();
    this.untried = server.others().size();
  }

  /** The server connected to, or tried next: the given one, or another node of the chat. */
  private ClientSettings server;
  /** The other servers not yet tried for the first connection. */
  private int untried;
  /** The server of the connection lost last (null when it left the chat: the client moved). */
  private HostPort lostFrom;
  /** Whether the node said it was leaving the chat (the connection then ends). */
  private boolean leaving;

  /**
   * A reconnect failed: the next try goes to the next server of the chat, if there are others.
   */
  private Behavior<Command> retryElsewhere() {
    server = server.next();
    return waitingToRetry();
  }

  private Behavior<Command> start() {
    return connecting(connect(), true);
  }

  // Connecting: the first connection (or one after the server's join timeout) is being made.

  private Behavior<Command> connecting(LinkConnection connection, boolean first) {
    return whileWaiting(connection, NOTHING, Behaviors.receive(Command.class)
        .onMessage(Connected.class, connected -> isOf(connection, connected.id()),
            connected -> {
              if (first) {
                listener.connected();
              }
              return joining(connection);
            })
        .onMessage(ConnectFailed.class, failed -> isOf(connection, failed.id()), failed -> {
          if (first && untried > 0) { // the other servers of the chat, each once
            untried--;
            server = server.next();
            return connecting(connect(), true);
          }
          return end(connection, 1, unwrap(failed.cause()).getMessage(), false);
        })
        .onMessageEquals(Quit.INSTANCE, () -> quitAtOnce(connection)));
  }

  // Joining: the connection is open; the join (with the password first, if any) goes once the
  // user has chosen a name, and again after a refusal.

  private Behavior<Command> joining(LinkConnection connection) {
    sendJoin(connection);
    return whileWaiting(connection, () -> sendJoin(connection), Behaviors.receive(Command.class)
        .onMessage(Join.class, join -> {
          requestedName = join.name();
          sendJoin(connection);
          return Behaviors.same();
        })
        .onMessage(UsePassword.class, given -> {
          // The password comes after a refusal, perhaps long after (the user typed it): the
          // server's join timeout runs from the connection's start, so the join goes on a fresh
          // connection.
          password = Optional.of(given.password());
          connection.end();
          return connecting(connect(), false);
        })
        .onMessage(Pushed.class, pushed -> isOf(connection, pushed.id()), pushed -> {
          Optional<Pending> sent = connection.pushed();
          if (sent.filter(Pending::quit).isPresent()) {
            return quitSent(connection);
          }
          sendJoin(connection);
          return Behaviors.same();
        })
        .onMessage(LineReceived.class, line -> isOf(connection, line.id()),
            line -> onJoinAnswer(connection, line.line()))
        .onMessage(Closed.class, closed -> isOf(connection, closed.id()),
            closed -> onClosedBeforeWelcome(connection, closed.failure()))
        .onMessageEquals(Quit.INSTANCE, () -> quitting(connection)));
  }

  /** The password, then the join, then a {@code !quit} if the input ended meanwhile. */
  private void sendJoin(LinkConnection connection) {
    if (!connection.ready()) {
      return;
    }
    if (requestedName != null && password.isPresent() && !connection.passwordSent) {
      connection.passwordSent = true;
      connection.send(ClientLines.PASSWORD_PREFIX + password.get(), null);
    } else if (requestedName != null) {
      connection.send(conversation.joinLine(requestedName), null);
      connection.joinUnanswered = requestedName;
      requestedName = null;
    } else if (!pending.isEmpty() && pending.peekFirst().quit()) {
      connection.send(conversation.outgoing(pending.peekFirst().line()), pending.removeFirst());
    }
  }

  /**
   * The server's answer to the password, before a join or a resume: a wrong one ends the link; one
   * the server has no use for is dropped, with a notice. Null for any other step.
   */
  private Behavior<Command> onPasswordAnswer(LinkConnection connection, Conversation.Step step) {
    if (step instanceof Conversation.WrongPassword) {
      return end(connection, 1, WRONG_PASSWORD, false);
    } else if (step instanceof Conversation.PasswordNotNeeded) {
      password = Optional.empty();
      listener.notice(PASSWORD_NOT_NEEDED);
      return Behaviors.same();
    }
    return null;
  }

  private Behavior<Command> onJoinAnswer(LinkConnection connection, String line) {
    connection.heard = true;
    Conversation.Step step = conversation.onLine(line);
    Behavior<Command> afterPassword = onPasswordAnswer(connection, step);
    if (afterPassword != null) {
      return afterPassword;
    } else if (step instanceof Conversation.ForPeople forPeople) {
      connection.joinTimedOut = forPeople.timedOut();
      return Behaviors.same();
    }
    if (step instanceof Conversation.Refused || step instanceof Conversation.Welcomed) {
      connection.joinUnanswered = null;
    }
    if (step instanceof Conversation.Welcomed welcomed) {
      server = server.withOthersKnown(welcomed.welcome().nodes());
    }
    listener.received(step, conversation.me());
    if (step instanceof Conversation.ShutDown) {
      return end(connection, 0, SHUT_DOWN, false);
    }
    return step instanceof Conversation.Welcomed ? chatting(connection) : Behaviors.same();
  }

  private Behavior<Command> onClosedBeforeWelcome(LinkConnection connection, Throwable failure) {
    if (connection.joinTimedOut) {
      // The server's join timeout ran while the user chose a name: a new connection waits for
      // it, or takes the join that came too late.
      if (requestedName == null) {
        requestedName = connection.joinUnanswered;
      }
      connection.unsent().ifPresent(pending::addFirst);
      return connecting(connect(), false);
    }
    return end(connection, 1, firstCloseMessage(connection, failure), false);
  }

  // Chatting: welcomed; what waits goes out in turn.

  private Behavior<Command> chatting(LinkConnection connection) {
    sendNext(connection);
    return common(connection, () -> sendNext(connection), Behaviors.receive(Command.class)
        .onMessage(Say.class, say -> {
          if (hold(Pending.typed(say.line()))) {
            sendNext(connection);
          }
          return Behaviors.same();
        })
        .onMessage(Pushed.class, pushed -> isOf(connection, pushed.id()), pushed -> {
          Optional<Pending> sent = connection.pushed();
          sent.map(Pending::ackTo).ifPresent(ackTo -> ackTo.tell(InputAck.INSTANCE));
          if (sent.filter(Pending::quit).isPresent()) {
            return quitSent(connection);
          }
          sendNext(connection);
          return Behaviors.same();
        })
        .onMessage(LineReceived.class, line -> isOf(connection, line.id()), line -> {
          Conversation.Step step = conversation.onLine(line.line());
          if (step instanceof Conversation.Shown shown
              && shown.event() instanceof Event.Moving moving) {
            // The node is leaving: the reconnect goes straight to another.
            server = server.withOthersKnown(moving.nodes()).next();
            leaving = true;
          }
          listener.received(step, conversation.me());
          return step instanceof Conversation.ShutDown
              ? end(connection, 0, SHUT_DOWN, false) : Behaviors.same();
        })
        .onMessage(Closed.class, closed -> isOf(connection, closed.id()),
            closed -> onLost(connection, closed.failure()))
        .onMessageEquals(Quit.INSTANCE, () -> quitting(connection)));
  }

  private void sendNext(LinkConnection connection) {
    if (connection.ready() && !pending.isEmpty()) {
      connection.send(conversation.outgoing(pending.peekFirst().line()), pending.removeFirst());
    }
  }

  /** The connection ended while in the chat: reconnect, unless the server meant it. */
  private Behavior<Command> onLost(LinkConnection connection, Throwable failure) {
    connection.unsent().ifPresent(pending::addFirst); // never reached the server: sent later
    if (!conversation.shouldReconnect()) {
      return end(null, 1, "Server closed the connection.", false); // kicked, or taken over
    }
    if (failure != null) {
      context.getLog().debug("Connection lost: {}", failure.toString());
    }
    lostAtNanos = System.nanoTime();
    lostFrom = leaving ? null : server.address();
    attempt = 0;
    listener.notice(leaving ? MOVING : LOST);
    leaving = false;
    return waitingToRetry();
  }

  // Reconnecting: waiting to try again, connecting, or resuming on a new connection.

  private Behavior<Command> waitingToRetry() {
    timers.startSingleTimer(RetryDue.INSTANCE, settings.backoff().delay(attempt++));
    return whileWaiting(null, NOTHING, Behaviors.receive(Command.class)
        .onMessageEquals(RetryDue.INSTANCE, () -> {
          Duration down = Duration.ofNanos(System.nanoTime() - lostAtNanos);
          return down.compareTo(settings.backoff().giveUpAfter()) >= 0
              ? end(null, 1, GAVE_UP, false) : reconnecting(connect());
        })
        .onMessageEquals(Quit.INSTANCE, () -> quitAtOnce(null)));
  }

  private Behavior<Command> reconnecting(LinkConnection connection) {
    return whileWaiting(connection, NOTHING, Behaviors.receive(Command.class)
        .onMessage(Connected.class, connected -> isOf(connection, connected.id()), connected -> {
          sendRejoin(connection);
          timers.startSingleTimer(new AnswerTimedOut(connection.id), ChatClient.CONNECT_TIMEOUT);
          return Behaviors.same();
        })
        .onMessage(Pushed.class, pushed -> isOf(connection, pushed.id()), pushed -> {
          connection.pushed();
          sendRejoin(connection);
          return Behaviors.same();
        })
        .onMessage(LineReceived.class, line -> isOf(connection, line.id()),
            line -> onRejoinAnswer(connection, line.line()))
        .onMessage(AnswerTimedOut.class, timedOut -> isOf(connection, timedOut.id()), timedOut -> {
          connection.abort(); // the Closed that follows tries again
          return Behaviors.same();
        })
        .onMessage(ConnectFailed.class, failed -> isOf(connection, failed.id()), failed -> {
          context.getLog().debug("Reconnect failed: {}", failed.cause().toString());
          return retryElsewhere();
        })
        .onMessage(Closed.class, closed -> isOf(connection, closed.id()), closed -> {
          timers.cancel(new AnswerTimedOut(connection.id));
          Optional<String> refused = ConnectionProblems.certificateRefused(closed.failure());
          return refused.isPresent()
              ? end(null, 1, "Not reconnecting: " + refused.get() + ". Someone may be between you"
                  + " and the server: start the client again to see what it shows.", false)
              : retryElsewhere();
        })
        .onMessageEquals(Quit.INSTANCE, () -> quitAtOnce(connection)));
  }

  /** The password, if any, then the resume: once each on the connection. */
  private void sendRejoin(LinkConnection connection) {
    if (!connection.ready() || connection.joinUnanswered != null) {
      return;
    }
    if (password.isPresent() && !connection.passwordSent) {
      connection.passwordSent = true;
      connection.send(ClientLines.PASSWORD_PREFIX + password.get(), null);
      return;
    }
    connection.joinUnanswered = conversation.name();
    connection.send(conversation.rejoinLine(), null);
  }

  private Behavior<Command> onRejoinAnswer(LinkConnection connection, String line) {
    Conversation.Step step = conversation.onLine(line);
    Behavior<Command> afterPassword = onPasswordAnswer(connection, step);
    if (afterPassword != null) {
      return afterPassword;
    } else if (step instanceof Conversation.ForPeople) {
      return Behaviors.same();
    } else if (step instanceof Conversation.Refused refused) {
      return end(connection, 1,
          "Could not rejoin as " + conversation.name() + ": " + refused.reason(), false);
    }
    if (step instanceof Conversation.Welcomed welcomed) {
      server = server.withOthersKnown(welcomed.welcome().nodes());
      timers.cancel(new AnswerTimedOut(connection.id));
      listener.notice(server.address().equals(lostFrom) ? RECONNECTED
          : RECONNECTED_TO + server.address() + ".");
    }
    listener.received(step, conversation.me());
    if (step instanceof Conversation.ShutDown) {
      return end(connection, 0, SHUT_DOWN, false);
    }
    return step instanceof Conversation.Welcomed ? chatting(connection) : Behaviors.same();
  }

  // Quitting: the !quit goes first; the link ends when the server closes, or after a while.

  private Behavior<Command> quitting(LinkConnection connection) {
    tellUnsent();
    pending.clear();
    pending.addFirst(Pending.QUIT);
    timers.startSingleTimer(QuitTimedOut.INSTANCE, settings.quitWait());
    sendNext(connection);
    return quittingOn(connection);
  }

  /** The {@code !quit} went out (typed, or at the end of piped input): the rest is half-closed. */
  private Behavior<Command> quitSent(LinkConnection connection) {
    conversation.quitSent();
    connection.end();
    timers.startSingleTimer(QuitTimedOut.INSTANCE, settings.quitWait());
    return quittingOn(connection);
  }

  private Behavior<Command> quittingOn(LinkConnection connection) {
    return Behaviors.receive(Command.class)
        .onMessage(Pushed.class, pushed -> isOf(connection, pushed.id()), pushed -> {
          if (connection.pushed().filter(Pending::quit).isPresent()) {
            conversation.quitSent();
            connection.end();
          } else {
            sendNext(connection); // the !quit, after the line that was going out
          }
          return Behaviors.same();
        })
        .onMessage(LineReceived.class, line -> isOf(connection, line.id()), line -> {
          Conversation.Step step = conversation.onLine(line.line());
          listener.received(step, conversation.me());
          return Behaviors.same();
        })
        .onMessage(Closed.class, closed -> isOf(connection, closed.id()),
            closed -> end(null, 0, null, false))
        .onMessageEquals(QuitTimedOut.INSTANCE, () -> end(connection, 0, null, true))
        .onMessageEquals(Stop.INSTANCE, () -> stop(connection))
        .onMessage(InputStarted.class, this::ackInput)
        .onMessage(InputLine.class, input -> {
          input.ackTo().tell(InputAck.INSTANCE); // leaving: the rest of the input goes nowhere
          return Behaviors.same();
        })
        .onAnyMessage(ignored -> Behaviors.same())
        .build();
  }

  /** Quits with no connection to say it on: at once. */
  private Behavior<Command> quitAtOnce(LinkConnection connection) {
    tellUnsent();
    pending.clear();
    return end(connection, 0, null, true);
  }

  // What every phase but quitting takes.

  /**
   * A phase before the chat (or between chats): typed lines are held, and shown as waiting; a
   * name and a password are kept for the next join.
   */
  private Behavior<Command> whileWaiting(
      LinkConnection connection, Runnable send, BehaviorBuilder<Command> phase) {
    return common(connection, send, phase
        .onMessage(Say.class, say -> {
          if (hold(Pending.typed(say.line()))) {
            listener.notice(WAITING + say.line());
          }
          return Behaviors.same();
        })
        .onMessage(Join.class, join -> {
          requestedName = join.name();
          return Behaviors.same();
        }));
  }

  /**
   * Piped input (each line acknowledged once sent) and the front's stop, in every phase but
   * quitting; {@code send} gives the connection what may go in this phase.
   */
  private Behavior<Command> common(
      LinkConnection connection, Runnable send, BehaviorBuilder<Command> phase) {
    return phase
        .onMessageEquals(Stop.INSTANCE, () -> stop(connection))
        .onMessage(UsePassword.class, given -> {
          password = Optional.of(given.password());
          return Behaviors.same();
        })
        .onMessage(InputStarted.class, this::ackInput)
        .onMessage(InputLine.class, input -> {
          pending.addLast(new Pending(input.line(), input.ackTo(), false)); // one at a time
          send.run();
          return Behaviors.same();
        })
        .onMessageEquals(InputEnded.INSTANCE, () -> {
          if (requestedName != null || conversation.name() != null) {
            pending.addLast(Pending.QUIT);
          }
          send.run();
          return Behaviors.same();
        })
        // What connections given up still send, and timers of phases left.
        .onAnyMessage(ignored -> Behaviors.same())
        .build();
  }

  private Behavior<Command> ackInput(InputStarted started) {
    started.ackTo().tell(InputAck.INSTANCE);
    return Behaviors.same();
  }

  /** Queues a line to go out in turn; false, after saying so, when too many wait already. */
  private boolean hold(Pending line) {
    if (pending.size() >= settings.heldLines()) {
      listener.notice(NOT_SENT);
      return false;
    }
    pending.addLast(line);
    return true;
  }

  /** Says which typed lines never went out: the link is ending, or the user is leaving. */
  private void tellUnsent() {
    pending.stream()
        .filter(Pending::typed)
        .forEach(line -> listener.notice(UNSENT + line.line()));
  }

  private LinkConnection connect() {
    int id = ++connections;
    ActorRef<Command> self = context.getSelf();
    LinkConnection connection =
        LinkConnection.connect(
            context.getSystem(),
            server,
            settings.tls(),
            id,
            self.<Pushed>narrow(),
            new Pushed(id),
            line -> self.tell(new LineReceived(id, line)));
    context.pipeToSelf(
        connection.client.connected(),
        (done, error) -> error == null ? new Connected(id) : new ConnectFailed(id, error));
    context.pipeToSelf(connection.client.closed(), (done, error) -> new Closed(id, error));
    return connection;
  }

  private static boolean isOf(LinkConnection connection, int id) {
    return connection != null && connection.id == id;
  }

  /** Why the first connection ended before the client was in, with a hint where one helps. */
  private String firstCloseMessage(LinkConnection ended, Throwable failure) {
    String target = server.address().toString();
    Optional<String> handshake = ConnectionProblems.tlsFailure(failure);
    if (handshake.isPresent()) {
      return "TLS handshake with " + target + " failed (" + handshake.get() + ").";
    }
    if (!ended.heard && settings.tls().isEmpty()) {
      // Closed or reset: a TLS listener may do either to a plain-text client.
      return failure == null ? ConnectionProblems.closedWithoutAWord(target)
          : ConnectionProblems.lostWithoutAWord(target);
    }
    return failure != null ? "Connection to server lost." : "Server closed the connection.";
  }

  /**
   * Tells the front how it ended, closes what is left of the connection (at once with {@code
   * abort}), and stops.
   */
  private Behavior<Command> end(
      LinkConnection connection, int exitCode, String message, boolean abort) {
    tellUnsent();
    listener.ended(exitCode, Optional.ofNullable(message));
    close(connection, abort);
    return Behaviors.stopped();
  }

  /** The front has finished: the connection closes without a word. */
  private Behavior<Command> stop(LinkConnection connection) {
    close(connection, false);
    return Behaviors.stopped();
  }

  private static void close(LinkConnection connection, boolean abort) {
    if (connection == null) {
      return;
    }
    if (abort) {
      connection.abort();
    } else {
      connection.end();
    }
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }
}
