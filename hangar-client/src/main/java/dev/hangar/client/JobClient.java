package dev.hangar.client;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.hangar.api.JobResource;
import dev.hangar.api.PagedList;
import dev.hangar.api.SessionInfo.WorkspaceRef;
import dev.hangar.api.StateTransitionEntry;
import dev.hangar.archive.Tarballs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The command jobs of one workspace ({@code workspaces/{ws}/jobs}): submit, read, list, cancel, and read or follow
 * their output. Obtained from {@link HangarClient#jobs}. Thread-safe; every method blocks.
 */
public final class JobClient {
    private static final TypeReference<PagedList<JobResource>> PAGE = new TypeReference<>() { };
    private static final TypeReference<PagedList<StateTransitionEntry>> HISTORY = new TypeReference<>() { };
    /** The states a job ends in. */
    public static final Set<String> TERMINAL = Set.of("Completed", "Failed", "Canceled");

    private final Transport transport;
    private final String path;

    JobClient(Transport transport, WorkspaceRef workspace) {
        this.transport = transport;
        this.path = ArmIds.workspacePath(Objects.requireNonNull(workspace, "workspace")) + "/jobs";
    }

    /** Submits a command job; a job of that name with the same command and compute is returned as it is. */
    public JobResource submit(String name, JobResource.Properties properties) {
        var reply = transport.send("PUT", uri(name, ""), new JobResource(null, name, JobResource.TYPE, properties));
        return transport.read(reply, JobResource.class);
    }

    public JobResource get(String name) {
        return transport.read(transport.send("GET", uri(name, ""), null), JobResource.class);
    }

    /** Every job of the workspace, newest first. */
    public List<JobResource> list() {
        return list(null, List.of(), Integer.MAX_VALUE);
    }

    /**
     * The newest {@code max} jobs on {@code compute} (any, when null) in one of {@code statuses} (any, when empty),
     * newest first; only the pages needed are read.
     */
    public List<JobResource> list(String compute, java.util.Collection<String> statuses, int max) {
        var query = new ArrayList<String>();
        if (compute != null) {
            query.add("computeId=" + java.net.URLEncoder.encode(compute, java.nio.charset.StandardCharsets.UTF_8));
        }
        if (!statuses.isEmpty()) {
            query.add("status=" + java.net.URLEncoder.encode(String.join(",", statuses),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        var all = new ArrayList<JobResource>();
        var seen = new HashSet<URI>();
        var next = transport.uri(path, query.isEmpty() ? null : String.join("&", query));
        while (next != null && seen.add(next) && all.size() < max) {
            var page = transport.read(transport.send("GET", next, null), PAGE);
            if (page.value() != null) {
                all.addAll(page.value());
            }
            next = page.nextLink() == null ? null : transport.followed(page.nextLink());
        }
        return all.size() > max ? List.copyOf(all.subList(0, max)) : all;
    }

    /** Cancels the job: at once when queued, by ending its processes when running. */
    public JobResource cancel(String name) {
        return transport.read(transport.send("POST", uri(name, "/cancel"), null), JobResource.class);
    }

    /** Every move the job made, oldest first, each with its time and reason. */
    public List<StateTransitionEntry> history(String name) {
        return transport.read(transport.send("GET", uri(name, "/history"), null), HISTORY).value();
    }

    /** A piece of a job's output, where the next piece starts, and the job's state when it was read. */
    public record LogChunk(String text, long next, String status) {
    }

    public LogChunk logs(String name, long offset) {
        var reply = transport.send("GET", transport.uri(path + "/" + ArmIds.segment(name) + "/logs",
                "offset=" + offset), null);
        var next = reply.headers().firstValueAsLong("x-hangar-log-next-offset").orElse(offset);
        return new LogChunk(reply.body(), next, reply.headers().firstValue("x-hangar-job-status").orElse(null));
    }

    /**
     * Follows the job's output until it ends, passing each new piece to {@code output}; returns the ended job. Polls
     * every {@code interval} while nothing new was written.
     */
    public JobResource stream(String name, Consumer<String> output, Duration interval) {
        long offset = 0;
        while (true) {
            var chunk = logs(name, offset);
            if (!chunk.text().isEmpty()) {
                output.accept(chunk.text());
            }
            var moved = chunk.next() != offset;
            offset = chunk.next();
            if (!moved && chunk.status() != null && TERMINAL.contains(chunk.status())) {
                return get(name);
            }
            if (!moved) {
                try {
                    Thread.sleep(interval.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while following job " + name, e);
                }
            }
        }
    }

    /**
     * Downloads what the job left in {@code ./outputs} and unpacks it in {@code into} (as {@code outputs/...}); 404
     * {@code OutputsNotFound} until the job ended with outputs. Returns the files unpacked.
     */
    public Tarballs.Listing downloadOutputs(String name, Path into) {
        Path archive = null;
        try {
            Files.createDirectories(into);
            archive = Files.createTempFile(into, ".hangar-outputs-", ".tar.gz");
            transport.download(uri(name, "/outputs"), archive, Duration.ofMinutes(30));
            try (var in = Files.newInputStream(archive)) {
                return Tarballs.extract(in, into, Tarballs.OUTPUT_LIMITS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the outputs of job " + name + " to " + into, e);
        } finally {
            if (archive != null) {
                try {
                    Files.deleteIfExists(archive);
                } catch (IOException e) {
                    // a temporary file left behind
                }
            }
        }
    }

    /** The reports of local run {@code name} (a job whose compute is {@code local}), which its submitter makes. */
    public LocalRunClient local(String name) {
        return new LocalRunClient(transport, path + "/" + ArmIds.segment(name) + "/local");
    }

    private URI uri(String name, String suffix) {
        return transport.uri(path + "/" + ArmIds.segment(name) + suffix, null);
    }
}
