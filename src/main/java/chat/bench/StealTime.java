package chat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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

  private StealTime() {}

  /** The machine's CPU times so far, or empty if they cannot be read. */
  static Optional<Sample> sample() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
        if (line.startsWith("cpu ")) {
          return parse(line);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: the report leaves the reading out.
    }
    return Optional.empty();
  }

  /**
   * A {@code cpu} line: user, nice, system, idle, iowait, irq, softirq, steal, and on newer
   * kernels guest times, which user and nice already include; empty if it has no steal column.
   */
  static Optional<Sample> parse(String cpuLine) {
    long[] ticks = Arrays.stream(cpuLine.trim().split("\\s+")).skip(1)
        .mapToLong(Long::parseLong).toArray();
    if (ticks.length < 8) {
      return Optional.empty();
    }
    return Optional.of(new Sample(ticks[7], Arrays.stream(ticks, 0, 8).sum()));
  }
}
