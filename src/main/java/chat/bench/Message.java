package chat.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The text of one load-test message, {@code lt-<run>-<sender>#<seq>@<nanos>} padded with
 * {@code x} to a fixed size, and its parsing back out of what a receiver reads. The nanos are
 * {@link System#nanoTime} relative to the run's start, so a receiver in the same process can
 * tell the latency.
 */
final class Message {

  /**
   * Where a parsed message goes: who sent it, its number, and when. A callback rather than a
   * value, so that the millions of messages a run reads leave no garbage behind.
   */
  interface Receiver {
    void message(int sender, long seq, long sentNanos);
  }

  private final byte[] prefix;

  /** Messages of run {@code run}; names and texts start {@code lt-<run>-}. */
  Message(String run) {
    this.prefix = namePrefix(run).getBytes(StandardCharsets.US_ASCII);
  }

  /** The name of client {@code index} in run {@code run}. */
  static String name(String run, int index) {
    return namePrefix(run) + index;
  }

  private static String namePrefix(String run) {
    return "lt-" + run + "-";
  }

  /** The {@code lt-<run>-} bytes every name and message of the run starts with. */
  byte[] prefix() {
    return prefix.clone();
  }

  /** Bytes of the longest header {@link #encode} writes, before padding and newline. */
  int maxHeaderBytes() {
    return prefix.length + 10 + 1 + 19 + 1 + 19;
  }

  /**
   * Writes the line for message {@code seq} of {@code sender}, padded to {@code size} bytes
   * (never below its header) and ending in a newline.
   *
   * @return false, writing nothing, if {@code out} has no room for it
   */
  boolean encode(ByteBuffer out, int sender, long seq, long sentNanos, int size) {
    if (out.remaining() < Math.max(size, maxHeaderBytes()) + 1) {
      return false;
    }
    int start = out.position();
    out.put(prefix);
    putDecimal(out, sender);
    out.put((byte) '#');
    putDecimal(out, seq);
    out.put((byte) '@');
    putDecimal(out, sentNanos);
    int header = out.position() - start;
    if (size > header + 1) {
      out.put((byte) ' ');
      for (int i = header + 1; i < size; i++) {
        out.put((byte) 'x');
      }
    }
    out.put((byte) '\n');
    return true;
  }

  /**
   * Parses a message text that starts at {@code offset} and runs at most to {@code end}
   * (exclusive); the text ends at {@code end} or at a space. A message of this run goes to
   * {@code to}.
   *
   * @return false if it is not a message of this run
   */
  boolean parse(byte[] bytes, int offset, int end, Receiver to) {
    if (!startsWith(bytes, offset, end, prefix)) {
      return false;
    }
    int i = offset + prefix.length;
    int senderEnd = Digits.end(bytes, i, end);
    if (senderEnd == i || senderEnd >= end || bytes[senderEnd] != '#') {
      return false;
    }
    int seqStart = senderEnd + 1;
    int seqEnd = Digits.end(bytes, seqStart, end);
    if (seqEnd == seqStart || seqEnd >= end || bytes[seqEnd] != '@') {
      return false;
    }
    int nanosStart = seqEnd + 1;
    int nanosEnd = Digits.end(bytes, nanosStart, end);
    if (nanosEnd == nanosStart || (nanosEnd < end && bytes[nanosEnd] != ' ')) {
      return false;
    }
    if (senderEnd - i > 9 || seqEnd - seqStart > 18 || nanosEnd - nanosStart > 18) {
      return false;
    }
    to.message(
        (int) Digits.value(bytes, i, senderEnd),
        Digits.value(bytes, seqStart, seqEnd),
        Digits.value(bytes, nanosStart, nanosEnd));
    return true;
  }

  static boolean startsWith(byte[] bytes, int offset, int end, byte[] expected) {
    // Arrays.equals compares many bytes at a time.
    return end - offset >= expected.length
        && Arrays.equals(bytes, offset, offset + expected.length, expected, 0, expected.length);
  }

  private static void putDecimal(ByteBuffer out, long value) {
    if (value < 0) {
      throw new IllegalArgumentException("negative: " + value);
    }
    if (value >= 10) {
      putDecimal(out, value / 10);
    }
    out.put((byte) ('0' + value % 10));
  }
}
