package dev.hangar.server;

import dev.hangar.server.config.ConfigLoader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** {@code hangar-server [--config FILE]}: starts Hangar and prints where to open it. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path configFile = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> configFile = Path.of(args[++i]);
                case "--help", "-h" -> {
                    System.out.println("Usage: hangar-server [--config FILE]\n"
                            + "Every setting is documented in docs/configuration.md; HANGAR_* variables override it.");
                    return;
                }
                default -> {
                    System.err.println("ERROR: unknown argument '" + args[i] + "'. Try --help.");
                    System.exit(2);
                }
            }
        }
        HangarServer server;
        try {
            var config = new ConfigLoader(System.getenv()).load(configFile);
            server = HangarServer.start(config);
            banner(server, config.dataDirectory(), System.out);
        } catch (RuntimeException e) {
            System.err.println("ERROR: Hangar could not start: " + reason(e));
            if (e.getMessage() == null) {
                // A failure without a message is a defect, not a setting: its trace is what a report needs.
                e.printStackTrace();
            }
            System.exit(1);
            return;
        }
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "hangar-shutdown"));
        stopped.await();
    }

    /** The failure's message, with its causes' where they add to it. */
    static String reason(Throwable failure) {
        var text = new StringBuilder(failure.getMessage() != null ? failure.getMessage() : failure.toString());
        for (var cause = failure.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
                text.append(": ").append(cause.getMessage());
            }
        }
        return text.toString();
    }

    static void banner(HangarServer server, Path data, PrintStream out) {
        var url = server.url();
        out.println();
        out.println("Hangar " + HangarServer.VERSION + " is running at " + url);
        out.println("  data directory:  " + data);
        out.println("  workspace:       " + server.defaultWorkspace().armId());
        out.println("  backend:         " + server.backendName() + " (instances run " + switch (server.backendName()) {
            case "local" -> "as processes of this host)";
            case "docker" -> "as containers)";
            default -> "on it)";
        });
        if (server.certificate() != null) {
            out.println("  certificate:     " + server.certificate() + " (self-signed unless configured)");
        }
        server.sshGateway().ifPresentOrElse(ssh -> out.println("  ssh gateway:     port " + ssh.port()
                + ", host key " + ssh.fingerprint()), () -> out.println("  ssh gateway:     off (ssh.enabled=false)"));
        server.bootstrapAdmin().ifPresentOrElse(admin -> {
            out.println();
            out.println("An admin user '" + admin.user().name() + "' was created. Its API token is shown only now:");
            out.println("  " + admin.token());
            out.println();
            out.println("Sign the hangar CLI in with:");
            var trust = server.certificate() != null ? " --ca-cert " + server.certificate() : "";
            out.println("  bin/hangar login --server " + url + " --token " + admin.token() + trust);
        }, () -> out.println("  sign in with the admin token printed at first start (bin/hangar login ...)"));
        out.println();
        out.println("Open the studio in a browser at " + url + "/ and sign in with an API token.");
        out.println("Jupyter of an instance opens at " + url + "/workspaces/" + server.defaultWorkspace().name()
                + "/computes/<name>/apps/jupyter/");
        server.sshGateway().ifPresent(ssh -> out.println("SSH into an instance created with a key: ssh -p " + ssh.port()
                + " <name>." + server.defaultWorkspace().name() + "@" + url.getHost()));
        out.println("Press Ctrl+C to stop Hangar; running instances keep running and are adopted at the next start.");
        out.flush();
    }
}
