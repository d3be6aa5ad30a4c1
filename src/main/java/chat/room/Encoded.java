package chat.room;

import chat.protocol.Event;
import chat.protocol.Mode;
import chat.protocol.ServerLines;
import org.apache.pekko.util.ByteString;

/**
 * An event on its way to many members: rendered at most once per mode, and the same bytes shared
 * by every member in that mode. {@link #line} encodes a line for one reader.
 */
public final class Encoded {

  private final Event event;
  private ByteString text;
  private ByteString json;

  Encoded(Event event) {
    this.event = event;
  }

  Event event() {
    return event;
  }

  ByteString bytes(Mode mode) {
    if (mode == Mode.JSON) {
      if (json == null) {
        json = encode(Mode.JSON);
      }
      return json;
    }
    if (text == null) {
      text = encode(Mode.TEXT);
    }
    return text;
  }

  private ByteString encode(Mode mode) {
    return line(event, mode, null);
  }

  /** The event as one line of bytes, newline included, for a connection in {@code mode}. */
  public static ByteString line(Event event, Mode mode, String viewer) {
    return ByteString.fromString(ServerLines.render(event, mode, viewer) + "\n");
  }
}
