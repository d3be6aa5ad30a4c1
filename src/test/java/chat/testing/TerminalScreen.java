package chat.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.client.ClientSettings;
import chat.client.terminal.TerminalFront;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;

/**
 * A {@link TerminalFront} run on a JLine dumb terminal, on its own thread: the test types into
 * its keyboard (a pipe) and reads its display. Every wait is bounded.
 */
public final class TerminalScreen implements AutoCloseable {

  /** How long a run may take to end, and text to appear. */
  public static final Duration WAIT = Duration.ofSeconds(10);

  private final ActorSystem<?> system;
  private final CompletableFuture<Integer> exit;
  private final PipedOutputStream keyboard;
  private final ByteArrayOutputStream display;
  private final Terminal terminal;

  private TerminalScreen(
      ActorSystem<?> system,
      CompletableFuture<Integer> exit,
      PipedOutputStream keyboard,
      ByteArrayOutputStream display,
      Terminal terminal) {
    this.system = system;
    this.exit = exit;
    this.keyboard = keyboard;
    this.display = display;
    this.terminal = terminal;
  }

  public static TerminalScreen start(
      ActorSystem<?> system,
      ClientSettings settings,
      Optional<String> name,
      TerminalFront.Options options)
      throws IOException {
    PipedOutputStream keyboard = new PipedOutputStream();
    ByteArrayOutputStream display = new ByteArrayOutputStream();
    // "dumb-color" lets styles through; plain "dumb" would drop them whatever the options.
    Terminal terminal =
        new DumbTerminal(
            "test", "dumb-color", new PipedInputStream(keyboard), display, StandardCharsets.UTF_8);
    TerminalFront front = new TerminalFront(system, options);
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(() -> front.run(settings, name, terminal));
    return new TerminalScreen(system, exit, keyboard, display, terminal);
  }

  /** Types a line and Enter. */
  public void type(String line) throws IOException {
    keyboard.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    keyboard.flush();
  }

  public void endOfInput() throws IOException {
    keyboard.close();
  }

  /** The run's exit code, waiting for it (bounded). */
  public int exitCode() throws Exception {
    return exit.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Waits (bounded) until the screen shows {@code part}. */
  public void awaitText(String part) {
    TestProbe.create(system)
        .awaitAssert(
            WAIT,
            () -> {
              assertTrue(text().contains(part), () -> "no " + part + " in " + text());
              return null;
            });
  }

  public String text() {
    synchronized (display) {
      return display.toString(StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() throws IOException {
    terminal.close();
    keyboard.close();
  }
}
