package chat.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Runs one scenario on the calling thread with one selector: joins the clients at a bounded
 * number of connects at once, then sends and receives (or idles) for the configured time, drains
 * for a bounded time, closes every socket and makes the {@link Report}.
 */
final class Driver implements Client.Listener {

  /** Why a run could not go on: the server is not there, or nobody could join. */
  static final class Failed extends RuntimeException {
    Failed(String message) {
      super(message, null, false, false);
    }
  }

  private static final long IDLE_NANOS = 10_000_000;
  /** Paced runs read the host's steal this often, to tell quiet spans from the others. */
  private static final long SPAN_NANOS = 100_000_000;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final LoadOptions options;
  private final PrintStream progress;
  private final RunTally tally;
  private final ServerLine lines;
  /** The servers the clients go to, in turn. */
  private final List<InetSocketAddress> servers;
  private final Client[] clients;
  private final ByteBuffer scratch = ByteBuffer.allocate(256 * 1024);
  private final long origin = System.nanoTime();
  private Selector selector;
  private Deliveries deliveries;
  private Traffic traffic;
  /** Set while paced messages are sent: wakes the selector when the next one is due. */
  private Alarm alarm;
  private long readNanos;
  private int opened;

  Driver(LoadOptions options, String run, PrintStream progress) {
    this.options = options;
    this.progress = progress;
    Message messages = new Message(run);
    this.lines = new ServerLine(options.mode(), messages, options.rooms());
    this.tally = new RunTally(options, run, messages);
    this.servers = options.servers();
    this.clients = new Client[options.clients()];
  }

  /** Runs the scenario and reports; throws {@link Failed} if it cannot connect or join. */
  Report run() {
    try (Selector opened = Selector.open()) {
      selector = opened;
      tally.memoryBefore();
      join();
      if (options.scenario() == LoadOptions.Scenario.CONNS) {
        long end = now() + options.duration().toNanos();
        progress.printf("idling for %.1f s%n", seconds(options.duration()));
        loop(end, () -> false, now -> IDLE_NANOS);
        tally.cpuUntil(now());
      } else {
        exchange();
      }
      tally.memoryAfter();
      return tally.report(deliveries, traffic);
    } catch (IOException e) {
      throw new Failed("load test failed: " + e);
    } finally {
      for (Client client : clients) {
        if (client != null) {
          client.close();
        }
      }
    }
  }

  private void join() throws IOException {
    progress.printf("joining %d clients to %s%n", clients.length, options.serverNames());
    long start = now();
    tally.joinStarted(start);
    if (options.scenario() == LoadOptions.Scenario.CONNS) {
      tally.cpuFrom(start);
    }
    loop(start + options.joinTimeout().toNanos(), tally::joinsSettled, now -> {
      openMore();
      return IDLE_NANOS;
    });
    for (Client client : clients) {
      if (client == null || client.state() == Client.State.CONNECTING
          || client.state() == Client.State.JOINING) {
        tally.joinTimedOut();
        if (client != null) {
          client.close();
        }
      }
    }
    tally.requireJoins();
    progress.printf("%d joined in %.2f s%n", tally.joined(), tally.joinSeconds());
  }

  private void openMore() {
    while (opened < clients.length && tally.pending() < options.maxPending()) {
      int index = opened++;
      tally.connecting();
      try {
        clients[index] = Client.connect(index, tally.name(index),
            servers.get(index % servers.size()), selector, lines, this);
      } catch (IOException e) {
        connectFailed(e.toString());
      }
    }
  }

  private void exchange() throws IOException {
    traffic = Traffic.plan(clients, options, tally::isSlow, tally.messages());
    long start = now();
    long windowStart = start + options.warmup().toNanos();
    long windowEnd = windowStart + options.duration().toNanos();
    StealSpans spans = options.rate() > 0
        ? new StealSpans(windowStart, windowEnd, SPAN_NANOS, new StealTime.Reader()::read)
        : null;
    deliveries = new Deliveries(traffic.senderSlots(clients.length), options.senders(),
        traffic.rooms(), windowStart, windowEnd, spans);
    traffic.start(start);
    tally.receiversAtStart(clients);
    progress.printf("sending: %.1f s warm-up, %.1f s measured%n", seconds(options.warmup()),
        seconds(options.duration()));
    // Paced messages are due at times finer than the selector's timeout: the alarm wakes it.
    try (Alarm paced = options.rate() > 0
        ? new Alarm(selector, this::now, (long) (1e9 / options.rate()))
        : null) {
      alarm = paced;
      loop(windowEnd, () -> false, now -> {
        if (now >= windowStart) {
          tally.cpuFrom(now);
          if (spans != null) {
            spans.tick(now);
          }
        }
        traffic.pump(now, deliveries, windowEnd);
        return traffic.untilNext(now, IDLE_NANOS);
      });
    } finally {
      alarm = null;
    }
    tally.cpuUntil(now());
    long expected = tally.expected(traffic.measuredSent());
    // A paced run also waits for the steal reading after its last span, at most one span more.
    loop(windowEnd + options.drain().toNanos(),
        () -> deliveries.measured() >= expected && (spans == null || spans.settled()),
        now -> {
          if (spans == null) {
            return IDLE_NANOS;
          }
          spans.tick(now);
          return Math.min(IDLE_NANOS, spans.untilNextReading(now));
        });
  }

  /** One step of a phase: does its work at {@code now}, says how long it may wait. */
  private interface Turn {
    long run(long now) throws IOException;
  }

  private void loop(long deadline, BooleanSupplier done, Turn turn) throws IOException {
    while (true) {
      long now = now();
      if (now >= deadline || done.getAsBoolean()) {
        return;
      }
      long wait = Math.min(deadline - now, turn.run(now));
      // The selector hands each ready key over directly: no selected-key set to fill and empty.
      if (wait <= 0) {
        selector.selectNow(this::ready);
      } else {
        if (alarm != null) {
          alarm.set(now + wait);
        }
        selector.select(this::ready, Math.max(1, (wait + 999_999) / 1_000_000));
      }
    }
  }

  private void ready(SelectionKey key) {
    readNanos = now();
    ((Client) key.attachment()).handle(key, scratch);
  }

  private static double seconds(Duration duration) {
    return duration.toNanos() / 1e9;
  }

  private long now() {
    return System.nanoTime() - origin;
  }

  @Override
  public void joined(Client client) {
    tally.joined(now());
    if (tally.isSlow(client.index)) {
      client.stopReading();
    }
  }

  @Override
  public void refused(Client client, String line) {
    tally.refused(line);
  }

  @Override
  public void received(Client receiver, int sender, long seq, long sentNanos) {
    if (deliveries == null || tally.isSlow(receiver.index)) {
      return;
    }
    int slot = deliveries.received(receiver.index, sender, seq, sentNanos, readNanos);
    if (slot >= 0 && traffic.witness(slot) == receiver.index) {
      traffic.acked(slot, seq);
    }
  }

  @Override
  public void serverError(Client client, String line) {
    tally.serverError(line);
  }

  @Override
  public void closed(Client client, Client.State before, String why) {
    if (before == Client.State.JOINED) {
      tally.closedByServer();
    } else {
      connectFailed(why);
    }
  }

  private void connectFailed(String why) {
    tally.connectFailed(why);
    if (tally.joined() == 0) {
      throw new Failed("cannot connect to " + options.serverNames() + ": " + why);
    }
  }

  static long threadCpuNanos() {
    return THREADS.getCurrentThreadCpuTime();
  }
}
