package dev.hangar.testkit.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Spark's jars laid out as a Spark distribution ({@code SPARK_HOME/jars}, linked from the local Maven repository), and
 * the Java they run on. The jars are those of the {@code hangar-spark-runtime} module, resolved with Spark's own
 * versions; its build writes their class path to a file that a test names in the system property
 * {@value #CLASSPATH_PROPERTY}, so that the testkit itself carries no Spark.
 *
 * <p>The Java: Spark 4.0 runs on Java 17 and 21; on Java 23 and later its drivers fail in Hadoop's
 * {@code UserGroupInformation} ({@code Subject.getSubject} is gone), so the daemons, drivers and executors run on a
 * JDK 17 or 21 of this host ({@value #JAVA_PROPERTY}, else the first found under {@code /usr/lib/jvm}).
 */
public final class SparkRuntime {
    /** The system property that names the file holding Spark's class path. */
    public static final String CLASSPATH_PROPERTY = "hangar.spark.classpath";
    /** The system property that names the Java home Spark runs on. */
    public static final String JAVA_PROPERTY = "hangar.spark.java";
    private static final Pattern SPARK_CORE = Pattern.compile("spark-core_2\\.13-(\\d+\\.\\d+\\.\\d+)\\.jar");

    private final Path home;
    private final Path javaHome;
    private final String version;

    private SparkRuntime(Path home, Path javaHome, String version) {
        this.home = home;
        this.javaHome = javaHome;
        this.version = version;
    }

    /** Lays out {@code SPARK_HOME} in {@code directory} (made when missing) from the class path the build wrote. */
    public static SparkRuntime in(Path directory) {
        var named = System.getProperty(CLASSPATH_PROPERTY);
        if (named == null || !Files.isRegularFile(Path.of(named))) {
            throw new IllegalStateException("Spark's class path is not there: system property " + CLASSPATH_PROPERTY
                    + " names " + named + ". Build the hangar-spark-runtime module first (mvn -pl <module> -am"
                    + " builds it when the module depends on it).");
        }
        try {
            var jars = Arrays.stream(Files.readString(Path.of(named)).strip().split(java.io.File.pathSeparator))
                    .map(Path::of).toList();
            var home = Files.createDirectories(directory.resolve("spark-home"));
            var folder = Files.createDirectories(home.resolve("jars"));
            String version = null;
            for (var jar : jars) {
                Files.createSymbolicLink(folder.resolve(jar.getFileName()), jar);
                var matcher = SPARK_CORE.matcher(jar.getFileName().toString());
                if (matcher.matches()) {
                    version = matcher.group(1);
                }
            }
            if (version == null) {
                throw new IllegalStateException("No spark-core_2.13 jar in " + named);
            }
            Files.createDirectories(home.resolve("conf"));
            return new SparkRuntime(home, findJava(), version);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot lay out SPARK_HOME in " + directory, e);
        }
    }

    private static Path findJava() {
        var named = System.getProperty(JAVA_PROPERTY);
        if (named != null && !named.isBlank()) {
            return Path.of(named);
        }
        try (Stream<Path> homes = Files.list(Path.of("/usr/lib/jvm"))) {
            return homes.filter(home -> javaVersion(home).filter(v -> v.equals("17") || v.equals("21")).isPresent())
                    .sorted().findFirst().orElseThrow(() -> new IllegalStateException("Spark 4.0 runs on Java 17 or"
                            + " 21, and none is under /usr/lib/jvm: install one (apt-get install openjdk-17-jdk-headless)"
                            + " or name it in -D" + JAVA_PROPERTY));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<String> javaVersion(Path home) {
        try {
            var release = home.resolve("release");
            if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin/java"))) {
                return Optional.empty();
            }
            return Files.readAllLines(release).stream().filter(line -> line.startsWith("JAVA_VERSION="))
                    .map(line -> line.replaceAll("JAVA_VERSION=\"?(\\d+).*", "$1")).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@code SPARK_HOME}: {@code jars/} and {@code conf/}. */
    public Path home() {
        return home;
    }

    /** The Spark version of the jars, e.g. {@code 4.0.1}. */
    public String version() {
        return version;
    }

    /** The Java home Spark runs on. */
    public Path javaHome() {
        return javaHome;
    }

    /** Spark's jars as a wildcard, as the {@code java} launcher expands it. */
    public String classPath() {
        return home.resolve("jars") + "/*";
    }

    /** Spark's jars one by one, for the compiler API, which expands no wildcard. */
    public String compileClassPath() {
        try (var jars = Files.list(home.resolve("jars"))) {
            return jars.map(Path::toString).sorted().collect(java.util.stream.Collectors.joining(
                    java.io.File.pathSeparator));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The variables Spark's programs need here: its home, its Scala version (the launcher cannot tell it from jars
     * alone), the Java it runs on, every socket on the loopback, and the user (Hadoop's lookup of it is what fails on
     * newer Javas).
     */
    public Map<String, String> environment() {
        return Map.of("SPARK_HOME", home.toString(), "SPARK_SCALA_VERSION", "2.13", "JAVA_HOME", javaHome.toString(),
                "SPARK_LOCAL_IP", "127.0.0.1", "SPARK_DAEMON_MEMORY", "384m",
                "SPARK_USER", System.getProperty("user.name"));
    }

    /** The command Spark's launcher builds to run {@code mainClass} (what {@code bin/spark-class} runs). */
    public List<String> command(String mainClass, List<String> arguments) {
        var launcher = new ArrayList<>(List.of(javaHome.resolve("bin/java").toString(), "-Xmx128m", "-cp",
                classPath(), "org.apache.spark.launcher.Main", mainClass));
        launcher.addAll(arguments);
        try {
            var builder = new ProcessBuilder(launcher).redirectError(ProcessBuilder.Redirect.DISCARD);
            builder.environment().putAll(environment());
            var process = builder.start();
            var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("Spark's launcher failed for " + mainClass + ": " + output);
            }
            // The launcher marks where its command starts with a NUL line, then writes it NUL-separated.
            var start = output.indexOf("\0\n");
            return Arrays.stream(output.substring(start < 0 ? 0 : start + 2).split("\0"))
                    .filter(part -> !part.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
