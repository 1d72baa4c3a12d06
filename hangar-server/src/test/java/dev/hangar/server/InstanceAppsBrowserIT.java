package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hangar.testkit.browser.Browser;
import dev.hangar.testkit.server.LocalInstances;
import dev.hangar.testkit.server.ServerProcess;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * An instance's apps as a user meets them, in Debian's Chromium, signed in through the sign-in page:
 * <ul>
 *   <li>Hangar's browser terminal, under its own Content-Security-Policy, draws the shell's prompt, takes typed keys
 *       and shows the command's output, read from the rendered rows and seen in the screenshot's pixels (the terminal
 *       was once an all-black page whose output arrived on its WebSocket and was never drawn);</li>
 *   <li>Jupyter, through the gateway, lists the instance's files and runs a cell, while its page holds none of
 *       Jupyter's own token (the gateway authenticates to Jupyter itself);</li>
 *   <li>Jupyter's own terminal (New → Terminal) draws the shell's prompt, takes typed keys and shows the command's
 *       output, with no error in the console (its page once stopped at {@code exports is not defined} from the
 *       xterm.js Debian bundles into it, and stayed blank), and opens, page and WebSocket, for the instance's owner
 *       alone.</li>
 * </ul>
 * Screenshots are kept in target/browser-screenshots.
 */
class InstanceAppsBrowserIT {
    static final String WS = WireFormatIT.WS;

    @TempDir
    static Path data;
    static ServerProcess server;
    static Https https;
    static Browser browser;
    /** A Contributor who manages the admin's instance but may not open its apps. */
    static String other;

    @BeforeAll
    static void start() {
        server = new ServerProcess(data, Map.of()).start();
        https = new Https(server.url(), server.certificate());
        https.createInstance(WS + "/computes/shell", server.adminToken(), WireFormatIT.CREATE);
        other = https.createUser(server.adminToken(), "bob");
        browser = Browser.start(Path.of("target", "browser-screenshots", "InstanceAppsBrowserIT"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        Https.deleteAndStop(server, https, data, WS + "/computes/shell", server == null ? null : server.adminToken());
        new LocalInstances(data).processes().forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void theTerminalDrawsWhatTheShellSaysAndTakesWhatIsTyped() throws IOException {
        var driver = browser.driver();
        var terminal = "/workspaces/default/computes/shell/apps/terminal/";
        signIn(server.adminToken(), terminal, "terminal-1-sign-in");

        await("the prompt").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> rows().matches("(?s).*[$#]\\s*$"));
        assertThat(driver.getCurrentUrl()).endsWith(terminal);
        driver.findElement(By.cssSelector(".xterm-helper-textarea")).sendKeys("echo hangar-$((6*7))\n");
        await("the command's output").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> rows().contains("\nhangar-42") || rows().contains("hangar-42\n"));
        var shot = ImageIO.read(browser.screenshot("terminal-2-output").toFile());

        var screen = driver.findElement(By.cssSelector(".xterm-screen")).getRect();
        assertThat(screen.getWidth()).as("the terminal fills the window's width").isGreaterThan(1000);
        assertThat(screen.getHeight()).as("and its height").isGreaterThan(500);
        // Two lines of text (the prompt with the command, and its output) light up some hundreds of pixels.
        assertThat(brightPixels(shot, screen.getX(), screen.getY(), screen.getWidth(), screen.getHeight()))
                .as("pixels of drawn text inside the terminal").isGreaterThan(300);

        // 24-bit colour, which xterm.js draws through each cell's style attribute.
        driver.findElement(By.cssSelector(".xterm-helper-textarea"))
                .sendKeys("printf '\\033[38;2;255;0;0mhangar-%s\\033[0m\\n' red\n");
        await("the red output").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> rows().contains("\nhangar-red"));
        var red = driver.findElements(By.cssSelector(".xterm-rows span")).stream()
                .filter(span -> span.getText().contains("hangar-red")).findFirst().orElseThrow();
        assertThat(red.getCssValue("color")).as("the colour the shell asked for").isEqualTo("rgba(255, 0, 0, 1)");
        browser.screenshot("terminal-3-colour");
        assertThat(browser.consoleErrors()).as("errors, such as refused styles, in the terminal's page").isEmpty();
    }

    @Test
    void jupyterListsTheFilesAndRunsACellWithoutItsTokenInThePage() {
        var driver = browser.driver();
        var jupyter = "/workspaces/default/computes/shell/apps/jupyter/";
        signIn(server.adminToken(), jupyter + "tree", "jupyter-1-sign-in");
        awaitTheFileList();
        browser.screenshot("jupyter-2-tree");
        var page = driver.getPageSource();
        assertThat(page).doesNotContain("data-jupyter-api-token");
        var token = (String) driver.executeScript("return document.body.dataset.jupyterApiToken || '';");
        assertThat(token).as("Jupyter's token in the page").isEmpty();

        // A notebook (made through the gateway's API), opened and run in the page, through the page's own calls.
        var created = https.send("PUT", jupyter + "api/contents/hello.ipynb", server.adminToken(),
                "{\"type\":\"notebook\"}");
        assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
        driver.get(server.url() + jupyter + "notebooks/hello.ipynb");
        await("the kernel").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> driver.findElements(By.cssSelector("#kernel_indicator_icon.kernel_idle_icon")).size() == 1);
        var cell = driver.findElement(By.cssSelector(".CodeMirror textarea"));
        driver.findElement(By.cssSelector(".CodeMirror")).click();
        cell.sendKeys("6 * 7");
        cell.sendKeys(org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.SHIFT, org.openqa.selenium.Keys.ENTER));
        await("the cell's result").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> driver.findElements(By.cssSelector(".output_result pre")).stream()
                        .anyMatch(out -> out.getText().equals("42")));
        browser.screenshot("jupyter-3-cell");
    }

    @Test
    void jupytersOwnTerminalDrawsWhatTheShellSaysAndTakesWhatIsTyped() throws IOException {
        var driver = browser.driver();
        var jupyter = "/workspaces/default/computes/shell/apps/jupyter/";
        signIn(server.adminToken(), jupyter + "tree", "jupyter-terminal-1-sign-in");
        awaitTheFileList();

        var terminal = JupyterTerminal.openFromTheFileList(browser);
        try {
            assertThat(driver.getCurrentUrl()).startsWith(server.url() + jupyter + "terminals/");
            terminal.awaitPrompt().type("echo hangar-$((6*7))\n");
            await("the command's output").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> terminal.text().lines().anyMatch(line -> line.strip().equals("hangar-42")));
            var shot = ImageIO.read(browser.screenshot("jupyter-terminal-2-output").toFile());

            var screen = terminal.screen();
            assertThat(screen.getWidth()).as("the terminal fills the window's width").isGreaterThan(1000);
            assertThat(screen.getHeight()).as("and most of its height").isGreaterThan(400);
            assertThat(brightPixels(shot, screen.getX(), screen.getY(), screen.getWidth(), screen.getHeight()))
                    .as("pixels of drawn text inside the terminal").isGreaterThan(300);
            assertThat(terminal.consoleErrors()).as("errors in the terminal's page").isEmpty();
        } finally {
            terminal.close();
        }
    }

    /**
     * Jupyter's terminals are Jupyter's, behind the gateway's owner rule like the rest of it: a Contributor who may
     * stop the instance is refused the page of the owner's terminal, and its WebSocket, which a script could try on
     * its own. The owner's WebSocket opens.
     */
    @Test
    void jupytersTerminalsOpenForTheOwnerAlone() throws Exception {
        var jupyter = "/workspaces/default/computes/shell/apps/jupyter/";
        var created = https.send("POST", jupyter + "api/terminals", server.adminToken(), null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        var name = Https.json(created).get("name").asText();
        try {
            signIn(other, jupyter + "terminals/" + name, "jupyter-terminal-3-other-user-sign-in");
            await("the refusal").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> browser.driver().getPageSource().contains("AuthorizationFailed"));
            browser.screenshot("jupyter-terminal-4-other-user-refused");

            var socket = URI.create(server.url().toString().replaceFirst("^http", "ws") + jupyter
                    + "terminals/websocket/" + name);
            try (var client = HttpClient.newBuilder().sslContext(Https.trusting(server.certificate())).build()) {
                assertThatThrownBy(() -> openWebSocket(client, socket, other, new CompletableFuture<>()))
                        .isInstanceOf(CompletionException.class).cause()
                        .isInstanceOf(WebSocketHandshakeException.class)
                        .satisfies(failure -> assertThat(((WebSocketHandshakeException) failure).getResponse()
                                .statusCode()).isEqualTo(403));
                var first = new CompletableFuture<String>();
                var owners = openWebSocket(client, socket, server.adminToken(), first);
                assertThat(first.get(30, TimeUnit.SECONDS)).as("terminado's first message").startsWith("[\"");
                owners.abort();
            }
        } finally {
            https.send("DELETE", jupyter + "api/terminals/" + name, server.adminToken(), null);
        }
    }

    /** A WebSocket as a program (no browser) opens it, with a bearer token; {@code first} gets its first message. */
    private static WebSocket openWebSocket(HttpClient client, URI uri, String token,
                                           CompletableFuture<String> first) {
        return client.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .buildAsync(uri, new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        first.complete(data.toString());
                        return WebSocket.Listener.super.onText(webSocket, data, last);
                    }
                }).join();
    }

    private static void awaitTheFileList() {
        await("the file list").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> browser.driver().findElements(By.cssSelector("#notebook_list .list_item a.item_link"))
                        .stream().anyMatch(link -> link.getText().equals("cloudfiles")));
    }

    private static void signIn(String token, String next, String screenshot) {
        BrowserSignIn.signIn(browser, server.url(), token, next, screenshot);
    }

    private static String rows() {
        return browser.driver().findElement(By.cssSelector(".xterm-rows")).getText();
    }

    /** Pixels much brighter than the terminal's dark background: the glyphs drawn. */
    private static int brightPixels(BufferedImage image, int left, int top, int width, int height) {
        var bright = 0;
        for (int y = top; y < Math.min(top + height, image.getHeight()); y++) {
            for (int x = left; x < Math.min(left + width, image.getWidth()); x++) {
                var rgb = image.getRGB(x, y);
                var luminance = (((rgb >> 16) & 0xff) * 299 + ((rgb >> 8) & 0xff) * 587 + (rgb & 0xff) * 114) / 1000;
                if (luminance > 160) {
                    bright++;
                }
            }
        }
        return bright;
    }
}
