package chat.names;

import chat.cluster.CrossNode;
import chat.protocol.Event;
import chat.protocol.Names;
import chat.support.ToSession;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.agrona.collections.Hashing;
import org.agrona.collections.Long2ObjectHashMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Who holds which name: a member's name (by its {@link Names#key}, so that look-alikes count as
 * one), its stable member number, the digest of its resume token, and the session that owns it.
 * Claims, resumes by token, renames and releases go through it, one writer per name; it also
 * carries private messages and kicks to the owner of a name. It watches each owner and frees the
 * name of one that stops. Spawned by the Supervisor; lives as long as the server.
 */
public final class NameRegistry extends AbstractBehavior<NameRegistry.Command> {

  public sealed interface Command extends CrossNode {}

  /**
   * Asks for a name; the answer is {@link Claimed} or {@link Refused}. {@code owner} hears what
   * comes for the name; {@code session} is watched, so that a name whose session fails is freed.
   */
  public record Claim(
      String name, ActorRef<ToOwner> owner, ActorRef<?> session, ActorRef<ClaimReply> replyTo)
      implements Command {}

  /**
   * Takes over the member whose token this is, from another connection (a reconnect): the answer
   * is {@link Resumed}, its old owner is told {@link TakenOver}; or {@link NotResumed} if no
   * member has that token. {@code name}: the name the client gives with it, the member's name
   * as the client last knew it (a cluster finds the token's holder by it).
   */
  public record Resume(String token, String name, ActorRef<ToOwner> owner, ActorRef<?> session,
      ActorRef<ClaimReply> replyTo) implements Command {}

  /** The member takes another name; the answer is {@link RenamedTo} or {@link Refused}. */
  public record Rename(long member, String name, ActorRef<ClaimReply> replyTo)
      implements Command {}

  /**
   * The member has gone from {@code session}: its name is free, unless another session took the
   * member over meanwhile.
   */
  public record Release(long member, ActorRef<?> session) implements Command {}

  /** A private message for whoever holds {@code to}: answered {@link Sent} or {@link NotOnline}. */
  public record SendPrivate(Event.Private message, ActorRef<SendReply> replyTo)
      implements Command {}

  /**
   * Asks the holder of {@code name} (as written, in any case) who it is: its session answers
   * {@link Described}; the registry answers {@link NotOnline} if no one holds the name.
   */
  public record Whois(String name, ActorRef<WhoisReply> replyTo) implements Command {}

  /** The operator removes the holder of a name, who is told why. */
  public record Kick(String name, Optional<String> reason, ActorRef<SendReply> replyTo)
      implements Command {}

  /** Asks how many names are held. */
  public record Count(ActorRef<Counted> replyTo) implements Command {}

  /** Asks how many names this node's sessions hold (a node's share of a {@link Count}). */
  public record CountHere(ActorRef<Counted> replyTo) implements Command {}

  private record OwnerStopped(long member, ActorRef<?> session) implements Command {}

  /**
   * The member's session stops because its node leaves a chat that goes on elsewhere: the name
   * stays the member's for {@code forHowLong}, for its client to resume it, with its token, on
   * another node; then it is freed, unless resumed.
   */
  public record Hold(long member, ActorRef<?> session, java.time.Duration forHowLong)
      implements Command {}

  /** A name held for a moving member, not resumed in time. */
  private record HoldExpired(long member, ActorRef<?> session) implements Command {}

  /** What the registry answers about names. */
  public sealed interface ClaimReply extends ToSession {}

  /** The name is the member's; {@code token} lets a new connection take the member over. */
  public record Claimed(long member, String name, String token) implements ClaimReply {}

  /** Taken over; {@code token} is a new one, the old one no longer works. */
  public record Resumed(long member, String name, String token) implements ClaimReply {}

  public record NotResumed() implements ClaimReply {}

  public record RenamedTo(String old, String name) implements ClaimReply {}

  public record Refused(String reason) implements ClaimReply {}

  /**
   * What the registry answers about a message or kick for a name; and, for a message, the
   * recipient's session if it is away ({@link IsAway}).
   */
  public sealed interface SendReply extends ToSession {}

  public record Sent(String name) implements SendReply {}

  public record NotOnline(String name) implements SendReply, WhoisReply {}

  /**
   * From the session of a private message's recipient to its sender, after the registry's {@link
   * Sent}: the recipient {@code name} is away, {@code text} says why. Once per sender each time
   * the recipient marks itself away.
   */
  public record IsAway(String name, String text) implements SendReply {}

  /** The answer to a {@link Whois}: the holder's session's, or the registry's {@link NotOnline}. */
  public sealed interface WhoisReply extends ToSession {}

  /** Who the holder of a name is, as its session says. */
  public record Described(Event.Whois whois) implements WhoisReply {}

  public record Counted(int names) implements CrossNode {}

  /** What the owner of a name hears: from the registry, or from the owner before it. */
  public sealed interface ToOwner extends ToSession {}

  /** Another connection took the member over; {@code by} is its owner now. */
  public record TakenOver(ActorRef<ToOwner> by) implements ToOwner {}

  /**
   * A private message for the member; {@code replyTo}, its sender's, hears {@link IsAway} if the
   * member is away.
   */
  public record PrivateMessage(Event.Private message, ActorRef<SendReply> replyTo)
      implements ToOwner {}

  /** Someone asks who the member is: its session answers {@code replyTo} {@link Described}. */
  public record DescribeYourself(ActorRef<WhoisReply> replyTo) implements ToOwner {}

  /** The operator removed the member. */
  public record Kicked(Optional<String> reason) implements ToOwner {}

  /**
   * From a connection taken over while it was leaving (its client gone, unnoticed by the one
   * that took over): the member has left its rooms, which were told so.
   */
  public enum AlreadyLeft implements ToOwner {
    INSTANCE
  }

  /**
   * From the connection taken over to the one that took it over: the member's rooms, its
   * current one, and its away text (null if it is not away).
   */
  public record HandOver(List<String> rooms, String current, String away) implements ToOwner {
    public HandOver {
      rooms = List.copyOf(rooms);
    }
  }

  public static Behavior<Command> create() {
    return Behaviors.setup(context -> Behaviors.withTimers(
        timers -> new NameRegistry(context, timers)));
  }

  /** A name held: whose it is, under which key, and the digest of its token. */
  private static final class Holder {
    final long member;
    String name;
    String key;
    /** How the name looks with its capitals as typed ({@link Names#lookKey}). */
    String look;
    String tokenDigest;
    ActorRef<ToOwner> owner;
    ActorRef<?> session;

    Holder(long member, String name, ActorRef<ToOwner> owner, ActorRef<?> session) {
      this.member = member;
      this.name = name;
      this.key = Names.key(name);
      this.look = Names.lookKey(name);
      this.owner = owner;
      this.session = session;
    }
  }

  private final Map<String, Holder> byKey = new HashMap<>();
  private final Map<String, Holder> byLook = new HashMap<>();
  /** Keyed by the member number itself: no boxed key and no entry object per member. */
  private final Long2ObjectHashMap<Holder> byMember =
      new Long2ObjectHashMap<>(64, Hashing.DEFAULT_LOAD_FACTOR, false);
  /** Holders by a digest of their token, so that a lookup's timing says nothing of the token. */
  private final Map<String, Holder> byToken = new HashMap<>();

  private final org.apache.pekko.actor.typed.javadsl.TimerScheduler<Command> timers;

  private NameRegistry(ActorContext<Command> context,
      org.apache.pekko.actor.typed.javadsl.TimerScheduler<Command> timers) {
    super(context);
    this.timers = timers;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Claim.class, this::onClaim)
        .onMessage(Resume.class, this::onResume)
        .onMessage(Rename.class, this::onRename)
        .onMessage(Release.class, release -> releaseFrom(release.member(), release.session()))
        .onMessage(OwnerStopped.class, this::onOwnerStopped)
        .onMessage(Hold.class, this::onHold)
        .onMessage(HoldExpired.class, expired -> releaseFrom(expired.member(), expired.session()))
        .onMessage(SendPrivate.class, this::onSendPrivate)
        .onMessage(Whois.class, this::onWhois)
        .onMessage(Kick.class, this::onKick)
        .onMessage(Count.class, count -> reply(count.replyTo(), new Counted(byKey.size())))
        .onMessage(CountHere.class, count -> reply(count.replyTo(), new Counted(byKey.size())))
        .build();
  }

  /**
   * Who other than {@code except} holds a name that is, or looks like, {@code name} (in any case);
   * null if none.
   */
  private Holder holding(String name, Holder except) {
    Holder same = byKey.get(Names.key(name));
    if (same != null && same != except) {
      return same;
    }
    Holder looking = byLook.get(Names.lookKey(name));
    return looking != except ? looking : null;
  }

  private Behavior<Command> onClaim(Claim claim) {
    Holder holder = holding(claim.name(), null);
    if (holder != null) {
      claim.replyTo().tell(new Refused(Names.takenBecauseOf(claim.name(), holder.name)));
      return this;
    }
    Holder claimed = new Holder(newMember(), claim.name(), claim.owner(), claim.session());
    byKey.put(claimed.key, claimed);
    byLook.put(claimed.look, claimed);
    byMember.put(claimed.member, claimed);
    watch(claimed);
    claim.replyTo().tell(new Claimed(claimed.member, claimed.name, newToken(claimed)));
    return this;
  }

  private Behavior<Command> onResume(Resume resume) {
    Holder holder = byToken.get(digest(resume.token()));
    if (holder == null) {
      resume.replyTo().tell(new NotResumed());
      return this;
    }
    getContext().unwatch(holder.session);
    ActorRef<ToOwner> old = holder.owner;
    holder.owner = resume.owner();
    holder.session = resume.session();
    watch(holder);
    // The answer first: the old owner's hand-over must reach the new one after it.
    resume.replyTo().tell(new Resumed(holder.member, holder.name, newToken(holder)));
    old.tell(new TakenOver(resume.owner()));
    return this;
  }

  private Behavior<Command> onRename(Rename rename) {
    Holder holder = byMember.get(rename.member());
    if (holder == null) {
      rename.replyTo().tell(new Refused("You are not online."));
      return this;
    }
    Holder other = holding(rename.name(), holder);
    if (other != null) {
      rename.replyTo().tell(new Refused(Names.takenBecauseOf(rename.name(), other.name)));
      return this;
    }
    String old = holder.name;
    byKey.remove(holder.key);
    byLook.remove(holder.look);
    holder.name = rename.name();
    holder.key = Names.key(holder.name);
    holder.look = Names.lookKey(holder.name);
    byKey.put(holder.key, holder);
    byLook.put(holder.look, holder);
    rename.replyTo().tell(new RenamedTo(old, holder.name));
    return this;
  }

  private Behavior<Command> release(long member) {
    Holder holder = byMember.remove(member);
    if (holder != null) {
      byKey.remove(holder.key);
      byLook.remove(holder.look);
      byToken.remove(holder.tokenDigest);
      getContext().unwatch(holder.session);
    }
    return this;
  }

  private Behavior<Command> onHold(Hold hold) {
    Holder holder = byMember.get(hold.member());
    if (holder != null && holder.session.equals(hold.session())) {
      // Its session is about to stop: that no longer frees the name; time does.
      getContext().unwatch(holder.session);
      timers.startSingleTimer(new HoldExpired(hold.member(), hold.session()), hold.forHowLong());
    }
    return this;
  }

  /** An owner that stops without releasing its name (it failed) frees it all the same. */
  private Behavior<Command> onOwnerStopped(OwnerStopped stopped) {
    return releaseFrom(stopped.member(), stopped.session());
  }

  /** Frees the member's name if {@code session} still holds it (not one that took it over). */
  private Behavior<Command> releaseFrom(long member, ActorRef<?> session) {
    Holder holder = byMember.get(member);
    return holder != null && holder.session.equals(session) ? release(member) : this;
  }

  /** A private message reaches the name as written (in any case), never a look-alike. */
  private Behavior<Command> onSendPrivate(SendPrivate send) {
    Optional<Holder> holder = holderOf(send.message().to());
    holder.ifPresent(found -> found.owner.tell(new PrivateMessage(send.message(), send.replyTo())));
    send.replyTo().tell(holder.<SendReply>map(found -> new Sent(found.name))
        .orElseGet(() -> new NotOnline(send.message().to())));
    return this;
  }

  private Behavior<Command> onWhois(Whois whois) {
    holderOf(whois.name()).ifPresentOrElse(
        found -> found.owner.tell(new DescribeYourself(whois.replyTo())),
        () -> whois.replyTo().tell(new NotOnline(whois.name())));
    return this;
  }

  private Behavior<Command> onKick(Kick kick) {
    Optional<Holder> holder = holderOf(Names.normalize(kick.name()));
    holder.ifPresent(found -> found.owner.tell(new Kicked(kick.reason())));
    kick.replyTo().tell(holder.<SendReply>map(found -> new Sent(found.name))
        .orElseGet(() -> new NotOnline(kick.name())));
    return this;
  }

  private Optional<Holder> holderOf(String name) {
    return Optional.ofNullable(byKey.get(Names.key(name)))
        .filter(holder -> Names.same(holder.name, name));
  }

  private void watch(Holder holder) {
    getContext().watchWith(holder.session, new OwnerStopped(holder.member, holder.session));
  }

  /** A new token for the holder; the one before, if any, stops working. */
  private String newToken(Holder holder) {
    String token = Tokens.create();
    if (holder.tokenDigest != null) {
      byToken.remove(holder.tokenDigest);
    }
    holder.tokenDigest = digest(token);
    byToken.put(holder.tokenDigest, holder);
    return token;
  }

  /**
   * A member number no one else has: random, so that no two servers hand out the same (it is no
   * secret: the token is).
   */
  private long newMember() {
    long member;
    do {
      member = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
    } while (member == 0 || byMember.containsKey(member));
    return member;
  }

  private static String digest(String token) {
    return Tokens.digest(token);
  }

  private <T> Behavior<Command> reply(ActorRef<T> replyTo, T answer) {
    replyTo.tell(answer);
    return this;
  }
}
