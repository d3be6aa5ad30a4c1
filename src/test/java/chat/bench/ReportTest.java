package chat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

  private static final Report.Joins JOINS = new Report.Joins(20, 19, 1, 0, 0, 0.25);

  @Test
  void jsonCarriesTheFiguresAndLeavesOutWhatDoesNotApply() throws Exception {
    Report report = new Report("conns", "127.0.0.1:6000", "text", "ab12", JOINS, null, null, null,
        new Report.Memory(42, 100_000L, 110_000L, 526.3),
        Map.of("SET_USERNAME: Username 'x' is already taken.", 1L), Map.of(), 0, 3,
        null, List.of("only 19 of 20 clients joined"));
    JsonNode json = new ObjectMapper().readTree(report.toJson());
    assertEquals("conns", json.get("scenario").asText());
    assertEquals(19, json.get("joins").get("joined").asInt());
    assertEquals(0.25, json.get("joins").get("seconds").asDouble());
    assertEquals(526.3, json.get("memory").get("perConnectionKb").asDouble());
    assertEquals(1,
        json.get("refusals").get("SET_USERNAME: Username 'x' is already taken.").asLong());
    assertEquals("only 19 of 20 clients joined", json.get("warnings").get(0).asText());
    assertFalse(json.has("load"));
    assertFalse(json.has("latency"));
    assertFalse(json.has("stealPercent"));
    assertFalse(json.has("quiet"));
  }

  @Test
  void jsonOfAFanoutHasLoadAndLatency() throws Exception {
    LatencyHistogram histogram = new LatencyHistogram();
    histogram.record(1_500_000);
    Report.Load load = new Report.Load(2, 0, 19, 200, null, 64, 0.5, 1, 200, 200, 3800, 3800,
        3800, 0, 0);
    Report report = new Report("fanout", "127.0.0.1:6000", "text", "ab12", JOINS, load,
        Report.Latency.of(histogram), new Report.Quiet(100, 10, 8, Report.Latency.of(histogram)),
        null, Map.of(), Map.of("ERROR: Slow down.", 3L), 0, 12, 7.5, List.of());
    JsonNode json = new ObjectMapper().readTree(report.toJson());
    assertEquals(3800, json.get("load").get("deliveries").asLong());
    assertEquals(0, json.get("load").get("loss").asLong());
    assertFalse(json.get("load").has("window"));
    assertEquals(1.5, json.get("latency").get("p99").asDouble(), 0.03);
    assertEquals(3, json.get("serverErrors").get("ERROR: Slow down.").asLong());
    assertFalse(json.has("memory"));
    assertEquals(7.5, json.get("stealPercent").asDouble());
    assertEquals(8, json.get("quiet").get("quietSpans").asInt());
    assertEquals(1.5, json.get("quiet").get("latency").get("p99").asDouble(), 0.03);
    String summary = report.summary();
    assertTrue(summary.contains("deliveries: 3800 of 3800 expected"), summary);
    assertTrue(summary.contains("server error x3: ERROR: Slow down."), summary);
    assertTrue(summary.contains("steal: 7.5% of the machine's CPU time"), summary);
    assertTrue(summary.contains("latency ms in the 8 of 10 spans of 100 ms without steal: p50 1.5"),
        summary);
  }

  @Test
  void stealIsItsShareOfAllTheCpuTimeBetweenTwoReadingsOfTheCpuLine() {
    StealTime.Sample before =
        StealTime.parse("cpu  1392040 0 217379 1993374 1187 0 43221 96922 0 0").orElseThrow();
    assertEquals(96922, before.steal());
    // 200 of the 1,000 ticks since (all CPUs together) were stolen.
    StealTime.Sample after =
        StealTime.parse("cpu  1392440 0 217579 1993574 1187 0 43221 97122 0 0").orElseThrow();
    assertEquals(20.0, after.percentSince(before), 1e-9);
    assertEquals(0.0, before.percentSince(before));
    assertTrue(StealTime.parse("cpu  1 2 3 4").isEmpty());
    StealTime.Sample eight = StealTime.parse("cpu  1 2 3 4 5 6 7 8").orElseThrow();
    assertEquals(8, eight.steal());
    assertEquals(36, eight.total());
    assertEquals(36, StealTime.parse("cpu 1 2 3 4 5 6 7 8 100 200").orElseThrow().total());
    assertTrue(StealTime.parse("cpu0 1 2 3 4 5 6 7 8").isEmpty());
  }

  @Test
  void aRunWithoutAQuietSpanSaysSoInsteadOfGivingZeroes() throws Exception {
    Report report = new Report("fanout", "127.0.0.1:6000", "text", "ab12", JOINS, null, null,
        new Report.Quiet(100, 10, 0, null), null, Map.of(), Map.of(), 0, 12, 30.0, List.of());

    assertTrue(report.summary().contains(
        "latency ms without steal: none of the 10 spans of 100 ms was free of it"),
        report.summary());
    JsonNode quiet = new ObjectMapper().readTree(report.toJson()).get("quiet");
    assertEquals(0, quiet.get("quietSpans").asInt());
    assertFalse(quiet.has("latency"));
  }
}
