package chat.client.terminal;

import chat.client.Conversation;
import chat.client.FrontOutput;
import chat.client.ServerLink;
import chat.protocol.Event;
import chat.protocol.Names;
import chat.protocol.RoomNames;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.jline.utils.AttributedString;

/**
 * What the user does with the windows and what the server's answers do to them: switches by key
 * or command (a room's window makes its room the server's current one, so that /topic and /me act
 * on it), scrolling and the pages it fetches, the client's own commands, the lag and the state of
 * the link in the status line. Made by {@link TerminalFront} with the {@link TerminalSession};
 * callable from any thread, it does its work on the terminal's output thread, where the {@link
 * WindowScreen} is drawn. On a terminal that cannot show windows, it has no screen and does
 * nothing.
 */
final class WindowControl {

  /** How long a line sent may wait for its echo before the lag forgets it. */
  static final Duration LAG_GIVEN_UP = Duration.ofMinutes(1);

  private final FrontOutput output;
  private final StyledRenderer renderer;
  /** Makes the screen once the user is in the chat; none on a terminal without windows. */
  private final Optional<Supplier<WindowScreen>> windows;
  private volatile ActorRef<ServerLink.Command> link;
  /** The windows, once shown: set and drawn on the output thread, asked where lines go on input. */
  private volatile WindowScreen screen;
  /** The key of the room the server last said is the current one. */
  private String serverRoom;
  /** The key of the room a switch was sent for ({@code /join} of a room one is in), until an answer. */
  private String switchingTo;
  /** Whether the input line asks a question (send a paste?): windows stay as they are. */
  private volatile boolean asking;
  /** Completes once the windows are on the screen. */
  private final java.util.concurrent.CompletableFuture<Void> started =
      new java.util.concurrent.CompletableFuture<>();
  /** When each line typed for a room or a person was sent, until its echo comes back. */
  private final ConcurrentLinkedDeque<Long> unanswered = new ConcurrentLinkedDeque<>();

  WindowControl(FrontOutput output, StyledRenderer renderer,
      Optional<Supplier<WindowScreen>> windows) {
    this.output = output;
    this.renderer = renderer;
    this.windows = windows;
  }

  void attach(ActorRef<ServerLink.Command> serverLink) {
    this.link = serverLink;
  }

  /** Whether this terminal shows windows. */
  boolean available() {
    return windows.isPresent();
  }

  /** Whether the windows are on the screen now; read on the output thread. */
  boolean shown() {
    return screen != null;
  }

  /** Where a line typed now goes: the shown window, or no room before there are windows. */
  WindowScreen.Target target() {
    WindowScreen windowed = screen;
    return windowed == null ? WindowScreen.NO_ROOM : windowed.target();
  }

  /**
   * Waits (at most {@code bound}) for the windows to be on the screen, on a terminal that shows
   * them: the first read then starts with the window's prompt (JLine takes a prompt changed under
   * a read for drawing, not for placing a completion list).
   */
  void awaitStarted(Duration bound) {
    if (windows.isPresent()) {
      try {
        started.get(bound.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        // drawn late: the prompt is put right at the next line shown
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The prompt for the shown window; none before there are windows. */
  Optional<String> prompt() {
    WindowScreen windowed = screen;
    return windowed == null ? Optional.empty() : Optional.of(windowed.prompt());
  }

  // On the output thread, from the session.

  /**
   * In the chat: the windows take the screen, if the terminal can show them. After a reconnect
   * the server's current room is the one the join named.
   */
  void welcomed(Conversation.Me me) {
    synchronized (this) {
      serverRoom = me.room() == null ? null : RoomNames.key(me.room());
      switchingTo = null;
    }
    if (screen == null && windows.isPresent()) {
      screen = windows.get().get();
      screen.start();
      started.complete(null);
    }
  }

  /**
   * Shows an event in its window; {@code follow}: a room the client comes into is shown (not so
   * for the rooms a reconnect puts it back in).
   */
  void show(Event event, Conversation.Origin origin, Conversation.Me me, boolean follow) {
    synchronized (this) {
      if (event instanceof Event.Entered entered && entered.current()) {
        serverRoom = RoomNames.key(entered.room()); // a switch's answer, a /join, a move
        switchingTo = null;
      } else if (event instanceof Event.Error || event instanceof Event.Throttled) {
        switchingTo = null; // perhaps the switch, refused: the next command sends one again
      }
    }
    screen.show(event, origin, me, follow);
  }

  /** A line of the client's own in the shown window. */
  void say(AttributedString line) {
    screen.say(line);
  }

  /** The link is lost or back; a link notice, on the output thread. */
  void linkNotice(String text) {
    if (screen == null) {
      return;
    }
    if (text.equals(ServerLink.LOST) || text.equals(ServerLink.MOVING)) {
      screen.connection(Optional.empty(), true);
    } else if (text.startsWith(ServerLink.RECONNECTED_TO)) {
      String to = text.substring(ServerLink.RECONNECTED_TO.length());
      screen.connection(Optional.of(to.substring(0, to.length() - 1)), false);
    } else if (text.startsWith(ServerLink.RECONNECTED_PREFIX)) {
      screen.connection(Optional.empty(), false);
    }
  }

  /** Gives the screen back; on the output thread, at the end. */
  void stop() {
    if (screen != null) {
      screen.stop();
      screen = null;
    }
  }

  // The lag, from any thread.

  /** A line was sent; {@code answered} if the server will echo or refuse it. */
  void sent(String line) {
    if (!line.startsWith("/") || line.startsWith("/say ") || line.startsWith("/msg ")) {
      unanswered.add(System.nanoTime());
    }
  }

  /**
   * Whether a line from the server answers one sent for a room or a person: its echo, or the
   * error or throttling that refused it.
   */
  static boolean answers(Conversation.Shown shown, Conversation.Me me) {
    Event event = shown.event();
    return shown.own() && shown.origin() == Conversation.Origin.LIVE
        || event instanceof Event.Private message && Names.same(message.from(), me.name())
        || event instanceof Event.Error || event instanceof Event.Throttled;
  }

  /** An answer to a line sent came: the lag is how long it took. */
  void answered() {
    Long sent = unanswered.pollFirst();
    if (sent != null) {
      long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
      onScreen(windowed -> windowed.lag(took));
    }
  }

  /** The link is down: the lines waiting for an answer will not get one from this server. */
  void lost() {
    unanswered.clear();
  }

  /** Every second: how long the oldest line sent has waited for its echo; shown above a second. */
  void tick() {
    Long oldest = unanswered.peekFirst();
    if (oldest != null && System.nanoTime() - oldest > LAG_GIVEN_UP.toNanos()) {
      unanswered.remove(oldest); // no answer is coming: the line was refused in a way not seen
    }
    long waited = oldest == null ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - oldest);
    onScreen(windowed -> windowed.lag(waited));
  }

  // What the user does, from the input thread.

  /**
   * A command of the client's own about windows: /query, /win, /close; completes once done, so
   * that the next read starts with the prompt of the window shown then.
   */
  java.util.concurrent.CompletableFuture<Void> command(TypedLines.Plan plan) {
    return output.then(() -> {
      if (screen != null) {
        windowCommand(plan);
      }
    });
  }

  private void windowCommand(TypedLines.Plan plan) {
    if (plan instanceof TypedLines.Query query) {
      screen.query(query.name(), true);
      query.text().ifPresent(text -> tell("/msg " + query.name() + " " + text));
    } else if (plan instanceof TypedLines.Win win) {
      if (screen.switchTo(win.number()).isEmpty()) {
        screen.say(renderer.plain("There is no window " + win.number() + "."));
      }
    } else if (plan == TypedLines.Close.INSTANCE) {
      screen.closeShown().ifPresent(room -> tell("/part " + room));
    }
  }

  /** While the input line asks a question, window keys do nothing. */
  void asking(boolean open) {
    asking = open;
  }

  /** Shows window {@code number} (Alt+1..9). */
  void showWindow(int number) {
    if (asking) {
      return;
    }
    onScreen(windowed -> windowed.switchTo(number));
  }

  /** Shows the next window ({@code step} 1) or the one before (-1). */
  void cycle(int step) {
    if (asking) {
      return;
    }
    onScreen(windowed -> windowed.cycle(step));
  }

  void pageUp() {
    onScreen(windowed -> windowed.pageUp().ifPresent(page -> {
      ensureCurrent();
      tell(page);
    }));
  }

  void pageDown() {
    onScreen(WindowScreen::pageDown);
  }

  /** The terminal changed size. */
  void resized() {
    onScreen(WindowScreen::resized);
  }

  /** Draws the shown window again (after the input took rows of its own). */
  void redraw() {
    onScreen(WindowScreen::redraw);
  }

  private void onScreen(java.util.function.Consumer<WindowScreen> work) {
    output.write(() -> {
      if (screen != null) {
        work.accept(screen);
      }
    });
  }

  /**
   * Before a line that acts on the server's current room (a command typed in a room's window, a
   * page of history): makes the shown room the current one, if it is not, with a /join of a room
   * the client is in. Switching windows sends nothing, so that flicking through them costs no
   * lines of the server's rate limit.
   */
  synchronized void ensureCurrent() {
    WindowScreen.Target shown = target();
    String current = switchingTo != null ? switchingTo : serverRoom;
    if (shown.kind() == Window.Kind.ROOM && shown.title() != null
        && !RoomNames.key(shown.title()).equals(current)) {
      switchingTo = RoomNames.key(shown.title());
      tell("/join " + shown.title());
    }
  }

  /** {@code /more n} in a room's window: the n messages before the oldest it holds. */
  void more(int count) {
    onScreen(windowed -> {
      ensureCurrent();
      long oldest = windowed.oldestShown();
      tell(oldest == Long.MAX_VALUE ? "/history " + count
          : "/history before " + oldest + " " + count);
    });
  }

  private void tell(String line) {
    link.tell(new ServerLink.Say(line));
  }
}
