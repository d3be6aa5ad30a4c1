package chat.bench;

import chat.testing.RunningServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Short runs of the load generator against a real server on 127.0.0.1. */
@ExtendWith(LogCapturingExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoadTestEndToEndTest {

  private static RunningServer server;
  private static int port;

  @TempDir Path dir;

  @BeforeAll
  static void startServer() throws Exception {
    server = RunningServer.plainOnly("");
    port = server.plain().getPort();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @Test
  void pacedFanoutDeliversEveryMessageToEveryOtherClientOnce() throws Exception {
    JsonNode report = run("fanout", "--clients", "20", "--senders", "2", "--rate", "200");
    JsonNode load = report.get("load");
    long messages = load.get("messages").asLong();
    assertTrue(messages >= 150 && messages <= 250, "messages " + messages);
    assertEquals(20, report.get("joins").get("joined").asInt());
    assertEquals(19, load.get("receiversPerMessage").asInt());
    assertEquals(messages * 19, load.get("deliveries").asLong());
    assertEquals(0, load.get("loss").asLong());
    assertEquals(0, load.get("duplicates").asLong());
    assertEquals(messages * 19, report.get("latency").get("count").asLong());
    // One second in spans of 100 ms; a quiet span holds the messages sent in it (20 x 19).
    JsonNode quiet = report.get("quiet");
    assertEquals(10, quiet.get("spans").asInt());
    int quietSpans = quiet.get("quietSpans").asInt();
    assertTrue(quietSpans >= 0 && quietSpans <= 10, "quiet spans " + quietSpans);
    long quietCount = quietSpans == 0 ? 0 : quiet.get("latency").get("count").asLong();
    assertTrue(quietCount >= quietSpans * 19L && quietCount <= messages * 19,
        "quiet samples " + quietCount);
  }

  @Test
  void windowedFanoutInMachineModeCountsTheSendersOwnCopy() throws Exception {
    JsonNode report = run("fanout", "--clients", "10", "--senders", "2", "--window", "20",
        "--mode", "json");
    JsonNode load = report.get("load");
    long messages = load.get("messages").asLong();
    assertTrue(messages > 0);
    assertEquals(10, load.get("receiversPerMessage").asInt());
    assertEquals(messages * 10, load.get("deliveries").asLong());
    assertEquals(0, load.get("loss").asLong());
    assertEquals(0, load.get("duplicates").asLong());
  }

  @Test
  void spreadOverSeveralRoomsEveryMessageReachesEveryOtherClientOnce() throws Exception {
    JsonNode report = run("fanout", "--clients", "10", "--senders", "2", "--rate", "200",
        "--rooms", "3", "--spread");
    JsonNode load = report.get("load");
    long messages = load.get("messages").asLong();
    assertTrue(messages >= 150 && messages <= 250, "messages " + messages);
    // Two thirds of the lines come from rooms that are not the current one, "[#load-2] ...".
    assertEquals(9, load.get("receiversPerMessage").asInt());
    assertEquals(messages * 9, load.get("deliveries").asLong());
    assertEquals(0, load.get("loss").asLong());
    assertEquals(0, load.get("duplicates").asLong());
  }

  @Test
  void connsReportsTheJoinsOfIdleClients() throws Exception {
    JsonNode report = run("conns", "--clients", "50");
    assertEquals(50, report.get("joins").get("joined").asInt());
    assertTrue(report.get("joins").get("seconds").asDouble() > 0);
  }

  @Test
  void severalServersTakeTheClientsInTurn() throws Exception {
    try (RunningServer other = RunningServer.plainOnly("")) {
      Path json = dir.resolve("spread.json");
      // Clients 0 and 2 go to the first server, 1 and 3 to the other; two servers that are not
      // one chat: the sender's messages reach client 2 only.
      int code = LoadTest.run(new String[] {"fanout", "--servers", "127.0.0.1:" + port
              + ",127.0.0.1:" + other.plain().getPort(), "--clients", "4", "--senders", "1",
              "--rate", "50", "--warmup", "0.2s", "--duration", "1s", "--drain", "1s",
              "--json", json.toString()},
          new PrintStream(new ByteArrayOutputStream()),
          new PrintStream(new ByteArrayOutputStream()));
      assertEquals(0, code);
      JsonNode report = new ObjectMapper().readTree(json.toFile());
      assertEquals("127.0.0.1:" + port + ",127.0.0.1:" + other.plain().getPort(),
          report.get("server").asText());
      assertEquals(4, report.get("joins").get("joined").asInt());
      JsonNode load = report.get("load");
      long messages = load.get("messages").asLong();
      assertTrue(messages > 0, load.toString());
      assertEquals(messages, load.get("deliveries").asLong(), load.toString());
      assertEquals(messages * 2, load.get("loss").asLong(), load.toString());
    }
  }

  @Test
  void aPortWithNoServerIsAClearFailure() throws Exception {
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = LoadTest.run(new String[] {"conns", "--port", Integer.toString(closed)},
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
    assertEquals(2, code);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot connect to"), err.toString());
  }

  @Test
  void aRemoteHostIsRefusedWithoutAllowRemote() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = LoadTest.run(new String[] {"conns", "--host", "192.0.2.1"},
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
    assertEquals(2, code);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("not a loopback address"),
        err.toString());
  }

  private JsonNode run(String... scenario) throws Exception {
    Path json = dir.resolve("report.json");
    String[] common = {"--port", Integer.toString(port), "--warmup", "0.5s", "--duration", "1s",
        "--json", json.toString()};
    String[] args = new String[scenario.length + common.length];
    System.arraycopy(scenario, 0, args, 0, scenario.length);
    System.arraycopy(common, 0, args, scenario.length, common.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = LoadTest.run(args, new PrintStream(out, true), new PrintStream(err, true));
    assertEquals(0, code, out + "\n" + err);
    return new ObjectMapper().readTree(json.toFile());
  }
}
