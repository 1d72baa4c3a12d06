package dev.hangar.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.function.Consumer;

/**
 * Jupyter through Hangar's app gateway beside Jupyter straight, on one running instance of the host-process backend:
 * the same static file and the same API call, one request at a time, each on a keep-alive connection of its own
 * (HTTPS with the admin's Hangar token to the gateway; plain HTTP with Jupyter's own token to the port the backend
 * gave it, as the gateway sends it). Direct and gateway take turns, who goes first alternating, so that whatever else
 * the machine does weighs on both alike. First, outside the figures, {@link #WARMUP_REQUESTS} of each path through
 * the gateway, as a server that has been up a while has compiled its proxying (fewer leave it half interpreted:
 * 2.2× instead of 1.4× for the static file), and a few straight at Jupyter.
 */
final class GatewayBench {
    /** Notebook 6.4's jQuery (89 KB), as its pages ask for it: with {@code ?v=}, which Jupyter caches for long. */
    static final String STATIC_FILE = "static/components/jquery/jquery.min.js?v=hangar-bench";
    /** What the tree page asks first: the listing of the notebook directory. */
    static final String API_CALL = "api/contents";
    /** What a browser sends: its page's scripts and calls accept compressed answers. */
    private static final String ACCEPT_ENCODING = "Accept-Encoding: gzip, deflate, br";
    static final int DEFAULT_REQUESTS = 1_000;
    static final int QUICK_REQUESTS = 200;
    static final int WARMUP_REQUESTS = 3_000;
    private static final int DIRECT_WARMUP_REQUESTS = 100;

    private final BenchServer server;
    private final Consumer<String> progress;

    GatewayBench(BenchServer server, Consumer<String> progress) {
        this.server = server;
        this.progress = progress;
    }

    /**
     * One path measured both ways; latency runs from the request's first byte out to the answer's last byte in.
     *
     * @param cacheControl    the {@code Cache-Control} of the last answer through the gateway, and straight
     * @param contentEncoding the {@code Content-Encoding} of the last answer through the gateway, and straight
     */
    record Comparison(String path, Samples gateway, Samples direct, String cacheControl, String directCacheControl,
                      String contentEncoding, String directContentEncoding) {
        /** {@code percentile} of the gateway over the same of the direct path. */
        double ratio(double percentile) {
            var direct = this.direct.percentile(percentile).toNanos();
            return direct == 0 ? Double.POSITIVE_INFINITY : (double) gateway.percentile(percentile).toNanos() / direct;
        }
    }

    record Result(int requests, Comparison staticFile, Comparison api) {
    }

    /** Measures {@code requests} of each path each way on the running instance {@code compute}. */
    Result run(String compute, int requests) {
        var gatewayBase = InstanceBench.jupyter(server.computes().get(compute));
        var direct = server.directJupyter(gatewayBase);
        progress.accept("gateway: " + requests + " requests of " + STATIC_FILE + " and of " + API_CALL
                + " through " + gatewayBase + " and straight at " + direct.base());
        var staticFile = new Pair(STATIC_FILE, "Accept: */*", gatewayBase, direct);
        var api = new Pair(API_CALL, "Accept: application/json, text/javascript, */*; q=0.01", gatewayBase, direct);
        try (staticFile; api) {
            var pairs = List.of(staticFile, api);
            for (int i = 0; i < WARMUP_REQUESTS; i++) {
                for (var pair : pairs) {
                    pair.warm(i < DIRECT_WARMUP_REQUESTS);
                }
            }
            for (int i = 0; i < requests; i++) {
                for (var pair : pairs) {
                    pair.exchange(i % 2 == 0);
                }
            }
            return new Result(requests, staticFile.result(), api.result());
        } catch (IOException e) {
            throw new UncheckedIOException("The gateway comparison failed", e);
        }
    }

    /** One path on a connection through the gateway and one straight at Jupyter. */
    private final class Pair implements AutoCloseable {
        private final String path;
        private final KeepAliveConnection gateway;
        private final KeepAliveConnection direct;
        private final Samples.Recorder gatewayTimes = new Samples.Recorder();
        private final Samples.Recorder directTimes = new Samples.Recorder();

        Pair(String path, String accept, URI gatewayBase, DirectJupyter jupyter) {
            this.path = path;
            this.gateway = new KeepAliveConnection(gatewayBase.resolve(path), server.tls(), "Bearer " + server.token(),
                    accept, ACCEPT_ENCODING);
            this.direct = new KeepAliveConnection(jupyter.base().resolve(path), null, "token " + jupyter.token(),
                    accept, ACCEPT_ENCODING);
        }

        void warm(boolean direct) throws IOException {
            time(gateway, null);
            if (direct) {
                time(this.direct, null);
            }
        }

        void exchange(boolean gatewayFirst) throws IOException {
            if (gatewayFirst) {
                time(gateway, gatewayTimes);
                time(direct, directTimes);
            } else {
                time(direct, directTimes);
                time(gateway, gatewayTimes);
            }
        }

        private void time(KeepAliveConnection connection, Samples.Recorder times) throws IOException {
            var began = System.nanoTime();
            var status = connection.get();
            var took = System.nanoTime() - began;
            if (status != 200) {
                throw new IOException("GET " + path + (connection == gateway ? " through the gateway" : " straight")
                        + " answered " + status);
            }
            if (times != null) {
                times.add(took);
            }
        }

        Comparison result() {
            return new Comparison(path, Samples.of(gatewayTimes.values()), Samples.of(directTimes.values()),
                    gateway.cacheControl(), direct.cacheControl(), gateway.contentEncoding(),
                    direct.contentEncoding());
        }

        @Override
        public void close() {
            gateway.close();
            direct.close();
        }
    }
}
