package chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.testing.JarProcess;
import chat.testing.LineClient;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar on its default H2 store, killed with SIGKILL while a client sends as fast as
 * it can: every line that anyone received is there when the server comes back.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DurableHistoryIT {

  private static final int SENT = 3_000;

  @TempDir Path workDir;
  @TempDir Path dataDir;

  private final List<JarProcess> started = new ArrayList<>();

  @AfterEach
  void killLeftoverProcesses() {
    started.forEach(JarProcess::close);
  }

  private InetSocketAddress server() {
    JarProcess server = JarProcess.start(workDir, List.of(
        "-Dchat.server.host=127.0.0.1",
        "-Dchat.server.port=0",
        "-Dchat.server.tls.enabled=off",
        "-Dchat.server.idle-shutdown=off",
        "-Dchat.server.rate.enabled=off",
        "-Dchat.server.data-dir=" + dataDir,
        "-Dchat.history.store=h2",
        "-Dchat.room.history-size=" + SENT,
        "-Dchat.room.history-bytes=1MiB"), "server");
    started.add(server);
    int port = server.awaitPlainPort();
    return new InetSocketAddress("127.0.0.1", port);
  }

  @Test
  void aServerKilledWhileBusyKeepsEveryLineAnyoneReceived() {
    InetSocketAddress first = server();
    Set<String> received = new LinkedHashSet<>();
    try (LineClient watcher = LineClient.joined(first, "watcher");
        LineClient alice = LineClient.joined(first, "alice")) {
      watcher.expect("alice has joined the chat.");
      StringBuilder lines = new StringBuilder();
      for (int i = 1; i <= SENT; i++) {
        lines.append("message ").append(i).append('\n');
      }
      alice.write(lines.toString());
      while (received.size() < SENT / 10) {
        received.add(watcher.readLine());
      }
      started.get(0).kill();
      // What reached the watcher before the kill counts too.
      try {
        for (String line = watcher.readLine(); line != null; line = watcher.readLine()) {
          received.add(line);
        }
      } catch (UncheckedIOException e) {
        // The connection ended with the process.
      }
    }
    received.removeIf(line -> !line.startsWith("alice: message "));

    InetSocketAddress second = server();
    Set<String> kept = new LinkedHashSet<>();
    try (LineClient check = LineClient.connect(second)) {
      check.send("JOIN:check after=0");
      check.send("/who #lobby");
      for (String line = check.readLine(); !line.startsWith("In #lobby ("); line = check.readLine()) {
        assertFalse(line.contains("started again"), line);
        if (line.startsWith("[history ")) {
          kept.add(line.substring(line.indexOf("] ") + 2));
        }
      }
    }
    assertTrue(received.size() >= SENT / 10, "received " + received.size());
    List<String> missing = received.stream().filter(line -> !kept.contains(line)).toList();
    assertEquals(List.of(), missing, "lines received but not kept: " + missing.size());
    // Kept in order, numbered from 1 with none skipped: message n is the n-th kept.
    List<String> inOrder = new ArrayList<>(kept);
    for (int i = 0; i < inOrder.size(); i++) {
      assertEquals("alice: message " + (i + 1), inOrder.get(i));
    }
  }
  @Test
  void aStoreThatCannotBeReachedIsOneLineAndExitCodeOne() {
    String url = "jdbc:postgresql://127.0.0.1:1/chat";
    JarProcess server = JarProcess.start(workDir, List.of(
        "-Dchat.server.host=127.0.0.1", "-Dchat.server.port=0", "-Dchat.server.tls.enabled=off",
        "-Dchat.server.data-dir=" + dataDir, "-Dchat.history.store=postgres",
        "-Dchat.history.postgres.url=" + url), "server");
    started.add(server);
    assertEquals(1, server.exitCode(), server::output);
    List<String> errors = server.err().all();
    assertEquals(1, errors.size(), server::output);
    assertTrue(errors.get(0).startsWith("Cannot use the history store postgres at " + url),
        server::output);
    assertTrue(server.output().lines().noneMatch(line -> line.startsWith("\tat ")),
        server::output);
  }
}
