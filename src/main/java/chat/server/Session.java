package chat.server;

import chat.protocol.ClientLines;
import chat.protocol.Event;
import chat.protocol.Mode;
import chat.protocol.Names;
import chat.protocol.ServerLines;
import chat.room.ChatRoom;
import chat.room.Encoded;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * One client connection: its lines arrive from the connection's stream, it answers the join
 * handshake, passes chat to the {@link ChatRoom} and says in what way the client left. Spawned by
 * the {@link Supervisor} per accepted connection; stops once the connection is closed both ways.
 * Phases: awaiting a name, joining, joined, leaving, closing.
 */
public final class Session {

  public sealed interface Command {}

  record StreamStarted(ActorRef<ChatRoom.Processed> ackTo) implements Command {}

  /**
   * Lines from the client, as many as arrived together (at least one); acknowledging them (by
   * the session, or by the room for lines it handles) lets the stream deliver the next.
   */
  record FramesReceived(ActorRef<ChatRoom.Processed> ackTo, List<LineFraming.Frame> frames)
      implements Command {}

  enum StreamCompleted implements Command {
    INSTANCE
  }

  record StreamFailed(Throwable cause) implements Command {}

  /**
   * Lines for the client kept being dropped for {@code chat.server.slow-client-timeout}: it is
   * not reading, and is disconnected. Sent by the connection's outbox.
   */
  enum FellBehind implements Command {
    INSTANCE
  }

  /** The server is shutting down: send {@code !server_shutdown} and close. */
  public enum Shutdown implements Command {
    INSTANCE
  }

  private record WrappedJoinReply(ChatRoom.JoinReply reply) implements Command {}

  private record WrappedLeft(ChatRoom.Left left) implements Command {}

  private record WrappedEvicted(ChatRoom.Evicted evicted) implements Command {}

  private enum JoinTimedOut implements Command {
    INSTANCE
  }

  /** The client has sent nothing since it connected: time to say how to join. */
  private enum JoinHintDue implements Command {
    INSTANCE
  }

  /** The TLS handshake has finished. */
  private enum HandshakeDone implements Command {
    INSTANCE
  }

  /** The TLS handshake did not finish in time: the socket goes. */
  private enum HandshakeTimedOut implements Command {
    INSTANCE
  }

  private enum Sent implements Command {
    INSTANCE
  }

  /** Closing took too long: the outbox did not drain, or the client did not close its side. */
  private enum CutDue implements Command {
    INSTANCE
  }

  private static final int STASH_CAPACITY = 16;

  /**
   * @param attach starts the connection's stream towards this session and gives its side of it
   * @param wrongPasswords told when the client gives a wrong server password
   * @param exempt whether the rate limit spares this client
   */
  public static Behavior<Command> create(
      Function<ActorRef<Command>, Connection> attach,
      ActorRef<ChatRoom.Command> room,
      ActorRef<Supervisor.WrongPassword> wrongPasswords,
      ServerSettings settings,
      ServerMetrics metrics,
      boolean exempt) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers ->
                    Behaviors.withStash(
                        STASH_CAPACITY,
                        stash ->
                            new Session(context, timers, stash, attach.apply(context.getSelf()),
                                    room, wrongPasswords, settings, metrics, exempt)
                                .awaitingName())));
  }

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final StashBuffer<Command> stash;
  private final Connection connection;
  private final ActorRef<ChatRoom.Command> room;
  private final ActorRef<Supervisor.WrongPassword> wrongPasswords;
  private final ServerSettings settings;
  private final ServerMetrics metrics;
  /** The rate limit and the length limit on the client's lines. */
  private final LineAdmission admission;
  /** One adapter for all the room's replies: each costs memory, for every connection. */
  private final ActorRef<ChatRoom.SessionReply> replies;
  /** The mode the client asked for on its last JOIN: line; replies before that are text. */
  private Mode mode = Mode.TEXT;
  /** Whether the client may join: it gave the server password, or the server has none. */
  private boolean admitted;
  /** Lines received and not handled yet: the rest of a batch while a join is answered. */
  private final ArrayDeque<LineFraming.Frame> backlog = new ArrayDeque<>();
  /** The acknowledgement owed to the stream for the batch being handled; null if none is. */
  private ActorRef<ChatRoom.Processed> streamAck;

  private Session(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      StashBuffer<Command> stash,
      Connection connection,
      ActorRef<ChatRoom.Command> room,
      ActorRef<Supervisor.WrongPassword> wrongPasswords,
      ServerSettings settings,
      ServerMetrics metrics,
      boolean exempt) {
    this.context = context;
    this.timers = timers;
    this.stash = stash;
    this.connection = connection;
    this.room = room;
    this.wrongPasswords = wrongPasswords;
    this.settings = settings;
    this.metrics = metrics;
    this.admission = new LineAdmission(settings, metrics, exempt, System.nanoTime());
    this.replies = context.messageAdapter(ChatRoom.SessionReply.class, Session::wrap);
    this.admitted = settings.password().isEmpty();
    timers.startSingleTimer(JoinTimedOut.INSTANCE, settings.joinTimeout());
    settings.joinHint()
        .filter(hint -> hint.compareTo(settings.joinTimeout()) < 0)
        .ifPresent(hint -> timers.startSingleTimer(JoinHintDue.INSTANCE, hint));
    if (!connection.ready().toCompletableFuture().isDone()) {
      timers.startSingleTimer(HandshakeTimedOut.INSTANCE, settings.tls().handshakeTimeout());
      context.pipeToSelf(connection.ready(), (done, failure) -> HandshakeDone.INSTANCE);
    }
    // No log line here: an actor's first log call looks for its class on the stack and renders
    // its path, which would cost every connection that. The supervisor logs the connection.
  }

  private Behavior<Command> awaitingName() {
    return Behaviors.receive(Command.class)
        .onMessage(StreamStarted.class, started -> acknowledge(started.ackTo()))
        .onMessage(FramesReceived.class, this::onFramesBeforeJoin)
        .onMessage(JoinTimedOut.class, timedOut -> onJoinTimedOut())
        .onMessageEquals(JoinHintDue.INSTANCE, this::onJoinHintDue)
        .onMessageEquals(HandshakeDone.INSTANCE, () -> cancel(HandshakeTimedOut.INSTANCE))
        .onMessageEquals(HandshakeTimedOut.INSTANCE, this::onHandshakeTimedOut)
        .onMessageEquals(FellBehind.INSTANCE, () -> onFellBehind(false))
        .onMessage(Shutdown.class, shutdown -> closeWith(new Event.Shutdown(now())))
        .onMessageEquals(StreamCompleted.INSTANCE, () -> closeWith(null, true))
        .onMessage(StreamFailed.class, failed -> closeWith(null, true))
        .onSignal(PostStop.class, this::onPostStop)
        .build();
  }

  private Behavior<Command> onJoinTimedOut() {
    return closeWith(error(ServerLines.joinTimedOut(settings.joinTimeout())));
  }

  /** Someone connected by hand and waits: tell them how to join, and how long they have. */
  private Behavior<Command> onJoinHintDue() {
    Duration left = settings.joinTimeout().minus(settings.joinHint().orElseThrow());
    send(new Event.Info(now(), ServerLines.joinHint(left, settings.password().isPresent())));
    return Behaviors.same();
  }

  /** A TLS client that has not finished its handshake cannot be told anything: it is cut. */
  private Behavior<Command> onHandshakeTimedOut() {
    context.getLog().debug("Connection [{}]: no TLS handshake within [{}]", connection.peer(),
        ServerLines.describe(settings.tls().handshakeTimeout()));
    return Behaviors.stopped();
  }

  private Behavior<Command> cancel(Command timer) {
    timers.cancel(timer);
    return Behaviors.same();
  }

  /** The client has sent something: it needs no hint on how to join. */
  private Behavior<Command> onFramesBeforeJoin(FramesReceived received) {
    timers.cancel(JoinHintDue.INSTANCE);
    return orSame(take(received).drainBeforeJoin());
  }

  /** Takes a batch of lines into the backlog; the stream waits until all are handled. */
  private Session take(FramesReceived received) {
    backlog.addAll(received.frames());
    streamAck = received.ackTo();
    return this;
  }

  /** The next phase the drain of the backlog gave, or the same one if it gave none. */
  private static Behavior<Command> orSame(Behavior<Command> next) {
    return next == null ? Behaviors.same() : next;
  }

  /**
   * Handles the lines before a join, until one needs an answer from the room or closes.
   *
   * @return the next phase, or null to stay awaiting a name
   */
  private Behavior<Command> drainBeforeJoin() {
    while (!backlog.isEmpty()) {
      Behavior<Command> next = onFrameBeforeJoin(backlog.poll());
      if (next != null) {
        return next;
      }
    }
    ackStream();
    return null;
  }

  /** Handles one line before a join; the next phase if it ends this one, else null. */
  private Behavior<Command> onFrameBeforeJoin(LineFraming.Frame frame) {
    LineAdmission.Verdict verdict = admission.check(frame, System.nanoTime());
    if (verdict == LineAdmission.Flooding.INSTANCE) {
      return closeWith(floodingFarewell());
    }
    if (verdict instanceof LineAdmission.Refuse refuse) {
      send(refuse.answer());
      return null;
    }
    ClientLines.BeforeJoin parsed =
        ClientLines.parseBeforeJoin(((LineFraming.Line) frame).text());
    if (parsed instanceof ClientLines.Password password) {
      return onPassword(password);
    }
    if (parsed instanceof ClientLines.JoinRequest request) {
      return onJoinRequest(request);
    }
    if (parsed == ClientLines.Quit.INSTANCE) {
      return closeWith(null);
    }
    if (parsed instanceof ClientLines.NotAJoin notAJoin) {
      useMode(notAJoin.mode());
      send(new Event.Refused(now(), notAJoin.reason()));
    }
    return null;
  }

  private Behavior<Command> onJoinRequest(ClientLines.JoinRequest request) {
    useMode(request.options().mode());
    if (!admitted) {
      send(new Event.Refused(now(), Names.Refusals.PASSWORD_NEEDED));
      return null;
    }
    room.tell(new ChatRoom.Join(request.name(), request.options(), context.getSelf(),
        replies.narrow(), connection, replies.narrow()));
    return joining();
  }

  /**
   * Checks the server password in constant time; a wrong one closes the connection, and counts
   * against the client's address.
   */
  private Behavior<Command> onPassword(ClientLines.Password given) {
    if (settings.password().isEmpty()) {
      send(error(ServerLines.NO_PASSWORD));
      return null;
    }
    if (Passwords.matches(given.password(), settings.password().get())) {
      admitted = true;
      return null;
    }
    context.getLog().info("Wrong password from [{}]", connection.peer());
    wrongPasswords.tell(new Supervisor.WrongPassword(context.getSelf()));
    return closeWith(error(ServerLines.WRONG_PASSWORD));
  }

  /**
   * Waits for the room's answer; the stream is held by the unanswered ack meanwhile, and the rest
   * of the batch waits in the backlog.
   */
  private Behavior<Command> joining() {
    return Behaviors.receive(Command.class)
        .onMessage(WrappedJoinReply.class, wrapped -> onJoinReply(wrapped.reply()))
        .onAnyMessage(this::stashed)
        .onSignal(PostStop.class, this::onPostStop)
        .build();
  }

  private Behavior<Command> onJoinReply(ChatRoom.JoinReply reply) {
    if (reply instanceof ChatRoom.Joined) {
      timers.cancel(JoinTimedOut.INSTANCE);
      Behavior<Command> next = drainAfterJoin();
      return stash.unstashAll(next == null ? joined() : next);
    }
    send(new Event.Refused(now(), ((ChatRoom.JoinRejected) reply).reason()));
    Behavior<Command> next = drainBeforeJoin();
    return stash.unstashAll(next == null ? awaitingName() : next);
  }

  private Behavior<Command> joined() {
    return Behaviors.receive(Command.class)
        .onMessage(FramesReceived.class, received -> orSame(take(received).drainAfterJoin()))
        .onMessage(Shutdown.class, shutdown -> leave(ChatRoom.Departure.SHUTDOWN))
        .onMessageEquals(StreamCompleted.INSTANCE, () -> leave(ChatRoom.Departure.CLOSED))
        .onMessage(StreamFailed.class, this::onLost)
        .onMessage(WrappedEvicted.class, evicted -> onEvicted(evicted.evicted()))
        .onMessageEquals(FellBehind.INSTANCE, () -> onFellBehind(true))
        .onMessage(JoinTimedOut.class, stale -> Behaviors.same())
        .onSignal(PostStop.class, this::onPostStop)
        .build();
  }

  /**
   * Hands the backlog's lines to the room in one message, which the room acknowledges to the
   * stream once done; stops at a quit, or when the client floods.
   *
   * @return the next phase if the client leaves, else null
   */
  private Behavior<Command> drainAfterJoin() {
    List<ClientLines.AfterJoin> requests = new ArrayList<>();
    ChatRoom.Departure departure = null;
    while (!backlog.isEmpty() && departure == null) {
      LineFraming.Frame frame = backlog.poll();
      // Null for a line too long to read.
      ClientLines.AfterJoin parsed =
          frame instanceof LineFraming.Line line ? ClientLines.parseAfterJoin(line.text()) : null;
      if (parsed == ClientLines.Quit.INSTANCE) {
        departure = ChatRoom.Departure.QUIT;
      } else if (parsed != ClientLines.Blank.INSTANCE) {
        LineAdmission.Verdict verdict = admission.check(frame, System.nanoTime());
        if (verdict instanceof LineAdmission.Refuse refuse) {
          // What the session answers goes through the room too, so it keeps its place in line.
          requests.add(new ClientLines.Answered(refuse.answer()));
        } else if (verdict == LineAdmission.Pass.INSTANCE) {
          requests.add(parsed);
        } else {
          departure = ChatRoom.Departure.FLOODING;
        }
      }
    }
    backlog.clear();
    if (requests.isEmpty()) {
      ackStream();
    } else {
      // The lines before a quit go first: the room handles them before the leave.
      room.tell(new ChatRoom.Perform(context.getSelf(), requests, streamAck));
      streamAck = null;
    }
    if (departure == ChatRoom.Departure.FLOODING) {
      return leave(departure, floodingFarewell());
    }
    return departure == null ? null : leave(departure);
  }

  private Behavior<Command> onLost(StreamFailed failed) {
    context.getLog().debug("Connection [{}] failed: {}", connection.peer(), failed.cause().toString());
    return leave(ChatRoom.Departure.LOST);
  }

  /** The room removed this member and told the client why: only the connection is left. */
  private Behavior<Command> onEvicted(ChatRoom.Evicted evicted) {
    context.getLog().debug("Connection [{}] evicted: {}", connection.peer(), evicted.reason());
    return closeWith(null);
  }

  private Event floodingFarewell() {
    metrics.floodDisconnects.increment();
    context.getLog().info("Disconnecting [{}] for flooding", connection.peer());
    return error(ServerLines.flooding(settings.rate().linesPerSecond()));
  }

  /** The client stopped reading: what is queued for it goes, and so does the client. */
  private Behavior<Command> onFellBehind(boolean joined) {
    metrics.slowDisconnects.increment();
    context.getLog().info("Disconnecting [{}]: not reading for [{}]",
        connection.peer(), ServerLines.describe(settings.slowClientTimeout()));
    Event farewell = error(ServerLines.tooSlow(settings.slowClientTimeout()));
    if (joined) {
      return leave(ChatRoom.Departure.SLOW, farewell);
    }
    connection.discard();
    return closeWith(farewell);
  }

  private Behavior<Command> leave(ChatRoom.Departure how) {
    return leave(how, null);
  }

  /** Leaves the room as {@code how} says; {@code farewell}, if any, is the client's last line. */
  private Behavior<Command> leave(ChatRoom.Departure how, Event farewell) {
    room.tell(new ChatRoom.Leave(context.getSelf(), how, replies.narrow()));
    boolean inputEnded = how == ChatRoom.Departure.CLOSED || how == ChatRoom.Departure.LOST;
    return leaving(how, inputEnded, farewell);
  }

  /** Waits until the room has sent its last line for this client, then closes. */
  private Behavior<Command> leaving(ChatRoom.Departure how, boolean inputEnded, Event farewell) {
    return Behaviors.receive(Command.class)
        .onMessage(
            WrappedLeft.class,
            left -> {
              if (how == ChatRoom.Departure.SLOW) {
                // It is not reading: only the farewell is worth its last bytes.
                connection.discard();
              }
              // A shutdown that came while leaving still gets the last word.
              boolean shutdown = how == ChatRoom.Departure.SHUTDOWN
                  || stash.anyMatch(waiting -> waiting == Shutdown.INSTANCE);
              Event last = shutdown ? new Event.Shutdown(now()) : farewell;
              return stash.unstashAll(closeWith(last, inputEnded));
            })
        .onAnyMessage(this::stashed)
        .onSignal(PostStop.class, this::onPostStop)
        .build();
  }

  private Behavior<Command> closeWith(Event lastLine) {
    return closeWith(lastLine, false);
  }

  private Behavior<Command> closeWith(Event lastLine, boolean inputEnded) {
    backlog.clear();
    ackStream();
    if (lastLine != null) {
      send(lastLine);
    }
    connection.close();
    context.pipeToSelf(connection.sent(), (done, failure) -> Sent.INSTANCE);
    timers.startSingleTimer(CutDue.INSTANCE, settings.closeTimeout());
    return closing(inputEnded, false);
  }

  /**
   * The outbox is closed; waits for its lines to leave (at most the close timeout) and then for
   * the client to close its side (at most the linger time), and stops. Lines that still arrive
   * are read and ignored.
   */
  private Behavior<Command> closing(boolean inputEnded, boolean sent) {
    if (inputEnded && sent) {
      return Behaviors.stopped();
    }
    return Behaviors.receive(Command.class)
        .onMessage(FramesReceived.class, received -> acknowledge(received.ackTo()))
        .onMessage(StreamStarted.class, started -> acknowledge(started.ackTo()))
        .onMessageEquals(StreamCompleted.INSTANCE, () -> closing(true, sent))
        .onMessage(StreamFailed.class, failed -> closing(true, sent))
        .onMessageEquals(Sent.INSTANCE, () -> onSent(inputEnded))
        .onMessageEquals(CutDue.INSTANCE, this::onCutDue)
        .onAnyMessage(ignored -> Behaviors.same())
        .onSignal(PostStop.class, this::onPostStop)
        .build();
  }

  /**
   * The client did not read what was queued for it in time, or did not close its side: the
   * connection ends with a normal close, so it can still read what reached it, then the end.
   */
  private Behavior<Command> onCutDue() {
    connection.end();
    return Behaviors.stopped();
  }

  private Behavior<Command> onSent(boolean inputEnded) {
    timers.startSingleTimer(CutDue.INSTANCE, settings.closeLinger());
    return closing(inputEnded, true);
  }

  private Behavior<Command> stashed(Command command) {
    if (stash.isFull()) {
      context.getLog().warn("Session stash full; cutting the connection of [{}]", connection.peer());
      return Behaviors.stopped();
    }
    stash.stash(command);
    return Behaviors.same();
  }

  /** Lets the stream deliver the next batch, if it waits for this session. */
  private void ackStream() {
    if (streamAck != null) {
      streamAck.tell(ChatRoom.Processed.INSTANCE);
      streamAck = null;
    }
  }

  private Behavior<Command> acknowledge(ActorRef<ChatRoom.Processed> ackTo) {
    ackTo.tell(ChatRoom.Processed.INSTANCE);
    return Behaviors.same();
  }

  private static Command wrap(ChatRoom.SessionReply reply) {
    if (reply instanceof ChatRoom.JoinReply joinReply) {
      return new WrappedJoinReply(joinReply);
    }
    if (reply instanceof ChatRoom.Left left) {
      return new WrappedLeft(left);
    }
    return new WrappedEvicted((ChatRoom.Evicted) reply);
  }

  private void useMode(Mode mode) {
    this.mode = mode;
    connection.mode(mode);
  }

  private void send(Event event) {
    connection.offer(Encoded.line(event, mode, null));
  }

  private static Event error(String text) {
    return new Event.Error(now(), text);
  }

  private static long now() {
    return System.currentTimeMillis();
  }

  /** Whatever the phase, a stopped session leaves no connection behind. */
  private Behavior<Command> onPostStop(PostStop signal) {
    connection.abort();
    return Behaviors.same();
  }
}
