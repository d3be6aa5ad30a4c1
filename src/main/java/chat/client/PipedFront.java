package chat.client;

import chat.client.trust.ServerTrust;
import chat.client.trust.TrustedServer;
import chat.protocol.Event;
import chat.protocol.Names;
import chat.protocol.TextRenderer;
import chat.support.StandardInput;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The client when standard input is not a terminal: the name is {@code --name} or the first input
 * line, every further line is a message (held until the client is in the chat, and while it
 * reconnects), and the server's events are printed as the plain text a text-mode user of {@code
 * nc} would see. Notices about the connection go to standard error. Nothing is asked: a TLS
 * server must be pinned or known, and a server password given. Made by {@link
 * chat.ClientApp}; a run ends at end of input once the server has closed, on server shutdown, on
 * refusal, or when the connection cannot be made again.
 */
public final class PipedFront {

  /** How long to wait for the server to close after {@code !quit}. */
  public static final Duration QUIT_WAIT = Duration.ofSeconds(5);

  /** Piped input cannot be asked for a password: it must be given. */
  static final String PASSWORD_NEEDED =
      "This server needs a password: give --password, or set chat.client.password.";

  private static final Duration CONNECT_WAIT = ChatClient.CONNECT_TIMEOUT.plusSeconds(5);
  /** Piped lines wait one at a time (backpressure), so this bound is never reached by them. */
  private static final int HELD_LINES = 16;

  private final ActorSystem<?> system;
  private final Backoff backoff;
  private final int outputBound;

  /** A front that runs its streams on {@code system}; the caller terminates the system. */
  public PipedFront(ActorSystem<?> system) {
    this(system, Backoff.DEFAULT);
  }

  /** A front that reconnects with the given pauses. */
  public PipedFront(ActorSystem<?> system, Backoff backoff) {
    this(system, backoff, FrontOutput.BOUND);
  }

  /** A front that lets at most {@code outputBound} lines wait for standard output. */
  PipedFront(ActorSystem<?> system, Backoff backoff, int outputBound) {
    this.system = system;
    this.backoff = backoff;
    this.outputBound = outputBound;
  }

  /**
   * Chats until the end: returns 0 after a normal end or a server shutdown, 1 after a refused name
   * or connection, or a connection that could not be made again. Messages for the user go to
   * {@code err}.
   */
  public int run(
      ClientSettings settings,
      Optional<String> name,
      InputStream in,
      PrintStream out,
      PrintStream err) {
    Optional<TrustedServer> tls = Optional.empty();
    if (settings.tls().enabled()) {
      ServerTrust.Outcome outcome =
          ServerTrust.standard(settings.tls().knownServers(), ChatClient.CONNECT_TIMEOUT)
              .establish(settings.host(), settings.port(), settings.tls().pin(), Optional.empty());
      if (outcome instanceof ServerTrust.Refused refused) {
        refused.message().forEach(err::println);
        return 1;
      }
      tls = Optional.of(((ServerTrust.Ready) outcome).server());
    }
    try (FrontOutput output = new FrontOutput("client-output", outputBound, lost -> err.println(
        lost + (lost == 1 ? " line was" : " lines were") + " not shown: standard output did not"
            + " take them in time."))) {
      return run(settings, name, in, tls, new Run(settings.maxLineBytes(), out, err, output));
    }
  }

  private int run(ClientSettings settings, Optional<String> name, InputStream in,
      Optional<TrustedServer> tls, Run run) {
    ActorRef<ServerLink.Command> link =
        ServerLink.spawn(
            system, new ServerLink.Settings(settings, backoff, QUIT_WAIT, HELD_LINES, tls), run);
    run.link = link;
    try {
      CompletableFuture.anyOf(run.connected, run.exitCode)
          .get(CONNECT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      link.tell(ServerLink.Stop.INSTANCE);
      run.finish(1, "Cannot connect to " + settings.host() + ":" + settings.port() + ": timed out");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } catch (ExecutionException e) {
      throw new IllegalStateException("neither future fails", e);
    }
    if (!run.finishing.get()) {
      StandardInput.source(in, "stdin-reader")
          .via(InputLines.lines(settings.maxLineBytes(), run::report))
          .prefixAndTail(name.isPresent() ? 0 : 1)
          .flatMapConcat(pair -> run.start(name.or(() -> first(pair.first())), pair.second()))
          .runWith(ServerLink.input(link), system);
    }
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

  /**
   * One run: prints what the link reports, and how it ended, through the {@link FrontOutput}
   * (never on the link's thread).
   */
  private static final class Run implements ServerLink.Listener {
    private final int maxLineBytes;
    private final PrintStream out;
    private final PrintStream err;
    private final FrontOutput output;
    private final TextRenderer renderer = new TextRenderer(ZoneId.systemDefault());
    private final CompletableFuture<Boolean> connected = new CompletableFuture<>();
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    private final AtomicBoolean finishing = new AtomicBoolean();
    private volatile ActorRef<ServerLink.Command> link;

    Run(int maxLineBytes, PrintStream out, PrintStream err, FrontOutput output) {
      this.maxLineBytes = maxLineBytes;
      this.out = out;
      this.err = err;
      this.output = output;
    }

    /** Asks the link to join as {@code name}, and gives the rest of the input as messages. */
    Source<String, NotUsed> start(Optional<String> name, Source<String, NotUsed> rest) {
      Optional<String> problem =
          name.isEmpty()
              ? Optional.of("No username: give --name, or write it on the first line of input.")
              : InputLines.joinProblem(name.get(), maxLineBytes);
      if (problem.isPresent()) {
        finish(1, problem.get());
        link.tell(ServerLink.Stop.INSTANCE);
        return Source.empty();
      }
      link.tell(new ServerLink.Join(name.get()));
      return rest;
    }

    @Override
    public void connected() {
      connected.complete(true);
    }

    @Override
    public void received(Conversation.Step step, Conversation.Me me) {
      if (step instanceof Conversation.Refused refused && !refused.rejoin()) {
        finish(1, refused.reason().equals(Names.Refusals.PASSWORD_NEEDED)
            ? PASSWORD_NEEDED
            : "Username refused: " + refused.reason());
        link.tell(ServerLink.Quit.INSTANCE);
      } else if (step instanceof Conversation.Arrived arrived && !arrived.rejoin()) {
        printTopic(arrived.entered(), me);
      } else if (step instanceof Conversation.Shown shown && !isOwnEcho(shown)) {
        print(render(asSaid(shown), me));
        if (shown.event() instanceof Event.Entered entered) {
          printTopic(entered, me);
        }
      } else if (step instanceof Conversation.ShutDown shutDown) {
        print(renderer.render(shutDown.event(), me.name()));
      } else if (step instanceof Conversation.Unreadable unreadable) {
        print(unreadable.line());
      }
    }

    /** Text mode tells a room's topic, if it has one, on coming in. */
    private void printTopic(Event.Entered entered, Conversation.Me me) {
      if (entered.topic() != null) {
        print(render(new Event.Topic(entered.time(), entered.room(), entered.topic(), null), me));
      }
    }

    /** As text mode has it: a line of a room other than the current one carries the room. */
    private String render(Event event, Conversation.Me me) {
      return me.readsAsCurrent(event)
          ? renderer.render(event, me.name()) : renderer.renderElsewhere(event, me.name());
    }

    /** A text-mode user never gets its own messages back, unless replayed as history. */
    private static boolean isOwnEcho(Conversation.Shown shown) {
      return shown.own() && shown.origin() != Conversation.Origin.HISTORY;
    }

    /** Missed messages are printed as they would have been had the connection held. */
    private static Event asSaid(Conversation.Shown shown) {
      if (shown.origin() != Conversation.Origin.MISSED) {
        return shown.event();
      } else if (shown.event() instanceof Event.Chat c) {
        return new Event.Chat(c.time(), c.room(), c.seq(), c.from(), c.text(), false);
      } else if (shown.event() instanceof Event.Action a) {
        return new Event.Action(a.time(), a.room(), a.seq(), a.from(), a.text(), false);
      }
      return shown.event();
    }

    private void print(String line) {
      output.write(() -> {
        out.println(line);
        out.flush();
      });
    }

    @Override
    public void notice(String text) {
      output.write(() -> err.println(text));
    }

    @Override
    public void ended(int code, Optional<String> message) {
      finish(code, message.orElse(null));
    }

    void report(String problem) {
      notice(problem);
    }

    /**
     * Ends the run once what waits is written, with the last message; a standard output that
     * takes nothing more holds the end back for the quit wait at most.
     */
    void finish(int code, String message) {
      if (!finishing.compareAndSet(false, true)) {
        return;
      }
      output.then(() -> {
            if (message != null) {
              err.println(message);
            }
          })
          .completeOnTimeout(null, QUIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)
          .whenComplete((done, failure) -> exitCode.complete(code));
    }
  }
}
