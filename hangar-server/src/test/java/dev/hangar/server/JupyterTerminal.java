package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hangar.testkit.browser.Browser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebElement;

/**
 * Jupyter's own terminal as a user opens it: New → Terminal on Jupyter's file list, in the tab that opens. Notebook 6.4
 * draws it with xterm.js 3 on canvases, so there are no rows of text in the page to read: its text is read through
 * xterm.js's public selection calls, on the page's {@code window.terminal} (Notebook's own handle).
 */
final class JupyterTerminal {
    private static final String TEXT = """
            var term = window.terminal && window.terminal.term;
            if (!term || !term.element) { return ''; }
            term.selectAll();
            var text = term.getSelection();
            term.clearSelection();
            return text;""";

    private final Browser browser;
    private final String tree;
    private final List<String> consoleErrors = new ArrayList<>();

    private JupyterTerminal(Browser browser, String tree) {
        this.browser = browser;
        this.tree = tree;
    }

    /** From Jupyter's file list, shown and signed in: chooses New → Terminal and goes to the tab it opened. */
    static JupyterTerminal openFromTheFileList(Browser browser) {
        var driver = browser.driver();
        var tree = driver.getWindowHandle();
        browser.console();
        shown(browser, By.id("new-dropdown-button")).click();
        shown(browser, By.cssSelector("#new-terminal a")).click();
        await("the terminal's tab").atMost(Duration.ofSeconds(30)).until(() -> driver.getWindowHandles().size() == 2);
        var opened = driver.getWindowHandles().stream().filter(handle -> !handle.equals(tree)).findFirst()
                .orElseThrow();
        driver.switchTo().window(opened);
        await("the terminal's page").atMost(Duration.ofSeconds(30))
                .until(() -> driver.getCurrentUrl().contains("/terminals/"));
        return new JupyterTerminal(browser, tree);
    }

    private static WebElement shown(Browser browser, By what) {
        return await(what.toString()).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> browser.driver().findElements(what).stream().filter(WebElement::isDisplayed)
                        .findFirst().orElse(null), java.util.Objects::nonNull);
    }

    /** Waits for the shell's prompt, at the end of what the terminal shows; fails at once on an error in the page. */
    JupyterTerminal awaitPrompt() {
        await("the prompt").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .failFast("an error in the page", () -> assertThat(consoleErrors()).isEmpty())
                .until(() -> text().matches("(?s).*[$#]\\s*$"));
        return this;
    }

    /** The errors the page wrote to the console since the terminal's tab opened (its scripts', failed loads). */
    List<String> consoleErrors() {
        browser.console().stream().filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .forEach(entry -> consoleErrors.add(entry.getMessage()));
        return List.copyOf(consoleErrors);
    }

    void type(String keys) {
        browser.driver().findElement(By.cssSelector(".xterm-helper-textarea")).sendKeys(keys);
    }

    /** All the terminal holds, as its lines of text. */
    String text() {
        return (String) browser.driver().executeScript(TEXT);
    }

    /** Where the terminal is drawn in the window. */
    Rectangle screen() {
        return browser.driver().findElement(By.cssSelector(".xterm-screen")).getRect();
    }

    /** Closes the terminal's tab and goes back to the file list's. */
    void close() {
        browser.driver().close();
        browser.driver().switchTo().window(tree);
    }
}
