package dev.hangar.client;

import dev.hangar.testkit.arm.TestCertificates;
import dev.hangar.testkit.arm.Arm;
import dev.hangar.testkit.arm.ArmServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hangar.api.OperationStatus;
import dev.hangar.testkit.arm.ArmServer.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LongRunningOperationTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final ArmServer server = ArmServer.start();
    private final HangarClient client = HangarClient.builder().server(server.uri()).token(ArmServer.TOKEN)
            .caCertificate(TestCertificates.get("hangar-test", TestCertificates.LOCALHOST).pem()).build();
    private final ComputeClient computes = client.workspace(ArmServer.WORKSPACE);
    private final List<Progress> progress = new ArrayList<>();

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void createPollsAtOnceThenHonouringRetryAfterAndReportsEveryState() {
        server.on("PUT", Arm.compute("ci1"), Arm.accepted(Reply.json(201,
                Arm.instance("ci1", "Creating", Arm.ALICE, null)), "op-1", 1));
        Arm.script(server, "ci1", "op-1", 1, List.of("InProgress", "InProgress", "Succeeded"),
                List.of("Creating", "Creating", "Running"));

        var status = computes.createInstance("ci1", InstanceSpec.of("Standard_DS3_v2"))
                .waitForCompletion(TIMEOUT, progress::add);

        assertThat(status.status()).isEqualTo(OperationStatus.SUCCEEDED);
        assertThat(progress).extracting(Progress::state).containsExactly("Creating", "Creating", "Running");
        assertThat(progress).extracting(Progress::stateChanged).containsExactly(true, false, true);
        assertThat(progress).extracting(p -> p.operation().status())
                .containsExactly("InProgress", "InProgress", "Succeeded");
        // the first poll at once (a state shorter than Retry-After is still seen), then Retry-After: 1 before each
        assertThat(progress.get(0).elapsed()).isLessThan(Duration.ofMillis(900));
        assertThat(progress.get(1).elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(progress.get(2).elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(1950));
        assertThat(server.requests("GET", Arm.operationPath("op-1"))).hasSize(3);
    }

    @Test
    void aServerThatHoldsItsAnswerAsPreferredIsAskedAgainAtOnce() {
        server.on("PUT", Arm.compute("ci1"), Arm.accepted(Reply.json(201,
                Arm.instance("ci1", "Creating", Arm.ALICE, null)), "op-1", 1));
        // A Hangar server answers a long poll when something changed, saying so with Preference-Applied; the
        // Retry-After it also sends is for clients that did not ask to wait.
        server.on("GET", Arm.operationPath("op-1"), List.of("InProgress", "InProgress", "Succeeded").stream()
                .map(status -> Reply.json(200, Arm.operation("op-1", status)).header("Retry-After", "5")
                        .header("Preference-Applied", "wait=20"))
                .toArray(Reply[]::new));
        server.on("GET", Arm.compute("ci1"), List.of("Creating", "Creating", "Running").stream()
                .map(state -> Reply.json(200, Arm.instance("ci1", state, Arm.ALICE, null))).toArray(Reply[]::new));

        var status = computes.createInstance("ci1", InstanceSpec.of("Standard_DS3_v2"))
                .waitForCompletion(TIMEOUT, progress::add);

        assertThat(status.status()).isEqualTo(OperationStatus.SUCCEEDED);
        assertThat(progress).extracting(Progress::state).containsExactly("Creating", "Creating", "Running");
        assertThat(progress.get(2).elapsed()).as("no Retry-After of 5 s was waited").isLessThan(Duration.ofSeconds(4));
        // The first look at once; then half the client's request timeout of 30 s, so that the server's answer comes
        // well before the client gives up.
        assertThat(server.requests("GET", Arm.operationPath("op-1"))).extracting(request -> request.header("Prefer"))
                .containsExactly("wait=0", "wait=15", "wait=15");
    }

    @ParameterizedTest
    @CsvSource({"start, Starting, Running", "stop, Stopping, Stopped", "restart, Restarting, Running"})
    void actionsPollUntilTheirEndState(String action, String during, String after) {
        server.on("POST", Arm.compute("ci1") + "/" + action, Arm.accepted(Reply.empty(202), "op-2", 0));
        Arm.script(server, "ci1", "op-2", 0, List.of("InProgress", "Succeeded"), List.of(during, after));

        var operation = actions().apply(action, "ci1");
        operation.waitForCompletion(TIMEOUT, progress::add);

        assertThat(operation.action().verb()).isEqualTo(action);
        assertThat(progress).extracting(Progress::state).containsExactly(during, after);
    }

    @Test
    void deleteCompletesWhenTheComputeIsGone() {
        server.on("DELETE", Arm.compute("ci1") + "?underlyingResourceAction=Delete",
                Arm.accepted(Reply.empty(202), "op-3", 0));
        Arm.script(server, "ci1", "op-3", 0, List.of("InProgress", "Succeeded"), Arrays.asList("Deleting", null));

        var status = computes.delete("ci1").waitForCompletion(TIMEOUT, progress::add);

        assertThat(status.status()).isEqualTo(OperationStatus.SUCCEEDED);
        assertThat(progress).extracting(Progress::state).containsExactly("Deleting", null);
        assertThat(progress.get(1).stateChanged()).isTrue();
    }

    @Test
    void deleteOfAMissingComputeIsDoneAtOnce() {
        server.on("DELETE", Arm.compute("gone") + "?underlyingResourceAction=Delete", Reply.empty(204));

        var operation = computes.delete("gone");

        assertThat(operation.isDone()).isTrue();
        assertThat(operation.waitForCompletion(TIMEOUT, progress::add).status()).isEqualTo(OperationStatus.SUCCEEDED);
        assertThat(progress).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Failed", "Canceled"})
    void anOperationThatEndsBadlyThrowsItsError(String outcome) {
        server.on("POST", Arm.compute("ci1") + "/start", Arm.accepted(Reply.empty(202), "op-4", 0));
        server.on("GET", Arm.operationPath("op-4"), Reply.json(200,
                Arm.failedOperation("op-4", outcome, "BackendFailed", "the container did not start")));
        server.on("GET", Arm.compute("ci1"), Reply.json(200, Arm.instance("ci1", "Unusable", Arm.ALICE, null)));

        assertThatThrownBy(() -> computes.start("ci1").waitForCompletion(TIMEOUT, progress::add))
                .isInstanceOfSatisfying(HangarException.class, e -> {
                    assertThat(e.kind()).isEqualTo(HangarException.Kind.OPERATION_FAILED);
                    assertThat(e.status()).isZero();
                    assertThat(e.code()).isEqualTo("BackendFailed");
                    assertThat(e.errorMessage()).isEqualTo("the container did not start");
                });
        assertThat(progress).extracting(Progress::state).containsExactly("Unusable");
    }

    @Test
    void aFailedOperationWithoutAnErrorGetsOne() {
        server.on("POST", Arm.compute("ci1") + "/stop", Arm.accepted(Reply.empty(202), "op-5", 0));
        Arm.script(server, "ci1", "op-5", 0, List.of("Failed"), List.of("Running"));

        assertThatThrownBy(() -> computes.stop("ci1").waitForCompletion(TIMEOUT))
                .isInstanceOfSatisfying(HangarException.class, e -> assertThat(e.code()).isEqualTo("OperationFailed"));
    }

    @Test
    void waitingGivesUpAfterTheTimeout() {
        server.on("POST", Arm.compute("ci1") + "/stop", Arm.accepted(Reply.empty(202), "op-6", 1));
        Arm.script(server, "ci1", "op-6", 1, List.of("InProgress"), List.of("Stopping"));

        assertThatThrownBy(() -> computes.stop("ci1").waitForCompletion(Duration.ofMillis(300)))
                .isInstanceOfSatisfying(HangarException.class, e -> {
                    assertThat(e.kind()).isEqualTo(HangarException.Kind.TIMEOUT);
                    assertThat(e.code()).isEqualTo("OperationTimedOut");
                    assertThat(e.errorMessage()).contains("still InProgress");
                });
    }

    @Test
    void anAcceptedAnswerWithoutAnOperationUrlIsRefused() {
        server.on("POST", Arm.compute("ci1") + "/start", Reply.empty(202));

        assertThatThrownBy(() -> computes.start("ci1"))
                .isInstanceOfSatisfying(HangarException.class, e -> assertThat(e.code()).isEqualTo("InvalidResponse"));
    }

    private BiFunction<String, String, LongRunningOperation> actions() {
        return (action, name) -> switch (action) {
            case "start" -> computes.start(name);
            case "stop" -> computes.stop(name);
            case "restart" -> computes.restart(name);
            default -> throw new IllegalArgumentException(action);
        };
    }
}
