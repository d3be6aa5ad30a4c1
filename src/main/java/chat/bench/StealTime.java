package chat.bench;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The CPU time the hypervisor gave to other guests while this virtual machine wanted it: the
 * {@code steal} column of the {@code cpu} line of {@code /proc/stat} (Linux only), as a share of
 * all the CPU time that line counts. On a shared host it is what makes the same run vary by
 * minutes, so the report says how much there was.
 */
final class StealTime {

  /** One reading of the {@code cpu} line: steal, and the total of all its columns. */
  record Sample(long steal, long total) {

    /** Steal between {@code earlier} and this reading, in percent of all CPU time between. */
    double percentSince(Sample earlier) {
      long total = this.total - earlier.total;
      return total <= 0 ? 0 : 100.0 * (steal - earlier.steal) / total;
    }
  }

  private static final String PROC_STAT = "/proc/stat";
  private static final int COLUMNS = 8;

  private StealTime() {}

  /** The machine's CPU times so far, or empty if they cannot be read. */
  static Optional<Sample> sample() {
    return new Reader().read();
  }

  /**
   * A {@code cpu} line: user, nice, system, idle, iowait, irq, softirq, steal, and on newer
   * kernels guest times, which user and nice already include; empty if it has no steal column.
   */
  static Optional<Sample> parse(String cpuLine) {
    byte[] bytes = (cpuLine + "\n").getBytes(StandardCharsets.US_ASCII);
    return parse(bytes, bytes.length);
  }

  /** The first line of {@code length} bytes of {@code /proc/stat}, parsed as {@link #parse}. */
  private static Optional<Sample> parse(byte[] bytes, int length) {
    if (length < 4 || bytes[0] != 'c' || bytes[1] != 'p' || bytes[2] != 'u' || bytes[3] != ' ') {
      return Optional.empty();
    }
    long total = 0;
    long steal = 0;
    int columns = 0;
    int i = 4;
    while (columns < COLUMNS) {
      while (i < length && bytes[i] == ' ') {
        i++;
      }
      long value = 0;
      int digits = 0;
      for (; i < length && bytes[i] >= '0' && bytes[i] <= '9'; i++, digits++) {
        value = value * 10 + (bytes[i] - '0');
      }
      if (digits == 0 || i == length) {
        break; // not a number, or one the buffer may have cut short
      }
      total += value;
      columns++;
      steal = value;
    }
    return columns == COLUMNS ? Optional.of(new Sample(steal, total)) : Optional.empty();
  }

  /**
   * Reads the {@code cpu} line again and again into one buffer: a load generator that reads it
   * ten times a second makes next to no garbage of it.
   */
  static final class Reader {

    private final byte[] buffer = new byte[512];

    /** The machine's CPU times now, or empty if they cannot be read. */
    Optional<Sample> read() {
      try (FileInputStream in = new FileInputStream(PROC_STAT)) {
        int length = in.readNBytes(buffer, 0, buffer.length);
        return parse(buffer, length);
      } catch (IOException | RuntimeException e) {
        // Not Linux: the report leaves the reading out.
        return Optional.empty();
      }
    }
  }
}
