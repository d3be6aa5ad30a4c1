package chat.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.protocol.ServerLines;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The hostile connections of {@link HostileInputTest}, run at once, each on a thread of its own
 * with its own {@link Random} (seeded from the test's seed) and {@link Budget}. Collects how each
 * ended: the server cutting one is fine; a thrown {@link AssertionError} (a broken promise of the
 * protocol, checked by the edge and splitter clients) or an unexpected exception is a failure.
 */
final class HostileClients {

  /** The liveness bound on every read and connect. */
  private static final Duration WAIT = Duration.ofSeconds(5);
  /** How long the edge client gives the server to read the first piece of a line cut in two. */
  private static final Duration EDGE_QUIET = Duration.ofMillis(25);

  /** What a hostile connection may spend: a number of actions and time, whichever ends first. */
  private static final class Budget {
    private final long deadline;
    private final int actions;
    private int spent;

    Budget(int actions, long deadline) {
      this.actions = actions;
      this.deadline = deadline;
    }

    boolean spend() {
      if (spent < actions && System.nanoTime() < deadline) {
        spent++;
        return true;
      }
      return false;
    }

    int spent() {
      return spent;
    }

    long nanosLeft() {
      return deadline - System.nanoTime();
    }
  }

  /** One kind of hostile client; an {@link IOException} means the server cut it, which is fine. */
  @FunctionalInterface
  private interface Behaviour {
    void run(Random random, Budget budget) throws IOException;
  }

  private final InetSocketAddress address;
  private final long seed;
  private final int maxLineBytes;
  private final Duration time;
  private final String tooLong;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final List<String> splitterSent = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, String> endings = Collections.synchronizedMap(new LinkedHashMap<>());
  private final List<String> failures = Collections.synchronizedList(new ArrayList<>());

  HostileClients(InetSocketAddress address, long seed, int maxLineBytes, Duration time) {
    this.address = address;
    this.seed = seed;
    this.maxLineBytes = maxLineBytes;
    this.time = time;
    this.tooLong = ServerLines.ERROR_PREFIX + " " + ServerLines.lineTooLong(maxLineBytes);
  }

  /** Runs every kind at once, each within its budget, and waits (bounded) for all to end. */
  void runAll() throws InterruptedException {
    Map<String, Behaviour> behaviours = new LinkedHashMap<>();
    behaviours.put("garbage-1", this::garbage);
    behaviours.put("garbage-2", this::garbage);
    behaviours.put("edge", this::edge);
    behaviours.put("splitter", this::splitter);
    behaviours.put("ansi", this::ansi);
    behaviours.put("names", this::names);
    behaviours.put("commands", this::commands);
    behaviours.put("flood", (random, budget) -> flood("flood", "#flood", budget));
    behaviours.put("flood-lobby", (random, budget) -> flood("flooder", "#lobby", budget));
    behaviours.put("noise", this::noise);
    behaviours.put("deaf", this::deaf);
    behaviours.put("abrupt", this::abrupt);
    behaviours.put("idle", this::idle);
    long deadline = System.nanoTime() + time.toNanos();
    ExecutorService threads = Executors.newFixedThreadPool(behaviours.size());
    Map<String, Future<?>> running = new LinkedHashMap<>();
    int index = 0;
    for (Map.Entry<String, Behaviour> entry : behaviours.entrySet()) {
      Random random = new Random(seed * 31 + index++);
      // The edge client checks promises of the protocol: it may finish after the noise ends.
      long until = entry.getKey().equals("edge") ? deadline + time.toNanos() : deadline;
      Budget budget = new Budget(actionsFor(entry.getKey()), until);
      running.put(entry.getKey(),
          threads.submit(() -> run(entry.getKey(), entry.getValue(), random, budget)));
    }
    threads.shutdown();
    boolean finished = threads.awaitTermination(time.toSeconds() + 20, TimeUnit.SECONDS);
    if (!finished) {
      // Blocked writes, most likely: the server stopped reading someone.
      closeAll();
      failures.add("hostile connections still busy long after their time: "
          + running.entrySet().stream()
              .filter(e -> !e.getValue().isDone()).map(Map.Entry::getKey).toList());
      threads.shutdownNow();
    }
    for (Map.Entry<String, Future<?>> entry : running.entrySet()) {
      try {
        entry.getValue().get(1, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        failures.add(entry.getKey() + ": " + e.getCause());
      } catch (TimeoutException e) {
        failures.add(entry.getKey() + ": did not end");
      }
    }
  }

  private static int actionsFor(String name) {
    return switch (name) {
      case "flood", "noise" -> 200_000; // lines
      case "flood-lobby" -> 20_000; // lines, which every observer must read too
      case "splitter" -> 150; // lines, each written a few bytes at a time
      case "abrupt", "names" -> 400; // connections or join attempts
      case "edge" -> 1_000; // lines written and answered
      default -> 3_000;
    };
  }

  private void run(String name, Behaviour behaviour, Random random, Budget budget) {
    try {
      behaviour.run(random, budget);
      endings.put(name, budget.spent() + " actions");
    } catch (IOException | UncheckedIOException cutByServer) {
      endings.put(name, budget.spent() + " actions, then cut: " + cutByServer);
    }
  }

  List<String> failures() {
    return List.copyOf(failures);
  }

  List<String> splitterSent() {
    return List.copyOf(splitterSent);
  }

  List<String> report() {
    List<String> lines = new ArrayList<>();
    endings.forEach((name, ending) -> lines.add("hostile " + name + ": " + ending));
    return lines;
  }

  void closeAll() {
    open.forEach(HostileClients::closeQuietly);
  }

  // The behaviours.

  /** Random bytes, invalid UTF-8, control characters, junk lines; reconnects now and then. */
  private void garbage(Random random, Budget budget) throws IOException {
    Socket socket = null;
    try {
      while (budget.spend()) {
        try {
          if (socket == null || random.nextInt(60) == 0) {
            end(socket, random);
            socket = open();
            if (random.nextBoolean()) {
              write(socket, "JOIN:g" + random.nextInt(1_000_000) + "\n");
            }
          }
          write(socket, Junk.chunk(random, maxLineBytes));
          if (random.nextInt(3) == 0) {
            drain(socket);
          }
        } catch (IOException cut) {
          end(socket, random);
          socket = null;
        }
      }
    } finally {
      end(socket, random);
    }
  }

  /**
   * Lines of every length around the limit (ASCII, and ending in a 2- or 4-byte character, with
   * {@code \n} or {@code \r\n}), each written whole, cut before its line ending, cut between
   * {@code \r} and {@code \n}, and cut at random; then 1 MB without a newline. A line over the
   * limit gets exactly one error, one within it none, and the connection stays open.
   */
  private void edge(Random random, Budget budget) throws IOException {
    try (Socket socket = open()) {
      InputStream in = socket.getInputStream();
      write(socket, "JOIN:edge room=#edge\n");
      assertEquals("edge has joined the chat.", readLine(in));
      int mark = 0;
      for (int length = maxLineBytes - 2; length <= maxLineBytes + 2; length++) {
        for (String last : List.of("", "é", "🙂")) {
          for (String ending : List.of("\n", "\r\n")) {
            String body = "e".repeat(length - last.getBytes(UTF_8).length) + last;
            byte[] line = (body + ending).getBytes(UTF_8);
            int randomCut = random.nextInt(line.length + 1);
            List<int[]> cutsToTry = ending.length() == 1
                ? List.of(new int[0], new int[] {length}, new int[] {randomCut})
                : List.of(new int[0], new int[] {length}, new int[] {length + 1},
                    new int[] {randomCut});
            for (int[] cuts : cutsToTry) {
              if (!budget.spend()) {
                return;
              }
              // Only the cuts at the line ending wait for the server to take the first piece.
              boolean waitAfterCut = cuts.length == 1 && cuts[0] != randomCut;
              int errors = sendAndCountErrors(socket, in, line, cuts, waitAfterCut, ++mark);
              assertEquals(length > maxLineBytes ? 1 : 0, errors,
                  "errors for a line of " + length + " bytes ending in '" + last + "'"
                      + (ending.length() == 2 ? " and CR LF" : "") + ", written in pieces cut at "
                      + Arrays.toString(cuts));
            }
          }
        }
      }
      byte[] megabyte = new byte[1 << 20];
      Arrays.fill(megabyte, (byte) 'x');
      megabyte[megabyte.length - 1] = '\n';
      assertEquals(1, sendAndCountErrors(socket, in, megabyte, new int[] {65536}, false, ++mark),
          "errors for a line of 1 MB");
    } catch (IOException e) {
      throw new AssertionError(
          "the server cut a client for over-long lines, which it must only refuse", e);
    }
  }

  /**
   * Writes the bytes in pieces cut at {@code cuts}, then a marker, and counts the too-long errors
   * before the marker comes back. With {@code waitAfterCut}, waits briefly after each piece for
   * the server to read it (it may answer an over-long piece at once), so the framing sees the
   * pieces apart rather than joined again by TCP.
   */
  private int sendAndCountErrors(
      Socket socket, InputStream in, byte[] bytes, int[] cuts, boolean waitAfterCut, int mark)
      throws IOException {
    int errors = 0;
    int from = 0;
    for (int cut : cuts) {
      writeBytes(socket, Arrays.copyOfRange(bytes, from, cut));
      from = cut;
      if (waitAfterCut) {
        errors += tooLongWithin(socket, in, EDGE_QUIET);
      }
    }
    writeBytes(socket, Arrays.copyOfRange(bytes, from, bytes.length));
    write(socket, "/msg edge mark-" + mark + "\n");
    while (true) {
      String line = readLine(in);
      if (line == null) {
        throw new AssertionError("the server closed the connection of edge");
      } else if (line.equals("[private] edge: mark-" + mark)) {
        return errors;
      } else if (line.equals(tooLong)) {
        errors++;
      } else {
        throw new AssertionError("edge got an unexpected line: " + line);
      }
    }
  }

  /** 1 if the server answers with the too-long error within {@code quiet}, 0 if it is silent. */
  private int tooLongWithin(Socket socket, InputStream in, Duration quiet) throws IOException {
    socket.setSoTimeout((int) quiet.toMillis());
    int first;
    try {
      first = in.read();
    } catch (SocketTimeoutException silent) {
      return 0;
    } finally {
      socket.setSoTimeout((int) WAIT.toMillis());
    }
    String line = first < 0 ? null : (char) first + readLine(in);
    assertEquals(tooLong, line, "the only thing the server may say to part of a line");
    return 1;
  }

  /**
   * Chat lines full of multi-byte characters, written one to three bytes at a time with a flush
   * between, so characters straddle TCP segments: the observers must get them whole.
   */
  private void splitter(Random random, Budget budget) throws IOException {
    try (Socket socket = open()) {
      InputStream in = socket.getInputStream();
      write(socket, "JOIN:splitter\n");
      assertEquals("splitter has joined the chat.", readLine(in));
      for (int i = 0; budget.spend(); i++) {
        String text =
            "split " + i + " ünïcødé ✓ 日本語 🙂 👩‍💻 " + Integer.toHexString(random.nextInt());
        byte[] bytes = (text + (random.nextBoolean() ? "\n" : "\r\n")).getBytes(UTF_8);
        for (int at = 0; at < bytes.length; ) {
          int piece = Math.min(bytes.length - at, 1 + random.nextInt(3));
          writeBytes(socket, Arrays.copyOfRange(bytes, at, at + piece));
          at += piece;
        }
        splitterSent.add(text);
        drain(socket);
      }
      write(socket, "!quit\n");
      readToEnd(in);
    } catch (IOException e) {
      throw new AssertionError("the server cut splitter, a client that sent nothing wrong", e);
    }
  }

  /** Escape sequences, control and format characters in chat, actions, topics, names. */
  private void ansi(Random random, Budget budget) throws IOException {
    try (Socket socket = open()) {
      write(socket, "JOIN:ansi\n");
      while (budget.spend()) {
        String text = Junk.nastyText(random);
        String line = switch (random.nextInt(6)) {
          case 0 -> "/me " + text;
          case 1 -> "/topic " + text;
          case 2 -> "/msg ansi " + text;
          case 3 -> "/nick a" + text;
          default -> text;
        };
        write(socket, line + "\n");
        drain(socket);
      }
    }
  }

  /** JOIN lines with names at and past the rules, and junk options; reconnects once joined. */
  private void names(Random random, Budget budget) throws IOException {
    Socket socket = null;
    try {
      for (int attempt = 0; budget.spend(); attempt++) {
        if (socket == null) {
          socket = open();
        }
        write(socket, Junk.joinLine(random, attempt) + "\n");
        String answer = readLine(socket.getInputStream());
        boolean stillOutside = answer != null
            && (answer.startsWith(ServerLines.REFUSAL_PREFIX)
                || answer.startsWith(ServerLines.ERROR_PREFIX)
                || answer.contains("\"type\":\"refused\"")
                || answer.contains("\"type\":\"error\""));
        if (!stillOutside) {
          end(socket, random);
          socket = null;
        }
      }
    } finally {
      end(socket, random);
    }
  }

  /** Commands with missing, wrong and huge arguments, and some valid ones, as fast as answered. */
  private void commands(Random random, Budget budget) throws IOException {
    try (Socket socket = open()) {
      write(socket, "JOIN:cmd\n");
      for (int i = 0; budget.spend(); i++) {
        write(socket, Junk.command(random, i) + "\n");
        drain(socket);
      }
      write(socket, "/quit\n");
    }
  }

  /** Thousands of lines a second, as fast as the server takes them; never reads; then a reset. */
  private void flood(String name, String room, Budget budget) throws IOException {
    Socket socket = open();
    try {
      write(socket, "JOIN:" + name + " room=" + room + "\n");
      StringBuilder batch = new StringBuilder();
      for (int i = 0; budget.spend(); i++) {
        batch.append("flood ").append(i).append(" 🙂\n");
        if (batch.length() > 8192) {
          write(socket, batch.toString());
          batch.setLength(0);
        }
      }
    } finally {
      reset(socket);
    }
  }

  /** Thousands of lines a second without ever joining, each refused; never reads. */
  private void noise(Random random, Budget budget) throws IOException {
    Socket socket = open();
    try {
      StringBuilder batch = new StringBuilder();
      for (int i = 0; budget.spend(); i++) {
        batch.append("hello ").append(i).append('\n');
        if (batch.length() > 8192) {
          write(socket, batch.toString());
          batch.setLength(0);
        }
      }
    } finally {
      reset(socket);
    }
  }

  /** Joined in #lobby and asking for long answers, but never reading one: a full outbox. */
  private void deaf(Random random, Budget budget) throws IOException {
    Socket socket = open();
    try {
      write(socket, "JOIN:deaf\n");
      while (budget.spend()) {
        write(socket, (random.nextBoolean() ? "/who *" : "/help") + "\n");
      }
    } finally {
      end(socket, random);
    }
  }

  /** Short connections that end at awkward moments: mid-line, mid-character, mid-join. */
  private void abrupt(Random random, Budget budget) throws IOException {
    for (int i = 0; budget.spend(); i++) {
      Socket socket = open();
      try {
        switch (random.nextInt(6)) {
          case 0 -> { } // connect and go
          case 1 -> write(socket, "JOI");
          case 2 -> write(socket, "JOIN:abrupt" + i);
          case 3 -> writeBytes(socket, // a line that ends inside a character
              joinThen("abrupt" + i, new byte[] {'h', 'i', ' ', (byte) 0xE2, (byte) 0x82}));
          case 4 -> {
            write(socket, "JOIN:abrupt" + i + "\nbye\n");
            socket.shutdownOutput();
            readToEnd(socket.getInputStream());
          }
          default -> writeBytes(socket, Junk.invalidUtf8(random));
        }
      } catch (IOException cut) {
        // The server may close first; this connection is done either way.
      } finally {
        end(socket, random);
      }
    }
  }

  /**
   * Connections that say nothing, or half a JOIN, for the whole run; the server must wait, and
   * may say nothing to a silent one but, once, how to join.
   */
  private void idle(Random random, Budget budget) throws IOException {
    List<Socket> sockets = List.of(open(), open(), open());
    try {
      write(sockets.get(1), "JOI");
      write(sockets.get(2), "JOIN:idle-but-never-ends-the-line");
      long left = budget.nanosLeft();
      if (left > 0) {
        // A bounded wait on the server, which has only the join hint for a silent client.
        Socket quiet = sockets.get(0);
        quiet.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        try {
          for (int read = quiet.getInputStream().read(); read >= 0;
              read = quiet.getInputStream().read()) {
            said.write(read);
          }
        } catch (SocketTimeoutException expected) {
          // The run is over.
        }
        String text = said.toString(UTF_8);
        if (!text.isEmpty() && !(text.startsWith(ServerLines.JOIN_HINT_PREFIX)
            && text.indexOf('\n') == text.length() - 1)) {
          throw new AssertionError("the server said more than the hint to a silent client: "
              + text);
        }
      }
    } finally {
      sockets.forEach(socket -> end(socket, random));
    }
  }

  // Socket handling.

  private Socket open() throws IOException {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(address, (int) WAIT.toMillis());
    socket.setSoTimeout((int) WAIT.toMillis());
    open.add(socket);
    return socket;
  }

  /** Closes the socket one way or another: a clean close or a reset. */
  private void end(Socket socket, Random random) {
    if (socket == null) {
      return;
    }
    if (random.nextBoolean()) {
      reset(socket);
    } else {
      closeQuietly(socket);
    }
    open.remove(socket);
  }

  private void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (SocketException alreadyClosed) {
      // nothing to reset
    }
    closeQuietly(socket);
    open.remove(socket);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closing is all that is left to do
    }
  }

  private static byte[] joinThen(String name, byte[] tail) {
    byte[] join = ("JOIN:" + name + "\n").getBytes(UTF_8);
    byte[] all = Arrays.copyOf(join, join.length + tail.length);
    System.arraycopy(tail, 0, all, join.length, tail.length);
    return all;
  }

  private static void write(Socket socket, String text) throws IOException {
    writeBytes(socket, text.getBytes(UTF_8));
  }

  private static void write(Socket socket, byte[] bytes) throws IOException {
    writeBytes(socket, bytes);
  }

  private static void writeBytes(Socket socket, byte[] bytes) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(bytes);
    out.flush();
  }

  /** Reads and drops whatever has arrived, without waiting. */
  private static void drain(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[65536];
    int available;
    while ((available = in.available()) > 0) {
      if (in.read(buffer, 0, Math.min(available, buffer.length)) < 0) {
        return;
      }
    }
  }

  /** Reads until the server closes (each read bounded by the socket's timeout). */
  private static void readToEnd(InputStream in) throws IOException {
    byte[] buffer = new byte[65536];
    long total = 0;
    int read;
    while ((read = in.read(buffer)) >= 0) {
      total += read;
      if (total > 64L << 20) {
        throw new AssertionError("the server sent more than 64 MB after being asked to close");
      }
    }
  }

  /** One line from the server, without its {@code \n}; null at the end of the stream. */
  static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int next;
    while ((next = in.read()) >= 0) {
      if (next == '\n') {
        return line.toString(UTF_8);
      }
      line.write(next);
    }
    return line.size() == 0 ? null : line.toString(UTF_8);
  }

  /** The hostile inputs, drawn from a seeded {@link Random}. */
  private static final class Junk {

    /** Pieces no terminal should ever receive from another user, and some it may. */
    private static final List<String> NASTY = List.of(
        "\u001b[2J\u001b[H", "\u001b[31mred\u001b[0m", "\u001b]0;owned\u0007",
        "\u001b]8;;http://evil.example\u001b\\link\u001b]8;;\u001b\\", "\u001b", "\u001b[", "\u001b]",
        "\u009b31m", "\u0085", "\u0007", "\b\b\b", "\u007f", "\u0000", "\r", "\u000b", "\f",
        "\u202e", "\u2066", "\u200b", "\ufeff", "\u2028", "\u2029", "\t",
        "e\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301", "\u115f", "\u3164",
        "🙂", "é", "日本", "👩‍💻", "\udb40\udc41", "plain", " ", "\ud800");

    private static final List<byte[]> INVALID_UTF8 = List.of(
        new byte[] {(byte) 0xC0, (byte) 0x80}, // overlong NUL
        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // a surrogate
        new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // past U+10FFFF
        new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xFE}, new byte[] {(byte) 0x80},
        new byte[] {(byte) 0xE2, (byte) 0x82}, // cut short
        new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x99}, // cut short
        new byte[] {(byte) 0xC2, '\n'}, // a newline inside a character
        new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}); // overlong '/'

    static String nastyText(Random random) {
      StringBuilder text = new StringBuilder();
      for (int i = random.nextInt(6); i >= 0; i--) {
        text.append(NASTY.get(random.nextInt(NASTY.size())));
      }
      return text.toString();
    }

    static byte[] invalidUtf8(Random random) {
      return INVALID_UTF8.get(random.nextInt(INVALID_UTF8.size()));
    }

    /** One write of junk, of one of several kinds. */
    static byte[] chunk(Random random, int maxLineBytes) {
      return switch (random.nextInt(10)) {
        case 0, 1 -> randomBytes(random, 1 + random.nextInt(512));
        case 2 -> concat(invalidUtf8(random), newlineOrNot(random));
        case 3 -> (nastyText(random) + "\n").getBytes(UTF_8);
        case 4 -> ("x".repeat(maxLineBytes - 3 + random.nextInt(6)) + "\n").getBytes(UTF_8);
        case 5 -> random.nextInt(100) == 0 ? longRun(1 << 20) : longRun(1 + random.nextInt(32768));
        case 6 -> (joinLine(random, random.nextInt(1000)) + "\n").getBytes(UTF_8);
        case 7 -> (command(random, random.nextInt(1000)) + "\n").getBytes(UTF_8);
        case 8 -> new byte[] {'\r', '\n', '\n', '\r', 0, '\n'};
        default -> concat(
            ("chat " + nastyText(random)).getBytes(UTF_8), invalidUtf8(random), new byte[] {'\n'});
      };
    }

    private static byte[] newlineOrNot(Random random) {
      return random.nextBoolean() ? new byte[] {'\n'} : new byte[0];
    }

    private static byte[] randomBytes(Random random, int length) {
      byte[] bytes = new byte[length];
      random.nextBytes(bytes);
      return bytes;
    }

    /** Bytes with no newline, ended by one: a line of {@code length} bytes. */
    private static byte[] longRun(int length) {
      byte[] bytes = new byte[length + 1];
      Arrays.fill(bytes, (byte) 'y');
      bytes[length] = '\n';
      return bytes;
    }

    private static byte[] concat(byte[]... parts) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (byte[] part : parts) {
        all.writeBytes(part);
      }
      return all.toByteArray();
    }

    /** A JOIN line: names at and past the rules, junk options, and some valid joins. */
    static String joinLine(Random random, int attempt) {
      String name = "nm" + attempt;
      List<String> names = List.of(
          "", "   ", name, pad(name, 31), pad(name, 32), pad(name, 33), pad(name, 200),
          "日".repeat(32), "日".repeat(33), "e\u0301".repeat(32), "\u0301" + name, "аlice" + attempt,
          "Ａｌｉｃｅ" + attempt, name + "\u200b", name + "\u001b[31m", "\u0000" + name, name + " x",
          "🙂" + attempt, "a".repeat(300), "ﷺ".repeat(32), "ß".repeat(32), name + ":" + name);
      List<String> options = List.of(
          "", "", " mode=", " mode=xml", " mode=json", " mode=JSON after=5", " token=",
          " token=" + "t".repeat(200), " room=", " room=#", " room=##", " room=nohash",
          " room=#" + "r".repeat(33), " room=#fz-" + attempt % 7,
          " after=-1", " after=abc", " after=99999999999999999999", " after=", " =", " ==", " =x",
          " foo=bar", " mode=json mode=text", " room=#a room=#b", " after=0", " MODE=json", " token=x token=y");
      String prefix = switch (random.nextInt(12)) {
        case 0 -> "join:";
        case 1 -> "JOIN :";
        case 2 -> "JOIN";
        case 3 -> "PASS:";
        default -> "JOIN:";
      };
      return prefix + names.get(random.nextInt(names.size()))
          + options.get(random.nextInt(options.size()));
    }

    /** A command with a missing, wrong or huge argument, or now and then a valid one. */
    static String command(Random random, int i) {
      List<String> commands = List.of(
          "/msg", "/msg x", "/msg  x", "/msg nobody-here hello", "/msg " + "n".repeat(240) + " x",
          "/msg cmd " + "t".repeat(300), "/nick", "/nick " + "N".repeat(33), "/nick " + "N".repeat(250),
          "/nick a b", "/nick \u001b[2J", "/nick cmd-" + i % 50, "/join", "/join #", "/join ##",
          "/join " + "r".repeat(33), "/join #" + "r".repeat(250), "/join #a b", "/join #fz-" + i % 20,
          "/join #lobby", "/topic", "/topic " + "t".repeat(240), "/topic " + "t".repeat(400),
          "/history", "/history 99999999999", "/history -1", "/history 0", "/history 2147483647",
          "/history -2147483648", "/history x", "/history \u0663", "/history +3", "/history 1 2",
          "/me", "/me   ", "/me " + "w".repeat(260), "/me waves", "/who", "/who *", "/who x", "/rooms",
          "/help", "/", "//", "/ x", "/unknown", "/MSG cmd hi", "/\u0000", "/who\u001b[2J", "chat " + i);
      return commands.get(random.nextInt(commands.size()));
    }

    private static String pad(String name, int length) {
      return name.length() >= length ? name : name + "z".repeat(length - name.length());
    }
  }
}
