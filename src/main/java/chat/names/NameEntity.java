package chat.names;

import chat.cluster.CrossNode;
import chat.protocol.Event;
import chat.protocol.Names;
import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityContext;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One name of a cluster's chat, an entity of Cluster Sharding kept in the journal: who holds it
 * (member number, name as written, the digest of the resume token, the session and where what is
 * for the name goes). Its id is the name's {@link Names#key}, so that claims of one name (in any
 * case, or looking like it) meet in one actor wherever they come from; where the name's {@link
 * Names#lookKey} is another string, the entity of that id keeps the look taken too (holding the
 * member and the name only). A claim
 * outlives the entity's passivation, a rebalance and the loss of its node: the next one reads it
 * back and watches the holder's session again. A holder whose session stops without letting the
 * name go (its node was lost) keeps the name for the resume window, for its client to come back
 * on another node; then the name is free. Reached through {@link NameShards}.
 */
public final class NameEntity
    extends EventSourcedBehavior<NameEntity.Command, NameEntity.Stored, NameEntity.State> {

  public static final EntityTypeKey<Command> ENTITY = EntityTypeKey.create(Command.class, "name");

  /** How long a name waits for its holder whose session stopped without letting it go. */
  static final Duration RESUME_WINDOW = Duration.ofSeconds(30);

  /** The entity that decides claims of the name: the one of its look-alike key. */
  static String keyId(String name) {
    return Names.key(name);
  }

  /**
   * The entity of the name's look: most often its key's own; one of another key's when the name
   * is written in capitals that look like another script's ({@code ΤΕΑΜ} looks like {@code
   * team}), which a claim of that other name must meet too.
   */
  static String lookId(String name) {
    return Names.lookKey(name);
  }

  public sealed interface Command extends CrossNode {}

  /**
   * Takes the name for {@code member}, or keeps it if the member holds it already; {@code owner}
   * and {@code session} are null for a look entity. Answered {@link Took}.
   */
  record Take(String name, long member, String tokenDigest, ActorRef<NameRegistry.ToOwner> owner,
      ActorRef<?> session, ActorRef<Took> replyTo) implements Command {}

  /** Whether the name is the member's now; if not, {@code holder} is the name that has it. */
  record Took(boolean taken, String holder) implements CrossNode {}

  /**
   * A new connection takes the holder over with its token (by digest); the new token's digest
   * replaces it. Answered {@link Handed}: the holder, and its owner before, if the token was
   * right.
   */
  record Resume(String tokenDigest, String newDigest, ActorRef<NameRegistry.ToOwner> owner,
      ActorRef<?> session, ActorRef<Handed> replyTo) implements Command {}

  /** The holder, if the request could have it: number, name, token digest, owner and session. */
  record Handed(Optional<Holder> holder) implements CrossNode {}

  /** Asks for the holder of a name (a rename carries it over to the new name). */
  record Get(ActorRef<Handed> replyTo) implements Command {}

  /**
   * The member lets the name go from {@code session} (null: whichever holds it); a key entity also
   * lets its look go, unless {@code keepLook}. {@code replyTo}, if not null, is told once the
   * name is free (or was not the member's).
   */
  record Free(long member, ActorRef<?> session, boolean keepLook, ActorRef<Done> replyTo)
      implements Command {

    /** Lets the name go without an answer. */
    Free(long member, ActorRef<?> session, boolean keepLook) {
      this(member, session, keepLook, null);
    }
  }

  /** A private message for the holder, if the name it holds is {@code message.to()} as written. */
  record SendPrivate(Event.Private message, ActorRef<NameRegistry.SendReply> replyTo)
      implements Command {}

  /** Asks the holder of the name written {@code name} who it is ({@link NameRegistry.Whois}). */
  record Whois(String name, ActorRef<NameRegistry.WhoisReply> replyTo) implements Command {}

  /** The operator removes the holder of the name written {@code name}. */
  record Kick(String name, Optional<String> reason, ActorRef<NameRegistry.SendReply> replyTo)
      implements Command {}

  /** The holder's session stops as its node leaves: the name waits {@code forHowLong} for it. */
  record Hold(long member, ActorRef<?> session, Duration forHowLong) implements Command {}

  private record SessionStopped(long member, ActorRef<?> session) implements Command {}

  private record HoldExpired(long member, ActorRef<?> session) implements Command {}

  /** Who holds a name. */
  record Holder(long member, String name, String tokenDigest,
      ActorRef<NameRegistry.ToOwner> owner, ActorRef<?> session) implements CrossNode {}

  /** What the journal keeps of a name. */
  sealed interface Stored extends chat.support.Stored {}

  record Held(Holder holder) implements Stored {}

  record Freed() implements Stored {}

  /** The name's state: its holder, if any. */
  record State(Holder holder) implements chat.support.Stored {
    static final State FREE = new State(null);
  }

  static Behavior<Command> create(EntityContext<Command> entity) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new NameEntity(entity, context, timers)));
  }

  private final EntityContext<Command> entity;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;

  private NameEntity(EntityContext<Command> entity, ActorContext<Command> context,
      TimerScheduler<Command> timers) {
    super(PersistenceId.of(ENTITY.name(), entity.getEntityId()));
    this.entity = entity;
    this.context = context;
    this.timers = timers;
  }

  @Override
  public State emptyState() {
    return State.FREE;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(50, 1);
  }

  @Override
  public CommandHandler<Command, Stored, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Take.class, this::onTake)
        .onCommand(Resume.class, this::onResume)
        .onCommand(Get.class, (state, get) -> reply(get.replyTo(),
            new Handed(Optional.ofNullable(state.holder()))))
        .onCommand(Free.class, this::onFree)
        .onCommand(SendPrivate.class, this::onSendPrivate)
        .onCommand(Kick.class, this::onKick)
        .onCommand(Whois.class, this::onWhois)
        .onCommand(Hold.class, this::onHold)
        .onCommand(SessionStopped.class, this::onSessionStopped)
        .onCommand(HoldExpired.class, (state, expired) ->
            holds(state, expired.member(), expired.session()) ? free(state, false, null) : Effect().none())
        .build();
  }

  @Override
  public EventHandler<State, Stored> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(Held.class, (state, held) -> new State(held.holder()))
        .onEvent(Freed.class, (state, freed) -> State.FREE)
        .build();
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> watch(state.holder()))
        .build();
  }

  private Effect<Stored, State> onTake(State state, Take take) {
    Holder holder = state.holder();
    if (holder != null && holder.member() != take.member()) {
      return reply(take.replyTo(), new Took(false, holder.name()));
    }
    Holder taking = new Holder(take.member(), take.name(), take.tokenDigest(), take.owner(),
        take.session());
    unwatch(holder); // the member's, taken again (a rename): what it is now is watched
    return Effect().persist(new Held(taking)).thenRun(taken -> {
      watch(taking);
      take.replyTo().tell(new Took(true, take.name()));
    });
  }

  private Effect<Stored, State> onResume(State state, Resume resume) {
    Holder holder = state.holder();
    if (holder == null || holder.tokenDigest() == null
        || !holder.tokenDigest().equals(resume.tokenDigest())) {
      return reply(resume.replyTo(), new Handed(Optional.empty()));
    }
    unwatch(holder);
    Holder resumed = new Holder(holder.member(), holder.name(), resume.newDigest(),
        resume.owner(), resume.session());
    return Effect().persist(new Held(resumed)).thenRun(taken -> {
      watch(resumed);
      resume.replyTo().tell(new Handed(Optional.of(holder)));
    });
  }

  private Effect<Stored, State> onFree(State state, Free free) {
    Holder holder = state.holder();
    boolean fromHolder = holder != null && holder.member() == free.member()
        && (free.session() == null || free.session().equals(holder.session()));
    if (!fromHolder) {
      if (free.replyTo() != null) {
        free.replyTo().tell(Done.getInstance());
      }
      return Effect().none();
    }
    return free(state, free.keepLook(), free.replyTo());
  }

  /**
   * Lets the name go (and a key entity its look, unless kept), tells {@code replyTo} (if any),
   * then passivates.
   */
  private Effect<Stored, State> free(State state, boolean keepLook, ActorRef<Done> replyTo) {
    Holder holder = state.holder();
    unwatch(holder);
    timers.cancelAll();
    return Effect().persist(new Freed()).thenRun(freed -> {
      if (replyTo != null) {
        replyTo.tell(Done.getInstance());
      }
      String look = lookId(holder.name());
      if (!keepLook && holder.session() != null && !look.equals(entity.getEntityId())) {
        ClusterSharding.get(context.getSystem()).entityRefFor(ENTITY, look)
            .tell(new Free(holder.member(), null, true));
      }
      entity.getShard().tell(new ClusterSharding.Passivate<>(context.getSelf()));
    });
  }

  private Effect<Stored, State> onSendPrivate(State state, SendPrivate send) {
    return toHolder(state, send.message().to(),
        new NameRegistry.PrivateMessage(send.message(), send.replyTo()), send.replyTo());
  }

  private Effect<Stored, State> onKick(State state, Kick kick) {
    return toHolder(state, kick.name(), new NameRegistry.Kicked(kick.reason()), kick.replyTo());
  }

  /**
   * Tells the holder {@code message} if the name it holds is {@code name} as written (in any
   * case), never a look-alike; answers whether it was.
   */
  private Effect<Stored, State> toHolder(State state, String name,
      NameRegistry.ToOwner message, ActorRef<NameRegistry.SendReply> replyTo) {
    Optional<Holder> holder = holderOf(state, name);
    holder.ifPresent(found -> found.owner().tell(message));
    return reply(replyTo, holder.<NameRegistry.SendReply>map(
        found -> new NameRegistry.Sent(found.name())).orElseGet(
            () -> new NameRegistry.NotOnline(name)));
  }

  /** The holder's session answers who it is; no one holds the name as written: not online. */
  private Effect<Stored, State> onWhois(State state, Whois whois) {
    holderOf(state, whois.name()).ifPresentOrElse(
        found -> found.owner().tell(new NameRegistry.DescribeYourself(whois.replyTo())),
        () -> whois.replyTo().tell(new NameRegistry.NotOnline(whois.name())));
    return Effect().none();
  }

  /** The holder, if the name it holds is {@code name} as written (any case), not a look-alike. */
  private static Optional<Holder> holderOf(State state, String name) {
    return Optional.ofNullable(state.holder())
        .filter(holder -> holder.owner() != null && Names.same(holder.name(), name));
  }

  private Effect<Stored, State> onHold(State state, Hold hold) {
    if (holds(state, hold.member(), hold.session())) {
      unwatch(state.holder());
      timers.startSingleTimer(new HoldExpired(hold.member(), hold.session()), hold.forHowLong());
    }
    return Effect().none();
  }

  /** The holder's session stopped without letting the name go: it waits for its client. */
  private Effect<Stored, State> onSessionStopped(State state, SessionStopped stopped) {
    if (holds(state, stopped.member(), stopped.session())) {
      timers.startSingleTimer(new HoldExpired(stopped.member(), stopped.session()), RESUME_WINDOW);
    }
    return Effect().none();
  }

  private static boolean holds(State state, long member, ActorRef<?> session) {
    Holder holder = state.holder();
    return holder != null && holder.member() == member && session.equals(holder.session());
  }

  private void watch(Holder holder) {
    if (holder != null && holder.session() != null) {
      context.watchWith(holder.session(), new SessionStopped(holder.member(), holder.session()));
    }
  }

  private void unwatch(Holder holder) {
    if (holder != null && holder.session() != null) {
      context.unwatch(holder.session());
    }
  }

  private <T> Effect<Stored, State> reply(ActorRef<T> replyTo, T answer) {
    replyTo.tell(answer);
    return Effect().none();
  }
}
