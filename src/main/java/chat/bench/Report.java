package chat.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one load-test run found, made by the driver at the end: joins, traffic, latency and
 * server memory. Prints itself as a human summary or as JSON; parts that do not apply to the
 * scenario are null and left out of the JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Report(
    String scenario,
    String server,
    String mode,
    String run,
    Joins joins,
    Load load,
    Latency latency,
    Quiet quiet,
    Memory memory,
    Map<String, Long> refusals,
    Map<String, Long> serverErrors,
    long closedByServer,
    double toolCpuPercent,
    @JsonInclude(JsonInclude.Include.NON_NULL) Double stealPercent,
    List<String> warnings) {

  Report {
    refusals = Collections.unmodifiableMap(new LinkedHashMap<>(refusals));
    serverErrors = Collections.unmodifiableMap(new LinkedHashMap<>(serverErrors));
    warnings = List.copyOf(warnings);
  }

  /** How the clients joined: {@code seconds} from the first connect to the last join. */
  record Joins(int requested, int joined, int refused, int connectFailures, int timedOut,
      double seconds) {}

  /** The traffic of a fanout or slow run, over the measured window; no window when paced. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Load(int senders, int slowReaders, int receiversPerMessage, double targetRate,
      Integer window, int size, double warmupSeconds, double durationSeconds, long messages,
      double messagesPerSecond, long expectedDeliveries, long deliveries,
      double deliveriesPerSecond, long loss, long duplicates) {}

  /** Delivery latency of measured messages, in milliseconds. */
  record Latency(long count, double p50, double p90, double p99, double max, double mean) {

    static Latency of(LatencyHistogram histogram) {
      return new Latency(histogram.count(), millis(histogram.percentile(50)),
          millis(histogram.percentile(90)), millis(histogram.percentile(99)),
          millis(histogram.max()), millis((long) histogram.mean()));
    }

    private static double millis(long nanos) {
      return Math.round(nanos / 1_000.0) / 1_000.0;
    }
  }

  /**
   * Paced runs: the latency of the messages sent in the {@code quietSpans} of the window's
   * {@code spans} (each {@code spanMillis} long) in which, and in the span after which, the host
   * took no CPU time from this machine ({@link StealSpans}); no latency if no message was
   * measured in them.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Quiet(double spanMillis, int spans, int quietSpans, Latency latency) {}

  /** The server's resident memory (VmRSS) before the clients connected and at the end. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Memory(long pid, Long rssBeforeKb, Long rssAfterKb, Double perConnectionKb) {}

  /** The report as indented JSON. */
  String toJson() {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the report as JSON", e);
    }
  }

  /** The report as a few lines for a person. */
  String summary() {
    StringBuilder s = new StringBuilder();
    line(s, "%s against %s (%s mode), run %s", scenario, server, mode, run);
    line(s, "joins: %d of %d in %.2f s (refused %d, connect failures %d, timed out %d)",
        joins.joined(), joins.requested(), joins.seconds(), joins.refused(),
        joins.connectFailures(), joins.timedOut());
    if (load != null) {
      line(s, "senders %d, slow readers %d, receivers per message %d, %s, size %d B",
          load.senders(), load.slowReaders(), load.receiversPerMessage(),
          load.targetRate() > 0 ? String.format(Locale.ROOT, "paced %.0f msgs/s", load.targetRate())
              : "window " + load.window(), load.size());
      line(s, "messages: %d in %.1f s (%.0f/s) after %.1f s warm-up", load.messages(),
          load.durationSeconds(), load.messagesPerSecond(), load.warmupSeconds());
      line(s, "deliveries: %d of %d expected, %.0f/s; loss %d, duplicates %d",
          load.deliveries(), load.expectedDeliveries(), load.deliveriesPerSecond(), load.loss(),
          load.duplicates());
    }
    if (latency != null) {
      line(s, "latency ms: p50 %.3f  p90 %.3f  p99 %.3f  max %.3f  (mean %.3f, %d samples)",
          latency.p50(), latency.p90(), latency.p99(), latency.max(), latency.mean(),
          latency.count());
    }
    if (quiet != null && quiet.quietSpans() == 0) {
      line(s, "latency ms without steal: none of the %d spans of %.0f ms was free of it",
          quiet.spans(), quiet.spanMillis());
    } else if (quiet != null && quiet.latency() == null) {
      line(s, "latency ms in the %d of %d spans of %.0f ms without steal: none measured",
          quiet.quietSpans(), quiet.spans(), quiet.spanMillis());
    } else if (quiet != null) {
      line(s, "latency ms in the %d of %d spans of %.0f ms without steal: p50 %.3f  p90 %.3f"
          + "  p99 %.3f  max %.3f  (%d samples)", quiet.quietSpans(), quiet.spans(),
          quiet.spanMillis(), quiet.latency().p50(), quiet.latency().p90(),
          quiet.latency().p99(), quiet.latency().max(), quiet.latency().count());
    }
    if (memory != null) {
      line(s, "server RSS (pid %d): before %s KB, after %s KB%s", memory.pid(),
          memory.rssBeforeKb(), memory.rssAfterKb(), memory.perConnectionKb() == null ? ""
              : String.format(Locale.ROOT, ", %.1f KB per connection", memory.perConnectionKb()));
    }
    refusals.forEach((reason, count) -> line(s, "refused x%d: %s", count, reason));
    serverErrors.forEach((error, count) -> line(s, "server error x%d: %s", count, error));
    if (closedByServer > 0) {
      line(s, "connections closed by the server after joining: %d", closedByServer);
    }
    line(s, "load generator thread CPU: %.0f%% of one core while measuring", toolCpuPercent);
    if (stealPercent != null) {
      line(s, "steal: %.1f%% of the machine's CPU time went to other guests while measuring",
          stealPercent);
    }
    warnings.forEach(warning -> line(s, "warning: %s", warning));
    return s.toString();
  }

  private static void line(StringBuilder s, String format, Object... args) {
    s.append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
