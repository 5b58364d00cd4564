package dev.kbr.platformapi.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code labelSelector} and {@code fieldSelector} query parameters of a list, with Kubernetes'
 * grammar ({@code apimachinery/pkg/labels/selector.go}, {@code fields/selector.go}): requirements
 * joined by commas, all of which must hold. Labels: {@code k=v}, {@code k==v}, {@code k!=v},
 * {@code k in (a,b)}, {@code k notin (a,b)}, {@code k}, {@code !k}; {@code !=} and {@code notin}
 * also match objects without the label, as in Kubernetes. Fields: {@code metadata.name} and
 * {@code metadata.namespace} with {@code =}, {@code ==}, {@code !=}.
 */
final class Selectors {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?");
    private static final Pattern SET = Pattern.compile("(\\S+)\\s+(in|notin)\\s*\\((.*)\\)");

    private Selectors() {}

    /**
     * @param selector the parameter's value, {@code null} or blank for none
     * @throws ApiError 400 when it does not parse
     */
    static Predicate<ObjectNode> labels(String selector) {
        Predicate<ObjectNode> all = object -> true;
        for (String part : split(selector)) {
            all = all.and(labelRequirement(part));
        }
        return all;
    }

    /**
     * @param selector the parameter's value, {@code null} or blank for none
     * @throws ApiError 400 when it does not parse or names another field
     */
    static Predicate<ObjectNode> fields(String selector) {
        Predicate<ObjectNode> all = object -> true;
        for (String part : split(selector)) {
            String[] operands = operands(part, "field selector");
            String field = operands[0];
            if (!field.equals("metadata.name") && !field.equals("metadata.namespace")) {
                throw ApiError.badRequest("field label not supported: " + field
                        + " (kbr serves fieldSelector on metadata.name and metadata.namespace)");
            }
            String key = field.substring("metadata.".length());
            String value = operands[2];
            boolean equal = !operands[1].equals("!=");
            all = all.and(object -> object.path("metadata").path(key).asText("").equals(value) == equal);
        }
        return all;
    }

    private static Predicate<ObjectNode> labelRequirement(String part) {
        if (part.startsWith("!")) {
            String key = key(part.substring(1).trim(), part);
            return object -> label(object, key) == null;
        }
        Matcher set = SET.matcher(part);
        if (set.matches()) {
            String key = key(set.group(1), part);
            String inside = set.group(3).trim();
            Set<String> values = inside.isEmpty()
                    ? Set.of()
                    : Arrays.stream(inside.split(",", -1)).map(String::trim).collect(Collectors.toSet());
            boolean in = set.group(2).equals("in");
            return object -> {
                String value = label(object, key);
                return in ? value != null && values.contains(value) : value == null || !values.contains(value);
            };
        }
        if (part.contains("=")) {
            String[] operands = operands(part, "label selector");
            String key = key(operands[0], part);
            String value = operands[2];
            if (operands[1].equals("!=")) {
                return object -> !value.equals(label(object, key));
            }
            return object -> value.equals(label(object, key));
        }
        String key = key(part, part);
        return object -> label(object, key) != null;
    }

    /** {@code [left, operator, right]} of {@code a=b}, {@code a==b} or {@code a!=b}. */
    private static String[] operands(String part, String what) {
        int eq = part.indexOf('=');
        if (eq < 0) {
            throw ApiError.badRequest("invalid " + what + " \"" + part + "\": expected =, == or !=");
        }
        boolean not = eq > 0 && part.charAt(eq - 1) == '!';
        boolean twice = eq + 1 < part.length() && part.charAt(eq + 1) == '=';
        String left = part.substring(0, not ? eq - 1 : eq).trim();
        String right = part.substring(twice && !not ? eq + 2 : eq + 1).trim();
        return new String[] {left, not ? "!=" : "=", right};
    }

    private static String key(String key, String part) {
        if (!KEY.matcher(key).matches()) {
            throw ApiError.badRequest("invalid label selector \"" + part + "\": bad label key \"" + key + "\"");
        }
        return key;
    }

    private static String label(ObjectNode object, String key) {
        JsonNode value = object.path("metadata").path("labels").get(key);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** Splits on commas outside parentheses, so {@code k in (a,b),x=y} is two requirements. */
    private static List<String> split(String selector) {
        List<String> parts = new ArrayList<>();
        if (selector == null || selector.isBlank()) {
            return parts;
        }
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (char c : selector.toCharArray()) {
            if (c == ',' && depth == 0) {
                parts.add(current.toString().trim());
                current.setLength(0);
                continue;
            }
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            current.append(c);
        }
        parts.add(current.toString().trim());
        if (depth != 0 || parts.stream().anyMatch(String::isEmpty)) {
            throw ApiError.badRequest("invalid selector \"" + selector + "\"");
        }
        return parts;
    }
}
