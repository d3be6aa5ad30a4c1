package chat.room;

import chat.protocol.ClientLines;
import chat.protocol.Commands;
import chat.protocol.Event;
import chat.protocol.Mode;
import chat.protocol.Names;
import chat.protocol.RoomNames;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What members say and ask, carried out on the {@link ChatRoom}'s state: chat, actions, private
 * messages, renames, room moves, topics, history and who-is-where. Runs inside the ChatRoom actor
 * and only there; plain code so each command reads on its own.
 */
final class Conversations {

  private final ChatRoom chat;

  Conversations(ChatRoom chat) {
    this.chat = chat;
  }

  void perform(Member member, ClientLines.AfterJoin request) {
    if (request instanceof ClientLines.Say say) {
      post(member, say.text(), false);
      return;
    } else if (request instanceof Commands.Me me) {
      post(member, me.text(), true);
      return;
    }
    // Anything else may reach a member at once: pending posts go first.
    chat.flushPending();
    if (request instanceof Commands.Msg msg) {
      privateMessage(member, msg);
    } else if (request instanceof Commands.Nick nick) {
      rename(member, nick.name());
    } else if (request instanceof Commands.JoinRoom join) {
      move(member, join.room());
    } else if (request instanceof Commands.Topic topic) {
      topic(member, topic.text());
    } else if (request instanceof Commands.History history) {
      history(member, history.count());
    } else if (request instanceof Commands.Who who) {
      Room only = who.everyone() ? null : member.room;
      member.send(new Event.Who(ChatRoom.now(), only == null ? null : only.name, chat.presences(only)));
    } else if (request == Commands.ListRooms.INSTANCE) {
      member.send(new Event.RoomList(ChatRoom.now(), chat.roomInfos()));
    } else if (request == Commands.Help.INSTANCE) {
      Commands.HELP.forEach(line -> member.send(new Event.Info(ChatRoom.now(), line)));
    } else if (request instanceof Commands.Invalid invalid) {
      error(member, invalid.message());
    } else if (request instanceof ClientLines.Answered answered) {
      member.send(answered.reply());
    }
  }

  /** Machine mode's first line after a join: who you are, where, and your token. */
  void welcome(Member member) {
    if (member.mode == Mode.JSON) {
      member.send(new Event.Welcome(ChatRoom.now(), member.name, member.room.name, member.token));
    }
  }

  /**
   * What a member gets on coming into its room: in machine mode (or after a move) who is there, the
   * topic, and then the messages it missed since {@code after}, or the last few.
   */
  void arrive(Member member, OptionalLong after, boolean moved) {
    Room room = member.room;
    long lastSeq = room.history.lastSeq();
    if (member.mode == Mode.JSON || moved) {
      member.send(new Event.Entered(ChatRoom.now(), room.name, room.memberNames(), room.topic, lastSeq));
    }
    if (member.mode == Mode.TEXT && room.topic != null) {
      member.send(new Event.Topic(ChatRoom.now(), room.name, room.topic, null));
    }
    if (after.isPresent() && after.getAsLong() <= lastSeq) {
      History.Replay replay = room.history.since(after.getAsLong());
      if (replay.lost() > 0) {
        member.send(new Event.Gap(ChatRoom.now(), room.name, replay.lost()));
      }
      sendAll(member, replay.messages());
      return;
    }
    if (after.isPresent()) {
      member.send(new Event.Info(ChatRoom.now(), "The numbering of " + room.name
          + " started again (the server restarted?); here are its latest messages."));
    }
    sendAll(member, room.history.last(chat.settings().historyOnJoin()));
  }

  /** Sends messages in order, stopping at the first the member's outbox cannot take. */
  private static void sendAll(Member member, List<Event.Message> messages) {
    for (Event.Message message : messages) {
      if (!member.send(message)) {
        return;
      }
    }
  }

  /**
   * Sends the event to every member of the room, encoded once per mode. The {@code sender}, if
   * any, gets it only in machine mode, where it confirms what was sent and its number.
   */
  void fanOut(Room room, Event event, Member sender) {
    Encoded encoded = new Encoded(event);
    for (Member member : room.members) {
      if (member != sender || member.mode == Mode.JSON) {
        member.send(encoded);
      }
    }
  }

  private void post(Member member, String text, boolean action) {
    Room room = member.room;
    long seq = room.history.nextSeq();
    long time = ChatRoom.now();
    Event.Message message =
        action
            ? new Event.Action(time, room.name, seq, member.name, text, false)
            : new Event.Chat(time, room.name, seq, member.name, text, false);
    room.history.add(message);
    chat.counted();
    chat.pending(room, new Encoded(message), member);
  }

  private void privateMessage(Member member, Commands.Msg msg) {
    Optional<Member> target = chat.member(msg.to());
    if (target.isEmpty()) {
      error(member, "No one called '" + msg.to() + "' is online. Type /who * to see who is.");
      return;
    }
    Event.Private message =
        new Event.Private(ChatRoom.now(), member.name, target.get().name, msg.text());
    target.get().send(message);
    if (target.get() != member) {
      member.send(message);
    }
    chat.counted();
  }

  private void rename(Member member, String newName) {
    String old = member.name;
    if (old.equals(newName)) {
      error(member, "You are already called " + old + ".");
    } else {
      chat.rename(member, newName).ifPresentOrElse(
          holder -> error(member, Names.takenBecauseOf(newName, holder)),
          () -> fanOut(member.room,
              new Event.Renamed(ChatRoom.now(), member.room.name, old, newName), null));
    }
  }

  private void move(Member member, String roomName) {
    if (RoomNames.key(roomName).equals(RoomNames.key(member.room.name))) {
      error(member, "You are already in " + member.room.name + ".");
      return;
    }
    Room to = chat.room(roomName);
    if (to == null) {
      error(member, ChatRoom.noRoomFor(roomName) + "; join one of /rooms.");
      return;
    }
    relocate(member, to);
    member.send(new Event.Joined(ChatRoom.now(), to.name, member.name, true));
    arrive(member, OptionalLong.empty(), true);
  }

  /**
   * Moves the member, telling the room it leaves and the others in the room it comes into; what
   * the member itself is told is the caller's choice.
   */
  void relocate(Member member, Room to) {
    Room from = member.room;
    from.members.remove(member);
    fanOut(from, new Event.Left(ChatRoom.now(), from.name, member.name, Event.Departure.MOVED, to.name), null);
    chat.forgetIfUnused(from);
    member.room = to;
    Encoded joined = new Encoded(new Event.Joined(ChatRoom.now(), to.name, member.name, true));
    to.members.forEach(other -> other.send(joined));
    to.members.add(member);
  }

  private void topic(Member member, Optional<String> text) {
    Room room = member.room;
    if (text.isEmpty()) {
      member.send(new Event.Topic(ChatRoom.now(), room.name, room.topic, null));
      return;
    }
    int max = chat.settings().maxTopicLength();
    if (text.get().codePointCount(0, text.get().length()) > max) {
      error(member, "A topic can be at most " + max + " characters long.");
      return;
    }
    room.topic = text.get();
    fanOut(room, new Event.Topic(ChatRoom.now(), room.name, room.topic, member.name), null);
  }

  private void history(Member member, int count) {
    List<Event.Message> messages = member.room.history.last(count);
    if (messages.isEmpty()) {
      member.send(new Event.Info(ChatRoom.now(), "No messages in " + member.room.name + " yet."));
    }
    sendAll(member, messages);
  }

  private static void error(Member member, String text) {
    member.send(new Event.Error(ChatRoom.now(), text));
  }
}
