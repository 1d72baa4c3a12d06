package dev.hangar.ssh.client;

/** How a command ended: its exit status and what it wrote to standard error. */
public record ShellResult(int exitCode, String errors) {

    public boolean succeeded() {
        return exitCode == 0;
    }
}
