package chat.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The chat's page in a real, headless Chromium (Debian's {@code chromium}, driven by its
 * {@code chromedriver}; nothing is downloaded), as one user sees it: join, type, read the lines
 * of the window being viewed. Waits poll the page until a condition holds, within {@link #WAIT}.
 */
public final class Browser implements AutoCloseable {

  public static final Duration WAIT = Duration.ofSeconds(30);
  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

  private final ChromeDriver driver;
  private final Path profile;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /** A new browser, with a profile of its own: another user. */
  public static Browser start() {
    try {
      Path profile = Files.createTempDirectory("pekko-chat-chromium");
      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM);
      options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
          "--no-first-run", "--disable-background-networking", "--disable-component-update",
          "--disable-sync", "--disable-dev-shm-usage", "--window-size=1100,720",
          "--user-data-dir=" + profile);
      // The server's own certificate is self-signed: a person accepts it once, the test always.
      options.setAcceptInsecureCerts(true);
      ChromeDriverService service = new ChromeDriverService.Builder()
          .usingDriverExecutable(new File(CHROMEDRIVER)).build();
      return new Browser(new ChromeDriver(service, options), profile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether this machine has the browser and its driver (the README names the packages). */
  public static boolean installed() {
    return Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER));
  }

  public void open(String url) {
    driver.get(url);
  }

  /** Joins from the join screen and waits for the chat screen. */
  public void join(String name) {
    WebElement field = until(d -> d.findElement(By.id("join-name")));
    field.sendKeys(name);
    driver.findElement(By.id("join-button")).click();
    until(d -> d.findElement(By.id("chat")).isDisplayed());
    until(d -> "online".equals(status()));
  }

  /** Types a line into the input and presses Enter. */
  public void type(String line) {
    WebElement input = driver.findElement(By.id("input"));
    input.sendKeys(line);
    input.sendKeys(Keys.ENTER);
  }

  /** The connection's state as the page shows it: connecting, online or offline. */
  public String status() {
    return driver.findElement(By.id("status")).getAttribute("data-state");
  }

  /** Waits until the page shows {@code state}. */
  public void awaitStatus(String state) {
    until(d -> state.equals(status()));
  }

  /** One line of the viewed window as it shows: its classes, number, sender and text. */
  public record Line(String classes, String seq, String from, String text) {

    public boolean is(String cssClass) {
      return List.of(classes.split(" ")).contains(cssClass);
    }
  }

  /**
   * The viewed window's lines, read in one go in the page (the page redraws a window as lines
   * come, so references to its elements do not last).
   */
  @SuppressWarnings("unchecked")
  public List<Line> lines() {
    List<List<Object>> read = (List<List<Object>>) script(
        "return [...document.querySelectorAll('#messages .line')].map(l => [l.className,"
            + " l.dataset.seq || '', (l.querySelector('.from') || {}).textContent || '',"
            + " (l.querySelector('.text') || {}).textContent || '']);");
    return read.stream().map(l -> new Line((String) l.get(0), (String) l.get(1),
        ((String) l.get(2)).strip(), (String) l.get(3))).toList();
  }

  /** The viewed window's lines whose text has {@code part}. */
  public List<Line> lines(String part) {
    return lines().stream().filter(line -> line.text().contains(part)).toList();
  }

  /** Waits until a line of the viewed window has {@code part} in its text; that line. */
  public Line awaitLine(String part) {
    return until(d -> lines(part).stream().findFirst().orElse(null));
  }

  /** The lowest message number the viewed window shows. */
  public long lowestSeq() {
    return lines().stream().filter(line -> !line.seq().isEmpty())
        .mapToLong(line -> Long.parseLong(line.seq())).min().orElse(Long.MAX_VALUE);
  }

  /** The window button for {@code window} ({@code #room} or {@code @name}), once it shows. */
  public WebElement window(String window) {
    return until(d -> d.findElement(By.cssSelector("#windows [data-window='" + window + "']")));
  }

  public List<WebElement> find(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** Runs a script in the page; its result. */
  public Object script(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  public String title() {
    return driver.getTitle();
  }

  /** Saves what the browser shows, for a person to look at. */
  public void screenshot(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until {@code condition} gives a value other than null or false. */
  public <T> T until(ExpectedCondition<T> condition) {
    return new WebDriverWait(driver, WAIT)
        .ignoring(org.openqa.selenium.NoSuchElementException.class)
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(condition);
  }

  @Override
  public void close() {
    driver.quit();
    try (var files = Files.walk(profile)) {
      files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      // A profile left in the temporary directory is no failure of the test.
    }
  }
}
