package chat.support;

import java.io.PrintWriter;
import java.util.function.IntSupplier;
import picocli.CommandLine;

/** Runs an app's picocli options the way both apps do. */
public final class CommandLines {

  private CommandLines() {}

  /**
   * Parses {@code args} into {@code options} (a picocli command) and runs {@code action}. Returns
   * the action's exit code, 0 after {@code --help} or {@code --version}, or 2 after printing what
   * is wrong with the options.
   */
  public static int execute(
      Object options, String[] args, PrintWriter out, PrintWriter err, IntSupplier action) {
    return new CommandLine(options)
        .setOut(out)
        .setErr(err)
        .setExecutionStrategy(
            parsed -> {
              Integer help = CommandLine.executeHelpRequest(parsed);
              return help != null ? help : action.getAsInt();
            })
        .execute(args);
  }
}
