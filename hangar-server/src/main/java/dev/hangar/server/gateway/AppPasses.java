package dev.hangar.server.gateway;

import dev.hangar.core.compute.AppEndpoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Whom the app gateway let into which app lately, so that the requests an app's page makes one after another
 * (Jupyter's scripts, styles and API calls) are checked against the store once rather than each time. A pass is what
 * a full check found for one caller, instance and app: the caller may open the instance's apps (its owner, or anyone
 * with {@code applicationaccess} when it is shared), the instance runs, and where the app listens.
 *
 * <p>A pass lapses as soon as this server commits anything to its store (a stop, a delete, a role assignment removed,
 * an app moved by a restart: each is a commit), and {@link #LIFETIME} after its check in any case, which bounds what
 * this server does not see commit (another server on the same database). Only checks that let the caller in are
 * remembered: a refusal is decided afresh every time. Thread-safe and never blocking, so that the event loop reads it.
 */
final class AppPasses {
    /** How long a pass holds at most, whatever is committed elsewhere. */
    static final Duration LIFETIME = Duration.ofSeconds(5);
    /** Past this many passes, lapsed ones are dropped (all of them, if none had lapsed) before one is added. */
    static final int MOST = 10_000;

    /** The caller (a user id) and the instance and app as the request's path names them. */
    record Key(UUID user, String workspace, String compute, String app) {
    }

    /** The instance the caller was let into, and its app's endpoint then. */
    record Pass(UUID computeId, AppEndpoint endpoint) {
    }

    private record Entry(Pass pass, long commit, Instant until) {
    }

    private final LongSupplier commits;
    private final Clock clock;
    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();

    /** @param commits how many commits this server has made so far ({@code Commits::count}) */
    AppPasses(LongSupplier commits, Clock clock) {
        this.commits = commits;
        this.clock = clock;
    }

    /** What to give {@link #remember} for a check that starts now: read it before the check reads the store. */
    long stamp() {
        return commits.getAsLong();
    }

    /** The caller's pass into the app, or null when they have none that still holds. */
    Pass find(Key key) {
        var entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (entry.commit() != commits.getAsLong() || !entry.until().isAfter(clock.instant())) {
            entries.remove(key, entry);
            return null;
        }
        return entry.pass();
    }

    /**
     * Remembers that a check which started at {@code stamp} let the caller in. Anything committed since the stamp was
     * read leaves the pass lapsed at once: the check may have read the store before it.
     */
    void remember(Key key, long stamp, Pass pass) {
        if (entries.size() >= MOST) {
            dropLapsed();
        }
        entries.put(key, new Entry(pass, stamp, clock.instant().plus(LIFETIME)));
    }

    /** How many passes are held, lapsed ones included. */
    int size() {
        return entries.size();
    }

    private void dropLapsed() {
        var commit = commits.getAsLong();
        var now = clock.instant();
        entries.values().removeIf(entry -> entry.commit() != commit || !entry.until().isAfter(now));
        if (entries.size() >= MOST) {
            entries.clear();
        }
    }
}
