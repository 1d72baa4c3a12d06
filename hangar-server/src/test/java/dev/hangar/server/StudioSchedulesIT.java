package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.testkit.browser.Browser;
import dev.hangar.testkit.server.LocalInstances;
import dev.hangar.testkit.server.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

/**
 * An instance's start/stop schedules edited on its page, in Debian's Chromium, on a real instance of the host
 * backend: the page shows the schedules made through the API in the create form's rows; a schedule that cannot fire
 * is refused beside its row's field and nothing changes; a fixed one is saved (through the API's checks, shown by the
 * API, the instance's description and tags untouched) without a reload, and the page stays live. A Reader sees the
 * schedules and no form, and what their page posts is refused. Every page passes axe-core without a serious violation
 * and logs no console error, at 1366×768 and at a phone's width. Screenshots are kept in
 * target/browser-screenshots/StudioSchedulesIT.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StudioSchedulesIT {
    static final String BOX = WireFormatIT.WS + "/computes/sched-box";
    static final String PAGE = "/w/default/computes/sched-box";

    @TempDir
    static Path data;
    static ServerProcess server;
    static Https https;
    static Browser browser;
    static String dana;
    static String rita;

    @BeforeAll
    static void start() {
        server = new ServerProcess(data, Map.of("HANGAR_BACKEND_LOCAL_JUPYTER", "/nonexistent/jupyter")).start();
        https = new Https(server.url(), server.certificate());
        dana = https.createUser(server.adminToken(), "dana");
        rita = https.createUser(server.adminToken(), "rita", "Reader");
        https.createInstance(BOX, dana, """
                {"location":"local","tags":{"team":"a"},"properties":{"computeType":"ComputeInstance",
                 "description":"dana's box","properties":{"vmSize":"STANDARD_DS1_V2",
                 "schedules":{"computeStartStop":[{"action":"Stop","triggerType":"Cron",
                   "cron":{"expression":"0 18 * * *","timeZone":"UTC"}}]}}}}""");
        browser = Browser.start(Path.of("target", "browser-screenshots", "StudioSchedulesIT"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        Https.deleteAndStop(server, https, data, BOX, dana);
        new LocalInstances(data).processes().forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    @Order(1)
    void thePageShowsTheSchedulesInTheCreateFormsRows() {
        BrowserSignIn.signIn(browser, server.url(), dana, PAGE, url -> url.endsWith(PAGE));
        var driver = browser.driver();
        assertThat(value("schedule0Cron")).isEqualTo("0 18 * * *");
        assertThat(value("schedule0Zone")).isEqualTo("UTC");
        assertThat(selected("schedule0Action")).isEqualTo("Stop");
        assertThat(value("schedule1Cron")).isEmpty();
        assertThat(driver.findElements(By.cssSelector("#schedules input[name$=Cron]"))).hasSize(4);
        await("Running, shown live").atMost(Duration.ofSeconds(60)).until(() -> state().equals("Running"));
        scrollTo("schedules");
        browser.check("1-schedules");
    }

    @Test
    @Order(2)
    void aScheduleThatCannotFireIsRefusedBesideItsRowAndNothingChanges() {
        var driver = browser.driver();
        driver.executeScript("window.hangarSamePage = true;");
        choose("schedule1Action", "Start");
        type("schedule1Cron", "61 25 * *");
        type("schedule1Zone", "Europe/Paris");
        save();
        await("the refusal, beside its row").atMost(Duration.ofSeconds(10))
                .until(() -> !driver.findElements(By.id("schedule1-error")).isEmpty());
        assertThat(driver.findElement(By.id("schedule1-error")).getText())
                .contains("Schedule 2", "'61 25 * *' is not a 5-field cron expression");
        var cron = driver.findElement(By.name("schedule1Cron"));
        assertThat(cron.getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(cron.getAttribute("aria-describedby")).isEqualTo("schedule1-error");
        assertThat(driver.findElement(By.name("schedule1Zone")).getAttribute("aria-invalid")).isNull();
        assertThat(value("schedule1Cron")).as("what was typed stays").isEqualTo("61 25 * *");
        assertThat(schedules()).as("nothing changed").containsExactly("Stop 0 18 * * * UTC");

        type("schedule1Cron", "0 8 * * 1-5");
        type("schedule1Zone", "Mars/Olympus");
        save();
        await("the zone's refusal").atMost(Duration.ofSeconds(10)).until(() -> "true".equals(driver.findElement(
                By.name("schedule1Zone")).getAttribute("aria-invalid")));
        assertThat(driver.findElement(By.id("schedule1-error")).getText()).contains("'Mars/Olympus' is not a time zone");
        assertThat(schedules()).as("nothing changed").containsExactly("Stop 0 18 * * * UTC");
        scrollTo("schedules");
        browser.check("2-refused");
    }

    @Test
    @Order(3)
    void aFixedScheduleIsSavedWithoutAReloadAndThePageStaysLive() {
        var driver = browser.driver();
        type("schedule1Zone", "W. Europe Standard Time");
        save();
        await("saved").atMost(Duration.ofSeconds(10)).until(() -> !driver.findElements(
                By.cssSelector("#schedules .notice")).isEmpty());
        assertThat(driver.findElement(By.cssSelector("#schedules .notice")).getText())
                .isEqualTo("Saved: sched-box has 2 schedules.");
        assertThat(driver.findElements(By.cssSelector("#schedules .error"))).isEmpty();
        assertThat(schedules()).containsExactly("Stop 0 18 * * * UTC", "Start 0 8 * * 1-5 W. Europe Standard Time");
        var compute = Https.json(https.send("GET", BOX, dana, null));
        assertThat(compute.at("/properties/description").asText()).isEqualTo("dana's box");
        assertThat(compute.at("/tags/team").asText()).isEqualTo("a");
        assertThat(value("schedule1Cron")).isEqualTo("0 8 * * 1-5");
        scrollTo("schedules");
        browser.check("3-saved");

        // Emptying a row removes its schedule.
        type("schedule0Cron", "");
        save();
        await("one left").atMost(Duration.ofSeconds(10)).until(() -> driver.findElements(
                By.cssSelector("#schedules .notice")).stream().anyMatch(notice -> notice.getText()
                .equals("Saved: sched-box has 1 schedule.")));
        assertThat(schedules()).containsExactly("Start 0 8 * * 1-5 W. Europe Standard Time");

        var stop = https.send("POST", BOX + "/stop", dana, null);
        assertThat(stop.statusCode()).isEqualTo(202);
        await("Stopped, shown live").atMost(Duration.ofSeconds(60)).until(() -> state().equals("Stopped"));
        assertThat((Boolean) driver.executeScript("return window.hangarSamePage === true;"))
                .as("the page was not reloaded").isTrue();
        var wide = driver.manage().window().getSize();
        try {
            driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
            scrollTo("schedules");
            browser.check("4-phone");
            var wider = driver.executeScript("""
                    var wider = [];
                    document.querySelectorAll('main *').forEach(function (element) {
                        if (element.getBoundingClientRect().right > window.innerWidth + 1
                                && !element.closest('.table-area, .schedules-area')) {
                            wider.push(element.tagName + '.' + element.className);
                        }
                    });
                    return document.documentElement.scrollWidth > window.innerWidth ? wider.join(', ') : '';""");
            assertThat(wider).as("what makes the page scroll sideways").isEqualTo("");
        } finally {
            driver.manage().window().setSize(wide);
        }
    }

    @Test
    @Order(4)
    void aReaderSeesTheSchedulesAndNoFormAndWhatTheirPagePostsIsRefused() {
        BrowserSignIn.signIn(browser, server.url(), rita, PAGE, url -> url.endsWith(PAGE));
        var driver = browser.driver();
        assertThat(driver.findElements(By.cssSelector("#schedules form"))).isEmpty();
        assertThat(driver.findElement(By.id("schedules")).getText())
                .contains("Start at cron '0 8 * * 1-5' (W. Europe Standard Time)");
        scrollTo("schedules");
        browser.check("5-reader");
        var status = driver.executeAsyncScript("""
                var done = arguments[arguments.length - 1];
                fetch(arguments[0], {method: 'POST', headers: {'HX-Request': 'true',
                    'Content-Type': 'application/x-www-form-urlencoded'}, body: 'schedule0Action=Start&schedule0Cron='
                    + encodeURIComponent('* * * * *') + '&schedule0Zone=UTC'})
                    .then(function (response) { done(response.status); });""", PAGE + "/schedules");
        assertThat(((Number) status).intValue()).isEqualTo(403);
        assertThat(browser.consoleErrors()).as("the refusal, as the console reports it").singleElement()
                .satisfies(error -> assertThat(error).contains("403"));
        assertThat(schedules()).as("nothing changed").containsExactly("Start 0 8 * * 1-5 W. Europe Standard Time");
    }

    /** The instance's schedules as the API shows them: "action expression zone". */
    private static List<String> schedules() {
        JsonNode compute = Https.json(https.send("GET", BOX, dana, null));
        var found = new ArrayList<String>();
        compute.at("/properties/properties/schedules/computeStartStop").forEach(schedule -> found.add(
                schedule.get("action").asText() + " " + schedule.at("/cron/expression").asText() + " "
                        + schedule.at("/cron/timeZone").asText()));
        return found;
    }

    private static void save() {
        browser.driver().findElement(By.cssSelector("#schedules button[type=submit]")).click();
    }

    private static void type(String name, String text) {
        var field = browser.driver().findElement(By.name(name));
        field.clear();
        field.sendKeys(text);
    }

    private static String value(String name) {
        return browser.driver().findElement(By.name(name)).getAttribute("value");
    }

    private static String selected(String name) {
        return browser.driver().findElement(By.cssSelector("select[name=" + name + "] option:checked")).getText();
    }

    private static void choose(String name, String option) {
        browser.driver().findElement(By.xpath("//select[@name='" + name + "']/option[text()='" + option + "']"))
                .click();
    }

    private static void scrollTo(String id) {
        browser.driver().executeScript("document.getElementById(arguments[0]).scrollIntoView();", id);
    }

    private static String state() {
        try {
            return browser.driver().findElement(By.cssSelector("#details-live .state")).getText();
        } catch (org.openqa.selenium.StaleElementReferenceException swappedMeanwhile) {
            return "";
        }
    }
}
