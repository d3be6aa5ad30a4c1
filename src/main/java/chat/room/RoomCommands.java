package chat.room;

import chat.delivery.Delivery;
import chat.protocol.ClientLines;
import chat.protocol.Commands;
import chat.protocol.Event;
import chat.protocol.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What members say and ask of one room, and what they are shown on coming in: chat, actions,
 * topics, history, who is here. Runs inside the {@link ChatRoom} actor and only there; plain code
 * so each command reads on its own.
 */
final class RoomCommands {

  /** What a member is told when the server failed to carry out its line. */
  static final String FAILED =
      "The server could not carry out that line (a fault on its side, logged for the operator).";

  private final ChatRoom room;

  RoomCommands(ChatRoom room) {
    this.room = room;
  }

  /**
   * Carries out one request; a bug it runs into fails that request alone: its sender is told, the
   * others chat on, and the room keeps its members and history.
   */
  void performAlone(ChatRoom.RoomMember member, ClientLines.AfterJoin request) {
    try {
      perform(member, request);
    } catch (RuntimeException e) {
      room.log().error("Failed to carry out a line from [{}]", member.name, e);
      try {
        room.tell(member, List.of(new Event.Error(ChatRoom.now(), FAILED)));
      } catch (RuntimeException again) {
        room.log().error("Failed to tell [{}] so", member.name, again);
      }
    }
  }

  private void perform(ChatRoom.RoomMember member, ClientLines.AfterJoin request) {
    if (request instanceof ClientLines.Say say) {
      room.post(member, say.text(), false);
    } else if (request instanceof Commands.SayTo say) {
      room.post(member, say.text(), false);
    } else if (request instanceof Commands.Me me) {
      room.post(member, me.text(), true);
    } else if (request instanceof Commands.Topic topic) {
      topic(member, topic.text());
    } else if (request instanceof Commands.History history && history.before().isPresent()) {
      page(member, history.before().getAsLong(), history.count());
    } else if (request instanceof Commands.History history) {
      history(member, history.count());
    } else if (request instanceof Commands.Search search) {
      search(member, new SearchTerms(search.words()));
    } else if (request instanceof Commands.Who) {
      room.tell(member, List.of(new Event.Who(ChatRoom.now(), room.name(),
          room.members().presences())));
    } else if (request instanceof Commands.JoinRoom) {
      enter(member);
    }
  }

  /**
   * What a member coming in gets at once, before anything the room says after it: its own join
   * line, in machine mode (or when it joins a further room) who is here, the topic, and then the
   * messages it missed since {@code after}, or the last few.
   */
  void arrive(ChatRoom.RoomMember member, ChatRoom.Arrival arrival, OptionalLong after,
      boolean current, Older older) {
    List<Event> lines = new ArrayList<>();
    if (arrival == ChatRoom.Arrival.REJOINED) {
      // Back unseen: only what it missed while the room restarted or moved, if anything.
      if (after.isEmpty()) {
        return;
      }
      replay(after, older, lines);
      if (!lines.isEmpty()) {
        room.welcome(member, to(member, lines));
      }
      return;
    }
    if (arrival != ChatRoom.Arrival.RESUMED) {
      lines.add(new Event.Joined(ChatRoom.now(), room.name(), member.name,
          arrival == ChatRoom.Arrival.ADDED));
    }
    shown(member, arrival == ChatRoom.Arrival.ADDED, current, lines);
    replay(after, older, lines);
    room.welcome(member, to(member, lines));
  }

  /**
   * A new connection of a member already here: from now on its lines go there, starting with its
   * own join line, who is here and what it missed since {@code after}.
   */
  void resume(ChatRoom.RoomMember member, OptionalLong after, boolean current, Older older) {
    List<Event> lines = new ArrayList<>();
    lines.add(new Event.Joined(ChatRoom.now(), room.name(), member.name, false));
    shown(member, false, current, lines);
    replay(after, older, lines);
    List<Delivery.Entry> entries = new ArrayList<>();
    entries.add(new Delivery.Enter(member.id));
    entries.addAll(to(member, lines));
    room.welcome(member, entries);
  }

  /** The member makes this room, which it is in, its current one: who is here, and the topic. */
  void enter(ChatRoom.RoomMember member) {
    List<Event> lines = new ArrayList<>();
    shown(member, true, true, lines);
    room.tell(member, lines);
  }

  /**
   * Who is here (in machine mode, or when asked) and the topic; {@code current}: the room is the
   * member's current one now.
   */
  private void shown(
      ChatRoom.RoomMember member, boolean asked, boolean current, List<Event> lines) {
    RoomStore.Record record = room.record();
    String topic = record.topic().orElse(null);
    if (member.mode == Mode.JSON || asked) {
      lines.add(new Event.Entered(ChatRoom.now(), room.name(), room.members().names(), topic,
          record.history().lastSeq(), current));
    }
    if (member.mode == Mode.TEXT && topic != null) {
      lines.add(new Event.Topic(ChatRoom.now(), room.name(), topic, null));
    }
  }

  /**
   * Messages missed that the memory no longer holds, read from the database from number {@code
   * from} on (those before it, if any, were not read: too many).
   */
  record Older(long from, List<Event.Message> messages) {
    static final Older NONE = new Older(Long.MAX_VALUE, List.of());
  }

  /**
   * The messages missed since {@code after} (those the memory no longer holds from {@code
   * older}), or, without one, the last few.
   */
  private void replay(OptionalLong after, Older older, List<Event> lines) {
    History history = room.record().history();
    long lastSeq = history.lastSeq();
    if (after.isPresent() && after.getAsLong() <= lastSeq) {
      long seen = after.getAsLong();
      History.Replay replay = history.since(seen);
      long firstHeld = history.firstHeld();
      // What a purge took away since the read began is gone, not to be sent: it counts as lost.
      long kept = Math.max(seen, room.purgedUpTo());
      List<Event.Message> read = older.messages().stream()
          .filter(message -> message.seq() > kept && message.seq() < firstHeld)
          .map(Event.Message::asHistory)
          .toList();
      long notRead =
          older == Older.NONE ? 0 : Math.max(0, Math.min(older.from(), firstHeld) - kept - 1);
      if (notRead > 0) {
        lines.add(new Event.Info(ChatRoom.now(), notRead + " earlier message"
            + (notRead == 1 ? "" : "s") + " of " + room.name() + " came while you were away;"
            + " /history before " + (kept + notRead + 1) + " shows "
            + (notRead == 1 ? "it." : "them.")));
      }
      long lost = replay.lost() - read.size() - notRead;
      if (lost > 0) {
        lines.add(new Event.Gap(ChatRoom.now(), room.name(), lost));
      }
      lines.addAll(read);
      lines.addAll(replay.messages());
      return;
    }
    if (after.isPresent()) {
      lines.add(new Event.Info(ChatRoom.now(), "The numbering of " + room.name()
          + " started again (its history was lost: kept in memory over a restart, or wiped);"
          + " here are its latest messages."));
    }
    lines.addAll(history.last(room.settings().historyOnJoin()));
  }

  private static List<Delivery.Entry> to(ChatRoom.RoomMember member, List<Event> lines) {
    return lines.stream().<Delivery.Entry>map(line -> new Delivery.To(member.id, line)).toList();
  }

  private void topic(ChatRoom.RoomMember member, Optional<String> text) {
    RoomStore.Record record = room.record();
    if (text.isEmpty()) {
      room.tell(member, List.of(
          new Event.Topic(ChatRoom.now(), room.name(), record.topic().orElse(null), null)));
      return;
    }
    int max = room.settings().maxTopicLength();
    if (text.get().codePointCount(0, text.get().length()) > max) {
      error(member, "A topic can be at most " + max + " characters long.");
      return;
    }
    room.topic(member, text.get());
  }

  private void history(ChatRoom.RoomMember member, int count) {
    List<Event> messages = new ArrayList<>(room.record().history().last(count));
    if (messages.isEmpty()) {
      messages.add(new Event.Info(ChatRoom.now(), "No messages in " + room.name() + " yet."));
    }
    room.tell(member, messages);
  }

  /**
   * A page of older messages: from memory when it holds them all, else from the database (a room
   * in memory has nothing older than what it holds).
   */
  private void page(ChatRoom.RoomMember member, long before, int count) {
    History.Page page = room.record().history().before(before, count);
    String name = room.name();
    if (page.complete() || !room.durable()) {
      room.tell(member, pageLines(name, before, page.messages()));
    } else {
      room.pageFromStore(before, count, messages -> pageLines(name, before, messages));
    }
  }

  private static List<Event> pageLines(String room, long before, List<Event.Message> messages) {
    return messages.isEmpty()
        ? List.of(new Event.Info(ChatRoom.now(), "No messages in " + room + " before " + before
            + "."))
        : List.copyOf(messages);
  }

  /** The newest messages with all the words: in memory, or among the database's newest. */
  private void search(ChatRoom.RoomMember member, SearchTerms terms) {
    String name = room.name();
    if (terms.isEmpty()) {
      error(member, "Nothing to search for in \"" + terms.words() + "\": give words with"
          + " letters or digits.");
      return;
    }
    if (room.durable()) {
      long scanned = Math.min(SearchTerms.MAX_SCANNED, room.storedMessages());
      room.searchStore(terms, found -> searchLines(name, terms, found, scanned));
    } else {
      History history = room.record().history();
      room.tell(member, searchLines(name, terms, history.search(terms, SearchTerms.MAX_RESULTS),
          history.size()));
    }
  }

  private static List<Event> searchLines(
      String room, SearchTerms terms, List<Event.Message> found, long scanned) {
    List<Event> lines = new ArrayList<>();
    if (scanned == 0) {
      lines.add(new Event.Info(ChatRoom.now(), "No messages in " + room + " to search."));
      return lines;
    }
    if (found.isEmpty()) {
      lines.add(new Event.Info(ChatRoom.now(), "Nothing in " + room + " has \"" + terms.words()
          + "\" (searched its last " + scanned + " messages)."));
      return lines;
    }
    lines.add(new Event.Info(ChatRoom.now(), "Found in " + room + " for \"" + terms.words()
        + "\", newest first (" + found.size() + (found.size() == SearchTerms.MAX_RESULTS
        ? ", the most shown" : "") + "):"));
    found.forEach(message -> lines.add(Event.Found.of(message)));
    return lines;
  }

  private void error(ChatRoom.RoomMember member, String text) {
    room.tell(member, List.of(new Event.Error(ChatRoom.now(), text)));
  }
}
