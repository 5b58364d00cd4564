package dev.kbr.pipeline;

import dev.kbr.model.EnvVar;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Kubernetes' {@code $(VAR_NAME)} references, as the kubelet expands them in a container's {@code
 * env} values, {@code command} and {@code args} (core/v1 {@code Container}; the kubelet's {@code
 * third_party/forked/golang/expansion}).
 *
 * <p>Rules, applied left to right in one pass: {@code $(NAME)} becomes the variable's value; a
 * reference to an unknown variable stays as written; {@code $$} becomes {@code $}, so {@code
 * $$(NAME)} gives the literal {@code $(NAME)}; a {@code $} before any other character, or at the
 * end, stays; a {@code $(} with no {@code )} after it stays. A name runs to the first {@code )},
 * so {@code $(A$(B))} looks up the unknown name {@code A$(B} and stays unchanged. Expanded values
 * are not expanded again.
 *
 * <p>Pure and thread-safe.
 */
public final class EnvExpansion {
    private EnvExpansion() {}

    /**
     * Expands the references in one string.
     *
     * @param input the text, e.g. {@code --name=$(KRATIX_OBJECT_NAME)}
     * @param variables the values references may resolve to, by name
     * @return the expanded text; {@code input} itself when it holds no {@code $}
     */
    public static String expand(String input, Map<String, String> variables) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(variables, "variables");
        if (input.indexOf('$') < 0) {
            return input;
        }
        StringBuilder out = new StringBuilder(input.length());
        int i = 0;
        int length = input.length();
        while (i < length) {
            char c = input.charAt(i);
            if (c != '$' || i + 1 == length) {
                out.append(c);
                i++;
                continue;
            }
            char next = input.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
            } else if (next == '(') {
                int close = input.indexOf(')', i + 2);
                if (close < 0) {
                    // Kubernetes keeps "$(" and goes on scanning after it, so a later "$$" is
                    // still reduced.
                    out.append("$(");
                    i += 2;
                } else {
                    String name = input.substring(i + 2, close);
                    String value = variables.get(name);
                    if (value != null) {
                        out.append(value);
                    } else {
                        out.append(input, i, close + 1);
                    }
                    i = close + 1;
                }
            } else {
                out.append('$').append(next);
                i += 2;
            }
        }
        return out.toString();
    }

    /**
     * Expands the references in each string.
     *
     * @param inputs e.g. a container's {@code args}
     * @param variables the values references may resolve to, by name
     * @return the expanded strings, in order; unmodifiable
     */
    public static List<String> expandAll(List<String> inputs, Map<String, String> variables) {
        List<String> result = new ArrayList<>(inputs.size());
        for (String input : inputs) {
            result.add(expand(input, variables));
        }
        return Collections.unmodifiableList(result);
    }

    /**
     * A container's environment as the kubelet builds it: the invocation's variables, then the
     * container's own, in order. Each own plain value is expanded against the variables defined
     * before it (so it may use {@code $(KRATIX_OBJECT_NAME)} or an earlier own variable, but not
     * a later one); values taken from a Secret are used as they are, never expanded. A name set
     * again replaces the earlier value and moves to the end, so the container's value wins as
     * when Kubernetes appends it.
     *
     * <p>The invocation's values are used as they are: they are Kubernetes names and fixed words,
     * which cannot hold a {@code $}.
     *
     * @param invocation the {@code KRATIX_*} variables
     * @param own the container's {@code env}, with Secret and ConfigMap values already resolved (those are not expanded)
     * @return every variable once, by name, in the order described; unmodifiable
     */
    public static Map<String, String> environment(Map<String, String> invocation, List<EnvVar> own) {
        Map<String, String> env = new LinkedHashMap<>(invocation);
        for (EnvVar variable : own) {
            String value = variable.fromReference() ? variable.value() : expand(variable.value(), env);
            env.remove(variable.name());
            env.put(variable.name(), value);
        }
        return Collections.unmodifiableMap(env);
    }
}
