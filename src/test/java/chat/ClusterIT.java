package chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.testing.JarProcess;
import chat.testing.LineClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three server processes (the runnable jar) as one chat on PostgreSQL, on loopback: one node is
 * killed with SIGKILL, and the bundled client that was on it moves to another node and prints
 * every line said meanwhile, once each, in order. PostgreSQL as for the history tests:
 * 127.0.0.1:5432, database {@code test}, user {@code postgres}, unless {@code
 * -Dchat.test.postgres.url}, {@code .user} and {@code .password} say otherwise; a schema of the
 * test's own, dropped afterwards.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ClusterIT {

  private static final String URL = System.getProperty("chat.test.postgres.url",
      "jdbc:postgresql://127.0.0.1:5432/test?reWriteBatchedInserts=true");
  private static final String USER = System.getProperty("chat.test.postgres.user", "postgres");
  private static final String PASSWORD = System.getProperty("chat.test.postgres.password", "");

  @TempDir Path workDir;

  private final String schema =
      "chat_cluster_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private final List<JarProcess> started = new ArrayList<>();

  @AfterEach
  void stopAndDropTheSchema() throws SQLException {
    started.forEach(JarProcess::close);
    admin("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }

  private static void admin(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /** A port free now, for a node's remoting: the seeds must be named before the nodes start. */
  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JarProcess node(int clusterPort, int seedPort, String name) {
    JarProcess node = JarProcess.start(workDir.resolve(name), List.of(
        "-Dchat.server.host=127.0.0.1", "-Dchat.server.port=0",
        "-Dchat.server.tls.enabled=off", "-Dchat.server.idle-shutdown=off",
        "-Dchat.server.data-dir=" + workDir.resolve(name + "-data"),
        "-Dchat.history.store=postgres", "-Dchat.history.postgres.url=" + URL,
        "-Dchat.history.postgres.user=" + USER, "-Dchat.history.postgres.password=" + PASSWORD,
        "-Dchat.history.postgres.schema=" + schema),
        "server", "--cluster", "--cluster-host", "127.0.0.1",
        "--cluster-port", Integer.toString(clusterPort),
        "--seed-nodes", "127.0.0.1:" + seedPort);
    started.add(node);
    return node;
  }

  @Test
  void aClientWhoseNodeIsKilledGoesOnOnAnotherWithEveryLineOnce() throws Exception {
    for (String name : List.of("one", "two", "three")) {
      workDir.resolve(name).toFile().mkdirs();
    }
    int seed = freePort();
    JarProcess one = node(seed, seed, "one");
    int onePort = one.awaitPlainPort();
    JarProcess two = node(freePort(), seed, "two");
    int twoPort = two.awaitPlainPort();
    JarProcess three = node(freePort(), seed, "three");
    int threePort = three.awaitPlainPort();
    one.awaitOutput(Pattern.compile("Cluster: node \\[.*\\] is Up; 3 nodes up"));

    try (LineClient ann = LineClient.joined(new InetSocketAddress("127.0.0.1", onePort), "ann")) {
      // bob's client is on node two, with three and one to go on with.
      JarProcess bob = JarProcess.start(workDir.resolve("two"), List.of(), "client",
          "--host", "127.0.0.1:" + twoPort + ",127.0.0.1:" + threePort + ",127.0.0.1:" + onePort,
          "--name", "bob");
      started.add(bob);
      // A client JVM's start and a first claim in the journal can take longer than a read's
      // wait on a loaded machine: the client's own output says when it is in.
      lineOf(bob, "bob has joined the chat.");
      ann.expect("bob has joined the chat.");
      ann.send("before");
      assertEquals("ann: before", lineOf(bob, "ann: before"));

      two.kill();
      for (int i = 1; i <= 5; i++) {
        ann.send("during " + i);
      }
      bob.err().next(Duration.ofSeconds(30)); // Connection lost; reconnecting...
      // To the next node of its list, or the one after if its name's entity (kept on the lost
      // node, maybe) answers only once that node is downed: either way not the lost one.
      String reconnected = bob.err().next(Duration.ofSeconds(90));
      assertTrue(reconnected.equals("Reconnected, to 127.0.0.1:" + threePort + ".")
          || reconnected.equals("Reconnected, to 127.0.0.1:" + onePort + "."), reconnected);
      ann.send("after");
      // What ann said, once each and in order: live, or replayed from the room's history
      // (marked so) when it came while bob's client was moving.
      List<String> seen = new ArrayList<>();
      for (String line = ""; !line.equals("ann: after"); ) {
        line = bob.out().next(Duration.ofSeconds(30)).replaceFirst("^\\[history \\d\\d:\\d\\d\\] ", "");
        if (line.contains("ann: ")) {
          seen.add(line);
        }
      }
      assertEquals(List.of("ann: during 1", "ann: during 2", "ann: during 3", "ann: during 4",
          "ann: during 5", "ann: after"), seen);
    }
  }

  /** The next line of the process's output, which must be {@code expected}'s. */
  private static String lineOf(JarProcess process, String expected) {
    for (int i = 0; i < 10; i++) {
      String line = process.out().next(Duration.ofSeconds(30));
      if (line.equals(expected)) {
        return line;
      }
    }
    throw new AssertionError("no " + expected + " in " + process.output());
  }
}
