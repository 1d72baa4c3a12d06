package dev.hangar.backend.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangar.core.spi.engine.EngineException;
import dev.hangar.core.spi.engine.EngineJobState;
import dev.hangar.core.spi.engine.EngineNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Slurm through slurmrestd, OpenAPI plugin {@value #PLUGIN} (Slurm 22.05's newest; slurmrestd must load it, with
 * {@code -s openapi/v0.0.38}). Jobs are submitted and canceled as their account, with the token of {@code restUser}
 * (root's or Slurm's own user's token may act for any account); everything else is asked as {@code restUser}.
 *
 * <p>slurmctld takes the token, not slurmrestd; when it refuses one, slurmrestd reports the same
 * {@code Unspecified error} as when slurmctld does not answer at all. The two are told apart by the token's own expiry
 * and, when a slurm.conf is configured, by {@code scontrol ping} on Hangar's host; otherwise the failure is taken as
 * retryable and its message names both causes.
 *
 * <p>Slurm keeps an ended job for {@code MinJobAge} (300 s by default); after that only slurmdbd knows it, which this
 * plugin does not ask: such a job is absent from {@link #states} and {@link #find}, and its folder says how it ended.
 */
final class SlurmRest implements SlurmClient {
    static final String PLUGIN = "v0.0.38";
    static final String VERSION_UNSUPPORTED = "SlurmRestVersionUnsupported";
    private static final String API = "/slurm/" + PLUGIN;
    private static final String DEFAULT_SLURM_USER = "slurm";
    /** Slurm's "Invalid job id specified" and "Job/step already completing or completed". */
    private static final List<Integer> ENDED_OR_FORGOTTEN = List.of(2017, 2021);
    private static final Pattern JOB_ID = Pattern.compile("\\d+");
    private static final Pattern CONTROLLER_SILENT = Pattern.compile(
            "Unable to contact slurm controller|Socket timed out|Zero Bytes were transmitted or received"
                    + "|Communication connection failure|Slurm backup controller in standby mode",
            Pattern.CASE_INSENSITIVE);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RestSettings settings;
    private final RestClient client;
    private final SlurmHost host;
    private final boolean slurmConfGiven;

    /**
     * @param host           Hangar's own host: whose account may switch users, and where Slurm's commands are asked,
     *                       when a slurm.conf is configured, what slurmrestd does not say
     * @param slurmConfGiven whether a slurm.conf of this cluster is configured, so that Slurm's commands here are
     *                       this cluster's
     */
    SlurmRest(RestSettings settings, SlurmHost host, boolean slurmConfGiven) {
        this.settings = settings;
        this.host = host;
        this.slurmConfGiven = slurmConfGiven;
        client = new RestClient(settings);
    }

    /**
     * Pings the controller through slurmrestd. The cluster's name, and the name of Slurm's own user, come from
     * {@code scontrol show config} on this host when a slurm.conf is configured (v0.0.38 does not give them).
     */
    @Override
    public Cluster cluster() {
        var ping = client.send("GET", API + "/ping", settings.user(), null);
        if (ping.status() == 404) {
            throw unsupported();
        }
        require(ping, "GET " + API + "/ping", SlurmFailures.COMMAND_FAILED);
        if (!RestResponses.controllerUp(ping.body())) {
            throw SlurmFailures.unreachable("slurmrestd reports " + RestResponses.pings(ping.body()));
        }
        var config = localConfig();
        var name = Optional.ofNullable(RestResponses.cluster(ping.body()))
                .orElse(SlurmHost.configValue(config, "ClusterName"));
        var slurmUser = Optional.ofNullable(SlurmHost.configValue(config, "SlurmUser"))
                .map(user -> user.replaceFirst("\\(.*\\)$", "")).orElse(DEFAULT_SLURM_USER);
        var switchesUsers = host.account().isRoot()
                && (settings.user().equals("root") || settings.user().equals(slurmUser));
        return new Cluster(RestResponses.version(ping.body()), name, switchesUsers);
    }

    @Override
    public Partitions partitions() {
        return RestResponses.partitions(get("/partitions"));
    }

    @Override
    public String account() {
        return settings.user();
    }

    /**
     * The same batch script sbatch would be given, with the same options. v0.0.38 wants an environment, and the
     * script makes the job's own: PATH alone is passed, as sbatch passes it ({@link SlurmCommands#JOB_PATH}).
     */
    @Override
    public String submit(Submission job) {
        var body = JSON.createObjectNode();
        body.put("script", job.script());
        var properties = body.putObject("job");
        properties.put("name", job.tag());
        properties.put("comment", job.tag());
        properties.put("partition", job.partition());
        properties.put("nodes", job.nodes());
        properties.put("tasks_per_node", 1);
        properties.put("cpus_per_task", job.cores());
        properties.put("current_working_directory", job.workingDirectory());
        properties.put("standard_output", job.log());
        properties.put("open_mode", "append");
        properties.putObject("environment").put("PATH", SlurmCommands.JOB_PATH);
        var what = "POST " + API + "/job/submit";
        var answer = client.send("POST", API + "/job/submit", job.runAs(), body);
        // A job Slurm queued may come with errors that sbatch would not fail on (e.g. "Requested partition
        // configuration not available now" for a job that waits): it exists, and failing here would orphan it.
        return RestResponses.submittedId(answer.body()).orElseThrow(() -> failure(answer, what,
                SlurmFailures.SUBMIT_FAILED));
    }

    @Override
    public Optional<Submitted> find(String tag, String runAs) {
        return RestResponses.jobs(get("/jobs")).stream()
                .filter(job -> job.name().equals(tag) && (runAs == null || job.user().equals(runAs)))
                .max(Comparator.comparingLong(job -> Long.parseLong(job.id())))
                .map(job -> new Submitted(job.id(), job.workingDirectory()));
    }

    @Override
    public Map<String, EngineJobState> states(Collection<String> ids) {
        var states = new HashMap<String, EngineJobState>();
        if (ids.isEmpty()) {
            return states;
        }
        var wanted = new HashSet<>(ids);
        for (var job : RestResponses.jobs(get("/jobs"))) {
            if (wanted.contains(job.id())) {
                states.put(job.id(), JobStates.of(job.id(), job.state(), job.reason(), job.nodes()));
            }
        }
        return states;
    }

    @Override
    public void cancel(String id, String runAs) {
        if (!JOB_ID.matcher(id).matches()) {
            throw EngineException.fatal(SlurmFailures.COMMAND_FAILED, "'" + id + "' is not a Slurm job id");
        }
        var path = API + "/job/" + id;
        var answer = client.send("DELETE", path, runAs, null);
        var errors = answer.errors();
        // Slurm ends a job once: one that ended already, or that it forgot, is where cancel would take it.
        if (!errors.isEmpty() && errors.stream().allMatch(error -> ENDED_OR_FORGOTTEN.contains(error.number()))) {
            return;
        }
        require(answer, "DELETE " + path, SlurmFailures.COMMAND_FAILED);
    }

    /** The nodes of the partition, and on each the running jobs of the jobs listing. */
    @Override
    public List<EngineNode> nodes(String partition) {
        var nodes = get("/nodes");
        var jobs = new HashMap<String, List<String>>();
        for (var job : RestResponses.jobs(get("/jobs"))) {
            if (job.running() && job.partition().equals(partition) && !job.nodes().isEmpty()) {
                for (var node : host.hostnames(job.nodes())) {
                    jobs.computeIfAbsent(node, name -> new ArrayList<>()).add(job.id());
                }
            }
        }
        return RestResponses.nodes(nodes, partition, jobs);
    }

    @Override
    public void close() {
        client.close();
    }

    private JsonNode get(String path) {
        var answer = client.send("GET", API + path, settings.user(), null);
        require(answer, "GET " + API + path, SlurmFailures.COMMAND_FAILED);
        return answer.body();
    }

    private void require(RestClient.Answer answer, String what, String code) {
        if (!answer.succeeded() || !answer.errors().isEmpty()) {
            throw failure(answer, what, code);
        }
    }

    /**
     * A failed answer in the engine's terms: unreachable when slurmctld did not answer, an authentication failure when
     * it refused the token, else {@code code} with Slurm's errors.
     */
    private EngineException failure(RestClient.Answer answer, String what, String code) {
        var errors = answer.errors();
        var said = what + " answered HTTP " + answer.status() + ": " + answer.describe();
        if (errors.stream().anyMatch(RestResponses.Error::unspecified)) {
            return refusedOrSilent(said);
        }
        var silent = errors.stream().anyMatch(error -> CONTROLLER_SILENT.matcher(error.text()).find()
                || error.number() != null && error.number() >= 1000 && error.number() < 2000);
        if (silent || errors.isEmpty() && List.of(502, 503, 504).contains(answer.status())) {
            return SlurmFailures.unreachable(said);
        }
        return EngineException.fatal(code, said);
    }

    /** slurmctld refused the token, or did not answer: slurmrestd says the same of both. */
    private EngineException refusedOrSilent(String said) {
        if (settings.token().expiredAt(Instant.now())) {
            return EngineException.fatal(RestClient.AUTHENTICATION_FAILED, said + ". The token ("
                    + SlurmSettings.REST_TOKEN + ") expired at " + settings.token().expires() + ": make a new one with"
                    + " 'scontrol token username=" + settings.user() + " lifespan=<seconds>'.");
        }
        var controllerUp = controllerAnswersHere();
        if (controllerUp.orElse(false)) {
            return EngineException.fatal(RestClient.AUTHENTICATION_FAILED, said + ". slurmctld answers ('scontrol"
                    + " ping' here) but refused the request: it did not take the token. " + client.renewal());
        }
        if (controllerUp.isPresent()) {
            return SlurmFailures.unreachable(said + " ('scontrol ping' here says slurmctld is down)");
        }
        return SlurmFailures.unreachable(said + ". Either slurmctld did not answer slurmrestd, or it refused the"
                + " token, which slurmrestd reports alike. " + client.renewal());
    }

    /** {@code scontrol show config} here, when a slurm.conf is configured and scontrol answers; else nothing. */
    private String localConfig() {
        if (!slurmConfGiven) {
            return "";
        }
        try {
            var config = host.attempt(null, host.slurm("scontrol", "show", "config"));
            return config.succeeded() ? config.text() : "";
        } catch (EngineException e) {
            return "";
        }
    }

    /** What {@code scontrol ping} says here of the controller; empty when there is no slurm.conf, or no scontrol. */
    private Optional<Boolean> controllerAnswersHere() {
        if (!slurmConfGiven) {
            return Optional.empty();
        }
        try {
            var ping = host.attempt(null, host.slurm("scontrol", "ping")).text();
            return ping.contains(" is UP") ? Optional.of(true)
                    : ping.contains(" is DOWN") ? Optional.of(false) : Optional.empty();
        } catch (EngineException e) {
            return Optional.empty();
        }
    }

    /** slurmrestd answers, but not at {@value #API}: it names what it serves in its OpenAPI description. */
    private EngineException unsupported() {
        var served = "";
        try {
            var openapi = client.send("GET", "/openapi", settings.user(), null);
            var plugins = RestResponses.plugins(openapi.body());
            served = openapi.succeeded() && !plugins.isEmpty() ? "; it serves " + plugins
                    : "; GET /openapi answered HTTP " + openapi.status() + " without a list of plugins";
        } catch (EngineException e) {
            served = "; GET /openapi failed too: " + e.getMessage();
        }
        return EngineException.fatal(VERSION_UNSUPPORTED, "slurmrestd at " + settings.url() + " does not serve "
                + API + " (GET " + API + "/ping answered HTTP 404)" + served + ". Hangar speaks the OpenAPI plugin "
                + PLUGIN + " (Slurm 22.05): start slurmrestd with -s openapi/" + PLUGIN + ".");
    }
}
