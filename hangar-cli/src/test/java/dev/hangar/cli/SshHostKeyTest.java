package dev.hangar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangar.testkit.arm.Arm;
import dev.hangar.testkit.arm.ArmServer;
import dev.hangar.testkit.arm.ArmServer.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compute ssh}: the identity named once is remembered, and the gateway's host key is shown and pinned on first
 * contact, so that ssh checks it strictly. ssh and ssh-keyscan are stand-ins on the CLI's PATH that record how they
 * were run.
 */
class SshHostKeyTest {
    private static final String KEY = "AAAAC3NzaC1lZDI1NTE5AAAAIIaj0gExLa8UL3g2aqWkZE/mcKJ2vUY+TGBH2oojtrC7";
    /** {@code ssh-keygen -lf} of that key. */
    private static final String FINGERPRINT = "SHA256:Ii4JJTBNTiaI2yPe8x374MYy9LLzFo2zJdqAx/PiSvE";
    private static final String GATEWAY = "[127.0.0.1]:50022";

    private final ArmServer server = ArmServer.start();
    @TempDir
    Path home;
    private Cli cli;
    private Path bin;

    @BeforeEach
    void logIn() throws IOException {
        cli = Cli.loggedIn(home, server);
        var instance = Arm.instance("ci1", "Running", Arm.ALICE, null)
                .replace("\"sshPublicAccess\":\"Disabled\"", "\"sshPublicAccess\":\"Enabled\"")
                .replace("\"connectivityEndpoints\":null",
                        "\"connectivityEndpoints\":{\"publicIpAddress\":\"127.0.0.1\",\"privateIpAddress\":null}");
        server.on("GET", Arm.compute("ci1"), Reply.json(200, instance));
        bin = Files.createDirectories(home.resolve("bin"));
        program("ssh-keyscan", "echo \"$@\" >> '" + home.resolve("keyscan.log") + "'\n"
                + "echo '# 127.0.0.1:50022 SSH-2.0-Hangar' >&2\n"
                + "echo '" + GATEWAY + " ssh-ed25519 " + KEY + "'\n");
        program("ssh", "printf '%s\\n' \"$@\" > '" + home.resolve("ssh.args") + "'\nexit 7\n");
        cli.env("PATH", bin.toString());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void withoutATerminalAnUnknownGatewayFailsNamingTheFingerprintAndAcceptHostKey() {
        var result = cli.run("compute", "ssh", "-n", "ci1");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.errLines()).containsExactly("ERROR: HostKeyUnknown: the SSH gateway " + GATEWAY + " is new"
                + " to this command line and there is no terminal to ask whether its host key ssh-ed25519 "
                + FINGERPRINT + " is the server's: compare it with the fingerprint the server printed at start,"
                + " then pass --accept-host-key " + FINGERPRINT);
        assertThat(home.resolve("ssh.args")).as("ssh was not run").doesNotExist();
        assertThat(knownHosts()).doesNotExist();
    }

    @Test
    void acceptHostKeyPinsItAndSshChecksItStrictly() throws IOException {
        var result = cli.run("compute", "ssh", "-n", "ci1", "--accept-host-key", "--", "hostname");

        assertThat(result.exitCode()).as("ssh's exit code").isEqualTo(7);
        assertThat(Files.readAllLines(knownHosts())).containsExactly(GATEWAY + " ssh-ed25519 " + KEY);
        assertThat(sshArguments()).containsExactly("-p", "50022", "-o", "UserKnownHostsFile=" + knownHosts(),
                "-o", "StrictHostKeyChecking=yes", "ci1.ws1@127.0.0.1", "hostname");
        assertThat(result.err()).contains("Pinned the host key ssh-ed25519 " + FINGERPRINT + " of " + GATEWAY);
    }

    @Test
    void acceptHostKeyWithTheServersFingerprintPinsIt() {
        var result = cli.run("compute", "ssh", "-n", "ci1", "--accept-host-key", FINGERPRINT);

        assertThat(result.exitCode()).isEqualTo(7);
        assertThat(knownHosts()).exists();
    }

    @Test
    void acceptHostKeyWithAnotherFingerprintPinsNothing() {
        var result = cli.run("compute", "ssh", "-n", "ci1", "--accept-host-key", "SHA256:somethingElse");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(result.errLines()).containsExactly("ERROR: HostKeyMismatch: the SSH gateway " + GATEWAY
                + " shows the host key ssh-ed25519 " + FINGERPRINT + ", not SHA256:somethingElse: nothing was pinned"
                + " and ssh was not run");
        assertThat(knownHosts()).doesNotExist();
        assertThat(home.resolve("ssh.args")).doesNotExist();
    }

    @Test
    void onATerminalItShowsTheFingerprintAndAsks() {
        var result = cli.answering("y").run("compute", "ssh", "-n", "ci1");

        assertThat(result.exitCode()).isEqualTo(7);
        assertThat(result.err()).contains("The SSH gateway " + GATEWAY + " is new to this command line. Its host key is"
                + " ssh-ed25519 " + FINGERPRINT + ".", "'ssh gateway: port 50022, host key SHA256:...'");
        assertThat(cli.questions()).containsExactly("Accept this host key and pin it in " + knownHosts() + "? (y/N): ");
        assertThat(knownHosts()).exists();
    }

    @Test
    void noAtThePromptRunsNothing() {
        var result = cli.answering("n").run("compute", "ssh", "-n", "ci1");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.err()).contains("ERROR: HostKeyNotAccepted: ");
        assertThat(knownHosts()).doesNotExist();
        assertThat(home.resolve("ssh.args")).doesNotExist();
    }

    @Test
    void aPinnedGatewayIsNotScannedNorAskedAgain() throws IOException {
        cli.run("compute", "ssh", "-n", "ci1", "--accept-host-key");
        Files.delete(home.resolve("keyscan.log"));

        var again = cli.answering("n").run("compute", "ssh", "-n", "ci1");

        assertThat(again.exitCode()).isEqualTo(7);
        assertThat(cli.questions()).isEmpty();
        assertThat(home.resolve("keyscan.log")).doesNotExist();
        assertThat(sshArguments()).contains("StrictHostKeyChecking=yes");
    }

    @Test
    void theIdentityNamedOnceIsUsedLater() throws IOException {
        var key = Files.writeString(home.resolve("id_ed25519"), "a private key");

        cli.run("compute", "ssh", "-n", "ci1", "--accept-host-key", "-i", key.toString());
        var later = cli.run("compute", "ssh", "-n", "ci1", "--", "true");

        assertThat(later.exitCode()).isEqualTo(7);
        assertThat(sshArguments()).containsSubsequence("-p", "50022", "-i", key.toString(), "-o");
        assertThat(later.errLines().getFirst()).startsWith("ssh -p 50022 -i " + key + " ");
        var saved = new ObjectMapper().readTree(cli.configFile().toFile()).get("sshIdentities");
        assertThat(saved.get(ArmServer.WORKSPACE.toLowerCase() + "/computes/ci1").asText()).isEqualTo(key.toString());
    }

    @Test
    void anIdentityIsRememberedPerCompute() throws IOException {
        var key = Files.writeString(home.resolve("id_ed25519"), "a private key");
        var other = Arm.instance("ci2", "Running", Arm.ALICE, null)
                .replace("\"sshPublicAccess\":\"Disabled\"", "\"sshPublicAccess\":\"Enabled\"")
                .replace("\"connectivityEndpoints\":null",
                        "\"connectivityEndpoints\":{\"publicIpAddress\":\"127.0.0.1\",\"privateIpAddress\":null}");
        server.on("GET", Arm.compute("ci2"), Reply.json(200, other));

        cli.run("compute", "ssh", "-n", "ci1", "--accept-host-key", "-i", key.toString());
        cli.run("compute", "ssh", "-n", "ci2");

        assertThat(sshArguments()).doesNotContain("-i");
    }

    @Test
    void sshOptionsAboutHostKeysLeaveThemToSsh() throws IOException {
        var result = cli.run("compute", "ssh", "-n", "ci1", "--ssh-option", "StrictHostKeyChecking=accept-new");

        assertThat(result.exitCode()).isEqualTo(7);
        assertThat(home.resolve("keyscan.log")).as("no scan").doesNotExist();
        assertThat(sshArguments()).containsExactly("-p", "50022", "-o", "StrictHostKeyChecking=accept-new",
                "ci1.ws1@127.0.0.1");
    }

    @Test
    void printNeitherScansNorAsks() {
        var result = cli.answering("y").run("compute", "ssh", "-n", "ci1", "--print");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines()).containsExactly("ssh -p 50022 ci1.ws1@127.0.0.1");
        assertThat(cli.questions()).isEmpty();
        assertThat(home.resolve("keyscan.log")).doesNotExist();
    }

    private Path knownHosts() {
        return cli.configFile().resolveSibling("known_hosts");
    }

    private List<String> sshArguments() throws IOException {
        return Files.readAllLines(home.resolve("ssh.args"));
    }

    private void program(String name, String script) throws IOException {
        var file = bin.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
