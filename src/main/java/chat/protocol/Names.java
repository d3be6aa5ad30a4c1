package chat.protocol;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The rules for user names: 1 to {@value #MAX_LENGTH} characters, each a letter or digit of any
 * script or one of {@code _ - .}, with the letters all of one script (so {@code аlice} with a
 * Cyrillic {@code а} cannot pass for {@code alice}); unique without regard to case; not one of
 * the words the server's own text lines start with. Pure functions, used by the room to decide a
 * join and by clients to check a name before sending it.
 */
public final class Names {

  public static final int MAX_LENGTH = 32;

  /**
   * The keys of names nobody may take: a text-mode chat line is {@code <name>: <text>}, so these
   * would let a user write lines that look like the server's errors and refusals.
   */
  private static final Set<String> RESERVED =
      Set.of(prefixKey(ServerLines.ERROR_PREFIX), prefixKey(ServerLines.REFUSAL_PREFIX));

  private Names() {}

  /** The name as the server keeps and shows it: trimmed and in Unicode NFC. */
  public static String normalize(String raw) {
    return Normalizer.normalize(raw.strip(), Normalizer.Form.NFC);
  }

  /**
   * The key two names are compared by: compatibility-folded and lower-cased, so that {@code Alice},
   * {@code ALICE} and full-width {@code ａｌｉｃｅ} are one name.
   */
  public static String key(String name) {
    // Upper then lower case folds more than lower case alone: final sigma, German sharp s.
    return Normalizer.normalize(name, Normalizer.Form.NFKC)
        .toUpperCase(Locale.ROOT)
        .toLowerCase(Locale.ROOT);
  }

  /** Why a (normalized) name cannot be used, as the text of a {@code SET_USERNAME:} refusal. */
  public static Optional<String> problem(String name) {
    return spellingProblem(name)
        .or(() -> Optional.of(name).filter(n -> RESERVED.contains(key(n))).map(Refusals::reserved));
  }

  /** Why a (normalized) name is not spelled as names must be: its length and characters. */
  static Optional<String> spellingProblem(String name) {
    if (name.isEmpty()) {
      return Optional.of(Refusals.EMPTY);
    }
    if (name.codePointCount(0, name.length()) > MAX_LENGTH) {
      return Optional.of(Refusals.TOO_LONG);
    }
    if (!name.codePoints().allMatch(Names::isAllowed) || isMark(name.codePointAt(0))) {
      return Optional.of(Refusals.BAD_CHARACTERS);
    }
    long scripts =
        name.codePoints()
            .filter(Character::isLetter)
            .mapToObj(Character.UnicodeScript::of)
            .distinct()
            .count();
    return scripts > 1 ? Optional.of(Refusals.MIXED_SCRIPTS) : Optional.empty();
  }

  /** The key of a line prefix's word ({@code ERROR:} gives {@code error}). */
  private static String prefixKey(String prefix) {
    return key(prefix.substring(0, prefix.indexOf(':')));
  }

  /** Letters and digits; marks too, on a letter (the vowel signs of Indic scripts). */
  private static boolean isAllowed(int codePoint) {
    return (Character.isLetterOrDigit(codePoint) && !Text.isBlankLetter(codePoint))
        || isMark(codePoint)
        || codePoint == '_'
        || codePoint == '-'
        || codePoint == '.';
  }

  private static boolean isMark(int codePoint) {
    int type = Character.getType(codePoint);
    return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK;
  }

  /** The reasons a join is refused, each the text after {@code SET_USERNAME: }. */
  public static final class Refusals {
    public static final String EMPTY = "Username cannot be empty.";
    public static final String INVALID_PROTOCOL = "Invalid Protocol. Use JOIN:<username>";
    public static final String TOO_LONG =
        "Username cannot be longer than " + MAX_LENGTH + " characters.";
    public static final String SPACES =
        "Username cannot contain spaces; JOIN options are written key=value, as in mode=json.";
    public static final String BAD_CHARACTERS =
        "Username may only contain letters, digits, '_', '-' and '.'.";
    public static final String MIXED_SCRIPTS =
        "Username must be written in one script (no mixing, say, Latin and Cyrillic letters).";

    private Refusals() {}

    public static final String PASSWORD_NEEDED =
        "This server needs a password: send PASS:<password> before JOIN:<username>.";

    public static String taken(String name) {
      return "Username '" + name + "' is already taken.";
    }

    public static String reserved(String name) {
      return "Username '" + name + "' is reserved: the server's own lines start with it.";
    }
  }
}
