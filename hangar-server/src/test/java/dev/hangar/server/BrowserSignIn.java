package dev.hangar.server;

import dev.hangar.testkit.browser.Browser;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.openqa.selenium.By;

/** Hangar's sign-in page as a first visit meets it, in a browser of the page tests. */
final class BrowserSignIn {
    private BrowserSignIn() {
    }

    /**
     * Forgets the browser's cookies, then opens {@code next} on {@code server} through the sign-in page with
     * {@code token}; the filled form is saved as the screenshot {@code screenshot}.
     */
    static void signIn(Browser browser, URI server, String token, String next, String screenshot) {
        var driver = browser.driver();
        // The page open now goes first: its live updates would otherwise ask on without a session, in vain.
        driver.get("about:blank");
        driver.manage().deleteAllCookies();
        browser.open(server + "/signin?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
        if (driver.findElements(By.id("token")).isEmpty()) {
            throw new AssertionError("No sign-in form at " + driver.getCurrentUrl() + ": " + driver.getTitle() + "\n"
                    + driver.findElement(By.tagName("body")).getText());
        }
        driver.findElement(By.id("token")).sendKeys(token);
        browser.screenshot(screenshot);
        driver.findElement(By.cssSelector("button[type=submit]")).click();
    }

    /**
     * As a studio user signs in: forgets the open page and the cookies, signs in with {@code token} on the way to
     * {@code next}, and waits until the browser is at {@code arrival}.
     */
    static void signIn(Browser browser, URI server, String token, String next, java.util.function.Predicate<String>
            arrival) {
        var driver = browser.driver();
        driver.get("about:blank");
        driver.manage().deleteAllCookies();
        browser.open(server + "/signin?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
        driver.findElement(By.id("token")).sendKeys(token);
        driver.findElement(By.cssSelector("form[action='/signin'] button[type=submit]")).click();
        org.awaitility.Awaitility.await("signed in").atMost(java.time.Duration.ofSeconds(30))
                .until(() -> arrival.test(driver.getCurrentUrl()));
    }
}
