package chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.protocol.ServerLines;
import chat.testing.JarProcess;
import chat.testing.LineClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar as users start it, {@code java -jar target/pekko-chat.jar server|client} or
 * {@code target/pekko-chat server}, each in a child process: proves the shaded jar finds its main
 * class, that the chat settings and the application's Pekko settings (not Pekko's defaults) are in
 * force, that the launcher passes its JVM options, and that the server and client talk over real
 * sockets on 127.0.0.1 and exit with the documented codes. Run by failsafe in {@code mvn verify},
 * after {@code package} has built the jar and the launcher.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RunnableJarIT {


  /** The processes' working directory: empty, so no conf/application.conf is picked up. */
  @TempDir Path workDir;

  @TempDir Path dataDir;

  private final List<JarProcess> started = new ArrayList<>();

  @AfterEach
  void killLeftoverProcesses() {
    started.forEach(JarProcess::close);
  }

  private JarProcess jar(List<String> jvmOptions, String... args) {
    JarProcess process = JarProcess.start(workDir, jvmOptions, args);
    started.add(process);
    return process;
  }

  /** A server on loopback with the plain listener only, for good: no TLS, no idle shutdown. */
  private JarProcess server(int port) {
    return jar(serverOptions(port), "server");
  }

  /** The port the server says it listens on for plain connections. */
  private static int plainPort(JarProcess server) {
    return server.awaitPlainPort();
  }

  private List<String> serverOptions(int port) {
    return List.of(
        "-Dchat.server.host=127.0.0.1",
        "-Dchat.server.port=" + port,
        "-Dchat.server.tls.enabled=off",
        "-Dchat.server.idle-shutdown=off",
        "-Dchat.server.data-dir=" + dataDir);
  }

  @Test
  void theLauncherRunsTheJarWithTheShippedJvmOptionsAndJavaOptsAfterThem() {
    JarProcess server = JarProcess.launch(workDir, serverOptions(0), "server");
    started.add(server);

    // The launcher's ParallelGC, which the JDK would not choose by itself on a server machine.
    server.awaitOutput(
        Pattern.compile("JVM: Java \\S+, collectors PS MarkSweep and PS Scavenge, heap up to"));
    // JAVA_OPTS reached the JVM: the server listens on loopback, on a port of its own.
    int port = plainPort(server);
    try (LineClient alice = LineClient.joined(new InetSocketAddress("127.0.0.1", port), "alice")) {
      server.write("!exitserver\n");
      alice.expect(ServerLines.SERVER_SHUTDOWN);
    }
    assertEquals(0, server.exitCode(), server::output);
  }

  @Test
  void sigtermShutsTheServerDownGracefullyAndItsLogKeepsTheLastLines() {
    JarProcess server = server(0);
    int port = plainPort(server);
    try (LineClient alice = LineClient.joined(new InetSocketAddress("127.0.0.1", port), "alice")) {
      server.awaitOutput(Pattern.compile(Pattern.quote("Member [alice] joined")));
      server.terminate();
      alice.expect(ServerLines.SERVER_SHUTDOWN);
      alice.expectClosed();
    }
    assertEquals(143, server.exitCode(), server::output); // 128 + SIGTERM, as for any JVM
    // Logged while the JVM was already shutting down: the log's queue is written out at exit.
    assertTrue(server.output().contains("Closing [1] connections"), server::output);
    assertTrue(server.output().contains("Member [alice] left (SHUTDOWN)"), server::output);
  }

  @Test
  void theJarRunsWithTheApplicationsPekkoSettingsNotPekkosDefaults() {
    JarProcess server = server(0);

    // Pekko's defaults would be at least 8 and 4 threads, connections on the internal ones: a
    // jar that merged the settings wrongly still runs, only slower.
    int cores = Runtime.getRuntime().availableProcessors();
    String threads = "Threads: " + cores + " for actors and streams, " + (cores + 1) / 2
        + " for Pekko's own work; TCP connections on [pekko.actor.default-dispatcher]";
    server.awaitOutput(Pattern.compile(Pattern.quote(threads)));
    server.write("!exitserver\n");
    assertEquals(0, server.exitCode(), server::output);
  }

  @Test
  void serverAndPipedClientChatThenExitServerStopsTheServerCleanly() {
    JarProcess server = server(0);
    int port = plainPort(server);

    try (LineClient alice = LineClient.joined(new InetSocketAddress("127.0.0.1", port), "alice")) {
      JarProcess bob =
          jar(List.of(), "client", "--host", "127.0.0.1", "--port", String.valueOf(port),
              "--name", "bob");
      bob.write("hello from the jar\n");
      // At the end of piped input the client sends !quit and exits once the server has closed.
      bob.closeInput();
      // A cold JVM may take longer to start than a socket read waits: wait on bob's side first.
      assertEquals("bob has joined the chat.", bob.out().next(JarProcess.WAIT), bob::output);

      alice.expect("bob has joined the chat.");
      alice.expect("bob: hello from the jar");
      alice.expect("bob left the chat.");
      assertEquals(0, bob.exitCode(), bob::output);
      assertEquals(
          List.of("bob has joined the chat.", "bob left the chat."), bob.out().all(), bob::output);

      server.write("!exitserver\n");
      alice.expect(ServerLines.SERVER_SHUTDOWN);
      alice.expectClosed();
    }
    assertEquals(0, server.exitCode(), server::output);
  }

  @Test
  void withoutSubcommandTheJarPrintsUsageAndExitsWithTwo() {
    JarProcess bare = jar(List.of());

    assertEquals(2, bare.exitCode(), bare::output);
    assertEquals(
        List.of("Usage: java -jar pekko-chat.jar server|client|loadtest [options]"),
        bare.err().all(),
        bare::output);
  }

  @Test
  void serverOnTakenPortsSaysSoInOneLineThatNamesThePortsAndTheSettingsAndExitsWithOne()
      throws IOException {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    try (ServerSocket plain = new ServerSocket(0, 1, loopback);
        ServerSocket tls = new ServerSocket(0, 1, loopback);
        ServerSocket free = new ServerSocket(0, 1, loopback)) {
      int freePort = free.getLocalPort();
      free.close();
      // Both taken; then only the TLS port, as for a second server that moved its plain port.
      String both = "Cannot listen: ports " + plain.getLocalPort() + " (plain text) and "
          + tls.getLocalPort() + " (TLS) are in use by another program";
      String onlyTls = "Cannot listen: port " + tls.getLocalPort() + " (TLS) is in use";
      for (int[] ports : new int[][] {{plain.getLocalPort(), tls.getLocalPort()},
          {freePort, tls.getLocalPort()}}) {
        JarProcess server = jar(List.of(), "server", "--host", "127.0.0.1", "--port",
            String.valueOf(ports[0]), "--tls-port", String.valueOf(ports[1]), "--data-dir",
            dataDir.toString(), "--idle-shutdown", "off");

        assertEquals(1, server.exitCode(), server::output);
        String expected = ports[0] == freePort ? onlyTls : both;
        List<String> errors = server.out().all().stream()
            .filter(line -> line.contains(" ERROR ")).toList();
        assertEquals(1, errors.size(), server::output);
        assertTrue(errors.get(0).contains(expected), server::output);
        assertTrue(errors.get(0).contains("chat.server.port and chat.server.tls.port (options"
            + " --port and --tls-port)"), server::output);
        assertTrue(server.output().lines().noneMatch(line -> line.startsWith("\tat ")
            || line.contains("BindException")), server::output);
      }
    }
  }

  @Test
  void theServerTakesOptionsAndPrintsItsHelpAndVersion() {
    JarProcess help = JarProcess.launch(workDir, List.of(), "server", "--help");
    assertEquals(0, help.exitCode(), help::output);
    for (String option : List.of("--host", "--port", "--tls-port", "--no-tls", "--web-port",
        "--no-web", "--data-dir", "--idle-shutdown", "--help", "--version")) {
      assertTrue(help.output().contains(option), option + "\n" + help.output());
    }
    started.add(help);
    JarProcess version = jar(List.of(), "server", "--version");
    assertEquals(0, version.exitCode(), version::output);
    assertTrue(version.out().all().get(0).matches("pekko-chat \\d+\\.\\d+\\.\\d+.*"),
        version::output);
    JarProcess bad = jar(List.of(), "server", "--port", "70000");
    assertEquals(2, bad.exitCode(), bad::output);
    assertTrue(bad.output().contains("70000 is not a port"), bad::output);
  }

  @Test
  void serverOptionsWinOverTheDefaultsThroughTheLauncher() {
    JarProcess server = JarProcess.launch(workDir, List.of(), "server", "--host", "127.0.0.1",
        "--port", "0", "--no-tls", "--no-web", "--idle-shutdown", "off", "--data-dir",
        dataDir.toString());
    started.add(server);
    int port = plainPort(server);
    try (LineClient alice = LineClient.joined(new InetSocketAddress("127.0.0.1", port), "alice")) {
      server.write("!exitserver\n");
      alice.expect(ServerLines.SERVER_SHUTDOWN);
    }
    assertEquals(0, server.exitCode(), server::output);
    assertTrue(server.output().lines().noneMatch(line -> line.contains("TLS")
        || line.contains("web browsers")), server::output);
  }
}
