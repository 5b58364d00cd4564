package dev.kbr.pipeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Image prefix rewrites ({@code --image-mirror FROM=TO}): an image whose name starts with {@code
 * FROM} at a path boundary is run as {@code TO} followed by the rest of the reference.
 *
 * <p>{@code FROM} matches when it is the image's whole name (registry and repository path,
 * without tag or digest), or a prefix of the reference followed by {@code /}, {@code :} or
 * {@code @}; so {@code docker.io/lib} does not match {@code docker.io/library/x}. When several
 * match, the longest {@code FROM} wins. Matching is on the reference as written in the Promise:
 * {@code redis} is not treated as {@code docker.io/library/redis}.
 *
 * @param mirrors the rewrites, longest {@code FROM} first
 */
public record ImageMirrors(List<Mirror> mirrors) {
    /** No rewrites. */
    public static final ImageMirrors NONE = new ImageMirrors(List.of());

    /**
     * One rewrite.
     *
     * @param from the prefix to replace, non-empty, without a trailing {@code /}
     * @param to what replaces it, non-empty
     */
    public record Mirror(String from, String to) {
        public Mirror {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }

        /**
         * Parses {@code FROM=TO}.
         *
         * @throws IllegalArgumentException naming the value and the expected form when there is no
         *     {@code =}, or either side is empty
         */
        public static Mirror parse(String value) {
            int eq = value.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("--image-mirror '" + value
                        + "' has no '='; give FROM=TO, e.g. --image-mirror docker.io=registry.example.com/docker.io");
            }
            String from = strip(value.substring(0, eq));
            String to = strip(value.substring(eq + 1));
            if (from.isEmpty()) {
                throw new IllegalArgumentException("--image-mirror '" + value
                        + "' has an empty FROM; give the registry or repository prefix to replace before '='");
            }
            if (to.isEmpty()) {
                throw new IllegalArgumentException("--image-mirror '" + value
                        + "' has an empty TO; give the registry or repository prefix to use after '='");
            }
            return new Mirror(from, to);
        }

        private static String strip(String side) {
            String s = side.strip();
            while (s.endsWith("/")) {
                s = s.substring(0, s.length() - 1);
            }
            return s;
        }

        /** {@code image} rewritten, or empty when {@code from} does not match it at a boundary. */
        Optional<String> apply(String image) {
            if (!image.startsWith(from)) {
                return Optional.empty();
            }
            if (image.length() == from.length()) {
                return Optional.of(to);
            }
            char next = image.charAt(from.length());
            if (next != '/' && next != ':' && next != '@') {
                return Optional.empty();
            }
            if (next == ':' && from.indexOf('/') < 0 && image.indexOf('/', from.length()) >= 0) {
                // "host:5000/x": the ':' starts a registry port, not a tag, so "host" is not the name.
                return Optional.empty();
            }
            return Optional.of(to + image.substring(from.length()));
        }
    }

    public ImageMirrors {
        mirrors = mirrors.stream()
                .sorted(Comparator.comparingInt((Mirror m) -> m.from().length())
                        .reversed()
                        .thenComparing(Mirror::from))
                .toList();
    }

    /**
     * Parses every {@code --image-mirror} value.
     *
     * @throws IllegalArgumentException for the first malformed value, or the same FROM given twice
     */
    public static ImageMirrors parse(List<String> values) {
        List<Mirror> parsed = new ArrayList<>();
        for (String value : values) {
            Mirror mirror = Mirror.parse(value);
            if (parsed.stream().anyMatch(m -> m.from().equals(mirror.from()))) {
                throw new IllegalArgumentException(
                        "--image-mirror " + mirror.from() + "=… is given twice; keep one rewrite per FROM");
            }
            parsed.add(mirror);
        }
        return new ImageMirrors(parsed);
    }

    /** True when there is no rewrite. */
    public boolean isEmpty() {
        return mirrors.isEmpty();
    }

    /** {@code image} with the longest matching prefix replaced, or unchanged when none matches. */
    public String rewrite(String image) {
        for (Mirror mirror : mirrors) {
            Optional<String> rewritten = mirror.apply(image);
            if (rewritten.isPresent()) {
                return rewritten.get();
            }
        }
        return image;
    }
}
