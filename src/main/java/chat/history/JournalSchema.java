package chat.history;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;

/**
 * Sees that the history database is there and has the journal's tables before the server
 * starts: connects once, and creates the tables from the DDL that ships in the journal plugin's
 * jar when they are missing (the plugin's own {@code SchemaUtils} is test tooling and leaves
 * failed statements in the database's log on every start).
 */
public final class JournalSchema {

  /** The history database could not be reached or prepared; the message says which and why. */
  public static final class Unavailable extends RuntimeException {
    Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The advisory lock under which a PostgreSQL store's tables are created (any fixed number). */
  private static final long CREATE_LOCK = 0x7065_6b6b_6f63_6874L;

  private JournalSchema() {}

  /** Connects to the store of {@code settings} and creates its tables if it has none. */
  public static void prepare(HistorySettings settings) {
    if (!settings.durable()) {
      return;
    }
    DriverManager.setLoginTimeout(10);
    try (Connection connection =
        DriverManager.getConnection(settings.url(), settings.user(), settings.password())) {
      if (!hasJournal(connection, settings)) {
        create(connection, settings);
      }
    } catch (SQLException e) {
      throw new Unavailable("Cannot use the history store " + settings.describe() + ": "
          + firstLine(e.getMessage()), e);
    }
  }

  private static boolean hasJournal(Connection connection, HistorySettings settings)
      throws SQLException {
    String schema = settings.store() == HistorySettings.Store.POSTGRES ? settings.schema() : null;
    try (ResultSet tables =
        connection.getMetaData().getTables(null, schema, "event_journal", null)) {
      return tables.next();
    }
  }

  private static boolean hasSchema(Connection connection, String schema) throws SQLException {
    try (ResultSet schemas = connection.getMetaData().getSchemas(null, schema)) {
      return schemas.next();
    }
  }

  /**
   * Runs the plugin's DDL, all of it in one transaction, but for the tables of durable state,
   * which the chat does not use.
   */
  private static void create(Connection connection, HistorySettings settings)
      throws SQLException {
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      if (settings.store() == HistorySettings.Store.POSTGRES) {
        // Nodes of a cluster started together on an empty database would each create the
        // tables, and all but one fail: one at a time (the lock ends with the transaction), and
        // a node that waited finds them made.
        statement.execute("SELECT pg_advisory_xact_lock(" + CREATE_LOCK + ")");
        if (hasJournal(connection, settings)) {
          connection.commit();
          return;
        }
        // The DDL names public; the tables go to the configured schema instead.
        if (!hasSchema(connection, settings.schema())) { // asking needs no right to create
          statement.execute("CREATE SCHEMA " + settings.schema());
        }
        statement.execute("SET LOCAL search_path TO " + settings.schema());
      }
      for (String sql : statements(settings.store())) {
        statement.execute(settings.store() == HistorySettings.Store.POSTGRES
            ? sql.replace("public.", settings.schema() + ".") : sql);
      }
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    }
  }

  static List<String> statements(HistorySettings.Store store) {
    String dialect = store.dialect();
    String resource = "schema/" + dialect + "/" + dialect + "-create-schema.sql";
    try (InputStream in = JournalSchema.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the classpath");
      }
      String ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return Arrays.stream(ddl.split(";"))
          .map(String::strip)
          .filter(sql -> !sql.isEmpty())
          .filter(sql -> !sql.contains("durable_state") && !sql.contains("global_offset"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no reason given";
    }
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }
}
