package chat.client.terminal;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jline.utils.AttributedString;

/**
 * One window of the terminal client: a room the user is in, or a private conversation with one
 * person. It keeps its own lines (the newest {@link #MAX_LINES}), how many came unread while the
 * user looked elsewhere and whether one of them mentions the user or is private (the hotlist),
 * where the unread ones begin, and how far the user has scrolled back. Plain state, owned by the
 * {@link WindowScreen} on the terminal's output thread.
 */
final class Window {

  enum Kind { ROOM, PRIVATE }

  /** Lines a window keeps; older ones go (a room's come back from the server on scrolling up). */
  static final int MAX_LINES = 5000;

  /**
   * One line of a window.
   *
   * @param text the line as shown, with its styles
   * @param indent the column its text starts at, where wrapped rows continue
   * @param day the local day it was said on, for the lines that mark a change of day
   * @param seq its number in the room (0: none, such as a join line)
   * @param counts whether it counts as unread (a chat line, an action, a private line)
   * @param highlight whether it mentions the user or is private
   */
  record Line(AttributedString text, int indent, LocalDate day, long seq, boolean counts,
      boolean highlight) {}

  final Kind kind;
  /** How the window is known: the room's key, or the other person's folded name. */
  String key;
  /** Its title: the room ({@code #dev}) or the person ({@code bob}), as last spelt. */
  String title;
  private final List<Line> lines = new ArrayList<>();
  private final Set<Long> seqs = new HashSet<>();
  private long newestSeq;
  private int unread;
  private boolean highlighted;
  /** The index of the first line that came while the user looked elsewhere; -1 for none. */
  private int marker = -1;
  /** Rows scrolled back from the newest; 0 follows the newest. */
  int scroll;
  /** Whether the room's first line (who is there, the topic) is shown: later entries are not. */
  boolean entered;
  /** The message number last asked for older ones before, so that each page is asked once. */
  long askedBefore = Long.MAX_VALUE;

  Window(Kind kind, String key, String title) {
    this.kind = kind;
    this.key = key;
    this.title = title;
  }

  /**
   * Adds a line: a line of history ({@code fromHistory}) already here is dropped, and one older
   * than the newest here goes in its place by number (a page fetched by scrolling up); any other
   * line goes last. Returns whether it went last (and so shows at the bottom).
   */
  boolean add(Line line, boolean fromHistory, boolean looking) {
    if (fromHistory && line.seq() > 0 && seqs.contains(line.seq())) {
      return false;
    }
    int at = lines.size();
    if (fromHistory && line.seq() > 0 && line.seq() < newestSeq) {
      at = 0;
      while (at < lines.size() && !(lines.get(at).seq() > line.seq())) {
        at++;
      }
    }
    newestSeq = Math.max(newestSeq, line.seq());
    lines.add(at, line);
    if (line.seq() > 0) {
      seqs.add(line.seq());
    }
    if (marker >= at) {
      marker++;
    }
    if (at < lines.size() - 1) {
      return false;
    }
    if (!looking) {
      if (marker < 0 && line.counts()) {
        marker = at;
      }
      if (line.counts()) {
        unread++;
        highlighted |= line.highlight();
      }
    }
    trim();
    return true;
  }

  private void trim() {
    while (lines.size() > MAX_LINES) {
      Line gone = lines.remove(0);
      seqs.remove(gone.seq());
      marker = marker > 0 ? marker - 1 : marker == 0 ? 0 : -1;
    }
  }

  /** The user looks at this window: its lines are read, the marker stays where they began. */
  void seen() {
    unread = 0;
    highlighted = false;
  }

  /** The user looks away: the next line to come starts the unread ones. */
  void left() {
    marker = -1;
    scroll = 0;
  }

  /** The lowest message number here, or {@code Long.MAX_VALUE} when none has one. */
  long oldestSeq() {
    return seqs.stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
  }

  List<Line> lines() {
    return lines;
  }

  int unread() {
    return unread;
  }

  boolean highlighted() {
    return highlighted;
  }

  int marker() {
    return marker;
  }
}
