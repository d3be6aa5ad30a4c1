package chat.client;

import chat.protocol.ClientLines;
import chat.support.StandardInput;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client when standard input is not a terminal: the name is {@code --name} or the first input
 * line, every further line is a message (held until the join succeeded), and every line from the
 * server is printed as it came. Made by {@link chat.ClientApp}; a run ends at end of input once the
 * server has closed, on server shutdown, on refusal or when the connection is lost.
 */
public final class PipedFront {

  /** How long to wait for the server to close after {@code !quit}. */
  public static final Duration QUIT_WAIT = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(PipedFront.class);
  private static final Duration CONNECT_WAIT = ChatClient.CONNECT_TIMEOUT.plusSeconds(5);

  private final ActorSystem<?> system;

  /** A front that runs its streams on {@code system}; the caller terminates the system. */
  public PipedFront(ActorSystem<?> system) {
    this.system = system;
  }

  /**
   * Chats until the end: returns 0 after a normal end or a server shutdown, 1 after a refused name
   * or connection, or a lost connection. Messages for the user go to {@code err}.
   */
  public int run(
      ClientSettings settings,
      Optional<String> name,
      InputStream in,
      PrintStream out,
      PrintStream err) {
    Run run = new Run(settings.maxLineBytes(), out, err);
    Source<ByteString, NotUsed> outbound =
        StandardInput.source(in, "stdin-reader")
            .via(InputLines.lines(settings.maxLineBytes(), run::report))
            .prefixAndTail(name.isPresent() ? 0 : 1)
            .flatMapConcat(pair -> run.outbound(name.or(() -> first(pair.first())), pair.second()))
            .map(ChatClient::line);
    ChatClient client = ChatClient.connect(system, settings, outbound, run::onLine);
    try {
      client.connected().toCompletableFuture().get(CONNECT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      err.println(e.getCause().getMessage());
      return 1;
    } catch (TimeoutException e) {
      err.println("Cannot connect to " + settings.host() + ":" + settings.port() + ": timed out");
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
    client.closed().whenComplete(run::onClosed);
    try {
      return run.exitCode.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } catch (ExecutionException e) {
      throw new IllegalStateException("the exit code never fails", e);
    }
  }

  private static Optional<String> first(List<String> lines) {
    return lines.stream().findFirst().filter(line -> !line.isBlank());
  }

  /** The state of one run: joined or not, quitting or not, and how it ended. */
  private static final class Run {
    private final int maxLineBytes;
    private final PrintStream out;
    private final PrintStream err;
    private final Conversation conversation = new Conversation();
    private final CompletableFuture<Boolean> joined = new CompletableFuture<>();
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    private volatile boolean quitSent;

    Run(int maxLineBytes, PrintStream out, PrintStream err) {
      this.maxLineBytes = maxLineBytes;
      this.out = out;
      this.err = err;
    }

    /**
     * The join request, then the rest of the input held until the join succeeded, then {@code
     * !quit}. The rest is subscribed at once (concat is eager), so a slow join cannot time out the
     * tail of prefixAndTail; each line waits in mapAsync for the join instead.
     */
    Source<String, NotUsed> outbound(Optional<String> name, Source<String, NotUsed> rest) {
      if (name.isEmpty()) {
        finish(1, "No username: give --name, or write it on the first line of input.");
        return Source.empty();
      }
      Optional<String> problem = InputLines.joinProblem(name.get(), maxLineBytes);
      if (problem.isPresent()) {
        finish(1, problem.get());
        return Source.empty();
      }
      Source<String, NotUsed> held =
          rest.mapAsync(
                  1,
                  line -> joined.thenApply(ok -> ok ? Optional.of(line) : Optional.<String>empty()))
              .takeWhile(Optional::isPresent)
              .map(Optional::get)
              .concat(Source.lazySingle(this::quit));
      return Source.single(ClientLines.join(name.get())).concat(held);
    }

    private String quit() {
      quitSent = true;
      CompletableFuture.delayedExecutor(QUIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)
          .execute(() -> finish(0, null));
      return ClientLines.QUIT;
    }

    void onLine(String line) {
      Conversation.Event event = conversation.onLine(line);
      if (event instanceof Conversation.Refused refused) {
        joined.complete(false);
        finish(1, "Username refused: " + refused.reason());
        return;
      }
      out.println(line);
      out.flush();
      if (event instanceof Conversation.Joined) {
        joined.complete(true);
      } else if (event instanceof Conversation.ShutDown) {
        finish(0, "Server has shut down.");
      }
    }

    void onClosed(Done done, Throwable error) {
      if (error != null) {
        log.debug("Connection lost", error);
        finish(1, "Connection to server lost.");
      } else if (quitSent) {
        finish(0, null);
      } else {
        finish(conversation.joined() ? 0 : 1, "Server closed the connection.");
      }
    }

    void report(String problem) {
      err.println(problem);
    }

    synchronized void finish(int code, String message) {
      if (exitCode.isDone()) {
        return;
      }
      if (message != null) {
        err.println(message);
      }
      exitCode.complete(code);
    }
  }
}
