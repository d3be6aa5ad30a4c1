package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import chat.testing.LineClient;
import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.ActorIdentity;
import org.apache.pekko.actor.Identify;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * Thousands of clients at once, and connect/join/close churn, leave nothing behind: once they are
 * gone the server counts no connection, the room no member, the names are free again, and the
 * server's actors (sessions, connection streams, TCP connection actors) and its heap are back to
 * what they were before.
 */
@ExtendWith(LogCapturingExtension.class)
class ChurnTest {

  private static final int AT_ONCE = 2_000;
  /**
   * The crowd is spread over this many rooms, #lobby among them, so that rooms made and
   * forgotten are part of what must leave nothing behind.
   */
  private static final int CROWD_ROOMS = 20;
  /** Every this many of the connections opened at once stops mid-handshake, never joined. */
  private static final int NEVER_JOINS_EVERY = 10;
  private static final int CHURN_THREADS = 8;
  private static final int CHURN_CYCLES_PER_THREAD = 75;
  private static final int CLIENT_THREADS = 32;
  private static final Duration PHASE_LIMIT = Duration.ofSeconds(30);
  private static final Duration SETTLE = Duration.ofSeconds(20);
  /**
   * How much more heap (after forced GC) than before may be in use once everyone is gone. A held
   * connection costs the server roughly 12-15 KB, so {@value #AT_ONCE} leaked ones would be about
   * 25-30 MB; this catches a leak of a third of them and is still far above the noise.
   */
  private static final long HEAP_TOLERANCE = 8L << 20;
  /** Actors answer Identify at once: the answers to one selection are over after this silence. */
  private static final Duration IDENTIFY_QUIET = Duration.ofMillis(300);

  /** Where the server's actors for connections live. */
  private static final List<String> ACTOR_PATHS = List.of(
      "/user/*", // the registry, the rooms' directory, the Delivery, the Gatekeeper, the console
      "/user/gatekeeper/*", // the sessions
      "/user/rooms/*", // the rooms, which stop once they have been empty a while
      "/system/Materializers/*/*", // the connections' streams
      "/system/IO-TCP/selectors/*/*"); // Pekko IO's TCP connection actors, and the listener

  /**
   * Every client comes from 127.0.0.1, past the default 1,000 per address; and the crowd's
   * never-joined connections are held longer than the default 10 s join timeout would allow.
   */
  private static final String CONFIG =
      "chat.server { tls.enabled = off, max-connections-per-ip = 10000, join-timeout = 120s }"
          + "\nchat.room.stop-when-empty-after = 1s";
  private static final Pattern CONNECTIONS =
      Pattern.compile("Connections: +(\\d+) \\((\\d+) joined");

  private static final ActorTestKit testKit = ActorTestKit.create();
  /**
   * The room logs every join and leave at INFO, and the log capture keeps every event until the
   * test ends: thousands of them would look like a leak. Warnings and errors are still captured.
   */
  private static final Logger CHAT_LOG = (Logger) LoggerFactory.getLogger("chat");
  private static Level chatLevel;

  @BeforeAll
  static void quietChatLog() {
    chatLevel = CHAT_LOG.getLevel();
    CHAT_LOG.setLevel(Level.WARN);
  }

  @AfterAll
  static void restore() {
    CHAT_LOG.setLevel(chatLevel);
    testKit.shutdownTestKit();
  }

  /** How a client goes, by the number of its connection. */
  private enum Exit {
    QUIT, // sends !quit and reads until the server closes
    CLOSE, // closes its socket, usually with lines unread (the server then sees a reset)
    RESET, // closes with SO_LINGER 0
    HALF_CLOSE; // shuts its sending side, as nc -N does, and reads until the server closes

    static Exit of(int number) {
      return values()[number % values().length];
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void thousandsOfClientsComingAndGoingLeaveNothingBehind() throws Exception {
    int atOnce = connectionsTheMachineAllows(AT_ONCE);
    ExecutorService pool = Executors.newFixedThreadPool(CLIENT_THREADS);
    try (TestServer server = TestServer.start(CONFIG)) {
      ActorSystem<?> system = server.server.system();
      ActorCounter counter = new ActorCounter(system);
      InetSocketAddress address = server.address;

      // Warm up (classes, JIT, pools) so that the base line is a running server's.
      churn(pool, address, "warm", 4, 25);
      awaitConnections(server, 0, 0);
      // Rooms stop a second after their last member left: the base line has none running.
      testKit.createTestProbe().awaitAssert(SETTLE, Duration.ofMillis(200), () -> {
        assertEquals(0, counter.countAll().get("/user/rooms/*"), "rooms running");
        return null;
      });
      Map<String, Integer> actorsBefore = counter.countAll();
      long heapBefore = usedHeapAfterGc();

      long start = System.nanoTime();
      List<Held> crowd = openAtOnce(pool, address, atOnce);
      long opened = System.nanoTime();
      int joined = (int) crowd.stream().filter(Held::joined).count();
      awaitConnections(server, atOnce, joined);
      long heapHeld = usedHeapAfterGc();
      Map<String, Integer> actorsHeld = counter.countAll();
      long closing = System.nanoTime();
      closeAll(pool, crowd);
      crowd = null; // the clients' sockets and buffers must not count as the server's heap
      long closed = System.nanoTime();
      int cycles = churn(pool, address, "churn", CHURN_THREADS, CHURN_CYCLES_PER_THREAD);
      long churned = System.nanoTime();

      awaitConnections(server, 0, 0);
      assertEquals("No one is online.", adminAnswer(server, "!who"));
      assertEquals("Rooms (1): #lobby (0)", adminAnswer(server, "!rooms"));
      namesAreFreeAgain(address, "c1", "c" + (atOnce - 1), "churn-0-2", "churn-7-71", "warm-3-23");
      awaitConnections(server, 0, 0);
      testKit.createTestProbe().awaitAssert(SETTLE, Duration.ofMillis(200), () -> {
        assertEquals(actorsBefore, counter.countAll(), "actors per path, before and now");
        return null;
      });
      long heapAfter = usedHeapAfterGc();

      System.out.printf(
          "churn: %d at once (%d joined) opened in %d ms, closed in %d ms; %d churn cycles in %d ms%n"
              + "actors before %s, with %d held %s, after %s%n"
              + "heap after GC: before %.1f MB, with %d held %.1f MB (%.1f KB each, the clients'"
              + " side included), after %.1f MB%n",
          atOnce, joined, millis(opened - start), millis(closed - closing), cycles,
          millis(churned - closed), actorsBefore, atOnce, actorsHeld, counter.countAll(),
          mb(heapBefore), atOnce, mb(heapHeld), (heapHeld - heapBefore) / 1024.0 / atOnce,
          mb(heapAfter));
      assertTrue(heapAfter - heapBefore < HEAP_TOLERANCE, String.format(
          "heap after GC grew from %.1f MB to %.1f MB", mb(heapBefore), mb(heapAfter)));
    } finally {
      pool.shutdownNow();
    }
  }

  /** A connection of the crowd opened at once, and whether it joined. */
  private record Held(int number, LineClient client, boolean joined) {}

  /**
   * Opens {@code count} connections from a pool of threads and joins all but every {@value
   * #NEVER_JOINS_EVERY}th as {@code c<n>}, into {@value #CROWD_ROOMS} rooms; the others stop
   * mid-handshake (nothing, half a JOIN line, or a refused name). All are held open together.
   */
  private static List<Held> openAtOnce(ExecutorService pool, InetSocketAddress address, int count)
      throws Exception {
    List<Callable<Held>> opens = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int number = i;
      opens.add(() -> {
        LineClient client = LineClient.connect(address);
        if (number % NEVER_JOINS_EVERY != 0) {
          int room = number % CROWD_ROOMS;
          client.send("JOIN:c" + number + (room == 0 ? "" : " room=#crowd-" + room));
          // In text mode the own join line is the first the newcomer gets.
          client.expect("c" + number + " has joined the chat.");
          return new Held(number, client, true);
        }
        switch (number / NEVER_JOINS_EVERY % 3) {
          case 0 -> { } // says nothing
          case 1 -> client.write("JOIN:c" + number); // no end of line
          default -> {
            client.send("JOIN:no name");
            client.expect("SET_USERNAME: Username cannot contain spaces;"
                + " JOIN options are written key=value, as in mode=json.");
          }
        }
        return new Held(number, client, false);
      });
    }
    return results(pool.invokeAll(opens, PHASE_LIMIT.toSeconds(), TimeUnit.SECONDS));
  }

  /** Closes the crowd, each connection in the way its number says. */
  private static void closeAll(ExecutorService pool, List<Held> held) throws Exception {
    List<Callable<Void>> closes = new ArrayList<>();
    for (Held one : held) {
      closes.add(() -> {
        leave(one.client(), one.joined() ? Exit.of(one.number()) : Exit.RESET);
        return null;
      });
    }
    results(pool.invokeAll(closes, PHASE_LIMIT.toSeconds(), TimeUnit.SECONDS));
  }

  /**
   * Connect, join, do a little, go: {@code cycles} times on each of {@code threads} threads, as
   * {@code <prefix>-<thread>-<cycle>}, each cycle in another way (and some never joining).
   *
   * @return the cycles run
   */
  private static int churn(
      ExecutorService pool, InetSocketAddress address, String prefix, int threads, int cycles)
      throws Exception {
    List<Callable<Integer>> loops = new ArrayList<>();
    long deadline = System.nanoTime() + PHASE_LIMIT.toNanos();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      loops.add(() -> {
        int done = 0;
        for (int cycle = 0; cycle < cycles && System.nanoTime() < deadline; cycle++, done++) {
          cycleOnce(address, prefix + "-" + thread + "-" + cycle, cycle);
        }
        return done;
      });
    }
    return results(pool.invokeAll(loops, PHASE_LIMIT.toSeconds() + 10, TimeUnit.SECONDS))
        .stream().mapToInt(Integer::intValue).sum();
  }

  private static void cycleOnce(InetSocketAddress address, String name, int cycle) {
    LineClient client = LineClient.connect(address);
    switch (cycle % 6) {
      case 0 -> { // never joins: half a line, then a reset
        client.write("JOIN:" + name);
        client.reset();
        return;
      }
      case 1 -> { // a refused name, then goes
        client.send("JOIN:" + name + " mode=xml");
        client.expect("SET_USERNAME: Unknown mode 'xml'. Modes are text and json.");
        client.close();
        return;
      }
      default -> {
        client.send("JOIN:" + name);
        client.expect(name + " has joined the chat.");
      }
    }
    if (cycle % 6 == 2) {
      client.send("/join #churn-" + cycle % 5); // a room made and, once empty, forgotten
      awaitLine(client, line -> line.startsWith("You are now in #churn-"));
    } else {
      client.send("/msg " + name + " hi"); // a round trip through the room, kept in no history
      awaitLine(client, line -> line.equals("[private] " + name + ": hi"));
    }
    leave(client, Exit.of(cycle / 6));
  }

  private static void leave(LineClient client, Exit exit) {
    switch (exit) {
      case QUIT -> {
        client.send("!quit");
        readToEnd(client);
      }
      case CLOSE -> client.close();
      case RESET -> client.reset();
      case HALF_CLOSE -> {
        client.shutdownOutput();
        readToEnd(client);
      }
    }
  }

  /** Reads until the server closes the connection; each read bounded by the client's timeout. */
  private static void readToEnd(LineClient client) {
    for (int lines = 0; client.readLine() != null; lines++) {
      assertTrue(lines < 100_000, "the server kept talking to a client that left");
    }
    client.close();
  }

  private static void awaitLine(LineClient client, java.util.function.Predicate<String> wanted) {
    for (int lines = 0; lines < 100_000; lines++) {
      String line = client.readLine();
      assertTrue(line != null, "the server closed the connection");
      if (wanted.test(line)) {
        return;
      }
    }
    throw new AssertionError("the line waited for never came");
  }

  /** The names used are free: a new client joins under each, and leaves again. */
  private static void namesAreFreeAgain(InetSocketAddress address, String... names) {
    for (String name : names) {
      LineClient client = LineClient.joined(address, name);
      client.send("!quit");
      client.expect(name + " left the chat.");
      client.expectClosed();
      client.close();
    }
  }

  private static <T> List<T> results(List<Future<T>> futures) throws Exception {
    List<T> results = new ArrayList<>();
    for (Future<T> future : futures) {
      results.add(future.get()); // a cancelled (timed out) task throws here
    }
    return results;
  }

  /** Polls {@code !stats} until it shows these numbers (bounded by {@link #SETTLE}). */
  private static void awaitConnections(TestServer server, int connections, int joined) {
    testKit.createTestProbe().awaitAssert(SETTLE, Duration.ofMillis(100), () -> {
      String stats = adminAnswer(server, "!stats");
      Matcher counts = CONNECTIONS.matcher(stats);
      assertTrue(counts.find(), stats);
      assertEquals(connections + " connections, " + joined + " joined",
          counts.group(1) + " connections, " + counts.group(2) + " joined");
      return null;
    });
  }

  private static String adminAnswer(TestServer server, String command) {
    server.admin(command);
    return server.console();
  }

  /**
   * Counts actors by path with ActorSelection wildcards: every actor a selection reaches answers
   * {@link Identify}. A selection is resolved when it is sent, but the number of answers is not
   * known, so the count is over once none has come for {@link #IDENTIFY_QUIET}.
   */
  private static final class ActorCounter {
    private final ActorSystem<?> system;
    private final BlockingQueue<ActorIdentity> answers = new LinkedBlockingQueue<>();
    private final ActorRef<ActorIdentity> collector;
    private final AtomicLong round = new AtomicLong();

    ActorCounter(ActorSystem<?> system) {
      this.system = system;
      this.collector = system.systemActorOf(
          Behaviors.receiveMessage(identity -> {
            answers.add(identity);
            return Behaviors.same();
          }),
          "churn-test-actor-counter",
          Props.empty());
    }

    Map<String, Integer> countAll() throws InterruptedException {
      Map<String, Integer> counts = new LinkedHashMap<>();
      for (String path : ACTOR_PATHS) {
        counts.put(path, count(path));
      }
      return counts;
    }

    int count(String path) throws InterruptedException {
      String id = path + "#" + round.incrementAndGet();
      Adapter.toClassic(system)
          .actorSelection(path)
          .tell(new Identify(id), Adapter.toClassic(collector));
      int count = 0;
      long deadline = System.nanoTime() + SETTLE.toNanos();
      ActorIdentity answer;
      while ((answer = answers.poll(IDENTIFY_QUIET.toMillis(), TimeUnit.MILLISECONDS)) != null) {
        if (id.equals(answer.correlationId()) && answer.getActorRef().isPresent()) {
          count++;
        }
        assertTrue(System.nanoTime() < deadline, "answers to Identify kept coming");
      }
      return count;
    }
  }

  /** Used heap after full collections: the least of a few rounds, the others' noise gone. */
  private static long usedHeapAfterGc() {
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return least;
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  private static double mb(long bytes) {
    return bytes / 1024.0 / 1024.0;
  }

  /**
   * Both ends of every connection are in this JVM: two file descriptors each. Sizes the crowd
   * down (and says so) if the descriptor limit would not hold it.
   */
  private static int connectionsTheMachineAllows(int wanted) {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (!(os instanceof UnixOperatingSystemMXBean unix)) {
      return wanted;
    }
    long spare = unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount() - 500;
    int fits = (int) Math.max(100, spare / 2);
    if (fits < wanted) {
      System.out.printf("churn: file descriptor limit %d allows %d connections at once, not %d%n",
          unix.getMaxFileDescriptorCount(), fits, wanted);
      return fits;
    }
    return wanted;
  }
}
