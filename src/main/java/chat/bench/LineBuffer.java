package chat.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Splits the bytes one connection reads into lines, keeping a line that is split across reads
 * until its newline arrives. Complete lines inside one read are handed on in place, without a
 * copy; a line longer than the limit is skipped and counted.
 */
final class LineBuffer {

  /** Receives each line, without its {@code \n} or {@code \r\n}. */
  interface Sink {
    void line(byte[] bytes, int offset, int length);
  }

  private static final int INITIAL_CAPACITY = 128;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;

  private final int maxLineBytes;
  private byte[] partial = new byte[0];
  private int partialLength;
  private boolean skipping;
  private long overlong;

  LineBuffer(int maxLineBytes) {
    this.maxLineBytes = maxLineBytes;
  }

  /** Feeds {@code length} bytes just read, calling {@code sink} for every line they complete. */
  void feed(byte[] bytes, int offset, int length, Sink sink) {
    int end = offset + length;
    int start = offset;
    for (int i = newline(bytes, start, end); i >= 0; i = newline(bytes, start, end)) {
      if (partialLength > 0 || skipping) {
        append(bytes, start, i - start);
        if (!skipping) {
          emit(partial, 0, partialLength, sink);
        }
        partialLength = 0;
        skipping = false;
      } else if (i - start > maxLineBytes + 1) {
        overlong++;
      } else {
        emit(bytes, start, i - start, sink);
      }
      start = i + 1;
    }
    append(bytes, start, end - start);
  }

  /**
   * The index of the first {@code \n} in {@code bytes[from, end)}, or -1. Reads eight bytes at a
   * time (a zero-byte test on the word XOR newlines): the generator reads millions of lines a
   * second, and this scan is most of its work per line.
   */
  static int newline(byte[] bytes, int from, int end) {
    int i = from;
    for (; i + Long.BYTES <= end; i += Long.BYTES) {
      long word = (long) LONGS.get(bytes, i) ^ NEWLINES;
      long zero = (word - ONES) & ~word & HIGH_BITS;
      if (zero != 0) {
        return i + (Long.numberOfTrailingZeros(zero) >>> 3);
      }
    }
    for (; i < end; i++) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** Lines skipped because they were longer than the limit. */
  long overlong() {
    return overlong;
  }

  /** Bytes held of a line whose newline has not arrived yet. */
  int pending() {
    return partialLength;
  }

  private void append(byte[] bytes, int offset, int length) {
    if (skipping || length == 0) {
      return;
    }
    int needed = partialLength + length;
    if (needed > maxLineBytes + 1) {
      // The +1 leaves room for a '\r' before the newline.
      skipping = true;
      overlong++;
      partialLength = 0;
      return;
    }
    if (needed > partial.length) {
      partial = Arrays.copyOf(partial, Math.min(maxLineBytes + 1,
          Math.max(needed, Math.max(INITIAL_CAPACITY, partial.length * 2))));
    }
    System.arraycopy(bytes, offset, partial, partialLength, length);
    partialLength = needed;
  }

  private static void emit(byte[] bytes, int offset, int length, Sink sink) {
    int trimmed = length > 0 && bytes[offset + length - 1] == '\r' ? length - 1 : length;
    sink.line(bytes, offset, trimmed);
  }
}
