package chat.client.terminal;

import java.util.List;
import java.util.Locale;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion for the chat prompt: the commands at the start of a line, the known rooms after
 * {@code /join}, {@code /part} and {@code /say}, and the names of people online after {@code /msg} and anywhere in a message. It
 * offers everything that fits the position; JLine keeps the candidates that match what was typed.
 */
public final class ChatCompleter implements Completer {

  /** The commands the server knows, and this client's {@code /help}. */
  public static final List<String> COMMANDS =
      List.of(
          "/help", "/who", "/msg", "/me", "/nick", "/join", "/part", "/say", "/rooms", "/topic",
          "/history", "/search", "/more", "/quit");

  /** Commands whose arguments are neither names nor free text. */
  private static final List<String> NO_NAMES =
      List.of("/help", "/who", "/nick", "/rooms", "/history", "/more", "/quit");

  private final Roster roster;

  public ChatCompleter(Roster roster) {
    this.roster = roster;
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    for (String word : candidates(line.words(), line.wordIndex())) {
      candidates.add(new Candidate(word));
    }
  }

  /** What may stand as word number {@code wordIndex} of a line made of {@code words}. */
  public List<String> candidates(List<String> words, int wordIndex) {
    String current = wordIndex < words.size() ? words.get(wordIndex) : "";
    if (wordIndex == 0) {
      return current.isEmpty() || current.startsWith("/") ? COMMANDS : roster.people();
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
    return roster.people();
  }
}
