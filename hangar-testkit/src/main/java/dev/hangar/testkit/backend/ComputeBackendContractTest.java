package dev.hangar.testkit.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hangar.core.compute.AppEndpoint;
import dev.hangar.core.compute.InstanceApps;
import dev.hangar.core.size.VmSizeCatalog;
import dev.hangar.core.spi.ComputeBackend;
import dev.hangar.core.spi.HeldInstance;
import dev.hangar.core.spi.InstanceContext;
import dev.hangar.core.spi.Observation;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * What every {@link ComputeBackend} promises, run against the real thing: a backend's {@code *IT} extends this class,
 * creates the backend and answers the hooks that look at the instance from outside (its home, its processes).
 *
 * <p>Each test starts from a backend made by {@link #createBackend()}; a second call must give a new object over the
 * same state, as Hangar has after a restart. Every instance a test makes with {@link #newInstance()} is deleted
 * afterwards, even when the test failed, and then {@link #cleanUpAfter(List)} may end whatever a broken backend left.
 * The environment must let at least one app run (the local backend's needs a real Jupyter).
 */
public abstract class ComputeBackendContractTest {
    private final List<ComputeBackend> backends = new ArrayList<>();
    private final List<InstanceContext> instances = new ArrayList<>();
    private HttpClient http;
    private ComputeBackend backend;

    /** A new backend object over the same state as every other one this test created. */
    protected abstract ComputeBackend createBackend();

    protected abstract void writeFileInHome(InstanceContext instance, String name, String content) throws IOException;

    protected abstract String readFileInHome(InstanceContext instance, String name) throws IOException;

    /** How many processes of this instance run now, seen from outside the backend. */
    protected abstract int processesOf(InstanceContext instance);

    /** Ends whatever the backend left of these instances after it deleted them; by default nothing. */
    protected void cleanUpAfter(List<InstanceContext> instances) {
    }

    /** How long one backend call may take; provision and start include waiting for the apps. */
    protected Duration callTimeout() {
        return Duration.ofMinutes(2);
    }

    /** The path under an app's base path that answers 200 once the app serves. */
    protected String probePath(AppEndpoint app) {
        return "api";
    }

    @BeforeEach
    final void createFirstBackend() {
        http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(10))
                .build();
        backend = track(createBackend());
    }

    @AfterEach
    final void deleteEverything() {
        var failures = new ArrayList<Throwable>();
        try {
            var cleaner = track(createBackend());
            for (var instance : instances) {
                try {
                    result(cleaner.delete(instance));
                } catch (RuntimeException | AssertionError e) {
                    failures.add(e);
                }
            }
        } finally {
            backends.forEach(ComputeBackend::close);
            http.close();
            cleanUpAfter(List.copyOf(instances));
        }
        if (!failures.isEmpty()) {
            var failure = new AssertionError("Cleaning up the test's instances failed");
            failures.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    @Test
    void instanceLivesThroughProvisionStopStartAndDelete(TestReporter reporter) throws IOException {
        var instance = newInstance();
        var provisioning = System.nanoTime();
        var endpoints = result(backend.provision(instance));
        reporter.publishEntry("provisionToReadyMillis", millisSince(provisioning));

        assertThat(endpoints).extracting(AppEndpoint::name)
                .containsExactlyElementsOf(instance.apps().stream().map(InstanceContext.AppSpec::name).toList());
        assertThat(endpoints).anyMatch(AppEndpoint::isAvailable);
        assertThat(result(backend.observe(instance))).isEqualTo(new Observation.Running(endpoints));
        assertAppsAnswer(instance, endpoints);
        assertThat(processesOf(instance)).isPositive();
        writeFileInHome(instance, "notes.txt", "kept across stop and start");

        result(backend.stop(instance));
        assertThat(result(backend.observe(instance))).isEqualTo(new Observation.Stopped());
        awaitNoProcessOf(instance);

        var starting = System.nanoTime();
        var restarted = result(backend.start(instance));
        reporter.publishEntry("startToReadyMillis", millisSince(starting));
        assertThat(readFileInHome(instance, "notes.txt")).isEqualTo("kept across stop and start");
        assertThat(result(backend.observe(instance))).isEqualTo(new Observation.Running(restarted));
        assertAppsAnswer(instance, restarted);

        result(backend.stop(instance));
        result(backend.stop(instance));
        assertThat(result(backend.observe(instance))).isEqualTo(new Observation.Stopped());

        result(backend.delete(instance));
        assertThat(result(backend.observe(instance))).isEqualTo(new Observation.Missing());
        assertThat(heldIds(backend)).doesNotContain(instance.computeId());
        result(backend.delete(instance));
        awaitNoProcessOf(instance);
    }

    @Test
    void provisionAndStartOfARunningInstanceChangeNothing() {
        var instance = newInstance();
        var endpoints = result(backend.provision(instance));
        var processes = processesOf(instance);

        assertThat(result(backend.provision(instance))).isEqualTo(endpoints);
        assertThat(result(backend.start(instance))).isEqualTo(endpoints);
        assertThat(processesOf(instance)).isEqualTo(processes);
        assertAppsAnswer(instance, endpoints);
    }

    @Test
    void newBackendAdoptsARunningInstanceAndStopsIt() {
        var instance = newInstance();
        var endpoints = result(backend.provision(instance));
        // Hangar going away: closing its backend (or kill -9) must leave the instance running.
        backend.close();
        assertThat(processesOf(instance)).isPositive();

        var restarted = track(createBackend());
        assertThat(result(restarted.observe(instance))).isEqualTo(new Observation.Running(endpoints));
        assertAppsAnswer(instance, endpoints);
        assertThat(result(restarted.start(instance))).isEqualTo(endpoints);

        result(restarted.stop(instance));
        assertThat(result(restarted.observe(instance))).isEqualTo(new Observation.Stopped());
        awaitNoProcessOf(instance);
    }

    @Test
    void heldListsAnInstanceNoRecordOwnsAndRemoveClearsIt() {
        var instance = newInstance();
        result(backend.provision(instance));

        var orphan = result(backend.held()).stream()
                .filter(held -> held.computeId().equals(instance.computeId())).findFirst();
        assertThat(orphan).isPresent();
        result(backend.remove(orphan.get()));

        assertThat(result(backend.observe(instance))).isEqualTo(new Observation.Missing());
        assertThat(heldIds(backend)).doesNotContain(instance.computeId());
        awaitNoProcessOf(instance);
        result(backend.remove(orphan.get()));
    }

    @Test
    void instanceNeverProvisionedIsMissingAndDeletingItSucceeds() {
        var instance = newInstance();

        assertThat(result(backend.observe(instance))).isEqualTo(new Observation.Missing());
        assertThat(heldIds(backend)).doesNotContain(instance.computeId());
        result(backend.delete(instance));
    }

    /** The first backend of this test. */
    protected final ComputeBackend backend() {
        return backend;
    }

    /** Closes {@code extra} after the test. */
    protected final <B extends ComputeBackend> B track(B extra) {
        backends.add(extra);
        return extra;
    }

    /** A new instance with Hangar's apps under their gateway paths; deleted after the test. */
    protected final InstanceContext newInstance() {
        var name = "ci" + UUID.randomUUID().toString().substring(0, 8);
        var size = VmSizeCatalog.defaults().find("Standard_DS1_v2").orElseThrow();
        var instance = new InstanceContext(UUID.randomUUID(), "contract", name, size, "alice",
                InstanceApps.of("contract", name));
        instances.add(instance);
        return instance;
    }

    /** Each available app answers 200 at {@code target + basePath + probePath}, with the endpoint's headers. */
    protected final void assertAppsAnswer(InstanceContext instance, List<AppEndpoint> endpoints) {
        for (var app : endpoints.stream().filter(AppEndpoint::isAvailable).toList()) {
            var spec = instance.apps().stream().filter(s -> s.name().equals(app.name())).findFirst().orElseThrow();
            var url = URI.create(app.target() + spec.basePath() + probePath(app));
            var request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).GET();
            app.headers().forEach(request::header);
            try {
                var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
            } catch (IOException e) {
                throw new AssertionError(app.displayName() + " does not answer at " + url, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted", e);
            }
        }
    }

    protected final void awaitNoProcessOf(InstanceContext instance) {
        await("no process of " + instance.computeName()).atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100)).until(() -> processesOf(instance) == 0);
    }

    /** The stage's value; its failure (e.g. a BackendException) is rethrown as it is. */
    protected final <T> T result(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(callTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new AssertionError(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("The backend call did not complete within " + callTimeout(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted", e);
        }
    }

    private List<UUID> heldIds(ComputeBackend from) {
        return result(from.held()).stream().map(HeldInstance::computeId).toList();
    }

    private static String millisSince(long startNanos) {
        return Long.toString(Duration.ofNanos(System.nanoTime() - startNanos).toMillis());
    }
}
