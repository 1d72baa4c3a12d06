package dev.hangar.backend.slurm;

import static dev.hangar.testkit.engine.EngineJobs.awaitPhase;
import static dev.hangar.testkit.engine.EngineJobs.job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hangar.core.spi.engine.EngineJobState.Phase;
import dev.hangar.testkit.process.Ports;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The engine reaching the cluster through a real slurmrestd (OpenAPI v0.0.38, JWT) on 127.0.0.1, with a token of
 * root's; the job folders are on this host, as on a filesystem shared with the nodes.
 */
class SlurmRestIT extends SlurmEngineContract {
    private String rootToken;

    @Override
    SlurmSite startSite() {
        return SlurmSite.start(true);
    }

    @Override
    void startConnection() {
        rootToken = site.cluster().token("root", Duration.ofHours(1));
    }

    @Override
    String connection() {
        return "Rest";
    }

    @Override
    Map<String, String> settings() {
        return site.restSettings("root");
    }

    @Override
    Map<String, String> secrets() {
        return Map.of("restToken", rootToken);
    }

    /** sinfo says "slurm-wlm 22.05.8" on Debian; slurmrestd gives the release alone. */
    @Override
    String version() {
        return "slurm " + super.version().replaceFirst("^\\S+ ", "");
    }

    @Override
    Unanswered unanswered() {
        var settings = new HashMap<>(settings());
        settings.put("restUrl", "http://127.0.0.1:" + Ports.freeLoopback());
        return new Unanswered(settings, settings.get("restUrl"));
    }

    @Test
    void aJobOfAnotherAccountIsNotFoundWithRootsName() {
        var submitted = job("true", Map.of(), null, site.account());
        var job = engine.submit(submitted);

        assertThat(engine.find(submitted.tag(), site.account())).contains(job);
        assertThat(engine.find(submitted.tag(), "root")).isEmpty();
        awaitPhase(engine, job, Phase.Ended);
        engine.clean(job);
    }

    @Test
    void aTokenSlurmctldDoesNotTakeFailsAuthentication() {
        var failure = checkFailure(settings(), Map.of("restToken", Tokens.forged("root",
                Instant.now().plusSeconds(600))));

        assertThat(failure.code()).isEqualTo("SlurmAuthenticationFailed");
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).contains("scontrol token username=root").doesNotContain(rootToken);
    }

    @Test
    void anExpiredTokenFailsAuthenticationSayingSo() {
        var token = site.cluster().token("root", Duration.ofSeconds(1));
        var expires = RestToken.parse(token).expires();
        Awaitility.await("the token to expire").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> Instant.now().isAfter(expires.plusSeconds(1)));

        var failure = checkFailure(settings(), Map.of("restToken", token));

        assertThat(failure.code()).isEqualTo("SlurmAuthenticationFailed");
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).contains("expired at " + expires);
    }

    @Test
    void withoutASlurmConfARefusedTokenCannotBeToldFromASilentControllerAndIsRetryable() {
        var settings = new HashMap<>(settings());
        settings.remove("slurmConf");

        var failure = checkFailure(settings, Map.of("restToken", Tokens.forged("root",
                Instant.now().plusSeconds(600))));

        assertThat(failure.code()).isEqualTo("SlurmControllerUnreachable");
        assertThat(failure.retryable()).isTrue();
        assertThat(failure.getMessage()).contains("refused the token", "scontrol token username=root");
    }
}
