package dev.kbr.cli;

import dev.kbr.execute.Secrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Secrets as a Kubernetes Secret volume lays them out: {@code <dir>/<namespace>/<name>/<key>}, one
 * file per key; plus environment variables {@code KBR_SECRET_<NAMESPACE>_<NAME>_<KEY>} (upper
 * case, non-alphanumerics as {@code _}), which win over files. Hidden files (the {@code ..data}
 * links of a mounted Secret) are skipped.
 */
final class MountedSecrets implements Secrets {
    private final Optional<Path> dir;
    private final Map<String, String> environment;

    MountedSecrets(Optional<Path> dir, Map<String, String> environment) {
        this.dir = dir;
        this.environment = environment;
    }

    /**
     * The Secret's keys as text; a file that is not UTF-8 is decoded with replacement characters
     * (variables and credentials are text), while {@link #secretBytes} keeps its bytes.
     */
    @Override
    public Optional<SortedMap<String, String>> secret(String namespace, String name) throws IOException {
        return secretBytes(namespace, name).map(keys -> {
            SortedMap<String, String> texts = new TreeMap<>();
            keys.forEach((key, value) -> texts.put(key, new String(value, StandardCharsets.UTF_8)));
            return texts;
        });
    }

    @Override
    public Optional<SortedMap<String, byte[]>> secretBytes(String namespace, String name) throws IOException {
        SortedMap<String, byte[]> keys = new TreeMap<>();
        boolean found = false;
        if (dir.isPresent()) {
            Path folder = dir.get().resolve(namespace).resolve(name).normalize();
            if (folder.startsWith(dir.get().normalize()) && Files.isDirectory(folder)) {
                found = true;
                try (Stream<Path> files = Files.list(folder)) {
                    for (Path file : files.sorted().toList()) {
                        String key = file.getFileName().toString();
                        if (!key.startsWith(".") && Files.isRegularFile(file)) {
                            keys.put(key, Files.readAllBytes(file));
                        }
                    }
                }
            }
        }
        String prefix = "KBR_SECRET_" + envName(namespace) + "_" + envName(name) + "_";
        for (var e : environment.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                found = true;
                // Environment variables cannot keep a key's case or punctuation; match it back to a
                // file key when one exists, else use the lower-cased remainder.
                String rest = e.getKey().substring(prefix.length());
                String key = keys.keySet().stream()
                        .filter(k -> envName(k).equals(rest))
                        .findFirst()
                        .orElse(rest.toLowerCase(Locale.ROOT));
                keys.put(key, e.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        return found ? Optional.of(keys) : Optional.empty();
    }

    private static String envName(String part) {
        return Secrets.envName(part);
    }
}
