package chat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DigitsTest {

  /** Every byte that is not an ASCII digit, as the end of a number. */
  private static final byte[] NOT_DIGITS = notDigits();

  @Test
  void everyLengthAtEveryOffsetWithEveryKindOfByteAfterIt() {
    Random random = new Random(42);
    for (int length = 1; length <= 18; length++) {
      for (int offset = 0; offset < 12; offset++) {
        for (byte after : NOT_DIGITS) {
          String number = number(random, length);
          byte[] bytes = new byte[offset + length + 1 + 16];
          random.nextBytes(bytes);
          System.arraycopy(ascii(number), 0, bytes, offset, length);
          bytes[offset + length] = after;

          int end = Digits.end(bytes, offset, bytes.length);
          assertEquals(offset + length, end, number + " then " + after);
          assertEquals(Long.parseLong(number), Digits.value(bytes, offset, end), number);
        }
      }
    }
  }

  @Test
  void digitsPastTheLimitAreNotPartOfTheNumber() {
    byte[] bytes = ascii("12345678901234567890123");
    for (int limit = 1; limit <= 18; limit++) {
      assertEquals(limit, Digits.end(bytes, 0, limit));
      assertEquals(Long.parseLong("123456789012345678".substring(0, limit)),
          Digits.value(bytes, 0, limit));
    }
  }

  @Test
  void numbersAtTheVeryEndOfTheArrayAreReadByteByByte() {
    for (String number : new String[] {"7", "1234567", "98765432", "123456789012"}) {
      byte[] bytes = ascii("x" + number);
      assertEquals(bytes.length, Digits.end(bytes, 1, bytes.length), number);
      assertEquals(Long.parseLong(number), Digits.value(bytes, 1, bytes.length), number);
    }
  }

  @Test
  void noDigitsEndsWhereItStarts() {
    byte[] bytes = ascii("ab#@ 12345678");
    for (int from = 0; from < 5; from++) {
      assertEquals(from, Digits.end(bytes, from, bytes.length));
    }
    assertEquals(0, Digits.value(bytes, 3, 3));
  }

  private static String number(Random random, int length) {
    StringBuilder digits = new StringBuilder().append((char) ('1' + random.nextInt(9)));
    while (digits.length() < length) {
      digits.append((char) ('0' + random.nextInt(10)));
    }
    return digits.toString();
  }

  private static byte[] notDigits() {
    byte[] bytes = new byte[256 - 10];
    int n = 0;
    for (int b = 0; b < 256; b++) {
      if (b < '0' || b > '9') {
        bytes[n++] = (byte) b;
      }
    }
    return bytes;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
