package chat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The CPU time the hypervisor gave to other guests while this virtual machine wanted it: the
 * {@code steal} column of the {@code cpu} line of {@code /proc/stat} (Linux only). On a shared
 * host it is what makes the same run vary by minutes, so the report says how much there was.
 */
final class StealTime {

  /** Linux's USER_HZ, the unit of {@code /proc/stat}: 100 on every common platform. */
  private static final double TICKS_PER_SECOND = 100;

  private StealTime() {}

  /** The steal time of all the machine's CPUs so far, in ticks, or empty if unknown. */
  static OptionalLong ticks() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
        if (line.startsWith("cpu ")) {
          return parse(line);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: the report leaves the reading out.
    }
    return OptionalLong.empty();
  }

  /** The steal field, the eighth number, of a {@code cpu} line; empty if it has none. */
  static OptionalLong parse(String cpuLine) {
    String[] fields = cpuLine.trim().split("\\s+");
    return fields.length > 8 ? OptionalLong.of(Long.parseLong(fields[8])) : OptionalLong.empty();
  }

  /** Steal ticks over {@code nanos} of wall time as a share of all the CPUs' time, in percent. */
  static double percent(long ticks, long nanos, int cpus) {
    return 100.0 * ticks / TICKS_PER_SECOND / (nanos / 1e9) / cpus;
  }
}
