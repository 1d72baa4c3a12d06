package dev.hangar.server.studio;

import dev.hangar.archive.IgnoreFile;
import dev.hangar.archive.TarballException;
import dev.hangar.archive.Tarballs;
import dev.hangar.core.access.User;
import dev.hangar.core.code.CodeService;
import dev.hangar.core.workspace.Workspace;
import dev.hangar.server.http.StreamedUploads;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * The job form's code: the files of the folder (or the files) the reader picked, received into a folder of their own
 * and made the job's code snapshot as {@code hangar job create --code DIR} makes one: what the folder's
 * {@code .amlignore} or {@code .gitignore} leaves out stays out, the rest is packed ({@link Tarballs}) and kept by
 * {@link CodeService#upload}, with its checks. Each file's name is checked ({@link Tarballs#checkPath}) before anything
 * is written under it, and no more than {@link Tarballs#CODE_LIMITS} is written: past a refusal the rest of the
 * upload is read and dropped, and the form says why.
 */
final class JobCode {
    /** The form's field of a picked folder: its files' names start with the folder's own name, which is dropped. */
    static final String FOLDER = "codeFolder";
    /** The form's field of picked files: they go at the top of the code folder. */
    static final String FILES = "codeFiles";

    private final CodeService codes;
    private final Path uploads;

    /** @param uploads where uploads are kept while they arrive */
    JobCode(CodeService codes, Path uploads) {
        this.codes = codes;
        this.uploads = uploads;
    }

    /** What arrived: the form's fields, how many files were kept, and why the code cannot be taken (or null). */
    record Received(MultiMap form, int files, String problem) {
    }

    /** A new, empty folder to receive a form's files into; {@link #discard} it once done. */
    Path folder() {
        try {
            Files.createDirectories(uploads);
            return Files.createDirectory(uploads.resolve("studio-code-" + UUID.randomUUID()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot make a folder for an upload in " + uploads, e);
        }
    }

    /** Receives the form of a paused request, its code files into {@code folder}. */
    Received receive(RoutingContext ctx, Path folder) {
        var sink = new Sink(ctx.vertx().fileSystem(), folder);
        var form = StreamedUploads.receiveForm(ctx, sink::take);
        return new Received(form, sink.files, sink.problem);
    }

    /**
     * The received folder as the workspace's code snapshot: its digest.
     *
     * @throws dev.hangar.core.error.ApiException 413 {@code CodeTooLarge}, 400 {@code InvalidCode}, 403
     */
    String snapshot(User caller, Workspace workspace, Path folder) {
        codes.requireUpload(caller, workspace);
        Tarballs.Listing listing;
        try {
            listing = Tarballs.scan(folder, IgnoreFile.of(folder), Tarballs.CODE_LIMITS);
        } catch (TarballException e) {
            throw CodeService.refusal(e);
        }
        var archive = folder.resolveSibling(folder.getFileName() + ".tar.gz");
        try {
            try (var out = Files.newOutputStream(archive)) {
                Tarballs.pack(folder, listing, out);
            }
            try (var in = Files.newInputStream(archive)) {
                return codes.upload(caller, workspace, listing.digest(), CodeService.VERSION, in).snapshot()
                        .digest();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot pack the code uploaded in " + folder, e);
        } finally {
            try {
                Files.deleteIfExists(archive);
            } catch (IOException e) {
                // left in the uploads folder; the next start's cache is the same folder
            }
        }
    }

    /** Removes a folder {@link #folder} made, and what is in it. */
    void discard(Path folder) {
        try (var paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // what is left stays in the uploads folder, which nothing reads
        }
    }

    /** Writes the form's file parts under the folder, one after the other, on the request's event loop. */
    private static final class Sink {
        private final FileSystem fs;
        private final Path folder;
        private final Set<String> paths = new HashSet<>();
        private final Set<String> directories = new HashSet<>();
        private long bytes;
        int files;
        String problem;

        Sink(FileSystem fs, Path folder) {
            this.fs = fs;
            this.folder = folder;
        }

        Future<Void> take(HttpServerFileUpload upload) {
            var name = upload.filename();
            // An empty file input sends a part without a file name.
            if (problem != null || name == null || name.isEmpty()
                    || !(upload.name().equals(FOLDER) || upload.name().equals(FILES))) {
                return drop(upload);
            }
            String path;
            try {
                Tarballs.checkPath(name);
                path = upload.name().equals(FOLDER) && name.indexOf('/') > 0 ? name.substring(name.indexOf('/') + 1)
                        : name;
                Tarballs.checkPath(path);
            } catch (TarballException e) {
                problem = "The file '" + name + "' cannot be code: " + e.getMessage();
                return drop(upload);
            }
            if (clashes(path)) {
                problem = "'" + path + "' is given twice, or as both a file and a folder.";
                return drop(upload);
            }
            if (++files > Tarballs.CODE_LIMITS.maxFiles()) {
                problem = tooLarge("more than " + Tarballs.CODE_LIMITS.maxFiles() + " files");
                return drop(upload);
            }
            var target = folder.resolve(path);
            Promise<Void> done = Promise.promise();
            fs.mkdirs(target.getParent().toString())
                    .compose(made -> fs.open(target.toString(), new OpenOptions().setWrite(true).setCreateNew(true)))
                    .onFailure(failure -> {
                        problem = "The file '" + path + "' cannot be kept: " + failure.getMessage();
                        drop(upload).onComplete(done);
                    })
                    .onSuccess(file -> {
                        upload.handler(buffer -> {
                            bytes += buffer.length();
                            if (bytes > Tarballs.CODE_LIMITS.maxBytes()) {
                                if (problem == null) {
                                    problem = tooLarge("more than " + Tarballs.CODE_LIMITS.maxBytes() + " bytes");
                                }
                                return;
                            }
                            file.write(buffer);
                            if (file.writeQueueFull()) {
                                upload.pause();
                                file.drainHandler(drained -> upload.resume());
                            }
                        });
                        upload.exceptionHandler(failure -> file.close().onComplete(closed -> done.tryFail(failure)));
                        upload.endHandler(end -> file.close().onComplete(closed -> done.tryComplete()));
                        upload.resume();
                    });
            return done.future();
        }

        /** Whether the path was given already, or is a folder of another, or another is a folder of it. */
        private boolean clashes(String path) {
            if (directories.contains(path) || !paths.add(path)) {
                return true;
            }
            for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
                var parent = path.substring(0, slash);
                if (paths.contains(parent)) {
                    return true;
                }
                directories.add(parent);
            }
            return false;
        }

        private static Future<Void> drop(HttpServerFileUpload upload) {
            Promise<Void> done = Promise.promise();
            upload.handler(ignored -> { });
            upload.exceptionHandler(done::tryFail);
            upload.endHandler(end -> done.tryComplete());
            upload.resume();
            return done.future();
        }

        private static String tooLarge(String what) {
            return "The code is too large: it holds " + what + ", and a job's code holds at most "
                    + (Tarballs.CODE_LIMITS.maxBytes() >> 20) + " MB in " + Tarballs.CODE_LIMITS.maxFiles()
                    + " files. Leave data and environments out of the code folder.";
        }
    }
}
