package dev.hangar.testkit.time;

import java.time.Duration;

/**
 * How long tests wait on real daemons and schedulers: upper bounds only, each wait ending as soon as its condition
 * holds. A first start on a fresh, busy 2-core machine (cold disk caches, a JIT not yet warm, a build or another
 * test's daemons running beside it) takes many times a warm one: Slurm's first start was seen past 30 s there. So the
 * bounds are minutes, and a test that meets one has found a daemon that does not come, not a slow one.
 */
public final class Waits {
    /** A daemon's or server's start: slurmctld and slurmd, sshd, PostgreSQL, Podman's service, Hangar's server. */
    public static final Duration DAEMON_START = Duration.ofMinutes(3);
    /** A step of a job through a real scheduler: submitted to started, started to ended, its processes gone. */
    public static final Duration SCHEDULER_STEP = Duration.ofMinutes(2);

    private Waits() {
    }
}
