package chat.room;

import com.ibm.icu.text.Normalizer2;
import java.util.Arrays;
import java.util.List;

/**
 * What {@code /search} looks for: every one of its words, in any case and form, anywhere in a
 * message: both are compared under Unicode's NFKC case folding (ICU), so {@code STRASSE} finds
 * {@code Straße}, and a decomposed {@code café} the composed one.
 */
final class SearchTerms {

  /** The most results one search gives, newest first. */
  static final int MAX_RESULTS = 20;
  /** The most messages one search reads from a database, newest first. */
  static final int MAX_SCANNED = 10_000;

  private static final Normalizer2 FOLD = Normalizer2.getNFKCCasefoldInstance();

  private final String words;
  private final List<String> folded;

  SearchTerms(String words) {
    this.words = words.strip();
    this.folded = Arrays.stream(this.words.split("\\s+"))
        .map(FOLD::normalize)
        // A word of nothing but ignorable characters (a soft hyphen) folds to nothing.
        .filter(word -> !word.isBlank())
        .distinct()
        .toList();
  }

  /** Whether nothing is left to look for once the words are folded. */
  boolean isEmpty() {
    return folded.isEmpty();
  }

  boolean matches(String text) {
    String haystack = FOLD.normalize(text);
    return folded.stream().allMatch(haystack::contains);
  }

  /** The words as the member typed them. */
  String words() {
    return words;
  }
}
