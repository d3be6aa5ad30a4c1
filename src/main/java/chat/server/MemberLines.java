package chat.server;

import chat.names.NameRegistry;
import chat.protocol.ClientLines;
import chat.protocol.Commands;
import chat.protocol.Event;
import chat.protocol.Names;
import chat.room.ChatRoom;
import chat.room.RoomDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.pekko.actor.typed.Behavior;

/**
 * What a joined client's lines become, in the order sent: lines for a room go to that room, those
 * in a row for one room together; the session's own answers, and what needs the registry or the
 * directory, wait until the lines before them have been handled, so that every answer keeps its
 * place. While it waits, the stream waits too. Plain code of the {@link Session}'s, run on its
 * thread only.
 */
final class MemberLines {

  /** What the next line needs: a room, an answer, a question elsewhere, or to end. */
  private sealed interface Step {}

  /** A request for one of the member's rooms. */
  private record ForRoom(Membership.Room room, ClientLines.AfterJoin request) implements Step {}

  /** An answer the session gives itself. */
  private record Answer(List<Event> events) implements Step {}

  /** A line that needs someone else's answer first. */
  private record Ask(ClientLines.AfterJoin request) implements Step {}

  /** The client leaves. */
  private record Depart(ChatRoom.Departure how, Event farewell) implements Step {}

  /** The member marks itself away with {@code text}, or (null) back. */
  private record MarkAway(String text) implements Step {}

  private static final String IN_NO_ROOM =
      "You are in no room; /join #<room> to chat there (/rooms lists them).";

  private final Session session;
  /** Requests for one room, not sent yet. */
  private Membership.Room groupRoom;
  /** Made at the first group: a member who only listens never needs it. */
  private List<ClientLines.AfterJoin> group;
  /** A step that waits for the group before it to be handled. */
  private Step deferred;
  /** What is awaited before the next line: a room's acknowledgement, or an answer. */
  private Object awaiting;
  /** The key of the room the last group went to. */
  private String sentTo;
  /** The recipient of the private message awaited is away: said after the message's echo. */
  private NameRegistry.IsAway awayAfterEcho;

  MemberLines(Session session) {
    this.session = session;
  }

  /**
   * Handles the backlog's lines until one needs to wait. Once the client's input has ended and
   * every line it sent is handled (or on its way to its room, ahead of the leave), it leaves.
   *
   * @return the next phase if the client leaves, else null
   */
  Behavior<Session.Command> drain() {
    while (awaiting == null) {
      Step step = deferred != null ? deferred : next();
      deferred = null;
      if (step == null) {
        break;
      }
      if (step instanceof ForRoom forRoom && (groupRoom == null || groupRoom == forRoom.room())) {
        if (forRoom.request() instanceof Commands.JoinRoom) {
          // The room becomes the current one as its turn comes, after the lines before.
          session.makeCurrent(forRoom.room().name());
        }
        groupRoom = forRoom.room();
        if (group == null) {
          group = new ArrayList<>();
        }
        group.add(forRoom.request());
        continue;
      }
      if (groupRoom != null && !(step instanceof Depart)) {
        deferred = step;
        awaitGroup();
        return null;
      }
      Behavior<Session.Command> next = carryOut(step);
      if (next != null) {
        return next;
      }
    }
    if (awaiting == null) {
      if (groupRoom != null && session.roomsMayMove()) {
        awaitGroup();
        return null;
      } else if (groupRoom != null) {
        sendGroup(session.takeStreamAck());
      } else {
        session.ackStream();
      }
      if (session.inputEnded()) {
        return session.leave(ChatRoom.Departure.CLOSED, null, null);
      }
    }
    return null;
  }

  /** What is awaited is a group's acknowledgement. */
  private static final Object GROUP = "group";

  private void sendGroup(org.apache.pekko.actor.typed.ActorRef<ChatRoom.Processed> ackTo) {
    sentTo = groupRoom.key();
    groupRoom.link().tell(new ChatRoom.Perform(member().id, session.parts().delivery(),
        List.copyOf(group), ackTo));
    groupRoom = null;
    group.clear();
  }

  /**
   * Sends the group and waits for its room's acknowledgement; where rooms move between nodes
   * (a cluster), for so long at most: a room handed over as its node stops may drop it.
   */
  private void awaitGroup() {
    sendGroup(session.groupDone());
    awaiting = GROUP;
    if (session.roomsMayMove()) {
      session.expectGroupDone();
    }
  }

  Behavior<Session.Command> groupDone() {
    if (awaiting != GROUP) {
      return null; // it came after the wait for it had ended
    }
    awaiting = null;
    return drain();
  }

  /**
   * A room restarted or moved: a group sent to it and not acknowledged yet will not be (it went
   * to the actor that stopped).
   */
  Behavior<Session.Command> roomRestarted(String key) {
    return key.equals(sentTo) ? groupLost() : null;
  }

  /** A room did not acknowledge the member's lines in time: they may not have been taken. */
  Behavior<Session.Command> groupLost() {
    if (awaiting != GROUP) {
      return null;
    }
    session.tell(Session.error(GROUP_LOST));
    awaiting = null;
    return drain();
  }

  static final String GROUP_LOST = "The room did not confirm your last lines in time (it may be"
      + " moving to another server): they may not have been sent.";

  /** The next line as a step; null when the backlog is empty. */
  private Step next() {
    LineFraming.Frame frame = session.backlog().poll();
    if (frame == null) {
      return null;
    }
    ClientLines.AfterJoin parsed =
        frame instanceof LineFraming.Line line ? ClientLines.parseAfterJoin(line.text()) : null;
    if (parsed == ClientLines.Quit.INSTANCE) {
      return new Depart(ChatRoom.Departure.QUIT, null);
    }
    if (parsed == ClientLines.Blank.INSTANCE) {
      return next();
    }
    LineAdmission.Verdict verdict = session.admission().check(frame, System.nanoTime());
    if (verdict instanceof LineAdmission.Refuse refuse) {
      return new Answer(List.of(refuse.answer()));
    }
    if (verdict == LineAdmission.Flooding.INSTANCE) {
      return new Depart(ChatRoom.Departure.FLOODING, session.floodingFarewell());
    }
    return route(parsed);
  }

  /** Where a parsed line goes. */
  private Step route(ClientLines.AfterJoin request) {
    Membership member = member();
    if (request instanceof ClientLines.Say || request instanceof Commands.Me
        || request instanceof Commands.Topic || request instanceof Commands.History) {
      return member.currentRoom() == null ? error(IN_NO_ROOM)
          : new ForRoom(member.currentRoom(), request);
    }
    if (request instanceof Commands.SayTo say) {
      Membership.Room room = member.room(say.room());
      return room == null ? error(notIn(say.room())) : new ForRoom(room, request);
    }
    if (request instanceof Commands.Search search) {
      Membership.Room room =
          search.room().isPresent() ? member.room(search.room().get()) : member.currentRoom();
      return room != null ? new ForRoom(room, request)
          : search.room().isPresent() ? error(notIn(search.room().get())) : error(IN_NO_ROOM);
    }
    if (request instanceof Commands.Who who && !who.everyone()) {
      Membership.Room room =
          who.room().isPresent() ? member.room(who.room().get()) : member.currentRoom();
      if (room != null) {
        return new ForRoom(room, request);
      }
      return who.room().isPresent() ? new Ask(request) : error(IN_NO_ROOM);
    }
    if (request instanceof Commands.JoinRoom join) {
      return joinRoom(join);
    }
    if (request instanceof Commands.Away away) {
      return markAway(away.text().orElse(null));
    }
    if (request instanceof Commands.Part part) {
      String room = part.room().orElse(member.current());
      return room == null ? error(IN_NO_ROOM)
          : member.room(room) == null ? error(notIn(room)) : new Ask(request);
    }
    if (request == Commands.Help.INSTANCE) {
      return new Answer(Commands.HELP.stream()
          .<Event>map(line -> new Event.Info(Session.now(), line)).toList());
    }
    if (request instanceof Commands.Invalid invalid) {
      return error(invalid.message());
    }
    if (request instanceof ClientLines.Answered answered) {
      return new Answer(List.of(answered.reply()));
    }
    return new Ask(request);
  }

  private Step joinRoom(Commands.JoinRoom join) {
    Membership member = member();
    Membership.Room room = member.room(join.room());
    if (room != null && member.isCurrent(join.room())) {
      return error("You are already in " + room.name() + ".");
    }
    if (room != null) {
      return new ForRoom(room, join);
    }
    int most = session.settings().room().maxRoomsPerMember();
    if (member.rooms().size() >= most) {
      return error(tooManyRooms(most));
    }
    return new Ask(join);
  }

  /** An away text is held to a topic's length limit. */
  private Step markAway(String text) {
    int max = session.settings().room().maxTopicLength();
    if (text != null && text.codePointCount(0, text.length()) > max) {
      return error("An away text can be at most " + max + " characters long.");
    }
    return new MarkAway(text);
  }

  /** Carries out a step that is not for a room's group; the next phase if the client leaves. */
  private Behavior<Session.Command> carryOut(Step step) {
    if (step instanceof Answer answer) {
      session.tell(answer.events());
    } else if (step instanceof Depart depart) {
      if (groupRoom != null) {
        // The lines before it go first: each room handles them before the member's leave.
        sendGroup(session.takeStreamAck());
      }
      return session.leave(depart.how(), null, depart.farewell());
    } else if (step instanceof Ask ask) {
      awaiting = ask.request();
      ask(ask.request());
    } else if (step instanceof MarkAway mark) {
      Membership member = member();
      member.markAway(mark.text());
      member.rooms().forEach(room ->
          room.link().tell(new ChatRoom.MarkAway(member.id, mark.text())));
      session.tell(new Event.Marked(Session.now(), mark.text()));
    }
    return null;
  }

  /** Asks the registry, the directory or a room what the request needs. */
  private void ask(ClientLines.AfterJoin request) {
    Membership member = member();
    Session.Parts parts = session.parts();
    if (request instanceof Commands.Msg msg) {
      parts.names().tell(new NameRegistry.SendPrivate(
          new Event.Private(Session.now(), member.name, msg.to(), msg.text()),
          session.replies().narrow()));
    } else if (request instanceof Commands.Whois whois) {
      session.whois(whois.name());
    } else if (request instanceof Commands.Nick nick) {
      parts.names().tell(new NameRegistry.Rename(member.id, nick.name(),
          session.replies().narrow()));
    } else if (request instanceof Commands.Who who && who.everyone()) {
      parts.rooms().tell(new RoomDirectory.Everyone(session.replies().narrow()));
    } else if (request instanceof Commands.Who who) {
      parts.rooms().tell(new RoomDirectory.Who(who.room().orElseThrow(),
          session.replies().narrow()));
    } else if (request == Commands.ListRooms.INSTANCE) {
      parts.rooms().tell(new RoomDirectory.ListRooms(session.replies().narrow()));
    } else if (request instanceof Commands.JoinRoom join) {
      // Current first: the room's first lines read as the current room's.
      session.makeCurrent(join.room());
      parts.rooms().tell(new RoomDirectory.Join(join.room(),
          session.join(ChatRoom.Arrival.ADDED, OptionalLong.empty(), true)));
    } else if (request instanceof Commands.Part part) {
      Membership.Room room = member.room(part.room().orElse(member.current()));
      room.link().tell(new ChatRoom.Leave(member.id, ChatRoom.Departure.PARTED,
          part.reason().orElse(null), session.replies().narrow()));
    }
  }

  /** An answer to what was asked; the lines after it go on. Anything else is ignored. */
  Behavior<Session.Command> answered(Object answer) {
    Object asked = awaiting;
    if (asked == null || asked == GROUP) {
      return null;
    }
    awaiting = null;
    Membership member = member();
    if (answer instanceof NameRegistry.SendReply reply && asked instanceof Commands.Msg msg) {
      sent(reply, msg);
    } else if (answer instanceof NameRegistry.WhoisReply reply && asked instanceof Commands.Whois) {
      session.tell(reply instanceof NameRegistry.Described described ? described.whois()
          : notOnline(((NameRegistry.NotOnline) reply).name()));
    } else if (answer instanceof NameRegistry.ClaimReply reply) {
      renamed(reply);
    } else if (answer instanceof ChatRoom.Members members) {
      session.tell(new Event.Who(Session.now(), members.room(), members.presences()));
    } else if (answer instanceof RoomDirectory.Presences presences) {
      session.tell(new Event.Who(Session.now(), null, presences.members()));
    } else if (answer instanceof RoomDirectory.Rooms rooms) {
      session.tell(new Event.RoomList(Session.now(), rooms.rooms().stream()
          .map(room -> mark(room, member)).toList()));
    } else if (answer instanceof ChatRoom.Joined joined) {
      session.entered(joined.room(), joined.ref(), joined.link(session.system()));
    } else if (answer instanceof ChatRoom.JoinRejected rejected) {
      session.makeCurrent(member.lastRoom());
      session.tell(Session.error(rejected.reason() + "; join one of /rooms."));
    } else if (answer instanceof ChatRoom.Left left) {
      parted(left.room());
    }
    return drain();
  }

  private void sent(NameRegistry.SendReply reply, Commands.Msg msg) {
    Membership member = member();
    if (reply instanceof NameRegistry.NotOnline notOnline) {
      session.tell(notOnline(notOnline.name()));
    } else if (!Names.same(((NameRegistry.Sent) reply).name(), member.name)) {
      session.tell(new Event.Private(Session.now(), member.name,
          ((NameRegistry.Sent) reply).name(), msg.text()));
    }
    if (awayAfterEcho != null) {
      isAway(awayAfterEcho);
    }
  }

  /**
   * The recipient of a private message is away: the sender is told so, after the message's echo
   * if that is still awaited (the recipient's session may answer before the registry does).
   */
  void isAway(NameRegistry.IsAway away) {
    awayAfterEcho = null;
    if (awaiting instanceof Commands.Msg msg && Names.same(msg.to(), away.name())) {
      awayAfterEcho = away;
      return;
    }
    session.tell(new Event.Away(Session.now(), away.name(), away.text()));
  }

  private static Event notOnline(String name) {
    return Session.error("No one called '" + name + "' is online. Type /who * to see who is.");
  }

  private void renamed(NameRegistry.ClaimReply reply) {
    Membership member = member();
    if (reply instanceof NameRegistry.Refused refused) {
      session.tell(Session.error(refused.reason()));
      return;
    }
    NameRegistry.RenamedTo renamed = (NameRegistry.RenamedTo) reply;
    member.name = renamed.name();
    session.parts().delivery().tell(new chat.delivery.Delivery.Renamed(member.id, member.name));
    member.rooms().forEach(room ->
        room.link().tell(new ChatRoom.Rename(member.id, member.name)));
    if (member.rooms().isEmpty()) {
      session.tell(new Event.Info(Session.now(), "You are now known as " + member.name + "."));
    }
  }

  /** The member left a room; its current one, if that was it, is the room it joined last. */
  private void parted(String room) {
    Membership member = member();
    boolean wasCurrent = member.isCurrent(room);
    member.left(room);
    if (!wasCurrent) {
      return;
    }
    String next = member.lastRoom();
    session.makeCurrent(next);
    if (next == null) {
      session.tell(new Event.Info(Session.now(), IN_NO_ROOM));
    } else {
      deferred = new ForRoom(member.room(next), new Commands.JoinRoom(next));
    }
  }

  private static Event.RoomInfo mark(Event.RoomInfo room, Membership member) {
    boolean mine = member.room(room.room()) != null;
    return new Event.RoomInfo(room.room(), room.members(), room.topic(), mine ? Boolean.TRUE : null,
        mine && member.isCurrent(room.room()) ? Boolean.TRUE : null);
  }

  static String tooManyRooms(int most) {
    return "You are in " + most + " rooms, the most one may be in; /part one first.";
  }

  private static String notIn(String room) {
    return "You are not in " + room + "; /join " + room + " first.";
  }

  private static Answer error(String text) {
    return new Answer(List.of(Session.error(text)));
  }

  private Membership member() {
    return session.member();
  }
}
