package chat.client;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.InfoCmp.Capability;

/**
 * The interactive client on a JLine terminal: connects, asks for a name until the server accepts
 * one, then shows a {@code <name>> } prompt with the chat printed above it. Made by {@link
 * chat.ClientApp} when standard input is a terminal; a run returns its exit code as soon as the
 * user quits, the server shuts down or the connection is lost, with the terminal restored.
 */
public final class TerminalFront {

  private static final int TYPED_LINES = 64;
  private static final Duration CONNECT_WAIT = ChatClient.CONNECT_TIMEOUT.plusSeconds(5);

  private final ActorSystem<?> system;

  /** A front that runs its streams on {@code system}; the caller terminates the system. */
  public TerminalFront(ActorSystem<?> system) {
    this.system = system;
  }

  /**
   * Chats on the system terminal until the end: returns 0 after a quit or a server shutdown, 1
   * after a refused connection or a lost one. Problems are told in one line, without a trace.
   */
  public int run(ClientSettings settings, Optional<String> name) {
    Terminal terminal;
    try {
      terminal = TerminalBuilder.builder().system(true).build();
    } catch (IOException e) {
      System.err.println("Cannot open the terminal: " + e.getMessage());
      return 1;
    }
    try (terminal) {
      return run(settings, name, terminal);
    } catch (IOException e) {
      return 1; // closing the terminal failed: nothing left to restore
    }
  }

  /** Chats on a given terminal, which the caller closes; a test can pass a virtual one. */
  int run(ClientSettings settings, Optional<String> name, Terminal terminal) {
    LineReader reader =
        LineReaderBuilder.builder().terminal(terminal).appName("pekko-chat").build();
    Pair<BoundedSourceQueue<ByteString>, Source<ByteString, NotUsed>> typed =
        Source.<ByteString>queue(TYPED_LINES).preMaterialize(system);
    TerminalSession session = new TerminalSession(reader, typed.first(), settings.maxLineBytes());
    ChatClient client = ChatClient.connect(system, settings, typed.second(), session::onLine);
    Optional<String> problem = awaitConnected(client, settings);
    if (problem.isPresent()) {
      terminal.writer().println(problem.get());
      terminal.flush();
      return 1;
    }
    client.closed().whenComplete(session::onClosed);
    Terminal.SignalHandler previous =
        terminal.handle(Terminal.Signal.INT, signal -> session.quit());
    Thread input = new Thread(() -> session.interact(name), "terminal-input");
    input.setDaemon(true); // a read in progress must not keep the JVM alive after the chat ended
    input.start();
    int exitCode = session.exitCode().join();
    terminal.handle(Terminal.Signal.INT, previous);
    clearInputLine(terminal);
    return exitCode;
  }

  private static Optional<String> awaitConnected(ChatClient client, ClientSettings settings) {
    try {
      client.connected().toCompletableFuture().get(CONNECT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      return Optional.empty();
    } catch (ExecutionException e) {
      return Optional.of(e.getCause().getMessage());
    } catch (TimeoutException e) {
      return Optional.of(
          "Cannot connect to " + settings.host() + ":" + settings.port() + ": timed out");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("Interrupted while connecting");
    }
  }

  /** Leaves no half-typed line behind: the shell's prompt comes on a clean line. */
  private static void clearInputLine(Terminal terminal) {
    terminal.puts(Capability.carriage_return);
    terminal.puts(Capability.clr_eol);
    terminal.flush();
  }
}
