package chat.server;

import chat.cluster.KnownNodes;
import chat.delivery.Delivery;
import chat.delivery.Encoded;
import chat.names.NameRegistry;
import chat.protocol.ClientLines;
import chat.protocol.Event;
import chat.protocol.Mode;
import chat.protocol.Names;
import chat.protocol.RoomNames;
import chat.protocol.ServerLines;
import chat.room.ChatRoom;
import chat.room.RoomDirectory;
import chat.support.ToSession;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, whatever its transport: its lines arrive from the connection's stream,
 * it answers the join handshake, claims the name from the {@link NameRegistry}, registers the
 * connection's outbox with this node's {@link Delivery}, joins the member's rooms through the
 * {@link RoomDirectory}, passes what the client says to its rooms, and says in what way the client
 * left. Spawned by the {@link Gatekeeper} per admitted connection; stops once the connection is
 * closed both ways. Phases: awaiting a name, claiming it, taking a member over, joining its rooms,
 * joined, leaving, closing.
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

  /** The actors a session works with. */
  public record Parts(
      ActorRef<NameRegistry.Command> names,
      ActorRef<RoomDirectory.Command> rooms,
      ActorRef<Delivery.Command> delivery,
      ActorRef<Gatekeeper.WrongPassword> gatekeeper,
      KnownNodes nodes) {}

  /** What the registry, the rooms, the directory and the Delivery answer or forward. */
  private record Reply(ToSession message) implements Command {}

  /** A room has handled a group of the client's lines, which did not end the batch. */
  private enum GroupDone implements Command {
    INSTANCE
  }

  private enum JoinTimedOut implements Command {
    INSTANCE
  }

  /** A rejoin through Sharding may need to go again (a cluster). */
  private record RejoinDue(String room, OptionalLong after) implements Command {}

  /** How long a rejoin through Sharding waits for the room's answer before it goes again. */
  private static final java.time.Duration REJOIN_RETRY = java.time.Duration.ofSeconds(3);

  /** A room's actor the session was sending to stopped (a cluster: its node left or was lost). */
  private record RoomGone(String room, ActorRef<ChatRoom.Command> ref) implements Command {}

  /** A room has not acknowledged a group of lines in time (a cluster: it may be moving). */
  private enum GroupTimedOut implements Command {
    INSTANCE
  }

  /** How long a member's lines wait for their room's acknowledgement in a cluster. */
  private static final java.time.Duration GROUP_WAIT = java.time.Duration.ofSeconds(10);

  /** Rooms that have not answered a leave in time: one moving between nodes may never answer. */
  private enum LeaveTimedOut implements Command {
    INSTANCE
  }

  /**
   * How long a {@code /whois} waits for the member's session, wherever it is: a name's entity
   * being read back from the journal under load can take seconds.
   */
  private static final java.time.Duration WHOIS_WAIT = java.time.Duration.ofSeconds(10);

  /** How long a leaving member waits for its rooms' last lines. */
  private static final java.time.Duration LEAVE_WAIT = java.time.Duration.ofSeconds(3);

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

  /** The former connection of a member taken over did not hand it over in time. */
  private enum HandOverTimedOut implements Command {
    INSTANCE
  }

  private enum Sent implements Command {
    INSTANCE
  }

  /** Closing took too long: the outbox did not drain, or the client did not close its side. */
  private enum CutDue implements Command {
    INSTANCE
  }

  private static final int STASH_CAPACITY = 64;

  /** One logger for every session: an actor's own would cost each connection its memory. */
  private static final Logger log = LoggerFactory.getLogger(Session.class);

  /** How long a new connection waits for the one it took over to hand over the member's rooms. */
  static final Duration HAND_OVER_WAIT = Duration.ofSeconds(3);
  /** How long a member moving to another node keeps its name for its client to resume there. */
  static final Duration MOVING_HOLD = Duration.ofSeconds(30);

  /**
   * @param offer the connection, whose stream the session starts towards itself
   * @param exempt whether the rate limit spares this client
   */
  public static Behavior<Command> create(
      ConnectionOffer offer,
      Parts parts,
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
                            new Session(context, timers, stash, offer.attach(context.getSelf()),
                                    parts, settings, metrics, exempt)
                                .awaitingName())));
  }

  private final ActorContext<Command> context;
  /** Whether the member was told to go on at another node: its name is held for it there. */
  private boolean moving;
  /** The rooms of a moving member, for the connection that takes it over on another node. */
  private NameRegistry.HandOver movedFrom;
  private final TimerScheduler<Command> timers;
  private final StashBuffer<Command> stash;
  private final Connection connection;
  private final Parts parts;
  private final ServerSettings settings;
  private final ServerMetrics metrics;
  /** The rate limit and the length limit on the client's lines. */
  private final LineAdmission admission;
  /** Where the registry, the rooms, the directory and the Delivery answer: one adapter for all. */
  private final ActorRef<ToSession> replies;
  /**
   * The mode the client asked for on its last JOIN: line; replies before that are text, unless
   * the transport carries machine mode only.
   */
  private Mode mode;
  /** Whether the client may join: it gave the server password, or the server has none. */
  private boolean admitted;
  /** Lines received and not handled yet: the rest of a batch while an answer is awaited. */
  private final ArrayDeque<LineFraming.Frame> backlog = new ArrayDeque<>();
  /** The acknowledgement owed to the stream for the batch being handled; null if none is. */
  private ActorRef<ChatRoom.Processed> streamAck;
  /** The member once the name is claimed; null before. */
  private Membership member;
  /** The join asked for, while it is being claimed and its rooms joined. */
  private ClientLines.JoinRequest joining;

  private Session(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      StashBuffer<Command> stash,
      Connection connection,
      Parts parts,
      ServerSettings settings,
      ServerMetrics metrics,
      boolean exempt) {
    this.context = context;
    this.timers = timers;
    this.stash = stash;
    this.connection = connection;
    useMode(Mode.TEXT);
    this.parts = parts;
    this.settings = settings;
    this.metrics = metrics;
    this.admission = new LineAdmission(settings, metrics, exempt, System.nanoTime());
    this.replies = context.messageAdapter(ToSession.class, Reply::new);
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
    // its path, which would cost every connection that. The Gatekeeper logs the connection.
  }

  // Awaiting a name.

  private Behavior<Command> awaitingName() {
    return Behaviors.receive(Command.class)
        .onMessage(StreamStarted.class, started -> acknowledge(started.ackTo()))
        .onMessage(FramesReceived.class, this::onFramesBeforeJoin)
        .onMessage(JoinTimedOut.class, timedOut -> onJoinTimedOut())
        .onMessageEquals(JoinHintDue.INSTANCE, this::onJoinHintDue)
        .onMessageEquals(HandshakeDone.INSTANCE, () -> cancel(HandshakeTimedOut.INSTANCE))
        .onMessageEquals(HandshakeTimedOut.INSTANCE, this::onHandshakeTimedOut)
        .onMessageEquals(FellBehind.INSTANCE, () -> onFellBehindBeforeJoin())
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
    write(new Event.Info(now(), ServerLines.joinHint(left, settings.password().isPresent())));
    return Behaviors.same();
  }

  /** A TLS client that has not finished its handshake cannot be told anything: it is cut. */
  private Behavior<Command> onHandshakeTimedOut() {
    log.debug("Connection [{}]: no TLS handshake within [{}]", connection.peer(),
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
   * Handles the lines before a join, until one needs an answer or closes.
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
      write(refuse.answer());
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
      write(new Event.Refused(now(), notAJoin.reason()));
    }
    return null;
  }

  private Behavior<Command> onJoinRequest(ClientLines.JoinRequest request) {
    useMode(request.options().mode());
    if (!admitted) {
      write(new Event.Refused(now(), Names.Refusals.PASSWORD_NEEDED));
      return null;
    }
    int rooms = RoomsToJoin.count(request.options());
    int most = settings.room().maxRoomsPerMember();
    if (rooms > most) {
      write(new Event.Refused(now(), "The join names " + rooms + " rooms; one may be in at most "
          + most + "."));
      return null;
    }
    joining = request;
    Optional<String> token = request.options().token();
    if (token.isPresent()) {
      parts.names().tell(new NameRegistry.Resume(token.get(), request.name(), replies.narrow(),
          context.getSelf(), replies.narrow()));
    } else {
      claim(request.name());
    }
    return claiming();
  }

  private void claim(String name) {
    parts.names().tell(new NameRegistry.Claim(name, replies.narrow(), context.getSelf(),
        replies.narrow()));
  }

  /**
   * Checks the server password in constant time; a wrong one closes the connection, and counts
   * against the client's address.
   */
  private Behavior<Command> onPassword(ClientLines.Password given) {
    if (settings.password().isEmpty()) {
      write(error(ServerLines.NO_PASSWORD));
      return null;
    }
    if (Passwords.matches(given.password(), settings.password().get())) {
      admitted = true;
      return null;
    }
    log.info("Wrong password from [{}]", connection.peer());
    parts.gatekeeper().tell(new Gatekeeper.WrongPassword(context.getSelf()));
    return closeWith(error(ServerLines.WRONG_PASSWORD));
  }

  // Claiming the name.

  /**
   * Waits for the registry's answer; the stream is held by the unanswered ack meanwhile, and the
   * rest of the batch waits in the backlog.
   */
  private Behavior<Command> claiming() {
    return Behaviors.receive(Command.class)
        .onMessage(Reply.class, this::onClaimReply)
        .onAnyMessage(this::stashed)
        .onSignal(PostStop.class, this::onPostStop)
        .build();
  }

  private Behavior<Command> onClaimReply(Reply wrapped) {
    if (!(wrapped.message() instanceof NameRegistry.ClaimReply reply)) {
      return stashed(wrapped);
    }
    if (reply instanceof NameRegistry.Claimed claimed) {
      member = new Membership(claimed.member(), claimed.name(), claimed.token(), now());
      return joinRooms(RoomsToJoin.of(joining.options(), ChatRoom.Arrival.NEW));
    }
    if (reply instanceof NameRegistry.Resumed resumed) {
      member = new Membership(resumed.member(), resumed.name(), resumed.token(), now());
      timers.startSingleTimer(HandOverTimedOut.INSTANCE, HAND_OVER_WAIT);
      return awaitingHandOver();
    }
    if (reply instanceof NameRegistry.NotResumed) {
      // A token of no member: the name must be free, as for any join.
      claim(joining.name());
      return Behaviors.same();
    }
    return refuseJoin(((NameRegistry.Refused) reply).reason());
  }

  private Behavior<Command> refuseJoin(String reason) {
    joining = null;
    write(new Event.Refused(now(), reason));
    Behavior<Command> next = drainBeforeJoin();
    return stash.unstashAll(next == null ? awaitingName() : next);
  }

  /** Waits for the connection taken over to say which rooms the member is in. */
  private Behavior<Command> awaitingHandOver() {
    return Behaviors.receive(Command.class)
        .onMessage(Reply.class, this::onHandOver)
        .onMessageEquals(HandOverTimedOut.INSTANCE,
            () -> joinRooms(RoomsToJoin.of(joining.options(), ChatRoom.Arrival.RESUMED)))
        .onAnyMessage(this::stashed)
        .onSignal(PostStop.class, this::onPostStop)
        .build();
  }

  private Behavior<Command> onHandOver(Reply wrapped) {
    if (wrapped.message() == NameRegistry.AlreadyLeft.INSTANCE) {
      // The old connection was leaving: its rooms saw the member go, and see it come again.
      timers.cancel(HandOverTimedOut.INSTANCE);
      return joinRooms(RoomsToJoin.of(joining.options(), ChatRoom.Arrival.NEW));
    }
    if (!(wrapped.message() instanceof NameRegistry.HandOver handOver)) {
      return stashed(wrapped);
    }
    timers.cancel(HandOverTimedOut.INSTANCE);
    member.markAway(handOver.away());
    return joinRooms(RoomsToJoin.resumed(joining.options(), handOver.rooms(), handOver.current(),
        settings.room().maxRoomsPerMember()));
  }

  // Joining the member's rooms.

  /**
   * The name is the member's: the client hears so first (machine mode), the connection's outbox
   * takes the member's lines, and the rooms are joined, the current one last.
   */
  private Behavior<Command> joinRooms(RoomsToJoin rooms) {
    if (mode == Mode.JSON) {
      write(new Event.Welcome(now(), member.name, rooms.current(), member.token,
          parts.nodes().others()));
    }
    member.makeCurrent(rooms.current());
    parts.delivery().tell(new Delivery.Register(member.id, member.name, connection, mode,
        rooms.current(), replies.narrow()));
    rooms.joins().forEach(join -> joinRoom(join.room(), join.arrival(), join.after(),
        RoomNames.key(join.room()).equals(RoomNames.key(rooms.current()))));
    return joiningRooms(rooms.joins().size(), rooms.fresh());
  }

  private void joinRoom(
      String room, ChatRoom.Arrival arrival, OptionalLong after, boolean current) {
    parts.rooms().tell(new RoomDirectory.Join(room, join(arrival, after, current)));
  }

  /** The member's join into a room, as it is now: its name, mode and away text. */
  ChatRoom.Join join(ChatRoom.Arrival arrival, OptionalLong after, boolean current) {
    return new ChatRoom.Join(member.id, member.name, mode, parts.delivery(), arrival, after,
        current, member.away(), replies.narrow());
  }

  /** Waits for every room's answer; {@code fresh}: a new member, refused if it got no room. */
  private Behavior<Command> joiningRooms(int waiting, boolean fresh) {
    if (waiting == 0) {
      return joined(fresh);
    }
    return Behaviors.receive(Command.class)
        .onMessage(Reply.class, wrapped -> {
          if (!(wrapped.message() instanceof ChatRoom.JoinReply reply)
              || reply instanceof ChatRoom.Rejoined) {
            return stashed(wrapped);
          }
          roomJoined(reply);
          return joiningRooms(waiting - 1, fresh);
        })
        .onAnyMessage(this::stashed)
        .onSignal(PostStop.class, this::onPostStop)
        .build();
  }

  private void roomJoined(ChatRoom.JoinReply reply) {
    if (reply instanceof ChatRoom.Joined joined) {
      entered(joined.room(), joined.ref(), joined.link(context.getSystem()));
    } else if (reply instanceof ChatRoom.JoinRejected rejected) {
      tell(error(rejected.reason() + "; join one of /rooms."));
    }
  }

  /** All rooms have answered: the client is in the chat, unless a new member got no room. */
  private Behavior<Command> joined(boolean fresh) {
    if (member.rooms().isEmpty() && fresh) {
      String reason = RoomDirectory.noRoomFor(member.current()) + "; join without room=.";
      parts.names().tell(new NameRegistry.Release(member.id, context.getSelf()));
      parts.delivery().tell(new Delivery.Unregister(member.id, replies.narrow(),
          context.getSystem().ignoreRef()));
      member = null;
      return refuseJoin(reason);
    }
    if (member.currentRoom() == null) {
      makeCurrent(member.lastRoom());
    }
    joining.options().room().filter(room -> member.room(room) == null
            && member.rooms().size() >= settings.room().maxRoomsPerMember())
        .ifPresent(room -> tell(error(MemberLines.tooManyRooms(member.rooms().size()))));
    timers.cancel(JoinTimedOut.INSTANCE);
    log.info("Member [{}] joined {}", member.name, member.roomNames());
    joining = null;
    lines = new MemberLines(this);
    Behavior<Command> next = lines.drain();
    return stash.unstashAll(next == null ? chatting() : next);
  }

  // Joined: chatting.

  private MemberLines lines;
  private boolean inputEnded;

  /**
   * The phase most connections spend their life in, read by one method: a builder's cases and
   * their lambdas would cost every joined connection half a kilobyte more, for as long as it
   * chats.
   */
  private Behavior<Command> chatting() {
    return Behaviors.receive(this::whileChatting, this::onSignal);
  }

  private Behavior<Command> whileChatting(ActorContext<Command> unused, Command message) {
    if (message instanceof FramesReceived received) {
      return orSame(take(received).lines.drain());
    } else if (message == GroupDone.INSTANCE) {
      timers.cancel(GroupTimedOut.INSTANCE);
      return orSame(lines.groupDone());
    } else if (message == GroupTimedOut.INSTANCE) {
      return orSame(lines.groupLost());
    } else if (message instanceof RoomGone gone) {
      return onRoomGone(gone);
    } else if (message instanceof RejoinDue due) {
      return onRejoinDue(due);
    } else if (message instanceof Reply reply) {
      return onReply(reply);
    } else if (message instanceof Shutdown) {
      return leave(ChatRoom.Departure.SHUTDOWN, null, shutdownLine());
    } else if (message == StreamCompleted.INSTANCE) {
      return onInputEnded();
    } else if (message instanceof StreamFailed failed) {
      return onLost(failed);
    } else if (message == FellBehind.INSTANCE) {
      return onFellBehind();
    } else if (message == JoinTimedOut.INSTANCE) {
      return Behaviors.same(); // it fired before the join and waited in the stash meanwhile
    }
    return Behaviors.unhandled();
  }

  private Behavior<Command> onSignal(ActorContext<Command> unused, Signal signal) {
    return signal instanceof PostStop stop ? onPostStop(stop) : Behaviors.same();
  }

  /**
   * The client closed its side. The stream may say so before the last lines are handled (it
   * does not wait for their acknowledgement): the member leaves once they are.
   */
  private Behavior<Command> onInputEnded() {
    inputEnded = true;
    return orSame(lines.drain());
  }

  /** Whether the client has closed its side (its lines may still be being handled). */
  boolean inputEnded() {
    return inputEnded;
  }

  /** What comes for the member, or answers to what its lines asked. */
  private Behavior<Command> onReply(Reply reply) {
    ToSession message = reply.message();
    if (message instanceof NameRegistry.ToOwner toOwner) {
      return onOwnerMessage(toOwner);
    }
    if (message instanceof Delivery.Rejoin rejoin) {
      return onRejoin(rejoin);
    }
    if (message instanceof ChatRoom.Rejoined back) {
      return onRejoined(back);
    }
    if (message instanceof NameRegistry.IsAway away) {
      lines.isAway(away);
      return Behaviors.same();
    }
    return orSame(lines.answered(message));
  }

  private Behavior<Command> onOwnerMessage(NameRegistry.ToOwner message) {
    if (message instanceof NameRegistry.PrivateMessage received) {
      tell(received.message());
      if (member.tellAway(received.message().from())) {
        received.replyTo().tell(new NameRegistry.IsAway(member.name, member.away()));
      }
      return Behaviors.same();
    }
    if (message instanceof NameRegistry.DescribeYourself asked) {
      List<String> rooms = new java.util.ArrayList<>(member.roomNames());
      rooms.sort(String.CASE_INSENSITIVE_ORDER);
      asked.replyTo().tell(new NameRegistry.Described(
          new Event.Whois(now(), member.name, rooms, member.away(), member.since)));
      return Behaviors.same();
    }
    if (message instanceof NameRegistry.Kicked kicked) {
      String why = kicked.reason().map(reason -> ": " + reason).orElse(".");
      log.info("Member [{}] kicked: [{}]", member.name,
          kicked.reason().orElse("no reason"));
      return leave(ChatRoom.Departure.KICKED, kicked.reason().orElse(null),
          error("You were kicked by the server operator" + why));
    }
    if (message instanceof NameRegistry.TakenOver takenOver) {
      return handOver(takenOver.by());
    }
    return Behaviors.same();
  }

  /**
   * Another connection took the member over: it is told the member's rooms, and this one closes
   * with a line saying why, leaving the rooms, the name and the Delivery to the new connection.
   */
  private Behavior<Command> handOver(ActorRef<NameRegistry.ToOwner> by) {
    by.tell(new NameRegistry.HandOver(member.roomNames(), member.current(), member.away()));
    log.debug("Member [{}] taken over by a new connection", member.name);
    member = null;
    return closeWith(error("Your name was taken over by a new connection."));
  }

  /**
   * A room the member is in restarted and forgot it: the member comes back, unseen, with what
   * was said since the last line this node was given.
   */
  private Behavior<Command> onRejoin(Delivery.Rejoin rejoin) {
    Membership.Room room = member.room(rejoin.room());
    if (room == null) {
      return Behaviors.same();
    }
    if (roomsMayMove()) {
      rejoinThroughSharding(room, rejoin.after());
      return orSame(lines.roomRestarted(room.key()));
    }
    // Its answer names the room's actor now.
    room.link().tell(join(ChatRoom.Arrival.REJOINED, rejoin.after(), true));
    return Behaviors.same();
  }

  /**
   * Back into a room of a cluster that moved or was lost, through Cluster Sharding: what is for
   * the room goes after the join until the room answers from where it is now (its answer names
   * its actor there). A join sent as the room's node is lost, before Sharding knows it, may go
   * to the lost node: it goes again every {@link #REJOIN_RETRY} until the room answers.
   */
  private void rejoinThroughSharding(Membership.Room room, OptionalLong after) {
    member.entered(room.name(), null, ChatRoom.throughSharding(context.getSystem(), room.name()));
    member.room(room.name()).link().tell(join(ChatRoom.Arrival.REJOINED, after, true));
    // One timer a room (keyed by the room), whatever the number it waits with.
    timers.startSingleTimer(room.key(), new RejoinDue(room.key(), after), REJOIN_RETRY);
  }

  /** The room has not answered a rejoin: if it still has not, the join goes again. */
  private Behavior<Command> onRejoinDue(RejoinDue due) {
    Membership.Room room = member == null ? null : member.room(due.room());
    if (room != null && room.ref() == null) {
      rejoinThroughSharding(room, due.after());
    }
    return Behaviors.same();
  }

  /**
   * In a room whose actor is {@code ref}; in a cluster the session watches it: a room whose node
   * is lost never answers again, and is reached through Cluster Sharding, which starts it anew.
   */
  void entered(String room, ActorRef<ChatRoom.Command> ref, chat.room.RoomLink link) {
    member.entered(room, ref, link);
    if (roomsMayMove()) {
      context.unwatch(ref);
      context.watchWith(ref, new RoomGone(room, ref));
    }
  }

  /** A room's actor this session sent to has stopped (a cluster): the room is elsewhere now. */
  private Behavior<Command> onRoomGone(RoomGone gone) {
    Membership.Room room = member == null ? null : member.room(gone.room());
    if (room == null || room.ref() != null && !gone.ref().equals(room.ref())) {
      return Behaviors.same(); // a room left, or an actor the room had before the one it has
    }
    // Back in at once: the room starts again where Sharding puts it now (its node was lost, and
    // nobody else may send to it for a while); as it starts it asks everyone back with where
    // their node left off.
    rejoinThroughSharding(room, OptionalLong.empty());
    return orSame(lines.roomRestarted(room.key()));
  }

  /** Back in a room that restarted or moved: its lines go to the room's actor now. */
  private Behavior<Command> onRejoined(ChatRoom.Rejoined back) {
    if (member.room(back.room()) != null) {
      entered(back.room(), back.ref(), back.link(context.getSystem()));
    }
    return Behaviors.same();
  }

  private Behavior<Command> onLost(StreamFailed failed) {
    log.debug("Connection [{}] failed: {}", connection.peer(), failed.cause().toString());
    return leave(ChatRoom.Departure.LOST, null, null);
  }

  // What MemberLines needs of the session.

  org.apache.pekko.actor.typed.ActorSystem<?> system() {
    return context.getSystem();
  }

  Membership member() {
    return member;
  }

  Parts parts() {
    return parts;
  }

  ServerSettings settings() {
    return settings;
  }

  LineAdmission admission() {
    return admission;
  }

  ArrayDeque<LineFraming.Frame> backlog() {
    return backlog;
  }

  /** Where answers to what the member's lines ask come: the session's one adapter. */
  ActorRef<ToSession> replies() {
    return replies;
  }

  /**
   * Asks the holder of {@code name} who it is, wherever it is; the answer comes as the
   * registry's replies do. A holder that does not answer within {@link #WHOIS_WAIT} (its session
   * is closing) counts as not online.
   */
  void whois(String name) {
    context.ask(NameRegistry.WhoisReply.class, parts.names(), WHOIS_WAIT,
        replyTo -> new NameRegistry.Whois(name, replyTo),
        (answer, failure) -> new Reply(answer != null ? answer : new NameRegistry.NotOnline(name)));
  }

  /** Whether the member's rooms are entities of a cluster, which may move between nodes. */
  boolean roomsMayMove() {
    return parts.nodes().inCluster();
  }

  /** A group of lines has gone to a room that may move: its acknowledgement is awaited so long. */
  void expectGroupDone() {
    timers.startSingleTimer(GroupTimedOut.INSTANCE, GROUP_WAIT);
  }

  /** Where a room acknowledges a group of lines that did not end the batch. */
  ActorRef<ChatRoom.Processed> groupDone() {
    return context.messageAdapter(ChatRoom.Processed.class, processed -> GroupDone.INSTANCE);
  }

  /** Takes the stream's acknowledgement for the batch: the last room to handle it gives it. */
  ActorRef<ChatRoom.Processed> takeStreamAck() {
    ActorRef<ChatRoom.Processed> ack = streamAck;
    streamAck = null;
    return ack;
  }

  /** Makes a room the member is in its current one. */
  void makeCurrent(String room) {
    member.makeCurrent(room);
    parts.delivery().tell(new Delivery.Current(member.id, room));
  }

  /** A line for the joined client, in its place among its rooms' lines. */
  void tell(Event event) {
    parts.delivery().tell(new Delivery.Tell(member.id, List.of(event)));
  }

  /** Lines for the joined client, in their place among its rooms' lines. */
  void tell(List<Event> events) {
    parts.delivery().tell(new Delivery.Tell(member.id, events));
  }

  // Leaving.

  /**
   * Leaves every room as {@code how} says ({@code detail}: a kick's reason); {@code farewell}, if
   * any, is the client's last line. One who quits is told it left, as the seed did.
   */
  Behavior<Command> leave(ChatRoom.Departure how, String detail, Event farewell) {
    member.rooms().forEach(room -> room.link().tell(new ChatRoom.Leave(member.id, how,
        detail, member.isCurrent(room.name()), replies.narrow())));
    boolean inputEnded = how == ChatRoom.Departure.CLOSED || how == ChatRoom.Departure.LOST;
    log.info("Member [{}] left ({})", member.name, how);
    timers.startSingleTimer(LeaveTimedOut.INSTANCE, LEAVE_WAIT);
    return leavingRooms(member.rooms().size(), how, inputEnded, farewell);
  }

  /**
   * Waits until every room has sent its last lines for the member (or for {@link #LEAVE_WAIT}: in
   * a cluster, a room handed over as its node stops may drop the leave), then lets go of the
   * rest.
   */
  private Behavior<Command> leavingRooms(
      int waiting, ChatRoom.Departure how, boolean inputEnded, Event farewell) {
    if (waiting <= 0) {
      timers.cancel(LeaveTimedOut.INSTANCE);
      if (!moving) {
        parts.names().tell(new NameRegistry.Release(member.id, context.getSelf()));
      }
      parts.delivery().tell(
          new Delivery.Unregister(member.id, replies.narrow(), replies.narrow()));
      return unregistering(how, inputEnded, farewell);
    }
    return Behaviors.receive(Command.class)
        .onMessage(Reply.class, wrapped -> wrapped.message() instanceof ChatRoom.Left
            ? leavingRooms(waiting - 1, how, inputEnded, farewell)
            : handOverNothing(wrapped))
        .onMessageEquals(LeaveTimedOut.INSTANCE, () -> leavingRooms(0, how, inputEnded, farewell))
        .onAnyMessage(this::stashed)
        .onSignal(PostStop.class, this::onPostStop)
        .build();
  }

  /**
   * A new connection takes the member over while this one is leaving: the member has left its
   * rooms (they were told), so there is nothing to hand over, and the new connection comes in
   * afresh; unless the member is moving to another node: its rooms were not told, and it comes
   * back into them unseen.
   */
  private Behavior<Command> handOverNothing(Reply reply) {
    if (reply.message() instanceof NameRegistry.TakenOver takenOver) {
      takenOver.by().tell(movedFrom != null ? movedFrom : NameRegistry.AlreadyLeft.INSTANCE);
    }
    return Behaviors.same();
  }

  /** Waits until the Delivery offers the outbox nothing more, then closes. */
  private Behavior<Command> unregistering(ChatRoom.Departure how, boolean inputEnded, Event farewell) {
    return Behaviors.receive(Command.class)
        .onMessage(Reply.class, unregistered -> {
          if (!(unregistered.message() instanceof Delivery.Unregistered)) {
            return handOverNothing(unregistered);
          }
          member = null;
          if (how == ChatRoom.Departure.SLOW) {
            // It is not reading: only the farewell is worth its last bytes.
            connection.discard();
          }
          // A shutdown that came while leaving still gets the last word.
          boolean shutdown = how == ChatRoom.Departure.SHUTDOWN
              || stash.anyMatch(waiting -> waiting == Shutdown.INSTANCE);
          Event last = shutdown ? shutdownLine() : farewell;
          return stash.unstashAll(closeWith(last, inputEnded));
        })
        .onAnyMessage(this::stashed)
        .onSignal(PostStop.class, this::onPostStop)
        .build();
  }

  Event floodingFarewell() {
    metrics.floodDisconnects.increment();
    log.info("Disconnecting [{}] for flooding", connection.peer());
    return error(ServerLines.flooding(settings.rate().linesPerSecond()));
  }

  /** The client stopped reading: what is queued for it goes, and so does the client. */
  private Behavior<Command> onFellBehind() {
    return leave(ChatRoom.Departure.SLOW, null, tooSlow());
  }

  private Behavior<Command> onFellBehindBeforeJoin() {
    Event farewell = tooSlow();
    connection.discard();
    return closeWith(farewell);
  }

  private Event tooSlow() {
    metrics.slowDisconnects.increment();
    log.info("Disconnecting [{}]: not reading for [{}]",
        connection.peer(), ServerLines.describe(settings.slowClientTimeout()));
    return error(ServerLines.tooSlow(settings.slowClientTimeout()));
  }

  // Closing.

  private Behavior<Command> closeWith(Event lastLine) {
    return closeWith(lastLine, false);
  }

  private Behavior<Command> closeWith(Event lastLine, boolean inputEnded) {
    backlog.clear();
    ackStream();
    if (lastLine != null) {
      write(lastLine);
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
        .onMessage(Reply.class, this::handOverNothing)
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
      log.warn("Session stash full; cutting the connection of [{}]", connection.peer());
      return Behaviors.stopped();
    }
    stash.stash(command);
    return Behaviors.same();
  }

  /** Lets the stream deliver the next batch, if it waits for this session. */
  void ackStream() {
    if (streamAck != null) {
      streamAck.tell(ChatRoom.Processed.INSTANCE);
      streamAck = null;
    }
  }

  private Behavior<Command> acknowledge(ActorRef<ChatRoom.Processed> ackTo) {
    ackTo.tell(ChatRoom.Processed.INSTANCE);
    return Behaviors.same();
  }

  /** The mode asked for, unless the transport carries machine mode only. */
  private void useMode(Mode asked) {
    this.mode = connection.machineOnly() ? Mode.JSON : asked;
    connection.mode(this.mode);
  }

  /** A line straight to the connection: before the member's lines go through the Delivery. */
  private void write(Event event) {
    connection.offer(Encoded.line(event, mode, null));
  }

  static Event error(String text) {
    return new Event.Error(now(), text);
  }

  static long now() {
    return System.currentTimeMillis();
  }

  /**
   * Whatever the phase, a stopped session leaves no connection behind; a member whose session
   * failed is taken out of its rooms as lost, and its name freed.
   */
  /**
   * A stopping server's last word to a member: where the chat goes on, when this node leaves a
   * cluster that stays; else the shutdown.
   */
  private Event shutdownLine() {
    List<String> others = parts.nodes().others();
    boolean wholeChat = CoordinatedShutdown.get(context.getSystem()).getShutdownReason()
        .filter(reason -> reason == Supervisor.Reason.CLUSTER).isPresent();
    if (!others.isEmpty() && !wholeChat && member != null && !moving) {
      // Held now, long before this session stops: its stopping then no longer frees the name.
      moving = true;
      movedFrom = new NameRegistry.HandOver(member.roomNames(), member.current(), member.away());
      parts.names().tell(new NameRegistry.Hold(member.id, context.getSelf(), MOVING_HOLD));
    }
    return moving ? new Event.Moving(now(), others) : new Event.Shutdown(now());
  }

  private Behavior<Command> onPostStop(PostStop signal) {
    if (member != null) {
      member.rooms().forEach(room -> room.link().tell(
          new ChatRoom.Leave(member.id, ChatRoom.Departure.LOST, null, null)));
      if (!moving) {
        parts.names().tell(new NameRegistry.Release(member.id, context.getSelf()));
      }
      parts.delivery().tell(new Delivery.Unregister(member.id, replies.narrow(),
          context.getSystem().ignoreRef()));
    }
    connection.abort();
    return Behaviors.same();
  }

  /** Which rooms a member's join goes to, with how it arrives in each, the current one last. */
  record RoomsToJoin(List<Join> joins, String current, boolean fresh) {

    record Join(String room, ChatRoom.Arrival arrival, OptionalLong after) {}

    /**
     * A join from the client's options: the rooms it gives what it saw in ({@code after=}), the
     * room it names ({@code room=}, its current one), else the lobby.
     */
    static RoomsToJoin of(ClientLines.JoinOptions options, ChatRoom.Arrival arrival) {
      String current = options.room().orElse(RoomNames.LOBBY);
      java.util.LinkedHashMap<String, Join> joins = new java.util.LinkedHashMap<>();
      options.seen().forEach((room, seq) ->
          joins.put(RoomNames.key(room), new Join(room, arrival, OptionalLong.of(seq))));
      if (options.room().isEmpty() && !joins.isEmpty()) {
        current = joins.values().stream().reduce((first, second) -> second).orElseThrow().room();
      }
      Join last = joins.remove(RoomNames.key(current));
      OptionalLong after = last != null ? last.after() : options.after();
      joins.put(RoomNames.key(current), new Join(current, arrival, after));
      return new RoomsToJoin(List.copyOf(joins.values()), current,
          arrival == ChatRoom.Arrival.NEW);
    }

    /** How many rooms a join line names ({@code after=} and {@code room=}). */
    static int count(ClientLines.JoinOptions options) {
      Set<String> rooms = new java.util.HashSet<>();
      options.seen().keySet().forEach(room -> rooms.add(RoomNames.key(room)));
      options.room().ifPresent(room -> rooms.add(RoomNames.key(room)));
      return rooms.size();
    }

    /**
     * A take-over: the member's rooms, as its former connection had them, each with what the
     * client says it saw there; a room the client names that the member is not in, added.
     */
    static RoomsToJoin resumed(
        ClientLines.JoinOptions options, List<String> rooms, String was, int most) {
      Map<String, Long> seen = new java.util.HashMap<>();
      options.seen().forEach((room, seq) -> seen.put(RoomNames.key(room), seq));
      String current = options.room().orElse(was);
      options.room().ifPresent(room -> seen.putIfAbsent(RoomNames.key(room),
          options.after().isPresent() ? options.after().getAsLong() : null));
      java.util.LinkedHashMap<String, Join> joins = new java.util.LinkedHashMap<>();
      for (String room : rooms) {
        Long after = seen.get(RoomNames.key(room));
        joins.put(RoomNames.key(room), new Join(room, ChatRoom.Arrival.RESUMED,
            after == null ? OptionalLong.empty() : OptionalLong.of(after)));
      }
      if (current != null && !joins.containsKey(RoomNames.key(current)) && joins.size() >= most) {
        // The room named would be one too many: the member stays where it was.
        current = was;
      }
      if (current != null && !joins.containsKey(RoomNames.key(current))) {
        joins.put(RoomNames.key(current), new Join(current, ChatRoom.Arrival.ADDED,
            OptionalLong.empty()));
      }
      if (current != null) {
        joins.put(RoomNames.key(current), joins.remove(RoomNames.key(current)));
      }
      return new RoomsToJoin(List.copyOf(joins.values()),
          current == null ? RoomNames.LOBBY : current, false);
    }
  }
}
