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
import java.util.ArrayList;
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
          "Windows: one per room you are in and per private conversation, numbered in the status"
              + " line below the input.",
          "  Alt+1..9 or /win N shows window N; Alt+Left/Right or Ctrl+P/Ctrl+N the one before"
              + " or after.",
          "  /query NAME [text] opens a private window; /close closes the window (and leaves its"
              + " room).",
          "  PageUp/PageDown scroll the window; past its first line, older messages come from the"
              + " server.",
          "  The status line lists windows with unread lines: 3:bob(2!) has 2, one private or"
              + " mentioning you.",
          "Keys: Tab completes commands, rooms after /join, and the names in this window (at the"
              + " start of a line with \": \"; Tab again for the next).",
          "  Up/Down recall what you typed before (kept in ~/.pekko-chat/history). Ctrl+C clears"
              + " the line; on an empty line, Ctrl+C twice, Ctrl+D or /quit leaves.",
          "Settings (kept in ~/.pekko-chat/settings.conf): /set bell on|off, /ignore [NAME],"
              + " /unignore NAME.",
          "/away [text] marks you away (others see it in /who and /whois); /away alone ends it.",
          "Options: --host HOST, --port PORT, --name NAME, --no-color (or set NO_COLOR),",
          "  --tls, --trust SHA256, --password PASSWORD; --help tells more.",
          "If the connection drops, the client reconnects and shows what you missed.");

  /** Said after a first Ctrl+C on an empty line. */
  static final String CTRL_C_AGAIN = "Ctrl+C again leaves the chat (or /quit).";

  private static final Logger log = LoggerFactory.getLogger(TerminalSession.class);

  /** How long the end waits for the terminal to take the last lines. */
  private static final Duration FINISH_WAIT = Duration.ofSeconds(5);

  /** Shown for each character of a password typed. */
  static final char PASSWORD_MASK = '*';

  private final ChatReader reader;
  private final StyledRenderer renderer;
  private final Roster roster;
  private final int maxLineBytes;
  private final FrontOutput output;
  private final UserSettings settings;
  /** The windows, on a terminal that shows them. */
  private final WindowControl windows;
  /** The user's name, as the link last said. */
  private volatile String me;
  /** The last {@code /away} with a text, sent again after a reconnect; null when not away. */
  private volatile String away;
  private final CompletableFuture<Boolean> connected = new CompletableFuture<>();
  private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
  private final AtomicBoolean quitting = new AtomicBoolean();
  /** Whether the last key was a Ctrl+C on an empty line. */
  private final AtomicBoolean interrupted = new AtomicBoolean();
  private final AtomicBoolean finishing = new AtomicBoolean();
  private volatile ActorRef<ServerLink.Command> link;
  private volatile CompletableFuture<Optional<String>> pendingJoin = new CompletableFuture<>();
  private volatile String prompt = "> ";

  /**
   * @param output where lines are printed above the input line, off the link's thread
   * @param windows the windows, on a terminal that can show them
   */
  TerminalSession(ChatReader reader, StyledRenderer renderer, Roster roster, int maxLineBytes,
      FrontOutput output, UserSettings settings, WindowControl windows) {
    this.reader = reader;
    this.renderer = renderer;
    this.roster = roster;
    this.maxLineBytes = maxLineBytes;
    this.output = output;
    this.settings = settings;
    this.windows = windows;
  }

  /** The names Tab offers: those in the shown window (the current room without windows). */
  List<String> namesHere() {
    WindowScreen.Target target = windows.target();
    if (target.title() == null) {
      return roster.people();
    }
    return target.kind() == Window.Kind.PRIVATE ? List.of(target.title())
        : roster.people(target.title());
  }

  /** What the output says when the terminal did not take lines in time (paused with Ctrl+S). */
  static String notShown(int lines) {
    return lines + (lines == 1 ? " line was" : " lines were")
        + " not shown: the terminal did not take them in time.";
  }

  void attach(ActorRef<ServerLink.Command> serverLink) {
    this.link = serverLink;
    windows.attach(serverLink);
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
        say(renderer.plain("Cannot read the terminal: " + e.getMessage()));
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
        say(renderer.plain(problem.get()));
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
        say(renderer.plain("Username refused: " + refusal.get()));
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
    say(renderer.plain("This server needs a password."));
    reader.variable(LineReader.DISABLE_HISTORY, true);
    try {
      while (true) {
        String password = reader.readLine("Server password: ", PASSWORD_MASK);
        if (!password.isEmpty()) {
          return password;
        }
        say(renderer.plain("The password cannot be empty; Ctrl+D leaves."));
      }
    } finally {
      reader.variable(LineReader.DISABLE_HISTORY, false);
    }
  }

  private void chat() {
    windows.awaitStarted(FINISH_WAIT);
    while (!exitCode.isDone()) {
      String line;
      try {
        line = reader.readLine(windows.prompt().orElse(prompt));
      } catch (UserInterruptException e) {
        ctrlC(e.getPartialLine().isEmpty()); // the half-typed line, if any, is gone with the read
        continue;
      }
      interrupted.set(false);
      if (ClientLines.isQuit(line)) {
        quit();
        return;
      }
      typed(line);
    }
  }

  /** Ctrl+C as a key: clears a half-typed line, or is a Ctrl+C on an empty one. */
  void interruptKey(org.jline.reader.Buffer buffer) {
    boolean empty = buffer.length() == 0;
    buffer.clear();
    ctrlC(empty);
  }

  /** Ctrl+C, as a signal or a key: on an empty line it counts towards leaving, else it clears. */
  private void ctrlC(boolean emptyLine) {
    if (emptyLine) {
      interrupted();
    } else {
      interrupted.set(false);
    }
  }

  /**
   * Ctrl+C with nothing typed (at the prompt, or while a line is being sent): the first says how
   * to leave, a second one in a row leaves.
   */
  void interrupted() {
    if (interrupted.getAndSet(true)) {
      quit();
    } else {
      say(renderer.notice(CTRL_C_AGAIN));
    }
  }

  /**
   * A typed line, or several pasted at once: each is a message of its own, sent once the user
   * says yes to sending them all.
   */
  private void typed(String line) {
    List<String> parts = new ArrayList<>();
    for (String part : line.split("\\R")) {
      Optional<String> problem = InputLines.problem(part, maxLineBytes);
      if (problem.isPresent()) {
        say(renderer.plain(problem.get()));
      } else if (!part.isBlank()) {
        parts.add(part);
      }
    }
    if (parts.size() > 1) {
      boolean yes = confirmPaste(parts.size());
      windows.redraw(); // the pasted lines took rows of their own under the window's
      if (!yes) {
        say(renderer.notice("Not sent: the " + parts.size() + " pasted lines."));
        return;
      }
    }
    parts.forEach(this::send);
  }

  private boolean confirmPaste(int lines) {
    WindowScreen.Target target = windows.target();
    String where = target.title() == null ? "" : " to " + target.title();
    reader.variable(LineReader.DISABLE_HISTORY, true);
    windows.asking(true);
    try {
      String answer = reader.readLine("Send these " + lines + " lines" + where + "? [y/N] ");
      return answer.strip().toLowerCase(Locale.ROOT).startsWith("y");
    } catch (UserInterruptException e) {
      return false;
    } finally {
      windows.asking(false);
      reader.variable(LineReader.DISABLE_HISTORY, false);
    }
  }

  private void send(String part) {
    TypedLines.Plan plan = TypedLines.plan(part, windows.target(), windows.available());
    if (plan instanceof TypedLines.Send line) {
      // A new session after a reconnect starts not away: the client says it again.
      TypedLines.away(line.line()).ifPresent(text -> away = text.isPresent() ? line.line() : null);
      if (TypedLines.actsOnCurrentRoom(line.line())) {
        windows.ensureCurrent();
      }
      windows.sent(line.line());
      link.tell(new ServerLink.Say(line.line()));
    } else if (plan instanceof TypedLines.Help) {
      CLIENT_HELP.forEach(help -> say(renderer.plain(help)));
      link.tell(new ServerLink.Say("/help"));
    } else if (plan instanceof TypedLines.Refuse refuse) {
      say(renderer.plain(refuse.why()));
    } else if (plan instanceof TypedLines.More more) {
      windows.more(more.count());
    } else if (plan instanceof TypedLines.Bell || plan instanceof TypedLines.Ignore
        || plan instanceof TypedLines.Unignore) {
      say(renderer.plain(settingsAnswer(plan)));
    } else {
      // The next read starts once the window is switched, with its prompt.
      windows.command(plan).completeOnTimeout(null, FINISH_WAIT.toMillis(), TimeUnit.MILLISECONDS)
          .join();
    }
  }

  /** Carries out /set, /ignore and /unignore, and says what they did. */
  private String settingsAnswer(TypedLines.Plan plan) {
    if (plan instanceof TypedLines.Ignore ignore && ignore.name().isPresent()
        && Names.same(ignore.name().get(), me)) {
      return "You cannot ignore yourself.";
    }
    if (plan instanceof TypedLines.Bell bell) {
      bell.on().ifPresent(settings::bell);
      return "Bell: " + (settings.bell() ? "on" : "off") + "; ignoring: "
          + (settings.ignored().isEmpty() ? "no one" : String.join(", ", settings.ignored()))
          + ".";
    } else if (plan instanceof TypedLines.Ignore ignore) {
      return ignore.name()
          .map(name -> settings.ignore(name)
              ? "Ignoring " + name + ": their lines are not shown (/unignore " + name + ")."
              : "Already ignoring " + name + ".")
          .orElse(settings.ignored().isEmpty() ? "Ignoring no one."
              : "Ignoring: " + String.join(", ", settings.ignored()) + ".");
    }
    String name = ((TypedLines.Unignore) plan).name();
    return settings.unignore(name) ? "No longer ignoring " + name + "." : "Not ignoring " + name
        + ".";
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
    this.me = me.name();
    event(step).ifPresent(roster::update);
    if (step instanceof Conversation.Shown shown && shown.event() instanceof Event.Renamed renamed
        && settings.ignores(renamed.old()) && !settings.ignores(renamed.name())) {
      settings.ignore(renamed.name()); // an ignored person stays ignored under a new name
    }
    if (step instanceof Conversation.Refused refused && !refused.rejoin()) {
      pendingJoin.complete(Optional.of(refused.reason()));
    } else if (step instanceof Conversation.Welcomed) {
      output.write(() -> windows.welcomed(me));
      pendingJoin.complete(Optional.empty());
    }
    if (step instanceof Conversation.Shown shown && WindowControl.answers(shown, me)) {
      windows.answered();
    }
    output.write(() -> shown(step, me));
  }

  /** Shows a step of the conversation, on the output thread. */
  private void shown(Conversation.Step step, Conversation.Me me) {
    boolean windowed = windows.shown();
    if (!windowed) {
      updatePrompt(me);
    }
    Optional<Event> event = Optional.empty();
    Conversation.Origin origin = Conversation.Origin.LIVE;
    if (step instanceof Conversation.Arrived arrived && (windowed || !arrived.rejoin())) {
      event = Optional.of(arrived.entered());
    } else if (step instanceof Conversation.Shown shown) {
      event = Optional.of(shown.event());
      origin = shown.origin();
    } else if (step instanceof Conversation.Unreadable unreadable) {
      showNow(renderer.plain(unreadable.line()));
    }
    if (event.isEmpty() || ignored(event.get())) {
      return;
    }
    if (windowed) {
      boolean follow = !(step instanceof Conversation.Arrived arrived && arrived.rejoin());
      windows.show(event.get(), origin, me, follow);
    } else {
      showLine(event.get(), origin, me);
    }
  }

  /** Whether an event is a line of someone the user ignores. */
  private boolean ignored(Event event) {
    return settings.ignores(WindowScreen.speaker(event));
  }

  /** An event on a terminal without windows: lines of other rooms start with their room. */
  private void showLine(Event event, Conversation.Origin origin, Conversation.Me me) {
    if (event instanceof Event.Entered entered) {
      showEntered(entered, me);
    } else {
      reader.printAbove(renderer.render(event, origin, me));
    }
  }

  /** Where the user is now, and who is there, with the topic if the room has one. */
  private void showEntered(Event.Entered entered, Conversation.Me me) {
    reader.printAbove(renderer.render(entered, Conversation.Origin.LIVE, me));
    if (entered.topic() != null) {
      Event topic = new Event.Topic(entered.time(), entered.room(), entered.topic(), null);
      reader.printAbove(renderer.render(topic, Conversation.Origin.LIVE, me));
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
    setPrompt((me.room() == null ? "" : me.room() + " ") + me.name() + "> ");
  }

  private void setPrompt(String updated) {
    if (!updated.equals(prompt)) {
      prompt = updated;
      reader.setPrompt(updated);
    }
  }

  @Override
  public void notice(String text) {
    if (text.equals(ServerLink.LOST) || text.equals(ServerLink.MOVING)) {
      windows.lost();
    }
    output.write(() -> {
      windows.linkNotice(text);
      if (text.startsWith(ServerLink.RECONNECTED_PREFIX) && away != null) {
        link.tell(new ServerLink.Say(away));
      }
      showNow(renderer.notice(text));
    });
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
          windows.stop();
          if (message != null) {
            reader.printAbove(renderer.plain(message));
          }
        })
        .completeOnTimeout(null, FINISH_WAIT.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((done, failure) -> exitCode.complete(code));
  }

  /** Shows a line of the client's own: in the shown window, or above the input line. */
  private void say(AttributedString line) {
    output.write(() -> showNow(line));
  }

  /** {@link #say}, on the output thread. */
  private void showNow(AttributedString line) {
    if (windows.shown()) {
      windows.say(line);
    } else {
      reader.printAbove(line);
    }
  }
}
