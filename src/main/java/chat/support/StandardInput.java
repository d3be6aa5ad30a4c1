package chat.support;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletionException;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.SourceQueueWithComplete;
import org.apache.pekko.util.ByteString;

/**
 * Standard input as a stream of byte chunks. The blocking reads happen on a daemon thread of its
 * own, so a process whose standard input never ends can still shut down at once (a blocked read on
 * a Pekko dispatcher would hold up coordinated shutdown). Backpressure reaches the reader: it
 * waits while the stream is full.
 */
public final class StandardInput {

  private static final int CHUNK_BYTES = 8192;
  private static final int BUFFERED_CHUNKS = 4;

  private StandardInput() {}

  /** Chunks read from {@code in}; completes at end of input. Materialize it once. */
  public static Source<ByteString, NotUsed> source(InputStream in, String threadName) {
    return Source.<ByteString>queue(BUFFERED_CHUNKS, OverflowStrategy.backpressure())
        .mapMaterializedValue(
            queue -> {
              Thread reader = new Thread(() -> pump(in, queue), threadName);
              reader.setDaemon(true);
              reader.start();
              return NotUsed.notUsed();
            });
  }

  private static void pump(InputStream in, SourceQueueWithComplete<ByteString> queue) {
    byte[] buffer = new byte[CHUNK_BYTES];
    try {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        if (read > 0 && !offer(queue, ByteString.fromArray(buffer, 0, read))) {
          return; // the stream was cancelled: nobody wants more input
        }
      }
      queue.complete();
    } catch (IOException e) {
      queue.fail(e);
    }
  }

  private static boolean offer(SourceQueueWithComplete<ByteString> queue, ByteString chunk) {
    try {
      return queue.offer(chunk).toCompletableFuture().join() == QueueOfferResult.enqueued();
    } catch (CompletionException e) {
      return false; // the stream failed or completed while this chunk waited
    }
  }
}
