package dev.kbr.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class Re2PatternTest {
    private static boolean finds(String re2, String value) {
        return Re2Pattern.compile(re2).matcher(value).find();
    }

    static Stream<Arguments> searches() {
        return Stream.of(
                // Unanchored search, as Go's regexp.MatchString.
                arguments("abc", "xxabcxx", true),
                arguments("^abc", "xxabc", false),
                // '$' is the end of the text only: a trailing newline does not match.
                arguments("^(small|large)$", "small", true),
                arguments("^(small|large)$", "small\n", false),
                arguments("(?m)^small$", "small\nlarge", true),
                // '.' stops only at a newline.
                arguments("^a.b$", "a\rb", true),
                // A brace that starts no repetition is a literal.
                arguments("^a{,3}$", "a{,3}", true),
                arguments("^a{2,3}$", "aaa", true),
                arguments("^a{2,3}$", "aaaa", false),
                // POSIX classes, and '[' '&' ']' as literals in classes.
                arguments("^[[:alpha:]]+$", "abcXYZ", true),
                arguments("^[[:alpha:]]+$", "abc1", false),
                arguments("^[[:^digit:]]+$", "abc", true),
                arguments("^[[]+$", "[[", true),
                arguments("^[a&&b]+$", "&&", true),
                arguments("^[]a]+$", "]a]", true),
                // Named groups, flags, escapes and Unicode classes.
                arguments("^(?P<word>[a-z]+)$", "hello", true),
                arguments("(?U)a+", "aaa", true),
                arguments("(?i)^small$", "SMALL", true),
                arguments("\\v", "\u000B", true),
                arguments("^\\p{Greek}+$", "αβγ", true),
                arguments("^\\pL+$", "abc", true),
                // Patterns from the corpus.
                arguments(
                        "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$",
                        "512Mi",
                        true),
                arguments("any|\\d+", "42", true),
                arguments(
                        "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$",
                        "kratix.io/name",
                        true),
                arguments("^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$", "*/5 * * * *", true));
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @MethodSource("searches")
    void matchesAsGoWould(String re2, String value, boolean expected) {
        assertThat(finds(re2, value)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "^(?![0-9]+$)(?!-)[a-zA-Z0-9-]{,63}(?<!-)$",
                "(?=a)",
                "(?<=a)b",
                "(a)\\1",
                "(?>a)",
                "a*+",
                "a{2}{3}",
                "a{1001}",
                "(?x)a",
                "[a-z",
                "\\Z",
                "[[:nope:]]",
                "(unclosed",
            })
    void rejectsWhatRe2Rejects(String re2) {
        assertThatThrownBy(() -> Re2Pattern.compile(re2)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a*?", "a??", "a+?b", "a{2,3}?"})
    void acceptsLazyRepetitions(String re2) {
        assertThat(Re2Pattern.compile(re2)).isNotNull();
    }
}
