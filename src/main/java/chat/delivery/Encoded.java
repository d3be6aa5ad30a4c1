package chat.delivery;

import chat.protocol.Event;
import chat.protocol.Mode;
import chat.protocol.ServerLines;
import org.apache.pekko.util.ByteString;

/**
 * An event on its way to many members: rendered at most once per {@link Form}, and the same bytes
 * shared by every member who reads it that way. {@link #line} encodes a line for one reader.
 */
public final class Encoded {

  /** How a member reads a room's line: in machine mode, or in text mode in or out of the room. */
  public enum Form {
    /** Text mode, the member's current room: the seed's lines, as they always were. */
    TEXT,
    /** Text mode, another of the member's rooms: the line carries the room, {@code [#dev] ...}. */
    TEXT_ELSEWHERE,
    JSON;

    /** How a member in {@code mode} whose current room is {@code current} reads {@code room}. */
    static Form of(Mode mode, boolean current) {
      return mode == Mode.JSON ? JSON : current ? TEXT : TEXT_ELSEWHERE;
    }
  }

  private final Event event;
  private final ByteString[] forms = new ByteString[Form.values().length];

  Encoded(Event event) {
    this.event = event;
  }

  Event event() {
    return event;
  }

  ByteString bytes(Form form) {
    ByteString bytes = forms[form.ordinal()];
    if (bytes == null) {
      bytes = line(event, form, null);
      forms[form.ordinal()] = bytes;
    }
    return bytes;
  }

  /** The event as one line of bytes, newline included, for a connection in {@code mode}. */
  public static ByteString line(Event event, Mode mode, String viewer) {
    return ByteString.fromString(ServerLines.render(event, mode, viewer) + "\n");
  }

  /** The event as one line of bytes, newline included, read in {@code form}. */
  static ByteString line(Event event, Form form, String viewer) {
    String text = switch (form) {
      case JSON -> ServerLines.render(event, Mode.JSON, viewer);
      case TEXT -> ServerLines.render(event, Mode.TEXT, viewer);
      case TEXT_ELSEWHERE -> ServerLines.renderElsewhere(event, viewer);
    };
    return ByteString.fromString(text + "\n");
  }
}
