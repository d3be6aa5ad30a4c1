package chat.client.terminal;

import chat.client.Backoff;
import chat.client.ChatClient;
import chat.client.ClientSettings;
import chat.client.FrontOutput;
import chat.client.ServerLink;
import chat.client.trust.ServerTrust;
import chat.client.trust.TrustedServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.jline.reader.LineReader;
import org.jline.reader.Reference;
import org.jline.reader.impl.history.DefaultHistory;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.keymap.KeyMap;
import org.jline.utils.InfoCmp.Capability;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The interactive client on a JLine terminal: checks a TLS server's certificate (asking about one
 * met for the first time), connects, asks for a name until the server accepts one (and for the
 * server password if it wants one), then shows a {@code #room name> } prompt with the chat
 * printed above it, in colour unless told otherwise, with Tab completion and a history of typed
 * lines kept between runs. Made by {@link chat.ClientApp} when standard input is a terminal; a
 * run returns its exit code as soon as the user quits, the server shuts down or the connection
 * cannot be made again, with the terminal restored.
 */
public final class TerminalFront {

  /**
   * How a terminal run looks and behaves.
   *
   * @param color whether lines are coloured
   * @param historyFile where typed lines are kept between runs; none keeps them in memory only
   * @param backoff when to try again after the connection was lost
   */
  public record Options(boolean color, Optional<Path> historyFile, Backoff backoff,
      DateTimeFormatter clock, Optional<Path> settingsFile) {

    /** The usual time format, and settings kept in memory only. */
    public Options(boolean color, Optional<Path> historyFile, Backoff backoff) {
      this(color, historyFile, backoff,
          DateTimeFormatter.ofPattern(StyledRenderer.DEFAULT_TIME_FORMAT), Optional.empty());
    }
  }

  /** How long to wait for the server to close after {@code !quit}. */
  static final Duration QUIT_WAIT = Duration.ofSeconds(2);

  /** Typed lines that may wait while the client is not in the chat. */
  static final int HELD_LINES = 64;

  static final int HISTORY_LINES = 1000;

  private static final Logger log = LoggerFactory.getLogger(TerminalFront.class);
  private static final Duration CONNECT_WAIT = ChatClient.CONNECT_TIMEOUT.plusSeconds(5);

  private final ActorSystem<?> system;
  private final Options options;

  /** A front that runs its streams on {@code system}; the caller terminates the system. */
  public TerminalFront(ActorSystem<?> system, Options options) {
    this.system = system;
    this.options = options;
  }

  /** The usual place of the settings set with /set and /ignore: {@code ~/.pekko-chat/settings.conf}. */
  public static Path defaultSettingsFile() {
    return UserSettings.defaultFile();
  }

  /** The usual place of the history of typed lines: {@code ~/.pekko-chat/history}. */
  public static Path defaultHistoryFile() {
    return Path.of(System.getProperty("user.home"), ".pekko-chat", "history");
  }

  /**
   * Chats on the system terminal until the end: returns 0 after a quit or a server shutdown, 1
   * after a refused connection or one that could not be made again. Problems are told in one
   * line, without a trace.
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
  public int run(ClientSettings settings, Optional<String> name, Terminal terminal) {
    Roster roster = new Roster();
    Integer colors = terminal.getNumericCapability(Capability.max_colors);
    ZoneId zone = ZoneId.systemDefault();
    StyledRenderer renderer = new StyledRenderer(options.color(), colors == null ? 8 : colors,
        zone, options.clock());
    UserSettings kept = UserSettings.load(options.settingsFile());
    ChatReader reader = reader(terminal);
    Optional<TrustedServer> tls = Optional.empty();
    if (settings.tls().enabled()) {
      tls = trust(settings, reader, renderer);
      if (tls.isEmpty()) {
        return 1;
      }
    }
    String where = (settings.tls().enabled() ? "TLS " : "") + settings.address();
    try (FrontOutput output = new FrontOutput("terminal-output", FrontOutput.BOUND,
        lost -> reader.printAbove(renderer.notice(TerminalSession.notShown(lost))))) {
      Optional<java.util.function.Supplier<WindowScreen>> windows = WindowScreen.fits(terminal)
          ? Optional.of(() -> new WindowScreen(terminal, reader, renderer, kept, zone, where,
              output::then))
          : Optional.empty();
      WindowControl control = new WindowControl(output, renderer, windows);
      TerminalSession session = new TerminalSession(reader, renderer, roster,
          settings.maxLineBytes(), output, kept, control);
      reader.setCompleter(new ChatCompleter(roster, session::namesHere));
      bindKeys(reader, terminal, session, control);
      reader.onResize(control::resized);
      return chat(settings, name, terminal, reader, session, control, tls);
    }
  }

  private int chat(ClientSettings settings, Optional<String> name, Terminal terminal,
      ChatReader reader, TerminalSession session, WindowControl control,
      Optional<TrustedServer> tls) {
    ActorRef<ServerLink.Command> link =
        ServerLink.spawn(
            system,
            new ServerLink.Settings(settings, options.backoff(), QUIT_WAIT, HELD_LINES, tls),
            session);
    session.attach(link);
    if (!awaitConnected(session, link, settings)) {
      return session.exitCode().join();
    }
    Terminal.SignalHandler previous =
        terminal.handle(Terminal.Signal.INT, signal -> session.interrupted());
    ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(work -> {
      Thread tick = new Thread(work, "terminal-lag");
      tick.setDaemon(true);
      return tick;
    });
    ticks.scheduleAtFixedRate(control::tick, 1, 1, TimeUnit.SECONDS);
    Thread input = new Thread(() -> session.interact(name), "terminal-input");
    input.setDaemon(true); // a read in progress must not keep the JVM alive after the chat ended
    input.start();
    int exitCode = session.exitCode().join();
    ticks.shutdownNow();
    terminal.handle(Terminal.Signal.INT, previous);
    clearInputLine(terminal);
    saveHistory(reader);
    return exitCode;
  }

  /**
   * The keys of the windows: Alt+1..9, Alt+Left/Right and Ctrl+P/Ctrl+N switch, PageUp and
   * PageDown scroll (each as xterm, tmux and the Linux console send them).
   */
  private static void bindKeys(ChatReader reader, Terminal terminal, TerminalSession session,
      WindowControl control) {
    KeyMap<org.jline.reader.Binding> keys = reader.getKeyMaps().get(LineReader.MAIN);
    for (int number = 1; number <= 9; number++) {
      int shown = number;
      bind(reader, keys, "chat-window-" + number, () -> control.showWindow(shown),
          KeyMap.alt((char) ('0' + number)));
    }
    bind(reader, keys, "chat-window-previous", () -> control.cycle(-1),
        KeyMap.ctrl('P'), "\033[1;3D", "\033\033[D", "\033\033OD");
    bind(reader, keys, "chat-window-next", () -> control.cycle(1),
        KeyMap.ctrl('N'), "\033[1;3C", "\033\033[C", "\033\033OC");
    // Ctrl+C is a signal where the terminal's driver makes it one, else this key.
    bind(reader, keys, "chat-interrupt", () -> session.interruptKey(reader.getBuffer()),
        KeyMap.ctrl('C'));
    bind(reader, keys, "chat-page-up", control::pageUp,
        KeyMap.key(terminal, Capability.key_ppage), "\033[5~");
    bind(reader, keys, "chat-page-down", control::pageDown,
        KeyMap.key(terminal, Capability.key_npage), "\033[6~");
  }

  private static void bind(ChatReader reader, KeyMap<org.jline.reader.Binding> keys, String widget,
      Runnable action, String... sequences) {
    reader.getWidgets().put(widget, () -> {
      action.run();
      return true;
    });
    for (String sequence : sequences) {
      if (sequence != null && !sequence.isEmpty()) {
        keys.bind(new Reference(widget), sequence);
      }
    }
  }

  /**
   * Decides whether to trust the TLS server, asking the user about one met for the first time;
   * none when it is not trusted, after saying why.
   */
  private Optional<TrustedServer> trust(
      ClientSettings settings, LineReader reader, StyledRenderer renderer) {
    ServerTrust.Outcome outcome =
        ServerTrust.standard(settings.tls().knownServers(), ChatClient.CONNECT_TIMEOUT)
            .establish(
                settings.host(),
                settings.port(),
                settings.tls().pin(),
                Optional.of(new TrustPrompt(reader, renderer)));
    if (outcome instanceof ServerTrust.Ready ready) {
      ready.notes().forEach(note -> reader.printAbove(renderer.notice(note)));
      return Optional.of(ready.server());
    }
    ServerTrust.Refused refused = (ServerTrust.Refused) outcome;
    refused.message().forEach(line ->
        reader.printAbove(refused.warning() ? renderer.warning(line) : renderer.plain(line)));
    return Optional.empty();
  }

  /** The line reader; its completer comes with the session whose windows it completes in. */
  private ChatReader reader(Terminal terminal) {
    Map<String, Object> variables = new HashMap<>();
    // Complete what was typed, never "correct" it into something else.
    variables.put(LineReader.ERRORS, 0);
    variables.put(LineReader.HISTORY_SIZE, HISTORY_LINES);
    variables.put(LineReader.HISTORY_FILE_SIZE, HISTORY_LINES);
    historyFile().ifPresent(file -> variables.put(LineReader.HISTORY_FILE, file));
    ChatReader reader = new ChatReader(terminal, "pekko-chat", variables);
    // The typed line goes; the server's echo shows it once, with its time.
    reader.setOpt(LineReader.Option.ERASE_LINE_ON_FINISH);
    // Chat text is not a shell: '!' and '\' mean nothing special.
    reader.setOpt(LineReader.Option.DISABLE_EVENT_EXPANSION);
    reader.setOpt(LineReader.Option.CASE_INSENSITIVE);
    // Names complete from what was typed: "b" is never "tabby".
    reader.unsetOpt(LineReader.Option.COMPLETE_MATCHER_TYPO);
    reader.unsetOpt(LineReader.Option.COMPLETE_MATCHER_CAMELCASE);
    // Tab puts the first name in, Tab again the next: no list drawn under the input line.
    reader.setOpt(LineReader.Option.MENU_COMPLETE);
    reader.unsetOpt(LineReader.Option.AUTO_LIST);
    reader.unsetOpt(LineReader.Option.AUTO_MENU);
    reader.unsetOpt(LineReader.Option.LIST_AMBIGUOUS);
    reader.setHistory(new DefaultHistory(reader));
    return reader;
  }

  /**
   * The history file, with its directory made if missing and the file itself readable by its
   * owner only (what people type can be private); none if that cannot be done.
   */
  private Optional<Path> historyFile() {
    return options
        .historyFile()
        .filter(
            file -> {
              try {
                Path directory = file.toAbsolutePath().getParent();
                if (directory != null) {
                  Files.createDirectories(directory);
                }
                if (Files.notExists(file)
                    && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                  Files.createFile(file, PosixFilePermissions.asFileAttribute(
                      PosixFilePermissions.fromString("rw-------")));
                }
                return true;
              } catch (IOException e) {
                log.debug("No history file at [{}]: {}", file, e.toString());
                return false;
              }
            });
  }

  private static void saveHistory(LineReader reader) {
    try {
      reader.getHistory().save();
    } catch (IOException e) {
      log.debug("Could not save the history: {}", e.toString());
    }
  }

  private static boolean awaitConnected(
      TerminalSession session, ActorRef<ServerLink.Command> link, ClientSettings settings) {
    try {
      CompletableFuture.anyOf(session.firstConnection(), session.exitCode())
          .get(CONNECT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      link.tell(ServerLink.Stop.INSTANCE);
      session.finish(
          1, "Cannot connect to " + settings.host() + ":" + settings.port() + ": timed out");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      session.finish(1, "Interrupted while connecting");
    } catch (ExecutionException e) {
      throw new IllegalStateException("neither future fails", e);
    }
    return !session.exitCode().isDone();
  }

  /** Leaves no half-typed line behind: the shell's prompt comes on a clean line. */
  private static void clearInputLine(Terminal terminal) {
    terminal.puts(Capability.carriage_return);
    terminal.puts(Capability.clr_eol);
    terminal.flush();
  }
}
