package dev.hangar.core.idle;

import dev.hangar.core.audit.AuditEvent;
import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.compute.ComputeService;
import dev.hangar.core.compute.InstanceState;
import dev.hangar.core.reconcile.PeriodicLook;
import dev.hangar.core.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops instances nobody uses. Every {@code interval} it looks at each running instance ({@code Running}, or
 * {@code SetupFailed}, which runs too) whose idle shutdown is on
 * and asks every {@link ActivitySource} when it was last in use; a keep-alive lease that has not run out, and the
 * instance's last start, count too. An instance idle for its whole {@code idleTimeBeforeShutdown} is stopped by an
 * operation whose trigger is {@code IdleShutdown}; one idle for all but the last part of it (a third, at most five
 * minutes) first gets an audit event, {@value #WARNING}, saying when it will stop.
 *
 * <p>What a source saw is remembered between looks, so that a kernel busy at one look keeps the instance in use from
 * then, even if Jupyter forgets. A look at which a source cannot tell ({@link Activity.Unknown}: its Jupyter did not
 * answer in time, as on a machine loaded by the very computation that keeps it busy) neither warns nor stops: the
 * decision waits for a look at which every source answers. Thread-safe; {@link #close()} ends the looks.
 */
public final class IdleWatcher implements AutoCloseable {
    /** The action of the audit event that warns of an idle stop. */
    public static final String WARNING = "Hangar/computes/idleShutdownWarning";
    private static final Logger LOG = LoggerFactory.getLogger(IdleWatcher.class);
    private static final Duration LONGEST_WARNING = Duration.ofMinutes(5);

    private final Store store;
    private final ComputeService computes;
    private final List<ActivitySource> sources;
    private final Clock clock;
    private final Map<UUID, Instant> lastSeen = new ConcurrentHashMap<>();
    private final Map<UUID, Instant> warnedFor = new ConcurrentHashMap<>();
    private final Set<UUID> unknown = ConcurrentHashMap.newKeySet();
    private final PeriodicLook looks;

    public IdleWatcher(Store store, ComputeService computes, List<ActivitySource> sources, Clock clock,
                       Duration interval) {
        this.store = store;
        this.computes = computes;
        this.sources = List.copyOf(sources);
        this.clock = clock;
        this.looks = new PeriodicLook("idle-watcher", interval, this::look);
    }

    /** Looks every {@code interval} from now on. */
    public IdleWatcher start() {
        looks.start();
        return this;
    }

    /** One look at every instance: warns or stops those idle too long. */
    public void look() {
        var watched = store.read(tx -> tx.computesInStates(Set.of(InstanceState.Running, InstanceState.SetupFailed))).stream()
                .filter(compute -> compute.idleShutdown().isOn()).toList();
        var ids = new HashSet<UUID>();
        for (var compute : watched) {
            ids.add(compute.id());
            look(compute);
        }
        lastSeen.keySet().retainAll(ids);
        warnedFor.keySet().retainAll(ids);
        unknown.retainAll(ids);
    }

    private void look(ComputeInstance compute) {
        var now = clock.instant();
        var active = compute.modifiedOn();
        var lease = compute.idleShutdown().keepAliveUntil();
        if (lease != null && lease.isAfter(now)) {
            active = now;
        }
        String cannotTell = null;
        for (var source : sources) {
            switch (source.lastActive(compute, now)) {
                case Activity.LastUsed used -> active = later(active, used.at());
                case Activity.NoneKnown none -> { }
                case Activity.Unknown why -> cannotTell = why.reason();
            }
        }
        active = later(active, lastSeen.getOrDefault(compute.id(), active));
        lastSeen.put(compute.id(), active);
        if (cannotTell != null) {
            if (unknown.add(compute.id())) {
                LOG.info("Compute {}: its use cannot be told ({}); no idle shutdown until it can", compute.name(),
                        cannotTell);
            }
            return;
        }
        if (unknown.remove(compute.id())) {
            LOG.info("Compute {}: its use can be told again", compute.name());
        }
        var idleTime = compute.idleShutdown().idleTime();
        var idleFor = Duration.between(active, now);
        // Never a stop without a warning first: a look that finds the warning's window missed (Hangar was down, or a
        // look took long) warns now, and the stop comes at the next look.
        if (idleFor.compareTo(idleTime) >= 0 && active.equals(warnedFor.get(compute.id()))) {
            var reason = "idle shutdown: no activity since " + active + " (idle time " + idleTime + ")";
            var since = active;
            computes.stopIdle(compute.id(), reason).ifPresent(stop -> {
                LOG.info("Compute {} was idle since {}; stopping it", compute.name(), since);
                lastSeen.remove(compute.id());
                warnedFor.remove(compute.id());
            });
            return;
        }
        var warning = idleTime.dividedBy(3).compareTo(LONGEST_WARNING) < 0 ? idleTime.dividedBy(3) : LONGEST_WARNING;
        if (idleFor.compareTo(idleTime.minus(warning)) >= 0 && !active.equals(warnedFor.get(compute.id()))) {
            warnedFor.put(compute.id(), active);
            var since = active;
            var stopAt = active.plus(idleTime);
            store.inTransaction(tx -> {
                tx.insertAuditEvent(new AuditEvent(UUID.randomUUID(), now, compute.workspaceId(), "hangar", WARNING,
                        compute.name(), "Succeeded", null, null, null, "IdleShutdown", "Compute " + compute.name()
                        + " has been idle since " + since + " and will stop at " + stopAt + " unless it is used:"
                        + " a busy kernel, a terminal or SSH session, a running job or a keep-alive lease keeps it."));
                return null;
            });
        }
    }

    private static Instant later(Instant a, Instant b) {
        return b.isAfter(a) ? b : a;
    }

    @Override
    public void close() {
        looks.close();
    }
}
