package dev.hangar.testkit.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;

/**
 * JVM Spark applications a test builds: Java sources compiled against Spark's jars ({@link SparkRuntime#classPath()})
 * for the Java the cluster runs on, and packed into a jar.
 */
public final class SparkApps {
    /**
     * {@code demo.Sum n}: sums 1..n on the cluster's executors (two partitions) and prints
     * {@code sum of 1..n = <sum> from <$GREETING>} on its stdout.
     */
    public static final String SUM = """
            package demo;

            import java.util.stream.Collectors;
            import java.util.stream.IntStream;
            import org.apache.spark.SparkConf;
            import org.apache.spark.api.java.JavaSparkContext;

            public class Sum {
                public static void main(String[] args) {
                    try (var spark = new JavaSparkContext(new SparkConf())) {
                        int n = Integer.parseInt(args[0]);
                        var numbers = IntStream.rangeClosed(1, n).boxed().collect(Collectors.toList());
                        long sum = spark.parallelize(numbers, 2).map(x -> (long) x).reduce(Long::sum);
                        System.out.println("sum of 1.." + n + " = " + sum + " from " + System.getenv("GREETING"));
                    }
                }
            }
            """;

    /** {@code demo.Sleep}: prints {@code sleeping}, then sleeps for ten minutes (a driver to cancel). */
    public static final String SLEEP = """
            package demo;

            public class Sleep {
                public static void main(String[] args) throws Exception {
                    System.out.println("sleeping");
                    System.out.flush();
                    Thread.sleep(600_000);
                }
            }
            """;

    private SparkApps() {
    }

    /** Compiles the sources (each a class of package {@code demo}) and packs their classes into {@code jar}. */
    public static Path jar(SparkRuntime runtime, Path jar, List<String> sources) {
        try {
            var work = Files.createTempDirectory("spark-app-");
            try {
                var src = Files.createDirectories(work.resolve("src/demo"));
                var classes = Files.createDirectories(work.resolve("classes"));
                var files = new java.util.ArrayList<String>();
                for (var source : sources) {
                    var name = source.replaceAll("(?s).*public class (\\w+).*", "$1");
                    files.add(Files.writeString(src.resolve(name + ".java"), source).toString());
                }
                var arguments = new java.util.ArrayList<>(List.of("--release", "17", "-proc:none", "-cp",
                        runtime.compileClassPath(), "-d", classes.toString()));
                arguments.addAll(files);
                var errors = new java.io.ByteArrayOutputStream();
                if (ToolProvider.getSystemJavaCompiler().run(null, null, errors, arguments.toArray(String[]::new))
                        != 0) {
                    throw new IllegalStateException("The Spark application does not compile: " + errors);
                }
                Files.createDirectories(jar.getParent());
                try (var out = new JarOutputStream(Files.newOutputStream(jar)); var walk = Files.walk(classes)) {
                    for (var file : walk.filter(Files::isRegularFile).sorted().toList()) {
                        out.putNextEntry(new JarEntry(classes.relativize(file).toString()));
                        Files.copy(file, out);
                        out.closeEntry();
                    }
                }
                return jar;
            } finally {
                try (var walk = Files.walk(work)) {
                    for (var path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(path);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
