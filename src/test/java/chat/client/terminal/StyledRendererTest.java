package chat.client.terminal;

import static chat.testing.ServerEvents.TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.client.Conversation.Origin;
import chat.protocol.Event;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.Test;

class StyledRendererTest {

  private final StyledRenderer colour = new StyledRenderer(true, 256, ZoneOffset.UTC);
  private final StyledRenderer plain = new StyledRenderer(false, 256, ZoneOffset.UTC);

  private static Event.Chat chat(String from, String text, boolean history) {
    return new Event.Chat(TIME, "#lobby", 1, from, text, history);
  }

  /** The style of the first character of {@code part} in {@code line}. */
  private static AttributedStyle styleOf(AttributedString line, String part) {
    int at = line.toString().indexOf(part);
    assertTrue(at >= 0, () -> part + " not in " + line);
    return line.styleAt(at);
  }

  private static boolean isBold(AttributedStyle style) {
    return (style.getStyle() & 0x1) != 0; // F_BOLD
  }

  private static boolean isInverse(AttributedStyle style) {
    return (style.getStyle() & 0x20) != 0; // F_INVERSE
  }

  private static boolean isFaint(AttributedStyle style) {
    return (style.getStyle() & 0x2) != 0; // F_FAINT
  }

  @Test
  void chatLinesStartWithTheLocalTime() {
    assertEquals(
        "17:00 bob: hello",
        plain.render(chat("bob", "hello", false), Origin.LIVE, "alice").toString());
    assertEquals(
        "17:00 * bob waves",
        plain
            .render(new Event.Action(TIME, "#lobby", 2, "bob", "waves", false), Origin.LIVE, "al")
            .toString());
  }

  @Test
  void aNameHasOneColourWhateverItsCaseAndLine() {
    assertEquals(colour.colorOf("alice"), colour.colorOf("ALICE"));
    AttributedString first = colour.render(chat("bob", "one", false), Origin.LIVE, "alice");
    AttributedString second = colour.render(chat("bob", "two", false), Origin.LIVE, "carol");
    assertEquals(styleOf(first, "bob"), styleOf(second, "bob"));
    Set<Integer> colours =
        IntStream.range(0, 200)
            .mapToObj(i -> colour.colorOf("user" + i))
            .collect(Collectors.toSet());
    assertTrue(colours.size() >= 12, "names spread over a palette of 12 or more: " + colours);
    assertNotEquals(styleOf(first, "bob"), styleOf(first, "one"));
    StyledRenderer basic = new StyledRenderer(true, 16, ZoneOffset.UTC);
    assertTrue(IntStream.range(0, 200).map(i -> basic.colorOf("user" + i)).allMatch(c -> c < 16),
        "a terminal of 16 colours gets its own");
  }

  @Test
  void everyColourOfThePaletteReadsOnDarkAndOnLightBackgrounds() {
    for (int index : StyledRenderer.PALETTE) {
      double luminance = luminance(index);
      double onWhite = 1.05 / (luminance + 0.05);
      double onBlack = (luminance + 0.05) / 0.05;
      assertTrue(onWhite >= 3.3 && onBlack >= 3.3,
          "colour " + index + ": " + onWhite + " on white, " + onBlack + " on black");
    }
    assertEquals(StyledRenderer.PALETTE.length,
        java.util.Arrays.stream(StyledRenderer.PALETTE).distinct().count());
  }

  /** The relative luminance (WCAG) of a colour of xterm's 6x6x6 cube. */
  private static double luminance(int index) {
    int[] levels = {0, 95, 135, 175, 215, 255};
    int cube = index - 16;
    double[] rgb = {levels[cube / 36], levels[cube / 6 % 6], levels[cube % 6]};
    double[] weights = {0.2126, 0.7152, 0.0722};
    double sum = 0;
    for (int i = 0; i < 3; i++) {
      double c = rgb[i] / 255;
      sum += weights[i] * (c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
    }
    return sum;
  }

  @Test
  void withColourOffThereIsNoColourAndMentionsAreBold() {
    List<Event> events =
        List.of(
            chat("bob", "hi alice", false),
            chat("bob", "old", true),
            new Event.Private(TIME, "bob", "alice", "psst"),
            new Event.Error(TIME, "no"),
            new Event.Gap(TIME, "#lobby", 3),
            new Event.Joined(TIME, "#lobby", "bob", false));
    for (Event event : events.subList(1, events.size())) {
      String ansi = plain.render(event, Origin.HISTORY, "alice").toAnsi();
      assertFalse(ansi.contains("\u001B"), ansi);
    }
    // A mention is bold, and nothing else has a style: bold is no colour.
    AttributedString mention = plain.render(events.get(0), Origin.LIVE, "alice");
    assertTrue(isBold(styleOf(mention, "alice")));
    assertEquals(AttributedStyle.DEFAULT, styleOf(mention, "bob"));
    assertEquals(AttributedStyle.DEFAULT, styleOf(mention, "hi"));
    assertFalse(plain.notice("Reconnected.").toAnsi().contains("\u001B"));
    assertTrue(colour.render(events.get(0), Origin.LIVE, "alice").toAnsi().contains("\u001B["));
  }

  @Test
  void ownNameStandsOutWhereOthersMentionIt() {
    AttributedString line =
        colour.render(chat("bob", "ask Alice, or alicex", false), Origin.LIVE, "alice");
    assertTrue(isInverse(styleOf(line, "Alice")), "mentioned, in any case");
    assertFalse(isInverse(styleOf(line, "alicex")), "part of another word is no mention");
    assertFalse(isInverse(styleOf(line, "ask")));
    AttributedString own = colour.render(chat("alice", "I am alice", false), Origin.LIVE, "alice");
    int inText = own.toString().lastIndexOf("alice");
    assertFalse(isInverse(own.styleAt(inText)), "not in one's own lines");
    assertTrue(isBold(styleOf(own, "alice:")), "one's own name is bold");
  }

  @Test
  void privateMessagesAreSetApart() {
    AttributedString toMe =
        colour.render(new Event.Private(TIME, "bob", "alice", "psst"), Origin.LIVE, "alice");
    assertEquals("17:00 [private] bob: psst", toMe.toString());
    assertEquals(
        AttributedStyle.DEFAULT.foreground(AttributedStyle.MAGENTA).bold(),
        styleOf(toMe, "[private]"));
    AttributedString fromMe =
        plain.render(new Event.Private(TIME, "alice", "bob", "psst"), Origin.LIVE, "alice");
    assertEquals("17:00 [private to bob] alice: psst", fromMe.toString());
  }

  @Test
  void historyIsDimmedAndMissedMessagesAreNot() {
    AttributedString old = colour.render(chat("bob", "old", true), Origin.HISTORY, "a");
    assertTrue(isFaint(styleOf(old, "old")));
    AttributedString missed = colour.render(chat("bob", "new", true), Origin.MISSED, "a");
    assertFalse(isFaint(styleOf(missed, "new")));
  }

  @Test
  void controlCharactersFromTheNetworkNeverReachTheTerminal() {
    AttributedString line =
        colour.render(chat("bob", "hi \u001B[2J\u0007there", false), Origin.LIVE, "alice");
    assertEquals("17:00 bob: hi there", line.toString());
  }
}
