package chat.client.terminal;

import chat.client.Conversation;
import chat.client.FrontOutput;
import chat.client.InputLines;
import chat.client.ServerLink;
import chat.protocol.ClientLines;
import chat.protocol.Event;
import chat.protocol.Names;
import chat.protocol.RoomNames;
import java.io.IOError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorRef;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
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

  /** How long a line sent may wait for its echo before the lag forgets it. */
  static final Duration LAG_GIVEN_UP = Duration.ofMinutes(1);

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
  /** Makes the window screen once the user is in the chat; none on a terminal without one. */
  private final Optional<java.util.function.Supplier<WindowScreen>> windows;
  /** The windows, once shown: set and drawn on the output thread, asked where lines go on input. */
  private volatile WindowScreen screen;
  /** The room the server takes as current, as far as the switches sent say (output thread). */
  private String serverRoom;
  /** Switches sent ({@code /join} of a room the client is in) whose answers have not come. */
  private int switching;
  /** The last {@code /away} with a text, sent again after a reconnect; null when not away. */
  private volatile String away;
  /** When each line typed for a room or a person was sent, until its echo comes back. */
  private final ConcurrentLinkedDeque<Long> unanswered = new ConcurrentLinkedDeque<>();
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
   * @param windows makes the window screen, on a terminal that can show one
   */
  TerminalSession(ChatReader reader, StyledRenderer renderer, Roster roster, int maxLineBytes,
      FrontOutput output, UserSettings settings,
      Optional<java.util.function.Supplier<WindowScreen>> windows) {
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
    WindowScreen.Target target = screen == null ? WindowScreen.NO_ROOM : screen.target();
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
    while (!exitCode.isDone()) {
      String line;
      try {
        WindowScreen windowed = screen;
        line = reader.readLine(windowed == null ? prompt : windowed.prompt());
      } catch (UserInterruptException e) {
        if (e.getPartialLine().isEmpty()) {
          interrupted();
        } else {
          interrupted.set(false); // Ctrl+C clears a half-typed line
        }
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
    if (buffer.length() == 0) {
      interrupted();
    } else {
      buffer.clear();
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
      // The pasted lines took rows of their own under the window's: it is drawn again.
      output.write(() -> {
        if (screen != null) {
          screen.redraw();
        }
      });
      if (!yes) {
        say(renderer.notice("Not sent: the " + parts.size() + " pasted lines."));
        return;
      }
    }
    parts.forEach(this::send);
  }

  private boolean confirmPaste(int lines) {
    WindowScreen.Target target = screen == null ? WindowScreen.NO_ROOM : screen.target();
    String where = target.title() == null ? "" : " to " + target.title();
    reader.variable(LineReader.DISABLE_HISTORY, true);
    try {
      String answer = reader.readLine("Send these " + lines + " lines" + where + "? [y/N] ");
      return answer.strip().toLowerCase(Locale.ROOT).startsWith("y");
    } catch (UserInterruptException e) {
      return false;
    } finally {
      reader.variable(LineReader.DISABLE_HISTORY, false);
    }
  }

  private void send(String part) {
    WindowScreen.Target target = screen == null ? WindowScreen.NO_ROOM : screen.target();
    TypedLines.Plan plan = TypedLines.plan(part, target, windows.isPresent());
    if (plan instanceof TypedLines.Send line) {
      if (TypedLines.isAway(line.line())) {
        // A new session after a reconnect starts not away: the client says it again.
        away = line.line().strip().contains(" ") ? line.line() : null;
      }
      if (!line.line().startsWith("/") || line.line().startsWith("/say ")
          || line.line().startsWith("/msg ")) {
        unanswered.add(System.nanoTime());
      }
      link.tell(new ServerLink.Say(line.line()));
    } else if (plan instanceof TypedLines.Help) {
      CLIENT_HELP.forEach(help -> say(renderer.plain(help)));
      link.tell(new ServerLink.Say("/help"));
    } else if (plan instanceof TypedLines.Refuse refuse) {
      say(renderer.plain(refuse.why()));
    } else {
      onScreen(plan);
    }
  }

  /** A command of the client's own, carried out on the output thread. */
  private void onScreen(TypedLines.Plan plan) {
    output.write(() -> {
      if (plan instanceof TypedLines.Query query) {
        if (screen == null) {
          return;
        }
        screen.query(query.name(), true);
        query.text().ifPresent(text -> link.tell(new ServerLink.Say(
            "/msg " + query.name() + " " + text)));
      } else if (plan instanceof TypedLines.Win win) {
        switched(screen == null ? Optional.empty() : screen.switchTo(win.number()), win.number());
      } else if (plan == TypedLines.Close.INSTANCE && screen != null) {
        screen.closeShown().ifPresent(room -> link.tell(new ServerLink.Say("/part " + room)));
        switched(Optional.of(screen.target()), 0);
      } else if (plan instanceof TypedLines.Bell bell) {
        bell.on().ifPresent(settings::bell);
        showNow(renderer.plain("Bell: " + (settings.bell() ? "on" : "off") + "; ignoring: "
            + (settings.ignored().isEmpty() ? "no one" : String.join(", ", settings.ignored()))
            + "."));
      } else if (plan instanceof TypedLines.Ignore ignore) {
        ignore.name().ifPresentOrElse(
            name -> showNow(renderer.plain(settings.ignore(name)
                ? "Ignoring " + name + ": their lines are not shown (/unignore " + name + ")."
                : "Already ignoring " + name + ".")),
            () -> showNow(renderer.plain(settings.ignored().isEmpty() ? "Ignoring no one."
                : "Ignoring: " + String.join(", ", settings.ignored()) + ".")));
      } else if (plan instanceof TypedLines.Unignore unignore) {
        showNow(renderer.plain(settings.unignore(unignore.name())
            ? "No longer ignoring " + unignore.name() + "."
            : "Not ignoring " + unignore.name() + "."));
      }
    });
  }

  /**
   * A window switch (by number, key or close): a room's window makes that room the server's
   * current one, so that commands such as /topic and /me act on it.
   */
  private void switched(Optional<WindowScreen.Target> target, int number) {
    if (target.isEmpty()) {
      showNow(renderer.plain("There is no window " + number + "."));
      return;
    }
    WindowScreen.Target shown = target.get();
    if (shown.kind() == Window.Kind.ROOM && shown.title() != null
        && !RoomNames.key(shown.title()).equals(serverRoom)) {
      serverRoom = RoomNames.key(shown.title());
      switching++;
      link.tell(new ServerLink.Say("/join " + shown.title()));
    }
  }

  /** Key bindings' work: show window {@code number}, on the output thread. */
  void showWindow(int number) {
    output.write(() -> {
      if (screen != null) {
        screen.switchTo(number).ifPresent(target -> switched(Optional.of(target), number));
      }
    });
  }

  /** Shows the next window ({@code step} 1) or the one before (-1). */
  void cycleWindows(int step) {
    output.write(() -> {
      if (screen != null) {
        screen.cycle(step).ifPresent(target -> switched(Optional.of(target), 0));
      }
    });
  }

  void pageUp() {
    output.write(() -> {
      if (screen != null) {
        screen.pageUp().ifPresent(older -> link.tell(new ServerLink.Say(older)));
      }
    });
  }

  void pageDown() {
    output.write(() -> {
      if (screen != null) {
        screen.pageDown();
      }
    });
  }

  /** The terminal changed size. */
  void resized() {
    output.write(() -> {
      if (screen != null) {
        screen.resized();
      }
    });
  }

  /** Every second: how long the oldest line sent has waited for its echo, if one waits. */
  void tick() {
    Long oldest = unanswered.peekFirst();
    if (oldest != null && System.nanoTime() - oldest > LAG_GIVEN_UP.toNanos()) {
      unanswered.remove(oldest); // no answer is coming: the line was refused in a way not seen
    }
    // The lag shows while a line waits for its echo: nothing waiting, nothing to show.
    long waited = oldest == null ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - oldest);
    output.write(() -> {
      if (screen != null) {
        screen.lag(waited);
      }
    });
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
    if (step instanceof Conversation.Refused refused && !refused.rejoin()) {
      pendingJoin.complete(Optional.of(refused.reason()));
    } else if (step instanceof Conversation.Welcomed) {
      output.write(() -> welcomed(me));
      pendingJoin.complete(Optional.empty());
    }
    if (step instanceof Conversation.Shown shown && answers(shown, me)) {
      answered();
    }
    output.write(() -> shown(step, me));
  }

  /**
   * Whether a line from the server answers one sent for a room or a person: its echo, or the
   * error or throttling that refused it.
   */
  private static boolean answers(Conversation.Shown shown, Conversation.Me me) {
    Event event = shown.event();
    return shown.own() && shown.origin() == Conversation.Origin.LIVE
        || event instanceof Event.Private message && Names.same(message.from(), me.name())
        || event instanceof Event.Error || event instanceof Event.Throttled;
  }

  /** An echo of a line sent: the lag is how long it took. */
  private void answered() {
    Long sent = unanswered.pollFirst();
    if (sent != null) {
      long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
      output.write(() -> {
        if (screen != null) {
          screen.lag(took);
        }
      });
    }
  }

  /** In the chat: the windows take the screen, if the terminal can show them. */
  private void welcomed(Conversation.Me me) {
    serverRoom = me.room() == null ? null : RoomNames.key(me.room());
    switching = 0;
    if (screen == null && windows.isPresent()) {
      screen = windows.get().get();
      screen.start();
    } else if (screen != null) {
      switched(Optional.of(screen.target()), 0); // back after a reconnect: where the user looks
    }
  }

  /** Shows a step of the conversation, on the output thread. */
  private void shown(Conversation.Step step, Conversation.Me me) {
    if (screen == null) {
      updatePrompt(me);
    }
    Optional<Event> event = Optional.empty();
    Conversation.Origin origin = Conversation.Origin.LIVE;
    if (step instanceof Conversation.Arrived arrived && (screen != null || !arrived.rejoin())) {
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
    if (screen == null) {
      showLine(event.get(), origin, me);
      return;
    }
    if (event.get() instanceof Event.Entered entered && entered.current()) {
      if (switching > 0) {
        switching--;
      } else {
        serverRoom = RoomNames.key(entered.room());
      }
    }
    screen.show(event.get(), origin, me);
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
      unanswered.clear();
    }
    output.write(() -> {
      if (screen != null) {
        if (text.equals(ServerLink.LOST) || text.equals(ServerLink.MOVING)) {
          screen.connection(Optional.empty(), true);
        } else if (text.startsWith(ServerLink.RECONNECTED_TO)) {
          String to = text.substring(ServerLink.RECONNECTED_TO.length());
          screen.connection(Optional.of(to.substring(0, to.length() - 1)), false);
        } else if (text.startsWith(ServerLink.RECONNECTED_PREFIX)) {
          screen.connection(Optional.empty(), false);
        }
      }
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
          if (screen != null) {
            screen.stop();
            screen = null;
          }
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
    if (screen != null) {
      screen.say(line);
    } else {
      reader.printAbove(line);
    }
  }
}
