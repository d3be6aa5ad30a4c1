package chat.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What a client prints, line by line, as it prints it: a test takes the lines in order, each with
 * a bounded wait, or looks at all printed so far.
 */
public final class CapturedLines extends OutputStream {

  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private final BlockingQueue<String> unread = new LinkedBlockingQueue<>();
  private final List<String> all = new ArrayList<>();
  private final PrintStream stream = new PrintStream(this, true, StandardCharsets.UTF_8);

  /** A UTF-8 print stream into this capture. */
  public PrintStream stream() {
    return stream;
  }

  @Override
  public synchronized void write(int b) {
    if (b == '\n') {
      String line = partial.toString(StandardCharsets.UTF_8);
      partial.reset();
      String withoutReturn = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
      all.add(withoutReturn);
      unread.add(withoutReturn);
    } else {
      partial.write(b);
    }
  }

  /** The next line not yet taken; fails the test if none comes within {@code wait}. */
  public String next(Duration wait) {
    return poll(wait).orElseGet(() -> fail("no line within " + wait + "; printed so far: " + all()));
  }

  /** The next line not yet taken, or empty if none comes within {@code wait}. */
  public Optional<String> poll(Duration wait) {
    try {
      return Optional.ofNullable(unread.poll(wait.toMillis(), TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The next line, within {@link FakeServer#WAIT}. */
  public String next() {
    return next(FakeServer.WAIT);
  }

  /** Expects the next lines to be exactly these. */
  public void expect(String... lines) {
    for (String line : lines) {
      assertEquals(line, next(), () -> "printed so far: " + all());
    }
  }

  /** Takes lines until one equals {@code line}, and returns those before it. */
  public List<String> until(String line, Duration wait) {
    List<String> before = new ArrayList<>();
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      String next = next(left);
      if (next.equals(line)) {
        return before;
      }
      before.add(next);
    }
  }

  /** Every complete line printed so far. */
  public synchronized List<String> all() {
    return List.copyOf(all);
  }

  /** Everything printed so far, complete lines joined with {@code \n}, each ended by one. */
  public String text() {
    StringBuilder text = new StringBuilder();
    all().forEach(line -> text.append(line).append('\n'));
    return text.toString();
  }
}
