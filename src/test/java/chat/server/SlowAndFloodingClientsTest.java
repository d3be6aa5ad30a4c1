package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.protocol.Event;
import chat.protocol.JsonLines;
import chat.protocol.ServerLines;
import chat.testing.LineClient;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Over real sockets: a client that stops reading loses its oldest lines and is told how many,
 * one that stays behind is disconnected with the room told, lines past the rate limit are refused
 * with a time to retry and flooding ends in a disconnect, and {@code !stats} counts all of it.
 */
class SlowAndFloodingClientsTest {

  private static final Pattern MISSED = Pattern.compile("You missed (\\d+) lines?: .*");
  private static final String TEXT = "z".repeat(4000);

  @Test
  void aClientThatStopsReadingIsToldHowManyLinesItMissedWhereItMissedThem() {
    try (TestServer server = TestServer.start(
            "chat.server { outbox-bytes = 16 KiB, slow-client-timeout = 60s, close-linger = 30s }");
        LineClient stalled = server.joined("stalled");
        LineClient alice = server.joined("alice");
        LineClient bob = server.joined("bob")) {
      alice.expect("bob has joined the chat.");
      // 12 MB for the client that never reads: far more than its socket buffers hold.
      for (int n = 0; n < 3000; n++) {
        alice.send(n + " " + TEXT);
        if (n % 2 == 1) {
          bob.expect("alice: " + (n - 1) + " " + TEXT);
          bob.expect("alice: " + n + " " + TEXT);
        }
      }
      bob.send("done");
      alice.expect("bob: done");
      stalled.send("!quit");
      stalled.expect("alice has joined the chat.");
      stalled.expect("bob has joined the chat.");

      // Every line meant for it after the joins (3,000 from alice, bob's, its own leaving) was
      // either received or counted as missed, at the place it was missed.
      long received = 0;
      long missed = 0;
      long pendingGap = 0;
      int last = -1;
      for (String line = stalled.readLine(); line != null; line = stalled.readLine()) {
        Matcher gap = MISSED.matcher(line);
        if (gap.matches()) {
          pendingGap = Long.parseLong(gap.group(1));
          missed += pendingGap;
          continue;
        }
        received++;
        if (line.startsWith("alice: ")) {
          int number = Integer.parseInt(line.substring(7, line.indexOf(' ', 7)));
          assertEquals(last + 1 + pendingGap, number, "the notice stands where lines are missing");
          last = number;
        }
        pendingGap = 0;
      }
      assertTrue(missed > 0, "the stalled client's outbox never overflowed");
      assertEquals(3002, received + missed);
    }
  }

  @Test
  void aClientThatStaysBehindIsDisconnectedWithAReasonAndItsRoomIsTold() {
    try (TestServer server = TestServer.start(
            "chat.server { outbox-bytes = 16 KiB, slow-client-timeout = 1s }");
        LineClient stalled = server.connect();
        LineClient alice = server.joined("alice");
        LineClient bob = server.joined("bob")) {
      stalled.send("JOIN:stalled mode=json");
      String departure = chatUntilStalledIsDisconnected(alice, bob);
      alice.expect(departure);

      List<Event> lastEvents = new ArrayList<>();
      for (String line = stalled.readLine(); line != null; line = stalled.readLine()) {
        lastEvents.add(JsonLines.read(line).orElseThrow());
        if (lastEvents.size() > 2) {
          lastEvents.remove(0);
        }
      }
      assertTrue(lastEvents.get(0) instanceof Event.Missed missed && missed.lines() > 0, lastEvents.toString());
      assertEquals(ServerLines.tooSlow(Duration.ofSeconds(1)), ((Event.Error) lastEvents.get(1)).text());

      server.admin("!stats");
      String stats = server.console();
      assertTrue(stats.contains("Disconnected: 1 slow clients, 0 flooding clients"), stats);
      assertTrue(Pattern.compile("Dropped: +[1-9]\\d* lines to clients").matcher(stats).find(), stats);
    }
  }

  @Test
  void aClientThatStaysBehindAndStillDoesNotReadGetsANormalCloseNotAReset() throws IOException {
    try (TestServer server = TestServer.start("chat.server { outbox-bytes = 16 KiB,"
            + " slow-client-timeout = 1s, close-timeout = 300ms }");
        LineClient stalled = server.connect();
        LineClient alice = server.joined("alice");
        LineClient bob = server.joined("bob")) {
      stalled.send("JOIN:stalled");
      chatUntilStalledIsDisconnected(alice, bob);
      // Still not reading when the close timeout is over: the server lets go of it.
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      String stats;
      do {
        server.admin("!stats");
        stats = server.console();
      } while (!stats.contains("Connections:  2 ") && System.nanoTime() < deadline);
      assertTrue(stats.contains("Connections:  2 "), stats);
      // What reached it can still be read, and then the connection ends as connections do.
      InputStream in = stalled.socket().getInputStream();
      byte[] buffer = new byte[65536];
      long read = 0;
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        read += n;
      }
      assertTrue(read > 16 * 1024, "read only " + read + " bytes");
    }
  }

  @Test
  void linesPastTheRateLimitAreRefusedWithATimeToRetryAndFloodingEndsInADisconnect() {
    try (TestServer server = TestServer.start("chat.server { exempt-addresses = [],"
            + " rate { lines-per-second = 0.5, burst = 3, max-refused = 2 } }");
        LineClient alice = server.connect();
        LineClient bob = server.joined("bob")) {
      alice.send("JOIN:alice mode=json"); // one line of three
      bob.expect("alice has joined the chat.");
      alice.send("one");
      alice.send("two");
      bob.expect("alice: one");
      bob.expect("alice: two");
      for (int n = 0; n < 2; n++) {
        alice.send("too fast " + n);
      }
      List<Event> refusals = new ArrayList<>();
      while (refusals.size() < 2) {
        Event event = JsonLines.read(alice.readLine()).orElseThrow();
        if (event instanceof Event.Throttled) {
          refusals.add(event);
        }
      }
      long retry = ((Event.Throttled) refusals.get(0)).retryAfterMs();
      assertTrue(retry > 0 && retry <= 2000, "retry in " + retry + " ms");

      alice.send("the last straw");
      Optional<Event.Error> farewell = Optional.empty();
      for (String line = alice.readLine(); line != null; line = alice.readLine()) {
        if (JsonLines.read(line).orElseThrow() instanceof Event.Error error) {
          farewell = Optional.of(error);
        }
      }
      assertEquals(ServerLines.flooding(0.5), farewell.orElseThrow().text());
      bob.expect("alice was disconnected for flooding.");
      assertTrue(bob.silentFor(Duration.ofMillis(200)), "no refused line reached the room");

      server.admin("!stats");
      String stats = server.console();
      assertTrue(stats.contains("3 lines over the rate limit refused"), stats);
      assertTrue(stats.contains("Disconnected: 0 slow clients, 1 flooding clients"), stats);
    }
  }

  @Test
  void aBurstOfLongLinesWithinTheLimitCostsItsReadersNoLines() {
    try (TestServer server = TestServer.start("chat.server.exempt-addresses = []");
        LineClient reader = server.joined("reader");
        LineClient sender = server.connect()) {
      sender.send("JOIN:sender mode=json");
      reader.expect("sender has joined the chat.");
      StringBuilder burst = new StringBuilder();
      for (int n = 0; n < 200; n++) {
        burst.append(n).append(' ').append(TEXT).append('\n');
      }
      sender.write(burst.toString()); // 800 KB at once: more than a reader's outbox holds
      int refused = 0;
      int echoed = 0;
      while (refused + echoed < 200) {
        Event event = JsonLines.read(sender.readLine()).orElseThrow();
        if (event instanceof Event.Throttled) {
          refused++;
        } else if (event instanceof Event.Chat) {
          echoed++;
        }
      }
      assertTrue(refused > 0, "a long line costs more than a short one: some were refused");
      for (int n = 0; n < echoed; n++) {
        String line = reader.readLine();
        assertTrue(line.startsWith("sender: ") && line.endsWith(TEXT), line);
      }
      assertTrue(reader.silentFor(Duration.ofMillis(200)), "the reader got more, or missed some");
    }
  }

  @Test
  void clientsOnTheServersOwnMachineAreExemptByDefault() {
    try (TestServer server = TestServer.start(
            "chat.server { max-connections-per-ip = 1, rate { burst = 2, lines-per-second = 0.5 } }");
        LineClient alice = server.joined("alice");
        LineClient bob = server.joined("bob")) {
      for (int n = 0; n < 10; n++) {
        alice.send("line " + n);
      }
      for (int n = 0; n < 10; n++) {
        bob.expect("alice: line " + n);
      }
    }
  }

  @Test
  void thePerAddressLimitAppliesToAddressesNotExempt() {
    try (TestServer server = TestServer.start(
            "chat.server { max-connections-per-ip = 1, exempt-addresses = [] }");
        LineClient alice = server.joined("alice");
        LineClient second = server.connect()) {
      assertEquals("ERROR: Too many connections from your address (1); close one and try again.",
          second.readLine());
      second.expectClosed();
    }
  }

  @Test
  void shutdownDrainsWhatItCanWithinItsBoundAndDoesNotWaitForAClientThatNeverReads() {
    TestServer server = TestServer.start("chat.server { outbox-bytes = 64 KiB,"
        + " slow-client-timeout = 60s, shutdown-drain-timeout = 1s, close-timeout = 60s }");
    try (LineClient stalled = server.joined("stalled");
        LineClient alice = server.joined("alice")) {
      flood(alice);
      long started = System.nanoTime();
      server.admin("!exitserver");
      String line = alice.readLine();
      while (line != null && !line.equals("!server_shutdown")) {
        line = alice.readLine();
      }
      assertEquals("!server_shutdown", line, "alice, who reads, gets the last word");
      assertEquals(0, server.exitCode());
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      assertTrue(took.compareTo(Duration.ofSeconds(8)) < 0, "stopped after " + took);
    }
  }

  @Test
  void aClientThatQuitsButNeverReadsIsCutOnceTheCloseTimeoutIsOver() {
    try (TestServer server = TestServer.start(
            "chat.server { outbox-bytes = 64 KiB, slow-client-timeout = 60s, close-timeout = 300ms }");
        LineClient stalled = server.connect();
        LineClient alice = server.joined("alice")) {
      stalled.send("JOIN:stalled");
      alice.expect("stalled has joined the chat.");
      flood(alice);
      stalled.send("!quit");
      alice.expect("stalled left the chat.");
      // Its lines can never all be sent: once the close timeout is over the server cuts it.
      assertTrue(stalled.cutWithin(Duration.ofSeconds(5)), "the server never cut the connection");
    }
  }

  /**
   * Once {@code stalled} has joined after alice and bob and reads nothing: alice chats until bob
   * is told that stalled was disconnected for it, every line reaching bob whole and in order.
   * Returns the line bob was told.
   */
  static String chatUntilStalledIsDisconnected(LineClient alice, LineClient bob) {
    alice.expect("bob has joined the chat.");
    alice.expect("stalled has joined the chat.");
    bob.expect("stalled has joined the chat.");
    String departure = "stalled was disconnected for not keeping up with the chat.";
    boolean told = false;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    for (int n = 0; n < 20_000 && !told && System.nanoTime() < deadline; n++) {
      alice.send(n + " " + TEXT);
      String line = bob.readLine();
      if (line.equals(departure)) {
        told = true;
        bob.expect("alice: " + n + " " + TEXT);
      } else {
        assertEquals("alice: " + n + " " + TEXT, line);
      }
    }
    assertTrue(told, "bob was never told that stalled was disconnected");
    return departure;
  }

  /**
   * 12 MB of chat from {@code sender}, far more than a client that does not read can hold in
   * its socket buffers; the sender reads an answer after each line, so its own outbox never fills.
   */
  private static void flood(LineClient sender) {
    for (int n = 0; n < 3000; n++) {
      sender.send(n + " " + TEXT);
      sender.send("/who");
      assertTrue(sender.readLine().startsWith("In #lobby"));
    }
  }
}
