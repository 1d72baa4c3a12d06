package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hangar.testkit.browser.Browser;
import dev.hangar.testkit.server.LocalInstances;
import dev.hangar.testkit.server.ServerProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
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
 * The studio's Jobs section as its users meet it, in Debian's Chromium, on a real instance of the host backend: a job
 * submitted from the form (what the API refuses is shown next to its field, and nothing is recorded) opens its page,
 * whose log grows live and whose status reaches Completed without a reload, with its outputs to download; the list
 * shows a job submitted elsewhere and its status changes live; a long job is canceled from its page; the filters
 * find by status and submitter; a folder and files picked in the form become the job's code (its .amlignore heeded),
 * code picked beyond the limits is refused before anything is sent, and hand-made uploads whose file names would
 * leave the code folder, or that hold too many files, are refused with the reason on the form, with no job and
 * nothing written; a Reader sees no Submit and no Cancel, and what their page posts is refused. Every
 * page passes axe-core without a serious violation and logs no console error. Screenshots are kept in
 * target/browser-screenshots/StudioJobsIT.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StudioJobsIT {
    static final String WS = WireFormatIT.WS;
    static final String CI = WS + "/computes/jobs-box";
    static final String JOBS = "/w/default/jobs";

    @TempDir
    static Path data;
    @TempDir
    static Path picked;
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
        https.createInstance(CI, dana, QuotasIT.create("Standard_DS2_v2"));
        browser = Browser.start(Path.of("target", "browser-screenshots", "StudioJobsIT"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        Https.deleteAndStop(server, https, data, CI, dana);
        new LocalInstances(data).processes().forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    @Order(1)
    void theJobsSectionIsInTheNavigationAndSaysHowToBegin() {
        signIn(dana);
        var driver = browser.driver();
        driver.findElement(By.linkText("Jobs")).click();
        await("the job list").atMost(Duration.ofSeconds(10)).until(() -> driver.getCurrentUrl().endsWith(JOBS));
        assertThat(driver.findElement(By.cssSelector(".sections a[aria-current=page]")).getText()).isEqualTo("Jobs");
        assertThat(driver.findElement(By.cssSelector(".empty")).getText()).contains("No jobs yet");
        browser.check("1-no-jobs-yet");
    }

    @Test
    @Order(2)
    void whatTheApiRefusesIsShownByItsFieldAndNothingIsRecorded() {
        var driver = browser.driver();
        driver.get(server.url() + JOBS);
        driver.findElement(By.linkText("Submit a job")).click();
        await("the form").atMost(Duration.ofSeconds(10)).until(() -> driver.getCurrentUrl().endsWith(JOBS + "/new"));
        assertThat(selected("compute"))
                .startsWith("jobs-box (ComputeInstance, 2 cores");
        assertThat(selected("environment"))
                .startsWith("hangar-instance:");
        assertThat(driver.findElement(By.id("name")).getAttribute("value")).startsWith("job-");
        browser.check("2-form");

        driver.findElement(By.id("command")).sendKeys("echo never");
        driver.findElement(By.id("variables")).sendKeys("1BAD=x");
        driver.findElement(By.cssSelector("form.form button[type=submit]")).click();
        await("the API's refusal, by its field").atMost(Duration.ofSeconds(10))
                .until(() -> !driver.findElements(By.id("variables-error")).isEmpty());
        assertThat(driver.findElement(By.id("variables-error")).getText())
                .contains("'1BAD' is not an environment variable name");
        assertThat(driver.findElement(By.id("variables")).getAttribute("aria-describedby")).contains("variables-error");
        assertThat(driver.findElement(By.id("command")).getAttribute("value")).as("what was typed stays")
                .isEqualTo("echo never");
        assertThat(Https.json(https.send("GET", WS + "/jobs", dana, null)).get("value")).as("nothing recorded")
                .isEmpty();
        driver.executeScript("document.getElementById('variables-error').scrollIntoView({block: 'center'});");
        browser.check("3-form-refused");
    }

    @Test
    @Order(3)
    void aJobSubmittedFromTheFormStreamsItsLogAndEndsLiveWithItsOutputs() {
        var driver = browser.driver();
        var command = driver.findElement(By.id("command"));
        command.clear();
        command.sendKeys("for i in 1 2 3 4; do echo \"$GREETING $i\"; sleep 1; done; mkdir -p outputs;"
                + " echo kept > outputs/result.txt");
        var variables = driver.findElement(By.id("variables"));
        variables.clear();
        variables.sendKeys("GREETING=hello from the form");
        driver.findElement(By.id("name")).clear();
        driver.findElement(By.id("name")).sendKeys("from-the-form");
        driver.findElement(By.id("displayName")).sendKeys("Counting");
        driver.findElement(By.cssSelector("form.form button[type=submit]")).click();
        await("the job's page").atMost(Duration.ofSeconds(10))
                .until(() -> driver.getCurrentUrl().endsWith(JOBS + "/from-the-form"));
        driver.executeScript("window.hangarSamePage = true;");
        assertThat(driver.findElement(By.tagName("h1")).getText()).contains("from-the-form", "Counting");

        await("the log, streamed while the job runs").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> log().contains("hello from the form 1") && !log().contains("hello from the form 4"));
        driver.executeScript("document.getElementById('log').scrollIntoView();");
        browser.screenshot("4-log-streaming");
        await("Completed, shown live").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> status().equals("Completed"));
        await("the whole log").atMost(Duration.ofSeconds(10)).until(() -> log().contains("hello from the form 4"));
        assertThat(log().lines().filter(line -> line.startsWith("hello from the form")))
                .as("each line once").containsExactly("hello from the form 1", "hello from the form 2",
                        "hello from the form 3", "hello from the form 4");
        assertThat((Boolean) driver.executeScript("return window.hangarSamePage === true;"))
                .as("the page was not reloaded").isTrue();
        assertThat(driver.findElements(By.cssSelector("#job-summary form button"))).as("no Cancel once ended")
                .isEmpty();
        assertThat(driver.findElements(By.cssSelector("table.history tbody tr td:nth-child(3)")).stream()
                .map(WebElement::getText)).containsExactly("Queued", "Starting", "Running", "Finalizing", "Completed");
        var outputs = driver.findElement(By.linkText("Download outputs")).getAttribute("href");
        assertThat(outputs).endsWith("/workspaces/default/jobs/from-the-form/outputs");
        var download = driver.executeAsyncScript("""
                var done = arguments[arguments.length - 1];
                fetch(arguments[0]).then(function (response) {
                    done(response.status + ' ' + response.headers.get('Content-Type'));
                });""", outputs);
        assertThat(download).isEqualTo("200 application/gzip");
        var job = Https.json(https.send("GET", WS + "/jobs/from-the-form", dana, null));
        assertThat(job.at("/properties/environmentVariables/GREETING").asText()).isEqualTo("hello from the form");
        assertThat(job.at("/properties/displayName").asText()).isEqualTo("Counting");
        browser.check("5-job-completed");

        driver.navigate().refresh();
        assertThat(log()).as("once ended, the page shows the whole log").contains("hello from the form 1",
                "hello from the form 4");
    }

    @Test
    @Order(4)
    void theListShowsAJobSubmittedElsewhereAndItsStatusLive() {
        var driver = browser.driver();
        driver.get(server.url() + JOBS);
        driver.executeScript("window.hangarSamePage = true;");
        await("the live stream").atMost(Duration.ofSeconds(10)).until(() -> (Boolean) driver.executeScript(
                "var source = document.getElementById('job-table')['htmx-internal-data'];"
                        + " return !!(source && source.sseEventSource && source.sseEventSource.readyState === 1);"));
        submit("sleeper", "echo sleeping; sleep 600");
        await("the new job, Running, shown live").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> cell("sleeper", 3).equals("Running"));
        assertThat(cell("sleeper", 4)).isEqualTo("jobs-box");
        assertThat(cell("sleeper", 5)).isEqualTo("dana");
        assertThat(cell("from-the-form", 2)).isEqualTo("Counting");
        assertThat(cell("from-the-form", 3)).isEqualTo("Completed");
        assertThat((Boolean) driver.executeScript("return window.hangarSamePage === true;"))
                .as("the page was not reloaded").isTrue();
        browser.check("6-list-live");
    }

    @Test
    @Order(5)
    void aLongJobIsCanceledFromItsPage() {
        var driver = browser.driver();
        driver.findElement(By.linkText("sleeper")).click();
        await("the job's page").atMost(Duration.ofSeconds(10))
                .until(() -> driver.getCurrentUrl().endsWith(JOBS + "/sleeper"));
        await("its log").atMost(Duration.ofSeconds(30)).until(() -> log().contains("sleeping"));
        browser.check("7-long-job");
        driver.findElement(By.xpath("//section[@id='job-summary']//button[text()='Cancel']")).click();
        driver.switchTo().alert().accept();
        await("a notice").atMost(Duration.ofSeconds(30))
                .until(() -> driver.findElement(By.id("toast")).getText().contains("sleeper"));
        await("Canceled, shown live").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> status().equals("Canceled"));
        assertThat(driver.findElements(By.xpath("//section[@id='job-summary']//button[text()='Cancel']"))).isEmpty();
        assertThat(Https.json(https.send("GET", WS + "/jobs/sleeper", dana, null)).at("/properties/status").asText())
                .isEqualTo("Canceled");
        browser.check("8-canceled");
    }

    @Test
    @Order(6)
    void theFiltersFindByStatusAndSubmitter() {
        var driver = browser.driver();
        driver.get(server.url() + JOBS);
        choose("status", "Completed");
        await("only the completed job").atMost(Duration.ofSeconds(10))
                .until(() -> names().equals(java.util.List.of("from-the-form")));
        assertThat(driver.getCurrentUrl()).endsWith(JOBS + "?status=Completed");
        choose("status", "Any status");
        driver.findElement(By.id("mine")).click();
        await("dana's jobs").atMost(Duration.ofSeconds(10))
                .until(() -> names().equals(java.util.List.of("sleeper", "from-the-form")));
        browser.check("9-filtered");
    }

    @Test
    @Order(7)
    void aFolderAndFilesPickedInTheFormAreTheJobsCode() throws IOException {
        var project = Files.createDirectories(picked.resolve("project"));
        Files.writeString(project.resolve("hello.txt"), "hello from the code folder\n");
        Files.createDirectories(project.resolve("tools"));
        Files.writeString(project.resolve("tools/run.sh"), "echo run.sh ran\n");
        Files.writeString(project.resolve(".amlignore"), "secret.txt\n");
        Files.writeString(project.resolve("secret.txt"), "never sent to a job\n");
        var extra = Files.writeString(picked.resolve("extra.txt"), "an extra file\n");
        var driver = browser.driver();
        driver.get(server.url() + JOBS + "/new");
        driver.findElement(By.id("codeFolder")).sendKeys(project.toAbsolutePath().toString());
        driver.findElement(By.id("codeFiles")).sendKeys(extra.toAbsolutePath().toString());
        await("what was picked, counted").atMost(Duration.ofSeconds(10))
                .until(() -> driver.findElement(By.id("code-check")).getText().startsWith("5 files,"));
        driver.findElement(By.id("command")).sendKeys("cat hello.txt extra.txt; sh tools/run.sh;"
                + " test -e secret.txt && echo secret-sent || echo secret-left-out");
        driver.findElement(By.id("name")).clear();
        driver.findElement(By.id("name")).sendKeys("with-code");
        driver.executeScript("document.getElementById('code-check').scrollIntoView({block: 'center'});");
        browser.check("11-code-picked");
        driver.findElement(By.cssSelector("form.form button[type=submit]")).click();
        await("the job's page").atMost(Duration.ofSeconds(30))
                .until(() -> driver.getCurrentUrl().endsWith(JOBS + "/with-code"));
        await("Completed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> status().equals("Completed"));
        await("the whole log").atMost(Duration.ofSeconds(10)).until(() -> log().contains("secret-left-out"));
        assertThat(log()).contains("hello from the code folder", "an extra file", "run.sh ran", "secret-left-out")
                .doesNotContain("secret-sent");
        var job = Https.json(https.send("GET", WS + "/jobs/with-code", dana, null));
        var code = job.at("/properties/codeId").asText();
        assertThat(code).matches(".*/codes/[0-9a-f]{64}/versions/1");
        assertThat(Https.json(https.send("GET", code, dana, null)).at("/properties/files").asInt())
                .as("the files sent, without what .amlignore names").isEqualTo(4);
        assertThat(leftovers()).as("nothing kept of the upload").isEmpty();
        browser.check("12-code-job-completed");
    }

    @Test
    @Order(8)
    void codeBeyondTheLimitsIsRefusedBeforeAnythingIsSent() throws IOException {
        var big = picked.resolve("big.bin");
        try (var file = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            file.setLength(dev.hangar.archive.Tarballs.CODE_LIMITS.maxBytes() + 1);
        }
        var driver = browser.driver();
        driver.get(server.url() + JOBS + "/new");
        driver.findElement(By.id("command")).sendKeys("ls");
        driver.findElement(By.id("name")).clear();
        driver.findElement(By.id("name")).sendKeys("too-big");
        driver.findElement(By.id("codeFiles")).sendKeys(big.toAbsolutePath().toString());
        await("the refusal").atMost(Duration.ofSeconds(10))
                .until(() -> driver.findElement(By.id("code-check")).getText().startsWith("Too large"));
        assertThat(driver.findElement(By.id("code-check")).getText()).contains("314,572,801 bytes picked", "at most 314,572,800 bytes (300.0 MB)");
        assertThat(driver.findElement(By.id("codeFiles")).getAttribute("aria-invalid")).isEqualTo("true");
        driver.executeScript("window.hangarSamePage = true;");
        driver.findElement(By.cssSelector("form.form button[type=submit]")).click();
        assertThat((Boolean) driver.executeScript("return window.hangarSamePage === true;")).as("not sent")
                .isTrue();
        assertThat(driver.switchTo().activeElement().getAttribute("id")).as("the field to fix has the focus")
                .isEqualTo("codeFolder");
        assertThat(https.send("GET", WS + "/jobs/too-big", dana, null).statusCode()).isEqualTo(404);
        driver.executeScript("document.getElementById('code-check').scrollIntoView({block: 'center'});");
        browser.check("13-code-too-large");
    }

    @Test
    @Order(9)
    void handMadeUploadsThatWouldLeaveTheCodeFolderOrHoldTooManyFilesAreRefused() {
        for (var name : List.of("../escaped.txt", "/escaped.txt", "a/../../escaped.txt", "project/./x.txt")) {
            var field = name.startsWith("a/") || name.startsWith("project/") ? "codeFolder" : "codeFiles";
            var answer = postForm("sneaky", Map.of(field, List.of(Map.entry(name, "escaped\n"))));
            assertThat(answer.statusCode()).as(name).isEqualTo(200);
            assertThat(answer.body()).as(name).contains("id=\"code-error\"", "cannot be code",
                    "is not a relative path");
        }
        var many = new ArrayList<Map.Entry<String, String>>();
        for (int i = 0; i <= dev.hangar.archive.Tarballs.CODE_LIMITS.maxFiles(); i++) {
            many.add(Map.entry("f" + i + ".txt", "x"));
        }
        var answer = postForm("sneaky", Map.of("codeFiles", many));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("id=\"code-error\"", "The code is too large: it holds more than 10000"
                + " files");
        assertThat(https.send("GET", WS + "/jobs/sneaky", dana, null).statusCode()).as("no job").isEqualTo(404);
        try (var found = Files.walk(data)) {
            assertThat(found.filter(path -> path.getFileName().toString().equals("escaped.txt")))
                    .as("nothing written outside").isEmpty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(leftovers()).as("nothing kept of the uploads").isEmpty();
    }

    @Test
    @Order(10)
    void aReaderSeesNoSubmitAndNoCancelAndWhatTheirPagePostsIsRefused() {
        submit("while-reading", "sleep 600");
        signIn(rita);
        var driver = browser.driver();
        driver.get(server.url() + JOBS);
        assertThat(names()).contains("while-reading", "sleeper", "from-the-form");
        assertThat(driver.findElements(By.linkText("Submit a job"))).isEmpty();
        driver.findElement(By.id("mine")).click();
        await("none of rita's").atMost(Duration.ofSeconds(10))
                .until(() -> driver.findElement(By.cssSelector(".empty")).getText().contains("No job matches"));
        driver.get(server.url() + JOBS + "/while-reading");
        assertThat(driver.findElements(By.xpath("//section[@id='job-summary']//button"))).isEmpty();
        browser.check("10-reader");
        var statuses = driver.executeAsyncScript("""
                var done = arguments[arguments.length - 1];
                var post = function (path, body) {
                    return fetch(path, {method: 'POST', headers: {'HX-Request': 'true',
                        'Content-Type': 'application/x-www-form-urlencoded'}, body: body})
                        .then(function (response) { return response.status; });
                };
                Promise.all([post('/w/default/jobs/while-reading/cancel', 'confirm=yes'),
                             post('/w/default/jobs/new', 'compute=jobs-box&command=id&name=by-rita')])
                    .then(function (statuses) { done(statuses.join(',')); });""");
        assertThat(statuses).isEqualTo("403,403");
        assertThat(browser.consoleErrors()).as("the refusals, as the console reports them").hasSize(2)
                .allSatisfy(error -> assertThat(error).contains("403"));
        assertThat(Https.json(https.send("GET", WS + "/jobs/while-reading", dana, null)).at("/properties/status")
                .asText()).isEqualTo("Running");
        assertThat(https.send("GET", WS + "/jobs/by-rita", dana, null).statusCode()).isEqualTo(404);
        assertThat(https.send("POST", WS + "/jobs/while-reading/cancel", dana, null).statusCode()).isEqualTo(202);
    }

    /** What is left of the studio's code uploads in the server's uploads folder. */
    private static List<Path> leftovers() {
        var uploads = data.resolve("cache").resolve("uploads");
        if (!Files.isDirectory(uploads)) {
            return List.of();
        }
        try (var found = Files.list(uploads)) {
            return found.filter(path -> path.getFileName().toString().startsWith("studio-code-")).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The job form posted by hand, as multipart/form-data with these files (name, content) in these fields. */
    private static java.net.http.HttpResponse<String> postForm(String name,
                                                               Map<String, List<Map.Entry<String, String>>> files) {
        var boundary = "hangar-" + java.util.UUID.randomUUID();
        var body = new StringBuilder();
        for (var field : Map.of("name", name, "compute", "jobs-box", "command", "ls -R").entrySet()) {
            body.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"")
                    .append(field.getKey()).append("\"\r\n\r\n").append(field.getValue()).append("\r\n");
        }
        files.forEach((field, parts) -> parts.forEach(part -> body.append("--").append(boundary)
                .append("\r\nContent-Disposition: form-data; name=\"").append(field).append("\"; filename=\"")
                .append(part.getKey()).append("\"\r\nContent-Type: text/plain\r\n\r\n").append(part.getValue())
                .append("\r\n")));
        body.append("--").append(boundary).append("--\r\n");
        return https.sendBytes("POST", JOBS + "/new", dana, body.toString().getBytes(StandardCharsets.UTF_8),
                "multipart/form-data; boundary=" + boundary);
    }

    private static void signIn(String token) {
        BrowserSignIn.signIn(browser, server.url(), token, "/", url -> url.endsWith("/computes"));
    }

    private static void submit(String name, String command) {
        var made = https.send("PUT", WS + "/jobs/" + name, dana, """
                {"properties":{"jobType":"Command","command":%s,"computeId":"jobs-box"}}"""
                .formatted(Https.JSON.valueToTree(command).toString()));
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
    }

    private static String selected(String select) {
        return browser.driver().findElement(By.cssSelector("#" + select + " option:checked")).getText();
    }

    private static void choose(String select, String option) {
        browser.driver().findElement(By.xpath("//select[@id='" + select + "']/option[text()='" + option + "']"))
                .click();
    }

    private static String log() {
        return browser.driver().findElement(By.id("log")).getText();
    }

    private static String status() {
        try {
            return browser.driver().findElement(By.id("job-status")).getText();
        } catch (org.openqa.selenium.StaleElementReferenceException swappedMeanwhile) {
            return "";
        }
    }

    /** The text of a job's row's cell, 1 for its name. */
    private static String cell(String name, int column) {
        try {
            for (var row : browser.driver().findElements(By.cssSelector("#job-table tbody tr"))) {
                var cells = row.findElements(By.cssSelector("th, td"));
                if (cells.getFirst().getText().equals(name)) {
                    return cells.get(column - 1).getText();
                }
            }
            return "";
        } catch (org.openqa.selenium.StaleElementReferenceException swappedMeanwhile) {
            return "";
        }
    }

    private static java.util.List<String> names() {
        try {
            return browser.driver().findElements(By.cssSelector("#job-table tbody th.name")).stream()
                    .map(WebElement::getText).toList();
        } catch (org.openqa.selenium.StaleElementReferenceException swappedMeanwhile) {
            return java.util.List.of();
        }
    }
}
