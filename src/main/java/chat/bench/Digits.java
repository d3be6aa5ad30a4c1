package chat.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Decimal numbers in ASCII bytes, read eight bytes at a time: the generator parses three numbers
 * in every line it receives, millions a second, and byte by byte that was half of its time.
 * Where fewer than eight bytes are left in the array it goes byte by byte.
 */
final class Digits {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ZEROS = 0x3030303030303030L;
  /** Added to a byte, sets its high bit if it is above '9' (and below 0xBA). */
  private static final long ABOVE_NINE = 0x4646464646464646L;
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final long[] POWERS_OF_TEN = {
      1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L};

  private Digits() {}

  /** Where the run of digits that starts at {@code from} ends; never beyond {@code limit}. */
  static int end(byte[] bytes, int from, int limit) {
    int i = from;
    while (i < limit && i + Long.BYTES <= bytes.length) {
      long word = (long) LONGS.get(bytes, i);
      // A carry or borrow only starts at a byte that is not a digit, so the lowest flag (the
      // first byte in the text) is exact, whatever it does to the bytes after it.
      long notDigits = ((word + ABOVE_NINE) | (word - ZEROS)) & HIGH_BITS;
      if (notDigits != 0) {
        return Math.min(i + (Long.numberOfTrailingZeros(notDigits) >>> 3), limit);
      }
      i += Long.BYTES;
    }
    while (i < limit && bytes[i] >= '0' && bytes[i] <= '9') {
      i++;
    }
    return Math.min(i, limit);
  }

  /** The value of the digits from {@code from} to {@code to} (exclusive), at most 18 of them. */
  static long value(byte[] bytes, int from, int to) {
    long value = 0;
    int i = from;
    while (i < to && i + Long.BYTES <= bytes.length) {
      int count = Math.min(Long.BYTES, to - i);
      // Shifted up, the bytes past the number fall off and zeros come in as leading digits.
      long word = (long) LONGS.get(bytes, i) << ((Long.BYTES - count) * Byte.SIZE);
      value = value * POWERS_OF_TEN[count] + eightDigits(word);
      i += count;
    }
    for (; i < to; i++) {
      value = value * 10 + (bytes[i] - '0');
    }
    return value;
  }

  /**
   * Eight digits, the first in the lowest byte, as a number: pairs, then fours, then all eight
   * combined by multiplication (the well-known SWAR conversion).
   */
  private static long eightDigits(long word) {
    long pairs = ((word & 0x0F0F0F0F0F0F0F0FL) * (10 * 256 + 1)) >>> 8;
    long fours = ((pairs & 0x00FF00FF00FF00FFL) * (100 * 65536 + 1)) >>> 16;
    return ((fours & 0x0000FFFF0000FFFFL) * (10000L * (1L << 32) + 1)) >>> 32;
  }
}
