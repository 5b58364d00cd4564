package dev.kbr.execute;

import java.io.IOException;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Where Secret values come from outside a cluster; supplied by the composition root. Values are
 * never logged or reported.
 */
@FunctionalInterface
public interface Secrets {
    /**
     * The keys of a Secret.
     *
     * @param namespace the Secret's namespace
     * @param name the Secret's name
     * @return key to value, or empty when there is no such Secret
     * @throws IOException when the Secret exists but cannot be read
     */
    Optional<SortedMap<String, String>> secret(String namespace, String name) throws IOException;

    /**
     * The keys of a Secret as bytes, as a {@code secret} volume holds them: a key may hold binary
     * content (a keystore, a certificate in DER), which text would corrupt. Sources that hold only
     * text give its UTF-8 bytes.
     *
     * @param namespace the Secret's namespace
     * @param name the Secret's name
     * @return key to content, or empty when there is no such Secret
     * @throws IOException when the Secret exists but cannot be read
     */
    default Optional<SortedMap<String, byte[]>> secretBytes(String namespace, String name) throws IOException {
        Optional<SortedMap<String, String>> texts = secret(namespace, name);
        if (texts.isEmpty()) {
            return Optional.empty();
        }
        SortedMap<String, byte[]> keys = new java.util.TreeMap<>();
        texts.get().forEach((key, value) -> keys.put(key, value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return Optional.of(keys);
    }

    /**
     * The form a namespace, name or key takes in a {@code KBR_SECRET_<NAMESPACE>_<NAME>_<KEY>}
     * variable: upper case, every other character than A–Z and 0–9 as {@code _}.
     */
    static String envName(String part) {
        return part.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** No Secrets at all. */
    static Secrets none() {
        return (namespace, name) -> Optional.empty();
    }
}
