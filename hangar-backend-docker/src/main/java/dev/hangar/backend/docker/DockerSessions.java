package dev.hangar.backend.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.hangar.core.spi.BackendException;
import dev.hangar.core.spi.InstanceContext;
import dev.hangar.core.spi.InstanceSession;
import dev.hangar.core.spi.SessionRequest;
import dev.hangar.core.spi.SessionRequest.Tty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sessions in an instance's container, each an {@code exec} as the instance's user ({@code azureuser}) in its home.
 * Every session command runs under a small {@code sh} wrapper that records its pid in the container's {@code /tmp}, so
 * that closing the session can end the whole process tree (SIGHUP, then SIGKILL), which the Docker Engine API cannot
 * do for an exec. SFTP is the image's OpenSSH {@code sftp-server}; a forwarded port is a small relay in the image's
 * Python that connects to the container's own loopback and says on stderr whether it could.
 */
final class DockerSessions {
    static final String SFTP_SERVER = "/usr/lib/openssh/sftp-server";
    private static final Duration CONNECT_WAIT = Duration.ofSeconds(10);
    private static final String CONNECTED = "hangar-forward: connected";

    /** Records the wrapper's pid, runs the command, removes the record, and keeps the command's exit status. */
    private static final String WRAPPER = "echo $$ > \"$0\"; \"$@\"; status=$?; rm -f \"$0\"; exit $status";

    /** Ends the recorded process and all its descendants: SIGHUP first (a shell's hang-up), SIGKILL a second later. */
    private static final String HANG_UP = """
            pid=$(cat "$0" 2>/dev/null) || exit 0
            tree() { for child in $(pgrep -P "$1"); do tree "$child"; done; echo "$1"; }
            pids=$(tree "$pid")
            kill -HUP $pids 2>/dev/null
            sleep 1
            kill -KILL $(for p in $pids; do [ -d /proc/$p ] && echo $p; done) 2>/dev/null
            rm -f "$0"
            exit 0
            """;

    /** Connects to 127.0.0.1:port, reports on stderr, then copies bytes both ways with half-closes. */
    private static final String RELAY = """
            import os, socket, sys, threading
            try:
                s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
            except OSError as e:
                sys.stderr.write("hangar-forward: %s\\n" % e.strerror); sys.stderr.flush(); sys.exit(2)
            s.settimeout(None)
            sys.stderr.write("hangar-forward: connected\\n"); sys.stderr.flush()
            def up():
                while True:
                    data = os.read(0, 65536)
                    if not data:
                        break
                    s.sendall(data)
                try:
                    s.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
            threading.Thread(target=up, daemon=True).start()
            while True:
                data = s.recv(65536)
                if not data:
                    break
                os.write(1, data)
            """;

    private final DockerClient docker;
    private final URI host;
    private final DockerBackendConfig config;

    DockerSessions(DockerClient docker, DockerBackendConfig config) {
        this.docker = docker;
        this.host = config.host();
        this.config = config;
    }

    InstanceSession open(InstanceContext instance, SessionRequest request) {
        var container = InstanceResources.container(instance.computeId());
        try {
            var state = docker.inspectContainerCmd(container).exec().getState();
            if (!Boolean.TRUE.equals(state.getRunning())) {
                throw notRunning(instance);
            }
        } catch (NotFoundException e) {
            throw notRunning(instance);
        }
        return switch (request) {
            case SessionRequest.Shell shell -> exec(container, List.of("/bin/bash", "-l"), shell.tty(),
                    shell.environment());
            case SessionRequest.Command command -> exec(container, List.of("/bin/bash", "-c",
                    withFolders(command)), command.tty(), command.environment());
            case SessionRequest.AdminCommand command -> exec(container, List.of("/bin/bash", "-c", command.line()),
                    null, command.environment(), true);
            case SessionRequest.Sftp ignored -> exec(container, List.of(SFTP_SERVER), null, Map.of());
            case SessionRequest.Forward forward -> forward(instance, container, forward.port());
            case SessionRequest.Container image -> image(instance, image);
        };
    }

    /**
     * The command's line, after a {@code mkdir} of its folders: made in the container, as its user, whose files these
     * are; the line does not run when they cannot be made.
     */
    static String withFolders(SessionRequest.Command command) {
        if (command.folders().isEmpty()) {
            return command.line();
        }
        var mkdir = new StringBuilder("mkdir -p --");
        for (var folder : command.folders()) {
            mkdir.append(" '").append(folder.replace("'", "'\\''")).append('\'');
        }
        return mkdir.append(" || exit 97\n").append(command.line()).toString();
    }

    /**
     * A job's command in a fresh container of its environment's image, sharing the instance's home and environments
     * volumes, as the instance's user id (the image need not know the name), within the instance's size; labelled with
     * the instance it belongs to, so that ending the instance's jobs or deleting it removes it.
     */
    private InstanceSession image(InstanceContext instance, SessionRequest.Container request) {
        try {
            docker.inspectImageCmd(request.image()).exec();
        } catch (NotFoundException e) {
            throw BackendException.fatal("ImageNotFound", "Image " + request.image() + " is not in the engine at "
                    + host + ": Hangar pulls nothing by itself; build or import it there (see docs/jobs.md).");
        }
        var environment = new ArrayList<String>();
        request.environment().forEach((key, value) -> {
            if (!RESERVED.contains(key)) {
                environment.add(key + "=" + value);
            }
        });
        environment.addAll(List.of("HOME=" + InstanceContainer.HOME, "USER=" + InstanceContainer.USER,
                "LOGNAME=" + InstanceContainer.USER));
        var size = instance.size();
        var memory = (long) (size.memoryGb() * 1024 * 1024 * 1024);
        var host = com.github.dockerjava.api.model.HostConfig.newHostConfig()
                .withInit(true)
                .withMemory(memory)
                .withMemorySwap(memory)
                .withNanoCPUs(size.vCpus() * 1_000_000_000L)
                .withPidsLimit(config.processes())
                .withUlimits(List.of(new com.github.dockerjava.api.model.Ulimit("nofile", config.openFiles(),
                                config.openFiles()),
                        new com.github.dockerjava.api.model.Ulimit("nproc", config.processes(), config.processes())))
                .withBinds(new com.github.dockerjava.api.model.Bind(InstanceResources.homeVolume(instance.computeId()),
                                new com.github.dockerjava.api.model.Volume(InstanceContainer.HOME)),
                        new com.github.dockerjava.api.model.Bind(InstanceResources.envsVolume(instance.computeId()),
                                new com.github.dockerjava.api.model.Volume(InstanceContainer.ENVS)));
        var created = docker.createContainerCmd(request.image())
                .withLabels(java.util.Map.of(InstanceResources.LABEL_INSTALL, config.installId(),
                        InstanceResources.LABEL_JOB_OF, instance.computeId().toString()))
                .withUser(InstanceContainer.UID + ":" + InstanceContainer.UID)
                .withWorkingDir(InstanceContainer.HOME)
                .withEnv(environment)
                .withEntrypoint("/bin/sh", "-c", request.line())
                .withHostConfig(host)
                .exec();
        try {
            return ImageSession.start(docker, created.getId());
        } catch (RuntimeException e) {
            docker.removeContainerCmd(created.getId()).withForce(true).exec();
            throw e;
        }
    }

    /**
     * Removes the job containers of an instance whose environment holds one of {@code markers} (all of them when
     * {@code markers} is null): what a job ran in its own image ends with its container.
     */
    void removeJobContainers(UUID computeId, java.util.Set<String> markers) {
        var ofInstance = java.util.Map.of(InstanceResources.LABEL_INSTALL, config.installId(),
                InstanceResources.LABEL_JOB_OF, computeId.toString());
        for (var container : docker.listContainersCmd().withShowAll(true).withLabelFilter(ofInstance).exec()) {
            try {
                if (markers != null) {
                    var env = docker.inspectContainerCmd(container.getId()).exec().getConfig().getEnv();
                    if (env == null || java.util.Arrays.stream(env).noneMatch(markers::contains)) {
                        continue;
                    }
                }
                docker.removeContainerCmd(container.getId()).withForce(true).exec();
            } catch (NotFoundException gone) {
                // Removed meanwhile.
            }
        }
    }

    /**
     * Ends the container's processes whose environment holds one of the markers (given as {@code $HANGAR_MARKER}, one
     * a line, which grep takes as so many patterns; never put into the script's text): SIGTERM, two seconds, then
     * SIGKILL for what is left.
     */
    private static final String END_MARKED = """
            marked() { for d in /proc/[0-9]*; do
              tr '\\0' '\\n' < "$d/environ" 2>/dev/null | grep -qxF -- "$HANGAR_MARKER" && echo "${d#/proc/}"
            done; }
            pids=$(marked); [ -z "$pids" ] && exit 0
            kill -TERM $pids 2>/dev/null; sleep 2
            pids=$(marked); [ -n "$pids" ] && kill -KILL $pids 2>/dev/null
            exit 0
            """;

    /** Ends the processes marked so in the instance's container, if it runs; see {@code ComputeBackend#endProcesses}. */
    void endMarked(InstanceContext instance, java.util.Set<String> markers) {
        var container = InstanceResources.container(instance.computeId());
        var state = docker.inspectContainerCmd(container).exec().getState();
        if (state == null || !Boolean.TRUE.equals(state.getRunning())) {
            return;
        }
        // As the instance's user, whose processes sessions run: root in a container lacks CAP_SYS_PTRACE, without
        // which another user's environment cannot be read.
        try {
            runScript(container, InstanceContainer.USER, List.of("HANGAR_MARKER=" + String.join("\n", markers)),
                    END_MARKED, "end-marked", Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BackendException.retryable("Interrupted", "Interrupted while ending processes in " + container, e);
        }
    }

    /** The variables Hangar sets for every session: a request cannot change them. */
    private static final java.util.Set<String> RESERVED = java.util.Set.of("HOME", "USER", "LOGNAME", "SHELL", "TERM");

    private InstanceSession exec(String container, List<String> command, Tty tty, Map<String, String> requested) {
        return exec(container, command, tty, requested, false);
    }

    /** @param asRoot whether it runs as root (with root's own home), else as the instance's user */
    private InstanceSession exec(String container, List<String> command, Tty tty, Map<String, String> requested,
                                 boolean asRoot) {
        var record = "/tmp/.hangar-session-" + UUID.randomUUID();
        var wrapped = new ArrayList<>(List.of("/bin/sh", "-c", WRAPPER, record));
        wrapped.addAll(command);
        var environment = new ArrayList<String>();
        // What the session asks for (a job's variables, an SSH client's locale), but never the user's identity.
        requested.forEach((key, value) -> {
            if (!RESERVED.contains(key)) {
                environment.add(key + "=" + value);
            }
        });
        var user = asRoot ? "root" : InstanceContainer.USER;
        environment.addAll(List.of("HOME=" + (asRoot ? "/root" : InstanceContainer.HOME), "USER=" + user,
                "LOGNAME=" + user, "SHELL=/bin/bash"));
        if (tty != null) {
            environment.add("TERM=" + tty.term());
        }
        var execId = docker.execCreateCmd(container)
                .withUser(user)
                .withWorkingDir(InstanceContainer.HOME)
                .withEnv(environment)
                .withCmd(wrapped.toArray(String[]::new))
                .withTty(tty != null)
                .withAttachStdin(true)
                .withAttachStdout(true)
                .withAttachStderr(true)
                .exec().getId();
        ExecSession session;
        try {
            session = ExecSession.start(docker, host, execId, tty != null, () -> hangUp(container, record));
        } catch (IOException e) {
            throw BackendException.retryable("EngineUnreachable", "Cannot attach to a new exec in " + container
                    + " at " + host + ": " + e.getMessage(), e);
        }
        if (tty != null) {
            session.resize(tty.columns(), tty.rows());
        }
        return session;
    }

    private void hangUp(String container, String record) {
        try {
            runScript(container, "root", List.of(), HANG_UP, record, Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs a shell script of Hangar's own in the container as {@code user} and waits for it, at most {@code wait}. */
    private void runScript(String container, String user, List<String> environment, String script, String argument,
                           Duration wait) throws InterruptedException {
        var execId = docker.execCreateCmd(container).withUser(user).withAttachStdout(true).withAttachStderr(true)
                .withEnv(environment).withCmd("/bin/sh", "-c", script, argument).exec().getId();
        docker.execStartCmd(execId).exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<>())
                .awaitCompletion(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private InstanceSession forward(InstanceContext instance, String container, int port) {
        var session = exec(container, List.of("python3", "-c", RELAY, Integer.toString(port)), null, Map.of());
        var report = new CompletableFuture<String>();
        Thread.ofVirtual().name("forward-report-" + port).start(() -> {
            try {
                report.complete(firstLine(session));
            } catch (RuntimeException e) {
                report.completeExceptionally(e);
            }
        });
        String line;
        try {
            line = report.get(CONNECT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            session.close();
            throw BackendException.retryable("Interrupted", "Interrupted while connecting to port " + port, e);
        } catch (ExecutionException | TimeoutException e) {
            session.close();
            throw BackendException.fatal("PortNotReachable", "Cannot reach port " + port + " of "
                    + instance.computeName() + ": the relay in the container did not answer (" + e + ")");
        }
        if (CONNECTED.equals(line)) {
            return session;
        }
        session.close();
        var why = line == null ? "the relay ended without a word (is python3 in the image?)"
                : line.replace("hangar-forward: ", "");
        throw BackendException.fatal("PortNotListening", "Nothing listens on port " + port + " of "
                + instance.computeName() + "'s loopback: " + why);
    }

    /** The relay's first line on stderr; the rest of stderr is left to the session's reader. */
    private static String firstLine(InstanceSession session) {
        var line = new StringBuilder();
        try {
            for (int c; (c = session.errors().read()) >= 0 && c != '\n'; ) {
                line.append((char) c);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return line.isEmpty() ? null : line.toString();
    }

    private static BackendException notRunning(InstanceContext instance) {
        return BackendException.fatal("InstanceNotRunning", "The container of " + instance.computeName()
                + " is not running; start the instance first");
    }
}
