package chat;

import chat.bench.LoadTest;
import java.util.Arrays;

/**
 * The runnable jar's entry point: {@code java -jar pekko-chat.jar server|client|loadtest
 * [options]} starts the server, the client or the load generator, for machines without Maven.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    String what = args.length == 0 ? "" : args[0];
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    switch (what) {
      case "server" -> ServerApp.main(rest);
      case "client" -> ClientApp.main(rest);
      case "loadtest" -> LoadTest.main(rest);
      default -> {
        System.err.println("Usage: java -jar pekko-chat.jar server|client|loadtest [options]");
        System.exit(2);
      }
    }
  }
}
