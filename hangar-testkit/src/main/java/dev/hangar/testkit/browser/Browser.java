package dev.hangar.testkit.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A real browser for page tests: Debian's Chromium ({@value #CHROMIUM}), headless, driven through Debian's
 * chromedriver ({@value #DRIVER}) by Selenium's WebDriver client; nothing is downloaded at run time. Each browser has
 * a profile of its own, thrown away on {@link #close()}, a 1366×768 window, and Chromium's network chatter off (this
 * machine reaches no network but loopback). It trusts any certificate, since the servers under test make their own.
 * Screenshots go to {@code screenshots}, kept as the test's artefacts; what pages write to the console is kept for
 * {@link #console()}.
 */
public final class Browser implements AutoCloseable {
    public static final String CHROMIUM = "/usr/bin/chromium";
    public static final String DRIVER = "/usr/bin/chromedriver";

    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final Path profile;
    private final Path screenshots;

    private Browser(ChromeDriverService service, ChromeDriver driver, Path profile, Path screenshots) {
        this.service = service;
        this.driver = driver;
        this.profile = profile;
        this.screenshots = screenshots;
    }

    /** Starts Chromium; fails saying what to install when it or its driver is missing. */
    /** How often {@link #open} loads a page again after a network change. */
    static final int NETWORK_CHANGE_RETRIES = 3;

    public static Browser start(Path screenshots) {
        for (var program : new String[] {CHROMIUM, DRIVER}) {
            if (!Files.isExecutable(Path.of(program))) {
                throw new IllegalStateException(program + " is missing; install Debian's chromium and chromium-driver"
                        + " (bin/test does)");
            }
        }
        try {
            Files.createDirectories(screenshots);
            var profile = Files.createTempDirectory("hangar-chromium-");
            var options = new ChromeOptions();
            options.setBinary(CHROMIUM);
            options.setAcceptInsecureCerts(true);
            var logging = new LoggingPreferences();
            logging.enable(LogType.BROWSER, Level.ALL);
            options.setCapability("goog:loggingPrefs", logging);
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                            "--disable-background-networking", "--disable-component-update", "--disable-sync",
                            "--disable-quic", "--no-first-run", "--disable-default-apps", "--window-size=1366,768",
                            "--user-data-dir=" + profile);
            var service = new ChromeDriverService.Builder().usingDriverExecutable(Path.of(DRIVER).toFile())
                    .usingAnyFreePort().withTimeout(Duration.ofMinutes(2)).build();
            var driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofMinutes(1)).scriptTimeout(Duration.ofSeconds(30));
            return new Browser(service, driver, profile, screenshots);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    /**
     * Opens {@code url} as a user's address bar does, and again (at most {@value #NETWORK_CHANGE_RETRIES} times) when
     * Chromium answers with its {@code ERR_NETWORK_CHANGED} page: Chromium drops every request in flight when a network
     * interface comes or goes, which Podman's bridge and veth pairs do as a test's containers start, and a user would
     * press Reload. Any other answer, an error page included, is left for the test to judge.
     */
    public void open(String url) {
        for (int attempt = 1; ; attempt++) {
            driver.get(url);
            if (attempt > NETWORK_CHANGE_RETRIES || !driver.getPageSource().contains("ERR_NETWORK_CHANGED")) {
                return;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Saves what the page shows now as {@code name}.png among the screenshots, and returns its path. */
    public Path screenshot(String name) {
        try {
            var file = screenshots.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An accessibility rule the page breaks, as axe-core reports it. */
    public record Violation(String rule, String impact, String help, List<String> targets) {
        @Override
        public String toString() {
            return impact + " " + rule + " (" + help + ") at " + targets;
        }
    }

    /**
     * The page now, checked by axe-core (WCAG 2.1 A and AA rules and best practices), injected through WebDriver so
     * that the page's own Content-Security-Policy does not stand in its way. Every violation, of any impact.
     */
    public List<Violation> accessibilityViolations() {
        try (var script = Browser.class.getResourceAsStream("axe.min.js")) {
            if (script == null) {
                throw new IllegalStateException("axe.min.js is missing from the testkit's jar");
            }
            driver.executeScript(new String(script.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var json = (String) driver.executeAsyncScript("""
                var done = arguments[arguments.length - 1];
                axe.run(document, {resultTypes: ['violations']})
                    .then(function (result) { done(JSON.stringify(result.violations)); })
                    .catch(function (error) { done('failed: ' + error); });""");
        if (json == null || json.startsWith("failed: ")) {
            throw new IllegalStateException("axe-core could not check the page: " + json);
        }
        try {
            var violations = new ArrayList<Violation>();
            for (var found : new com.fasterxml.jackson.databind.ObjectMapper().readTree(json)) {
                var targets = new ArrayList<String>();
                found.path("nodes").forEach(node -> targets.add(node.path("target").toString()));
                violations.add(new Violation(found.path("id").asText(), found.path("impact").asText(),
                        found.path("help").asText(), List.copyOf(targets)));
            }
            return List.copyOf(violations);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The violations of {@link #accessibilityViolations()} that are serious or critical. */
    public List<Violation> seriousAccessibilityViolations() {
        return accessibilityViolations().stream()
                .filter(violation -> violation.impact().equals("serious") || violation.impact().equals("critical"))
                .toList();
    }

    /**
     * The page tests' look at a page: saves what it shows as the screenshot {@code name}, then asserts that axe-core
     * finds no serious accessibility violation in it and that the console logged no error since the last look.
     */
    public void check(String name) {
        screenshot(name);
        org.assertj.core.api.Assertions.assertThat(seriousAccessibilityViolations())
                .as("serious accessibility violations on " + name).isEmpty();
        org.assertj.core.api.Assertions.assertThat(consoleErrors()).as("console errors on " + name).isEmpty();
    }

    /** What the browser's console said at SEVERE level since the last look (script errors, refused loads). */
    public List<String> consoleErrors() {
        return console().stream().filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
    }

    /**
     * What the pages wrote to the console (their scripts' messages and uncaught errors, failed loads) since the last
     * call; errors have the level {@link Level#SEVERE}.
     */
    public List<LogEntry> console() {
        return driver.manage().logs().get(LogType.BROWSER).getAll();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException ignored) {
                // A profile left in /tmp is harmless.
            }
        }
    }
}
