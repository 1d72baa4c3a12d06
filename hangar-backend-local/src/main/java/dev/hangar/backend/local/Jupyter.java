package dev.hangar.backend.local;

import dev.hangar.backend.local.RunRecord.AppProcess;
import dev.hangar.core.spi.BackendException;
import dev.hangar.core.spi.InstanceContext.AppSpec;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Jupyter Notebook 6, run as a host process for one instance. It listens on 127.0.0.1 only, under the
 * gateway's base path, and accepts only its token: the gateway adds {@code Authorization: token ...}, which Notebook 6
 * trusts without an origin or XSRF check, so no {@code allow_origin} is needed. The token is passed in the
 * environment rather than on the command line, where any user of the host could read it.
 */
final class Jupyter {
    static final String APP = "jupyter";
    static final String INSTALL = "apt-get install -y jupyter-notebook python3-ipykernel node-xterm";

    private static final Path SETSID = Path.of("/usr/bin/setsid");
    /** Keeps Jupyter's record of kernel activity, which idle shutdown reads, from missing a busy kernel. */
    private static final String CONFIGURATION = "notebook_config.py";
    private static final long PROBE_SECONDS = 30;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path command;
    // Only a positive answer is kept: after "not installed" the next start looks again, so installing needs no restart.
    private volatile boolean installed;

    Jupyter(Path command) {
        this.command = command;
    }

    /** Why Jupyter cannot run on this host, with the fix; empty when it can. */
    Optional<String> unavailableReason() {
        if (installed) {
            return Optional.empty();
        }
        if (!Files.isExecutable(command)) {
            var problem = Files.exists(command) ? " is not executable" : " does not exist";
            return Optional.of(command + problem + " (setting backend.local." + LocalBackendConfig.JUPYTER
                    + "). Install Jupyter Notebook on the Hangar host: " + INSTALL);
        }
        var failure = probe();
        installed = failure.isEmpty();
        return failure.map(why -> "'" + command + " notebook' cannot run here (" + why
                + "). Install Jupyter Notebook on the Hangar host: " + INSTALL);
    }

    /**
     * Starts the server as the instance's account, in a session of its own (so signals for Hangar's process group
     * never reach it and it outlives a restart of Hangar), with every Jupyter and IPython directory inside the
     * instance directory.
     */
    AppProcess launch(InstanceDirectory instance, AppSpec spec, InstanceAccount account) {
        writeConfiguration(instance);
        var port = freePort();
        var token = HexFormat.of().formatHex(randomBytes());
        var builder = new ProcessBuilder(arguments(instance, spec, port, account))
                .directory(instance.home().toFile())
                .redirectInput(new File("/dev/null"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(instance.log(APP).toFile()));
        var environment = builder.environment();
        environment.clear();
        environment.putAll(environment(instance, account, token));
        try {
            var process = builder.start();
            var started = process.info().startInstant().orElseGet(Instant::now);
            return new AppProcess(process.pid(), started, port, token);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + command, e);
        }
    }

    private List<String> arguments(InstanceDirectory instance, AppSpec spec, int port, InstanceAccount account) {
        var arguments = new ArrayList<>(List.of(command.toString(), "notebook",
                "--no-browser", "--ip=127.0.0.1", "--port=" + port,
                // Fail rather than move to another port: the recorded port is where the gateway goes.
                "--NotebookApp.port_retries=0",
                "--NotebookApp.base_url=" + spec.basePath(),
                "--NotebookApp.trust_xheaders=True",
                "--config=" + configuration(instance),
                "--notebook-dir=" + instance.home()));
        if (account.uid() == 0) {
            arguments.add("--allow-root");
        }
        var launcher = new ArrayList<>(List.of(SETSID.toString()));
        launcher.addAll(account.command(arguments));
        return launcher;
    }

    private static Path configuration(InstanceDirectory instance) {
        return instance.run().resolve(CONFIGURATION);
    }

    /** The notebook server's own configuration (the instance user's {@code ~/.jupyter} is loaded too, before it). */
    private static void writeConfiguration(InstanceDirectory instance) {
        try (var in = Jupyter.class.getResourceAsStream(CONFIGURATION)) {
            if (in == null) {
                throw new IllegalStateException(CONFIGURATION + " is missing from Hangar's jar");
            }
            Files.createDirectories(instance.run());
            Files.write(configuration(instance), in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + configuration(instance), e);
        }
    }

    private static Map<String, String> environment(InstanceDirectory instance, InstanceAccount account,
                                                   String token) {
        var environment = new HashMap<>(InstanceEnvironment.of(instance, account));
        environment.put("JUPYTER_TOKEN", token);
        environment.put("JUPYTER_RUNTIME_DIR", instance.runtime().toString());
        return environment;
    }

    /** Runs {@code jupyter notebook --version}; empty when it works, else what it said. */
    private Optional<String> probe() {
        try {
            var output = Files.createTempFile("hangar-jupyter-probe", ".log");
            try {
                var builder = new ProcessBuilder(command.toString(), "notebook", "--version")
                        .redirectInput(new File("/dev/null")).redirectErrorStream(true)
                        .redirectOutput(output.toFile());
                builder.environment().keySet().removeIf(key -> !key.equals("PATH") && !key.equals("LANG"));
                var process = builder.start();
                if (!process.waitFor(PROBE_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return Optional.of("'notebook --version' did not answer within " + PROBE_SECONDS + " s");
                }
                return process.exitValue() == 0 ? Optional.empty()
                        : Optional.of("exit " + process.exitValue() + ": " + LogTail.of(output, 3).strip());
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            return Optional.of(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BackendException.retryable("Interrupted", "Interrupted while probing " + command, e);
        }
    }

    private static byte[] randomBytes() {
        var bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on 127.0.0.1", e);
        }
    }
}
