package chat.protocol;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes events as the human sentences of text mode: the seed's lines for joins, leaves and chat,
 * and plain sentences for the rest. The server uses it for text-mode connections; the client for
 * what it prints, so both say the same things.
 */
public final class TextRenderer {

  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm");

  /** When someone connected, as {@code /whois} says it (in UTC). */
  private static final DateTimeFormatter SINCE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  /** How many of a crowd's names a line gives before "and N others". */
  private static final int CROWD_NAMES_SHOWN = 3;

  private final ZoneId zone;

  /** @param zone the time zone of the clock shown on history lines */
  public TextRenderer(ZoneId zone) {
    this.zone = zone;
  }

  /**
   * The line (without newline) that {@code viewer} sees for the event; the viewer matters only
   * for private messages, which read differently for their sender.
   */
  public String render(Event event, String viewer) {
    // Java 17 has no pattern matching in switch yet: one test per event type, in protocol order.
    if (!hasTextLine(event)) {
      throw new IllegalArgumentException("no text-mode line for " + event);
    } else if (event instanceof Event.Refused r) {
      return ServerLines.REFUSAL_PREFIX + " " + r.reason();
    } else if (event instanceof Event.Joined j) {
      return j.name() + (j.moved() ? " has joined " + j.room() + "." : " has joined the chat.");
    } else if (event instanceof Event.Left l) {
      return left(l);
    } else if (event instanceof Event.Joins j) {
      return crowd(j.names()) + (j.names().size() == 1 ? " has" : " have") + " joined the chat.";
    } else if (event instanceof Event.Leaves l) {
      return crowd(l.names()) + " " + (l.how() == Event.Departure.PARTED
          ? "left " + l.room() + "." : gone(l.how(), l.names().size() == 1));
    } else if (event instanceof Event.Chat c) {
      return historyMark(c.history(), c.time()) + c.from() + ": " + c.text();
    } else if (event instanceof Event.Action a) {
      return historyMark(a.history(), a.time()) + "* " + a.from() + " " + a.text();
    } else if (event instanceof Event.Private p) {
      return privateLine(p, viewer);
    } else if (event instanceof Event.Renamed n) {
      return n.old() + " is now known as " + n.name() + ".";
    } else if (event instanceof Event.Topic t) {
      return topic(t);
    } else if (event instanceof Event.Entered e) {
      return (e.current() ? "You are now in " : "You are also in ") + e.room() + " ("
          + e.members().size() + " here: " + String.join(", ", e.members()) + ").";
    } else if (event instanceof Event.Who w) {
      return who(w);
    } else if (event instanceof Event.RoomList l) {
      return "Rooms (" + l.rooms().size() + "): "
          + l.rooms().stream().map(TextRenderer::roomInfo).collect(Collectors.joining(", "));
    } else if (event instanceof Event.Gap g) {
      return g.lost() == 1
          ? "1 message in " + g.room() + " was lost while you were away."
          : g.lost() + " messages in " + g.room() + " were lost while you were away.";
    } else if (event instanceof Event.Found f) {
      return "[" + f.room() + " " + f.seq() + " " + clock(f.time()) + "] "
          + (f.action() ? "* " + f.from() + " " : f.from() + ": ") + f.text();
    } else if (event instanceof Event.Missed m) {
      return m.lines() == 1
          ? "You missed 1 line: you were not reading fast enough."
          : "You missed " + m.lines() + " lines: you were not reading fast enough.";
    } else if (event instanceof Event.Throttled t) {
      return ServerLines.ERROR_PREFIX + " You are sending too fast; that line was not sent. "
          + "Send again in " + seconds(t.retryAfterMs()) + ".";
    } else if (event instanceof Event.Announcement a) {
      return "[server] " + a.text();
    } else if (event instanceof Event.Info i) {
      return i.text();
    } else if (event instanceof Event.Error e) {
      return ServerLines.ERROR_PREFIX + " " + e.text();
    } else if (event instanceof Event.Shutdown) {
      return ServerLines.SERVER_SHUTDOWN;
    } else if (event instanceof Event.Moving m) {
      return "This server is leaving the chat, which goes on at: " + String.join(", ", m.nodes())
          + ".";
    } else if (event instanceof Event.Marked m) {
      return m.away() == null
          ? "You are no longer marked as away." : "You are marked as away: " + m.away();
    } else if (event instanceof Event.Away a) {
      return a.name() + " is away: " + a.text();
    } else if (event instanceof Event.Whois w) {
      return whois(w);
    }
    throw new IllegalArgumentException("unknown event " + event);
  }

  /**
   * The line for a member whose current room is not the event's: a room's chat, action, notices,
   * topic and gaps carry the room in brackets, so that a member of several rooms sees where each
   * line was said. Other lines read as {@link #render} has them.
   */
  public String renderElsewhere(Event event, String viewer) {
    String room = roomOf(event);
    String line = render(event, viewer);
    return room == null ? line : "[" + room + "] " + line;
  }

  /** The room whose traffic the event is (chat, notices, topic, gap), or null for anything else. */
  public static String roomOf(Event event) {
    if (event instanceof Event.Message message) {
      return message.room();
    } else if (event instanceof Event.Joined joined) {
      return joined.room();
    } else if (event instanceof Event.Left left) {
      return left.room();
    } else if (event instanceof Event.Joins joins) {
      return joins.room();
    } else if (event instanceof Event.Leaves leaves) {
      return leaves.room();
    } else if (event instanceof Event.Renamed renamed) {
      return renamed.room();
    } else if (event instanceof Event.Topic topic) {
      return topic.room();
    } else if (event instanceof Event.Gap gap) {
      return gap.room();
    }
    return null;
  }

  /**
   * Whether the event has a text-mode line: all but the {@link Event.Welcome}, which the server
   * sends in machine mode only (in text mode the own join line says the join succeeded).
   */
  public static boolean hasTextLine(Event event) {
    return !(event instanceof Event.Welcome);
  }

  /** One person's leave: as a crowd of one, but why they were kicked, or where they parted. */
  private static String left(Event.Left left) {
    if (left.how() == Event.Departure.KICKED && left.detail() != null) {
      return left.name() + " was kicked: " + left.detail();
    }
    if (left.how() == Event.Departure.PARTED) {
      return left.name() + " left " + left.room()
          + (left.detail() == null ? "." : " (" + left.detail() + ").");
    }
    return left.name() + " " + gone(left.how(), true);
  }

  /** How people left, after their names; {@code one} when they are one person. */
  private static String gone(Event.Departure how, boolean one) {
    return switch (how) {
      case QUIT, CLOSED -> "left the chat.";
      case LOST -> (one ? "has" : "have") + " disconnected unexpectedly.";
      case KICKED -> (one ? "was" : "were") + " kicked.";
      case SLOW -> (one ? "was" : "were") + " disconnected for not keeping up with the chat.";
      case FLOODING -> (one ? "was" : "were") + " disconnected for flooding.";
      case PARTED -> "left the room.";
    };
  }

  /** A crowd's names for people: "a", "a and b", "a, b and c", "a, b, c and 2 others". */
  private static String crowd(List<String> names) {
    int shown = Math.min(names.size(), CROWD_NAMES_SHOWN);
    int others = names.size() - shown;
    if (others > 0) {
      return String.join(", ", names.subList(0, shown))
          + " and " + others + (others == 1 ? " other" : " others");
    }
    return shown <= 1
        ? String.join("", names)
        : String.join(", ", names.subList(0, shown - 1)) + " and " + names.get(shown - 1);
  }

  private static String privateLine(Event.Private message, String viewer) {
    boolean toViewer = Names.same(viewer, message.to());
    String mark = toViewer ? "[private] " : "[private to " + message.to() + "] ";
    return mark + message.from() + ": " + message.text();
  }

  private static String topic(Event.Topic topic) {
    if (topic.by() != null) {
      return topic.by() + " set the topic of " + topic.room() + ": " + topic.text();
    }
    return topic.text() == null
        ? topic.room() + " has no topic."
        : "Topic of " + topic.room() + ": " + topic.text();
  }

  /**
   * Who is in a room, or online: everybody once, with the rooms each is in ({@code alice
   * (#lobby, #dev)}).
   */
  public static String who(Event.Who who) {
    if (who.room() != null && who.members().isEmpty()) {
      return "No one is in " + who.room() + ".";
    }
    if (who.room() != null) {
      return "In " + who.room() + " (" + who.members().size() + "): "
          + who.members().stream()
              .map(member -> member.away() == null
                  ? member.name() : member.name() + " (" + away(member) + ")")
              .collect(Collectors.joining(", "));
    }
    Map<String, List<String>> rooms = new LinkedHashMap<>();
    Map<String, String> away = new LinkedHashMap<>();
    who.members().forEach(member -> {
      rooms.computeIfAbsent(member.name(), name -> new ArrayList<>()).add(member.room());
      if (member.away() != null) {
        away.putIfAbsent(member.name(), away(member));
      }
    });
    return "Online (" + rooms.size() + "): "
        + rooms.entrySet().stream()
            .map(entry -> entry.getKey() + " (" + String.join(", ", entry.getValue())
                + (away.containsKey(entry.getKey()) ? "; " + away.get(entry.getKey()) : "") + ")")
            .collect(Collectors.joining(", "));
  }

  private static String away(Event.Presence member) {
    return "away: " + member.away();
  }

  /**
   * Who someone is: {@code bob is in #dev, #lobby; connected since 2026-12-07 10:00 UTC; away:
   * lunch}. The time is in UTC whatever the viewer's zone, and says so; the away text, which may
   * hold anything, comes last.
   */
  private static String whois(Event.Whois whois) {
    String rooms =
        whois.rooms().isEmpty() ? "in no room" : "in " + String.join(", ", whois.rooms());
    return whois.name() + " is " + rooms + "; connected since "
        + SINCE.format(Instant.ofEpochMilli(whois.since()).atZone(ZoneOffset.UTC)) + " UTC"
        + (whois.away() == null ? "" : "; away: " + whois.away());
  }

  /** A room in a list: {@code #dev (3)}, {@code #dev (3, yours)}, {@code #dev (3, current)}. */
  private static String roomInfo(Event.RoomInfo room) {
    String mark = Boolean.TRUE.equals(room.current()) ? ", current"
        : Boolean.TRUE.equals(room.member()) ? ", yours" : "";
    return room.room() + " (" + room.members() + mark + ")";
  }

  /** Milliseconds as seconds for people: "0.4 s", "2 s". */
  private static String seconds(long millis) {
    long tenths = Math.max(1, (millis + 99) / 100);
    return tenths % 10 == 0 ? tenths / 10 + " s" : tenths / 10 + "." + tenths % 10 + " s";
  }

  private String historyMark(boolean history, long time) {
    return history ? "[history " + clock(time) + "] " : "";
  }

  private String clock(long time) {
    return CLOCK.format(Instant.ofEpochMilli(time).atZone(zone));
  }
}
