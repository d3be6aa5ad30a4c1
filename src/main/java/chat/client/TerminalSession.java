package chat.client;

import chat.protocol.ClientLines;
import chat.protocol.Names;
import chat.protocol.Text;
import java.io.IOError;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.util.ByteString;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One interactive chat on a JLine {@link LineReader}, made by {@link TerminalFront}. Its input
 * thread asks for a name until the server accepts one, then reads lines and offers them to the
 * connection; the connection's stream thread prints what the server sends above the input line. It
 * ends, with an exit code, when the user quits, the server shuts down or the connection is lost.
 */
final class TerminalSession {

  /** How long to wait for the server to close after {@code !quit}. */
  static final Duration QUIT_WAIT = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(TerminalSession.class);

  private final LineReader reader;
  private final BoundedSourceQueue<ByteString> typed;
  private final int maxLineBytes;
  private final Conversation conversation = new Conversation();
  private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
  private final AtomicBoolean quitting = new AtomicBoolean();
  private volatile CompletableFuture<Optional<String>> pendingJoin = new CompletableFuture<>();

  TerminalSession(LineReader reader, BoundedSourceQueue<ByteString> typed, int maxLineBytes) {
    this.reader = reader;
    this.typed = typed;
    this.maxLineBytes = maxLineBytes;
  }

  /** Completes with 0 after a quit or server shutdown, 1 after a lost connection. */
  CompletableFuture<Integer> exitCode() {
    return exitCode;
  }

  /** The input thread's work: join, then chat until the user leaves. */
  void interact(Optional<String> givenName) {
    try {
      Optional<String> name = join(givenName);
      if (name.isPresent()) {
        chat(name.get() + "> ");
      }
    } catch (UserInterruptException | EndOfFileException e) {
      if (!exitCode.isDone()) {
        quit();
      }
    } catch (RuntimeException | IOError e) {
      // Closing the terminal at exit ends a read in progress this way.
      if (!exitCode.isDone()) {
        log.debug("Reading the terminal failed", e);
        show("Cannot read the terminal: " + e.getMessage());
        quit();
      }
    }
  }

  private Optional<String> join(Optional<String> givenName) {
    Optional<String> candidate = givenName;
    while (!exitCode.isDone()) {
      String raw =
          candidate.isPresent() ? candidate.get() : reader.readLine("Enter your username: ");
      candidate = Optional.empty();
      String name = Names.normalize(raw);
      Optional<String> problem =
          Names.problem(name).or(() -> InputLines.joinProblem(name, maxLineBytes));
      if (problem.isPresent()) {
        show(problem.get());
        continue;
      }
      CompletableFuture<Optional<String>> answer = new CompletableFuture<>();
      pendingJoin = answer;
      send(ClientLines.join(name));
      CompletableFuture.anyOf(answer, exitCode).join();
      Optional<String> refusal = answer.getNow(Optional.of("no answer"));
      if (refusal.isEmpty()) {
        return Optional.of(name);
      }
      if (!exitCode.isDone()) {
        show("Username refused: " + refusal.get());
      }
    }
    return Optional.empty();
  }

  private void chat(String prompt) {
    while (!exitCode.isDone()) {
      String line = reader.readLine(prompt);
      if (ClientLines.isQuit(line)) {
        quit();
        return;
      }
      // A paste can bring several lines at once; each is a message of its own.
      for (String part : line.split("\\R")) {
        Optional<String> problem = InputLines.problem(part, maxLineBytes);
        if (problem.isPresent()) {
          show(problem.get());
        } else if (!part.isBlank()) {
          send(part);
        }
      }
    }
  }

  private void send(String text) {
    QueueOfferResult result;
    synchronized (typed) {
      if (quitting.get()) {
        return; // nothing is sent after !quit
      }
      result = typed.offer(ChatClient.line(text));
    }
    if (result == QueueOfferResult.dropped()) {
      show("Not sent: too many lines are waiting for the server.");
    }
  }

  /** Sends {@code !quit} (once) and ends the session when the server closes, or after a while. */
  void quit() {
    if (!quitting.compareAndSet(false, true)) {
      return;
    }
    synchronized (typed) {
      typed.offer(ChatClient.line(ClientLines.QUIT));
      try {
        typed.complete();
      } catch (IllegalStateException e) {
        log.debug("The connection's stream had already ended"); // complete() throws then
      }
    }
    CompletableFuture.delayedExecutor(QUIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)
        .execute(() -> finish(0, null));
  }

  /** A line from the server, on the stream's thread. */
  void onLine(String line) {
    Conversation.Event event = conversation.onLine(line);
    if (event instanceof Conversation.Refused refused) {
      pendingJoin.complete(Optional.of(refused.reason()));
    } else if (event instanceof Conversation.ShutDown) {
      finish(0, "Server has shut down.");
    } else {
      // The server cleans what users send; cleaning again keeps a rogue server off the terminal.
      show(Text.clean(line));
      if (event instanceof Conversation.Joined) {
        pendingJoin.complete(Optional.empty());
      }
    }
  }

  /** The end of the connection, however it came. */
  void onClosed(Done done, Throwable error) {
    if (quitting.get()) {
      finish(0, null);
    } else if (error != null) {
      log.debug("Connection lost", error);
      finish(1, "Connection to server lost.");
    } else {
      finish(conversation.joined() ? 0 : 1, "Server closed the connection.");
    }
  }

  private synchronized void finish(int code, String message) {
    if (exitCode.isDone()) {
      return;
    }
    if (message != null) {
      show(message);
    }
    exitCode.complete(code);
  }

  private void show(String text) {
    reader.printAbove(text);
  }
}
