package dev.kbr.validate;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Kubernetes name rules ({@code k8s.io/apimachinery/pkg/util/validation/validation.go}): DNS-1123
 * labels and subdomains, label keys (qualified names) and label values. Each check returns what is
 * wrong, phrased to follow "it ...", or empty when the value is valid.
 */
final class KubernetesNames {
    /** Longest DNS-1123 label, label value, or name part of a label key. */
    static final int LABEL_MAX = 63;

    /** Longest DNS-1123 subdomain, e.g. an object name or a label key prefix. */
    static final int SUBDOMAIN_MAX = 253;

    private static final String LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final Pattern DNS_LABEL = Pattern.compile(LABEL);
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile(LABEL + "(\\." + LABEL + ")*");
    private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

    private static final String LABEL_CHARACTERS =
            "may contain only lowercase letters, digits and '-', and must start and end with a letter or digit";
    private static final String SUBDOMAIN_CHARACTERS = "may contain only lowercase letters, digits, '-' and '.',"
            + " and each '.'-separated part must start and end with a letter or digit";
    private static final String QUALIFIED_CHARACTERS =
            "may contain only letters, digits, '-', '_' and '.', and must start and end with a letter or digit";

    private KubernetesNames() {}

    /** A DNS-1123 label (RFC 1123), as for namespaces and container names. */
    static Optional<String> dns1123LabelProblem(String value) {
        if (value.isEmpty()) {
            return Optional.of("is empty");
        }
        if (value.length() > LABEL_MAX) {
            return Optional.of(tooLong(value, LABEL_MAX));
        }
        return DNS_LABEL.matcher(value).matches() ? Optional.empty() : Optional.of(LABEL_CHARACTERS);
    }

    /** A DNS-1123 subdomain, as for the names of most Kubernetes objects. */
    static Optional<String> dns1123SubdomainProblem(String value) {
        if (value.isEmpty()) {
            return Optional.of("is empty");
        }
        if (value.length() > SUBDOMAIN_MAX) {
            return Optional.of(tooLong(value, SUBDOMAIN_MAX));
        }
        return DNS_SUBDOMAIN.matcher(value).matches() ? Optional.empty() : Optional.of(SUBDOMAIN_CHARACTERS);
    }

    /** A label key: an optional DNS-1123 subdomain prefix and '/', then a name of at most 63 characters. */
    static Optional<String> labelKeyProblem(String key) {
        String[] parts = key.split("/", -1);
        if (parts.length > 2) {
            return Optional.of("has more than one '/'; a key is an optional prefix, '/', and a name");
        }
        String name = parts[parts.length - 1];
        if (parts.length == 2) {
            Optional<String> prefix = dns1123SubdomainProblem(parts[0]);
            if (prefix.isPresent()) {
                return Optional.of("has a prefix (before '/') that " + prefix.get());
            }
        }
        if (name.isEmpty()) {
            return Optional.of("has an empty name part");
        }
        if (name.length() > LABEL_MAX) {
            return Optional.of("has a name part that " + tooLong(name, LABEL_MAX));
        }
        return QUALIFIED_NAME.matcher(name).matches()
                ? Optional.empty()
                : Optional.of("has a name part that " + QUALIFIED_CHARACTERS);
    }

    /** A label value: empty, or at most 63 characters of the qualified-name alphabet. */
    static Optional<String> labelValueProblem(String value) {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (value.length() > LABEL_MAX) {
            return Optional.of(tooLong(value, LABEL_MAX));
        }
        return QUALIFIED_NAME.matcher(value).matches() ? Optional.empty() : Optional.of(QUALIFIED_CHARACTERS);
    }

    private static String tooLong(String value, int max) {
        return "is " + value.length() + " characters long, more than the " + max + " allowed";
    }
}
