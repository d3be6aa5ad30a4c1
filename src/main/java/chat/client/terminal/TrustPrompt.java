package chat.client.terminal;

import chat.client.trust.ServerTrust;
import java.util.List;
import java.util.Locale;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;

/**
 * Asks in the terminal whether to trust a server met for the first time: shows what is known of
 * its certificate and takes a yes or no, no being the default (as are Ctrl+C and Ctrl+D). Made
 * by {@link TerminalFront} before it connects; the answer is not kept in the input history.
 */
final class TrustPrompt implements ServerTrust.Asker {

  private final LineReader reader;
  private final StyledRenderer renderer;

  TrustPrompt(LineReader reader, StyledRenderer renderer) {
    this.reader = reader;
    this.renderer = renderer;
  }

  @Override
  public boolean confirm(List<String> explanation, String question) {
    explanation.forEach(line -> reader.printAbove(renderer.notice(line)));
    reader.variable(LineReader.DISABLE_HISTORY, true);
    try {
      while (true) {
        String answer = reader.readLine(question).strip().toLowerCase(Locale.ROOT);
        if (answer.equals("y") || answer.equals("yes")) {
          return true;
        }
        if (answer.isEmpty() || answer.equals("n") || answer.equals("no")) {
          return false;
        }
        reader.printAbove(renderer.plain("Please answer yes or no."));
      }
    } catch (UserInterruptException | EndOfFileException e) {
      return false;
    } finally {
      reader.variable(LineReader.DISABLE_HISTORY, false);
    }
  }
}
