package chat.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runnable jar started as a child process, {@code java [options] -jar pekko-chat.jar args}
 * or through its launcher, with the JDK that runs the tests. Its standard output and error are
 * read on threads of their own into {@link CapturedLines}, so a full pipe never blocks it; its
 * standard input is the test's to write. Made by integration tests; {@link #close()} kills it
 * if it still runs.
 */
public final class JarProcess implements AutoCloseable {

  /** The longest wait for a line or an exit: a cold JVM with Pekko takes seconds to start. */
  public static final Duration WAIT = Duration.ofSeconds(30);

  /** How often a wait for a line looks whether the process has exited meanwhile. */
  private static final Duration EXIT_CHECK = Duration.ofMillis(100);

  private final Process process;
  private final CapturedLines out = new CapturedLines();
  private final CapturedLines err = new CapturedLines();
  private final List<Thread> readers = new ArrayList<>();

  private JarProcess(Process process) {
    this.process = process;
    readers.add(read(process.getInputStream(), out, "stdout"));
    readers.add(read(process.getErrorStream(), err, "stderr"));
  }

  /**
   * Starts the jar in {@code workDir}.
   *
   * @param jvmOptions options before {@code -jar}, such as {@code -Dchat.server.port=0}
   * @param args the jar's own arguments, such as {@code server}
   */
  public static JarProcess start(Path workDir, List<String> jvmOptions, String... args) {
    List<String> command = new ArrayList<>();
    command.add(java());
    // A free web port unless the test names one (a later -D wins): a server left running on
    // this machine must not make the test's server fail to start.
    command.add("-Dchat.server.web.port=0");
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    return start(new ProcessBuilder(command).directory(workDir.toFile()));
  }

  /**
   * Starts the jar through its launcher, {@code target/pekko-chat}, in {@code workDir}, with the
   * JDK that runs the tests.
   *
   * @param javaOpts what the launcher adds after its own options ({@code JAVA_OPTS})
   * @param args the jar's own arguments, such as {@code server}
   */
  public static JarProcess launch(Path workDir, List<String> javaOpts, String... args) {
    Path launcher = Path.of(System.getProperty("chat.launcher", "target/pekko-chat"));
    if (!Files.isExecutable(launcher)) {
      throw new IllegalStateException("No launcher at " + launcher + "; mvn verify builds it");
    }
    List<String> command = new ArrayList<>();
    command.add(launcher.toAbsolutePath().toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    builder.environment().put("JAVA", java());
    builder.environment().put("JAVA_OPTS",
        String.join(" ", "-Dchat.server.web.port=0", String.join(" ", javaOpts)));
    return start(builder);
  }

  private static JarProcess start(ProcessBuilder builder) {
    try {
      return new JarProcess(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The jar {@code mvn package} built; failsafe passes its path as {@code chat.jar}. */
  public static Path jar() {
    Path jar = Path.of(System.getProperty("chat.jar", "target/pekko-chat.jar")).toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("No runnable jar at " + jar + "; mvn verify builds it first");
    }
    return jar;
  }

  private Thread read(InputStream from, CapturedLines into, String name) {
    Thread reader =
        new Thread(
            () -> {
              try (from) {
                from.transferTo(into);
              } catch (IOException e) {
                // The pipe closed under us because the process was killed: nothing more to read.
              }
            },
            "jar-" + process.pid() + "-" + name);
    reader.setDaemon(true);
    reader.start();
    return reader;
  }

  /** What a server on loopback logs once it listens; the port is the only way to learn a free one. */
  private static final Pattern PLAIN_PORT = Pattern.compile(
      "Chat server listening for plain connections on port \\[(\\d+)\\] \\(127\\.0\\.0\\.1\\)");

  /** Waits for a server process to say it listens on loopback, and gives the plain port. */
  public int awaitPlainPort() {
    return Integer.parseInt(awaitOutput(PLAIN_PORT).group(1));
  }

  /** What the process wrote to standard output, line by line. */
  public CapturedLines out() {
    return out;
  }

  /** What the process wrote to standard error, line by line. */
  public CapturedLines err() {
    return err;
  }

  /**
   * Waits for a line of standard output in which {@code pattern} is found, and returns the match.
   * Fails at once if the process exits first, and after {@link #WAIT} at the latest.
   */
  public Matcher awaitOutput(Pattern pattern) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      boolean exited = !process.isAlive();
      if (exited) {
        awaitReaders();
      }
      Optional<String> line = out.poll(exited ? Duration.ZERO : EXIT_CHECK);
      if (line.isPresent()) {
        Matcher matcher = pattern.matcher(line.get());
        if (matcher.find()) {
          return matcher;
        }
      } else if (exited) {
        throw new AssertionError("Exited with " + process.exitValue() + " before printing a line"
            + " matching " + pattern + "\n" + output());
      }
    }
    throw new AssertionError("No line matching " + pattern + " within " + WAIT + "\n" + output());
  }

  /** Writes {@code text} to the process's standard input, line endings included. */
  public void write(String text) {
    try {
      OutputStream in = process.getOutputStream();
      in.write(text.getBytes(StandardCharsets.UTF_8));
      in.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Closes the process's standard input: the end of input, as Ctrl+D at a terminal. */
  public void closeInput() {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Asks the process to end, as {@code kill} or a service manager does (SIGTERM). Through its
   * handle: {@link Process#destroy} would also close the pipes, and lose what it prints after.
   */
  public void terminate() {
    process.toHandle().destroy();
  }

  /** Waits at most {@link #WAIT} for the process to exit, and returns its exit code. */
  public int exitCode() {
    try {
      if (!process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("Still running after " + WAIT + "\n" + output());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    awaitReaders();
    return process.exitValue();
  }

  /** Everything the process printed so far, both streams, for failure messages. */
  public String output() {
    return "--- standard output:\n" + out.text() + "--- standard error:\n" + err.text();
  }

  /** Once the process has exited, lets the readers take the rest of its output. */
  private void awaitReaders() {
    for (Thread reader : readers) {
      try {
        reader.join(WAIT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  /** Kills the process if it still runs, and waits (bounded) for it to be gone. */
  @Override
  public void close() {
    kill();
  }

  /** Kills the process with SIGKILL, as a crash would end it, and waits (bounded) for it. */
  public void kill() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
