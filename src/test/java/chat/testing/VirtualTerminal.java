package chat.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.client.ClientSettings;
import chat.client.terminal.TerminalFront;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.jline.builtins.ScreenTerminal;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;

/**
 * A {@link TerminalFront} on an xterm of a given size whose screen is JLine's own terminal
 * emulator ({@link ScreenTerminal}): the test types keys into the terminal's keyboard (a pipe)
 * and reads the screen as a person would see it, row by row. It has no line discipline: Ctrl+C
 * reaches the client as a key, as on a terminal whose driver does not turn it into a signal, and
 * keys typed while the client is between two reads are not echoed.
 * Every wait is bounded.
 */
public final class VirtualTerminal implements AutoCloseable {

  public static final Duration WAIT = Duration.ofSeconds(10);

  private final ActorSystem<?> system;
  private final PipedOutputStream keyboard;
  private final Terminal terminal;
  private final ScreenTerminal screen;
  private final CompletableFuture<Integer> exit;
  private final AtomicInteger bells = new AtomicInteger();

  private VirtualTerminal(ActorSystem<?> system, int columns, int rows,
      ClientSettings settings, Optional<String> name, TerminalFront.Options options)
      throws IOException {
    this.system = system;
    keyboard = new PipedOutputStream();
    PipedOutputStream display = new PipedOutputStream();
    PipedInputStream shown = new PipedInputStream(display, 1 << 16);
    screen = new ScreenTerminal(columns, rows);
    // An external terminal: no pty of the machine's, only these streams.
    terminal = new ExternalTerminal("virtual", "xterm-256color", new PipedInputStream(keyboard),
        display, StandardCharsets.UTF_8);
    terminal.setSize(new Size(columns, rows));
    Attributes keys = terminal.getAttributes();
    keys.setLocalFlag(Attributes.LocalFlag.ISIG, false); // Ctrl+C comes as a key, in its turn
    keys.setLocalFlag(Attributes.LocalFlag.ECHO, false); // keys typed ahead are not echoed
    terminal.setAttributes(keys);
    Thread pump = new Thread(() -> pump(new InputStreamReader(shown, StandardCharsets.UTF_8)),
        "virtual-screen");
    pump.setDaemon(true);
    pump.start();
    TerminalFront front = new TerminalFront(system, options);
    exit = CompletableFuture.supplyAsync(() -> front.run(settings, name, terminal));
  }

  public static VirtualTerminal start(ActorSystem<?> system, int columns, int rows,
      ClientSettings settings, Optional<String> name, TerminalFront.Options options)
      throws IOException {
    return new VirtualTerminal(system, columns, rows, settings, name, options);
  }

  private void pump(Reader shown) {
    char[] buffer = new char[4096];
    try {
      for (int read = shown.read(buffer); read >= 0; read = shown.read(buffer)) {
        String text = new String(buffer, 0, read);
        bells.addAndGet((int) text.chars().filter(c -> c == 7).count());
        synchronized (this) {
          screen.write(emulated(text));
        }
      }
    } catch (IOException e) {
      // the terminal was closed
    }
  }

  /**
   * What the emulator is given: its restore of the cursor (DECRC) keeps a pending wrap from where
   * the cursor was (xterm and tmux clear it), so a move right and back follows each restore.
   */
  private static String emulated(String text) {
    return text.replace("\u001b8", "\u001b8\u001b[1C\u001b[1D");
  }

  /** Types keys as they are: text, or escape sequences such as {@code "\u001b1"} for Alt+1. */
  public void keys(String keys) throws IOException {
    keyboard.write(keys.getBytes(StandardCharsets.UTF_8));
    keyboard.flush();
  }

  /** Types a line and Enter. */
  public void type(String line) throws IOException {
    keys(line + "\r");
  }

  /** The screen's rows, as shown now, without trailing spaces. */
  public synchronized List<String> rows() {
    return Arrays.stream(screen.toString().split("\n", -1))
        .map(String::stripTrailing)
        .toList();
  }

  /** The screen, row under row. */
  public String text() {
    return String.join("\n", rows());
  }

  /** The last row: the status line. */
  public String status() {
    List<String> rows = rows();
    for (int i = rows.size() - 1; i >= 0; i--) {
      if (!rows.get(i).isBlank()) {
        return rows.get(i);
      }
    }
    return "";
  }

  /** How many times the terminal's bell rang. */
  public int bells() {
    return bells.get();
  }

  /** Waits (bounded) until the screen fits {@code test}. */
  public void await(String what, Predicate<VirtualTerminal> test) {
    TestProbe.create(system).awaitAssert(WAIT, () -> {
      assertTrue(test.test(this), () -> what + ", screen:\n" + text());
      return null;
    });
  }

  /** Waits (bounded) until the screen shows {@code part}. */
  public void awaitText(String part) {
    await("shows " + part, screen -> screen.text().contains(part));
  }

  /** Waits (bounded) until the status line shows {@code part}. */
  public void awaitStatus(String part) {
    await("status shows " + part, screen -> screen.status().contains(part));
  }

  public int exitCode() throws Exception {
    return exit.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() throws IOException {
    terminal.close();
    keyboard.close();
  }
}
