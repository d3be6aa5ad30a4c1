package chat.client.terminal;

import chat.client.Conversation;
import chat.protocol.Event;
import chat.protocol.Names;
import chat.protocol.Text;
import chat.protocol.TextRenderer;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * Writes events as terminal lines: chat lines start with their local time ({@code HH:mm}), each
 * name has a colour of its own picked from a hash of the name, the user's own name stands out
 * where others mention it, private messages are set apart, history is dimmed, errors are red.
 * With colour off the same text comes without colour, mentions in bold. Used by {@link
 * TerminalSession}; all text from the network is cleaned of control characters here.
 */
public final class StyledRenderer {

  /**
   * The colours of names on a terminal of 256 colours: 14 hues around the colour wheel, each with
   * a contrast of at least 3.3 to 1 against black and against white, so that every name reads on
   * dark and light backgrounds alike (xterm's 256-colour cube indices).
   */
  static final int[] PALETTE =
      {160, 166, 130, 136, 64, 28, 29, 30, 32, 26, 62, 98, 128, 162};

  /** On a terminal of 8 or 16 colours: the basic ones but magenta, kept for private messages. */
  static final int[] BASIC_PALETTE = {
    AttributedStyle.CYAN,
    AttributedStyle.GREEN,
    AttributedStyle.YELLOW,
    AttributedStyle.BLUE,
    AttributedStyle.RED,
    AttributedStyle.BLUE | AttributedStyle.BRIGHT
  };

  /** The time format unless {@code chat.client.time-format} says another. */
  public static final String DEFAULT_TIME_FORMAT = "HH:mm";

  private static final AttributedStyle PLAIN = AttributedStyle.DEFAULT;
  private static final AttributedStyle TIME = PLAIN.foreground(AttributedStyle.BRIGHT);
  private static final AttributedStyle PRIVATE = PLAIN.foreground(AttributedStyle.MAGENTA);
  private static final AttributedStyle ERROR = PLAIN.foreground(AttributedStyle.RED).bold();
  private static final AttributedStyle NOTICE = PLAIN.foreground(AttributedStyle.YELLOW);
  private static final AttributedStyle MENTION = PLAIN.bold().inverse();
  /** A room tag reads like the time: context, not content. */
  private static final AttributedStyle ROOM = TIME;

  private final boolean color;
  private final int[] palette;
  private final ZoneId zone;
  private final DateTimeFormatter clock;
  private final TextRenderer text;

  /**
   * A line as a window shows it: its text, and the column where its text starts (after the time
   * and the name), where its wrapped rows continue.
   */
  public record Styled(AttributedString text, int indent) {}

  /**
   * @param color whether lines are coloured; without colour, a mention is still bold
   * @param colors how many colours the terminal shows (its {@code max_colors})
   */
  public StyledRenderer(boolean color, int colors, ZoneId zone) {
    this(color, colors, zone, DateTimeFormatter.ofPattern(DEFAULT_TIME_FORMAT));
  }

  /** @param clock how each line's time is written ({@code chat.client.time-format}) */
  public StyledRenderer(boolean color, int colors, ZoneId zone, DateTimeFormatter clock) {
    this.color = color;
    this.palette = colors >= 256 ? PALETTE : BASIC_PALETTE;
    this.zone = zone;
    this.clock = clock;
    this.text = new TextRenderer(zone);
  }

  /**
   * The line for an event in a window: every line starts with its time (a join as much as a chat
   * line), and no line names its room, which the window does.
   */
  public Styled windowLine(Event event, Conversation.Origin origin, String me) {
    Line line = line(event, origin, me);
    return line.indent < 0 ? timed(line.builder.toAttributedString(), event.time())
        : new Styled(line.builder.toAttributedString(), line.indent);
  }

  /** A line of the client's own in a window, with the time it was said. */
  public Styled timed(AttributedString said, long millis) {
    Line timed = new Line(PLAIN).time(millis);
    int indent = timed.builder.columnLength();
    timed.builder.append(said);
    return new Styled(timed.builder.toAttributedString(), indent);
  }

  /** The time of day as lines show it. */
  private String clock(long millis) {
    return clock.format(Instant.ofEpochMilli(millis).atZone(zone));
  }

  /** The colour of a name, the same every time and for every spelling that is the same name. */
  int colorOf(String name) {
    return palette[Math.floorMod(Names.fold(name).hashCode(), palette.length)];
  }

  /** The line for an event, as {@code me} sees it; {@code origin} matters for room messages. */
  public AttributedString render(Event event, Conversation.Origin origin, String me) {
    return line(event, origin, me).builder.toAttributedString();
  }

  private Line line(Event event, Conversation.Origin origin, String me) {
    AttributedStyle base = origin == Conversation.Origin.HISTORY ? PLAIN.faint() : PLAIN;
    Line line = new Line(base);
    if (event instanceof Event.Chat chat) {
      line.time(chat.time()).name(chat.from(), me).plain(": ").said(chat.text(), chat.from(), me);
    } else if (event instanceof Event.Action action) {
      line.time(action.time()).plain("* ").name(action.from(), me).plain(" ");
      line.said(action.text(), action.from(), me);
    } else if (event instanceof Event.Private message) {
      boolean toMe = Names.same(me, message.to());
      String mark = toMe ? "[private]" : "[private to " + message.to() + "]";
      line.time(message.time()).styled(mark, PRIVATE.bold()).plain(" ");
      line.name(message.from(), me).styled(": ", PRIVATE);
      line.said(message.text(), message.from(), me, PRIVATE);
    } else if (event instanceof Event.Error || event instanceof Event.Refused
        || event instanceof Event.Throttled) {
      line.styled(text.render(event, me), ERROR);
    } else if (event instanceof Event.Announcement || event instanceof Event.Gap
        || event instanceof Event.Missed) {
      line.styled(text.render(event, me), NOTICE.bold());
    } else {
      line.plain(text.render(event, me));
    }
    return line;
  }

  /**
   * The line for an event as {@code me} sees it: a line of a room other than the current one
   * starts with the room.
   */
  public AttributedString render(Event event, Conversation.Origin origin, Conversation.Me me) {
    AttributedString line = render(event, origin, me.name());
    if (me.readsAsCurrent(event)) {
      return line;
    }
    Line tagged = new Line(PLAIN).styled("[" + TextRenderer.roomOf(event) + "]", ROOM).plain(" ");
    tagged.builder.append(line);
    return tagged.builder.toAttributedString();
  }

  /** Something the client itself says about the connection. */
  public AttributedString notice(String message) {
    return new Line(PLAIN).styled(message, NOTICE).builder.toAttributedString();
  }

  /** A warning the user must not miss, such as a server's changed certificate. */
  public AttributedString warning(String message) {
    return new Line(PLAIN).styled(message, ERROR).builder.toAttributedString();
  }

  /** A line without style, such as help, or a server line that is no known event. */
  public AttributedString plain(String message) {
    return new Line(PLAIN).plain(message).builder.toAttributedString();
  }

  /** Builds one line; every piece of text is cleaned, every style dropped with colour off. */
  private final class Line {
    final AttributedStringBuilder builder = new AttributedStringBuilder();
    final AttributedStyle base;
    /** The column where the said text starts; -1 for a line with no one's words. */
    int indent = -1;

    Line(AttributedStyle base) {
      this.base = base;
    }

    Line time(long millis) {
      return styled(clock(millis), TIME).plain(" ");
    }

    Line name(String name, String me) {
      AttributedStyle style = PLAIN.foreground(colorOf(name));
      return styled(name, isSame(name, me) ? style.bold() : style);
    }

    Line said(String said, String from, String me) {
      return said(said, from, me, PLAIN);
    }

    /** Message text, with the user's own name highlighted where someone else mentions it. */
    Line said(String said, String from, String me, AttributedStyle style) {
      indent = builder.columnLength();
      String clean = Text.clean(said);
      if (me == null || me.isEmpty() || isSame(from, me)) {
        return styled(clean, style);
      }
      int start = 0;
      for (int at = mention(clean, me, 0); at >= 0; at = mention(clean, me, at + me.length())) {
        styled(clean.substring(start, at), style);
        styled(clean.substring(at, at + me.length()), MENTION);
        start = at + me.length();
      }
      return styled(clean.substring(start), style);
    }

    Line plain(String piece) {
      return styled(piece, PLAIN);
    }

    Line styled(String piece, AttributedStyle style) {
      AttributedStyle combined = base == PLAIN ? style : style.faint();
      // Without colour a mention is still marked: bold is no colour (no-color.org).
      AttributedStyle shown = color ? combined : style == MENTION ? PLAIN.bold() : PLAIN;
      builder.styled(shown, Text.clean(piece));
      return this;
    }
  }

  private static boolean isSame(String name, String me) {
    return Names.same(name, me);
  }

  /** Where {@code name} stands as a word of its own in {@code text}, from {@code from}; or -1. */
  static int mention(String text, String name, int from) {
    for (int at = from; at + name.length() <= text.length(); at++) {
      if (text.regionMatches(true, at, name, 0, name.length())
          && !isNamePart(text, at - 1)
          && !isNamePart(text, at + name.length())) {
        return at;
      }
    }
    return -1;
  }

  /** Whether the character at {@code index} would continue a name ({@code .} ends sentences). */
  private static boolean isNamePart(String text, int index) {
    if (index < 0 || index >= text.length()) {
      return false;
    }
    char c = text.charAt(index);
    return Character.isLetterOrDigit(c) || c == '_' || c == '-';
  }
}
