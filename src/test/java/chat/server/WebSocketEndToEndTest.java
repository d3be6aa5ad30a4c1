package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.testing.LineClient;
import chat.testing.WebSocketClient;
import chat.tls.PinnedTrustManager;
import chat.tls.ServerIdentity;
import chat.tls.TlsContexts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLContext;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The web listener through real sockets: the page, and WebSockets beside TCP clients. */
@ExtendWith(LogCapturingExtension.class)
class WebSocketEndToEndTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PLAIN_WEB = "chat.server.web { enabled = on, tls = off }";

  private static JsonNode json(String frame) {
    try {
      return JSON.readTree(frame);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + frame, e);
    }
  }

  private static int webPort(TestServer server) {
    return server.addresses.web().orElseThrow().getPort();
  }

  private static URI ws(TestServer server) {
    return URI.create("ws://127.0.0.1:" + webPort(server) + "/ws");
  }

  private static WebSocketClient open(TestServer server) {
    return WebSocketClient.open(ws(server), Optional.empty(), Optional.empty());
  }

  /** Joins {@code name}: the first frame is the welcome, in machine mode without asking. */
  private static JsonNode join(WebSocketClient socket, String name) {
    socket.send("JOIN:" + name);
    JsonNode welcome = json(socket.next());
    assertEquals("welcome", welcome.get("type").asText(), welcome::toString);
    assertEquals(name, welcome.get("name").asText());
    return welcome;
  }

  @Test
  void aWebSocketUserAndATcpUserChatInOneRoom() {
    try (TestServer server = TestServer.start(PLAIN_WEB);
        LineClient tcp = server.joined("terminal");
        WebSocketClient web = open(server)) {
      join(web, "browser");
      tcp.expect("browser has joined the chat.");
      web.send("hello from a browser");
      tcp.expect("browser: hello from a browser");
      JsonNode own = json(web.nextContaining("\"type\":\"chat\""));
      assertEquals("hello from a browser", own.get("text").asText());
      assertEquals("#lobby", own.get("room").asText());
      tcp.send("hello from a terminal");
      JsonNode line = json(web.nextContaining("hello from a terminal"));
      assertEquals("terminal", line.get("from").asText());
      assertEquals(own.get("seq").asLong() + 1, line.get("seq").asLong());
      web.send("/join #dev");
      json(web.nextContaining("\"type\":\"room\""));
      web.send("/quit");
      tcp.expect("browser left the chat.");
      web.expectClosed();
    }
  }

  @Test
  void aSocketAskingForTextModeStillGetsMachineMode() {
    try (TestServer server = TestServer.start(PLAIN_WEB);
        WebSocketClient web = open(server)) {
      web.send("hello");
      JsonNode refused = json(web.next());
      assertEquals("refused", refused.get("type").asText());
      web.send("JOIN:texty mode=text");
      assertEquals("welcome", json(web.next()).get("type").asText());
    }
  }

  @Test
  void theDefaultIsHttpsWithTheServersCertificate() throws Exception {
    try (TestServer server = TestServer.start("chat.server.web.enabled = on")) {
      String fingerprint = ServerIdentity.loadOrCreate(TestServer.DATA_DIR).fingerprint();
      SSLContext trust = TlsContexts.client(new PinnedTrustManager(fingerprint));
      URI wss = URI.create("wss://127.0.0.1:" + webPort(server) + "/ws");
      try (WebSocketClient web = WebSocketClient.open(wss, Optional.empty(), Optional.of(trust))) {
        join(web, "secure");
      }
      HttpResponse<String> page = HttpClient.newBuilder().sslContext(trust).build().send(
          HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + webPort(server) + "/")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, page.statusCode());
      assertTrue(page.body().contains("<title>pekko-chat</title>"), page::body);
      assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("")
          .contains("default-src 'self'"), () -> page.headers().toString());
      HttpResponse<String> head = HttpClient.newBuilder().sslContext(trust).build().send(
          HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + webPort(server) + "/"))
              .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, head.statusCode());
      assertEquals("", head.body());
    }
  }

  @Test
  void aFrameOverTheLineLimitIsRefusedWithAnErrorAndTheSocketStaysOpen() {
    try (TestServer server = TestServer.start(PLAIN_WEB + "\nchat.server.max-line-bytes = 100");
        LineClient tcp = server.joined("terminal");
        WebSocketClient web = open(server)) {
      join(web, "big");
      web.send("x".repeat(300_000));
      JsonNode error = json(web.nextContaining("\"type\":\"error\""));
      assertTrue(error.get("text").asText().startsWith("Line too long (more than 100 bytes)"),
          error::toString);
      web.send("short enough");
      tcp.expect("big has joined the chat.");
      tcp.expect("big: short enough");
    }
  }

  @Test
  void aFrameOfSeveralLinesIsThatManyLines() {
    try (TestServer server = TestServer.start(PLAIN_WEB);
        LineClient tcp = server.joined("terminal");
        WebSocketClient web = open(server)) {
      web.send("JOIN:lines\none\ntwo");
      tcp.expect("lines has joined the chat.");
      tcp.expect("lines: one");
      tcp.expect("lines: two");
    }
  }

  @Test
  void aPageOfAnotherSiteCannotOpenTheSocket() {
    try (TestServer server = TestServer.start(
        PLAIN_WEB + "\nchat.server.web.allowed-origins = [\"https://chat.example.com\"]")) {
      CompletionException refused = assertThrows(CompletionException.class,
          () -> WebSocketClient.open(ws(server), Optional.of("https://evil.example"),
              Optional.empty()));
      assertEquals(Optional.of(403), WebSocketClient.refusedStatus(refused));
      String own = "http://127.0.0.1:" + webPort(server);
      try (WebSocketClient web = WebSocketClient.open(ws(server), Optional.of(own),
              Optional.empty());
          WebSocketClient allowed = WebSocketClient.open(ws(server),
              Optional.of("https://chat.example.com"), Optional.empty())) {
        join(web, "own");
        join(allowed, "allowed");
      }
    }
  }

  @Test
  void theConnectionLimitsCountWebSocketsWithTcp() {
    try (TestServer server = TestServer.start(PLAIN_WEB + "\nchat.server.max-connections = 1");
        LineClient tcp = server.joined("first");
        WebSocketClient web = open(server)) {
      JsonNode error = json(web.next());
      assertEquals("error", error.get("type").asText());
      assertEquals("The server is full (1 connections); try again later.",
          error.get("text").asText());
      web.expectClosed();
    }
  }

  @Test
  void theRateLimitHoldsForWebSockets() {
    try (TestServer server = TestServer.start(PLAIN_WEB + "\nchat.server { exempt-addresses = [],"
        + " rate { burst = 3, lines-per-second = 0.5 } }");
        WebSocketClient web = open(server)) {
      join(web, "fast");
      for (int i = 0; i < 5; i++) {
        web.send("line " + i);
      }
      assertEquals("throttled", json(web.nextContaining("\"type\":\"throttled\""))
          .get("type").asText());
    }
  }

  @Test
  void aSocketThatStopsReadingIsDisconnectedAsOnTcpItsRoomToldAndClosedNormallyOnceItReads() {
    try (TestServer server = TestServer.start(PLAIN_WEB + "\nchat.server { outbox-bytes = 16 KiB,"
            + " slow-client-timeout = 1s, close-timeout = 300ms }");
        LineClient alice = server.joined("alice");
        LineClient bob = server.joined("bob");
        WebSocketClient stalled = open(server)) {
      join(stalled, "stalled");
      stalled.pause();
      SlowAndFloodingClientsTest.chatUntilStalledIsDisconnected(alice, bob);
      awaitStats(server, "Connections:  2 ");
      stalled.resume();
      assertEquals(java.net.http.WebSocket.NORMAL_CLOSURE, stalled.closeCode());
    }
  }

  @Test
  void aQuietSocketIsPingedAndOutlivesTheIdleTimeout() {
    try (TestServer server = TestServer.start(PLAIN_WEB + "\npekko.http.server {"
            + " idle-timeout = 2s, websocket.periodic-keep-alive-max-idle = 500ms }");
        LineClient tcp = server.joined("terminal");
        WebSocketClient web = open(server)) {
      join(web, "quiet");
      // Six pings at most 0.5 s apart: longer than the idle timeout, which would have closed it.
      web.awaitPings(6);
      tcp.send("still there?");
      assertEquals("still there?", json(web.nextContaining("still there?")).get("text").asText());
    }
  }

  @Test
  void aServerPasswordIsAskedForOverWebSocketsToo() {
    try (TestServer server = TestServer.start(PLAIN_WEB + "\nchat.server { password = sesame,"
            + " password-on-plain = on }");
        WebSocketClient web = open(server)) {
      web.send("JOIN:guest");
      JsonNode refused = json(web.next());
      assertEquals("refused", refused.get("type").asText());
      assertTrue(refused.get("reason").asText().contains("PASS:"), refused::toString);
      web.send("PASS:sesame");
      join(web, "guest");
    }
  }

  @Test
  void aPasswordOverPlainHttpIsRefusedAtStartUnlessAllowed() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> ServerSettings.fromConfig(TestServer.config("chat.server { plain.enabled = off,"
            + " password = sesame, web { enabled = on, tls = off } }")));
    assertTrue(refused.getMessage().contains("web.tls = off"), refused.getMessage());
  }

  @Test
  void aSocketClosedBeforeItJoinsEndsItsSession() {
    try (TestServer server = TestServer.start(PLAIN_WEB)) {
      WebSocketClient web = open(server);
      awaitStats(server, "Connections:  1 ");
      web.close();
      awaitStats(server, "Connections:  0 ");
    }
  }

  /** Asks the console for its figures until they show {@code part}, within the tests' wait. */
  private static void awaitStats(TestServer server, String part) {
    long deadline = System.nanoTime() + TestServer.WAIT.toNanos();
    String stats = "";
    while (!stats.contains(part) && System.nanoTime() < deadline) {
      server.admin("!stats");
      stats = server.console();
    }
    assertTrue(stats.contains(part), stats);
  }
}
