package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hangar.testkit.browser.Browser;
import dev.hangar.testkit.server.LocalInstances;
import dev.hangar.testkit.server.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The web studio as its users meet it, in Debian's Chromium: the server's root leads a new visitor to the sign-in page
 * and, signed in, to the compute list; the list shows the reader's instances with their apps, changes state live
 * (no reload) when an instance is stopped elsewhere, and starts one from its row; the create form checks the name as it
 * is typed, refuses bad input on the form, reviews, and creates an instance whose own page shows it come up and its
 * creation script's log; a stopped instance's app link
 * lands on a page that starts it and then opens the app by itself; a search finds by name; a Reader sees
 * no action and a POST made from their page is refused; signing out ends the session on the server. Every page passes
 * axe-core's accessibility check without a serious violation, and logs no error to the console (the pages' policy
 * lets no inline script or style run, so a page that needed one would say so there). Screenshots are kept in
 * target/browser-screenshots/StudioIT.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StudioIT {
    static final String WS = WireFormatIT.WS;
    static final String LIST = "/w/default/computes";
    static final String CREATE = "/w/default/create/instance";
    static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE6UNUcnWq3btm40I85exdXqPxPtepkOzP3pikxpuePk"
            + " dana@studio";

    @TempDir
    static Path data;
    static ServerProcess server;
    static Https https;
    static Browser browser;
    static String dana;
    static String rita;

    @BeforeAll
    static void start() {
        server = new ServerProcess(data, Map.of()).start();
        https = new Https(server.url(), server.certificate());
        dana = https.createUser(server.adminToken(), "dana");
        rita = https.createUser(server.adminToken(), "rita", "Reader");
        https.createInstance(WS + "/computes/dana-box", dana, WireFormatIT.CREATE);
        var quota = QuotasIT.updateQuotasOn(https, server.adminToken(), QuotasIT.workspaceQuota(QuotasIT.DS_QUOTA, 24));
        assertThat(quota.statusCode()).as(quota.body()).isEqualTo(200);
        browser = Browser.start(Path.of("target", "browser-screenshots", "StudioIT"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        Https.deleteAndStop(server, https, data, WS + "/computes/dana-box", dana);
        new LocalInstances(data).processes().forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    @Order(1)
    void aNewVisitorSignsInAndSeesTheirInstancesWithTheirApps() {
        var driver = browser.driver();
        driver.manage().deleteAllCookies();
        driver.get(server.url() + "/");
        assertThat(driver.getCurrentUrl()).contains("/signin?next=");
        assertThat(driver.findElement(By.id("token-help")).getText()).contains("hangar token create");
        browser.check("1-sign-in");

        driver.findElement(By.id("token")).sendKeys(dana);
        driver.findElement(By.name("remember")).click();
        driver.findElement(By.cssSelector("form[action='/signin'] button[type=submit]")).click();
        await("the compute list").atMost(Duration.ofSeconds(30)).until(() -> driver.getCurrentUrl().endsWith(LIST));
        var row = row("dana-box");
        assertThat(row.findElement(By.cssSelector(".state")).getText()).isEqualTo("Running");
        assertThat(row.findElements(By.cssSelector("td.apps a")).stream().map(WebElement::getText))
                .containsExactly("Jupyter", "Terminal");
        assertThat(row.findElement(By.cssSelector("td.apps a")).getAttribute("href"))
                .endsWith("/workspaces/default/computes/dana-box/apps/jupyter/");
        assertThat(row.findElements(By.cssSelector("td.actions button")).stream().map(WebElement::getText))
                .containsExactly("Stop", "Restart", "Delete");
        assertThat(driver.findElement(By.cssSelector(".who .user")).getText()).isEqualTo("dana");
        // "Keep me signed in": the session's cookie outlives the browser, and it is not the token typed in.
        var cookie = driver.manage().getCookieNamed("hangar_session");
        assertThat(cookie.getExpiry()).as("a remembered session's cookie has an expiry").isNotNull();
        assertThat(cookie.getValue()).isNotEqualTo(dana);
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.isSecure()).isTrue();
        browser.check("2-compute-list");
    }

    @Test
    @Order(2)
    void theCreateFormChecksTheNameReviewsAndCreatesAnInstanceThatComesUpLive() {
        var driver = browser.driver();
        driver.get(server.url() + LIST);
        driver.findElement(By.linkText("Create")).click();
        await("the form").atMost(Duration.ofSeconds(10)).until(() -> driver.getCurrentUrl().endsWith(CREATE));
        var name = driver.findElement(By.id("name"));
        name.sendKeys("dana-box");
        await("taken").atMost(Duration.ofSeconds(10)).until(() -> driver.findElement(By.id("name-check")).getText()
                .contains("is taken"));
        name.clear();
        name.sendKeys("dana-nb");
        await("available").atMost(Duration.ofSeconds(10)).until(() -> driver.findElement(By.id("name-check"))
                .getText().equals("'dana-nb' is available."));
        // dana-box holds 1 of the family's 24 cores.
        assertThat(driver.findElement(By.id("size")).getText())
                .contains("Standard_DS3_v2 · 4 vCPUs, 14 GB · 23 standardDSv2Family cores left");
        driver.findElement(By.id("ssh")).click();
        driver.findElement(By.id("sshKey")).sendKeys(KEY);
        driver.findElement(By.cssSelector("#creationSource option[value=inline]")).click();
        driver.findElement(By.id("creationText")).sendKeys("echo hello-from-$((6*7))");
        driver.findElement(By.id("tags")).sendKeys("team vision");
        browser.check("2a-create-form");

        // A tag line without '=' is refused on the form itself, the field marked, and nothing is made.
        driver.findElement(By.cssSelector("button[value=review]")).click();
        await("the refusal").atMost(Duration.ofSeconds(10)).until(() -> text("#form-error"),
                error -> error.contains("name=value"));
        assertThat(driver.findElement(By.id("tags")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(https.send("GET", WS + "/computes/dana-nb", dana, null).statusCode()).isEqualTo(404);
        assertThat(browser.consoleErrors()).as("the refusal's status, as the console reports it").singleElement()
                .asString().contains("400");
        driver.findElement(By.id("tags")).clear();
        driver.findElement(By.id("tags")).sendKeys("team=vision");
        driver.findElement(By.cssSelector("button[value=review]")).click();
        await("the review").atMost(Duration.ofSeconds(10)).until(() -> text("h1"), "Review: dana-nb"::equals);
        assertThat(driver.findElement(By.cssSelector("dl.fields")).getText()).contains("SSH\non, with the key given")
                .contains("Creation script\nwritten here");
        browser.check("2b-review");

        driver.findElement(By.cssSelector("button[value=create]")).click();
        await("its own page").atMost(Duration.ofSeconds(30))
                .until(() -> driver.getCurrentUrl().endsWith(LIST + "/dana-nb"));
        await("Running, shown live").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                .until(() -> text("#details-live .state").equals("Running"));
        await("the creation script's log").atMost(Duration.ofSeconds(30))
                .until(() -> text("#details-live .log pre").contains("hello-from-42"));
        assertThat(driver.findElement(By.cssSelector(".history")).getText()).contains("SettingUp").contains("Running");
        var created = Https.json(https.send("GET", WS + "/computes/dana-nb", dana, null)).at("/properties");
        assertThat(created.at("/properties/sshSettings/sshPublicAccess").asText()).isEqualTo("Enabled");
        assertThat(created.at("/properties/idleTimeBeforeShutdown").asText()).isEqualTo("PT1H");
        assertThat(Https.json(https.send("GET", WS + "/computes/dana-nb", dana, null)).at("/tags/team").asText())
                .isEqualTo("vision");
        browser.check("2c-created");
        var deleted = https.send("DELETE", WS + "/computes/dana-nb?underlyingResourceAction=Delete", dana, null);
        assertThat(deleted.statusCode()).as(deleted.body()).isIn(200, 202, 204);
        await("dana-nb deleted").atMost(Duration.ofMinutes(2)).until(() ->
                https.send("GET", WS + "/computes/dana-nb", dana, null).statusCode() == 404);
    }

    @Test
    @Order(3)
    void aStateChangeMadeElsewhereShowsWithoutReloadAndARowStartsItsInstance() {
        var driver = browser.driver();
        driver.get(server.url() + LIST);
        driver.executeScript("window.hangarSamePage = true;");
        await("the live stream").atMost(Duration.ofSeconds(10)).until(() -> (Boolean) driver.executeScript(
                "var source = document.getElementById('compute-table')['htmx-internal-data'];"
                        + " return !!(source && source.sseEventSource && source.sseEventSource.readyState === 1);"));

        var stop = https.send("POST", WS + "/computes/dana-box/stop", dana, null);
        assertThat(stop.statusCode()).as(stop.body()).isIn(200, 202);
        await("Stopped, shown live").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> state("dana-box").equals("Stopped"));
        assertThat((Boolean) driver.executeScript("return window.hangarSamePage === true;"))
                .as("the page was not reloaded").isTrue();
        browser.screenshot("3-stopped-live");
        var buttons = row("dana-box").findElements(By.cssSelector("td.actions button")).stream()
                .map(WebElement::getText).toList();
        assertThat(buttons).containsExactly("Start", "Delete");

        row("dana-box").findElement(By.xpath(".//button[text()='Start']")).click();
        await("a notice").atMost(Duration.ofSeconds(30))
                .until(() -> driver.findElement(By.id("toast")).getText().contains("Starting dana-box"));
        await("Running again, shown live").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> state("dana-box").equals("Running"));
        assertThat((Boolean) driver.executeScript("return window.hangarSamePage === true;")).isTrue();
        assertThat(Https.json(https.send("GET", WS + "/computes/dana-box", dana, null))
                .at("/properties/properties/lastOperation/operationName").asText()).isEqualTo("Start");
        browser.check("4-started-from-the-page");
    }

    @Test
    @Order(4)
    void aStoppedInstancesAppLinkOffersStartAndOpensTheAppOnceItRuns() {
        var driver = browser.driver();
        var stop = https.send("POST", WS + "/computes/dana-box/stop", dana, null);
        assertThat(stop.statusCode()).as(stop.body()).isIn(200, 202);
        await("Stopped").atMost(Duration.ofMinutes(2)).until(() -> Https.json(https.send("GET",
                WS + "/computes/dana-box", dana, null)).at("/properties/properties/state").asText().equals("Stopped"));

        driver.get(server.url() + "/workspaces/default/computes/dana-box/apps/jupyter/tree");
        assertThat(driver.getCurrentUrl()).endsWith("/w/default/computes/dana-box/open?app=jupyter");
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("dana-box is not running");
        assertThat(driver.findElement(By.id("wait-state")).getText()).isEqualTo("Stopped");
        browser.check("5-stopped-app-link");
        driver.findElement(By.xpath("//button[text()='Start dana-box']")).click();
        await("Jupyter, opened by the page itself").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                .until(() -> driver.getCurrentUrl().contains("/workspaces/default/computes/dana-box/apps/jupyter/"));
        await("Jupyter's file list").atMost(Duration.ofSeconds(60)).until(() ->
                !driver.findElements(By.cssSelector("#notebook_list")).isEmpty());
        browser.screenshot("6-app-opened");
        browser.consoleErrors(); // Jupyter's own page is not the studio's to judge
    }

    @Test
    @Order(5)
    void anAppThatDoesNotAnswerGetsAPageThatWaitsForIt() {
        var driver = browser.driver();
        var jupyter = "/workspaces/default/computes/dana-box/apps/jupyter/";
        // Jupyter ended behind the gateway's back, as its own Quit ends it: a page load waits for it rather than
        // getting a bare 502; an API client still gets the proxy's answer.
        var notebook = new LocalInstances(data).processes().stream().filter(process -> process.info().commandLine()
                .orElse("").contains("--NotebookApp.base_url=" + jupyter)).toList();
        assertThat(notebook).as("dana-box's notebook server").isNotEmpty();
        notebook.forEach(ProcessHandle::destroy);
        await("Jupyter gone").atMost(Duration.ofSeconds(30)).until(() -> notebook.stream()
                .noneMatch(ProcessHandle::isAlive));

        var page = https.send("GET", jupyter + "tree", dana, null, "Accept", "text/html,application/xhtml+xml");
        assertThat(page.statusCode()).as(page.body()).isEqualTo(503);
        assertThat(page.body()).contains("The app does not answer yet").contains("waiting.js");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(policy ->
                assertThat(policy).contains("script-src 'self'"));
        assertThat(page.headers().firstValue("Retry-After")).hasValue("2");
        var api = https.send("GET", jupyter + "api/status", dana, null);
        assertThat(api.statusCode()).as("an API client gets the proxy's own answer").isEqualTo(502);
        driver.get(server.url() + jupyter + "tree");
        assertThat(text("h1")).as("what the browser shows").isEqualTo("The app does not answer yet");
        browser.consoleErrors(); // the page's own 503
        browser.check("6a-app-not-answering");

        // Stopped and started again, the instance runs a new Jupyter.
        var stop = https.send("POST", WS + "/computes/dana-box/stop", dana, null);
        assertThat(stop.statusCode()).as(stop.body()).isIn(200, 202);
        await("Stopped").atMost(Duration.ofMinutes(2)).until(() -> Https.json(https.send("GET",
                WS + "/computes/dana-box", dana, null)).at("/properties/properties/state").asText().equals("Stopped"));
        https.waitForOperation(https.send("POST", WS + "/computes/dana-box/start", dana, null).headers()
                .firstValue("Azure-AsyncOperation").orElseThrow(), dana);
        driver.get(server.url() + jupyter + "tree");
        await("Jupyter again").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .until(() -> !driver.findElements(By.cssSelector("#notebook_list")).isEmpty());
        browser.consoleErrors(); // Jupyter's own page is not the studio's to judge
    }

    @Test
    @Order(6)
    void theSearchFindsByNameAndSaysWhenNothingMatches() {
        var driver = browser.driver();
        driver.get(server.url() + LIST);
        driver.findElement(By.id("search")).sendKeys("zz");
        await("no match").atMost(Duration.ofSeconds(10))
                .until(() -> driver.findElements(By.cssSelector(".empty")).stream()
                        .anyMatch(empty -> empty.getText().contains("No compute instance matches")));
        assertThat(driver.getCurrentUrl()).endsWith(LIST + "?q=zz");
        driver.findElement(By.id("search")).clear();
        driver.findElement(By.id("search")).sendKeys("BOX");
        await("the match").atMost(Duration.ofSeconds(10))
                .until(() -> driver.findElements(By.cssSelector("tbody th.name")).stream()
                        .anyMatch(name -> name.getText().equals("dana-box")));
        browser.check("7-search");

        // The other kinds of compute, in tabs of their own.
        var cluster = https.send("PUT", WS + "/computes/dana-cl?api-version=2024-04-01", dana,
                ClustersIT.cluster("Standard_DS1_v2", 0, 2, "PT120S"));
        assertThat(cluster.statusCode()).as(cluster.body()).isIn(200, 201);
        driver.get(server.url() + LIST);
        driver.findElement(By.linkText("Compute clusters")).click();
        await("the clusters' tab").atMost(Duration.ofSeconds(10))
                .until(() -> driver.getCurrentUrl().endsWith("/w/default/clusters"));
        await("dana-cl, steady with no node").atMost(Duration.ofSeconds(30)).until(() -> {
            driver.navigate().refresh();
            return text("tbody");
        }, rows -> rows.replaceAll("\\s+", " ").contains("dana-cl Standard_DS1_v2 Steady 0 of 0–2"));
        browser.check("7c-clusters");
        driver.findElement(By.linkText("Attached computes")).click();
        assertThat(driver.findElement(By.cssSelector(".empty")).getText()).contains("No attached computes yet");
        assertThat(driver.findElement(By.id("compute-table")).getAttribute("sse-connect"))
                .as("the attached computes' tab is live too").contains("/w/default/live/attached?");
        browser.check("7d-attached");
        var deleted = https.send("DELETE", WS + "/computes/dana-cl?api-version=2024-04-01&underlyingResourceAction=Delete", dana,
                null);
        assertThat(deleted.statusCode()).as(deleted.body()).isIn(200, 202, 204);

        // At a phone's width the page itself does not scroll sideways; the table scrolls within its area.
        var wide = driver.manage().window().getSize();
        try {
            driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
            driver.get(server.url() + LIST);
            browser.screenshot("7b-phone");
            assertThat((String) driver.executeScript("var wide = []; document.querySelectorAll('body *')"
                    + ".forEach(function (e) { var r = e.getBoundingClientRect(); if (r.right > document"
                    + ".documentElement.clientWidth + 1 && !e.closest('.table-area')) { wide.push(e.tagName + '.'"
                    + " + e.className + ' ' + Math.round(r.right)); } }); return document.documentElement"
                    + ".scrollWidth + ' > ' + document.documentElement.clientWidth + ': ' + wide.slice(0, 8);"))
                    .as("what is wider than the page at 390 px").matches("(\\d+) > \\1: ");
            browser.check("7b-phone");
        } finally {
            driver.manage().window().setSize(wide);
        }
    }

    @Test
    @Order(7)
    void signingOutEndsTheSessionOnTheServer() {
        var driver = browser.driver();
        driver.get(server.url() + LIST);
        var session = driver.manage().getCookieNamed("hangar_session").getValue();
        driver.findElement(By.cssSelector(".who form button")).click();
        await("signed out").atMost(Duration.ofSeconds(10))
                .until(() -> driver.findElement(By.tagName("h1")).getText().equals("Signed out"));
        assertThat(driver.manage().getCookieNamed("hangar_session")).isNull();
        browser.check("8-signed-out");
        // The session's token no longer works anywhere, even where the cookie was copied.
        assertThat(https.send("GET", WS + "/computes", session, null).statusCode()).isEqualTo(401);
        var tokens = Https.json(https.send("GET", "/hangar/v1/tokens", dana, null)).get("value");
        assertThat(tokens.findValuesAsText("name")).contains("browser session");
        driver.get(server.url() + LIST);
        assertThat(driver.getCurrentUrl()).contains("/signin?next=");
    }

    @Test
    @Order(8)
    void aReaderSeesNoActionAndWhatTheirPagePostsIsRefused() {
        var driver = browser.driver();
        driver.manage().deleteAllCookies();
        driver.get(server.url() + "/signin?next=" + LIST);
        driver.findElement(By.id("token")).sendKeys(rita);
        driver.findElement(By.cssSelector("form[action='/signin'] button[type=submit]")).click();
        await("the compute list").atMost(Duration.ofSeconds(30)).until(() -> driver.getCurrentUrl().endsWith(LIST));
        var row = row("dana-box");
        assertThat(row.findElements(By.cssSelector("td.actions button"))).isEmpty();
        assertThat(row.findElements(By.cssSelector("input[type=checkbox]"))).isEmpty();
        assertThat(row.findElements(By.cssSelector("td.apps a"))).as("another's apps are not offered").isEmpty();
        assertThat(driver.findElements(By.id("bulk"))).isEmpty();
        // A POST made from the Reader's own page, with their session, is refused all the same.
        var status = driver.executeAsyncScript("""
                var done = arguments[arguments.length - 1];
                fetch('/w/default/computes/dana-box/stop', {method: 'POST', headers: {'HX-Request': 'true'}})
                    .then(function (response) { done(response.status); });""");
        assertThat(((Number) status).intValue()).isEqualTo(403);
        assertThat(browser.consoleErrors()).as("the refusal, as the console reports it").singleElement()
                .asString().contains("403");
        assertThat(Https.json(https.send("GET", WS + "/computes/dana-box", dana, null))
                .at("/properties/properties/state").asText()).isEqualTo("Running");
        browser.check("9-reader");
    }

    private static WebElement row(String name) {
        var rows = browser.driver().findElements(By.cssSelector("tbody tr"));
        for (var row : rows) {
            if (row.findElements(By.cssSelector("th.name")).stream().anyMatch(cell -> cell.getText().equals(name))) {
                return row;
            }
        }
        throw new AssertionError("No row " + name + " in " + rows.stream().map(WebElement::getText).toList());
    }

    /** The text of the element {@code css} selects now, or "" while a live update swaps it. */
    private static String text(String css) {
        try {
            return browser.driver().findElement(By.cssSelector(css)).getText();
        } catch (org.openqa.selenium.StaleElementReferenceException
                 | org.openqa.selenium.NoSuchElementException swappedMeanwhile) {
            return "";
        }
    }

    private static String state(String name) {
        try {
            return row(name).findElement(By.cssSelector(".state")).getText();
        } catch (org.openqa.selenium.StaleElementReferenceException | AssertionError swappedMeanwhile) {
            return "";
        }
    }

    static List<String> names() {
        return browser.driver().findElements(By.cssSelector("tbody th.name")).stream().map(WebElement::getText)
                .toList();
    }
}
