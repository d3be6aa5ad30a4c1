package chat.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine;

/**
 * The load generator's entry point: {@code mvn -q compile exec:java
 * -Dexec.mainClass=chat.bench.LoadTest -Dexec.args="fanout --clients 100"}. Parses the
 * options, runs the {@link Driver}, prints the report and exits with 0, 1 if not every client
 * joined, or 2 if the options are wrong or it could not connect or join at all.
 */
public final class LoadTest {

  private LoadTest() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command line {@code args}; returns the exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    LoadOptions options = new LoadOptions();
    return new CommandLine(options)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
        .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
        .setExecutionStrategy(
            parsed -> {
              Integer help = CommandLine.executeHelpRequest(parsed);
              if (help != null) {
                return help;
              }
              options.validate();
              return execute(options, out, err);
            })
        .execute(args);
  }

  private static int execute(LoadOptions options, PrintStream out, PrintStream err) {
    boolean jsonToStdout = "-".equals(options.json());
    PrintStream human = jsonToStdout ? err : out;
    Report report;
    try {
      report = new Driver(options, runId(), err).run();
    } catch (Driver.Failed e) {
      err.println("load-test: " + e.getMessage());
      return 2;
    }
    human.print(report.summary());
    if (options.json() != null) {
      String json = report.toJson();
      if (jsonToStdout) {
        out.println(json);
      } else {
        try {
          Files.writeString(Path.of(options.json()), json + "\n");
        } catch (IOException e) {
          err.println("load-test: cannot write " + options.json() + ": " + e.getMessage());
          return 2;
        }
      }
    }
    return report.joins().joined() < report.joins().requested() ? 1 : 0;
  }

  /** Four random letters and digits, so names of two runs never clash. */
  private static String runId() {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder id = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      id.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
    }
    return id.toString();
  }
}
