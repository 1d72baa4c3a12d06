package dev.hangar.core.reconcile;

import dev.hangar.core.audit.AuditEvent;
import dev.hangar.core.compute.AppEndpoint;
import dev.hangar.core.compute.ComputeError;
import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.compute.InstanceState;
import dev.hangar.core.compute.StateTransition;
import dev.hangar.core.operation.OperationKind;
import dev.hangar.core.setup.SetupRunner;
import dev.hangar.core.setup.SetupScripts;
import dev.hangar.core.spi.BackendException;
import dev.hangar.core.spi.ComputeBackend;
import dev.hangar.core.spi.InstanceContext;
import dev.hangar.core.spi.Observation;
import dev.hangar.core.store.ConcurrentUpdateException;
import dev.hangar.core.store.Store;
import dev.hangar.core.store.Transaction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one compute instance from the state recorded in the store to the real world, and back. Level-triggered: it
 * reads the record, acts on its state, and writes the outcome only if the record did not change meanwhile (else it
 * asks to run again). It is safe to run after a crash, at any point: every backend call is idempotent.
 */
public final class InstanceReconciler {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceReconciler.class);
    private static final String SYSTEM = "hangar";

    private final Store store;
    private final Backends backends;
    private final InstanceContexts contexts;
    private final Clock clock;
    private final ReconcilerConfig config;
    private ReconcileQueue queue;
    /** Since when each compute's backend has been failing in a retryable way; cleared by any outcome. */
    private final Map<UUID, Instant> failingSince = new ConcurrentHashMap<>();

    private final SetupRunner setup;

    public InstanceReconciler(Store store, Backends backends, InstanceContexts contexts, SetupRunner setup,
                              Clock clock, ReconcilerConfig config) {
        this.setup = setup;
        this.store = store;
        this.backends = backends;
        this.contexts = contexts;
        this.clock = clock;
        this.config = config;
    }

    void attach(ReconcileQueue owner) {
        this.queue = owner;
    }

    /** Reconciles the compute with this id once. */
    public void reconcile(UUID id) {
        var found = store.read(tx -> tx.compute(id));
        if (found.isEmpty()) {
            return;
        }
        var compute = found.get();
        var backend = backends.get(compute.backend());
        var context = context(compute);
        try {
            switch (compute.state()) {
                case Creating -> setUp(compute, backend, context, await(backend.provision(context)), "created");
                case Starting -> setUp(compute, backend, context, await(backend.start(context)), "started");
                case Restarting -> {
                    await(backend.stop(context));
                    setUp(compute, backend, context, await(backend.start(context)), "restarted");
                }
                case SettingUp -> setupInterrupted(compute, backend, context);
                case SetupFailed -> keepRunning(compute, backend, context);
                case Stopping -> {
                    await(backend.stop(context));
                    reach(compute, InstanceState.Stopped, List.of(), "stopped");
                }
                case Deleting -> {
                    await(backend.delete(context));
                    remove(compute);
                }
                case Running -> keepRunning(compute, backend, context);
                case Stopped -> keepStopped(backend, context);
                case CreateFailed, Unusable -> {
                    // Resting after a failure: only a user's delete moves it.
                }
            }
        } catch (BackendException e) {
            handleFailure(compute, e);
        }
    }

    /**
     * The instance runs: it is Running, or first SettingUp while its setup scripts run (the creation script after a
     * create, then the startup script after any start), each until it ends, fails, times out, or the instance is
     * no longer being set up (a delete). The scripts run on this reconciliation's thread, which holds the compute: a
     * request meanwhile is seen by the look the runner takes once a second.
     */
    private void setUp(ComputeInstance compute, ComputeBackend backend, InstanceContext context,
                       List<AppEndpoint> apps, String reason) {
        var kinds = new ArrayList<SetupScripts.Kind>();
        if (compute.state() == InstanceState.Creating && compute.setupScripts().creation() != null) {
            kinds.add(SetupScripts.Kind.creation);
        }
        if (compute.setupScripts().startup() != null) {
            kinds.add(SetupScripts.Kind.startup);
        }
        if (kinds.isEmpty()) {
            reach(compute, InstanceState.Running, apps, reason);
            return;
        }
        var settingUp = pass(compute, InstanceState.SettingUp, apps, reason + "; running its setup scripts");
        if (settingUp == null) {
            return;
        }
        var workspace = store.read(tx -> tx.workspace(compute.workspaceId())).orElseThrow();
        for (var kind : kinds) {
            var script = compute.setupScripts().of(kind);
            SetupRunner.Outcome outcome;
            try {
                outcome = setup.run(backend, context, workspace, kind, script, () -> store.read(tx ->
                        tx.compute(compute.id())).map(c -> c.state() == InstanceState.SettingUp).orElse(false));
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    // Hangar is stopping: the next one finds the instance SettingUp, and ends what is left.
                    return;
                }
                LOG.warn("Compute {}: its {} script could not run", compute.name(), kind, e);
                setupFailed(stillSettingUp(settingUp), new ComputeError("SetupScriptNotStarted", "The " + kind
                        + " script could not be run: " + e.getMessage(), FIELD + kind.field()));
                return;
            }
            var failure = switch (outcome) {
                case SetupRunner.Outcome.Exited exited when exited.exitCode() == 0 -> null;
                case SetupRunner.Outcome.Exited exited -> new ComputeError("SetupScriptFailed", "The " + kind
                        + " script exited with " + exited.exitCode() + "." + tail(outcome), FIELD + kind.field());
                case SetupRunner.Outcome.TimedOut timedOut -> new ComputeError("SetupScriptTimedOut", "The " + kind
                        + " script ran past its timeout (" + timedOut.timeout() + ") and was ended." + tail(outcome),
                        FIELD + kind.field());
                case SetupRunner.Outcome.Abandoned abandoned -> {
                    // Someone changed the instance meanwhile (a delete): the next run acts on what they asked for.
                    yield null;
                }
            };
            if (outcome instanceof SetupRunner.Outcome.Abandoned) {
                return;
            }
            if (failure != null) {
                setupFailed(stillSettingUp(settingUp), failure);
                return;
            }
        }
        var latest = stillSettingUp(settingUp);
        if (latest != null) {
            reach(latest, InstanceState.Running, apps, "set up: its setup scripts succeeded");
        }
    }

    /** The instance as it is now, if still SettingUp (a user may have changed its tags meanwhile); else null. */
    private ComputeInstance stillSettingUp(ComputeInstance compute) {
        return store.read(tx -> tx.compute(compute.id())).filter(c -> c.state() == InstanceState.SettingUp)
                .orElse(null);
    }

    private static final String FIELD = "setupScripts.scripts.";

    private static String tail(SetupRunner.Outcome outcome) {
        var text = new StringBuilder();
        if (!outcome.tail().isEmpty()) {
            text.append(" Its last lines:\n").append(String.join("\n", outcome.tail())).append('\n');
        } else {
            text.append(" It wrote nothing.");
        }
        return text.append(" Its log: ").append(outcome.log()).toString();
    }

    /**
     * SettingUp when a reconciliation begins means that the scripts' run was lost: Hangar stopped while they ran (a
     * run in this process holds the compute to the end). What is left of them is ended, and the setup counts as failed.
     */
    private void setupInterrupted(ComputeInstance compute, ComputeBackend backend, InstanceContext context) {
        try {
            await(backend.endProcesses(context, Set.of(SetupRunner.MARKER + "=" + compute.id())));
        } catch (BackendException e) {
            LOG.warn("Compute {}: could not end what is left of its setup scripts: {}", compute.name(), e.getMessage());
        }
        setupFailed(compute, new ComputeError("SetupInterrupted", "Hangar stopped while the setup scripts ran; what"
                + " was left of them was ended. Their logs are in " + "Logs/" + compute.name()
                + "/. Restart the instance to run its startup script again, or delete it and create it anew.",
                "setupScripts"));
    }

    /** The instance passed into a transitional state of the operation under way; the new record, null if it changed. */
    private ComputeInstance pass(ComputeInstance compute, InstanceState to, List<AppEndpoint> apps, String reason) {
        failingSince.remove(compute.id());
        var written = new ComputeInstance[1];
        write(compute, tx -> {
            var now = clock.instant();
            written[0] = tx.updateCompute(compute.withState(to, now).withApps(apps).withErrors(appErrors(apps)));
            tx.appendTransition(new StateTransition(compute.id(), now, compute.state(), to, reason, SYSTEM));
            audit(tx, compute, now, to, reason, "InProgress");
        });
        return written[0];
    }

    /** A setup script failed: the operation fails, and the instance keeps running, reachable, for its owner to look. */
    private void setupFailed(ComputeInstance compute, ComputeError error) {
        if (compute == null) {
            return;
        }
        write(compute, tx -> {
            var now = clock.instant();
            tx.updateCompute(compute.withState(InstanceState.SetupFailed, now).withErrors(List.of(error)));
            tx.appendTransition(new StateTransition(compute.id(), now, compute.state(), InstanceState.SetupFailed,
                    error.message(), SYSTEM));
            audit(tx, compute, now, InstanceState.SetupFailed, error.code() + ": " + error.message(), "Failed");
            tx.activeOperation(compute.id()).ifPresent(operation -> tx.endOperation(operation.failed(now, error)));
        });
    }

    private void keepRunning(ComputeInstance compute, ComputeBackend backend, InstanceContext context) {
        var seen = await(backend.observe(context));
        switch (seen) {
            case Observation.Running running -> {
                if (!running.apps().equals(compute.apps())) {
                    updateApps(compute, running.apps());
                }
            }
            case Observation.Stopped stopped -> {
                var cause = stopped.cause() != null ? stopped.cause() : "its processes ended";
                LOG.warn("Compute {} should run but stopped by itself ({}); starting it again", compute.name(), cause);
                startedAgain(compute, await(backend.start(context)), cause);
            }
            case Observation.Missing missing -> {
                LOG.warn("Compute {} should run but its backend holds nothing for it", compute.name());
                fail(compute, InstanceState.Unusable, new ComputeError("InstanceLost",
                        "The backend no longer holds this instance; delete it and create it again.", null));
            }
        }
    }

    private void keepStopped(ComputeBackend backend, InstanceContext context) {
        if (await(backend.observe(context)) instanceof Observation.Running) {
            await(backend.stop(context));
        }
    }

    private void handleFailure(ComputeInstance compute, BackendException e) {
        var message = e.getMessage();
        if (e.retryable() && !compute.state().isTransitional()) {
            // Looking at a resting instance failed in a way that may pass (the engine restarting): that says nothing
            // about the instance, which the next resync looks at again.
            LOG.warn("Compute {}: could not look at it: {}", compute.name(), message);
            return;
        }
        if (e.retryable()) {
            var now = clock.instant();
            var since = failingSince.computeIfAbsent(compute.id(), id -> now);
            if (compute.state() == InstanceState.Deleting
                    || Duration.between(since, now).compareTo(config.giveUpAfter()) < 0) {
                LOG.warn("Compute {}: {} (will retry)", compute.name(), message);
                // The user sees why their operation takes long while it is retried.
                var retrying = List.of(new ComputeError(e.code(), message + " (retrying since " + since + ")", null));
                if (!compute.errors().equals(retrying)) {
                    write(compute, tx -> tx.updateCompute(compute.withErrors(retrying)));
                }
                if (queue != null) {
                    queue.requestLater(compute.id(), config.retryDelay().toMillis());
                }
                return;
            }
            message = message + " (gave up after retrying for " + config.giveUpAfter() + ")";
        }
        var error = new ComputeError(e.code(), message, null);
        var to = switch (compute.state()) {
            case Creating -> InstanceState.CreateFailed;
            case Starting -> InstanceState.Stopped;
            case Deleting -> null;
            default -> InstanceState.Unusable;
        };
        if (to == null) {
            LOG.error("Compute {}: delete failed: {}; retrying later", compute.name(), e.getMessage());
            if (queue != null) {
                queue.requestLater(compute.id(), config.retryDelay().toMillis());
            }
            return;
        }
        LOG.warn("Compute {}: {} failed: {}", compute.name(), compute.state(), message);
        fail(compute, to, error);
    }

    /** Records that the instance reached {@code to}, ending the operation that drove it there. */
    private void reach(ComputeInstance compute, InstanceState to, List<AppEndpoint> apps, String reason) {
        failingSince.remove(compute.id());
        write(compute, tx -> {
            var now = clock.instant();
            var moved = compute.withState(to, now).withApps(apps).withErrors(appErrors(apps));
            tx.updateCompute(moved);
            tx.appendTransition(new StateTransition(compute.id(), now, compute.state(), to, reason, SYSTEM));
            audit(tx, compute, now, to, reason, "Succeeded");
            tx.activeOperation(compute.id()).ifPresent(operation -> tx.endOperation(operation.succeeded(now)));
        });
    }

    private void fail(ComputeInstance compute, InstanceState to, ComputeError error) {
        failingSince.remove(compute.id());
        write(compute, tx -> {
            var now = clock.instant();
            var moved = compute.withState(to, now).withApps(List.of()).withErrors(List.of(error));
            tx.updateCompute(moved);
            tx.appendTransition(new StateTransition(compute.id(), now, compute.state(), to, error.message(), SYSTEM));
            audit(tx, compute, now, to, error.code() + ": " + error.message(), "Failed");
            tx.activeOperation(compute.id()).ifPresent(operation -> tx.endOperation(operation.failed(now, error)));
        });
    }

    /**
     * The instance stopped without being asked to and was started again: its history and its errors say why, the
     * errors until the user next stops, starts or restarts it.
     */
    private void startedAgain(ComputeInstance compute, List<AppEndpoint> apps, String cause) {
        write(compute, tx -> {
            var now = clock.instant();
            var errors = new ArrayList<>(appErrors(apps));
            errors.add(new ComputeError("InstanceStoppedUnexpectedly", "The instance stopped by itself at " + now
                    + " (" + cause + "); Hangar started it again.", null));
            tx.updateCompute(compute.withApps(apps).withErrors(errors));
            tx.appendTransition(new StateTransition(compute.id(), now, compute.state(), compute.state(),
                    "started again after it stopped by itself (" + cause + ")", SYSTEM));
            audit(tx, compute, now, compute.state(), "started again after it stopped by itself (" + cause + ")",
                    "Succeeded");
        });
    }

    private void updateApps(ComputeInstance compute, List<AppEndpoint> apps) {
        write(compute, tx -> tx.updateCompute(compute.withApps(apps).withErrors(appErrors(apps))));
    }

    private void remove(ComputeInstance compute) {
        failingSince.remove(compute.id());
        write(compute, tx -> {
            var now = clock.instant();
            tx.deleteCompute(compute.id());
            tx.appendTransition(new StateTransition(compute.id(), now, compute.state(), null, "deleted", SYSTEM));
            audit(tx, compute, now, null, "deleted", "Succeeded");
            tx.activeOperation(compute.id()).ifPresent(operation -> tx.endOperation(operation.succeeded(now)));
        });
    }

    /**
     * The audit event of a state the instance reached, in the transaction that records it. Its trigger is the one of
     * the operation that drove it there ({@code User}, {@code Schedule}, {@code IdleShutdown}), else {@code System}.
     */
    private static void audit(Transaction tx, ComputeInstance compute, Instant at,
                              InstanceState to, String reason, String result) {
        var trigger = tx.activeOperation(compute.id()).map(operation -> operation.trigger().name()).orElse("System");
        tx.insertAuditEvent(new AuditEvent(UUID.randomUUID(), at, compute.workspaceId(), SYSTEM,
                AuditEvent.STATE_TRANSITION, compute.name(), result, null, null, null, trigger,
                compute.state() + " -> " + (to == null ? "Deleted" : to) + ": " + reason));
    }

    /** An app the backend could not run shows up in the instance's {@code errors}, saying which and why. */
    private static List<ComputeError> appErrors(List<AppEndpoint> apps) {
        return apps.stream().filter(app -> !app.isAvailable())
                .map(app -> new ComputeError("ApplicationUnavailable",
                        app.displayName() + " is unavailable: " + app.unavailableReason(), app.name()))
                .toList();
    }

    private void write(ComputeInstance read, Consumer<Transaction> change) {
        try {
            store.inTransaction(tx -> {
                var current = tx.compute(read.id());
                if (current.isEmpty() || current.get().version() != read.version()) {
                    throw new ConcurrentUpdateException("compute " + read.id() + " changed while reconciling");
                }
                change.accept(tx);
                return null;
            });
        } catch (ConcurrentUpdateException e) {
            // A user changed the compute meanwhile (e.g. asked to delete it): look again at what they want now.
            if (queue != null) {
                queue.request(read.id());
            }
        }
    }

    InstanceContext context(ComputeInstance compute) {
        return contexts.of(compute);
    }

    private <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(config.backendCallTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BackendException.retryable("Interrupted", "Interrupted while waiting for the backend", e);
        } catch (TimeoutException e) {
            throw BackendException.retryable("BackendTimeout", "The backend did not answer within "
                    + config.backendCallTimeout(), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BackendException backendError) {
                throw backendError;
            }
            throw new BackendException("BackendError", String.valueOf(e.getCause().getMessage()), false,
                    e.getCause());
        }
    }

    /** Which operation kind a transitional state belongs to; for logs and tests. */
    static OperationKind operationOf(InstanceState state) {
        return OperationKind.passingThrough(state);
    }
}
