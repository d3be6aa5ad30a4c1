package chat.history;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the rooms' history is kept ({@code chat.history}): in memory, or in a database through
 * Pekko Persistence's JDBC journal, an H2 file under {@code chat.server.data-dir} or PostgreSQL.
 */
public record HistorySettings(
    Store store, String url, String user, String password, String schema, int snapshotEvery,
    int replayMax, Retention retention) {

  /**
   * How long messages are kept ({@code chat.history.retention}): older than {@code maxAge}, or
   * past the newest {@code maxMessages} of a room, they are deleted every {@code interval}.
   */
  public record Retention(Optional<Duration> maxAge, OptionalInt maxMessages, Duration interval) {
    public static final Retention NONE =
        new Retention(Optional.empty(), OptionalInt.empty(), Duration.ofMinutes(1));

    public Retention {
      if (maxMessages.isPresent() && maxMessages.getAsInt() < 1) {
        throw new IllegalArgumentException(
            "chat.history.retention.max-messages must be at least 1, or off");
      }
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("chat.history.retention.interval must be positive");
      }
    }

    public boolean any() {
      return maxAge.isPresent() || maxMessages.isPresent();
    }

    static Retention fromConfig(Config retention) {
      return new Retention(
          off(retention, "max-age") ? Optional.empty()
              : Optional.of(retention.getDuration("max-age")),
          off(retention, "max-messages") ? OptionalInt.empty()
              : OptionalInt.of(retention.getInt("max-messages")),
          retention.getDuration("interval"));
    }

    private static boolean off(Config config, String key) {
      return config.getValue(key).unwrapped() instanceof Boolean on ? !on
          : config.getString(key).equalsIgnoreCase("off");
    }
  }

  /** A schema name as PostgreSQL takes it unquoted: it goes into the DDL as it is. */
  private static final java.util.regex.Pattern SCHEMA =
      java.util.regex.Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  /** The kinds of store. */
  public enum Store {
    /** The server's memory: gone with the server. */
    MEMORY,
    /** An embedded H2 database in a file: nothing to install. */
    H2,
    /** A PostgreSQL server. */
    POSTGRES;

    /** The folder of the journal plugin's DDL, and Slick's profile. */
    String dialect() {
      return this == H2 ? "h2" : "postgres";
    }

    String profile() {
      return this == H2 ? "slick.jdbc.H2Profile$" : "slick.jdbc.PostgresProfile$";
    }

    String driver() {
      return this == H2 ? "org.h2.Driver" : "org.postgresql.Driver";
    }
  }

  public HistorySettings {
    if (snapshotEvery < 1) {
      throw new IllegalArgumentException("chat.history.snapshot-every must be at least 1");
    }
    if (replayMax < 0) {
      throw new IllegalArgumentException("chat.history.replay-max must be at least 0");
    }
    if (store == Store.POSTGRES && !SCHEMA.matcher(schema).matches()) {
      throw new IllegalArgumentException("chat.history.postgres.schema must be lower-case"
          + " letters, digits and _ (not starting with a digit), was \"" + schema + "\"");
    }
  }

  /**
   * Reads {@code chat.history}; an H2 store without a URL of its own is the file {@code
   * history} under {@code chat.server.data-dir}, written through at once ({@code WRITE_DELAY=0}:
   * with H2's default delay a killed server loses lines it had acknowledged) and closed by the
   * server once its last writes are done ({@code DB_CLOSE_ON_EXIT=FALSE}: else the JVM closes it
   * first when it stops).
   */
  public static HistorySettings fromConfig(Config config) {
    Config history = config.getConfig("chat.history");
    String kind = history.getString("store").toLowerCase(Locale.ROOT);
    Store store = switch (kind) {
      case "memory" -> Store.MEMORY;
      case "h2" -> Store.H2;
      case "postgres", "postgresql" -> Store.POSTGRES;
      default -> throw new IllegalArgumentException(
          "chat.history.store must be memory, h2 or postgres, not \"" + kind + "\"");
    };
    int snapshotEvery = history.getInt("snapshot-every");
    int replayMax = history.getInt("replay-max");
    Retention retention = Retention.fromConfig(history.getConfig("retention"));
    return switch (store) {
      case MEMORY ->
          new HistorySettings(store, "", "", "", "", snapshotEvery, replayMax, retention);
      case H2 -> new HistorySettings(store, h2Url(history.getString("h2.url"),
          Path.of(config.getString("chat.server.data-dir"))), "sa", "", "", snapshotEvery,
          replayMax, retention);
      case POSTGRES -> new HistorySettings(store, history.getString("postgres.url"),
          history.getString("postgres.user"), history.getString("postgres.password"),
          history.getString("postgres.schema"), snapshotEvery, replayMax, retention);
    };
  }

  private static String h2Url(String url, Path dataDir) {
    return url.isEmpty()
        ? "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("history")
            + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE"
        : url;
  }

  /** History in memory only, as a server without a database keeps it. */
  public static HistorySettings memory() {
    return new HistorySettings(Store.MEMORY, "", "", "", "", 1000, 0, Retention.NONE);
  }

  public boolean durable() {
    return store != Store.MEMORY;
  }

  /** Where the history is, for the log: the kind and the URL (never the password). */
  public String describe() {
    return !durable() ? "memory"
        : store.name().toLowerCase(Locale.ROOT) + " at " + url
            + (store == Store.POSTGRES ? " (schema " + schema + ")" : "");
  }

  /**
   * The Pekko settings that put the rooms' journal and snapshots in this database, over the
   * wiring in {@code history.conf} (one pool shared by the journal, the snapshots and the
   * queries; stored events as CBOR), which the server's configuration holds under the user's
   * file. Empty for the memory store.
   */
  public Config pekkoConfig() {
    if (!durable()) {
      return ConfigFactory.empty();
    }
    Config db = ConfigFactory.parseMap(Map.of(
        "url", url, "user", user, "password", password, "driver", store.driver()));
    Config tables = ConfigFactory.empty();
    if (store == Store.POSTGRES) {
      for (String table : List.of("jdbc-journal.tables.event_journal",
          "jdbc-journal.tables.event_tag", "jdbc-snapshot-store.tables.snapshot",
          "jdbc-read-journal.tables.event_journal", "jdbc-read-journal.tables.event_tag")) {
        tables = tables.withValue(table + ".schemaName", ConfigValueFactory.fromAnyRef(schema));
      }
    }
    return tables
        .withValue("pekko-persistence-jdbc.shared-databases.slick.profile",
            ConfigValueFactory.fromAnyRef(store.profile()))
        .withFallback(db.atPath("pekko-persistence-jdbc.shared-databases.slick.db"));
  }
}
