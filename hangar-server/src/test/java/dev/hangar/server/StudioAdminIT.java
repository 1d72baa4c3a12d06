package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hangar.testkit.browser.Browser;
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
 * The studio's administration in Debian's Chromium: an administrator makes a user with a role and is shown their
 * first token once (it works on the API); anyone makes a token of their own, shown once, and revokes it (it stops
 * working at once); an administrator adds a VM size to the catalog and deletes it. A user who is no administrator
 * has no link to those pages and is refused them. Every page passes axe-core without a serious violation and logs no
 * console error. Screenshots are kept in target/browser-screenshots/StudioAdminIT.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StudioAdminIT {
    static final String SIZES = "/subscriptions/00000000-0000-0000-0000-000000000000/providers/"
            + "Microsoft.MachineLearningServices/locations/local/vmSizes";

    @TempDir
    static Path data;
    static ServerProcess server;
    static Https https;
    static Browser browser;
    static String erin;

    @BeforeAll
    static void start() {
        server = new ServerProcess(data, Map.of()).start();
        https = new Https(server.url(), server.certificate());
        browser = Browser.start(Path.of("target", "browser-screenshots", "StudioAdminIT"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void anAdministratorMakesAUserWithARoleAndSeesTheirTokenOnce() {
        var driver = browser.driver();
        signIn(server.adminToken(), "/admin/users");
        assertThat(sections()).contains("Users", "VM sizes", "Tokens");
        driver.findElement(By.id("user-name")).sendKeys("erin");
        driver.findElement(By.cssSelector("#user-role option[value=Reader]")).click();
        driver.findElement(By.cssSelector(".inline-form button[type=submit]")).click();
        await("the new user").atMost(Duration.ofSeconds(10)).until(() -> !driver.findElements(By.id("new-secret"))
                .isEmpty());
        erin = driver.findElement(By.id("new-secret")).getText();
        assertThat(names()).contains("erin", "admin");
        var session = Https.json(https.send("GET", "/hangar/v1/session", erin, null));
        assertThat(session.at("/user/name").asText()).isEqualTo("erin");
        var assignments = https.send("GET", WireFormatIT.WS + "/providers/Microsoft.Authorization/roleAssignments",
                server.adminToken(), null);
        assertThat(assignments.body()).contains(session.at("/user/id").asText());
        browser.check("1-user-made");
        driver.get(server.url() + "/admin/users");
        assertThat(driver.findElements(By.id("new-secret"))).as("shown once").isEmpty();
    }

    @Test
    @Order(2)
    void aTokenMadeOnTheTokensPageWorksUntilItIsRevoked() {
        var driver = browser.driver();
        driver.get(server.url() + "/account/tokens");
        assertThat(row("browser session").getText()).contains("this browser", "Active");
        driver.findElement(By.id("token-name")).sendKeys("laptop");
        driver.findElement(By.id("token-days")).clear();
        driver.findElement(By.id("token-days")).sendKeys("7");
        driver.findElement(By.cssSelector(".inline-form button[type=submit]")).click();
        await("the new token").atMost(Duration.ofSeconds(10)).until(() -> !driver.findElements(By.id("new-secret"))
                .isEmpty());
        var secret = driver.findElement(By.id("new-secret")).getText();
        assertThat(https.send("GET", "/hangar/v1/session", secret, null).statusCode()).isEqualTo(200);
        assertThat(row("laptop").getText()).contains("Active");
        browser.check("2-token-made");

        row("laptop").findElement(By.cssSelector("button.danger")).click();
        await("revoked").atMost(Duration.ofSeconds(10)).until(() -> row("laptop").getText().contains("Revoked"));
        assertThat(https.send("GET", "/hangar/v1/session", secret, null).statusCode()).isEqualTo(401);
        assertThat(row("laptop").findElements(By.tagName("button"))).isEmpty();
        browser.check("3-token-revoked");
    }

    @Test
    @Order(3)
    void anAdministratorAddsAVmSizeAndDeletesIt() {
        var driver = browser.driver();
        driver.get(server.url() + "/admin/sizes");
        assertThat(names()).contains("Standard_DS1_v2", "Standard_NC6s_v3");
        driver.findElement(By.id("size-name")).sendKeys("Standard_Team_v1");
        driver.findElement(By.id("size-family")).sendKeys("teamFamily");
        driver.findElement(By.id("size-vcpus")).sendKeys("8");
        driver.findElement(By.id("size-memory")).sendKeys("32");
        driver.findElement(By.cssSelector(".inline-form button[type=submit]")).click();
        await("the new size").atMost(Duration.ofSeconds(10)).until(() -> names().contains("Standard_Team_v1"));
        assertThat(driver.findElement(By.cssSelector(".notice")).getText()).isEqualTo("Added Standard_Team_v1.");
        assertThat(https.send("GET", SIZES, erin, null).body()).contains("Standard_Team_v1", "teamFamily");
        browser.check("4-size-added");

        row("Standard_Team_v1").findElement(By.cssSelector("button.danger")).click();
        await("the size gone").atMost(Duration.ofSeconds(10)).until(() -> !names().contains("Standard_Team_v1"));
        assertThat(https.send("GET", SIZES, erin, null).body()).doesNotContain("Standard_Team_v1");
        browser.check("5-size-deleted");
    }

    @Test
    @Order(4)
    void aUserWhoIsNoAdministratorHasNoLinkToAdministrationAndIsRefusedIt() {
        var driver = browser.driver();
        signIn(erin, "/account/tokens");
        assertThat(sections()).contains("Tokens").doesNotContain("Users", "VM sizes");
        assertThat(row("browser session").getText()).contains("this browser");
        assertThat(names()).as("her first token, and this session").contains("initial");
        browser.check("6-own-tokens");
        for (var page : List.of("/admin/users", "/admin/sizes")) {
            driver.get(server.url() + page);
            assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Not allowed");
        }
        browser.screenshot("7-refused");
        browser.consoleErrors(); // the refused pages' own 403s
        var status = driver.executeAsyncScript("""
                var done = arguments[arguments.length - 1];
                fetch('/admin/users', {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'},
                    body: 'name=mallory&admin=yes'}).then(function (response) { done(response.status); });""");
        assertThat(((Number) status).intValue()).isEqualTo(403);
        assertThat(https.send("GET", "/hangar/v1/users", server.adminToken(), null).body()).doesNotContain("mallory");
        browser.consoleErrors();
    }

    private static void signIn(String token, String next) {
        BrowserSignIn.signIn(browser, server.url(), token, next, url -> url.endsWith(next));
    }

    private static List<String> sections() {
        return browser.driver().findElements(By.cssSelector("nav.sections a")).stream().map(WebElement::getText)
                .toList();
    }

    private static List<String> names() {
        return browser.driver().findElements(By.cssSelector("tbody th.name")).stream()
                .map(cell -> cell.getText().split(" this browser")[0].strip()).toList();
    }

    private static WebElement row(String name) {
        for (var row : browser.driver().findElements(By.cssSelector("tbody tr"))) {
            if (row.findElement(By.cssSelector("th.name")).getText().startsWith(name)) {
                return row;
            }
        }
        throw new AssertionError("No row " + name + " in " + names());
    }
}
