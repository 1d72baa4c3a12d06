package dev.hangar.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.compute.InstanceApps;
import dev.hangar.core.idle.Activity;
import dev.hangar.core.idle.ActivitySource;
import dev.hangar.server.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;

/**
 * The instance's Jupyter, asked through its own REST API what its kernels and terminals last did: a kernel whose
 * {@code execution_state} is {@code busy} is in use now, however long its cell has run; otherwise the latest
 * {@code last_activity} of its kernels ({@code api/kernels}: the last message a kernel sent) and terminals
 * ({@code api/terminals}) is when it was last used. Not {@code api/status}, whose {@code last_activity} every API call
 * moves, these looks included. A Jupyter that does not answer cannot tell ({@link Activity#unknown}): a computation
 * that loads the machine may be what keeps it from answering.
 */
public final class JupyterActivity implements ActivitySource {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(TIMEOUT).build();
    private final Function<ComputeInstance, String> workspaceName;

    /** @param workspaceName the name of an instance's workspace, which its apps' paths begin with */
    public JupyterActivity(Function<ComputeInstance, String> workspaceName) {
        this.workspaceName = workspaceName;
    }

    @Override
    public Activity lastActive(ComputeInstance instance, Instant now) {
        var app = instance.apps().stream().filter(a -> a.name().equals(InstanceApps.JUPYTER) && a.isAvailable())
                .findFirst();
        if (app.isEmpty()) {
            return Activity.none();
        }
        var base = app.get().target().toString().replaceAll("/$", "")
                + InstanceApps.basePath(workspaceName.apply(instance), instance.name(), InstanceApps.JUPYTER);
        try {
            Optional<Instant> last = Optional.empty();
            for (var kernel : get(URI.create(base + "api/kernels"), app.get().headers())) {
                var state = kernel.path("execution_state").asText();
                if ("busy".equals(state)) {
                    return Activity.at(now);
                }
                if ("starting".equals(state) && kernel.path("connections").asInt() > 0) {
                    // Jupyter has heard nothing from the kernel since it started, yet a client talks to it: its
                    // first messages went out before Jupyter's own subscription to them was made (seen with a cell
                    // sent at once to a new kernel), so Jupyter cannot say whether it computes.
                    return Activity.unknown("Jupyter has had no message from kernel " + kernel.path("id").asText()
                            + " since it started, while a client is connected to it");
                }
                last = later(last, instant(kernel.path("last_activity")));
            }
            for (var terminal : get(URI.create(base + "api/terminals"), app.get().headers())) {
                last = later(last, instant(terminal.path("last_activity")));
            }
            return last.map(Activity::at).orElseGet(Activity::none);
        } catch (IOException | RuntimeException e) {
            return Activity.unknown("Jupyter did not answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Activity.unknown("interrupted");
        }
    }

    private JsonNode get(URI uri, java.util.Map<String, String> headers) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
        if (headers != null) {
            headers.forEach(request::header);
        }
        var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(uri + " answered " + response.statusCode());
        }
        return Json.MAPPER.readTree(response.body());
    }

    private static Optional<Instant> later(Optional<Instant> a, Optional<Instant> b) {
        return a.isEmpty() || (b.isPresent() && b.get().isAfter(a.get())) ? b.or(() -> a) : a;
    }

    private static Optional<Instant> instant(JsonNode value) {
        try {
            return value.isTextual() ? Optional.of(Instant.parse(value.asText())) : Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
