package chat.room;

import chat.protocol.Event;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** One room: its members in the order they came, its topic and its history. */
final class Room {

  final String name;
  final Set<Member> members = new LinkedHashSet<>();
  final History history;
  String topic;

  Room(String name, RoomSettings settings) {
    this.name = name;
    this.history = new History(settings.historySize(), settings.historyBytes());
  }

  List<String> memberNames() {
    List<String> names = new ArrayList<>(members.size());
    members.forEach(member -> names.add(member.name));
    return names;
  }

  Event.RoomInfo info() {
    return new Event.RoomInfo(name, members.size(), topic);
  }
}
