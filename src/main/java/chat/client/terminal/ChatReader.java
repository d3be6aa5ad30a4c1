package chat.client.terminal;

import java.util.Map;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;

/**
 * JLine's line reader, with what the window screen needs of it: drawing under the reader's own
 * lock (so that a status update never cuts into the input line being redrawn), and word of a
 * resized terminal, which the reader takes for itself while it reads.
 */
final class ChatReader extends LineReaderImpl {

  private volatile Runnable resized = () -> {};

  ChatReader(Terminal terminal, String appName, Map<String, Object> variables) {
    super(terminal, appName, variables);
  }

  /** Runs {@code drawing} while nothing else draws on the terminal. */
  void exclusive(Runnable drawing) {
    lock.lock();
    try {
      drawing.run();
    } finally {
      lock.unlock();
    }
  }

  /** What to do, after the reader, when the terminal changes size. */
  void onResize(Runnable action) {
    resized = action;
  }

  @Override
  protected void handleSignal(Terminal.Signal signal) {
    super.handleSignal(signal);
    if (signal == Terminal.Signal.WINCH) {
      resized.run();
    }
  }
}
