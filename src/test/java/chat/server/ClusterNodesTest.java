package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.protocol.Event;
import chat.protocol.JsonLines;
import chat.testing.LineClient;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Servers with {@code chat.cluster.enabled} become nodes of one cluster on loopback. */
@ExtendWith(LogCapturingExtension.class)
class ClusterNodesTest {

  /** The nodes' shared journal: an H2 database in this JVM's memory, as tests may use. */
  private static String sharedStore() {
    return "chat.history { store = h2, h2.url = \"jdbc:h2:mem:nodes-" + UUID.randomUUID()
        + ";DB_CLOSE_DELAY=-1\" }\n";
  }

  private static long up(TestServer server) {
    return StreamSupport.stream(
            Cluster.get(server.server.system()).state().getMembers().spliterator(), false)
        .filter(member -> member.status() == MemberStatus.up())
        .count();
  }

  @Test
  void theFirstNodeStartsTheClusterAndTheOthersJoinIt() {
    String store = sharedStore();
    try (TestServer first = TestServer.start(store + "chat.cluster { enabled = on, port = 0 }")) {
      int port = (Integer) Cluster.get(first.server.system()).selfMember().address().port().get();
      String joining = store + "chat.cluster { enabled = on, port = 0, seed-nodes = [\"127.0.0.1:"
          + port + "\"] }";
      try (TestServer second = TestServer.start(joining);
          TestServer third = TestServer.start(joining)) {
        for (TestServer node : List.of(first, second, third)) {
          TestProbe<Object> probe = TestProbe.create(node.server.system());
          probe.awaitAssert(Duration.ofSeconds(30), () -> {
            assertEquals(3, up(node));
            return null;
          });
        }
        try (LineClient ann = second.joined("ann")) {
          // The nodes find each other's ClusterNodes through the receptionist, which takes a
          // moment to spread: until then a node shows "clients unknown".
          TestProbe.create(first.server.system()).awaitAssert(Duration.ofSeconds(20), () -> {
            first.admin("!cluster");
            assertEquals("Cluster: 3 nodes, 1 client", first.console().lines().findFirst()
                .orElseThrow());
            return null;
          });
          first.admin("!cluster");
          List<String> listed = first.console().lines().toList();
          assertEquals("Cluster: 3 nodes, 1 client", listed.get(0), listed.toString());
          assertEquals(4, listed.size(), listed.toString());
          String secondNode = "127.0.0.1:" + Cluster.get(second.server.system()).selfMember()
              .address().port().get();
          assertTrue(listed.stream().anyMatch(line -> line.matches(
              "  127\\.0\\.0\\.1:\\d+  Up  0 clients  \\(this node\\)")), listed.toString());
          assertTrue(listed.contains("  " + secondNode + "  Up  1 client"), listed.toString());
        }
      }
    }
  }

  /** Three nodes of one cluster, all Up on each, the first of which started it. */
  private static List<TestServer> threeNodes() {
    String store = sharedStore();
    TestServer first = TestServer.start(store + "chat.cluster { enabled = on, port = 0 }");
    int port = (Integer) Cluster.get(first.server.system()).selfMember().address().port().get();
    String joining = store + "chat.cluster { enabled = on, port = 0, seed-nodes = [\"127.0.0.1:"
        + port + "\"] }";
    List<TestServer> nodes = List.of(first, TestServer.start(joining), TestServer.start(joining));
    for (TestServer node : nodes) {
      TestProbe.create(node.server.system()).awaitAssert(Duration.ofSeconds(30), () -> {
        assertEquals(3, up(node));
        return null;
      });
    }
    return nodes;
  }

  /** Stops the nodes one at a time, the last started first. */
  private static void stop(List<TestServer> nodes) {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close();
    }
  }

  @Test
  void clientsOfThreeNodesAreInOneChatAndSeeItsLinesInOneOrder() {
    List<TestServer> nodes = threeNodes();
    try (LineClient ann = nodes.get(0).joined("ann");
        LineClient bob = nodes.get(1).joined("bob");
        LineClient cat = nodes.get(2).joined("cat");
        LineClient dan = nodes.get(0).joined("dan")) {
      ann.expect("bob has joined the chat.");
      ann.expect("cat has joined the chat.");
      ann.expect("dan has joined the chat.");
      bob.expect("cat has joined the chat.");
      bob.expect("dan has joined the chat.");
      cat.expect("dan has joined the chat.");
      for (int i = 1; i <= 20; i++) {
        ann.send("from ann " + i);
        bob.send("from bob " + i);
      }
      List<String> catSaw = new java.util.ArrayList<>();
      for (int i = 0; i < 40; i++) {
        catSaw.add(cat.readLine());
      }
      assertEquals(20, catSaw.stream().filter(line -> line.startsWith("ann: from ann")).count(),
          catSaw.toString());
      // One order: a client of another node saw the same 40 lines in the same order.
      List<String> danSaw = new java.util.ArrayList<>();
      for (int i = 0; i < 40; i++) {
        danSaw.add(dan.readLine());
      }
      assertEquals(catSaw, danSaw);
      // ann and bob each see the other's lines in the order cat saw them among all.
      List<String> annSaw = new java.util.ArrayList<>();
      for (int i = 0; i < 20; i++) {
        annSaw.add(ann.readLine());
      }
      assertEquals(catSaw.stream().filter(line -> line.startsWith("bob:")).toList(), annSaw);
      // Names are one registry's: a name taken on one node is taken on the others.
      try (LineClient second = nodes.get(2).connect()) {
        second.send("JOIN:ANN");
        assertEquals("SET_USERNAME: Username 'ANN' is already taken.", second.readLine());
        // A rename takes the new name everywhere and lets the old one go.
        String cyrillic = "\u0412\u041E\u0412"; // ВОВ, which looks like BOB
        bob.send("/nick " + cyrillic);
        cat.expect("bob is now known as " + cyrillic + ".");
        second.send("JOIN:bob");
        assertEquals("SET_USERNAME: Username 'bob' looks too much like '" + cyrillic
            + "', which is taken.", second.readLine());
        bob.send("/nick robert");
        cat.expect(cyrillic + " is now known as robert.");
        second.send("JOIN:bob");
        assertEquals("bob has joined the chat.", second.readLine());
      }
      nodes.get(1).admin("!who");
      String who = nodes.get(1).console();
      assertTrue(who.contains("ann") && who.contains("robert") && who.contains("cat"), who);
    } finally {
      stop(nodes);
    }
  }

  @Test
  void whoisAwayAndTheAwayAnswerReachAMemberOnAnotherNode() {
    List<TestServer> nodes = threeNodes();
    try (LineClient ann = nodes.get(0).joined("ann");
        LineClient bob = nodes.get(1).joined("bob")) {
      ann.expect("bob has joined the chat.");
      bob.send("/join #dev");
      bob.expect("bob has joined #dev.");
      bob.expect("You are now in #dev (1 here: bob).");
      bob.send("/away lunch");
      bob.expect("You are marked as away: lunch");

      // ann's node asks bob's session, on the other node, and the answer comes back to ann.
      ann.send("/whois BOB");
      String whois = ann.readLine();
      assertTrue(whois.matches("bob is in #dev, #lobby; connected since "
          + "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC; away: lunch"), whois);
      ann.send("/msg bob hungry?");
      bob.expect("[private] ann: hungry?");
      ann.expect("[private to bob] ann: hungry?");
      ann.expect("bob is away: lunch");
      ann.send("/who *");
      ann.expect("Online (2): bob (#dev, #lobby; away: lunch), ann (#lobby)");
      ann.send("/whois zed");
      ann.expect("ERROR: No one called 'zed' is online. Type /who * to see who is.");
      assertTrue(bob.silentFor(Duration.ofMillis(300)));
    } finally {
      stop(nodes);
    }
  }

  /** The client addresses of the nodes but the one at {@code index}, as a welcome gives them. */
  private static List<String> othersThan(List<TestServer> nodes, int index) {
    return nodes.stream().filter(node -> node != nodes.get(index))
        .map(node -> "127.0.0.1:" + node.address.getPort()).sorted().toList();
  }

  /** Waits until the node's welcome names the others: it learns them a moment after they are up. */
  private static void awaitWelcomeNamingTheOthers(List<TestServer> nodes, int index) {
    int[] tries = {0};
    TestProbe.create(nodes.get(index).server.system()).awaitAssert(Duration.ofSeconds(20), () -> {
      try (LineClient zoe = nodes.get(index).connect()) {
        zoe.send("JOIN:zoe" + (++tries[0]) + " mode=json");
        Event.Welcome welcome = (Event.Welcome) JsonLines.read(zoe.readLine()).orElseThrow();
        assertEquals(othersThan(nodes, index), welcome.nodes());
      }
      return null;
    });
  }

  /** The next line that is not about the clients that waited for the node's welcome. */
  private static String notAboutTheProbes(LineClient client) {
    String line = client.readLine();
    while (line.startsWith("zoe")) {
      line = client.readLine();
    }
    return line;
  }

  @Test
  void theWelcomeNamesTheOtherNodesForAClientToGoOnAt() {
    List<TestServer> nodes = threeNodes();
    try {
      awaitWelcomeNamingTheOthers(nodes, 1);
    } finally {
      stop(nodes);
    }
  }

  @Test
  void aNodeThatLeavesTellsItsClientsWhereTheChatGoesOnAndKeepsTheirNamesForThem() {
    List<TestServer> nodes = threeNodes();
    awaitWelcomeNamingTheOthers(nodes, 2);
    try (LineClient lee = nodes.get(2).joined("lee");
        LineClient watcher = nodes.get(0).joined("watcher");
        LineClient kim = nodes.get(2).connect()) {
      kim.send("JOIN:kim mode=json");
      Event.Welcome welcome = (Event.Welcome) JsonLines.read(kim.readLine()).orElseThrow();
      assertEquals("kim has joined the chat.", notAboutTheProbes(watcher));
      nodes.get(2).admin("!exitserver");
      String last = "";
      for (String line = lee.readLine(); line != null; line = lee.readLine()) {
        last = line;
      }
      assertEquals("This server is leaving the chat, which goes on at: "
          + String.join(", ", othersThan(nodes, 2)) + ".", last);
      // kim's client goes on at another node with its token: its name waited for it, and
      // nobody sees it leave or come.
      try (LineClient again = nodes.get(0).connect()) {
        again.send("JOIN:kim mode=json token=" + welcome.token());
        Event.Welcome back = (Event.Welcome) JsonLines.read(again.readLine()).orElseThrow();
        assertEquals("kim", back.name());
        // The welcome comes first; kim is back in #lobby once the room says who is there.
        while (!(JsonLines.read(again.readLine()).orElseThrow() instanceof Event.Entered)) {
          continue;
        }
        watcher.send("/who");
        List<String> seen = new java.util.ArrayList<>();
        String who = notAboutTheProbes(watcher);
        while (!who.startsWith("In #lobby (")) {
          seen.add(who);
          who = notAboutTheProbes(watcher);
        }
        assertTrue(who.contains("kim"), who);
        assertTrue(seen.stream().noneMatch(line -> line.contains("kim")), seen.toString());
      }
    } finally {
      stop(nodes);
    }
  }

  /** The rooms whose entities run on the node (Cluster Sharding's own account). */
  private static java.util.Set<String> roomsOn(TestServer node) {
    return entitiesOn(node, chat.room.ChatRoom.ENTITY);
  }

  private static java.util.Set<String> entitiesOn(TestServer node,
      org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey<?> type) {
    TestProbe<org.apache.pekko.cluster.sharding.ShardRegion.CurrentShardRegionState> probe =
        TestProbe.create(node.server.system());
    org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding.get(node.server.system())
        .shardState().tell(new org.apache.pekko.cluster.sharding.typed.GetShardRegionState(
            type, probe.ref()));
    java.util.Set<String> rooms = new java.util.TreeSet<>();
    probe.receiveMessage().getShards().forEach(shard -> rooms.addAll(shard.getEntityIds()));
    return rooms;
  }

  /** Ann and bob, both in the lobby, join #r1 ... #r{rooms}, ann first each time. */
  private static void bothInRooms(LineClient ann, LineClient bob, int rooms) {
      ann.expect("bob has joined the chat.");
      for (int k = 1; k <= rooms; k++) {
        ann.send("/join #r" + k);
        ann.expect("ann has joined #r" + k + ".");
        ann.expect("You are now in #r" + k + " (1 here: ann).");
        bob.send("/join #r" + k);
        bob.expect("bob has joined #r" + k + ".");
        bob.expect("You are now in #r" + k + " (2 here: ann, bob).");
        ann.expect("bob has joined #r" + k + ".");
      }
  }

  @Test
  void roomsLiveOnEveryNodeAndThoseOfANodeThatLeavesGoOnElsewhereLosingNoLine() throws Exception {
    List<TestServer> nodes = threeNodes();
    int rooms = 6;
    try (LineClient ann = nodes.get(0).joined("ann");
        LineClient bob = nodes.get(1).joined("bob")) {
      bothInRooms(ann, bob, rooms);
      // Cluster Sharding spreads the rooms: the node about to leave keeps some of them.
      java.util.Set<String> leaving = roomsOn(nodes.get(2));
      assertTrue(leaving.stream().anyMatch(room -> room.startsWith("#r")), leaving.toString());

      nodes.get(2).admin("!exitserver");
      for (int k = 1; k <= rooms; k++) {
        ann.send("/say #r" + k + " during " + k);
      }
      assertEquals(0, nodes.get(2).server.stopped().toCompletableFuture()
          .get(60, java.util.concurrent.TimeUnit.SECONDS));
      for (int k = 1; k <= rooms; k++) {
        ann.send("/say #r" + k + " after " + k);
      }
      // Every line reaches bob once, or ann is told it was not sent (a line that comes to a
      // room before its members are back in it where it moved): none vanishes, none comes twice.
      // (A line that went to a shard as it was handed over may be dropped on the way: its
      // sender hears so once its room's acknowledgement is 10 s late.)
      ann.socket().setSoTimeout(30_000);
      ann.send("/who #r1");
      int errors = 0;
      for (String line = ann.readLine(); !line.startsWith("In #r1 ("); line = ann.readLine()) {
        errors += line.startsWith("ERROR: ") ? 1 : 0;
      }
      java.util.Map<String, Integer> seen = new java.util.TreeMap<>();
      for (int read = 0; read < 200 && seen.size() + errors < 2 * rooms; read++) {
        String line = bob.readLine();
        int said = line.indexOf("ann: ");
        if (said >= 0) {
          seen.merge(line.substring(said + 5), 1, Integer::sum);
        }
      }
      assertEquals(2 * rooms, seen.size() + errors, seen + ", " + errors + " errors");
      assertTrue(seen.values().stream().allMatch(times -> times == 1), seen.toString());
      assertTrue(bob.silentFor(Duration.ofMillis(500)));
    } finally {
      stop(nodes);
    }
  }

  @Test
  void theRoomsOfANodeThatIsLostStartAgainElsewhereAndTheirMembersCarryOn() throws Exception {
    List<TestServer> nodes = threeNodes();
    int rooms = 6;
    try (LineClient ann = nodes.get(0).joined("ann");
        LineClient bob = nodes.get(1).joined("bob")) {
      bothInRooms(ann, bob, rooms);
      java.util.Set<String> lost = roomsOn(nodes.get(2));
      assertTrue(lost.stream().anyMatch(room -> room.startsWith("#r")), lost.toString());
      // The third node is lost as a crash would lose it: the others down it, with no hand-over.
      Cluster first = Cluster.get(nodes.get(0).server.system());
      first.manager().tell(new org.apache.pekko.cluster.typed.Down(
          Cluster.get(nodes.get(2).server.system()).selfMember().address()));
      for (TestServer node : nodes.subList(0, 2)) {
        TestProbe.create(node.server.system()).awaitAssert(Duration.ofSeconds(30), () -> {
          assertEquals(2, StreamSupport.stream(Cluster.get(node.server.system()).state()
              .getMembers().spliterator(), false).count());
          return null;
        });
      }
      // Its rooms start again on the others without anyone sending to them first: they list
      // both members again.
      for (int k = 1; k <= rooms; k++) {
        String room = "#r" + k;
        TestProbe.create(nodes.get(0).server.system()).awaitAssert(Duration.ofSeconds(30), () -> {
          java.util.Set<String> running = new java.util.TreeSet<>(roomsOn(nodes.get(0)));
          running.addAll(roomsOn(nodes.get(1)));
          assertTrue(running.contains(room), running.toString());
          return null;
        });
      }
      for (int k = 1; k <= rooms; k++) {
        ann.send("/say #r" + k + " after " + k);
      }
      java.util.Map<String, Integer> seen = new java.util.TreeMap<>();
      for (int read = 0; read < 200 && seen.size() < rooms; read++) {
        String line = bob.readLine();
        int said = line.indexOf("ann: after ");
        if (said >= 0) {
          seen.merge(line.substring(said + 5), 1, Integer::sum);
        }
      }
      assertEquals(rooms, seen.size(), seen.toString());
      assertTrue(bob.silentFor(Duration.ofMillis(500)));
    } finally {
      stop(nodes);
    }
  }

  @Test
  void aNameIsKeptByItsEntityInTheJournalAndOutlivesTheNodeThatKeptIt() throws Exception {
    List<TestServer> nodes = threeNodes();
    try (LineClient watcher = nodes.get(1).joined("watcher")) {
      // A name whose entity lives on the third node, whose client is on the first.
      LineClient holder = null;
      String name = null;
      for (int i = 0; i < 30 && holder == null; i++) {
        LineClient client = nodes.get(0).joined("kim" + i);
        if (entitiesOn(nodes.get(2), chat.names.NameEntity.ENTITY)
            .contains(chat.protocol.Names.key("kim" + i))) {
          holder = client;
          name = "kim" + i;
        } else {
          client.close();
        }
      }
      assertTrue(holder != null, "no name of thirty was kept on the third node");
      try (LineClient kim = holder) {
        nodes.get(2).admin("!exitserver");
        assertEquals(0, nodes.get(2).server.stopped().toCompletableFuture()
            .get(60, java.util.concurrent.TimeUnit.SECONDS));
        // Read back from the journal on another node: still kim's, look-alikes and all.
        try (LineClient other = nodes.get(1).connect()) {
          other.send("JOIN:" + name.toUpperCase(java.util.Locale.ROOT));
          assertEquals("SET_USERNAME: Username '" + name.toUpperCase(java.util.Locale.ROOT)
              + "' is already taken.", other.readLine());
        }
        // And it still reaches kim's session, on the first node.
        watcher.send("/msg " + name + " still there?");
        String line = kim.readLine();
        while (!line.contains("still there?")) {
          line = kim.readLine();
        }
        assertTrue(line.startsWith("[private] watcher"), line);
      }
    } finally {
      stop(nodes);
    }
  }

  @Test
  void shutdownClusterStopsEveryNodeAndTheirClientsAreToldTheChatEnds() throws Exception {
    List<TestServer> nodes = threeNodes();
    try (LineClient lee = nodes.get(1).joined("lee")) {
      nodes.get(0).admin("!shutdown-cluster");
      assertEquals("Stopping the cluster: 3 nodes, this one last.", nodes.get(0).console());
      for (TestServer node : nodes) {
        assertEquals(0, node.server.stopped().toCompletableFuture()
            .get(60, java.util.concurrent.TimeUnit.SECONDS));
      }
      String last = "";
      for (String line = lee.readLine(); line != null; line = lee.readLine()) {
        last = line;
      }
      assertEquals("!server_shutdown", last);
    } finally {
      stop(nodes);
    }
  }

  @Test
  void aNameRacedForOnTwoNodesAtOnceIsWonOnce() throws Exception {
    List<TestServer> nodes = threeNodes();
    try (LineClient one = nodes.get(1).connect(); LineClient two = nodes.get(2).connect()) {
      one.send("JOIN:zed");
      two.send("JOIN:zed");
      List<String> answers = List.of(one.readLine(), two.readLine());
      assertEquals(1, answers.stream().filter("zed has joined the chat."::equals).count(),
          answers.toString());
      assertEquals(1, answers.stream()
          .filter("SET_USERNAME: Username 'zed' is already taken."::equals).count(),
          answers.toString());
    } finally {
      stop(nodes);
    }
  }

  @Test
  void aClusterOnAStoreItsNodesCannotShareDoesNotStart() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> ChatServer.start(TestServer.config("chat.history.store = h2\n"
            + "chat.cluster { enabled = on, port = 0 }"), null, line -> { }));
    assertTrue(refused.getMessage().contains("needs chat.history.store = postgres"),
        refused.getMessage());
  }
}
