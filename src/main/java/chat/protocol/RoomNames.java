package chat.protocol;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;

/**
 * The rules for room names: {@code #} and 1 to {@value #MAX_LENGTH} letters, digits, {@code _},
 * {@code -} or {@code .}; unique without regard to case. Everybody starts in {@link #LOBBY}.
 */
public final class RoomNames {

  public static final String LOBBY = "#lobby";
  public static final int MAX_LENGTH = 32;
  public static final String RULES =
      "Room names are '#' and 1 to " + MAX_LENGTH + " letters, digits, '_', '-' or '.'.";

  private RoomNames() {}

  /** The room as the server shows it: trimmed, NFC, with the {@code #} added if missing. */
  public static String normalize(String raw) {
    String name = Normalizer.normalize(raw.strip(), Normalizer.Form.NFC);
    return name.startsWith("#") ? name : "#" + name;
  }

  /** The key two room names are compared by. */
  public static String key(String room) {
    // The string itself when it is its own key, as most are: no copy kept for every member.
    String normalized = Normalizer.isNormalized(room, Normalizer.Form.NFKC)
        ? room : Normalizer.normalize(room, Normalizer.Form.NFKC);
    return normalized.toLowerCase(Locale.ROOT);
  }

  /** Why a (normalized) room name cannot be used. */
  public static Optional<String> problem(String room) {
    if (!room.startsWith("#")) {
      return Optional.of(RULES);
    }
    String body = room.substring(1);
    boolean valid =
        !body.isEmpty()
            && body.codePointCount(0, body.length()) <= MAX_LENGTH
            && Names.spellingProblem(body).isEmpty();
    return valid ? Optional.empty() : Optional.of(RULES);
  }
}
