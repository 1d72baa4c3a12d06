package dev.hangar.core.schedule;

import dev.hangar.core.audit.AuditEvent;
import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.compute.ComputeService;
import dev.hangar.core.compute.InstanceState;
import dev.hangar.core.operation.OperationKind;
import dev.hangar.core.reconcile.PeriodicLook;
import dev.hangar.core.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops instances on their schedules. Every {@code interval} it looks at each instance with an enabled
 * schedule: a schedule that fired since the last look (by {@link ScheduleTimes}, on its zone's wall clock) starts or
 * stops the instance by an operation whose trigger is {@code Schedule}. An instance already where the schedule would
 * take it is left alone; one that cannot go there now (an operation under way, a state that does not allow it) is
 * left as it is, and an audit event, {@value #SKIPPED}, says why: a schedule never interrupts or undoes an operation.
 *
 * <p>Firings while Hangar was not running are not made up: the first look after a start counts from that start.
 */
public final class ScheduleRunner implements AutoCloseable {
    /** The action of the audit event of a schedule that fired but could not act. */
    public static final String SKIPPED = "Hangar/computes/scheduleSkipped";
    private static final Logger LOG = LoggerFactory.getLogger(ScheduleRunner.class);

    private final Store store;
    private final ComputeService computes;
    private final Clock clock;
    private final PeriodicLook looks;
    private Instant lastLook;

    public ScheduleRunner(Store store, ComputeService computes, Clock clock, Duration interval) {
        this.store = store;
        this.computes = computes;
        this.clock = clock;
        this.looks = new PeriodicLook("schedules", interval, this::look);
        this.lastLook = clock.instant();
    }

    public ScheduleRunner start() {
        looks.start();
        return this;
    }

    /** Acts on every schedule that fired since the last look. */
    public synchronized void look() {
        var now = clock.instant();
        var since = lastLook;
        for (var compute : store.read(tx -> tx.allComputes())) {
            for (var schedule : compute.schedules()) {
                if (!schedule.enabled()) {
                    continue;
                }
                var fired = ScheduleTimes.next(schedule, since);
                if (fired.isPresent() && !fired.get().isAfter(now)) {
                    act(compute, schedule, fired.get());
                }
            }
        }
        lastLook = now;
    }

    private void act(ComputeInstance compute, ComputeSchedule schedule, Instant fired) {
        var kind = schedule.action() == ComputeSchedule.Action.Start ? OperationKind.Start : OperationKind.Stop;
        var reason = "schedule " + schedule.id() + " (" + describe(schedule) + ") fired at " + fired;
        var current = store.read(tx -> tx.compute(compute.id())).orElse(null);
        if (current == null) {
            return;
        }
        var there = kind == OperationKind.Start
                ? EnumSet.of(InstanceState.Running, InstanceState.Starting, InstanceState.SettingUp)
                : EnumSet.of(InstanceState.Stopped, InstanceState.Stopping);
        if (there.contains(current.state())) {
            LOG.debug("Compute {}: {}; it is {} already", compute.name(), reason, current.state());
            return;
        }
        if (computes.beginScheduled(compute.id(), kind, reason).isPresent()) {
            LOG.info("Compute {}: {}: {}", compute.name(), reason, kind);
            return;
        }
        var now = clock.instant();
        store.inTransaction(tx -> {
            var state = tx.compute(compute.id()).map(c -> c.state().name()).orElse("gone");
            var busy = tx.activeOperation(compute.id()).map(operation -> "its " + operation.kind() + " is under way")
                    .orElse("it is " + state);
            tx.insertAuditEvent(new AuditEvent(UUID.randomUUID(), now, compute.workspaceId(), "hangar", SKIPPED,
                    compute.name(), "Failed", null, null, null, "Schedule", "The " + reason + " but could not "
                    + kind.name().toLowerCase() + " " + compute.name() + ": " + busy + "."));
            return null;
        });
    }

    private static String describe(ComputeSchedule schedule) {
        if (schedule.cron() != null) {
            return schedule.action() + " at '" + schedule.cron().expression() + "' in " + ScheduleTimes.zone(schedule);
        }
        var recurrence = schedule.recurrence();
        return schedule.action() + " every " + recurrence.interval() + " " + recurrence.frequency() + " in "
                + ScheduleTimes.zone(schedule);
    }

    @Override
    public void close() {
        looks.close();
    }
}
