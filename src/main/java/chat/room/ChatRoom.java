package chat.room;

import chat.protocol.ClientLines;
import chat.protocol.Commands;
import chat.protocol.Event;
import chat.protocol.Names;
import chat.protocol.RoomNames;
import chat.support.Sha256;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The chat: owns the names in use and the rooms, with their topics and histories, and fans every
 * event out to the members' outboxes, encoding it once per mode. Created by the Supervisor;
 * sessions join, send commands and leave through it; the admin console asks it and kicks through
 * it. It watches each member's session, so one that dies without leaving is removed and announced.
 */
public final class ChatRoom extends AbstractBehavior<ChatRoom.Command> {

  public sealed interface Command {}

  /**
   * Asks to join under {@code name}; the answer is {@link Joined} or {@link JoinRejected}. A
   * {@code token} matching the name's current holder takes the name over from it (a reconnect).
   */
  public record Join(
      String name,
      ClientLines.JoinOptions options,
      ActorRef<?> session,
      ActorRef<Evicted> evictTo,
      Outbox outbox,
      ActorRef<JoinReply> replyTo)
      implements Command {}

  /**
   * Chat text and commands, in the order sent, from the member whose session this is; once
   * done, the room tells {@code ackTo}, so a client can never have more than one batch of lines
   * waiting in the room.
   */
  public record Perform(
      ActorRef<?> session, List<ClientLines.AfterJoin> requests, ActorRef<Processed> ackTo)
      implements Command {
    public Perform {
      requests = List.copyOf(requests);
    }
  }

  /** A client's line has been handled: its connection may deliver the next. */
  public enum Processed {
    INSTANCE
  }

  /** A member leaves; the room announces it as {@code how} says, then answers {@link Left}. */
  public record Leave(ActorRef<?> session, Departure how, ActorRef<Left> replyTo)
      implements Command {}

  /** Asks who is online, and where. */
  public record ListMembers(ActorRef<Members> replyTo) implements Command {}

  /** Asks for the rooms. */
  public record ListRooms(ActorRef<Rooms> replyTo) implements Command {}

  /** The operator removes a member, who is told why. */
  public record Kick(String name, Optional<String> reason, ActorRef<KickReply> replyTo)
      implements Command {}

  /** The operator's message to every room. */
  public record Announce(String text) implements Command {}

  public record GetStats(ActorRef<Stats> replyTo) implements Command {}

  private record SessionStopped(ActorRef<?> session) implements Command {}

  /** Sends the posts pending since the first of them arrived. */
  private enum Flush implements Command {
    INSTANCE
  }

  /** What the room tells a session: a session needs one adapter for all of it. */
  public interface SessionReply {}

  public sealed interface JoinReply extends SessionReply {}

  public record Joined(String name) implements JoinReply {}

  public record JoinRejected(String reason) implements JoinReply {}

  public record Left() implements SessionReply {}

  /** Tells a session that its member was removed by the room (kicked or taken over). */
  public record Evicted(String reason) implements SessionReply {}

  public record Members(List<Event.Presence> members) {
    public Members {
      members = List.copyOf(members);
    }
  }

  public record Rooms(List<Event.RoomInfo> rooms) {
    public Rooms {
      rooms = List.copyOf(rooms);
    }
  }

  public sealed interface KickReply {}

  public record Kicked(String name) implements KickReply {}

  public record NotOnline(String name) implements KickReply {}

  /**
   * Members online, rooms, messages posted since start, messages held in histories, and the
   * members with the most bytes waiting in their outboxes now (deepest first, none empty).
   */
  public record Stats(
      int members, int rooms, long messages, long historyHeld, List<Backlog> deepest) {
    public Stats {
      deepest = List.copyOf(deepest);
    }
  }

  /** A member's outbox: how many bytes wait in it. */
  public record Backlog(String name, long bytes) {}

  /** What a member is told when the server failed to carry out its line. */
  static final String FAILED =
      "The server could not carry out that line (a fault on its side, logged for the operator).";

  /** How many of the deepest outboxes {@link Stats} names. */
  static final int DEEPEST_SHOWN = 3;

  /** How a member went, which decides what the others are told. */
  public enum Departure {
    /** Sent {@code !quit}: everybody in the room, the quitter too, is told. */
    QUIT,
    /** Closed the connection: the others are told the member left. */
    CLOSED,
    /** Lost through an error or reset: the others are told it was unexpected. */
    LOST,
    /** The server is shutting down: nobody is told. */
    SHUTDOWN,
    /** Disconnected for not reading while lines piled up: the others are told why. */
    SLOW,
    /** Disconnected for flooding past the rate limit: the others are told why. */
    FLOODING
  }

  public static Behavior<Command> create(RoomSettings settings) {
    return Behaviors.setup(
        context -> {
          Names.load();
          return Behaviors.withTimers(timers -> new ChatRoom(context, timers, settings));
        });
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * How long notices of members coming and going may wait to be sent together: joins that come
   * in a crowd then cost each member one write per interval, not one per join. Every such write
   * reaches every member, so a bigger room waits longer: 100 ms up to 1,000 members, then 0.1 ms
   * more per member, up to a second from 10,000 members on. A post sends them at once.
   */
  static Duration presenceDelay(int members) {
    return Duration.ofMillis(Math.min(1000, Math.max(100, members / 10)));
  }

  private final TimerScheduler<Command> timers;
  private final RoomSettings settings;
  private final Map<String, Member> byName = new HashMap<>();
  private final Map<ActorRef<?>, Member> bySession = new HashMap<>();
  /** Members by a digest of their token, so a lookup's timing says nothing of the token. */
  private final Map<String, Member> byToken = new HashMap<>();
  private final Map<String, Room> rooms = new LinkedHashMap<>();
  private final Room lobby;
  private final Conversations conversations;
  private final PendingPosts pending = new PendingPosts();
  /** When the flush timer fires, in {@link System#nanoTime} terms, while it runs. */
  private long flushDue;
  private long messages;

  private ChatRoom(
      ActorContext<Command> context, TimerScheduler<Command> timers, RoomSettings settings) {
    super(context);
    this.timers = timers;
    this.settings = settings;
    this.lobby = room(RoomNames.LOBBY);
    this.conversations = new Conversations(this);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Join.class, this::onJoin)
        .onMessage(Perform.class, this::onPerform)
        .onMessage(Leave.class, this::onLeave)
        .onMessage(SessionStopped.class, this::onSessionStopped)
        .onMessage(ListMembers.class, this::onListMembers)
        .onMessage(ListRooms.class, list -> reply(list.replyTo(), new Rooms(roomInfos())))
        .onMessage(Kick.class, this::onKick)
        .onMessage(Announce.class, this::onAnnounce)
        .onMessage(GetStats.class, stats -> reply(stats.replyTo(), stats()))
        .onMessageEquals(Flush.INSTANCE, this::onFlush)
        .build();
  }

  private Behavior<Command> onFlush() {
    pending.flush();
    return this;
  }

  private Behavior<Command> onJoin(Join join) {
    Member owner = join.options().token().map(token -> byToken.get(digest(token))).orElse(null);
    Member holder = byName.get(Names.key(join.name()));
    if (owner == null && holder != null) {
      join.replyTo().tell(new JoinRejected(Names.takenBecauseOf(join.name(), holder.name)));
      return this;
    }
    Room room = owner != null ? owner.room : lobby;
    Optional<String> wanted = join.options().room();
    if (wanted.isPresent()) {
      room = room(wanted.get());
      if (room == null) {
        join.replyTo().tell(new JoinRejected(noRoomFor(wanted.get()) + "; join without room=."));
        return this;
      }
    }
    if (owner != null) {
      flushPending();
      takeOver(owner, join, room);
    } else {
      admit(join, room);
    }
    return this;
  }

  private void admit(Join join, Room room) {
    Member member = new Member(join.name(), newToken(), join);
    byName.put(Names.key(member.name), member);
    byToken.put(digest(member.token), member);
    member.room = room;
    // The others' copies of the join line wait for the flush, so that joins arriving together
    // cost each member one write; queued before the newcomer is in the room, so that a flush
    // this causes does not reach the newcomer. The newcomer's own comes first, at once.
    Encoded joined = new Encoded(new Event.Joined(now(), room.name, member.name, false));
    pending(room, joined, member, presenceDelay(room.members.size()));
    room.members.add(member);
    pending.startNow(room, member);
    conversations.welcome(member);
    member.send(joined);
    conversations.arrive(member, join.options().after(), false);
    // Only now may the session write to the outbox: the join line must come first.
    register(member, join);
    getContext().getLog().info("Member [{}] joined [{}], [{}] online",
        member.name, room.name, byName.size());
  }

  /**
   * A reconnect with the member's token, under whatever name it has now: the new connection
   * replaces the old one unseen by others, in the room the client says it is in, and is sent what
   * it missed there.
   */
  private void takeOver(Member member, Join join, Room room) {
    member.send(new Event.Error(now(), "Your name was taken over by a new connection."));
    member.evictTo.tell(new Evicted("taken over by a new connection"));
    bySession.remove(member.session);
    getContext().unwatch(member.session);
    // The token is spent: whoever else knows it cannot take the name in turn.
    byToken.remove(digest(member.token));
    member.token = newToken();
    byToken.put(digest(member.token), member);
    member.attach(join);
    if (room != member.room) {
      conversations.relocate(member, room);
    }
    conversations.welcome(member);
    member.send(new Event.Joined(now(), member.room.name, member.name, false));
    conversations.arrive(member, join.options().after(), false);
    register(member, join);
    getContext().getLog().info("Member [{}] reconnected", member.name);
  }

  private void register(Member member, Join join) {
    bySession.put(join.session(), member);
    getContext().watchWith(join.session(), new SessionStopped(join.session()));
    join.replyTo().tell(new Joined(member.name));
  }

  private Behavior<Command> onPerform(Perform perform) {
    Member member = bySession.get(perform.session());
    if (member != null) {
      perform.requests().forEach(request -> performAlone(member, request));
    }
    perform.ackTo().tell(Processed.INSTANCE);
    return this;
  }

  /**
   * Carries out one request; a bug it runs into fails that request alone: its sender is told, the
   * others chat on, and the room keeps its members and histories (restarting the room would lose
   * them all, and the server with it).
   */
  private void performAlone(Member member, ClientLines.AfterJoin request) {
    try {
      conversations.perform(member, request);
    } catch (RuntimeException e) {
      getContext().getLog().error("Failed to carry out a line from [{}]", member.name, e);
      try {
        member.send(new Event.Error(now(), FAILED));
      } catch (RuntimeException again) {
        getContext().getLog().error("Failed to tell [{}] so", member.name, again);
      }
    }
  }

  private Behavior<Command> onLeave(Leave leave) {
    Member member = bySession.get(leave.session());
    if (member != null) {
      getContext().unwatch(member.session);
      remove(member, leave.how());
    }
    leave.replyTo().tell(new Left());
    return this;
  }

  private Behavior<Command> onSessionStopped(SessionStopped stopped) {
    Member member = bySession.get(stopped.session());
    if (member != null) {
      remove(member, Departure.LOST);
    }
    return this;
  }

  /**
   * Removes a member; the others in its room are told as {@code how} says, with the other posts
   * pending. One who quit gets what was pending for it and its own leaving line first.
   */
  private void remove(Member member, Departure how) {
    Room room = member.room;
    Event.Departure told = switch (how) {
      case QUIT -> Event.Departure.QUIT;
      case CLOSED -> Event.Departure.CLOSED;
      case LOST -> Event.Departure.LOST;
      case SLOW -> Event.Departure.SLOW;
      case FLOODING -> Event.Departure.FLOODING;
      case SHUTDOWN -> null;
    };
    Encoded notice = told == null ? null : new Encoded(left(member, told, null));
    if (how != Departure.LOST) {
      // It may still read: what was posted before it went is its due.
      pending.flushTo(member);
    }
    if (how == Departure.QUIT) {
      member.send(notice);
    }
    detach(member);
    if (notice != null) {
      pending(room, notice, member, presenceDelay(room.members.size()));
    }
    getContext().getLog().info("Member [{}] left ({}), [{}] online", member.name, how, byName.size());
  }

  /** Forgets the member everywhere; its room too, if that is now unused. */
  private void detach(Member member) {
    member.room.members.remove(member);
    byName.remove(Names.key(member.name));
    byToken.remove(digest(member.token));
    bySession.remove(member.session);
    forgetIfUnused(member.room);
  }

  private Behavior<Command> onListMembers(ListMembers list) {
    list.replyTo().tell(new Members(presences(null)));
    return this;
  }

  private Behavior<Command> onKick(Kick kick) {
    flushPending();
    Member member = member(Names.normalize(kick.name())).orElse(null);
    if (member == null) {
      kick.replyTo().tell(new NotOnline(kick.name()));
      return this;
    }
    String why = kick.reason().map(reason -> ": " + reason).orElse(".");
    member.send(new Event.Error(now(), "You were kicked by the server operator" + why));
    member.evictTo.tell(new Evicted("kicked"));
    getContext().unwatch(member.session);
    Event.Left kicked = left(member, Event.Departure.KICKED, kick.reason().orElse(null));
    detach(member);
    conversations.fanOut(member.room, kicked, null);
    kick.replyTo().tell(new Kicked(member.name));
    getContext().getLog().info("Member [{}] kicked: [{}]", member.name, kick.reason().orElse("no reason"));
    return this;
  }

  private Behavior<Command> onAnnounce(Announce announce) {
    flushPending();
    Encoded encoded = new Encoded(new Event.Announcement(now(), announce.text()));
    byName.values().forEach(member -> member.send(encoded));
    return this;
  }

  private <T> Behavior<Command> reply(ActorRef<T> replyTo, T answer) {
    replyTo.tell(answer);
    return this;
  }

  // What Conversations needs from the room's state.

  /**
   * Queues chat for the room's members but its sender. The first post pending asks for a flush,
   * which comes after the messages already waiting for the room, so posts that arrive together
   * go together.
   */
  void pending(Room room, Encoded post, Member sender) {
    if (pending.isEmpty() || timers.isTimerActive(Flush.INSTANCE)) {
      timers.cancel(Flush.INSTANCE);
      getContext().getSelf().tell(Flush.INSTANCE);
    }
    if (pending.add(room, post, sender)) {
      pending.flush();
    }
  }

  /**
   * Queues a notice for the room's members but its subject, to go within {@code delay}: sooner
   * if the flush is due sooner, and never later, whatever another room's notices allowed.
   */
  private void pending(Room room, Encoded notice, Member subject, Duration delay) {
    long due = System.nanoTime() + delay.toNanos();
    if (pending.isEmpty() || (timers.isTimerActive(Flush.INSTANCE) && due - flushDue < 0)) {
      timers.startSingleTimer(Flush.INSTANCE, delay);
      flushDue = due;
    }
    if (pending.add(room, notice, subject)) {
      pending.flush();
    }
  }

  /** Sends pending posts now: before anything else reaches a member or a room changes. */
  void flushPending() {
    if (!pending.isEmpty()) {
      pending.flush();
    }
  }

  /** Why a room could not be made: the start of an error line. */
  static String noRoomFor(String roomName) {
    return "The server has too many rooms to make " + roomName;
  }

  /**
   * The room of that name, made if it does not exist yet; null if it does not and there are
   * {@code chat.room.max-rooms} already, none of them empty.
   */
  Room room(String name) {
    Room existing = rooms.get(RoomNames.key(name));
    if (existing != null) {
      return existing;
    }
    if (rooms.size() >= settings.maxRooms() && !forgetAnEmptyRoom()) {
      return null;
    }
    Room room = new Room(name, settings);
    rooms.put(RoomNames.key(name), room);
    return room;
  }

  /** Makes space for a room by forgetting the oldest empty one, history and all. */
  private boolean forgetAnEmptyRoom() {
    for (Room room : rooms.values()) {
      if (room != lobby && room.members.isEmpty()) {
        rooms.remove(RoomNames.key(room.name));
        return true;
      }
    }
    return false;
  }

  /** A room that nobody is in and that holds no history is forgotten. */
  void forgetIfUnused(Room room) {
    if (room != lobby && room.members.isEmpty() && room.history.size() == 0) {
      rooms.remove(RoomNames.key(room.name));
    }
  }

  /** The member called {@code name} (in any case or width), not one whose name merely looks alike. */
  Optional<Member> member(String name) {
    return Optional.ofNullable(byName.get(Names.key(name)))
        .filter(member -> Names.same(member.name, name));
  }

  /**
   * Renames a member; if the new name, or one that looks like it, belongs to someone else, the
   * name of that someone.
   */
  Optional<String> rename(Member member, String newName) {
    Member holder = byName.get(Names.key(newName));
    if (holder != null && holder != member) {
      return Optional.of(holder.name);
    }
    byName.remove(Names.key(member.name));
    member.name = newName;
    byName.put(Names.key(newName), member);
    return Optional.empty();
  }

  void counted() {
    messages++;
  }

  RoomSettings settings() {
    return settings;
  }

  List<Event.Presence> presences(Room only) {
    List<Event.Presence> presences = new ArrayList<>();
    for (Room room : rooms.values()) {
      if (only == null || only == room) {
        room.members.forEach(member -> presences.add(new Event.Presence(member.name, room.name)));
      }
    }
    return presences;
  }

  List<Event.RoomInfo> roomInfos() {
    List<Event.RoomInfo> infos = new ArrayList<>();
    rooms.values().forEach(room -> infos.add(room.info()));
    infos.sort((a, b) -> a.room().compareToIgnoreCase(b.room()));
    return infos;
  }

  private Stats stats() {
    long held = rooms.values().stream().mapToLong(room -> room.history.size()).sum();
    List<Backlog> deepest = byName.values().stream()
        .map(member -> new Backlog(member.name, member.outbox.queuedBytes()))
        .filter(backlog -> backlog.bytes() > 0)
        .sorted((a, b) -> Long.compare(b.bytes(), a.bytes()))
        .limit(DEEPEST_SHOWN)
        .toList();
    return new Stats(byName.size(), rooms.size(), messages, held, deepest);
  }

  static long now() {
    return System.currentTimeMillis();
  }

  private static Event.Left left(Member member, Event.Departure how, String detail) {
    return new Event.Left(now(), member.room.name, member.name, how, detail);
  }

  private static String digest(String token) {
    return Base64.getEncoder().encodeToString(Sha256.of(token));
  }

  private static String newToken() {
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
