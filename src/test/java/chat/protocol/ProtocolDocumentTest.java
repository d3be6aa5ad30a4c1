package chat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/protocol.md's table of every line, held to the code: each machine-mode line is exactly what
 * the server writes for its event, each text-mode line exactly what the server writes for the same
 * event (viewed by alice, at the table's time in UTC; a line that starts with a room, as alice sees
 * it when that room is not her current one), and every kind of event is in the table.
 */
class ProtocolDocumentTest {

  private static final Path DOCUMENT = Path.of("docs", "protocol.md");

  /** Where the table starts. */
  private static final String HEADING = "Every line, with the text mode line for the same event";

  /** What the text column says for an event that has no text-mode line. */
  private static final String NO_TEXT_LINE = "(none in text mode)";

  /** A row: {@code | `text` | `json` |}, the text column perhaps {@value #NO_TEXT_LINE}. */
  private static final Pattern ROW = Pattern.compile("^\\| (`.*`|\\(none in text mode\\)) \\| `(\\{.*})` \\|$");

  private final TextRenderer text = new TextRenderer(ZoneOffset.UTC);

  record Row(String text, String json) {}

  private static List<Row> rows() throws IOException {
    List<String> lines = Files.readAllLines(DOCUMENT);
    int start = -1;
    for (int i = 0; i < lines.size() && start < 0; i++) {
      if (lines.get(i).startsWith(HEADING)) {
        start = i;
      }
    }
    assertTrue(start >= 0, "no table in " + DOCUMENT);
    List<Row> rows = new ArrayList<>();
    for (int i = start + 4; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      Matcher row = ROW.matcher(lines.get(i));
      assertTrue(row.matches(), "not a row of text and JSON: " + lines.get(i));
      String textColumn = row.group(1);
      rows.add(new Row(textColumn.equals(NO_TEXT_LINE) ? null
          : textColumn.substring(1, textColumn.length() - 1), row.group(2)));
    }
    assertTrue(rows.size() > 20, "only " + rows.size() + " rows");
    return rows;
  }

  private static Event event(Row row) {
    return JsonLines.read(row.json()).orElseThrow(
        () -> new AssertionError("not an event the server knows: " + row.json()));
  }

  @Test
  void everyMachineModeLineIsExactlyWhatTheServerWrites() throws IOException {
    for (Row row : rows()) {
      assertEquals(row.json(), ServerLines.render(event(row), Mode.JSON, "alice"));
    }
  }

  @Test
  void everyTextModeLineIsWhatTheServerWritesForTheSameEvent() throws IOException {
    for (Row row : rows()) {
      if (row.text() != null && row.text().startsWith("[#")) {
        // A line of a room other than the viewer's current one.
        assertEquals(row.text(), text.renderElsewhere(event(row), "alice"), row.json());
      } else if (row.text() != null) {
        assertEquals(row.text(), text.render(event(row), "alice"), row.json());
      }
    }
  }

  @Test
  void onlyTheWelcomeHasNoTextModeLineAndTheServerSendsItOnlyInMachineMode() throws IOException {
    List<Event> withoutText = rows().stream()
        .filter(row -> row.text() == null)
        .map(ProtocolDocumentTest::event)
        .toList();
    assertEquals(1, withoutText.size(), withoutText.toString());
    assertTrue(withoutText.get(0) instanceof Event.Welcome);
    assertFalse(TextRenderer.hasTextLine(withoutText.get(0)));
  }

  @Test
  void everyKindOfEventIsInTheTable() throws IOException {
    Set<Class<?>> shown = rows().stream()
        .map(row -> event(row).getClass())
        .collect(Collectors.toSet());
    Set<Class<?>> kinds = new HashSet<>();
    List<Class<?>> open = new ArrayList<>(List.of(Event.class.getPermittedSubclasses()));
    while (!open.isEmpty()) {
      Class<?> kind = open.remove(0);
      if (kind.isInterface()) {
        open.addAll(Arrays.asList(kind.getPermittedSubclasses()));
      } else {
        kinds.add(kind);
      }
    }
    kinds.removeAll(shown);
    assertEquals(Set.of(), kinds, "events missing from the table");
  }
}
