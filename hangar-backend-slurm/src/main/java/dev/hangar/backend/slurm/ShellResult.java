package dev.hangar.backend.slurm;

/** How a command ended: its exit status and what it wrote to standard error. */
record ShellResult(int exitCode, String errors) {

    boolean succeeded() {
        return exitCode == 0;
    }
}
