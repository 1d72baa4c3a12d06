package dev.hangar.cli;

import dev.hangar.api.JobResource;
import dev.hangar.client.JobClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "job", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Submit, follow, list and cancel command jobs on a compute.",
        subcommands = {JobCommand.Create.class, JobCommand.List.class, JobCommand.Show.class, JobCommand.Stream.class,
            JobCommand.Cancel.class, JobCommand.Download.class},
        footerHeading = "%nExamples:%n", footer = {
            "  hangar job create --compute my-ci --code ./src --command 'python train.py --epochs 3' --stream",
            "  hangar job create --compute my-ci --image docker.io/library/python:3.12 \\",
            "      --command 'python -V'",
            "  hangar job create -f job.yml",
            "  hangar job create --compute local --code ./src --command 'python train.py' --env EPOCHS=3",
            "  hangar job list",
            "  hangar job stream -n quiet_lamp_4k2",
            "  hangar job cancel -n quiet_lamp_4k2",
            "  hangar job download -n quiet_lamp_4k2 --download-path ./results"})
final class JobCommand implements Runnable {
    private static final Duration POLL = Duration.ofMillis(500);

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a job command is required");
    }

    static String state(JobResource job) {
        return job.properties() == null ? null : job.properties().status();
    }

    /** The exit code a followed job ends the CLI with: 0 when it completed, 1 otherwise. */
    static int exitCode(JobResource job) {
        return "Completed".equals(state(job)) ? ExitCodes.OK : ExitCodes.FAILED;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Submits a command job, from options or from the YAML 'az ml job create -f' reads.")
    static final class Create extends HangarCommand {
        @Option(names = {"-f", "--file"}, paramLabel = "YAML", description = "a command job's YAML (command, code: a"
                + " folder or azureml:<snapshot>, compute, environment (azureml:<name>:<version>,"
                + " azureml:<name>@latest, or a mapping with an image), environment_variables, display_name, name,"
                + " queue_settings.priority)")
        Path file;

        @Option(names = "--code", paramLabel = "DIR", description = "the folder the command runs in, uploaded unless"
                + " unchanged (.amlignore or .gitignore leave files out)")
        Path code;

        @Option(names = "--priority", paramLabel = "PRIORITY", description = "low, medium (default) or high: its"
                + " place in the compute's queue")
        String priority;

        @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "default: the file's, else made up")
        String name;

        @Option(names = "--command", paramLabel = "COMMAND")
        String command;

        @Option(names = {"-c", "--compute"}, paramLabel = "COMPUTE", description = "a compute instance's or cluster's"
                + " name, or local: run it here, in this CLI, and record it in the workspace")
        String compute;

        @Option(names = {"-e", "--env"}, paramLabel = "NAME=VALUE", description = "an environment variable; repeat")
        Map<String, String> environment;

        @Option(names = "--environment", paramLabel = "ENVIRONMENT", description = "the environment version it runs"
                + " in: azureml:<name>:<version> or azureml:<name>@latest (default: the file's, else the compute's"
                + " own environment)")
        String environmentId;

        @Option(names = "--image", paramLabel = "IMAGE", description = "a container image it runs in, recorded as an"
                + " anonymous environment version (the same one again for the same image); not with --environment")
        String image;

        @Option(names = "--cores", paramLabel = "N", description = "the cores it needs on the instance or node"
                + " (default 1)")
        Integer cores;

        @Option(names = "--instance-count", paramLabel = "N", description = "the nodes of a cluster it runs on at once"
                + " (default 1), each told MASTER_ADDR, MASTER_PORT, WORLD_SIZE and its NODE_RANK")
        Integer instanceCount;

        @Option(names = "--display-name", paramLabel = "TEXT")
        String displayName;

        @Option(names = {"-s", "--stream"}, description = "follow its output until it ends; exit 0 only if it"
                + " completed")
        boolean stream;

        @Mixin
        WorkspaceOptions workspace;

        @Mixin
        OutputOptions output;

        @Mixin
        VerboseOptions verbose;

        Create(CliContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            if (environmentId != null && image != null) {
                throw new ParameterException(spec.commandLine(), "--environment and --image exclude each other: a job"
                        + " runs in one environment");
            }
            var fields = new LinkedHashMap<String, Object>();
            if (file != null) {
                fields.putAll(read(file));
            }
            var jobName = name != null ? name : fields.get("name") instanceof String given ? given
                    : "job-" + UUID.randomUUID().toString().substring(0, 8);
            var text = command != null ? command : (String) fields.get("command");
            var target = compute != null ? compute : (String) fields.get("compute");
            @SuppressWarnings("unchecked")
            var variables = environment != null ? environment
                    : (Map<String, String>) fields.getOrDefault("environment_variables", Map.of());
            var shown = displayName != null ? displayName : (String) fields.get("display_name");
            var folder = code != null ? code : (Path) fields.get("code");
            var rank = priority(priority != null ? priority : (String) fields.get("priority"));
            var nodes = instanceCount != null ? instanceCount : (Integer) fields.get("instance_count");
            var jobEnvironment = environmentId != null ? JobEnvironment.reference(environmentId)
                    : image != null ? JobEnvironment.inline(image)
                    : (JobEnvironment) fields.getOrDefault("environment", JobEnvironment.NONE);
            var spark = (SparkJobFile) fields.get("spark");
            if (spark == null && text == null || target == null) {
                throw new CliException("MissingJobField", "a job needs a command and a compute (--command and"
                        + " --compute, or command and compute in the YAML)", ExitCodes.USAGE);
            }
            var local = LocalRun.isLocal(target);
            if (local) {
                LocalRun.refuseSnapshot(folder == null ? (String) fields.get("codeId") : null);
            }
            try (var connection = context.connect()) {
                var ws = connection.workspace(workspace);
                var jobs = connection.client().jobs(ws);
                var codeId = folder == null ? (String) fields.get("codeId") : null;
                if (folder != null) {
                    var upload = connection.client().codes(ws).upload(folder);
                    codeId = upload.code().id();
                    err().println("Code " + folder + ": " + count(upload.listing().files(), "file") + ", "
                            + count(upload.listing().bytes(), "byte") + (upload.ignoreFile() == null ? ""
                            : " (" + upload.ignoreFile() + " applied)") + (upload.sent() ? ", uploaded."
                            : ", unchanged: not sent again."));
                }
                var jobEnvironmentId = local ? LocalRun.withoutEnvironment(this, jobEnvironment)
                        : jobEnvironment.environmentId(connection.client().environments(ws));
                if (jobEnvironment.image() != null && !local) {
                    err().println("Image " + jobEnvironment.image() + ": environment "
                            + jobEnvironmentId.substring("azureml:".length()) + ".");
                }
                var computeId = target.startsWith("azureml:") ? target.substring("azureml:".length()) : target;
                var properties = spark != null ? spark.properties(shown, computeId, codeId, variables,
                        rank == null ? null : new JobResource.QueueSettings(null, rank))
                        : new JobResource.Properties("Command", shown, null, text, computeId, codeId,
                        jobEnvironmentId,
                        variables, cores == null && nodes == null ? null
                                : new JobResource.Resources(nodes == null ? 1 : nodes, null, cores), null, null, null,
                        null, null, null, null, null, rank == null ? null : new JobResource.QueueSettings(null, rank));
                var job = jobs.submit(jobName, properties);
                if (local) {
                    return new LocalRun(this, jobs, job.name()).run(text, folder);
                }
                if (!stream) {
                    if (output.json()) {
                        printJson(job);
                    } else {
                        out().println("Job '" + job.name() + "' is " + state(job) + " on " + target + ".");
                    }
                    return ExitCodes.OK;
                }
                err().println("Job '" + job.name() + "' is " + state(job) + "; following its output.");
                err().flush();
                return follow(this, jobs, job.name());
            }
        }

        private Map<String, Object> read(Path yaml) {
            var tree = AzYaml.read(yaml, "InvalidJobFile").tree();
            var type = tree.path("type").asText("command");
            if (!type.equalsIgnoreCase("command") && !type.equalsIgnoreCase("spark")) {
                throw new CliException("UnsupportedJobType", "Hangar runs command and Spark jobs, not '" + type
                        + "' jobs", ExitCodes.USAGE);
            }
            var fields = new LinkedHashMap<String, Object>();
            if (type.equalsIgnoreCase("spark")) {
                fields.put("spark", SparkJobFile.read(tree));
            }
            if (tree.hasNonNull("code")) {
                var code = tree.get("code").asText().strip();
                if (code.startsWith("azureml:")) {
                    // A snapshot uploaded before, by its digest or id.
                    fields.put("codeId", code);
                } else {
                    // As az reads it: a folder relative to the YAML file's own.
                    fields.put("code", yaml.toAbsolutePath().getParent().resolve(code).normalize());
                }
            }
            if (tree.path("resources").hasNonNull("instance_count")) {
                var count = tree.get("resources").get("instance_count");
                if (!count.canConvertToInt()) {
                    throw new CliException("InvalidJobFile", "resources.instance_count must be a whole number, not '"
                            + count.asText() + "'", ExitCodes.USAGE);
                }
                fields.put("instance_count", count.asInt());
            }
            if (tree.path("queue_settings").hasNonNull("priority")) {
                fields.put("priority", tree.get("queue_settings").get("priority").asText());
            }
            if (tree.hasNonNull("environment")) {
                fields.put("environment", JobEnvironment.read(tree.get("environment"), yaml));
            }
            for (var key : new String[] {"name", "command", "compute", "display_name"}) {
                if (tree.hasNonNull(key)) {
                    fields.put(key, tree.get(key).asText());
                }
            }
            if (tree.path("environment_variables").isObject()) {
                var variables = new LinkedHashMap<String, String>();
                tree.get("environment_variables").properties().forEach(entry ->
                        variables.put(entry.getKey(), entry.getValue().asText()));
                fields.put("environment_variables", variables);
            }
            return fields;
        }
    }

    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** A priority as az's YAML writes it (low, medium, high) or as a number 1 to 3; null stays null. */
    static Integer priority(String text) {
        if (text == null) {
            return null;
        }
        return switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "low", "1" -> 1;
            case "medium", "2" -> 2;
            case "high", "3" -> 3;
            default -> throw new CliException("InvalidJobPriority", "a job's priority is low, medium or high, not '"
                    + text + "'", ExitCodes.USAGE);
        };
    }

    /** Prints the job's output as it comes; the job's end decides the exit code. */
    static int follow(HangarCommand command, JobClient jobs, String name) {
        var ended = jobs.stream(name, text -> {
            command.out().print(text);
            command.out().flush();
        }, POLL);
        command.err().println("Job '" + name + "' " + state(ended) + (ended.properties().exitCode() == null ? ""
                : " (exit code " + ended.properties().exitCode() + ")") + ".");
        return exitCode(ended);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Lists the workspace's jobs, newest first.")
    static final class List extends HangarCommand {
        @Option(names = {"-c", "--compute"}, paramLabel = "COMPUTE", description = "only the jobs on this compute")
        String compute;

        @Option(names = "--status", paramLabel = "STATE", split = ",", description = "only the jobs in these states,"
                + " e.g. Queued,Running")
        java.util.List<String> statuses = new java.util.ArrayList<>();

        @Option(names = {"-r", "--max-results"}, paramLabel = "N", description = "at most N jobs, the newest")
        Integer max;

        @Mixin
        WorkspaceOptions workspace;

        @Mixin
        OutputOptions output;

        @Mixin
        VerboseOptions verbose;

        List(CliContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            try (var connection = context.connect()) {
                var jobs = connection.client().jobs(connection.workspace(workspace)).list(compute, statuses,
                        max == null ? Integer.MAX_VALUE : max);
                if (output.json()) {
                    printJson(new dev.hangar.api.PagedList<>(jobs, null));
                    return ExitCodes.OK;
                }
                var table = new Table("NAME", "STATUS", "COMPUTE", "CREATED", "EXIT CODE");
                jobs.forEach(job -> table.row(job.name(), state(job), computeOf(job),
                        job.properties().creationTime(), job.properties().exitCode()));
                table.print(out());
                return ExitCodes.OK;
            }
        }
    }

    /** The job's environment as {@code <name>:<version>}, from the version's ARM id the server answers with. */
    static String environmentOf(JobResource job) {
        var id = job.properties().environmentId();
        return id == null ? null : id.replaceAll("(?i).*/environments/([^/]+)/versions/([^/]+)$", "$1:$2");
    }

    static String computeOf(JobResource job) {
        var id = job.properties().computeId();
        return id == null ? null : id.substring(id.lastIndexOf('/') + 1);
    }

    @Command(name = "show", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Shows a job: its command, compute, environment, status, times and exit code.")
    static final class Show extends HangarCommand {
        @Option(names = {"-n", "--name"}, required = true, paramLabel = "NAME")
        String name;

        @Mixin
        WorkspaceOptions workspace;

        @Mixin
        OutputOptions output;

        @Mixin
        VerboseOptions verbose;

        Show(CliContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            try (var connection = context.connect()) {
                var job = connection.client().jobs(connection.workspace(workspace)).get(name);
                if (output.json()) {
                    printJson(job);
                    return ExitCodes.OK;
                }
                var p = job.properties();
                var table = new Table("FIELD", "VALUE");
                table.row("Name", job.name());
                table.row("Status", p.status());
                table.row("Compute", computeOf(job));
                table.row("Command", p.command());
                table.row("Code", p.codeId() == null ? null : p.codeId().replaceAll(".*/codes/([^/]+)/.*", "$1"));
                if (p.environmentId() != null) {
                    table.row("Environment", environmentOf(job));
                }
                table.row("Priority", p.queueSettings() == null ? null : p.queueSettings().priority());
                table.row("Display name", p.displayName());
                table.row("Created", p.creationTime());
                table.row("Started", p.startTime());
                table.row("Ended", p.endTime());
                table.row("Exit code", p.exitCode());
                table.row("Error", p.error() == null ? null : p.error().code() + ": " + p.error().message());
                table.print(out());
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "stream", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Prints a job's output from its start and follows it until the job ends; exits 0 only if"
                    + " it completed.")
    static final class Stream extends HangarCommand {
        @Option(names = {"-n", "--name"}, required = true, paramLabel = "NAME")
        String name;

        @Mixin
        WorkspaceOptions workspace;

        @Mixin
        VerboseOptions verbose;

        Stream(CliContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            try (var connection = context.connect()) {
                return follow(this, connection.client().jobs(connection.workspace(workspace)), name);
            }
        }
    }

    @Command(name = "download", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Downloads what an ended job left in ./outputs, to DIR/<job>/outputs.")
    static final class Download extends HangarCommand {
        @Option(names = {"-n", "--name"}, required = true, paramLabel = "NAME")
        String name;

        @Option(names = {"-p", "--download-path"}, paramLabel = "DIR", description = "default: the current folder")
        Path path;

        @Mixin
        WorkspaceOptions workspace;

        @Mixin
        VerboseOptions verbose;

        Download(CliContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            var into = (path == null ? Path.of("") : path).toAbsolutePath().resolve(name);
            try (var connection = context.connect()) {
                var listing = connection.client().jobs(connection.workspace(workspace)).downloadOutputs(name, into);
                out().println("Downloaded " + count(listing.files(), "file") + " (" + count(listing.bytes(), "byte")
                        + ") to " + into.resolve("outputs") + ".");
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Cancels a job: at once when queued, by ending its processes when running.")
    static final class Cancel extends HangarCommand {
        @Option(names = {"-n", "--name"}, required = true, paramLabel = "NAME")
        String name;

        @Mixin
        WorkspaceOptions workspace;

        @Mixin
        VerboseOptions verbose;

        Cancel(CliContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            try (var connection = context.connect()) {
                var job = connection.client().jobs(connection.workspace(workspace)).cancel(name);
                out().println("Job '" + job.name() + "' is " + state(job) + ".");
                return ExitCodes.OK;
            }
        }
    }
}
