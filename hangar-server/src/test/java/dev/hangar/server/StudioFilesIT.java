package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.testkit.browser.Browser;
import dev.hangar.testkit.server.LocalInstances;
import dev.hangar.testkit.server.ServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
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
 * The studio's file share, quotas and events pages in Debian's Chromium. A Contributor finds their own folder,
 * uploads files through the file input and by dropping them on the list, downloads one (the same bytes), makes a
 * folder and deletes a file after confirming; the quotas page shows the cores used against each limit as the API's
 * {@code usages} count them, with meters; the events page filters the audit log and pages through it without
 * repeating an event. A Reader sees no upload, folder or delete, and what their page posts is refused. Every page passes
 * axe-core without a serious violation and logs no console error. Screenshots are kept in
 * target/browser-screenshots/StudioFilesIT.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StudioFilesIT {
    static final String WS = WireFormatIT.WS;
    static final String SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
    static final String FAMILY_QUOTA = "Standard_DSv2_Family_Cluster_Dedicated_vCPUs";
    static final String OWN = "/w/default/files/Users/dana";

    @TempDir
    static Path data;
    @TempDir
    static Path local;
    static ServerProcess server;
    static Https https;
    static Browser browser;
    static String dana;
    static String rita;

    @BeforeAll
    static void start() throws Exception {
        // Instances hold their cores from their creation, whether Jupyter starts or not: none need start here.
        server = new ServerProcess(data, Map.of("HANGAR_BACKEND_LOCAL_JUPYTER", "/nonexistent/jupyter")).start();
        https = new Https(server.url(), server.certificate());
        var admin = server.adminToken();
        dana = https.createUser(admin, "dana");
        rita = https.createUser(admin, "rita", "Reader");
        var quotas = https.send("POST", SUB + "/providers/Microsoft.MachineLearningServices/locations/local/"
                + "updateQuotas", admin, """
                {"value":[
                {"id":"%1$s/quotas/Total_Cluster_Dedicated_Regional_vCPUs","limit":16},
                {"id":"%1$s/quotas/%2$s","limit":8},
                {"id":"%3$s/quotas/%2$s","limit":4}]}""".formatted(SUB, FAMILY_QUOTA, WS));
        assertThat(quotas.statusCode()).as(quotas.body()).isEqualTo(200);
        var created = https.send("PUT", WS + "/computes/dana-quota", dana, """
                {"location":"local","properties":{"computeType":"ComputeInstance","properties":{
                 "vmSize":"STANDARD_DS2_V2"}}}""");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Files.writeString(local.resolve("notes.txt"), "notes from dana\n");
        Files.write(local.resolve("data.bin"), bytes(70_000));
        Files.writeString(local.resolve("dropped.csv"), "a,b\n1,2\n");
        browser = Browser.start(Path.of("target", "browser-screenshots", "StudioFilesIT"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
        new LocalInstances(data).processes().forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    @Order(1)
    void aContributorFindsTheirOwnFolderAndUploadsThroughTheFileInput() {
        var driver = browser.driver();
        signIn(dana, "/w/default/files/");
        assertThat(driver.findElements(By.id("upload"))).as("no upload at the root, which is not theirs").isEmpty();
        assertThat(names()).contains("Logs/", "Users/");
        browser.check("1-share-root");

        driver.findElement(By.linkText("Users/dana")).click();
        await("their own folder").atMost(Duration.ofSeconds(10)).until(() -> driver.getCurrentUrl().endsWith(OWN));
        assertThat(driver.findElement(By.cssSelector(".crumbs [aria-current=page]")).getText()).isEqualTo("dana");
        assertThat(driver.findElement(By.cssSelector(".empty")).getText()).contains("This folder is empty");
        driver.findElement(By.id("upload-files")).sendKeys(local.resolve("notes.txt").toAbsolutePath() + "\n"
                + local.resolve("data.bin").toAbsolutePath());
        await("both listed").atMost(Duration.ofSeconds(30)).until(() -> names().containsAll(List.of("notes.txt",
                "data.bin")));
        assertThat(toast()).contains("Uploaded notes.txt, data.bin");
        assertThat(row("data.bin").findElement(By.cssSelector("td.size span")).getText()).isEqualTo("68.4 KiB");
        assertThat(row("data.bin").findElement(By.cssSelector("td.size span")).getAttribute("title"))
                .isEqualTo("70000 bytes");
        var stored = https.send("GET", WS + "/files/Users/dana/notes.txt", dana, null);
        assertThat(stored.body()).isEqualTo("notes from dana\n");
        browser.check("2-uploaded");
    }

    @Test
    @Order(2)
    void filesDroppedOnTheListAreUploaded() {
        var driver = browser.driver();
        driver.get(server.url() + OWN);
        // A file the browser holds, dropped on the list as a drag from the desktop would drop it.
        driver.executeScript("""
                var input = document.createElement('input');
                input.type = 'file';
                input.id = 'test-drag-source';
                document.body.appendChild(input);""");
        driver.findElement(By.id("test-drag-source")).sendKeys(local.resolve("dropped.csv").toAbsolutePath()
                .toString());
        driver.executeScript("""
                var files = document.getElementById('test-drag-source').files;
                var transfer = new DataTransfer();
                transfer.items.add(files[0]);
                var zone = document.querySelector('#file-list tbody');
                ['dragenter', 'dragover', 'drop'].forEach(function (type) {
                    zone.dispatchEvent(new DragEvent(type, {dataTransfer: transfer, bubbles: true, cancelable: true}));
                });""");
        await("the dropped file listed").atMost(Duration.ofSeconds(30)).until(() -> names().contains("dropped.csv"));
        assertThat(https.send("GET", WS + "/files/Users/dana/dropped.csv", dana, null).body()).isEqualTo("a,b\n1,2\n");
        driver.executeScript("document.getElementById('test-drag-source').remove();");
        browser.check("3-dropped");
    }

    @Test
    @Order(3)
    void aFileDownloadsWithItsBytesAndAFolderIsMadeAndAFileDeletedAfterConfirming() throws Exception {
        var driver = browser.driver();
        driver.get(server.url() + OWN);
        var downloads = Files.createDirectories(local.resolve("downloads"));
        driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath",
                downloads.toAbsolutePath().toString()));
        row("data.bin").findElement(By.linkText("data.bin")).click();
        var downloaded = downloads.resolve("data.bin");
        await("the download").atMost(Duration.ofSeconds(30)).until(() -> Files.exists(downloaded)
                && Files.size(downloaded) == 70_000);
        assertThat(Files.readAllBytes(downloaded)).isEqualTo(bytes(70_000));
        // The same through the page's own session, with the headers a download needs.
        var fetched = (String) driver.executeAsyncScript("""
                var done = arguments[arguments.length - 1];
                fetch(arguments[0]).then(function (response) {
                    return response.arrayBuffer().then(function (buffer) {
                        var text = '';
                        new Uint8Array(buffer).forEach(function (b) { text += String.fromCharCode(b); });
                        done(response.headers.get('Content-Disposition') + '|' + btoa(text));
                    });
                });""", OWN + "/notes.txt");
        assertThat(fetched).startsWith("attachment; filename*=UTF-8''notes.txt|");
        assertThat(new String(Base64.getDecoder().decode(fetched.substring(fetched.indexOf('|') + 1)),
                StandardCharsets.UTF_8)).isEqualTo("notes from dana\n");

        driver.findElement(By.id("folder-name")).sendKeys("project one");
        driver.findElement(By.cssSelector(".new-folder button[type=submit]")).click();
        await("the new folder").atMost(Duration.ofSeconds(10)).until(() -> names().contains("project one/"));
        assertThat(driver.findElement(By.id("folder-name")).getAttribute("value")).isEmpty();
        assertThat(toast()).contains("Made the folder Users/dana/project one");

        row("dropped.csv").findElement(By.cssSelector("button.danger")).click();
        var confirm = driver.switchTo().alert();
        assertThat(confirm.getText()).contains("Delete Users/dana/dropped.csv?");
        confirm.accept();
        await("the file gone").atMost(Duration.ofSeconds(10)).until(() -> !names().contains("dropped.csv"));
        assertThat(https.send("GET", WS + "/files/Users/dana/dropped.csv", dana, null).statusCode()).isEqualTo(404);
        browser.check("4-folder-made-file-deleted");

        row("project one/").findElement(By.linkText("project one/")).click();
        await("into the folder").atMost(Duration.ofSeconds(10))
                .until(() -> driver.getCurrentUrl().endsWith(OWN + "/project%20one"));
        assertThat(driver.findElements(By.cssSelector(".crumbs a")).stream().map(WebElement::getText))
                .containsExactly("Files", "Users", "dana", "project one");
        browser.check("5-subfolder");
    }

    @Test
    @Order(4)
    void theQuotasPageShowsTheCoresInUseAgainstEachLimitAsTheApiCountsThem() {
        var driver = browser.driver();
        driver.get(server.url() + "/w/default/quotas");
        var usages = Https.json(https.send("GET", SUB + "/providers/Microsoft.MachineLearningServices/locations/"
                + "local/usages", dana, null)).get("value");
        var location = usage(usages, SUB + "/usages/" + FAMILY_QUOTA);
        var workspace = usage(usages, WS + "/usages/" + FAMILY_QUOTA);
        var total = usage(usages, SUB + "/usages");
        assertThat(location.get("currentValue").asLong()).isEqualTo(2);
        assertThat(workspace.get("limit").asLong()).isEqualTo(4);

        var family = driver.findElement(By.cssSelector("table[data-priority=Dedicated] tr[data-quota='"
                + FAMILY_QUOTA + "']"));
        assertCell(family.findElement(By.cssSelector("td[data-scope=location]")), location);
        assertCell(family.findElement(By.cssSelector("td[data-scope=workspace]")), workspace);
        assertThat(family.findElement(By.cssSelector("td[data-scope=workspace]")).getText()).contains("2 of 4");
        var totals = driver.findElement(By.cssSelector("table[data-priority=Dedicated] tbody tr"));
        assertCell(totals.findElement(By.cssSelector("td[data-scope=location]")), total);
        assertThat(totals.getText()).contains("All families", "2 of 16");
        browser.check("6-quotas");
    }

    @Test
    @Order(5)
    void theEventsPageFiltersTheAuditLogAndPagesThroughItWithoutRepeats() {
        for (int i = 0; i < 52; i++) {
            var put = https.sendBytes("PUT", WS + "/files/Users/dana/many/" + i + ".txt", dana,
                    ("file " + i).getBytes(StandardCharsets.UTF_8), "application/octet-stream");
            assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        }
        var driver = browser.driver();
        driver.get(server.url() + "/w/default/events");
        driver.findElement(By.id("actor")).sendKeys("dana");
        driver.findElement(By.id("action")).sendKeys("storage/write");
        driver.findElement(By.cssSelector(".filters button[type=submit]")).click();
        await("the filtered list").atMost(Duration.ofSeconds(10))
                .until(() -> driver.getCurrentUrl().contains("actor=dana"));
        var first = eventRows();
        assertThat(first).hasSize(50);
        assertThat(first).allSatisfy(row -> assertThat(row).contains("dana",
                "Microsoft.MachineLearningServices/workspaces/notebooks/storage/write"));
        assertThat(first.getFirst()).contains("/files/Users/dana/many/51.txt");
        browser.check("7-events-filtered");

        driver.findElement(By.linkText("Older")).click();
        await("the older page").atMost(Duration.ofSeconds(10)).until(() -> driver.getCurrentUrl().contains("page=2"));
        var second = eventRows();
        // 52 from the loop, two uploads through the file input, one dropped file and one folder.
        var api = Https.json(https.send("GET", "/hangar/v1/events?actor=dana&action=storage/write&top=1000", dana,
                null)).get("value");
        assertThat(first.size() + second.size()).isEqualTo(api.size());
        assertThat(second).doesNotContainAnyElementsOf(first);
        assertThat(driver.findElements(By.linkText("Older"))).isEmpty();
        browser.check("8-events-older");

        driver.get(server.url() + "/w/default/events?result=Failed&actor=rita");
        assertThat(driver.findElement(By.cssSelector(".empty")).getText()).isEqualTo("No event matches.");
        driver.get(server.url() + "/w/default/events?since=yesterday");
        assertThat(driver.findElement(By.cssSelector("p.error")).getText()).contains("From is not a time");
        browser.check("9-events-bad-time");
    }

    @Test
    @Order(6)
    void aReaderSeesNoUploadFolderOrDeleteAndWhatTheirPagePostsIsRefused() {
        var driver = browser.driver();
        signIn(rita, OWN);
        assertThat(names()).contains("notes.txt", "data.bin");
        assertThat(driver.findElements(By.id("upload"))).isEmpty();
        assertThat(driver.findElements(By.cssSelector(".new-folder"))).isEmpty();
        assertThat(driver.findElements(By.cssSelector("#file-list button"))).isEmpty();
        assertThat(driver.findElements(By.cssSelector("[data-drop]"))).isEmpty();
        var statuses = driver.executeAsyncScript("""
                var done = arguments[arguments.length - 1];
                var form = {method: 'POST', headers: {'HX-Request': 'true',
                    'Content-Type': 'application/x-www-form-urlencoded'}, body: 'confirm=yes'};
                Promise.all([
                    fetch(arguments[0] + '/notes.txt/delete', form),
                    fetch(arguments[0] + '/folders', {method: 'POST', headers: form.headers, body: 'name=mine'}),
                    fetch(arguments[1] + '/files/Users/dana/notes.txt', {method: 'PUT',
                        headers: {'Content-Type': 'application/octet-stream'}, body: 'overwritten'})
                ]).then(function (responses) { done(responses.map(function (r) { return r.status; })); });""",
                OWN, WS);
        assertThat(((List<?>) statuses).stream().map(status -> ((Number) status).intValue()))
                .containsExactly(403, 403, 403);
        assertThat(browser.consoleErrors()).as("the refusals, as the console reports them").hasSize(3)
                .allSatisfy(error -> assertThat(error).contains("403"));
        assertThat(https.send("GET", WS + "/files/Users/dana/notes.txt", dana, null).body())
                .isEqualTo("notes from dana\n");
        browser.check("10-reader");
        driver.get(server.url() + "/w/default/quotas");
        browser.check("11-reader-quotas");
        driver.get(server.url() + "/w/default/events");
        assertThat(eventRows()).isNotEmpty();
        browser.check("12-reader-events");
    }

    private static void signIn(String token, String next) {
        BrowserSignIn.signIn(browser, server.url(), token, next, url -> url.endsWith(next));
    }

    private static List<String> names() {
        try {
            return browser.driver().findElements(By.cssSelector("#file-list tbody th.name")).stream()
                    .map(WebElement::getText).toList();
        } catch (org.openqa.selenium.StaleElementReferenceException swappedMeanwhile) {
            return List.of();
        }
    }

    private static WebElement row(String name) {
        for (var row : browser.driver().findElements(By.cssSelector("#file-list tbody tr"))) {
            if (row.findElement(By.cssSelector("th.name")).getText().equals(name)) {
                return row;
            }
        }
        throw new AssertionError("No row " + name + " in " + names());
    }

    private static String toast() {
        await("a notice").atMost(Duration.ofSeconds(10))
                .until(() -> !browser.driver().findElement(By.id("toast")).getText().isEmpty());
        return browser.driver().findElement(By.id("toast")).getText();
    }

    private static List<String> eventRows() {
        var rows = new ArrayList<String>();
        browser.driver().findElements(By.cssSelector("table.events tbody tr")).forEach(row -> rows.add(row.getText()));
        return rows;
    }

    private static JsonNode usage(JsonNode usages, String id) {
        for (var usage : usages) {
            if (usage.get("id").asText().equals(id)) {
                return usage;
            }
        }
        throw new AssertionError("No usage " + id + " in " + usages);
    }

    private static void assertCell(WebElement cell, JsonNode usage) {
        assertThat(cell.getAttribute("data-used")).isEqualTo(usage.get("currentValue").asText());
        assertThat(cell.getAttribute("data-limit")).isEqualTo(usage.get("limit").asText());
        var meter = cell.findElement(By.tagName("meter"));
        assertThat(meter.getAttribute("value")).isEqualTo(usage.get("currentValue").asText());
        assertThat(meter.getAttribute("max")).isEqualTo(usage.get("limit").asText());
        assertThat(cell.getText()).contains(usage.get("currentValue").asText() + " of " + usage.get("limit").asText());
    }

    private static byte[] bytes(int size) {
        var bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return bytes;
    }
}
