package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hangar.archive.Tarballs;
import dev.hangar.testkit.browser.Browser;
import dev.hangar.testkit.container.InstanceImage;
import dev.hangar.testkit.container.PodmanEngine;
import dev.hangar.testkit.jupyter.JupyterClient;
import dev.hangar.testkit.server.ServerProcess;
import dev.hangar.testkit.terminal.TerminalClient;
import dev.hangar.store.StoreConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hangar on the container backend, against a real Podman serving the Docker Engine API: an instance's Jupyter
 * answers through the gateway (its own terminal too, in Chromium), and the workspace's file share is its
 * {@code ~/cloudfiles/code}; what a user installs from the browser terminal survives stop and start; after kill -9 of
 * the server the restarted one adopts the running container (the same one, no second), and removes the container and
 * volumes of an instance whose record is gone.
 */
class ContainerInstancesIT {
    static final String WS = WireFormatIT.WS;
    static final String CREATE = WireFormatIT.CREATE;

    static PodmanEngine engine;

    @TempDir
    Path data;
    ServerProcess server;
    Https https;
    String token;

    @BeforeAll
    static void startEngine() {
        engine = PodmanEngine.start();
    }

    @AfterAll
    static void stopEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        var installId = data.resolve("install-id");
        if (Files.exists(installId)) {
            engine.removeLabelled("dev.hangar.install", Files.readString(installId).strip());
        }
    }

    @Test
    void aContainerInstanceServesJupyterAndOutlivesACrashOfTheServer() throws Exception {
        startServer();
        awaitCreated("box");
        awaitCreated("gone");
        assertThat(runCell("box", "import os; os.getuid(), os.getcwd()")).isEqualTo("(1000, '/home/azureuser')");
        // The workspace's file share is at ~/cloudfiles/code: what was uploaded is there, and azureuser changes it.
        var uploaded = https.sendBytes("PUT", WS + "/files/Users/admin/notes.txt", token,
                "uploaded\n".getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/octet-stream");
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        assertThat(runCell("box", "import os\n"
                + "p = '/home/azureuser/cloudfiles/code/Users/admin/notes.txt'\n"
                + "open(p, 'a').write('edited\\n')\n"
                + "os.makedirs('/home/azureuser/cloudfiles/code/Users/admin/made', exist_ok=True)\n"
                + "open(p).read()")).isEqualTo("'uploaded\\nedited\\n'");
        assertThat(https.send("GET", WS + "/files/Users/admin/notes.txt", token, null).body())
                .isEqualTo("uploaded\nedited\n");
        assertThat(https.send("GET", WS + "/files/Users/admin/made?metadata=true", token, null).statusCode())
                .isEqualTo(200);
        var box = containerIds("box");
        assertThat(box).hasSize(1);
        assertThat(containerIds("gone")).hasSize(1);

        server.kill();
        forgetCompute("gone");
        server.start();
        https = new Https(server.url(), server.certificate());

        // The running container is adopted as it is: the same one, no second one, Jupyter still answering.
        assertThat(https.send("GET", WS + "/computes/box", token, null).statusCode()).isEqualTo(200);
        assertThat(runCell("box", "1+1")).isEqualTo("2");
        assertThat(containerIds("box")).isEqualTo(box);
        // What belonged to the forgotten record goes: its container and both its volumes.
        await().atMost(Duration.ofSeconds(60)).until(() -> containerIds("gone").isEmpty()
                && volumes("gone").isEmpty());

        var delete = https.send("DELETE", WS + "/computes/box?underlyingResourceAction=Delete", token, null);
        var ended = https.waitForOperation(delete.headers().firstValue("Azure-AsyncOperation").orElseThrow(), token);
        assertThat(ended.get("status").asText()).isEqualTo("Succeeded");
        assertThat(containerIds("box")).isEmpty();
        assertThat(volumes("box")).isEmpty();
    }

    @Test
    void anEngineThatStopsAnsweringShowsInErrorsThenFailsTheCreate() {
        try (var own = PodmanEngine.start()) {
            startServer(own.dockerHost(), InstanceImage.reference(),
                    Map.of("HANGAR_RECONCILE_GIVE_UP_AFTER", "PT6S"));
            // The engine goes away after Hangar started on it.
            own.close();

            var created = https.send("PUT", WS + "/computes/lost", token, CREATE);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

            // While it retries, the instance says why its create takes long.
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                var errors = Https.json(https.send("GET", WS + "/computes/lost", token, null))
                        .at("/properties/properties/errors");
                return errors.size() == 1 && errors.get(0).at("/error/code").asText().equals("EngineUnreachable")
                        && errors.get(0).at("/error/message").asText().contains("retrying since");
            });
            var status = https.waitForOperation(created.headers().firstValue("Azure-AsyncOperation").orElseThrow(),
                    token);
            assertThat(status.get("status").asText()).isEqualTo("Failed");
            assertThat(status.at("/error/code").asText()).isEqualTo("EngineUnreachable");
            assertThat(status.at("/error/message").asText()).contains(own.dockerHost(), "gave up after retrying");
            var compute = Https.json(https.send("GET", WS + "/computes/lost", token, null));
            assertThat(compute.at("/properties/properties/state").asText()).isEqualTo("CreateFailed");
        }
    }

    /**
     * A creation script from the file share runs as root in the container, in its folder of the share, with the
     * instance's variables; as the instance's user it makes an environment with a package from the share and makes it
     * a kernel, as the setup-scripts page shows. After stop and start the kernel runs, and the startup script (inline)
     * ran again as root; the service it leaves running, which holds its output open, does not hold the start up.
     */
    @Test
    void aCreationScriptSetsTheContainerUpAsRootAndForItsUser() throws Exception {
        startServer();
        upload("Users/admin/hello-hangar/hello_hangar/__init__.py", "GREETING = 'hi from the share'\n");
        upload("Users/admin/hello-hangar/pyproject.toml", "[project]\nname = \"hello-hangar\"\nversion = \"1.0\"\n"
                + "[build-system]\nrequires = [\"setuptools\"]\nbuild-backend = \"setuptools.build_meta\"\n");
        upload("Users/admin/setup.sh", """
                #!/bin/bash
                set -euo pipefail
                echo "whoami=$(id -un) user=$CI_LOCAL_UBUNTU_USER name=$CI_NAME pwd=$PWD"
                echo "set up by $1" > /etc/hangar-setup-marker
                sudo -u "$CI_LOCAL_UBUNTU_USER" -i bash -c "python3 -m venv --system-site-packages /opt/hangar/envs/team \
                  && /opt/hangar/envs/team/bin/pip install -q --no-index --no-build-isolation '$PWD/hello-hangar' \
                  && /opt/hangar/envs/team/bin/python -m ipykernel install --user --name team --display-name 'Team env'"
                echo done
                """);
        var startup = java.util.Base64.getEncoder().encodeToString(
                "sleep 600 &\necho \"startup as $(id -un)\"; cat /etc/hangar-setup-marker\n"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        var created = https.send("PUT", WS + "/computes/team", token, """
                {"location":"local","properties":{"computeType":"ComputeInstance","properties":{
                "vmSize":"STANDARD_DS1_V2","setupScripts":{"scripts":{
                "creationScript":{"scriptSource":"workspaceStorage","scriptData":"Users/admin/setup.sh",
                                  "scriptArguments":"'the admins'","timeout":"10m"},
                "startupScript":{"scriptSource":"inline","scriptData":"%s"}}}}}}""".formatted(startup));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        var status = https.waitForOperation(created.headers().firstValue("Azure-AsyncOperation").orElseThrow(), token);
        assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("Succeeded");
        assertThat(file("Logs/team/creation.log")).contains(
                "whoami=root user=azureuser name=team pwd=/home/azureuser/cloudfiles/code/Users/admin\n", "done\n");

        operation("POST", WS + "/computes/team/stop");
        operation("POST", WS + "/computes/team/start");
        assertThat(file("Logs/team/startup.log")).contains("startup as root\nset up by the admins\n");
        try (var notebook = JupyterClient.builder(application("team", "Jupyter")).header("Authorization",
                "Bearer " + token).sslContext(Https.trusting(server.certificate())).build()) {
            var kernel = notebook.startKernel("team");
            try (var session = notebook.connect(kernel)) {
                var execution = session.execute("import sys, hello_hangar; (sys.prefix, hello_hangar.GREETING)");
                assertThat(execution.ok()).as(execution.toString()).isTrue();
                assertThat(execution.result()).isEqualTo("('/opt/hangar/envs/team', 'hi from the share')");
            } finally {
                notebook.shutdownKernel(kernel);
            }
        }
    }

    private void upload(String path, String content) {
        var put = https.sendBytes("PUT", WS + "/files/" + path, token,
                content.getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/octet-stream");
        assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
    }

    private String file(String path) {
        var got = https.send("GET", WS + "/files/" + path, token, null);
        assertThat(got.statusCode()).as(path + ": " + got.body()).isEqualTo(200);
        return got.body();
    }

    /**
     * The issue's path through an instance: a cell runs through the gateway; in the browser terminal the user is
     * azureuser, installs a package of their own (no index needed) into a new venv and makes that venv a Jupyter
     * kernel; after stop and start the kernel is still listed and runs a cell that imports the package.
     */
    @Test
    void whatTheTerminalInstallsSurvivesStopAndStart(@TempDir Path scratch) throws Exception {
        startServer();
        awaitCreated("lab");
        assertThat(runCell("lab", "1+1")).isEqualTo("2");

        try (var shell = TerminalClient.open(application("lab", "Terminal"), Https.trusting(server.certificate()),
                token, 24, 120)) {
            shell.type("echo \"user=$(id -un) uid=$(id -u) home=$PWD\"\r");
            shell.awaitShown("user=azureuser uid=1000 home=/home/azureuser");
            shell.type(String.join(" && ",
                    "mkdir -p ~/src/hello-hangar/hello_hangar",
                    "echo 'GREETING = \"hi from my package\"' > ~/src/hello-hangar/hello_hangar/__init__.py",
                    "printf '[project]\\nname = \"hello-hangar\"\\nversion = \"1.0\"\\n[build-system]\\n"
                            + "requires = [\"setuptools\"]\\nbuild-backend = \"setuptools.build_meta\"\\n'"
                            + " > ~/src/hello-hangar/pyproject.toml",
                    "python3 -m venv --system-site-packages /opt/hangar/envs/mine",
                    "/opt/hangar/envs/mine/bin/pip install -q --no-index --no-build-isolation ~/src/hello-hangar",
                    "/opt/hangar/envs/mine/bin/python -m ipykernel install --user --name mine"
                            + " --display-name 'My env'",
                    "echo installed-$((6*7))\r"));
            shell.awaitShown("installed-42", Duration.ofMinutes(3));
            shell.type("exit\r");
            assertThat(shell.awaitExit(Duration.ofSeconds(30))).isZero();
        }

        operation("POST", WS + "/computes/lab/stop");
        operation("POST", WS + "/computes/lab/start");

        var jupyter = application("lab", "Jupyter");
        try (var notebook = JupyterClient.builder(jupyter).header("Authorization", "Bearer " + token)
                .sslContext(Https.trusting(server.certificate())).build()) {
            assertThat(Https.JSON.readTree(notebook.get("api/kernelspecs").body()).at("/kernelspecs/mine/spec"
                    + "/display_name").asText()).isEqualTo("My env");
            var kernel = notebook.startKernel("mine");
            try (var session = notebook.connect(kernel)) {
                var execution = session.execute("import sys, hello_hangar; (sys.prefix, hello_hangar.GREETING)");
                assertThat(execution.ok()).as(execution.toString()).isTrue();
                assertThat(execution.result()).isEqualTo("('/opt/hangar/envs/mine', 'hi from my package')");
            } finally {
                notebook.shutdownKernel(kernel);
            }
        }

        // A job runs in the same container, in its code, with what the user installed there and the variables it was
        // given; what it writes to ./outputs is copied out of the container.
        var code = Files.createDirectories(scratch.resolve("code"));
        Files.writeString(code.resolve("train.py"), "import hello_hangar, os\n"
                + "print(hello_hangar.GREETING, os.environ['EPOCHS'], os.getcwd())\n"
                + "open('outputs/model.txt', 'w').write('trained')\n");
        var digest = Tarballs.scan(code, path -> false, Tarballs.CODE_LIMITS).digest();
        var archive = new java.io.ByteArrayOutputStream();
        Tarballs.pack(code, Tarballs.scan(code, path -> false, Tarballs.CODE_LIMITS), archive);
        assertThat(https.sendBytes("PUT", WS + "/codes/" + digest + "/versions/1/snapshot", token,
                archive.toByteArray(), "application/gzip").statusCode()).isEqualTo(201);
        var job = """
                {"properties":{"jobType":"Command","computeId":"lab","environmentVariables":{"EPOCHS":"3"},
                 "codeId":"azureml:%s:1","command":"/opt/hangar/envs/mine/bin/python train.py"}}""".formatted(digest);
        assertThat(https.send("PUT", WS + "/jobs/in-container", token, job).statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(60)).until(() -> Https.json(https.send("GET", WS + "/jobs/in-container",
                token, null)).at("/properties/status").asText().matches("Completed|Failed|Canceled"));
        var ran = Https.json(https.send("GET", WS + "/jobs/in-container", token, null));
        assertThat(ran.at("/properties/status").asText()).as(ran.toString()).isEqualTo("Completed");
        assertThat(https.send("GET", WS + "/jobs/in-container/logs", token, null).body())
                .isEqualTo("hi from my package 3 /home/azureuser/jobs/in-container\n");
        var outputs = scratch.resolve("outputs");
        var download = https.download(WS + "/jobs/in-container/outputs", token, scratch.resolve("outputs.tar.gz"));
        assertThat(download.statusCode()).isEqualTo(200);
        try (var in = Files.newInputStream(download.body())) {
            Tarballs.extract(in, outputs, Tarballs.OUTPUT_LIMITS);
        }
        assertThat(Files.readString(outputs.resolve("outputs/model.txt"))).isEqualTo("trained");
    }

    /**
     * Jupyter's own terminal in the instance image, as a user opens it in Chromium through the gateway: New → Terminal
     * shows a shell of azureuser that runs what is typed, with no error in the page (Debian's build of the page stops
     * at "exports is not defined"; the image's notebook_config.py serves a working one).
     */
    @Test
    void jupytersOwnTerminalRunsWhatIsTypedInTheBrowser() {
        startServer();
        awaitCreated("web");
        try (var browser = Browser.start(Path.of("target", "browser-screenshots", "ContainerInstancesIT"))) {
            var jupyter = application("web", "Jupyter").getPath();
            BrowserSignIn.signIn(browser, server.url(), token, jupyter + "tree", "jupyter-terminal-1-sign-in");
            var terminal = JupyterTerminal.openFromTheFileList(browser);
            terminal.awaitPrompt().type("echo hangar-$((6*7)) $(id -un)\n");
            await("the command's output").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> terminal.text().lines().anyMatch(line -> line.strip().equals("hangar-42 azureuser")));
            browser.screenshot("jupyter-terminal-2-output");
            assertThat(terminal.consoleErrors()).as("errors in the terminal's page").isEmpty();
        }
    }

    /**
     * A cluster on the container backend: each node is a container of the instance image, a job over two nodes finds
     * rank 0 at its container's address on the engine's network, and deleting the cluster removes its containers.
     */
    @Test
    void aClustersNodesAreContainersThatReachEachOther() {
        startServer(engine.dockerHost(), InstanceImage.reference(),
                Map.of("HANGAR_RECONCILE_CLUSTER_SCALE_INTERVAL", "PT0.5S"));
        var created = https.send("PUT", WS + "/computes/boxes", token, """
                {"properties":{"computeType":"AmlCompute","properties":{"vmSize":"Standard_DS1_v2",
                 "scaleSettings":{"minNodeCount":0,"maxNodeCount":2,"nodeIdleTimeBeforeScaleDown":"PT10M"}}}}""");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        var rendezvous = """
                echo "rank $NODE_RANK as $(id -un) in $HOME, master at $MASTER_ADDR"
                python3 - <<'PY'
                import os, socket, time
                address = (os.environ["MASTER_ADDR"], int(os.environ["MASTER_PORT"]))
                if os.environ["RANK"] == "0":
                    server = socket.create_server(("0.0.0.0", address[1]))
                    connection, _ = server.accept()
                    print("rank 0 heard:", connection.recv(100).decode(), flush=True)
                else:
                    for attempt in range(300):
                        try:
                            socket.create_connection(address, timeout=1).sendall(b"hello from rank 1")
                            break
                        except OSError:
                            time.sleep(0.1)
                PY
                """;
        var submitted = https.send("PUT", WS + "/jobs/two-boxes", token, """
                {"properties":{"jobType":"Command","command":%s,"computeId":"boxes",
                 "resources":{"instanceCount":2}}}""".formatted(Https.JSON.valueToTree(rendezvous).toString()));
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
        await().atMost(Duration.ofMinutes(3)).until(() -> Https.json(https.send("GET", WS + "/jobs/two-boxes",
                token, null)).at("/properties/status").asText().matches("Completed|Failed|Canceled"));
        var log = https.send("GET", WS + "/jobs/two-boxes/logs", token, null).body();
        assertThat(Https.json(https.send("GET", WS + "/jobs/two-boxes", token, null)).at("/properties/status")
                .asText()).as(log).isEqualTo("Completed");
        assertThat(log).contains("[node 0] rank 0 as azureuser in /home/azureuser, master at ",
                "[node 1] rank 1 as azureuser", "[node 0] rank 0 heard: hello from rank 1")
                .doesNotContain("master at 127.0.0.1");
        var mine = "label=dev.hangar.install=" + installId();
        var containers = engine.podman("ps", "-a", "--filter", mine, "--format",
                "{{index .Labels \"dev.hangar.compute-name\"}}").requireSuccess().lines();
        assertThat(containers).as("one container per node").hasSize(2).allMatch(name -> name.startsWith("boxes-tvm-"));

        assertThat(https.send("DELETE", WS + "/computes/boxes?underlyingResourceAction=Delete", token, null)
                .statusCode()).isEqualTo(202);
        await().atMost(Duration.ofMinutes(1)).until(() -> engine.podman("ps", "-a", "--filter", mine, "--format",
                "{{.ID}}").requireSuccess().lines().isEmpty());
    }

    private String installId() {
        try {
            return Files.readString(data.resolve("install-id")).strip();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A job that names an environment runs in a fresh container of its image (here the image with R, on an instance
     * of the plain one, which has no R), on the instance's home as its user, in its code, its outputs kept; the
     * container goes when the job ends. An image the engine lacks fails the job with {@code ImageNotFound}; a cancel
     * removes the container.
     */
    @Test
    void aJobRunsInAFreshContainerOfItsEnvironmentsImage(@TempDir Path scratch) throws Exception {
        startServer();
        awaitCreated("plain");
        assertThat(https.send("PUT", WS + "/environments/with-r/versions/1", token,
                "{\"properties\":{\"image\":\"" + InstanceImage.withR() + "\"}}").statusCode()).isEqualTo(201);
        assertThat(https.send("PUT", WS + "/environments/missing/versions/1", token,
                "{\"properties\":{\"image\":\"localhost/hangar-no-such-image:1\"}}").statusCode()).isEqualTo(201);

        var code = Files.createDirectories(scratch.resolve("code"));
        Files.writeString(code.resolve("sum.R"), "cat(sum(1:10), file = 'outputs/sum.txt')\ncat('summed\\n')\n");
        var digest = Tarballs.scan(code, path -> false, Tarballs.CODE_LIMITS).digest();
        var archive = new java.io.ByteArrayOutputStream();
        Tarballs.pack(code, Tarballs.scan(code, path -> false, Tarballs.CODE_LIMITS), archive);
        assertThat(https.sendBytes("PUT", WS + "/codes/" + digest + "/versions/1/snapshot", token,
                archive.toByteArray(), "application/gzip").statusCode()).isEqualTo(201);
        var job = """
                {"properties":{"jobType":"Command","computeId":"plain","environmentId":"%s","codeId":"azureml:%s:1",
                 "command":%s}}""";
        var command = Https.JSON.valueToTree("echo \"$(id -u) $PWD\"; Rscript sum.R").toString();
        assertThat(https.send("PUT", WS + "/jobs/in-r", token, job.formatted("azureml:with-r@latest", digest,
                command)).statusCode()).isEqualTo(201);
        await().atMost(Duration.ofMinutes(2)).until(() -> Https.json(https.send("GET", WS + "/jobs/in-r", token,
                null)).at("/properties/status").asText().matches("Completed|Failed|Canceled"));
        var ran = Https.json(https.send("GET", WS + "/jobs/in-r", token, null));
        var log = https.send("GET", WS + "/jobs/in-r/logs", token, null).body();
        assertThat(ran.at("/properties/status").asText()).as(ran + log).isEqualTo("Completed");
        assertThat(ran.at("/properties/environmentId").asText()).isEqualTo(WS + "/environments/with-r/versions/1");
        assertThat(log).isEqualTo("1000 /home/azureuser/jobs/in-r\nsummed\n");
        var download = https.download(WS + "/jobs/in-r/outputs", token, scratch.resolve("outputs.tar.gz"));
        assertThat(download.statusCode()).isEqualTo(200);
        try (var in = Files.newInputStream(download.body())) {
            Tarballs.extract(in, scratch.resolve("outputs"), Tarballs.OUTPUT_LIMITS);
        }
        assertThat(Files.readString(scratch.resolve("outputs/outputs/sum.txt"))).isEqualTo("55");
        var inInstance = https.send("PUT", WS + "/jobs/in-instance", token, """
                {"properties":{"jobType":"Command","computeId":"plain","command":"command -v Rscript || echo no R"}}""");
        assertThat(inInstance.statusCode()).isEqualTo(201);
        await().atMost(Duration.ofMinutes(1)).until(() -> https.send("GET", WS + "/jobs/in-instance/logs", token,
                null).body().equals("no R\n"));

        assertThat(https.send("PUT", WS + "/jobs/no-image", token, """
                {"properties":{"jobType":"Command","computeId":"plain","environmentId":"azureml:missing:1",
                 "command":"true"}}""").statusCode()).isEqualTo(201);
        await().atMost(Duration.ofMinutes(1)).until(() -> Https.json(https.send("GET", WS + "/jobs/no-image", token,
                null)).at("/properties/status").asText().equals("Failed"));
        assertThat(Https.json(https.send("GET", WS + "/jobs/no-image", token, null)).at("/properties/error/code")
                .asText()).isEqualTo("ImageNotFound");

        assertThat(https.send("PUT", WS + "/jobs/in-r-long", token, job.formatted("azureml:with-r:1", digest,
                Https.JSON.valueToTree("sleep 300").toString())).statusCode()).isEqualTo(201);
        var jobContainers = "label=dev.hangar.job-of";
        await().atMost(Duration.ofMinutes(1)).until(() -> !engine.podman("ps", "--filter", jobContainers,
                "--filter", "label=dev.hangar.install=" + installId(), "--format", "{{.ID}}").requireSuccess()
                .lines().isEmpty());
        https.send("POST", WS + "/jobs/in-r-long/cancel", token, null);
        await().atMost(Duration.ofMinutes(1)).until(() -> Https.json(https.send("GET", WS + "/jobs/in-r-long", token,
                null)).at("/properties/status").asText().equals("Canceled"));
        await().atMost(Duration.ofSeconds(30)).until(() -> engine.podman("ps", "-a", "--filter", jobContainers,
                "--filter", "label=dev.hangar.install=" + installId(), "--format", "{{.ID}}").requireSuccess()
                .lines().isEmpty());
    }

    /**
     * The job azure-ai-ml sends in Hangar's curated environment, in each form, runs in the instance itself (made from
     * the instance image, whose Jupyter it sees), not in a container of its own; the curated version names the
     * configured instance image.
     */
    @Test
    void theSdksJobInTheCuratedEnvironmentRunsInTheInstance() {
        startServer();
        awaitCreated("own");
        var version = Https.json(https.send("GET", WS + "/environments/hangar-instance/versions/1", token, null));
        assertThat(version.at("/properties/image").asText()).isEqualTo(InstanceImage.reference());
        assertThat(version.at("/properties/environmentType").asText()).isEqualTo("Curated");
        // The instance's own processes: Jupyter runs there, not in a fresh container of the image.
        var command = "grep -qs jupyte[r] /proc/[0-9]*/cmdline && echo in the instance as $(id -u)";
        var forms = Map.of("own-by-name", "hangar-instance", "own-latest", "azureml:hangar-instance@latest",
                "own-version", "azureml:hangar-instance:1",
                "own-arm-id", WS + "/environments/hangar-instance/versions/1");
        forms.forEach((job, environmentId) -> {
            var submitted = https.send("PUT", WS + "/jobs/" + job + "?api-version=2023-04-01", token,
                    EnvironmentsIT.sdkJob(job, WS + "/computes/own", environmentId, command));
            assertThat(submitted.statusCode()).as(job + ": " + submitted.body()).isEqualTo(201);
        });
        forms.keySet().forEach(job -> {
            var ran = EnvironmentsIT.ended(https, token, WS + "/jobs/" + job);
            var log = https.send("GET", WS + "/jobs/" + job + "/logs", token, null).body();
            assertThat(ran.at("/properties/status").asText()).as(job + ": " + ran + log).isEqualTo("Completed");
            assertThat(log).as(job).isEqualTo("in the instance as 1000\n");
            assertThat(ran.at("/properties/environmentId").asText())
                    .isEqualTo(WS + "/environments/hangar-instance/versions/1");
        });
        var azures = https.send("PUT", WS + "/jobs/azures", token, EnvironmentsIT.sdkJob("azures", WS
                + "/computes/own", "azureml://registries/azureml/environments/sklearn-1.5/versions/1", "true"));
        assertThat(azures.statusCode()).isEqualTo(400);
        assertThat(Https.json(azures).at("/error/message").asText()).contains("azureml:hangar-instance@latest");
    }

    /** Jupyter killed inside the container ends it; the reconciler starts it again and says so, with the cause. */
    @Test
    void aContainerThatStopsByItselfIsStartedAgainWithItsCauseShown() throws Exception {
        startServer(engine.dockerHost(), InstanceImage.reference(),
                Map.of("HANGAR_RECONCILE_RESYNC_INTERVAL", "PT2S"));
        awaitCreated("crashy");
        var before = containerIds("crashy");

        engine.podman("exec", "--user", "root", "hangar-" + computeId("crashy"), "pkill", "-KILL", "-f",
                "jupyter-notebook").requireSuccess();

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            var errors = Https.json(https.send("GET", WS + "/computes/crashy", token, null))
                    .at("/properties/properties/errors");
            return errors.size() == 1 && errors.get(0).at("/error/code").asText().equals("InstanceStoppedUnexpectedly");
        });
        var compute = Https.json(https.send("GET", WS + "/computes/crashy", token, null));
        assertThat(compute.at("/properties/properties/state").asText()).isEqualTo("Running");
        assertThat(compute.at("/properties/properties/errors/0/error/message").asText())
                .contains("exited with 137 (killed)", "started it again");
        var history = Https.json(https.send("GET", WS + "/computes/crashy/history", token, null)).get("value");
        assertThat(history.get(history.size() - 1).get("reason").asText())
                .startsWith("started again after it stopped by itself");
        assertThat(runCell("crashy", "1+1")).isEqualTo("2");
        assertThat(containerIds("crashy")).isEqualTo(before);
    }

    /**
     * The SSH gateway reaches into the container: azureuser in its home, a terminal, exit statuses, scp, and
     * {@code ssh -L} to a port on the container's own loopback.
     */
    @Test
    void sshReachesTheContainerAsItsUser(@TempDir Path client) throws Exception {
        startServer();
        try (var openSsh = new OpenSsh(client, server.sshPort())) {
            var key = openSsh.keygen("box");
            var created = https.send("PUT", WS + "/computes/sshbox", token, CREATE.replace("\"STANDARD_DS1_V2\"",
                    "\"STANDARD_DS1_V2\"" + SshGatewayIT.sshSettings("Enabled", OpenSsh.publicKey(key))));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            https.waitForOperation(created.headers().firstValue("Azure-AsyncOperation").orElseThrow(), token);
            var login = SshGatewayIT.login("sshbox");

            var whoami = openSsh.ssh(key, login, "id -un; pwd");
            assertThat(whoami.exit()).as(whoami.err()).isZero();
            assertThat(whoami.out()).isEqualTo("azureuser\n/home/azureuser\n");
            assertThat(openSsh.ssh(key, "-tt", login, "tty").out()).startsWith("/dev/pts/");
            assertThat(openSsh.ssh(key, login, "exit 5").exit()).isEqualTo(5);

            var file = client.resolve("notes.txt");
            Files.writeString(file, "copied in and out\n");
            assertThat(openSsh.scp(key, List.of(), file.toString(), login + ":notes.txt").exit()).isZero();
            assertThat(openSsh.scp(key, List.of(), login + ":notes.txt", client.resolve("back.txt").toString())
                    .exit()).isZero();
            assertThat(client.resolve("back.txt")).hasContent("copied in and out");

            var serve = openSsh.ssh(key, login, "echo from-the-container > marker.txt; nohup python3 -m http.server"
                    + " --bind 127.0.0.1 18123 > /dev/null 2>&1 &");
            assertThat(serve.exit()).as(serve.err()).isZero();
            assertThat(SshGatewayIT.fetchThroughForward(openSsh, key, login, 18123, "/marker.txt"))
                    .isEqualTo("from-the-container\n");
        }
    }

    /**
     * The image built with R ({@code build.sh --with-r}, Debian's r-base and r-cran-irkernel): Jupyter lists the "ir"
     * kernel beside Python's, and an R cell runs in it through the gateway.
     */
    @Test
    void theImageWithRRunsAnRCell() {
        startServer(engine.dockerHost(), InstanceImage.withR(), Map.of());
        awaitCreated("stats");

        var app = application("stats", "Jupyter");
        try (var notebook = JupyterClient.builder(app).header("Authorization", "Bearer " + token)
                .sslContext(Https.trusting(server.certificate())).build()) {
            var specs = notebook.get("api/kernelspecs");
            assertThat(specs.statusCode()).isEqualTo(200);
            assertThat(specs.body()).contains("\"ir\"", "\"python3\"");
            var kernel = notebook.startKernel("ir");
            try (var session = notebook.connect(kernel)) {
                var execution = session.execute("sum(1:10) * nchar(R.version$language)");
                assertThat(execution.ok()).as(execution.toString()).isTrue();
                assertThat(execution.displayed()).isEqualTo("[1] 55");
            } finally {
                notebook.shutdownKernel(kernel);
            }
        }
    }

    private String computeId(String name) {
        var id = Https.json(https.send("GET", WS + "/computes/" + name, token, null)).get("id").asText();
        var labelled = engine.podman("ps", "-a", "--filter", "label=dev.hangar.compute-name=" + name, "--format",
                "{{index .Labels \"dev.hangar.compute\"}}").requireSuccess().lines();
        assertThat(labelled).as("the container of %s (%s)", name, id).hasSize(1);
        return labelled.getFirst();
    }

    private URI application(String name, String displayName) {
        for (var app : Https.json(https.send("GET", WS + "/computes/" + name, token, null))
                .at("/properties/properties/applications")) {
            if (app.path("displayName").asText().equals(displayName)) {
                return URI.create(app.path("endpointUri").asText());
            }
        }
        throw new AssertionError(name + " lists no " + displayName);
    }

    private void operation(String method, String path) {
        var accepted = https.send(method, path, token, null);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        var status = https.waitForOperation(accepted.headers().firstValue("Azure-AsyncOperation").orElseThrow(), token);
        assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("Succeeded");
    }

    /** A server on the container backend of the test's engine and the instance image, with its token and client. */
    private void startServer() {
        startServer(engine.dockerHost(), InstanceImage.reference(), Map.of());
    }

    /** A server on the container backend at {@code host}, its instances of {@code image}, with {@code more} set. */
    private void startServer(String host, String image, Map<String, String> more) {
        var settings = new java.util.HashMap<>(Map.of("HANGAR_BACKEND_DEFAULT", "docker",
                "HANGAR_BACKEND_DOCKER_HOST", host, "HANGAR_BACKEND_DOCKER_IMAGE", image));
        settings.putAll(more);
        server = new ServerProcess(data, settings).start();
        token = server.adminToken();
        https = new Https(server.url(), server.certificate());
    }

    private void awaitCreated(String name) {
        var created = https.send("PUT", WS + "/computes/" + name, token, CREATE);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        var status = https.waitForOperation(created.headers().firstValue("Azure-AsyncOperation").orElseThrow(), token);
        assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("Succeeded");
    }

    private String runCell(String name, String code) {
        var app = Https.json(https.send("GET", WS + "/computes/" + name, token, null))
                .at("/properties/properties/applications/0/endpointUri").asText();
        try (var notebook = JupyterClient.builder(URI.create(app)).header("Authorization", "Bearer " + token)
                .sslContext(Https.trusting(server.certificate())).build()) {
            var execution = notebook.execute(code);
            assertThat(execution.ok()).as(execution.toString()).isTrue();
            return execution.result();
        }
    }

    private static List<String> containerIds(String name) {
        return engine.podman("ps", "-a", "--filter", "label=dev.hangar.compute-name=" + name, "--format", "{{.ID}}")
                .requireSuccess().lines();
    }

    private static List<String> volumes(String name) {
        return engine.podman("volume", "ls", "--filter", "label=dev.hangar.compute-name=" + name, "--format",
                "{{.Name}}").requireSuccess().lines();
    }

    /** Deletes the compute's record behind Hangar's back, as if it had been lost. */
    private void forgetCompute(String name) throws SQLException {
        var embedded = StoreConfig.embedded(data.resolve("db"));
        try (var connection = DriverManager.getConnection(embedded.jdbcUrl(), embedded.username(),
                embedded.password());
             var statement = connection.prepareStatement("DELETE FROM computes WHERE name = ?")) {
            statement.setString(1, name);
            assertThat(statement.executeUpdate()).isEqualTo(1);
        }
    }
}
