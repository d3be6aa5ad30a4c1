package chat.room;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** What {@code /search} looks for: every one of its words, in any case, anywhere in a message. */
final class SearchTerms {

  /** The most results one search gives, newest first. */
  static final int MAX_RESULTS = 20;
  /** The most messages one search reads from a database, newest first. */
  static final int MAX_SCANNED = 10_000;

  private final String words;
  private final List<String> folded;

  SearchTerms(String words) {
    this.words = words.strip();
    this.folded = Arrays.stream(this.words.split("\\s+"))
        .map(word -> word.toLowerCase(Locale.ROOT))
        .distinct()
        .toList();
  }

  boolean matches(String text) {
    String haystack = text.toLowerCase(Locale.ROOT);
    return folded.stream().allMatch(haystack::contains);
  }

  /** The words as the member typed them. */
  String words() {
    return words;
  }
}
