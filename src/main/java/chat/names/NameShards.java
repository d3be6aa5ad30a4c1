package chat.names;

import chat.cluster.AcrossNodes;
import chat.protocol.Names;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.agrona.collections.Long2ObjectHashMap;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * The registry of names of a cluster, as this node's sessions reach it: it speaks the {@link
 * NameRegistry}'s protocol, and carries each request to the {@link NameEntity} of the name (and
 * of its look) wherever Cluster Sharding keeps it. A claim takes the name's key, then its look,
 * and gives the key back if the look is taken; a rename takes the new name as a claim does and
 * lets the old one go. It remembers, for this node's sessions, which name each member holds.
 */
public final class NameShards {

  private NameShards() {}

  /** Every node's registry, found through the receptionist (for {@code !stats}' count). */
  public static final ServiceKey<NameRegistry.Command> KEY =
      ServiceKey.create(NameRegistry.Command.class, "names");

  /**
   * How long a request waits for a name's entity: one on a node being lost waits for the node to
   * be downed (about 12 s), and a burst of joins to names not in memory waits for each entity to
   * read its journal (3,000 joins spread over three fresh nodes took up to 28 s).
   */
  private static final Duration ASK = Duration.ofSeconds(30);

  private static final String NO_ANSWER =
      "The registry of names did not answer in time; try again.";

  /** A step of a request, carried out on this actor once an entity has answered. */
  private record Next(Runnable step) {}

  /** A name a member of this node holds, and from which session. */
  private record Held(String name, ActorRef<?> session) {}

  public static Behavior<NameRegistry.Command> create() {
    return Behaviors.<Object>setup(context -> {
      ClusterSharding.get(context.getSystem())
          .init(Entity.of(NameEntity.ENTITY, NameEntity::create));
      chat.cluster.Nodes.register(context.getSystem(), KEY, context.getSelf().narrow());
      return new Registry(context).behavior();
    }).narrow();
  }

  private static final class Registry {

    private final ActorContext<Object> context;
    private final ClusterSharding sharding;
    /** The names this node's members hold, by member number. */
    private final Long2ObjectHashMap<Held> held = new Long2ObjectHashMap<>();

    Registry(ActorContext<Object> context) {
      this.context = context;
      this.sharding = ClusterSharding.get(context.getSystem());
    }

    Behavior<Object> behavior() {
      return Behaviors.receive(Object.class)
          .onMessage(Next.class, next -> {
            next.step().run();
            return Behaviors.same();
          })
          .onMessage(NameRegistry.Claim.class, this::onClaim)
          .onMessage(NameRegistry.Resume.class, this::onResume)
          .onMessage(NameRegistry.Rename.class, this::onRename)
          .onMessage(NameRegistry.Release.class, this::onRelease)
          .onMessage(NameRegistry.Hold.class, this::onHold)
          .onMessage(NameRegistry.SendPrivate.class, send -> {
            keyOf(send.message().to()).tell(
                new NameEntity.SendPrivate(send.message(), send.replyTo()));
            return Behaviors.same();
          })
          .onMessage(NameRegistry.Whois.class, whois -> {
            keyOf(whois.name()).tell(new NameEntity.Whois(whois.name(), whois.replyTo()));
            return Behaviors.same();
          })
          .onMessage(NameRegistry.Kick.class, kick -> {
            String name = Names.normalize(kick.name());
            keyOf(name).tell(new NameEntity.Kick(name, kick.reason(), kick.replyTo()));
            return Behaviors.same();
          })
          .onMessage(NameRegistry.CountHere.class, count -> {
            count.replyTo().tell(new NameRegistry.Counted(held.size()));
            return Behaviors.same();
          })
          .onMessage(NameRegistry.Count.class, this::onCount)
          .build();
    }

    private EntityRef<NameEntity.Command> keyOf(String name) {
      return entity(NameEntity.keyId(name));
    }

    private EntityRef<NameEntity.Command> entity(String id) {
      return sharding.entityRefFor(NameEntity.ENTITY, id);
    }

    /** Asks an entity; {@code then} runs here with its answer, or null if none came in time. */
    private <T> void ask(EntityRef<NameEntity.Command> entity, Class<T> answer,
        java.util.function.Function<ActorRef<T>, NameEntity.Command> question,
        java.util.function.Consumer<T> then) {
      context.ask(answer, entity, ASK, question::apply,
          (reply, failure) -> new Next(() -> then.accept(reply)));
    }

    /** Takes the name's key, then its look; gives the key back if the look is another's. */
    private Behavior<Object> onClaim(NameRegistry.Claim claim) {
      String name = claim.name();
      long member = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
      String token = Tokens.create();
      ask(keyOf(name), NameEntity.Took.class, replyTo -> new NameEntity.Take(name, member,
          Tokens.digest(token), claim.owner(), claim.session(), replyTo), key -> {
            if (key == null || !key.taken()) {
              claim.replyTo().tell(refused(name, key));
              return;
            }
            Runnable claimed = () -> {
              held.put(member, new Held(name, claim.session()));
              claim.replyTo().tell(new NameRegistry.Claimed(member, name, token));
            };
            String look = NameEntity.lookId(name);
            if (look.equals(NameEntity.keyId(name))) {
              claimed.run();
              return;
            }
            ask(entity(look), NameEntity.Took.class,
                replyTo -> new NameEntity.Take(name, member, null, null, null, replyTo), taken -> {
                  if (taken == null || !taken.taken()) {
                    keyOf(name).tell(new NameEntity.Free(member, null, true));
                    claim.replyTo().tell(refused(name, taken));
                    return;
                  }
                  claimed.run();
                });
          });
      return Behaviors.same();
    }

    private static NameRegistry.Refused refused(String name, NameEntity.Took took) {
      return new NameRegistry.Refused(
          took == null ? NO_ANSWER : Names.takenBecauseOf(name, took.holder()));
    }

    /** Finds the token's holder by the name the client gives with it. */
    private Behavior<Object> onResume(NameRegistry.Resume resume) {
      String token = Tokens.create();
      ask(keyOf(resume.name()), NameEntity.Handed.class, replyTo -> new NameEntity.Resume(
          Tokens.digest(resume.token()), Tokens.digest(token), resume.owner(), resume.session(),
          replyTo), handed -> {
            Optional<NameEntity.Holder> before =
                handed == null ? Optional.empty() : handed.holder();
            if (before.isEmpty()) {
              resume.replyTo().tell(new NameRegistry.NotResumed());
              return;
            }
            NameEntity.Holder holder = before.get();
            held.put(holder.member(), new Held(holder.name(), resume.session()));
            // The answer first: the old owner's hand-over must reach the new one after it.
            resume.replyTo().tell(new NameRegistry.Resumed(holder.member(), holder.name(), token));
            holder.owner().tell(new NameRegistry.TakenOver(resume.owner()));
          });
      return Behaviors.same();
    }

    private Behavior<Object> onRelease(NameRegistry.Release release) {
      Held name = held.get(release.member());
      if (name != null && name.session().equals(release.session())) {
        held.remove(release.member());
        keyOf(name.name()).tell(new NameEntity.Free(release.member(), release.session(), false));
      }
      return Behaviors.same();
    }

    private Behavior<Object> onHold(NameRegistry.Hold hold) {
      Held name = held.get(hold.member());
      if (name != null && name.session().equals(hold.session())) {
        held.remove(hold.member());
        keyOf(name.name()).tell(
            new NameEntity.Hold(hold.member(), hold.session(), hold.forHowLong()));
      }
      return Behaviors.same();
    }

    /**
     * Takes the new name's entities the old one does not have (its key's, with the holder's
     * token and session, then its look's), giving them back if one is another's; then the new
     * name's entities the old one had too take the new spelling, and the old one's others go.
     */
    private Behavior<Object> onRename(NameRegistry.Rename rename) {
      Held before = held.get(rename.member());
      if (before == null) {
        rename.replyTo().tell(new NameRegistry.Refused("You are not online."));
        return Behaviors.same();
      }
      String old = before.name();
      long member = rename.member();
      ask(keyOf(old), NameEntity.Handed.class, NameEntity.Get::new, handed -> {
        Optional<NameEntity.Holder> holding = handed == null ? Optional.empty() : handed.holder();
        if (holding.isEmpty() || holding.get().member() != member) {
          rename.replyTo().tell(new NameRegistry.Refused(
              handed == null ? NO_ANSWER : "You are not online."));
          return;
        }
        List<String> oldIds = ids(old);
        List<String> fresh = ids(rename.name()).stream()
            .filter(id -> !oldIds.contains(id)).toList();
        take(rename, holding.get(), fresh, 0, () -> renamed(rename, before, holding.get()));
      });
      return Behaviors.same();
    }

    /** The entities of a name: its key's, and its look's if another. */
    private static List<String> ids(String name) {
      String key = NameEntity.keyId(name);
      String look = NameEntity.lookId(name);
      return key.equals(look) ? List.of(key) : List.of(key, look);
    }

    /** Takes {@code ids} from the {@code next} on for the new name, then runs {@code done}. */
    private void take(NameRegistry.Rename rename, NameEntity.Holder holder, List<String> ids,
        int next, Runnable done) {
      if (next == ids.size()) {
        done.run();
        return;
      }
      ask(entity(ids.get(next)), NameEntity.Took.class,
          replyTo -> taking(rename.name(), holder, ids.get(next), replyTo), took -> {
            if (took == null || !took.taken()) {
              ids.subList(0, next).forEach(id ->
                  entity(id).tell(new NameEntity.Free(holder.member(), null, true)));
              rename.replyTo().tell(refused(rename.name(), took));
              return;
            }
            take(rename, holder, ids, next + 1, done);
          });
    }

    /** What the entity {@code id} keeps of the new name: all of the holder at its key. */
    private static NameEntity.Take taking(String name, NameEntity.Holder holder, String id,
        ActorRef<NameEntity.Took> replyTo) {
      return id.equals(NameEntity.keyId(name))
          ? new NameEntity.Take(name, holder.member(), holder.tokenDigest(), holder.owner(),
              holder.session(), replyTo)
          : new NameEntity.Take(name, holder.member(), null, null, null, replyTo);
    }

    /**
     * The new name is the member's: the old one's entities follow or go, one after the other,
     * and once they have, it is told (so the old name is free by the time anyone hears of the
     * rename).
     */
    private void renamed(NameRegistry.Rename rename, Held before, NameEntity.Holder holder) {
      held.put(rename.member(), new Held(rename.name(), before.session()));
      letGo(rename, holder, ids(before.name()), 0,
          () -> rename.replyTo().tell(new NameRegistry.RenamedTo(before.name(), rename.name())));
    }

    /** The old name's entities from {@code next} on take the new spelling or go; then done. */
    private void letGo(NameRegistry.Rename rename, NameEntity.Holder holder, List<String> oldIds,
        int next, Runnable done) {
      if (next == oldIds.size()) {
        done.run();
        return;
      }
      String id = oldIds.get(next);
      Runnable rest = () -> letGo(rename, holder, oldIds, next + 1, done);
      if (ids(rename.name()).contains(id)) {
        ask(entity(id), NameEntity.Took.class,
            replyTo -> taking(rename.name(), holder, id, replyTo), took -> rest.run());
      } else {
        ask(entity(id), Done.class,
            replyTo -> new NameEntity.Free(holder.member(), null, true, replyTo),
            freed -> rest.run());
      }
    }

    /** Counts the names held by every node's members. */
    private Behavior<Object> onCount(NameRegistry.Count count) {
      context.spawnAnonymous(AcrossNodes.create(KEY, NameRegistry.CountHere::new,
          NameRegistry.Counted.class, ASK, (List<NameRegistry.Counted> counted) -> {
            count.replyTo().tell(new NameRegistry.Counted(
                counted.stream().mapToInt(NameRegistry.Counted::names).sum()));
            return Behaviors.stopped();
          }));
      return Behaviors.same();
    }
  }
}
