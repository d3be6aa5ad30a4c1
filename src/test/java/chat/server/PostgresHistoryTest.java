package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.history.HistorySettings;
import chat.history.JournalSchema;
import chat.testing.LineClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The history on a real PostgreSQL: 127.0.0.1:5432, database {@code test}, user {@code
 * postgres} (trust authentication), unless {@code -Dchat.test.postgres.url}, {@code .user} and
 * {@code .password} name another. Each store is a schema of its own, dropped afterwards.
 */
class PostgresHistoryTest extends DurableHistoryTest {

  static final String URL = System.getProperty("chat.test.postgres.url",
      "jdbc:postgresql://127.0.0.1:5432/test?reWriteBatchedInserts=true");
  static final String USER = System.getProperty("chat.test.postgres.user", "postgres");
  static final String PASSWORD = System.getProperty("chat.test.postgres.password", "");

  private final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private final List<String> schemas = new ArrayList<>();
  private final List<String> roles = new ArrayList<>();

  @Override
  String store(String name) {
    String schema = ("chat_test_" + run + "_" + name).toLowerCase(Locale.ROOT);
    schemas.add(schema);
    return "chat.history { store = postgres, postgres { url = \"" + URL + "\", user = \"" + USER
        + "\", password = \"" + PASSWORD + "\", schema = " + schema + " } }";
  }

  @AfterEach
  void dropSchemasAndRoles() throws SQLException {
    for (String schema : schemas) {
      admin("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
    for (String role : roles) {
      admin("DROP ROLE IF EXISTS " + role);
    }
  }

  /** Runs a statement as the tests' own user. */
  private static void admin(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  @Test
  void linesTheDatabaseCannotTakeAreRefusedAndTheRoomGoesOnOnceItIsBack() throws Exception {
    // The server writes as a role of its own, which the test can lock out and let back in.
    String role = "chat_test_" + run + "_writer";
    admin("CREATE ROLE " + role + " LOGIN");
    roles.add(role);
    admin("CREATE SCHEMA " + role + " AUTHORIZATION " + role);
    schemas.add(role);
    String config = "chat.server.rate.enabled = off\nchat.history { store = postgres, postgres {"
        + " url = \"" + URL + "\", user = " + role + ", password = \"\", schema = " + role + " } }";
    try (TestServer server = TestServer.start(config);
        Talk talk = Talk.joined(server)) {
      LineClient alice = talk.alice();
      LineClient watcher = talk.watcher();
      alice.send("kept");
      watcher.expect("alice: kept");

      admin("ALTER ROLE " + role + " NOLOGIN");
      admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
      alice.send("not kept");
      String refusal = alice.readLine();
      assertTrue(refusal.startsWith("ERROR: Not sent: the history store of this server "),
          refusal);

      admin("ALTER ROLE " + role + " LOGIN");
      // The room tries the database again after 1 s, 2 s, 4 s ...: until then lines are refused.
      // Each try is answered (an error, then the topic, or the topic alone once taken).
      long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
      int tries = 0;
      boolean refused = true;
      while (refused && System.nanoTime() < deadline) {
        alice.send("back " + ++tries);
        alice.send("/topic");
        String answer = alice.readLine();
        refused = answer.startsWith("ERROR: Not sent");
        if (refused) {
          alice.expect("#lobby has no topic.");
        } else {
          assertEquals("#lobby has no topic.", answer);
        }
      }
      assertEquals(false, refused, "still refused after " + tries + " tries");
      watcher.expect("alice: back " + tries); // and never "not kept", nor an earlier try
    }
  }

  @Test
  void aStoreThatCannotBeReachedIsOneClearError() {
    String url = "jdbc:postgresql://127.0.0.1:1/chat";
    JournalSchema.Unavailable refused = assertThrows(JournalSchema.Unavailable.class,
        () -> ChatServer.start(TestServer.config("chat.history { store = postgres,"
            + " postgres.url = \"" + url + "\" }"), Source.empty(), line -> { }));
    assertTrue(refused.getMessage().startsWith("Cannot use the history store postgres at " + url
        + " (schema public): "), refused.getMessage());
    assertEquals(-1, refused.getMessage().indexOf('\n'), refused.getMessage());
  }

  @Test
  void nodesStartingTogetherOnAnEmptyDatabaseAllFindTheirTables() throws Exception {
    HistorySettings settings = HistorySettings.fromConfig(TestServer.config(store("together")));
    ExecutorService nodes = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> prepared = new ArrayList<>();
      for (int node = 0; node < 4; node++) {
        prepared.add(nodes.submit(() -> {
          start.await();
          JournalSchema.prepare(settings);
          return null;
        }));
      }
      start.countDown();
      for (Future<?> each : prepared) {
        each.get(30, TimeUnit.SECONDS); // throws if one failed
      }
    } finally {
      nodes.shutdownNow();
    }
  }
}
