package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  @Test
  void aClusterOnAStoreItsNodesCannotShareDoesNotStart() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> ChatServer.start(TestServer.config("chat.history.store = h2\n"
            + "chat.cluster { enabled = on, port = 0 }"), null, line -> { }));
    assertTrue(refused.getMessage().contains("needs chat.history.store = postgres"),
        refused.getMessage());
  }
}
