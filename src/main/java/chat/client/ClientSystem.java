package chat.client;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops the client's ActorSystem: it only runs the connection's stream, so its guardian
 * does nothing, and Pekko is kept quiet so that nothing but the chat reaches the user's terminal.
 */
public final class ClientSystem {

  private static final Logger log = LoggerFactory.getLogger(ClientSystem.class);
  private static final Duration TERMINATE_WAIT = Duration.ofSeconds(5);
  private static final Config QUIET =
      ConfigFactory.parseString("pekko.loglevel = \"ERROR\"\npekko.stdout-loglevel = \"OFF\"");

  private ClientSystem() {}

  /** A started system named {@code chat-client} with the given configuration, made quiet. */
  public static ActorSystem<Void> start(Config config) {
    return ActorSystem.create(Behaviors.empty(), "chat-client", QUIET.withFallback(config));
  }

  /** Terminates the system and waits a bounded time for it. */
  public static void stop(ActorSystem<?> system) {
    system.terminate();
    try {
      system
          .getWhenTerminated()
          .toCompletableFuture()
          .get(TERMINATE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.debug("The client's ActorSystem did not terminate cleanly", e);
    }
  }
}
