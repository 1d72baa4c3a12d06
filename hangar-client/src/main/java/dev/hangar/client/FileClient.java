package dev.hangar.client;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.hangar.api.FileEntry;
import dev.hangar.api.PagedList;
import dev.hangar.api.SessionInfo.WorkspaceRef;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The file share of one workspace ({@code workspaces/{ws}/files}): {@code Users/<name>/} for each user's files,
 * {@code Logs/<instance>/} for what Hangar writes of an instance. Paths are relative to the share's root, folders
 * joined by {@code /}. Obtained from {@link HangarClient#files}.
 */
public final class FileClient {
    private static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(30);
    private static final TypeReference<PagedList<FileEntry>> PAGE = new TypeReference<>() { };

    private final Transport transport;
    private final String path;

    FileClient(Transport transport, WorkspaceRef workspace) {
        this.transport = transport;
        this.path = ArmIds.workspacePath(Objects.requireNonNull(workspace, "workspace")) + "/files";
    }

    /** A folder's entries, sorted by name, or a file's own entry; the root when {@code remote} is empty. */
    public List<FileEntry> list(String remote) {
        return transport.read(transport.send("GET", uri(remote, "metadata=true"), null), PAGE).value();
    }

    /** Writes the local file {@code local} at {@code remote}, making its folders, replacing a file there. */
    public FileEntry upload(Path local, String remote) {
        if (!Files.isRegularFile(local)) {
            throw new IllegalArgumentException(local + " is not a file");
        }
        var reply = transport.sendFile("PUT", uri(remote, null), local, "application/octet-stream",
                TRANSFER_TIMEOUT);
        return transport.read(reply, FileEntry.class);
    }

    /** Copies the file at {@code remote} to {@code local}, written whole or not at all. */
    public void download(String remote, Path local) {
        transport.download(uri(remote, null), local, TRANSFER_TIMEOUT);
    }

    /**
     * The content of the file at {@code remote}, whole, in memory: for small files such as an instance's logs in
     * {@code Logs/<instance>/}. 404 {@code FileNotFound} when nothing is there.
     */
    public byte[] read(String remote) {
        return transport.fetch(uri(remote, null), transport.requestTimeout());
    }

    /** Deletes the file or folder at {@code remote}; a folder with anything in it only when {@code recursive}. */
    public void delete(String remote, boolean recursive) {
        transport.send("DELETE", uri(remote, recursive ? "recursive=true" : null), null);
    }

    private URI uri(String remote, String query) {
        var segments = Stream.of((remote == null ? "" : remote).split("/")).filter(segment -> !segment.isEmpty())
                .map(ArmIds::segment).collect(Collectors.joining("/"));
        return transport.uri(path + (segments.isEmpty() ? "" : "/" + segments), query);
    }
}
