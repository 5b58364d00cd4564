package dev.kbr.platformapi;

import java.io.IOException;
import java.util.Optional;
import java.util.SortedMap;

/** Where Secrets served by name come from (kbr's {@code --secrets-dir}); values are never logged. */
@FunctionalInterface
public interface SecretSource {
    /**
     * @return the Secret's keys and values, or empty when there is no such Secret
     * @throws IOException when it exists but cannot be read
     */
    Optional<SortedMap<String, String>> secret(String namespace, String name) throws IOException;
}
