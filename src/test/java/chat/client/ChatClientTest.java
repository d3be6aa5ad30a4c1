package chat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import chat.testing.FakeServer;
import chat.testing.LineClient;
import java.net.ConnectException;
import java.io.UncheckedIOException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LogCapturingExtension.class)
class ChatClientTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  @Test
  void linesAreSentOneEachAndTheirEndHalfCloses() throws Exception {
    try (FakeServer server = new FakeServer()) {
      Source<String, ?> lines = Source.from(List.of("hello", "world", "\u00e9t\u00e9"));
      ChatClient client =
          ChatClient.connect(testKit.system(), server.settings(), lines, line -> {});
      try (LineClient connection = server.accept()) {
        assertEquals("hello", connection.readLine());
        assertEquals("world", connection.readLine());
        assertEquals("\u00e9t\u00e9", connection.readLine());
        assertNull(connection.readLine(), "the end of the lines half-closes the connection");
        connection.close();
        await(client.closed());
      }
    }
  }

  @Test
  void abortCutsTheConnectionAndFailsClosed() throws Exception {
    try (FakeServer server = new FakeServer()) {
      ChatClient client =
          ChatClient.connect(testKit.system(), server.settings(), Source.never(), line -> {});
      try (LineClient connection = server.accept()) {
        await(client.connected());
        client.abort();
        assertThrows(ExecutionException.class, () -> await(client.closed()));
        assertThrows(UncheckedIOException.class, connection::readLine, "reset by the client");
      }
    }
  }

  @Test
  void incomingLinesReachTheListenerInOrderWithoutCarriageReturns() throws Exception {
    try (FakeServer server = new FakeServer()) {
      TestProbe<String> lines = testKit.createTestProbe();
      ChatClient client =
          ChatClient.connect(
              testKit.system(), server.settings(), Source.maybe(), lines.ref()::tell);
      await(client.connected());
      try (LineClient connection = server.accept()) {
        connection.write("alice has joined the chat.\r\nbob: hi\nbob: there\r");
        connection.write("\nbob left the chat.\n");
      }
      lines.expectMessage("alice has joined the chat.");
      lines.expectMessage("bob: hi");
      lines.expectMessage("bob: there");
      lines.expectMessage("bob left the chat.");
      await(client.closed());
      lines.expectNoMessage(Duration.ofMillis(100));
    }
  }

  @Test
  void aLastLineWithoutNewlineIsDeliveredWhenTheServerCloses() throws Exception {
    try (FakeServer server = new FakeServer()) {
      TestProbe<String> lines = testKit.createTestProbe();
      ChatClient client =
          ChatClient.connect(
              testKit.system(), server.settings(), Source.maybe(), lines.ref()::tell);
      try (LineClient connection = server.accept()) {
        connection.write("!server_shutdown");
      }
      lines.expectMessage("!server_shutdown");
      await(client.closed());
    }
  }

  @Test
  void refusedConnectionFailsWithOneClearLine() throws Exception {
    int port = FakeServer.closedPort();
    ClientSettings settings = new ClientSettings("127.0.0.1", port, 4096);
    ChatClient client = ChatClient.connect(testKit.system(), settings, Source.maybe(), line -> {});
    ExecutionException connectFailure =
        assertThrows(ExecutionException.class, () -> await(client.connected()));
    assertInstanceOf(ConnectException.class, connectFailure.getCause());
    assertEquals(
        "Cannot connect to 127.0.0.1:" + port + ": Connection refused",
        connectFailure.getCause().getMessage());
    ExecutionException closeFailure =
        assertThrows(ExecutionException.class, () -> await(client.closed()));
    assertInstanceOf(ConnectException.class, closeFailure.getCause());
  }

  @Test
  void connectFailureIsExplainedByItsRootCause() {
    RuntimeException unknownHost =
        new RuntimeException(
            "Tcp command [Connect(nosuch.invalid:5555)] failed because of"
                + " java.net.UnknownHostException",
            new UnknownHostException("nosuch.invalid"));
    assertEquals("unknown host", ChatClient.reason(unknownHost));
    RuntimeException timedOut =
        new RuntimeException(
            "Tcp command failed", new ConnectException("Connect timeout of 10 seconds expired"));
    assertEquals("Connect timeout of 10 seconds expired", ChatClient.reason(timedOut));
  }

  @Test
  void resetConnectionFailsClosed() throws Exception {
    try (FakeServer server = new FakeServer()) {
      ChatClient client =
          ChatClient.connect(testKit.system(), server.settings(), Source.maybe(), line -> {});
      server.accept().reset();
      assertThrows(ExecutionException.class, () -> await(client.closed()));
    }
  }

  @Test
  void serverClosingCompletesClosedWhileTheClientStillTypes() throws Exception {
    try (FakeServer server = new FakeServer()) {
      ChatClient client =
          ChatClient.connect(testKit.system(), server.settings(), Source.never(), line -> {});
      server.accept().close();
      await(client.closed());
    }
  }

  static <T> T await(CompletionStage<T> stage) throws Exception {
    CompletableFuture<T> future = stage.toCompletableFuture();
    return future.get(FakeServer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }
}
