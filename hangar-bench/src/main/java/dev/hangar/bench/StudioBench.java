package dev.hangar.bench;

import dev.hangar.testkit.browser.Browser;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.openqa.selenium.By;

/**
 * The studio's section of the report, on a server of its own holding {@code computes} instances (without Jupyter and
 * sharing Hangar's account, so that a thousand of them cost little but their records): the compute list's first page
 * as a browser asks for it (server time, over a warm keep-alive connection), a deep page sorted by state and a search;
 * the first contentful paint of the list in headless Chromium; and how long a state change committed by an API call
 * takes to show in an open list, without a reload.
 */
final class StudioBench {
    static final Duration LIST_P50 = Duration.ofMillis(50);
    static final Duration PAINT_P50 = Duration.ofMillis(500);
    static final Duration LIVE_P50 = Duration.ofMillis(300);
    private static final int PAINTS = 10;
    private static final int CHANGES = 10;
    /** The compute list's page size, as the studio pages it. */
    private static final int PAGE_SIZE = 50;

    /** What the section measured. */
    record Result(int computes, GetLoad.Result firstPage, GetLoad.Result deepPage, GetLoad.Result search,
                  Samples paints, Samples liveUpdates, Duration setUp) {
    }

    private final Consumer<String> progress;

    StudioBench(Consumer<String> progress) {
        this.progress = progress;
    }

    Result run(int computes, Duration warmup, Duration window) {
        var began = System.nanoTime();
        progress.accept("studio: starting a server for " + computes + " instances without Jupyter");
        try (var server = BenchServer.start(Map.of("HANGAR_BACKEND_LOCAL_JUPYTER", "/nonexistent/jupyter",
                "HANGAR_BACKEND_LOCAL_SHARED_ACCOUNT", "true"))) {
            create(server, computes);
            var setUp = Duration.ofNanos(System.nanoTime() - began);
            var list = server.url() + "/w/" + server.workspace().name() + "/computes";
            progress.accept("studio: GET of the list's first page, one client");
            var first = new GetLoad(URI.create(list), server.token(), server.tls())
                    .run(1, 0, warmup, window, server.pid());
            var deepPage = Math.max(1, computes / PAGE_SIZE / 2);
            progress.accept("studio: GET of page " + deepPage + " sorted by state");
            var deep = new GetLoad(URI.create(list + "?sort=state&page=" + deepPage), server.token(), server.tls())
                    .run(1, 0, warmup, window, server.pid());
            progress.accept("studio: GET of a search");
            var search = new GetLoad(URI.create(list + "?q=" + URLEncoder.encode("ch-09", StandardCharsets.UTF_8)),
                    server.token(), server.tls()).run(1, 0, warmup, window, server.pid());
            try (var browser = Browser.start(Path.of("target", "bench-screenshots"))) {
                signIn(browser, server, list);
                var paints = paints(browser, list);
                var live = liveUpdates(browser, server, list);
                return new Result(computes, first, deep, search, paints, live, setUp);
            }
        }
    }

    private void create(BenchServer server, int computes) {
        progress.accept("studio: creating " + computes + " instances through the API");
        var http = HttpClient.newBuilder().sslContext(server.tls()).build();
        var failures = new AtomicInteger();
        var firstFailure = new StringBuilder();
        try (var pool = Executors.newFixedThreadPool(8, Thread.ofVirtual().factory())) {
            for (int i = 1; i <= computes; i++) {
                var name = String.format(Locale.ROOT, "bench-%04d", i);
                pool.execute(() -> {
                    var request = HttpRequest.newBuilder(URI.create(server.url() + server.workspace().id()
                                    + "/computes/" + name + "?api-version=" + Report.API_VERSION))
                            .header("Authorization", "Bearer " + server.token())
                            .header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString("""
                                    {"location":"local","properties":{"computeType":"ComputeInstance",
                                    "properties":{"vmSize":"Standard_DS1_v2"}}}""")).build();
                    try {
                        var response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 201) {
                            failed(failures, firstFailure, name + ": " + response.statusCode() + " "
                                    + response.body());
                        }
                    } catch (Exception e) {
                        failed(failures, firstFailure, name + ": " + e);
                    }
                });
            }
        }
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " creates failed, the first: " + firstFailure);
        }
    }

    private static void failed(AtomicInteger failures, StringBuilder first, String what) {
        if (failures.getAndIncrement() == 0) {
            synchronized (first) {
                first.append(what);
            }
        }
    }

    private static void signIn(Browser browser, BenchServer server, String list) {
        var driver = browser.driver();
        driver.get(server.url() + "/signin?next=" + URLEncoder.encode(URI.create(list).getPath(),
                StandardCharsets.UTF_8));
        driver.findElement(By.id("token")).sendKeys(server.token());
        driver.findElement(By.cssSelector("form[action='/signin'] button[type=submit]")).click();
        wait(() -> driver.getCurrentUrl().endsWith("/computes"), Duration.ofSeconds(30), "the compute list");
    }

    /** The list's first contentful paint, as Chromium's Paint Timing reports it for each load. */
    private Samples paints(Browser browser, String list) {
        progress.accept("studio: first contentful paint of the list, " + PAINTS + " loads");
        var driver = browser.driver();
        var nanos = new long[PAINTS];
        for (int i = 0; i < PAINTS; i++) {
            driver.get(list);
            var paint = new Object[1];
            wait(() -> (paint[0] = driver.executeScript("var paint = performance.getEntriesByName("
                    + "'first-contentful-paint')[0]; return paint ? paint.startTime : null;")) != null,
                    Duration.ofSeconds(10), "the first contentful paint");
            nanos[i] = Math.round(((Number) paint[0]).doubleValue() * 1_000_000);
        }
        return Samples.of(nanos);
    }

    /**
     * From just before an API call that commits a change of state (stop, then start, in turn) to the moment the open
     * list shows the new state (a MutationObserver notes the browser's clock): the call's own time is included.
     */
    private Samples liveUpdates(Browser browser, BenchServer server, String list) {
        progress.accept("studio: live updates of an open list, " + CHANGES + " changes");
        var driver = browser.driver();
        driver.get(list);
        // The row's id read in the page itself, in one step: the live list may replace the row between a find and
        // a read of it (a stale element), as it does whenever an instance's state changes.
        var rowId = new String[1];
        wait(() -> (rowId[0] = (String) driver.executeScript("var row = document.evaluate(\"//tbody/tr[th//text()"
                + "='bench-0001']\", document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;"
                + " return row ? row.id : null;")) != null, Duration.ofSeconds(10), "bench-0001's row");
        var row = rowId[0];
        wait(() -> Boolean.TRUE.equals(driver.executeScript("var data = document.getElementById('compute-table')"
                + "['htmx-internal-data']; return !!(data && data.sseEventSource"
                + " && data.sseEventSource.readyState === 1);")), Duration.ofSeconds(10), "the live stream");
        var http = HttpClient.newBuilder().sslContext(server.tls()).build();
        var nanos = new ArrayList<Long>();
        for (int i = 0; i < CHANGES; i++) {
            var stop = i % 2 == 0;
            // The first state the row shows after the call (Stopping, or Stopped when both were committed between
            // two looks of the list; Starting or Running), whichever it is, is the change made visible.
            var before = stop ? "Running" : "Stopped";
            var resting = stop ? "Stopped" : "Running";
            driver.executeScript("""
                    window.hangarSeenAt = null;
                    var before = arguments[1];
                    if (window.hangarObserver) { window.hangarObserver.disconnect(); }
                    var id = arguments[0];
                    window.hangarObserver = new MutationObserver(function () {
                      var state = document.querySelector('#' + id + ' .state');
                      if (!window.hangarSeenAt && state && state.textContent !== before) {
                        window.hangarSeenAt = Date.now();
                      }
                    });
                    window.hangarObserver.observe(document.body, {subtree: true, childList: true,
                      characterData: true});""", row, before);
            var sent = System.currentTimeMillis();
            var call = HttpRequest.newBuilder(URI.create(server.url() + server.workspace().id()
                            + "/computes/bench-0001/" + (stop ? "stop" : "start") + "?api-version=" + Report.API_VERSION))
                    .header("Authorization", "Bearer " + server.token()).POST(HttpRequest.BodyPublishers.noBody())
                    .build();
            try {
                var answer = http.send(call, HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 200 && answer.statusCode() != 202) {
                    throw new IllegalStateException((stop ? "stop" : "start") + ": " + answer.statusCode() + " "
                            + answer.body());
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            var seen = new Object[1];
            wait(() -> (seen[0] = driver.executeScript("return window.hangarSeenAt;")) != null, Duration.ofSeconds(10),
                    "a change from " + before + " in the open list");
            nanos.add((((Number) seen[0]).longValue() - sent) * 1_000_000);
            // The next change starts from rest, as the API records it.
            wait(() -> resting.equals(state(http, server)), Duration.ofMinutes(2), resting);
        }
        return Samples.of(nanos.stream().mapToLong(Long::longValue).toArray());
    }

    /** bench-0001's state as the API records it. */
    private static String state(HttpClient http, BenchServer server) {
        var request = HttpRequest.newBuilder(URI.create(server.url() + server.workspace().id()
                        + "/computes/bench-0001?api-version=" + Report.API_VERSION))
                .header("Authorization", "Bearer " + server.token()).GET().build();
        try {
            var body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
            var at = body.indexOf("\"state\":\"");
            return at < 0 ? "" : body.substring(at + 9, body.indexOf('"', at + 9));
        } catch (java.io.IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void wait(java.util.function.BooleanSupplier done, Duration atMost, String what) {
        var deadline = System.nanoTime() + atMost.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Not within " + atMost.toSeconds() + " s: " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The section's rows. */
    static List<Row> rows(Result result) {
        var rows = new ArrayList<Row>();
        var prefix = "studio (" + String.format(Locale.ROOT, "%,d", result.computes()) + " instances): ";
        var first = result.firstPage().latencies().percentile(50);
        rows.add(new Row(prefix + "compute list, first page, server time p50", MarkdownReport.millis(first),
                "≤ " + MarkdownReport.millis(LIST_P50), Row.Verdict.of(first.compareTo(LIST_P50) <= 0)));
        rows.add(Row.info(prefix + "compute list, first page, p99", MarkdownReport.millis(
                result.firstPage().latencies().percentile(99))));
        rows.add(Row.info(prefix + "a deep page sorted by state, p50 / p99", MarkdownReport.millis(
                result.deepPage().latencies().percentile(50)) + " / " + MarkdownReport.millis(
                result.deepPage().latencies().percentile(99))));
        rows.add(Row.info(prefix + "a search by name, p50 / p99", MarkdownReport.millis(
                result.search().latencies().percentile(50)) + " / " + MarkdownReport.millis(
                result.search().latencies().percentile(99))));
        var paint = result.paints().percentile(50);
        rows.add(new Row(prefix + "compute list, first contentful paint in Chromium, p50",
                MarkdownReport.millis(paint), "≤ " + MarkdownReport.millis(PAINT_P50),
                Row.Verdict.of(paint.compareTo(PAINT_P50) <= 0)));
        var live = result.liveUpdates().percentile(50);
        rows.add(new Row(prefix + "a committed state change shown in an open list, p50 (max "
                + MarkdownReport.millis(result.liveUpdates().percentile(100)) + ")", MarkdownReport.millis(live),
                "≤ " + MarkdownReport.millis(LIVE_P50), Row.Verdict.of(live.compareTo(LIVE_P50) <= 0)));
        rows.add(Row.info(prefix + "creating them through the API", MarkdownReport.seconds(result.setUp())));
        return rows;
    }
}
