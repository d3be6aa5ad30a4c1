package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.testing.Browser;
import chat.testing.CuttableProxy;
import chat.testing.LineClient;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The chat's page in a real browser (headless Chromium) against a real server over HTTPS with
 * its own certificate, beside users on TCP: chatting, text that looks like HTML, a dropped
 * connection and its resume, older history on scrolling up, /away and /whois. Screenshots go to
 * {@code target/web-client*.png} for a person to look at.
 */
class WebClientIT {

  private static final String WEB = "chat.server.web.enabled = on";

  @BeforeAll
  static void theBrowserIsInstalled() {
    assertTrue(Browser.installed(), "The browser tests need Debian's chromium and"
        + " chromium-driver (apt-get install chromium chromium-driver; .ci/run installs them)");
  }

  private static String page(InetSocketAddress web) {
    return "https://127.0.0.1:" + web.getPort() + "/";
  }

  private static String page(TestServer server) {
    return page(server.addresses.web().orElseThrow());
  }

  /** Opens the page, joins as {@code name}, and waits for {@code seenBy} to see the join. */
  private static void join(Browser browser, TestServer server, String name, LineClient seenBy) {
    browser.open(page(server));
    browser.join(name);
    seenBy.expect(name + " has joined the chat.");
  }

  @Test
  void twoBrowserUsersAndATerminalUserChatAndHtmlShowsAsText() {
    try (TestServer server = TestServer.start(WEB);
        LineClient carl = server.joined("carl");
        Browser ann = Browser.start();
        Browser ben = Browser.start()) {
      join(ann, server, "ann", carl);
      join(ben, server, "ben", carl);

      ann.type("hello from a browser");
      carl.expect("ann: hello from a browser");
      ben.awaitLine("hello from a browser");
      carl.send("hello from a terminal");
      ann.awaitLine("hello from a terminal");
      ben.awaitLine("hello from a terminal");
      ben.type("/me waves");
      carl.expect("* ben waves");
      ann.awaitLine("waves");

      String html = "<img src=x onerror=\"document.title='owned'\"><b>bold</b>";
      carl.send(html);
      assertEquals(html, ann.awaitLine("<img src=x").text());
      assertTrue(ann.find("#messages img, #messages b").isEmpty(), "the text became HTML");
      assertNotEquals("owned", ann.title());

      ann.type("/join #dev");
      ann.window("#dev");
      ben.type("/msg ann lunch?");
      WebElement conversation = ann.window("@ben");
      assertTrue(ann.find("#windows [data-window='#lobby']").size() == 1);
      assertTrue(conversation.getText().contains("ben"), conversation::getText);
      ann.window("#lobby").click();
      ann.awaitLine("hello from a terminal");
      carl.send("/topic Release on Friday: the web client");
      ann.until(d -> d.findElement(By.id("topic")).getText()
          .equals("Release on Friday: the web client"));
      assertEquals(List.of("carl", "ann", "ben").stream().sorted().toList(),
          ann.find("#members li").stream().map(WebElement::getText).sorted().toList());
      ann.screenshot(Path.of("target", "web-client.png"));
    }
  }

  @Test
  void aDroppedConnectionResumesWithEveryLineOnceAndSendsTheLinesTypedMeanwhile() {
    try (TestServer server = TestServer.start(WEB);
        CuttableProxy proxy = CuttableProxy.start(server.addresses.web().orElseThrow());
        LineClient carl = server.joined("carl");
        Browser ann = Browser.start()) {
      ann.open("https://127.0.0.1:" + proxy.port() + "/");
      ann.join("ann");
      carl.expect("ann has joined the chat.");
      carl.send("before the cut");
      ann.awaitLine("before the cut");

      proxy.cut();
      ann.awaitStatus("offline");
      for (int n = 1; n <= 3; n++) {
        carl.send("while ann was away " + n);
      }
      ann.type("typed while offline");
      Browser.Line waiting = ann.awaitLine("typed while offline");
      assertTrue(waiting.is("waiting"), waiting::classes);
      ann.screenshot(Path.of("target", "web-client-offline.png"));

      // The server saw the connection reset: the room was told, and is told of the return.
      carl.expect("ann has disconnected unexpectedly.");
      proxy.heal();
      ann.awaitStatus("online");
      carl.expect("ann has joined the chat.");
      carl.expect("ann: typed while offline");
      carl.send("after the resume");
      ann.awaitLine("after the resume");
      for (String line : List.of("before the cut", "while ann was away 1", "while ann was away 2",
          "while ann was away 3", "typed while offline", "after the resume")) {
        assertEquals(1, ann.lines(line).size(), () -> line + " shows in " + ann.lines());
      }
      assertTrue(ann.find("#messages .waiting").isEmpty(), "a line still shows as waiting");
      // Nothing doubled reached the terminal user either: the next line is the one sent next.
      ann.type("one more");
      carl.expect("ann: one more");
    }
  }

  @Test
  void olderMessagesComeWhenScrollingUp() {
    try (TestServer server = TestServer.start(WEB);
        LineClient carl = server.joined("carl");
        Browser ann = Browser.start()) {
      for (int n = 1; n <= 120; n++) {
        carl.send("message number " + n);
      }
      carl.send("/who");
      carl.expect("In #lobby (1): carl");
      ann.open(page(server));
      ann.join("ann");
      ann.awaitLine("message number 120");
      long lowest = ann.lowestSeq();
      assertTrue(lowest > 1, "the whole history came at once");
      ann.script("document.getElementById('messages').scrollTop = 0;"
          + "document.getElementById('messages').dispatchEvent(new Event('scroll'));");
      ann.until(d -> ann.lowestSeq() < lowest);
      ann.awaitLine("message number " + (lowest - 2));
    }
  }

  @Test
  void awayAndWhoisAnswersShowWhereTheyBelongAndTheMembersListMarksWhoIsAway() {
    try (TestServer server = TestServer.start(WEB);
        LineClient carl = server.joined("carl");
        Browser ann = Browser.start()) {
      join(ann, server, "ann", carl);
      carl.send("/away lunch");
      carl.expect("You are marked as away: lunch");

      ann.type("/who");
      ann.awaitLine("In #lobby (2): ");
      assertEquals(1, ann.lines("carl (away: lunch)").size(), () -> ann.lines().toString());
      WebElement mark =
          ann.until(d -> ann.find("#members .away").stream().findFirst().orElse(null));
      assertEquals("away: lunch", mark.getAttribute("title"));
      assertTrue(mark.findElement(By.xpath("..")).getText().startsWith("carl"));

      // Typed in the private window, a private line and /whois, /away of the page's own.
      ann.type("/query carl");
      ann.window("@carl");
      ann.type("are you there?");
      carl.expect("[private] ann: are you there?");
      Browser.Line away = ann.awaitLine("carl is away: lunch");
      List<Browser.Line> lines = ann.lines();
      assertTrue(lines.indexOf(ann.lines("are you there?").get(0)) < lines.indexOf(away),
          lines::toString);
      ann.type("/whois carl");
      String whois = ann.awaitLine("carl is in ").text();
      assertTrue(whois.matches("carl is in #lobby; connected since "
          + "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d; away: lunch"), whois);
      ann.type("/away brb");
      ann.awaitLine("You are marked as away: brb");
      ann.window("#lobby").click();
      ann.until(d -> ann.find("#members .away").size() == 2);
      ann.type("/away");
      ann.awaitLine("You are no longer marked as away.");
      ann.until(d -> ann.find("#members .away").size() == 1);
    }
  }

  @Test
  void aPrivateLineWhileTheTabIsHiddenCountsInTheTitle() {
    try (TestServer server = TestServer.start(WEB);
        LineClient carl = server.joined("carl");
        Browser ann = Browser.start()) {
      join(ann, server, "ann", carl);
      ann.script("Object.defineProperty(document, 'hidden', {value: true, configurable: true});"
          + "Object.defineProperty(document, 'visibilityState', {value: 'hidden',"
          + " configurable: true});"
          + "document.dispatchEvent(new Event('visibilitychange'));");
      carl.send("/msg ann are you there?");
      carl.send("ann: and this mentions you");
      carl.send("this does not");
      ann.until(d -> d.getTitle().startsWith("(2) "));
      ann.script("Object.defineProperty(document, 'hidden', {value: false, configurable: true});"
          + "Object.defineProperty(document, 'visibilityState', {value: 'visible',"
          + " configurable: true});"
          + "document.dispatchEvent(new Event('visibilitychange'));");
      ann.until(d -> !d.getTitle().startsWith("("));
    }
  }
}
