package chat.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Recognises the server lines a load-test client cares about, in text or machine mode: its own
 * join, a refusal, an error, the shutdown notice, and chat lines carrying a {@link Message}.
 * Works on raw bytes, so the many lines a run reads are never turned into strings.
 */
final class ServerLine {

  /** What a line is, as far as a load-test client is concerned. */
  enum Kind { JOINED, REFUSED, ERROR, SHUTDOWN, OTHER }

  /** Machine mode or text mode: what the clients ask for in their {@code JOIN:} line. */
  enum Mode { TEXT, JSON }

  private static final byte[] TEXT_REFUSED = ascii("SET_USERNAME:");
  private static final byte[] TEXT_ERROR = ascii("ERROR:");
  private static final byte[] TEXT_SHUTDOWN = ascii("!server_shutdown");
  private static final byte[] JSON_WELCOME = ascii("{\"type\":\"welcome\"");
  private static final byte[] JSON_REFUSED = ascii("{\"type\":\"refused\"");
  private static final byte[] JSON_ERROR = ascii("{\"type\":\"error\"");
  private static final byte[] JSON_SHUTDOWN = ascii("{\"type\":\"shutdown\"");
  private static final byte[] JSON_CHAT = ascii("{\"type\":\"chat\"");
  private static final byte[] JSON_TEXT = ascii("\"text\":\"");
  private static final byte[] JSON_HISTORY = ascii("\"history\":true");
  private static final byte[] ROOM_END = ascii("] ");

  private final Mode mode;
  private final Message messages;
  private final byte[] runPrefix;
  /** What a join line adds to be in every room of the run, the lobby the current one. */
  private final String roomOptions;

  /** @param rooms the rooms every client is in, the lobby first */
  ServerLine(Mode mode, Message messages, List<String> rooms) {
    this.mode = mode;
    this.messages = messages;
    this.runPrefix = messages.prefix();
    this.roomOptions = rooms.size() == 1 ? "" : " room=" + rooms.get(0) + " after="
        + rooms.stream().skip(1).map(room -> room + ":0").collect(Collectors.joining(","));
  }

  /** The line a client sends to join as {@code name}, newline included. */
  byte[] joinRequest(String name) {
    return ascii("JOIN:" + name + (mode == Mode.JSON ? " mode=json" : "") + roomOptions + "\n");
  }

  /** What tells {@code name} in text mode that its join succeeded. */
  static byte[] ownJoinLine(String name) {
    return ascii(name + " has joined the chat.");
  }

  /**
   * Classifies a line that is not a chat message of this run.
   *
   * @param ownJoin the client's {@link #ownJoinLine}, for text mode
   */
  Kind classify(byte[] bytes, int offset, int length, byte[] ownJoin) {
    int end = offset + length;
    if (mode == Mode.JSON) {
      return Message.startsWith(bytes, offset, end, JSON_WELCOME) ? Kind.JOINED
          : Message.startsWith(bytes, offset, end, JSON_REFUSED) ? Kind.REFUSED
          : Message.startsWith(bytes, offset, end, JSON_ERROR) ? Kind.ERROR
          : Message.startsWith(bytes, offset, end, JSON_SHUTDOWN) ? Kind.SHUTDOWN
          : Kind.OTHER;
    }
    return length == ownJoin.length && Message.startsWith(bytes, offset, end, ownJoin) ? Kind.JOINED
        : Message.startsWith(bytes, offset, end, TEXT_REFUSED) ? Kind.REFUSED
        : Message.startsWith(bytes, offset, end, TEXT_ERROR) ? Kind.ERROR
        : Message.startsWith(bytes, offset, end, TEXT_SHUTDOWN) ? Kind.SHUTDOWN
        : Kind.OTHER;
  }

  /**
   * Hands {@code to} the message a live chat line carries: {@code <from>: <text>} in text mode, a
   * {@code chat} object in machine mode.
   *
   * @return false for any other line, replayed history and other runs' lines among them
   */
  boolean chat(byte[] bytes, int offset, int length, Message.Receiver to) {
    int end = offset + length;
    if (mode == Mode.TEXT) {
      // A line of a room other than the current one starts with the room: "[#load-2] ".
      if (length > 2 && bytes[offset] == '[' && bytes[offset + 1] == '#') {
        int close = indexOf(bytes, offset, end, ROOM_END);
        offset = close < 0 ? offset : close + ROOM_END.length;
      }
      // History lines start with "[history", so only live lines start with a name of this run.
      if (!Message.startsWith(bytes, offset, end, runPrefix)) {
        return false;
      }
      int colon = indexOf(bytes, offset + runPrefix.length, end, (byte) ':');
      if (colon < 0 || colon + 1 >= end || bytes[colon + 1] != ' ') {
        return false;
      }
      return messages.parse(bytes, colon + 2, end, to);
    }
    if (!Message.startsWith(bytes, offset, end, JSON_CHAT)) {
      return false;
    }
    int text = indexOf(bytes, offset + JSON_CHAT.length, end, JSON_TEXT);
    if (text < 0) {
      return false;
    }
    int textStart = text + JSON_TEXT.length;
    int quote = indexOf(bytes, textStart, end, (byte) '"');
    // The server writes the history flag after the text. (Clients of a run all join before it
    // sends, so replayed history never holds this run's messages anyway.)
    if (quote < 0 || indexOf(bytes, quote, end, JSON_HISTORY) >= 0) {
      return false;
    }
    return messages.parse(bytes, textStart, quote, to);
  }

  private static int indexOf(byte[] bytes, int from, int end, byte wanted) {
    for (int i = from; i < end; i++) {
      if (bytes[i] == wanted) {
        return i;
      }
    }
    return -1;
  }

  private static int indexOf(byte[] bytes, int from, int end, byte[] wanted) {
    byte first = wanted[0];
    for (int i = from; i <= end - wanted.length; i++) {
      if (bytes[i] == first && Message.startsWith(bytes, i, end, wanted)) {
        return i;
      }
    }
    return -1;
  }

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
