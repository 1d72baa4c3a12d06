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
 * working at once); an administrator adds a VM size to the catalog and deletes it; an administrator gives a user a
 * role in another workspace (a refusal is shown beside its field, and nothing is recorded) and removes it after a
 * confirmation. A user who is no administrator, even a workspace's Owner, has no link to those pages and is refused
 * them and what they post. Every page passes axe-core without a serious violation and logs no
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
    static String olga;
    static final String TEAM = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/hangar/providers/"
            + "Microsoft.MachineLearningServices/workspaces/team-ws";

    @BeforeAll
    static void start() {
        server = new ServerProcess(data, Map.of()).start();
        https = new Https(server.url(), server.certificate());
        browser = Browser.start(Path.of("target", "browser-screenshots", "StudioAdminIT"));
        olga = https.createUser(server.adminToken(), "olga", "Owner");
        var team = https.send("PUT", TEAM, server.adminToken(), "{\"location\":\"local\"}");
        assertThat(team.statusCode()).as(team.body()).isIn(200, 201);
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
    void anAdministratorGivesARoleInAnotherWorkspaceAndWhatIsRefusedIsShownByItsField() {
        var driver = browser.driver();
        driver.get(server.url() + "/admin/users");
        driver.findElement(By.linkText("Roles")).click();
        await("the roles").atMost(Duration.ofSeconds(10)).until(() -> driver.getCurrentUrl().endsWith("/admin/roles"));
        assertThat(driver.findElement(By.cssSelector(".sections a[aria-current=page]")).getText()).isEqualTo("Roles");
        assertThat(roleRows()).contains("erin Reader default", "olga Owner default");
        assertThat(row("erin").findElement(By.cssSelector("td.scope")).getText()).matches(
                "/subscriptions/.*/workspaces/default/providers/Microsoft.Authorization/roleAssignments/[0-9a-f-]{36}");
        browser.check("6-roles");

        // erin is Reader of default already: the API refuses the same assignment again, beside the role.
        choose("assign-user", "erin");
        choose("assign-role", "Reader");
        choose("assign-workspace", "default");
        driver.findElement(By.cssSelector("form[aria-label='Give a user a role'] button[type=submit]")).click();
        await("the refusal, by its field").atMost(Duration.ofSeconds(10))
                .until(() -> !driver.findElements(By.id("assign-role-error")).isEmpty());
        assertThat(driver.findElement(By.id("assign-role-error")).getText()).contains("already exists");
        assertThat(driver.findElement(By.id("assign-role")).getAttribute("aria-describedby"))
                .isEqualTo("assign-role-error");
        assertThat(driver.findElement(By.id("assign-role")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(assignments("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/hangar/providers/"
                + "Microsoft.MachineLearningServices/workspaces/default")).as("nothing recorded").hasSize(2);
        browser.check("7-role-refused");

        // A user who is not in the list (the page's option changed, as a hand-made post would send it).
        driver.executeScript("document.querySelector('#assign-user option:checked').value ="
                + " '00000000-0000-0000-0000-00000000beef';");
        choose("assign-role", "Contributor");
        choose("assign-workspace", "team-ws");
        driver.findElement(By.cssSelector("form[aria-label='Give a user a role'] button[type=submit]")).click();
        await("the refusal of an unknown user").atMost(Duration.ofSeconds(10))
                .until(() -> !driver.findElements(By.id("assign-user-error")).isEmpty());
        assertThat(driver.findElement(By.id("assign-user-error")).getText()).contains("No user with object id");
        assertThat(assignments(TEAM)).as("nothing recorded").isEmpty();

        choose("assign-user", "erin");
        choose("assign-role", "Contributor");
        choose("assign-workspace", "team-ws");
        driver.findElement(By.cssSelector("form[aria-label='Give a user a role'] button[type=submit]")).click();
        await("the new assignment").atMost(Duration.ofSeconds(10)).until(() -> roleRows()
                .contains("erin Contributor team-ws"));
        assertThat(driver.findElement(By.cssSelector(".notice")).getText())
                .isEqualTo("erin's role Contributor in team-ws given.");
        assertThat(driver.findElements(By.cssSelector(".error"))).isEmpty();
        var given = assignments(TEAM);
        assertThat(given).hasSize(1);
        assertThat(given.getFirst().at("/properties/principalId").asText()).isEqualTo(erinId());
        assertThat(given.getFirst().at("/properties/roleDefinitionId").asText())
                .endsWith("/b24988ac-6180-42a0-ab88-20f7382dd24c");
        assertThat(https.send("GET", TEAM + "/computes", erin, null).statusCode()).as("erin works in team-ws")
                .isEqualTo(200);
        browser.check("8-role-given");
    }

    @Test
    @Order(5)
    void anAdministratorRemovesARoleAfterConfirmingIt() {
        var driver = browser.driver();
        driver.get(server.url() + "/admin/roles");
        var team = teamRow();
        team.findElement(By.cssSelector("button.danger")).click();
        await("the confirmation").atMost(Duration.ofSeconds(10))
                .until(() -> driver.findElement(By.tagName("h1")).getText()
                        .equals("Delete erin's role Contributor in team-ws?"));
        assertThat(assignments(TEAM)).as("not before it is confirmed").hasSize(1);
        browser.check("9-remove-confirm");

        driver.findElement(By.linkText("Keep it")).click();
        await("back, kept").atMost(Duration.ofSeconds(10)).until(() -> roleRows().contains("erin Contributor team-ws"));
        teamRow().findElement(By.cssSelector("button.danger")).click();
        await("the confirmation").atMost(Duration.ofSeconds(10))
                .until(() -> !driver.findElements(By.cssSelector("section.message button.danger")).isEmpty());
        driver.findElement(By.cssSelector("section.message button.danger")).click();
        await("removed").atMost(Duration.ofSeconds(10)).until(() -> !roleRows().contains("erin Contributor team-ws"));
        assertThat(driver.findElement(By.cssSelector(".notice")).getText())
                .isEqualTo("erin's role Contributor in team-ws removed.");
        assertThat(assignments(TEAM)).isEmpty();
        assertThat(https.send("GET", TEAM + "/computes", erin, null).statusCode()).as("erin no longer works there")
                .isEqualTo(403);
        browser.check("10-role-removed");
    }

    @Test
    @Order(6)
    void aUserWhoIsNoAdministratorHasNoLinkToAdministrationAndIsRefusedIt() {
        var driver = browser.driver();
        signIn(erin, "/account/tokens");
        assertThat(sections()).contains("Tokens").doesNotContain("Users", "VM sizes");
        assertThat(row("browser session").getText()).contains("this browser");
        assertThat(names()).as("her first token, and this session").contains("initial");
        browser.check("12-own-tokens");
        for (var page : List.of("/admin/users", "/admin/sizes", "/admin/roles")) {
            driver.get(server.url() + page);
            assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Not allowed");
        }
        browser.screenshot("11-refused");
        browser.consoleErrors(); // the refused pages' own 403s
        var status = driver.executeAsyncScript("""
                var done = arguments[arguments.length - 1];
                fetch('/admin/users', {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'},
                    body: 'name=mallory&admin=yes'}).then(function (response) { done(response.status); });""");
        assertThat(((Number) status).intValue()).isEqualTo(403);
        assertThat(https.send("GET", "/hangar/v1/users", server.adminToken(), null).body()).doesNotContain("mallory");
        browser.consoleErrors();
    }

    @Test
    @Order(7)
    void aWorkspacesOwnerIsNoAdministratorAndWhatTheyPostToTheRolesPageIsRefused() {
        var driver = browser.driver();
        var defaultWs = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/hangar/providers/"
                + "Microsoft.MachineLearningServices/workspaces/default";
        var before = assignments(defaultWs);
        var erinsRole = before.stream().filter(found -> found.at("/properties/principalId").asText().equals(erinId()))
                .findFirst().orElseThrow().get("name").asText();
        signIn(olga, "/account/tokens");
        assertThat(sections()).doesNotContain("Roles", "Users", "VM sizes");
        driver.get(server.url() + "/admin/roles");
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Not allowed");
        browser.consoleErrors(); // the refused page's own 403
        var statuses = driver.executeAsyncScript("""
                var done = arguments[arguments.length - 1];
                var post = function (path, body) {
                    return fetch(path, {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'},
                        body: body}).then(function (response) { return response.status; });
                };
                Promise.all([post('/admin/roles', 'user=' + arguments[0] + '&role=8e3af657-a8ff-443c-a75c-2fe8c4bcb635'
                                  + '&workspace=team-ws'),
                             post('/admin/roles/default/' + arguments[1] + '/delete', 'confirm=yes')])
                    .then(function (statuses) { done(statuses.join(',')); });""", erinId(), erinsRole);
        assertThat(statuses).isEqualTo("403,403");
        assertThat(browser.consoleErrors()).hasSize(2).allSatisfy(error -> assertThat(error).contains("403"));
        assertThat(assignments(defaultWs)).as("nothing changed").hasSameSizeAs(before);
        assertThat(assignments(TEAM)).as("nothing given").isEmpty();
    }

    private static List<com.fasterxml.jackson.databind.JsonNode> assignments(String workspace) {
        var found = Https.json(https.send("GET", workspace + "/providers/Microsoft.Authorization/roleAssignments",
                server.adminToken(), null));
        var list = new java.util.ArrayList<com.fasterxml.jackson.databind.JsonNode>();
        found.get("value").forEach(list::add);
        return list;
    }

    private static String erinId() {
        return Https.json(https.send("GET", "/hangar/v1/session", erin, null)).at("/user/id").asText();
    }

    /** Each assignment's row as "user role workspace". */
    private static List<String> roleRows() {
        return browser.driver().findElements(By.cssSelector("table.roles tbody tr")).stream().map(row -> {
            var cells = row.findElements(By.cssSelector("th, td"));
            return cells.get(0).getText() + " " + cells.get(1).getText().replace(" custom", "") + " "
                    + cells.get(2).getText();
        }).toList();
    }

    private static WebElement teamRow() {
        return browser.driver().findElements(By.cssSelector("table.roles tbody tr")).stream()
                .filter(row -> row.getText().contains("team-ws")).findFirst().orElseThrow();
    }

    private static void choose(String select, String option) {
        browser.driver().findElement(By.xpath("//select[@id='" + select + "']/option[text()='" + option + "']"))
                .click();
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
