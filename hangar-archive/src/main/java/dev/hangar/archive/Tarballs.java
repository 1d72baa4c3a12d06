package dev.hangar.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The tar.gz that code snapshots and job outputs travel in. Only regular files travel, each with its content and
 * whether it is executable; directories are implied by the files' paths, and links, devices and the like never travel.
 *
 * <p>A snapshot is named by its <b>digest</b>: SHA-256 over a header line {@code hangar-code-1}, then one line per
 * file, sorted by the path's UTF-8 bytes, {@code path NUL (x|-) NUL size NUL sha256-hex LF}. The same files give
 * the same digest whoever packed them and whatever the archive's order, owners and times, so an unchanged folder is
 * never sent twice.
 *
 * <p>Paths are relative, with {@code /} between names, and never contain {@code .}, {@code ..} or empty names: what
 * is checked here cannot write outside the folder it is unpacked in.
 */
public final class Tarballs {
    private static final String DIGEST_HEADER = "hangar-code-1\n";
    private static final int MAX_PATH = 4096;

    private Tarballs() {
    }

    /** At most {@code maxBytes} of file content and {@code maxFiles} files. */
    public record Limits(long maxBytes, int maxFiles) {
    }

    /** The most a code snapshot holds: Azure's 300 MB snapshot limit, and 10,000 files. Client and server check it. */
    public static final Limits CODE_LIMITS = new Limits(300L << 20, 10_000);
    /** The most a job's outputs hold: beyond it they are not kept, and the job's history says so. */
    public static final Limits OUTPUT_LIMITS = new Limits(2L << 30, 100_000);

    /** One file: its path, whether it is executable, its size and the SHA-256 of its content (hex). */
    public record Entry(String path, boolean executable, long size, String sha256) {
    }

    /** The files of a snapshot, sorted by path, with their digest and total size. */
    public record Listing(List<Entry> entries, String digest, long bytes) {
        public Listing {
            entries = List.copyOf(entries);
        }

        public int files() {
            return entries.size();
        }
    }

    /** What to do with an archive's entries that are neither files nor directories (links, devices, FIFOs). */
    public enum Others {
        /** Refuse the archive: a code snapshot is exactly the files it names. */
        REFUSE,
        /** Leave them out: a job's outputs keep their files. */
        SKIP
    }

    /**
     * Lists the files under {@code folder} and hashes them, following symbolic links as if they were what they point
     * to. {@code excluded} is asked about each path relative to the folder (a directory's ends with {@code /}); an
     * excluded directory is not entered.
     */
    public static Listing scan(Path folder, Predicate<String> excluded, Limits limits) {
        if (!Files.isDirectory(folder)) {
            throw new TarballException(TarballException.NOT_A_FOLDER, folder + " is not a folder.");
        }
        var entries = new ArrayList<Entry>();
        var total = new long[1];
        try {
            Files.walkFileTree(folder, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                            if (dir.equals(folder)) {
                                return FileVisitResult.CONTINUE;
                            }
                            return excluded.test(relative(folder, dir) + "/") ? FileVisitResult.SKIP_SUBTREE
                                    : FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                            var path = relative(folder, file);
                            if (!attrs.isRegularFile() || excluded.test(path)) {
                                return FileVisitResult.CONTINUE;
                            }
                            checkPath(path);
                            total[0] += attrs.size();
                            checkLimits(limits, total[0], entries.size() + 1);
                            String sha256;
                            try (var in = Files.newInputStream(file)) {
                                sha256 = sha256(in);
                            }
                            entries.add(new Entry(path, Files.isExecutable(file), attrs.size(), sha256));
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                            throw new TarballException(TarballException.UNREADABLE, "Cannot read "
                                    + relative(folder, file) + " in " + folder + ": " + describe(e));
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + folder, e);
        }
        return listing(entries);
    }

    /** Packs the files of {@code listing}, read from {@code folder}, into a tar.gz on {@code out}. */
    public static void pack(Path folder, Listing listing, OutputStream out) {
        try {
            var gzip = new GZIPOutputStream(out, 64 * 1024);
            var tar = tarOutput(gzip);
            for (var entry : listing.entries()) {
                var file = folder.resolve(entry.path());
                var header = new TarArchiveEntry(entry.path(), true);
                header.setSize(entry.size());
                header.setMode(entry.executable() ? 0100755 : 0100644);
                header.setModTime(Files.getLastModifiedTime(file));
                tar.putArchiveEntry(header);
                try (var in = Files.newInputStream(file)) {
                    var copied = in.transferTo(tar);
                    if (copied != entry.size()) {
                        throw new TarballException(TarballException.CHANGED, entry.path() + " changed while it was"
                                + " packed; pack it again.");
                    }
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
            gzip.finish();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot pack " + folder, e);
        }
    }

    /**
     * Reads a tar (gzipped or not) from {@code in}, checks every entry and writes the files to {@code out} as a
     * tar.gz in which only checked files travel. Returns what it holds, with its digest.
     */
    public static Listing normalize(InputStream in, OutputStream out, Limits limits, Others others) {
        var entries = new ArrayList<Entry>();
        var paths = new Paths();
        long total = 0;
        try {
            var tarIn = new TarArchiveInputStream(decompressed(in), StandardCharsets.UTF_8.name());
            var gzip = new GZIPOutputStream(out, 64 * 1024);
            var tarOut = tarOutput(gzip);
            TarArchiveEntry entry;
            while ((entry = nextEntry(tarIn)) != null) {
                if (entry.isDirectory()) {
                    var path = stripDirectory(entry.getName());
                    if (!path.isEmpty()) {
                        checkPath(path);
                        paths.directory(path);
                    }
                    continue;
                }
                var path = trimDot(entry.getName());
                if (!isRegular(entry)) {
                    if (others == Others.SKIP) {
                        continue;
                    }
                    throw new TarballException(TarballException.NOT_A_FILE, "'" + path + "' is "
                            + kind(entry) + "; a snapshot holds only files and folders.");
                }
                checkPath(path);
                paths.file(path);
                total += entry.getSize();
                checkLimits(limits, total, entries.size() + 1);
                var header = new TarArchiveEntry(path, true);
                header.setSize(entry.getSize());
                var executable = (entry.getMode() & 0100) != 0;
                header.setMode(executable ? 0100755 : 0100644);
                header.setModTime(entry.getModTime());
                tarOut.putArchiveEntry(header);
                var hashing = new DigestOutputStream(tarOut, sha256());
                var copied = tarIn.transferTo(hashing);
                if (copied != entry.getSize()) {
                    throw new TarballException(TarballException.INVALID_ARCHIVE, "'" + path + "' is cut short.");
                }
                tarOut.closeArchiveEntry();
                entries.add(new Entry(path, executable, copied,
                        HexFormat.of().formatHex(hashing.getMessageDigest().digest())));
            }
            tarOut.finish();
            gzip.finish();
            out.flush();
        } catch (IOException e) {
            throw new TarballException(TarballException.INVALID_ARCHIVE, "Not a valid tar or tar.gz archive: "
                    + describe(e), e);
        }
        return listing(entries);
    }

    /**
     * Unpacks a tar.gz made by {@link #normalize} or {@link #pack} into {@code into}, checking each entry as
     * {@link #normalize} does; files already there are replaced. Returns what it unpacked.
     */
    public static Listing extract(InputStream in, Path into, Limits limits) {
        var entries = new ArrayList<Entry>();
        var paths = new Paths();
        long total = 0;
        try {
            Files.createDirectories(into);
            var root = into.toRealPath();
            var tarIn = new TarArchiveInputStream(decompressed(in), StandardCharsets.UTF_8.name());
            TarArchiveEntry entry;
            while ((entry = nextEntry(tarIn)) != null) {
                if (!isRegular(entry)) {
                    continue;
                }
                var path = trimDot(entry.getName());
                checkPath(path);
                paths.file(path);
                total += entry.getSize();
                checkLimits(limits, total, entries.size() + 1);
                var target = root.resolve(path);
                Files.createDirectories(target.getParent());
                if (!target.getParent().toRealPath().startsWith(root)) {
                    throw new TarballException(TarballException.UNSAFE_PATH, "'" + path + "' would be written"
                            + " outside " + into + " through a link there.");
                }
                var partial = target.resolveSibling("." + target.getFileName() + ".partial");
                var hashing = new DigestOutputStream(Files.newOutputStream(partial), sha256());
                try (hashing) {
                    tarIn.transferTo(hashing);
                }
                var executable = (entry.getMode() & 0100) != 0;
                if (executable) {
                    var permissions = EnumSet.copyOf(Files.getPosixFilePermissions(partial));
                    permissions.add(PosixFilePermission.OWNER_EXECUTE);
                    Files.setPosixFilePermissions(partial, permissions);
                }
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                Files.setLastModifiedTime(target, entry.getLastModifiedTime());
                entries.add(new Entry(path, executable, entry.getSize(),
                        HexFormat.of().formatHex(hashing.getMessageDigest().digest())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot unpack into " + into + ": " + describe(e), e);
        }
        return listing(entries);
    }

    /** The digest of a set of files, as defined above. */
    public static String digest(Collection<Entry> entries) {
        var digest = sha256();
        digest.update(DIGEST_HEADER.getBytes(StandardCharsets.UTF_8));
        for (var entry : sorted(entries)) {
            var line = entry.path() + '\0' + (entry.executable() ? "x" : "-") + '\0' + entry.size() + '\0'
                    + entry.sha256() + '\n';
            digest.update(line.getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Whether {@code text} can be a digest: 64 lower-case hexadecimal digits. */
    public static boolean isDigest(String text) {
        return text != null && text.matches("[0-9a-f]{64}");
    }

    private static Listing listing(List<Entry> entries) {
        var sorted = sorted(entries);
        return new Listing(sorted, digest(sorted), sorted.stream().mapToLong(Entry::size).sum());
    }

    private static List<Entry> sorted(Collection<Entry> entries) {
        var sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(entry -> entry.path().getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned));
        return sorted;
    }

    private static TarArchiveOutputStream tarOutput(OutputStream out) {
        var tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        return tar;
    }

    private static TarArchiveEntry nextEntry(TarArchiveInputStream in) throws IOException {
        try {
            return in.getNextEntry();
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** The stream, gunzipped when it starts with gzip's magic number. */
    private static InputStream decompressed(InputStream in) throws IOException {
        var buffered = new BufferedInputStream(in, 64 * 1024);
        buffered.mark(2);
        var first = buffered.read();
        var second = buffered.read();
        buffered.reset();
        return first == 0x1f && second == 0x8b ? new GZIPInputStream(buffered, 64 * 1024) : buffered;
    }

    private static String trimDot(String name) {
        var path = name;
        while (path.startsWith("./")) {
            path = path.substring(2);
        }
        return path;
    }

    private static String stripDirectory(String name) {
        var path = trimDot(name);
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path.equals(".") ? "" : path;
    }

    /**
     * Refuses ({@link TarballException#UNSAFE_PATH}) a path that could leave the folder it is unpacked in, or that a
     * file system would not take: what every entry of a snapshot is checked by, and what the studio checks the names
     * of uploaded files by before it writes them.
     */
    public static void checkPath(String path) {
        if (path.isEmpty() || path.length() > MAX_PATH || path.startsWith("/") || path.indexOf('\0') >= 0) {
            throw new TarballException(TarballException.UNSAFE_PATH, "'" + path + "' is not a relative path a"
                    + " snapshot may hold.");
        }
        for (var name : path.split("/", -1)) {
            if (name.isEmpty() || name.equals(".") || name.equals("..") || name.length() > 255) {
                throw new TarballException(TarballException.UNSAFE_PATH, "'" + path + "' is not a relative path"
                        + " a snapshot may hold: every name in it must be a real one, never '.', '..' or empty.");
            }
        }
    }

    private static void checkLimits(Limits limits, long bytes, int files) {
        if (bytes > limits.maxBytes()) {
            throw new TarballException(TarballException.TOO_LARGE, "It holds more than " + limits.maxBytes()
                    + " bytes; at most " + limits.maxBytes() + " are taken.");
        }
        if (files > limits.maxFiles()) {
            throw new TarballException(TarballException.TOO_LARGE, "It holds more than " + limits.maxFiles()
                    + " files; at most " + limits.maxFiles() + " are taken.");
        }
    }

    /** A regular file: commons-compress's {@code isFile()} also says yes to links. */
    private static boolean isRegular(TarArchiveEntry entry) {
        return entry.isFile() && !entry.isSymbolicLink() && !entry.isLink() && !entry.isCharacterDevice()
                && !entry.isBlockDevice() && !entry.isFIFO() && !entry.isSparse();
    }

    private static String kind(TarArchiveEntry entry) {
        if (entry.isSymbolicLink()) {
            return "a symbolic link";
        }
        if (entry.isLink()) {
            return "a hard link";
        }
        return "not a regular file";
    }

    private static String relative(Path folder, Path path) {
        var parts = new ArrayList<String>();
        folder.relativize(path).forEach(name -> parts.add(name.toString()));
        return String.join("/", parts);
    }

    static String sha256(InputStream in) throws IOException {
        var digest = sha256();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = in.read(buffer)) >= 0) {
            digest.update(buffer, 0, read);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Files and folders seen so far: one path is never both, nor given twice. */
    private static final class Paths {
        private final Set<String> files = new HashSet<>();
        private final Set<String> directories = new HashSet<>();

        void directory(String path) {
            if (files.contains(path)) {
                throw clash(path);
            }
            directories.add(path);
        }

        void file(String path) {
            if (!files.add(path) || directories.contains(path)) {
                throw clash(path);
            }
            for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
                var parent = path.substring(0, slash);
                if (files.contains(parent)) {
                    throw clash(parent);
                }
                directories.add(parent);
            }
        }

        private static TarballException clash(String path) {
            return new TarballException(TarballException.INVALID_ARCHIVE, "'" + path + "' appears twice, or as both"
                    + " a file and a folder.");
        }
    }
}
