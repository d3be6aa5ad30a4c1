package chat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The generator against a stand-in server that refuses one join and answers with errors. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoadTestRefusalTest {

  @TempDir Path dir;

  @Test
  void refusalsAndErrorLinesAreCountedAndReported() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      listener.setSoTimeout(5_000);
      CompletableFuture<Void> server = CompletableFuture.runAsync(() -> serve(listener, 3));
      Path json = dir.resolve("report.json");
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = LoadTest.run(
          new String[] {"conns", "--clients", "3", "--duration", "0.3s",
              "--port", Integer.toString(listener.getLocalPort()), "--json", json.toString()},
          new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
      server.get(10, TimeUnit.SECONDS);

      assertEquals(1, code, err.toString(StandardCharsets.UTF_8));
      JsonNode report = new ObjectMapper().readTree(json.toFile());
      assertEquals(2, report.get("joins").get("joined").asInt());
      assertEquals(1, report.get("joins").get("refused").asInt());
      assertEquals(1, report.get("refusals")
          .get("SET_USERNAME: Username 'x' is already taken.").asLong());
      assertEquals(2, report.get("serverErrors").get("ERROR: Slow down.").asLong());
      assertTrue(report.get("warnings").get(0).asText().contains("only 2 of 3"));
    }
  }

  /** Refuses the first join, accepts the others with an error line, and waits for them to close. */
  private static void serve(ServerSocket listener, int clients) {
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < clients; i++) {
        Socket socket = listener.accept();
        sockets.add(socket);
        socket.setSoTimeout(10_000);
        BufferedReader in = new BufferedReader(
            new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        String name = in.readLine().substring("JOIN:".length());
        String answer = i == 0 ? "SET_USERNAME: Username 'x' is already taken.\n"
            : name + " has joined the chat.\nERROR: Slow down.\n";
        OutputStream out = socket.getOutputStream();
        out.write(answer.getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
      for (Socket socket : sockets) {
        while (socket.getInputStream().read() >= 0) {
          // Until the generator closes it.
        }
        socket.close();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
