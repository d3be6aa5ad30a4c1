package chat.bench;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The sending side: which clients send, and when. Paced at a total rate spread round-robin over
 * the senders, or as fast as each sender's window allows: a sender sends only while fewer than
 * {@code window} of its messages have not yet reached its witness (another chosen client).
 */
final class Traffic {

  private static final int OUTPUT_BYTES = 64 * 1024;

  private final List<Client> senders;
  private final int[] witness;
  private final Message messages;
  private final int size;
  private final double rate;
  private final int window;
  private final long[] nextSeq;
  private final long[] acked;
  /** For each room posted in, what a line for it starts with; none for the current room. */
  private final byte[][] says;
  private long sent;
  private long measuredSent;
  private long startNanos;
  private int turn;
  private boolean blocked;

  /**
   * Makes clients 0 to {@code options.senders() - 1} the senders, each with a witness among the
   * joined clients that neither send nor are slow.
   *
   * @throws Driver.Failed if a sender did not join, or no witness did
   */
  static Traffic plan(Client[] clients, LoadOptions options, IntPredicate slow, Message messages) {
    List<Client> senders = new ArrayList<>();
    List<Integer> readers = new ArrayList<>();
    for (int i = 0; i < clients.length; i++) {
      boolean joined = clients[i] != null && clients[i].state() == Client.State.JOINED;
      if (i < options.senders()) {
        if (!joined) {
          throw new Driver.Failed("sender " + i + " did not join, so it cannot send");
        }
        senders.add(clients[i]);
      } else if (joined && !slow.test(i)) {
        readers.add(i);
      }
    }
    if (readers.isEmpty()) {
      throw new Driver.Failed("no receiver joined, so nothing can be measured");
    }
    int[] witness = new int[senders.size()];
    Arrays.setAll(witness, slot -> readers.get(slot % readers.size()));
    List<String> rooms = options.spread() ? options.rooms() : options.rooms().subList(0, 1);
    return new Traffic(senders, witness, messages, options.size(), options.rate(),
        options.window(), rooms);
  }

  /**
   * @param witness for each sender, the client index whose receipts open its window
   * @param rate total messages per second, or 0 for as fast as the window allows
   * @param rooms the rooms to post in, in turn: the first is the senders' current one
   */
  Traffic(List<Client> senders, int[] witness, Message messages, int size, double rate,
      int window, List<String> rooms) {
    this.says = new byte[rooms.size()][];
    for (int room = 1; room < rooms.size(); room++) {
      says[room] = ServerLine.ascii("/say " + rooms.get(room) + " ");
    }
    this.senders = List.copyOf(senders);
    this.witness = witness.clone();
    this.messages = messages;
    this.size = size;
    this.rate = rate;
    this.window = window;
    this.nextSeq = new long[senders.size()];
    this.acked = new long[senders.size()];
    Arrays.fill(acked, -1);
    senders.forEach(sender -> sender.allocateOutput(OUTPUT_BYTES));
  }

  /** For each of {@code clients} client indexes, its place among the senders, or -1. */
  int[] senderSlots(int clients) {
    int[] slots = new int[clients];
    Arrays.fill(slots, -1);
    for (int slot = 0; slot < senders.size(); slot++) {
      slots[senders.get(slot).index] = slot;
    }
    return slots;
  }

  /** How many rooms each sender posts in, in turn: message {@code seq} goes to {@code seq % rooms}. */
  int rooms() {
    return says.length;
  }

  /** Starts the clock that paced sending counts from. */
  void start(long now) {
    startNanos = now;
  }

  /** Client index of the witness of sender {@code slot}. */
  int witness(int slot) {
    return witness[slot];
  }

  /** Notes that the witness of sender {@code slot} got its message {@code seq}. */
  void acked(int slot, long seq) {
    acked[slot] = Math.max(acked[slot], seq);
  }

  /**
   * Sends what is due at {@code now}, counting the messages sent in the measured window of
   * {@code deliveries}. Nothing is sent once {@code now} reaches {@code windowEnd}.
   */
  void pump(long now, Deliveries deliveries, long windowEnd) {
    if (now >= windowEnd) {
      return;
    }
    if (rate > 0) {
      long due = (long) ((now - startNanos) * rate / 1e9) + 1 - sent;
      for (int tried = 0; due > 0 && tried < senders.size(); ) {
        if (send(turn, now, deliveries)) {
          due--;
          tried = 0;
        } else {
          tried++;
        }
        turn = (turn + 1) % senders.size();
      }
      blocked = due > 0;
    } else {
      for (int slot = 0; slot < senders.size(); slot++) {
        while (nextSeq[slot] - 1 - acked[slot] < window && send(slot, now, deliveries)) {
          // Fill the window; one write below sends the lot.
        }
      }
    }
    for (Client sender : senders) {
      if (sender.state() != Client.State.CLOSED && sender.output().position() > 0) {
        sender.flush();
      }
      // Paced messages are overdue only while every sender's socket is full: then wait for the
      // selector to say one is writable, rather than spin.
      if (sender.state() == Client.State.JOINED && sender.output().position() == 0) {
        blocked = false;
      }
    }
  }

  /** Nanos until the next paced message is due, or {@code idle} when not pacing or blocked. */
  long untilNext(long now, long idle) {
    if (rate <= 0 || blocked) {
      return idle;
    }
    // Message k (from 0) is due at k / rate: the next one, number sent, at sent / rate.
    long nextAt = startNanos + (long) Math.ceil(sent / rate * 1e9);
    return Math.max(0, nextAt - now);
  }

  /** Messages sent in the measured window. */
  long measuredSent() {
    return measuredSent;
  }

  /** Messages sent in all. */
  long sent() {
    return sent;
  }

  private boolean send(int slot, long now, Deliveries deliveries) {
    Client sender = senders.get(slot);
    if (sender.state() != Client.State.JOINED) {
      return false;
    }
    ByteBuffer out = sender.output();
    byte[] say = says[(int) (nextSeq[slot] % says.length)];
    int start = out.position();
    if (say != null && out.remaining() > say.length) {
      out.put(say);
    }
    if ((say != null && out.position() == start)
        || !messages.encode(out, sender.index, nextSeq[slot], now, size)) {
      out.position(start);
      return false;
    }
    nextSeq[slot]++;
    sent++;
    if (deliveries.inWindow(now)) {
      measuredSent++;
    }
    return true;
  }
}
