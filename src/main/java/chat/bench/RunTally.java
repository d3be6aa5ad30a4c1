package chat.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The counts of one run that are not about single messages: joins and their refusals, server
 * errors, closed connections, the generator's own CPU and the server's memory. The driver feeds
 * it as things happen and asks it for the {@link Report} at the end.
 */
final class RunTally {

  /** Distinct refusal or error texts kept; the rest are counted under "(other)". */
  private static final int MAX_REASONS = 20;

  private final LoadOptions options;
  private final String run;
  private final Message messages;
  private final Map<String, Long> refusals = new LinkedHashMap<>();
  private final Map<String, Long> serverErrors = new LinkedHashMap<>();
  private int pending;
  private int joined;
  private int refused;
  private int connectFailures;
  private int timedOut;
  private int closedByServer;
  private int receivers;
  private long joinStart;
  private long lastJoin;
  private long cpuFromNanos = -1;
  private long cpuFromCpu;
  private long cpuUntilNanos;
  private long cpuUntilCpu;
  private Optional<StealTime.Sample> stealFrom = Optional.empty();
  private Optional<StealTime.Sample> stealUntil = Optional.empty();
  private OptionalLong rssBefore = OptionalLong.empty();
  private OptionalLong rssAfter = OptionalLong.empty();

  RunTally(LoadOptions options, String run, Message messages) {
    this.options = options;
    this.run = run;
    this.messages = messages;
  }

  String name(int index) {
    return Message.name(run, index);
  }

  Message messages() {
    return messages;
  }

  /** The last {@code --slow} clients are the slow readers. */
  boolean isSlow(int index) {
    return index >= options.clients() - options.slowReaders();
  }

  void joinStarted(long now) {
    joinStart = now;
  }

  void connecting() {
    pending++;
  }

  void joined(long now) {
    pending--;
    joined++;
    lastJoin = now;
  }

  void refused(String line) {
    pending--;
    refused++;
    count(refusals, line);
  }

  void connectFailed(String why) {
    pending--;
    connectFailures++;
    count(refusals, "connect failed: " + why);
  }

  void joinTimedOut() {
    timedOut++;
  }

  void serverError(String line) {
    count(serverErrors, line);
  }

  void closedByServer() {
    closedByServer++;
  }

  int pending() {
    return pending;
  }

  int joined() {
    return joined;
  }

  /** Whether every client has joined, been refused or failed to connect. */
  boolean joinsSettled() {
    return joined + refused + connectFailures == options.clients();
  }

  double joinSeconds() {
    return joined == 0 ? 0 : (lastJoin - joinStart) / 1e9;
  }

  /** Throws if nobody joined: there is nothing to measure. */
  void requireJoins() {
    if (joined == 0) {
      String why = refusals.isEmpty() ? "no answer within " + options.joinTimeout()
          : refusals.keySet().iterator().next();
      throw new Driver.Failed(
          "no client could join " + options.serverNames() + ": " + why);
    }
  }

  /** Counts who receives each message: the joined readers, less the sender in text mode. */
  void receiversAtStart(Client[] clients) {
    int readers = 0;
    for (Client client : clients) {
      if (client != null && client.state() == Client.State.JOINED && !isSlow(client.index)) {
        readers++;
      }
    }
    receivers = options.mode() == ServerLine.Mode.TEXT ? readers - 1 : readers;
  }

  long expected(long messagesSent) {
    return messagesSent * receivers;
  }

  /** Starts the generator's CPU reading, once. */
  void cpuFrom(long now) {
    if (cpuFromNanos < 0) {
      cpuFromNanos = now;
      cpuFromCpu = Driver.threadCpuNanos();
      stealFrom = StealTime.sample();
    }
  }

  void cpuUntil(long now) {
    cpuUntilNanos = now;
    cpuUntilCpu = Driver.threadCpuNanos();
    stealUntil = StealTime.sample();
  }

  void memoryBefore() {
    if (options.serverPid() != null) {
      rssBefore = ServerMemory.rssKb(options.serverPid());
    }
  }

  void memoryAfter() {
    if (options.serverPid() != null) {
      rssAfter = ServerMemory.rssKb(options.serverPid());
    }
  }

  /** The report; {@code deliveries} and {@code traffic} are null in the conns scenario. */
  Report report(Deliveries deliveries, Traffic traffic) {
    List<String> warnings = new ArrayList<>();
    if (joined < options.clients()) {
      warnings.add("only " + joined + " of " + options.clients() + " clients joined");
    }
    double cpu = cpuUntilNanos > cpuFromNanos
        ? 100.0 * (cpuUntilCpu - cpuFromCpu) / (cpuUntilNanos - cpuFromNanos) : 0;
    if (cpu > 90) {
      warnings.add("the load generator's thread was busy most of the time; it may be the limit");
    }
    Double steal = stealFrom.isPresent() && stealUntil.isPresent()
        ? Math.round(10 * stealUntil.get().percentSince(stealFrom.get())) / 10.0
        : null;
    if (steal != null && steal > 5) {
      warnings.add("the host gave " + steal + "% of this machine's CPU time to others (steal);"
          + " figures from this run are lower than the machine's own");
    }
    Report.Load load = null;
    Report.Latency latency = null;
    Report.Quiet quiet = null;
    if (traffic != null) {
      load = load(deliveries, traffic, warnings);
      latency = Report.Latency.of(deliveries.latency());
      quiet = quiet(deliveries.spans());
    }
    return new Report(options.scenario().name().toLowerCase(Locale.ROOT),
        options.serverNames(), options.mode().name().toLowerCase(Locale.ROOT), run,
        new Report.Joins(options.clients(), joined, refused, connectFailures, timedOut,
            Math.round(joinSeconds() * 1000) / 1000.0),
        load, latency, quiet, memory(), refusals, serverErrors, closedByServer, Math.round(cpu),
        steal, warnings);
  }

  private Report.Load load(Deliveries deliveries, Traffic traffic, List<String> warnings) {
    double seconds = options.duration().toNanos() / 1e9;
    long messagesSent = traffic.measuredSent();
    long expected = expected(messagesSent);
    if (options.rate() > 0 && messagesSent < 0.95 * options.rate() * seconds) {
      warnings.add(String.format("sent %.0f msgs/s of the %.0f asked", messagesSent / seconds,
          options.rate()));
    }
    if (deliveries.unknown() > 0) {
      warnings.add(deliveries.unknown() + " messages came from clients that are not senders");
    }
    return new Report.Load(options.senders(), options.slowReaders(), receivers, options.rate(),
        options.rate() > 0 ? null : options.window(), options.size(),
        options.warmup().toNanos() / 1e9, seconds, messagesSent, Math.round(messagesSent / seconds),
        expected, deliveries.measured(), Math.round(deliveries.measured() / seconds),
        expected - deliveries.measured(), deliveries.duplicates());
  }

  /** The latency over the quiet spans of a paced run, if the host's steal could be read. */
  private Report.Quiet quiet(StealSpans spans) {
    if (spans == null || stealFrom.isEmpty()) {
      return null;
    }
    StealSpans.Quiet quiet = spans.quiet();
    return new Report.Quiet(spans.spanNanos() / 1e6, spans.spans(), quiet.spans(),
        quiet.latency().count() == 0 ? null : Report.Latency.of(quiet.latency()));
  }

  private Report.Memory memory() {
    if (options.serverPid() == null) {
      return null;
    }
    Long before = rssBefore.isPresent() ? rssBefore.getAsLong() : null;
    Long after = rssAfter.isPresent() ? rssAfter.getAsLong() : null;
    // Only idle connections say what a connection costs; under traffic, buffers grow too.
    boolean idle = options.scenario() == LoadOptions.Scenario.CONNS;
    Double perConnection = !idle || before == null || after == null || joined == 0 ? null
        : Math.round((after - before) * 10.0 / joined) / 10.0;
    return new Report.Memory(options.serverPid(), before, after, perConnection);
  }

  private static void count(Map<String, Long> counts, String text) {
    String key = counts.containsKey(text) || counts.size() < MAX_REASONS ? text : "(other)";
    counts.merge(key, 1L, Long::sum);
  }
}
