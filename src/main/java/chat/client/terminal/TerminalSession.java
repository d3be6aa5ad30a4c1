package chat.client.terminal;

import chat.client.Conversation;
import chat.client.FrontOutput;
import chat.client.InputLines;
import chat.client.ServerLink;
import chat.protocol.ClientLines;
import chat.protocol.Event;
import chat.protocol.Names;
import java.io.IOError;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorRef;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.utils.AttributedString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One interactive chat on a JLine reader, made by {@link TerminalFront}. Its input thread asks for
 * a name until the server accepts one, then reads lines under a {@code #room name> } prompt and
 * hands them to the {@link ServerLink}; the link's thread prints what happens above the input line
 * and keeps the prompt and the {@link Roster} up to date. It ends, with an exit code, when the
 * user quits, the server shuts down, or the connection cannot be made again.
 */
final class TerminalSession implements ServerLink.Listener {

  /** What {@code /help} shows before the server's list of commands. */
  static final List<String> CLIENT_HELP =
      List.of(
          "Keys: Tab completes commands, rooms after /join, and the names of people in your room.",
          "  Up/Down recall what you typed before (kept in ~/.pekko-chat/history). Ctrl+D,",
          "  Ctrl+C or /quit leaves.",
          "Options: --host HOST, --port PORT, --name NAME, --no-color (or set NO_COLOR),",
          "  --tls, --trust SHA256, --password PASSWORD; --help tells more.",
          "If the connection drops, the client reconnects and shows what you missed.");

  private static final Logger log = LoggerFactory.getLogger(TerminalSession.class);

  /** How long the end waits for the terminal to take the last lines. */
  private static final Duration FINISH_WAIT = Duration.ofSeconds(5);

  /** Shown for each character of a password typed. */
  static final char PASSWORD_MASK = '*';

  private final LineReaderImpl reader;
  private final StyledRenderer renderer;
  private final Roster roster;
  private final int maxLineBytes;
  private final FrontOutput output;
  private final CompletableFuture<Boolean> connected = new CompletableFuture<>();
  private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
  private final AtomicBoolean quitting = new AtomicBoolean();
  private final AtomicBoolean finishing = new AtomicBoolean();
  private volatile ActorRef<ServerLink.Command> link;
  private volatile CompletableFuture<Optional<String>> pendingJoin = new CompletableFuture<>();
  private volatile String prompt = "> ";

  /** @param output where lines are printed above the input line, off the link's thread */
  TerminalSession(LineReaderImpl reader, StyledRenderer renderer, Roster roster, int maxLineBytes,
      FrontOutput output) {
    this.reader = reader;
    this.renderer = renderer;
    this.roster = roster;
    this.maxLineBytes = maxLineBytes;
    this.output = output;
  }

  /** What the output says when the terminal did not take lines in time (paused with Ctrl+S). */
  static String notShown(int lines) {
    return lines + (lines == 1 ? " line was" : " lines were")
        + " not shown: the terminal did not take them in time.";
  }

  void attach(ActorRef<ServerLink.Command> serverLink) {
    this.link = serverLink;
  }

  /** Completes once the first connection is open. */
  CompletableFuture<Boolean> firstConnection() {
    return connected;
  }

  /** Completes with 0 after a quit or server shutdown, 1 when the chat could not go on. */
  CompletableFuture<Integer> exitCode() {
    return exitCode;
  }

  /** The input thread's work: join, then chat until the user leaves. */
  void interact(Optional<String> givenName) {
    try {
      if (join(givenName)) {
        chat();
      }
    } catch (UserInterruptException | EndOfFileException e) {
      quit();
    } catch (RuntimeException | IOError e) {
      // Closing the terminal at exit ends a read in progress this way.
      if (!exitCode.isDone()) {
        log.debug("Reading the terminal failed", e);
        show(renderer.plain("Cannot read the terminal: " + e.getMessage()));
        quit();
      }
    }
  }

  private boolean join(Optional<String> givenName) {
    Optional<String> candidate = givenName;
    while (!exitCode.isDone()) {
      String name = Names.normalize(candidate.orElseGet(this::askName));
      candidate = Optional.empty();
      Optional<String> problem =
          Names.problem(name).or(() -> InputLines.joinProblem(name, maxLineBytes));
      if (problem.isPresent()) {
        show(renderer.plain(problem.get()));
        continue;
      }
      CompletableFuture<Optional<String>> answer = new CompletableFuture<>();
      pendingJoin = answer;
      link.tell(new ServerLink.Join(name));
      CompletableFuture.anyOf(answer, exitCode).join();
      Optional<String> refusal = answer.getNow(Optional.of("no answer"));
      if (refusal.isEmpty()) {
        return true;
      }
      if (exitCode.isDone()) {
        return false;
      }
      if (refusal.get().equals(Names.Refusals.PASSWORD_NEEDED)) {
        link.tell(new ServerLink.UsePassword(askPassword()));
        candidate = Optional.of(name);
      } else {
        show(renderer.plain("Username refused: " + refusal.get()));
      }
    }
    return false;
  }

  /** Asks for a name; names are not kept in the history of typed lines. */
  private String askName() {
    reader.variable(LineReader.DISABLE_HISTORY, true);
    try {
      return reader.readLine("Enter your username: ");
    } finally {
      reader.variable(LineReader.DISABLE_HISTORY, false);
    }
  }

  /** Asks for the server password, hiding what is typed; it is kept nowhere but in the link. */
  private String askPassword() {
    show(renderer.plain("This server needs a password."));
    reader.variable(LineReader.DISABLE_HISTORY, true);
    try {
      while (true) {
        String password = reader.readLine("Server password: ", PASSWORD_MASK);
        if (!password.isEmpty()) {
          return password;
        }
        show(renderer.plain("The password cannot be empty; Ctrl+D leaves."));
      }
    } finally {
      reader.variable(LineReader.DISABLE_HISTORY, false);
    }
  }

  private void chat() {
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
          show(renderer.plain(problem.get()));
        } else if (!part.isBlank()) {
          send(part);
        }
      }
    }
  }

  private void send(String part) {
    if (part.strip().toLowerCase(Locale.ROOT).equals("/help")) {
      CLIENT_HELP.forEach(help -> show(renderer.plain(help)));
    }
    link.tell(new ServerLink.Say(part));
  }

  /** Leaves: the link sends {@code !quit} and reports the end. */
  void quit() {
    if (quitting.compareAndSet(false, true) && !exitCode.isDone()) {
      link.tell(ServerLink.Quit.INSTANCE);
    }
  }

  // What the link reports, on its thread.

  @Override
  public void connected() {
    connected.complete(true);
  }

  @Override
  public void received(Conversation.Step step, Conversation.Me me) {
    event(step).ifPresent(roster::update);
    updatePrompt(me);
    if (step instanceof Conversation.Refused refused && !refused.rejoin()) {
      pendingJoin.complete(Optional.of(refused.reason()));
    } else if (step instanceof Conversation.Welcomed) {
      pendingJoin.complete(Optional.empty());
    } else if (step instanceof Conversation.Arrived arrived && !arrived.rejoin()) {
      showEntered(arrived.entered(), me);
    } else if (step instanceof Conversation.Shown shown) {
      if (shown.event() instanceof Event.Entered entered) {
        showEntered(entered, me);
      } else {
        show(renderer.render(shown.event(), shown.origin(), me));
      }
    } else if (step instanceof Conversation.Unreadable unreadable) {
      show(renderer.plain(unreadable.line()));
    }
  }

  /** Where the user is now, and who is there, with the topic if the room has one. */
  private void showEntered(Event.Entered entered, Conversation.Me me) {
    show(renderer.render(entered, Conversation.Origin.LIVE, me));
    if (entered.topic() != null) {
      Event topic = new Event.Topic(entered.time(), entered.room(), entered.topic(), null);
      show(renderer.render(topic, Conversation.Origin.LIVE, me));
    }
  }

  private static Optional<Event> event(Conversation.Step step) {
    if (step instanceof Conversation.Welcomed welcomed) {
      return Optional.of(welcomed.welcome());
    } else if (step instanceof Conversation.Arrived arrived) {
      return Optional.of(arrived.entered());
    } else if (step instanceof Conversation.Shown shown) {
      return Optional.of(shown.event());
    }
    return Optional.empty();
  }

  /**
   * The prompt says where the user is (the current room; none when in no room) and as whom; the
   * next line printed redraws it.
   */
  private void updatePrompt(Conversation.Me me) {
    if (me.name() == null) {
      return;
    }
    String updated = (me.room() == null ? "" : me.room() + " ") + me.name() + "> ";
    if (!updated.equals(prompt)) {
      prompt = updated;
      output.write(() -> reader.setPrompt(updated));
    }
  }

  @Override
  public void notice(String text) {
    show(renderer.notice(text));
  }

  @Override
  public void ended(int code, Optional<String> message) {
    finish(code, message.orElse(null));
  }

  /**
   * Ends the chat once what waits is printed, with the last message; a terminal that takes
   * nothing more (paused) holds the end back for a few seconds at most.
   */
  void finish(int code, String message) {
    if (!finishing.compareAndSet(false, true)) {
      return;
    }
    output.then(() -> {
          if (message != null) {
            reader.printAbove(renderer.plain(message));
          }
        })
        .completeOnTimeout(null, FINISH_WAIT.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((done, failure) -> exitCode.complete(code));
  }

  /** Prints above the input line, on the output's thread. */
  private void show(AttributedString line) {
    output.write(() -> reader.printAbove(line));
  }
}
