package chat.client.terminal;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion for the chat prompt: the commands at the start of a line, the known rooms after
 * {@code /join}, {@code /part} and {@code /say}, and the names in the shown window after {@code
 * /msg} and anywhere in a message; a name at the start of a line is offered as {@code name: }, to
 * address that person. It offers everything that fits the position; JLine keeps the candidates
 * that match what was typed, and cycles through them on repeated Tab.
 */
public final class ChatCompleter implements Completer {

  /** The commands the server knows, and this client's {@code /help}. */
  public static final List<String> COMMANDS =
      List.of(
          "/help", "/who", "/whois", "/msg", "/query", "/me", "/nick", "/join", "/part", "/say",
          "/rooms", "/topic", "/history", "/search", "/more", "/away", "/win", "/close",
          "/ignore", "/unignore", "/set", "/quit");

  /** Commands whose arguments are neither names nor free text. */
  private static final List<String> NO_NAMES =
      List.of("/help", "/who", "/nick", "/rooms", "/history", "/more", "/quit", "/win", "/close",
          "/set");

  private final Roster roster;
  private final Supplier<List<String>> names;

  /** @param names the names in the shown window */
  public ChatCompleter(Roster roster, Supplier<List<String>> names) {
    this.roster = roster;
    this.names = names;
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    boolean addressing = line.wordIndex() == 0 && !line.word().isEmpty()
        && !line.word().startsWith("/");
    for (String word : candidates(line.words(), line.wordIndex())) {
      candidates.add(addressing
          ? new Candidate(word + ":", word, null, null, null, null, true)
          : new Candidate(word));
    }
  }

  /** What may stand as word number {@code wordIndex} of a line made of {@code words}. */
  public List<String> candidates(List<String> words, int wordIndex) {
    String current = wordIndex < words.size() ? words.get(wordIndex) : "";
    if (wordIndex == 0) {
      return current.isEmpty() || current.startsWith("/") ? COMMANDS : names.get();
    }
    String command = words.get(0).toLowerCase(Locale.ROOT);
    if (command.equals("/join") || command.equals("/part")) {
      return wordIndex == 1 ? roster.rooms() : List.of();
    }
    if (command.equals("/say") && wordIndex == 1) {
      return roster.rooms();
    }
    if (NO_NAMES.contains(command)) {
      return List.of();
    }
    return names.get();
  }
}
