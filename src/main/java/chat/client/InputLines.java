package chat.client;

import chat.protocol.ClientLines;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Framing;
import org.apache.pekko.stream.javadsl.FramingTruncation;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.scaladsl.Framing.FramingException;
import org.apache.pekko.util.ByteString;

/**
 * What the user types, as lines the client may send: UTF-8, without a trailing {@code \r}, each at
 * most the client's {@code max-line-bytes}. An over-long line is reported and skipped instead of
 * breaking the connection. Used by both fronts.
 */
public final class InputLines {

  /** Longest input line read at all; past this, input ends (with a report). */
  public static final int MAX_READ_BYTES = 1024 * 1024;

  private InputLines() {}

  /** Cuts typed bytes into lines; {@code report} gets a message for each line not sent. */
  public static Flow<ByteString, String, NotUsed> lines(int maxLineBytes, Consumer<String> report) {
    int readLimit = Math.max(maxLineBytes, MAX_READ_BYTES);
    return Framing.delimiter(ByteString.fromString("\n"), readLimit, FramingTruncation.ALLOW)
        .map(ChatClient::decode)
        .filter(
            line -> {
              Optional<String> problem = problem(line, maxLineBytes);
              problem.ifPresent(report);
              return problem.isEmpty();
            })
        .recoverWithRetries(
            1,
            FramingException.class,
            () -> {
              report.accept(
                  "Input line longer than " + readLimit + " bytes; no further input is read.");
              return Source.empty();
            });
  }

  /** Why a line cannot be sent, if it cannot. */
  public static Optional<String> problem(String line, int maxLineBytes) {
    int bytes = line.getBytes(StandardCharsets.UTF_8).length;
    if (bytes <= maxLineBytes) {
      return Optional.empty();
    }
    return Optional.of(
        "Line too long (" + bytes + " bytes, at most " + maxLineBytes + "); it was not sent.");
  }

  /** Why the join request for {@code name} cannot be sent, if it is longer than a line may be. */
  public static Optional<String> joinProblem(String name, int maxLineBytes) {
    return problem(ClientLines.join(name), maxLineBytes)
        .map(tooLong -> "Username too long for chat.client.max-line-bytes (" + maxLineBytes + ").");
  }
}
