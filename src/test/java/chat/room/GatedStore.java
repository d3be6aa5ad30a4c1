package chat.room;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A store that can hold a room: once {@link #close} is called, a room that reads its topic waits
 * until {@link #open}, so that what the test sends it meanwhile is handled together, as under
 * load (waits at most 10 seconds); and that can fail a room, as a bug would: once {@link
 * #failTopics} is called, reading a topic throws; after {@link #failNextRecovery}, a room on a
 * journal fails once as it takes what it read.
 */
final class GatedStore implements RoomStore {

  private final MemoryRoomStore inner;
  private volatile CountDownLatch gate = new CountDownLatch(0);
  private volatile boolean failing;
  private volatile boolean failRecovery;

  GatedStore(RoomSettings settings) {
    this.inner = new MemoryRoomStore(settings);
  }

  void close() {
    gate = new CountDownLatch(1);
  }

  void open() {
    gate.countDown();
  }

  void failTopics(boolean fail) {
    failing = fail;
  }

  /** The next room that has read its journal fails as it takes what it read. */
  void failNextRecovery() {
    failRecovery = true;
  }

  private void pass() {
    try {
      gate.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public Record open(String name) {
    return gated(inner.open(name));
  }

  @Override
  public Optional<Record> find(String key) {
    return inner.find(key).map(this::gated);
  }

  @Override
  public void forget(String key) {
    inner.forget(key);
  }

  @Override
  public List<Record> records() {
    return inner.records();
  }

  private Record gated(Record record) {
    return new Record() {
      @Override
      public String name() {
        return record.name();
      }

      @Override
      public History history() {
        return record.history();
      }

      @Override
      public Optional<String> topic() {
        pass();
        if (failing) {
          throw new IllegalStateException("a fault the test planted");
        }
        return record.topic();
      }

      @Override
      public void topic(String topic) {
        record.topic(topic);
      }

      @Override
      public boolean stored() {
        return record.stored();
      }

      @Override
      public void stored(boolean stored) {
        if (!stored && failRecovery) {
          failRecovery = false;
          throw new IllegalStateException("a fault the test planted in the recovery");
        }
        record.stored(stored);
      }
    };
  }
}
