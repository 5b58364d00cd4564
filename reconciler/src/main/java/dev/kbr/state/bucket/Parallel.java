package dev.kbr.state.bucket;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs one request per key on a few threads of its own: S3 requests wait on the network. */
final class Parallel {
    private Parallel() {}

    /** A request for one key. */
    @FunctionalInterface
    interface Request {
        String call(String key) throws IOException;
    }

    /**
     * Calls {@code request} for every key, at most {@code threads} at a time.
     *
     * @return key to result
     * @throws IOException the first failure, after every request has ended
     */
    static Map<String, String> map(List<String> keys, int threads, Request request) throws IOException {
        Map<String, String> results = new TreeMap<>();
        if (keys.isEmpty()) {
            return results;
        }
        if (keys.size() == 1) {
            results.put(keys.get(0), request.call(keys.get(0)));
            return results;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, keys.size()));
        try {
            List<Future<String>> futures = keys.stream()
                    .map(key -> pool.submit(() -> request.call(key)))
                    .toList();
            IOException failure = null;
            for (int i = 0; i < keys.size(); i++) {
                try {
                    results.put(keys.get(i), futures.get(i).get());
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof IOException io
                                ? io
                                : new IOException(e.getCause().getMessage(), e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            if (failure != null) {
                throw failure;
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
