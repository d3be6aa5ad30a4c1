package chat.history;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * What the rooms' journal needs besides its plugin's own work, straight in SQL: deleting a
 * room's purged entries, deleting what retention lets go, counting what is kept. Blocking: run
 * it off the actors' threads. A room's entries since its latest snapshot are never deleted by
 * retention, so that a room always starts with its numbering and topic.
 */
public final class JournalMaintenance {

  private final HistorySettings settings;
  private final String journal;
  private final String snapshots;

  public JournalMaintenance(HistorySettings settings) {
    if (!settings.durable()) {
      throw new IllegalArgumentException("the memory store has no journal");
    }
    this.settings = settings;
    String prefix = settings.store() == HistorySettings.Store.POSTGRES ? settings.schema() + "."
        : "";
    this.journal = prefix + "\"event_journal\"";
    this.snapshots = prefix + "\"snapshot\"";
  }

  /** Runs blocking {@code work} on the system's dispatcher for blocking work, off the actors'. */
  public static <T> java.util.concurrent.CompletionStage<T> offThread(
      org.apache.pekko.actor.typed.ActorSystem<?> system, java.util.function.Supplier<T> work) {
    return java.util.concurrent.CompletableFuture.supplyAsync(work,
        system.dispatchers().lookup(org.apache.pekko.actor.typed.DispatcherSelector.blocking()));
  }

  /** Deletes the room's entries below {@code seqNr}; returns how many went. */
  public int deleteBelow(String persistenceId, long seqNr) {
    return update("DELETE FROM " + journal
        + " WHERE \"persistence_id\" = ? AND \"sequence_number\" < ?", persistenceId, seqNr);
  }

  /**
   * Deletes, in every room, the entries written before {@code maxAge} ago and those past the
   * newest {@code maxEntries}, but never one since the room's latest snapshot; returns how many
   * went.
   */
  public int applyRetention(java.util.Optional<Duration> maxAge, OptionalInt maxEntries) {
    String sinceSnapshot = " AND j.\"sequence_number\" < (SELECT MAX(s.\"sequence_number\") FROM "
        + snapshots + " s WHERE s.\"persistence_id\" = j.\"persistence_id\")";
    int deleted = 0;
    if (maxAge.isPresent()) {
      deleted += update("DELETE FROM " + journal + " j WHERE j.\"write_timestamp\" < ?"
          + sinceSnapshot, System.currentTimeMillis() - maxAge.get().toMillis());
    }
    if (maxEntries.isPresent()) {
      deleted += update("DELETE FROM " + journal + " j WHERE j.\"sequence_number\" <= (SELECT"
          + " MAX(k.\"sequence_number\") FROM " + journal + " k WHERE k.\"persistence_id\" ="
          + " j.\"persistence_id\") - ?" + sinceSnapshot, (long) maxEntries.getAsInt());
    }
    return deleted;
  }

  /** The persistence ids that start with {@code prefix}: the rooms that have entries. */
  public java.util.List<String> idsStartingWith(String prefix) {
    java.util.List<String> ids = new java.util.ArrayList<>();
    try (Connection connection = connect();
        PreparedStatement statement = connection.prepareStatement("SELECT DISTINCT"
            + " \"persistence_id\" FROM " + journal + " WHERE \"persistence_id\" LIKE ?")) {
      statement.setString(1, prefix.replace("%", "\\%").replace("_", "\\_") + "%");
      try (ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          ids.add(result.getString(1));
        }
      }
      return ids;
    } catch (SQLException e) {
      throw new JournalSchema.Unavailable("Cannot list the rooms in the history store: "
          + e.getMessage(), e);
    }
  }

  /** The entries the journal keeps, in all rooms. */
  public long count() {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM " + journal)) {
      result.next();
      return result.getLong(1);
    } catch (SQLException e) {
      throw new JournalSchema.Unavailable("Cannot count the history store's entries: "
          + e.getMessage(), e);
    }
  }

  private int update(String sql, Object... parameters) {
    try (Connection connection = connect();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      return statement.executeUpdate();
    } catch (SQLException e) {
      throw new JournalSchema.Unavailable("The history store failed: " + e.getMessage(), e);
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(settings.url(), settings.user(), settings.password());
  }
}
