package chat.client.terminal;

import chat.client.Conversation;
import chat.protocol.Event;
import chat.protocol.Names;
import chat.protocol.RoomNames;
import chat.protocol.TextRenderer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import org.jline.utils.Curses;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.Status;

/**
 * The terminal client's full screen: a window per room and per private conversation, the shown
 * window's lines above the input line, and a status line under it (the shown window, the others
 * with unread lines, marked when one mentions the user or is private, and the connection). New
 * lines of the shown window scroll in as they come; switching windows, scrolling back and a
 * resized terminal redraw the lines from the window's own. Made by {@link TerminalSession} once
 * the user is in the chat, on a terminal that can move its cursor; every method runs on the
 * terminal's output thread (the {@link chat.client.FrontOutput}), the only one that draws.
 */
final class WindowScreen {

  /** What a window is to the input thread: where typed lines go. */
  record Target(Window.Kind kind, String title) {}

  /** The room window before there is one: lines before the first room and while in none. */
  static final Target NO_ROOM = new Target(Window.Kind.ROOM, null);

  /** Columns a window's title takes at most in the status line. */
  static final int TITLE_COLUMNS = 16;

  /** Older messages asked for at a time when scrolling back past the first one held. */
  static final int PAGE = 50;

  private static final AttributedStyle BAR = AttributedStyle.DEFAULT.inverse();
  private static final AttributedStyle HOT = BAR.bold();
  private static final AttributedStyle MARK = AttributedStyle.DEFAULT.foreground(AttributedStyle.RED);
  private static final AttributedStyle DAY = AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN);
  private static final DateTimeFormatter DAY_LINE =
      DateTimeFormatter.ofPattern("EEEE d MMMM uuuu", Locale.ENGLISH);

  private final Terminal terminal;
  private final ChatReader reader;
  private final StyledRenderer renderer;
  private final UserSettings settings;
  private final ZoneId zone;
  private final List<Window> windows = new ArrayList<>();
  /** Lines before the first room, and while in none. */
  private final Window none = new Window(Window.Kind.ROOM, "", "no room");
  private Window shown = none;
  private volatile Target target = NO_ROOM;
  private Status status;
  private String connection;
  private boolean reconnecting;
  private long lagMillis;
  private String me;
  private final java.util.concurrent.Executor later;
  /** Whether a drawing of the status line is queued already. */
  private boolean statusQueued;
  /** Whether a drawing of the shown window is queued already. */
  private boolean repaintQueued;

  /**
   * @param later runs work after what the output thread has queued: the status line is drawn
   *     once for a burst of lines
   */
  WindowScreen(Terminal terminal, ChatReader reader, StyledRenderer renderer,
      UserSettings settings, ZoneId zone, String connection, java.util.concurrent.Executor later) {
    this.later = later;
    this.terminal = terminal;
    this.reader = reader;
    this.renderer = renderer;
    this.settings = settings;
    this.zone = zone;
    this.connection = connection;
  }

  /** Whether a terminal can show windows: it moves its cursor and keeps a region to scroll. */
  static boolean fits(Terminal terminal) {
    return terminal.getStringCapability(Capability.cursor_address) != null
        && terminal.getStringCapability(Capability.change_scroll_region) != null
        && terminal.getHeight() >= 5 && terminal.getWidth() >= 20;
  }

  /** Takes the terminal's whole screen (its alternate one: the shell's comes back at the end). */
  void start() {
    reader.exclusive(() -> {
      terminal.puts(Capability.enter_ca_mode);
      status = Status.getStatus(terminal);
      // Its row is taken before anything else is drawn: taking it moves what is on the screen.
      status.update(List.of(statusLine(terminal.getWidth() - 1)));
    });
    repaint();
  }

  /** Gives the screen back as it was before. */
  void stop() {
    reader.exclusive(() -> {
      if (status != null) {
        status.close();
        status = null;
      }
      terminal.puts(Capability.exit_ca_mode);
      terminal.flush();
    });
  }

  /** Where a line typed now goes: the shown window. Read on the input thread. */
  Target target() {
    return target;
  }

  // Lines.

  /** Shows an event in its window: its room's, its private conversation's, or the shown one. */
  void show(Event event, Conversation.Origin origin, Conversation.Me who, boolean follow) {
    me = who.name();
    if (event instanceof Event.Entered entered) {
      entered(entered, follow);
    } else if (event instanceof Event.Left left && Names.same(left.name(), me)
        && left.how() == Event.Departure.PARTED) {
      close(find(Window.Kind.ROOM, RoomNames.key(left.room())));
      add(shown, renderer.windowLine(event, origin, me), event, origin);
    } else {
      if (event instanceof Event.Renamed renamed) {
        renamedPeer(renamed);
      }
      Window window = windowOf(event);
      StyledRenderer.Styled line = renderer.windowLine(event, origin, me);
      add(window, line, event, origin);
      if (window != shown && typedHere(event)) {
        add(shown, line, event, origin);
      }
    }
    updateStatus();
  }

  /** Someone with a private window took another name: the window follows them. */
  private void renamedPeer(Event.Renamed renamed) {
    Window window = find(Window.Kind.PRIVATE, Names.fold(renamed.old()));
    if (window != null && find(Window.Kind.PRIVATE, Names.fold(renamed.name())) == null) {
      window.key = Names.fold(renamed.name());
      window.title = renamed.name();
      if (window == shown) {
        target = new Target(window.kind, window.title);
        reader.setPrompt(prompt());
      }
    }
  }

  /**
   * Whether an event answers what the user typed in the shown window, and so shows there too:
   * the echo of a private line sent from another window, and the away answer to it.
   */
  private boolean typedHere(Event event) {
    return event instanceof Event.Private message && Names.same(message.from(), me)
        || event instanceof Event.Away;
  }

  /** A line of the client's own (a notice, help, a problem) in the shown window. */
  void say(AttributedString line) {
    add(shown, renderer.timed(line, System.currentTimeMillis()), null, Conversation.Origin.LIVE);
    updateStatus();
  }

  /**
   * A room the client is in: its window, made with the room's first line and topic the first
   * time; shown when it is the current room and {@code follow} (a join, a move; not the rooms a
   * reconnect puts the client back in, which leaves the user where they look).
   */
  private void entered(Event.Entered entered, boolean follow) {
    String key = RoomNames.key(entered.room());
    Window window = find(Window.Kind.ROOM, key);
    if (window == null) {
      window = open(Window.Kind.ROOM, key, entered.room());
    }
    window.title = entered.room();
    if (!window.entered) {
      window.entered = true;
      add(window, renderer.windowLine(entered, Conversation.Origin.LIVE, me), entered,
          Conversation.Origin.LIVE);
      if (entered.topic() != null) {
        Event topic = new Event.Topic(entered.time(), entered.room(), entered.topic(), null);
        add(window, renderer.windowLine(topic, Conversation.Origin.LIVE, me), topic,
            Conversation.Origin.LIVE);
      }
    }
    if (entered.current() && follow) {
      showWindow(window);
    }
  }

  /** The window an event belongs in. */
  private Window windowOf(Event event) {
    if (event instanceof Event.Private message) {
      String other = Names.same(message.from(), me) ? message.to() : message.from();
      return query(other, false);
    } else if (event instanceof Event.Away away) {
      return query(away.name(), false);
    }
    String room = TextRenderer.roomOf(event);
    if (room == null) {
      return shown;
    }
    Window window = find(Window.Kind.ROOM, RoomNames.key(room));
    if (window == null && event instanceof Event.Joined joined && Names.same(joined.name(), me)) {
      window = open(Window.Kind.ROOM, RoomNames.key(room), room);
    }
    return window == null ? shown : window;
  }

  private void add(Window window, StyledRenderer.Styled styled, Event event,
      Conversation.Origin origin) {
    boolean message = event instanceof Event.Message || event instanceof Event.Private;
    boolean counts = message && origin != Conversation.Origin.HISTORY && !fromMe(event);
    boolean highlight = counts && (event instanceof Event.Private || mentionsMe(event));
    long time = event == null ? System.currentTimeMillis() : event.time();
    long seq = event instanceof Event.Message numbered ? numbered.seq() : 0;
    Window.Line line = new Window.Line(styled.text(), styled.indent(), day(time), seq, counts,
        highlight);
    boolean looking = window == shown;
    boolean last = window.add(line, origin == Conversation.Origin.HISTORY, looking);
    if (!looking) {
      if (last && highlight && settings.bell()) {
        reader.exclusive(() -> {
          terminal.puts(Capability.bell);
          terminal.flush();
        });
      }
      return;
    }
    if (!last) {
      repaintLater(); // an older line, above those shown: once for a page of them
    } else if (window.scroll > 0) {
      window.scroll += rows(window, window.lines().size() - 1).size(); // the view stays put
    } else {
      List<AttributedString> rows = rows(window, window.lines().size() - 1);
      StringBuilder out = new StringBuilder();
      rows.forEach(row -> out.append(row.toAnsi(terminal)).append('\n'));
      reader.printAbove(out.toString());
    }
  }

  private boolean fromMe(Event event) {
    return Names.same(speaker(event), me);
  }

  /** Who said a chat line, an action or a private line; null for any other event. */
  static String speaker(Event event) {
    if (event instanceof Event.Message message) {
      return message.from();
    } else if (event instanceof Event.Private message) {
      return message.from();
    }
    return null;
  }

  private boolean mentionsMe(Event event) {
    return event instanceof Event.Message message && me != null
        && StyledRenderer.mention(message.text(), me, 0) >= 0;
  }

  private LocalDate day(long millis) {
    return Instant.ofEpochMilli(millis).atZone(zone).toLocalDate();
  }

  // Windows.

  /** The private window with someone, opened if there is none; shown if {@code show}. */
  Window query(String name, boolean show) {
    Window window = find(Window.Kind.PRIVATE, Names.fold(name));
    if (window == null) {
      window = open(Window.Kind.PRIVATE, Names.fold(name), name);
    }
    if (show) {
      showWindow(window);
      updateStatus();
    }
    return window;
  }

  private Window open(Window.Kind kind, String key, String title) {
    Window window = new Window(kind, key, title);
    windows.add(window);
    if (shown == none) {
      // The lines from before the first room start its window.
      none.lines().forEach(line -> window.add(line, false, true));
      none.lines().clear();
      showWindow(window);
    }
    return window;
  }

  private Window find(Window.Kind kind, String key) {
    for (Window window : windows) {
      if (window.kind == kind && window.key.equals(key)) {
        return window;
      }
    }
    return null;
  }

  /** Closes a window (a room's once the client left it); the one before it is shown. */
  void close(Window window) {
    int index = windows.indexOf(window);
    if (index < 0) {
      return;
    }
    windows.remove(index);
    if (window == shown) {
      showWindow(windows.isEmpty() ? none : windows.get(Math.max(0, index - 1)));
    }
    updateStatus();
  }

  /** Closes the shown window if it is a private one; the room of a room's, to part, if not. */
  Optional<String> closeShown() {
    if (shown.kind == Window.Kind.PRIVATE) {
      close(shown);
      return Optional.empty();
    }
    return shown == none ? Optional.empty() : Optional.of(shown.title);
  }

  /** Shows window number {@code number} (from 1), if there is one; its target if so. */
  Optional<Target> switchTo(int number) {
    if (number < 1 || number > windows.size()) {
      return Optional.empty();
    }
    showWindow(windows.get(number - 1));
    updateStatus();
    return Optional.of(target);
  }

  /** Shows the next window ({@code step} 1) or the one before (-1), round the end. */
  Optional<Target> cycle(int step) {
    if (windows.isEmpty()) {
      return Optional.empty();
    }
    int index = Math.floorMod(windows.indexOf(shown) + step, windows.size());
    return switchTo(index + 1);
  }

  private void showWindow(Window window) {
    if (window == shown) {
      return;
    }
    shown.left();
    shown = window;
    window.seen();
    target = window == none ? NO_ROOM : new Target(window.kind, window.title);
    reader.setPrompt(prompt()); // drawn anew with the window's lines
    repaint();
  }

  /** The input line's prompt: the shown window, where typed lines go. */
  String prompt() {
    String title = target.title();
    return title == null ? "> " : title + "> ";
  }

  // Scrolling.

  /**
   * Scrolls the shown window back a page; at its first line, a room's window asks for the page
   * before it: the line to send, if any.
   */
  Optional<String> pageUp() {
    shown.scroll += Math.max(1, textRows() - 1);
    boolean top = repaint();
    updateStatus();
    long oldest = shown.oldestSeq();
    if (top && shown.kind == Window.Kind.ROOM && shown != none && oldest > 1
        && oldest != Long.MAX_VALUE && shown.askedBefore != oldest) {
      shown.askedBefore = oldest;
      return Optional.of("/history before " + oldest + " " + PAGE);
    }
    return Optional.empty();
  }

  /** The lowest message number the shown window holds; {@code Long.MAX_VALUE} for none. */
  long oldestShown() {
    return shown.oldestSeq();
  }

  void pageDown() {
    shown.scroll = Math.max(0, shown.scroll - Math.max(1, textRows() - 1));
    repaint();
    updateStatus();
  }

  // Drawing.

  /** The terminal changed size: lines wrap anew. */
  void resized() {
    if (status != null) {
      reader.exclusive(() -> status.resize());
    }
    redraw();
  }

  /** Draws the shown window and the status line again. */
  void redraw() {
    repaint();
    updateStatus();
  }

  private int textRows() {
    return Math.max(1, terminal.getHeight() - 2);
  }

  /**
   * Draws the shown window's lines from the top of the screen down to the input line, the
   * newest at the bottom (or those {@code scroll} rows back). Returns whether the first line
   * held is in view.
   */
  private boolean repaint() {
    int height = textRows();
    int width = terminal.getWidth();
    List<AttributedString> rows = new ArrayList<>();
    List<Window.Line> lines = shown.lines();
    int index = lines.size() - 1;
    while (index >= 0 && rows.size() < height + shown.scroll) {
      List<AttributedString> more = rows(shown, index, width);
      Collections.reverse(more);
      rows.addAll(more);
      index--;
    }
    boolean top = index < 0;
    if (top) {
      shown.scroll = Math.max(0, Math.min(shown.scroll, rows.size() - height));
    }
    Collections.reverse(rows);
    int end = rows.size() - shown.scroll;
    List<AttributedString> view = rows.subList(Math.max(0, end - height), Math.max(0, end));
    StringBuilder out = new StringBuilder(Curses.tputs(terminal.getStringCapability(
        Capability.cursor_address), 0, 0));
    String clear = Curses.tputs(terminal.getStringCapability(Capability.clr_eol));
    for (int blank = view.size(); blank < height; blank++) {
      out.append(clear).append('\n');
    }
    view.forEach(row -> out.append(row.toAnsi(terminal)).append(clear).append('\n'));
    reader.printAbove(out.toString());
    return top && end - height <= 0;
  }

  private List<AttributedString> rows(Window window, int index) {
    return rows(window, index, terminal.getWidth());
  }

  /** The rows of a window's line: a change of day before it, the unread mark, then the line. */
  private List<AttributedString> rows(Window window, int index, int width) {
    List<AttributedString> rows = new ArrayList<>();
    Window.Line line = window.lines().get(index);
    LocalDate before = index == 0 ? LocalDate.now(zone) : window.lines().get(index - 1).day();
    if (!line.day().equals(before)) {
      rows.add(rule(" " + DAY_LINE.format(line.day()) + " ", width, DAY));
    }
    if (index == window.marker() && window == shown) {
      rows.add(rule(" unread ", width, MARK));
    }
    rows.addAll(Wrap.rows(line.text(), width, line.indent()));
    return rows;
  }

  private static AttributedString rule(String label, int width, AttributedStyle style) {
    int side = Math.max(2, (width - label.length()) / 2);
    String dashes = "-".repeat(side);
    String row = (dashes + label + dashes);
    return new AttributedString(row.substring(0, Math.min(row.length(), width)), style);
  }

  // The status line.

  /**
   * The connection is lost (and being made again), or back; {@code server}: to another server
   * ({@code host:port}).
   */
  void connection(Optional<String> server, boolean lost) {
    server.ifPresent(address -> connection = connection.startsWith("TLS ")
        ? "TLS " + address : address);
    reconnecting = lost;
    updateStatus();
  }

  /** How long the server has taken to answer; shown when above a second. */
  void lag(long millis) {
    boolean shown = lagMillis > 1000 || millis > 1000;
    lagMillis = millis;
    if (shown) {
      updateStatus();
    }
  }

  /** Draws the shown window once what the output thread has queued is done. */
  private void repaintLater() {
    if (!repaintQueued) {
      repaintQueued = true;
      later.execute(() -> {
        repaintQueued = false;
        if (status != null) {
          repaint();
        }
      });
    }
  }

  /** Draws the status line once what the output thread has queued is done. */
  private void updateStatus() {
    if (status == null || statusQueued) {
      return;
    }
    statusQueued = true;
    later.execute(() -> {
      statusQueued = false;
      if (status != null) {
        AttributedString line = statusLine(terminal.getWidth() - 1);
        reader.exclusive(() -> status.update(List.of(line)));
      }
    });
  }

  /**
   * The status line: the shown window, then the others that hold unread lines with their counts
   * ({@code !} when one mentions the user or is private), then the connection. It is drawn one
   * column short of the screen's width: a character in the bottom right corner scrolls some
   * terminals, and leaves others waiting to wrap.
   */
  AttributedString statusLine(int width) {
    AttributedStringBuilder bar = new AttributedStringBuilder().style(BAR);
    bar.styled(HOT, " " + (windows.indexOf(shown) + 1) + ":" + shortTitle(shown.title) + " ");
    if (shown.scroll > 0) {
      bar.append(" (scrolled back: PageDown)");
    }
    String right = (reconnecting ? "reconnecting to " : "") + connection
        + (lagMillis > 1000 && !reconnecting
            ? String.format(Locale.ROOT, " lag %.1f s", lagMillis / 1000.0) : "")
        + " ";
    List<Integer> hot = new ArrayList<>();
    for (int i = 0; i < windows.size(); i++) {
      if (windows.get(i) != shown && windows.get(i).unread() > 0) {
        hot.add(i);
      }
    }
    // Each window with unread lines, while they fit; then how many more (! if one is hot).
    String separator = " | ";
    for (int at = 0; at < hot.size(); at++) {
      Window window = windows.get(hot.get(at));
      String mark = (hot.get(at) + 1) + ":" + shortTitle(window.title) + "(" + window.unread()
          + (window.highlighted() ? "!" : "") + ")";
      int more = hot.size() - at - 1;
      int room = width - bar.columnLength() - right.length() - 1 - (more > 0 ? 6 : 0);
      if (separator.length() + new AttributedString(mark).columnLength() > room) {
        boolean anyHot = hot.subList(at, hot.size()).stream()
            .anyMatch(index -> windows.get(index).highlighted());
        bar.append(separator).styled(anyHot ? HOT : BAR,
            "+" + (hot.size() - at) + (anyHot ? "!" : ""));
        break;
      }
      bar.append(separator);
      separator = " ";
      bar.styled(window.highlighted() ? HOT : BAR, mark);
    }
    int pad = width - bar.columnLength() - right.length();
    bar.append(" ".repeat(Math.max(1, pad))).append(right);
    return bar.toAttributedString().columnSubSequence(0, width);
  }

  /** A window's title as the status line shows it: long ones cut, with an ellipsis. */
  private static String shortTitle(String title) {
    AttributedString whole = new AttributedString(title);
    return whole.columnLength() <= TITLE_COLUMNS ? title
        : whole.columnSubSequence(0, TITLE_COLUMNS - 1).toString() + "\u2026";
  }

}
