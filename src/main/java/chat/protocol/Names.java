package chat.protocol;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UProperty;
import com.ibm.icu.lang.UScript;
import com.ibm.icu.text.SpoofChecker;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The rules for user names: 1 to {@value #MAX_LENGTH} characters, each a letter or digit of any
 * script or one of {@code _ - .}, with the letters all of one script (so {@code аlice} with a
 * Cyrillic {@code а} cannot pass for {@code alice}), nothing invisible, and no stray marks on the
 * letters of scripts that have their accented letters ready-made; one person at a time for all
 * the names that look alike ({@link #key}); not one of the words the server's own text lines start
 * with. Pure functions, used by the room to decide a join and by clients to check a name before
 * sending it.
 */
public final class Names {

  public static final int MAX_LENGTH = 32;

  /** UTS #39 confusables; its skeleton functions may be called from any thread. */
  private static final SpoofChecker CONFUSABLES = new SpoofChecker.Builder().build();

  /**
   * Scripts whose accented letters Unicode has ready-made, so that NFC leaves no mark on them in
   * a real name: a mark still there after NFC ({@code bob} with a combining stroke) only disguises
   * the name. Scripts that write vowels or tones as marks (Devanagari, Thai, Arabic) keep them.
   */
  private static final Set<Integer> COMPOSED_SCRIPTS =
      Set.of(UScript.LATIN, UScript.GREEK, UScript.CYRILLIC, UScript.ARMENIAN, UScript.GEORGIAN,
          UScript.COMMON, UScript.HAN, UScript.HIRAGANA, UScript.KATAKANA, UScript.HANGUL);

  /**
   * The keys of names nobody may take: a text-mode chat line is {@code <name>: <text>}, so these
   * would let a user write lines that look like the server's errors and refusals.
   */
  private static final Set<String> RESERVED =
      Set.of(prefixKey(ServerLines.ERROR_PREFIX), prefixKey(ServerLines.REFUSAL_PREFIX));

  private Names() {}

  /**
   * Reads Unicode's confusables table now (about 0.1 s the first time), so that the server's first
   * join does not wait for it.
   */
  public static void load() {
    key("load");
  }

  /** The name as the server keeps and shows it: trimmed and in Unicode NFC. */
  public static String normalize(String raw) {
    return Normalizer.normalize(raw.strip(), Normalizer.Form.NFC);
  }

  /**
   * The same name written another way: compatibility-folded and lower-cased, so that {@code
   * Alice}, {@code ALICE} and full-width {@code ａｌｉｃｅ} are one name. What a client compares to
   * know whether a line names it, and what {@code /msg} and {@code !kick} look a name up by.
   */
  public static String fold(String name) {
    // Upper then lower case folds more than lower case alone: final sigma, German sharp s.
    return Normalizer.normalize(name, Normalizer.Form.NFKC)
        .toUpperCase(Locale.ROOT)
        .toLowerCase(Locale.ROOT);
  }

  /**
   * The key two names are compared by when someone claims one: names a person cannot tell apart
   * share it. It is the UTS #39 skeleton of the folded name (Cyrillic {@code аӏісе} and {@code
   * alice}, {@code b0b} and {@code bob}, {@code rn} and {@code m}), then of that in capitals,
   * because people see names as typed: {@code Ian} with a capital i looks like {@code lan}, and
   * is one name with {@code ian}. So {@code ian} and {@code lan} share a key too: one key a name
   * lets one owner decide every claim of it, where a rule between pairs of names would need all.
   */
  public static String key(String name) {
    String lower = CONFUSABLES.getSkeleton(fold(name));
    return CONFUSABLES.getSkeleton(lower.toUpperCase(Locale.ROOT)).toLowerCase(Locale.ROOT);
  }

  /**
   * The key of how a name looks with its capitals as typed: the skeleton of the name as written,
   * then its {@link #key}. Greek or Cyrillic capitals ({@code ΑΝΝΑ}, {@code ТОМ}) look like Latin
   * ones, though in lower case ({@code αννα}, {@code том}) they do not, and {@link #key} folds the
   * case first. A name is taken when either key is held.
   */
  public static String lookKey(String name) {
    return key(CONFUSABLES.getSkeleton(Normalizer.normalize(name, Normalizer.Form.NFKC)));
  }

  /** Whether two names are the same name, written with another case or width. */
  public static boolean same(String one, String other) {
    return one != null && other != null && fold(one).equals(fold(other));
  }

  /** Why a (normalized) name cannot be used, as the text of a {@code SET_USERNAME:} refusal. */
  public static Optional<String> problem(String name) {
    return spellingProblem(name)
        .or(() -> Optional.of(name)
            .filter(n -> RESERVED.contains(key(n)) || RESERVED.contains(lookKey(n)))
            .map(Refusals::reserved));
  }

  /**
   * Why a name cannot be taken while {@code holder} holds a name with the same {@link #key}: the
   * same name, or one that looks like it.
   */
  public static String takenBecauseOf(String name, String holder) {
    return same(name, holder) ? Refusals.taken(name) : Refusals.lookalike(name, holder);
  }

  /** Why a (normalized) name is not spelled as names must be: its length and characters. */
  static Optional<String> spellingProblem(String name) {
    if (name.isEmpty()) {
      return Optional.of(Refusals.EMPTY);
    }
    if (name.codePointCount(0, name.length()) > MAX_LENGTH) {
      return Optional.of(Refusals.TOO_LONG);
    }
    Optional<String> invisible = name.codePoints().filter(Names::isInvisible).boxed().findFirst()
        .map(Refusals::invisible);
    if (invisible.isPresent()) {
      return invisible;
    }
    if (!name.codePoints().allMatch(Names::isAllowed) || isMark(name.codePointAt(0))) {
      return Optional.of(Refusals.BAD_CHARACTERS);
    }
    if (hasStrayMark(name)) {
      return Optional.of(Refusals.STRAY_MARKS);
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

  /**
   * Characters that show nothing, or only change how the one before looks: the combining grapheme
   * joiner, variation selectors, Mongolian and Khmer fillers, and the rest of Unicode's default
   * ignorables. A name with one looks just like the name without it.
   */
  private static boolean isInvisible(int codePoint) {
    return UCharacter.hasBinaryProperty(codePoint, UProperty.DEFAULT_IGNORABLE_CODE_POINT)
        || UCharacter.hasBinaryProperty(codePoint, UProperty.VARIATION_SELECTOR);
  }

  /** A mark on a letter (or digit, or sign) of a script whose accented letters are ready-made. */
  private static boolean hasStrayMark(String name) {
    int base = -1;
    for (int i = 0; i < name.length(); ) {
      int codePoint = name.codePointAt(i);
      if (!isMark(codePoint)) {
        base = codePoint;
      } else if (COMPOSED_SCRIPTS.contains(UScript.getScript(base))) {
        return true;
      }
      i += Character.charCount(codePoint);
    }
    return false;
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
    public static final String STRAY_MARKS =
        "Username cannot put combining marks on Latin, Greek or Cyrillic letters, digits or signs"
            + " (accented letters such as é are fine).";

    private Refusals() {}

    public static final String PASSWORD_NEEDED =
        "This server needs a password: send PASS:<password> before JOIN:<username>.";

    public static String taken(String name) {
      return "Username '" + name + "' is already taken.";
    }

    /** A name free as spelled but that people could not tell apart from {@code holder}. */
    public static String lookalike(String name, String holder) {
      return "Username '" + name + "' looks too much like '" + holder + "', which is taken.";
    }

    public static String reserved(String name) {
      return "Username '" + name + "' is reserved: the server's own lines start with it.";
    }

    static String invisible(int codePoint) {
      return String.format(Locale.ROOT,
          "Username cannot contain invisible characters (U+%04X).", codePoint);
    }
  }
}
