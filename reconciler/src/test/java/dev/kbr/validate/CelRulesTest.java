package dev.kbr.validate;

import static dev.kbr.validate.TestDocuments.api;
import static dev.kbr.validate.TestDocuments.thing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.kbr.model.Diagnostic;
import dev.kbr.model.LineMap;
import dev.kbr.model.Promise;
import dev.kbr.model.PromiseApi;
import dev.kbr.model.Severity;
import dev.kbr.model.SourceLocation;
import dev.kbr.model.Workflows;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@code x-kubernetes-validations} rules, through {@link RequestValidator} and {@link PromiseValidator}. */
class CelRulesTest {
    private final SchemaCache schemas = new SchemaCache();
    private final RequestValidator validator = new RequestValidator(schemas);

    private static final String HEADER = """
            apiVersion: test.kbr.dev/v1
            kind: Thing
            metadata:
              name: example
              namespace: default
            """;

    private ValidationResult validate(String schema, String spec) {
        return validator.validate(thing(HEADER + spec), api(schema));
    }

    private static List<String> errors(ValidationResult result) {
        return messages(result.diagnostics(), Severity.ERROR);
    }

    private static List<String> messages(List<Diagnostic> diagnostics, Severity severity) {
        return diagnostics.stream()
                .filter(d -> d.severity() == severity)
                .map(d -> d.field() + ": " + d.message())
                .toList();
    }

    /** A schema whose spec has {@code fields} and the rules {@code rules} (YAML flow lists). */
    private static String spec(String fields, String rules) {
        return """
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                %s
                    x-kubernetes-validations:
                %s
                """.formatted(fields.indent(6), rules.indent(4));
    }

    private static List<Diagnostic> promiseDiagnostics(String schema) {
        PromiseApi api = api(schema);
        Promise promise = new Promise(
                "things",
                Map.of(),
                Optional.of(api),
                List.of(),
                new Workflows(List.of(), List.of(), List.of(), List.of()),
                List.of(),
                List.of(),
                TestDocuments.yaml("apiVersion: platform.kratix.io/v1alpha1\nkind: Promise\n"),
                SourceLocation.of("promise.yaml"),
                LineMap.empty());
        return new PromiseValidator().validate(promise);
    }

    @Test
    void reportsAFalseRuleAtItsNodeWithItsMessage() {
        String schema = spec("""
                a: {type: string}
                b: {type: string}
                """, """
                - rule: has(self.a) || has(self.b)
                  message: set a or b
                """);

        assertThat(errors(validate(schema, "spec:\n  a: x\n"))).isEmpty();
        assertThat(errors(validate(schema, "spec: {}\n"))).containsExactly("spec: set a or b");
    }

    @Test
    void namesTheRuleWhenItHasNoMessageAndHonoursFieldPath() {
        String schema = spec("replicas: {type: integer}", """
                - rule: self.replicas < 5
                - rule: self.replicas != 3
                  fieldPath: .replicas
                  message: three is unlucky
                """);

        assertThat(errors(validate(schema, "spec:\n  replicas: 3\n")))
                .containsExactly("spec.replicas: three is unlucky");
        assertThat(errors(validate(schema, "spec:\n  replicas: 7\n")))
                .containsExactly("spec: failed rule: self.replicas < 5");
    }

    @Test
    void evaluatesRulesForEveryListItemAndMapValue() {
        String schema = """
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      items:
                        type: array
                        items:
                          type: object
                          properties:
                            name: {type: string}
                          x-kubernetes-validations:
                          - {rule: "self.name.startsWith('x')", message: must start with x}
                      labels:
                        type: object
                        additionalProperties:
                          type: string
                          x-kubernetes-validations:
                          - {rule: self.size() <= 3, message: at most 3 characters}
                """;

        ValidationResult result = validate(schema, """
                spec:
                  items:
                  - name: xa
                  - name: b
                  labels:
                    ok: abc
                    long: abcd
                """);

        assertThat(errors(result))
                .containsExactly("spec.items[1]: must start with x", "spec.labels.long: at most 3 characters");
    }

    @Test
    void seesDefaultsAndMacrosAndStringFunctions() {
        String schema = spec("""
                size: {type: string, default: small}
                ports: {type: array, items: {type: integer}}
                name: {type: string}
                """, """
                - rule: self.size == 'small'
                - rule: self.ports.all(p, p > 1000) && self.ports.exists(p, p == 8080)
                - rule: self.name.matches('^[a-z]+$') && self.name.size() < 10 && self.name.startsWith('we')
                - rule: self.ports.isSorted() && self.ports.sum() == 17080 && self.ports.max() == 9000
                - rule: self.name.find('[b-e]+') == 'eb' && self.name.upperAscii() == 'WEB'
                - rule: "!has(self.missing) || self.missing.matches('x')"
                """);

        ValidationResult result = validate(schema, "spec:\n  ports: [8080, 9000]\n  name: web\n");

        assertThat(result.diagnostics()).isEmpty();
    }

    @Test
    void typesNumberFieldsAsDoublesAndEscapesPropertyNames() {
        String schema = spec("""
                ratio: {type: number}
                my-field: {type: string}
                """, """
                - rule: self.ratio == 1.0 && self.ratio > 0.5
                - rule: self.my__dash__field == 'v'
                """);

        assertThat(validate(schema, "spec:\n  ratio: 1\n  my-field: v\n").diagnostics())
                .isEmpty();
    }

    @Test
    void bindsSelfToTheWholeRequestAtTheRoot() {
        String schema = """
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      size: {type: string}
                x-kubernetes-validations:
                - rule: self.metadata.name.startsWith('ex') && self.spec.size == 'small'
                  message: wrong
                - rule: "!has(self.metadata.labels) && !has(self.status)"
                  message: rules see only metadata.name and generateName, and never status
                """;

        assertThat(validate(schema, "spec:\n  size: small\nstatus: {a: b}\n").diagnostics())
                .isEmpty();
        assertThat(errors(validate(schema, "spec:\n  size: large\n"))).containsExactly(": wrong");
    }

    @Test
    void skipsTransitionRulesButRunsOptionalOldSelfRules() {
        String schema = spec("size: {type: string}", """
                - rule: self == oldSelf
                  message: immutable
                - rule: "!oldSelf.hasValue() && self.size == 'small'"
                  optionalOldSelf: true
                  message: must start small
                """);

        assertThat(validate(schema, "spec:\n  size: small\n").diagnostics()).isEmpty();
        assertThat(errors(validate(schema, "spec:\n  size: large\n"))).containsExactly("spec: must start small");
    }

    @Test
    void usesTheMessageExpressionWhenItWorks() {
        String schema = spec("replicas: {type: integer}", """
                - rule: self.replicas <= 3
                  messageExpression: "'replicas must be at most 3, not ' + string(self.replicas)"
                  message: too many replicas
                - rule: self.replicas <= 2
                  messageExpression: self.nothing
                  message: fallback message
                """);

        assertThat(errors(validate(schema, "spec:\n  replicas: 4\n")))
                .containsExactly("spec: fallback message", "spec: replicas must be at most 3, not 4");
    }

    @Test
    void reportsARuleThatFailsToRun() {
        String schema = spec("a: {type: string}", "- rule: self.a == 'x'\n  message: a must be x\n");

        assertThat(errors(validate(schema, "spec: {}\n")))
                .containsExactly("spec: key 'a' is not present in map evaluating rule: a must be x");
    }

    @Test
    void doesNotCheckNullValues() {
        String schema = spec(
                "a:\n  type: string\n  nullable: true\n  x-kubernetes-validations: [{rule: self.size() > 5}]",
                "- rule: 'true'");

        assertThat(validate(schema, "spec:\n  a: null\n").diagnostics()).isEmpty();
        assertThat(errors(validate(schema, "spec:\n  a: abc\n")))
                .containsExactly("spec.a: failed rule: self.size() > 5");
    }

    @Test
    void skipsRulesWhileTypeErrorsRemainAsTheApiServerDoes() {
        String schema = spec("replicas: {type: integer}", "- {rule: self.replicas < 5, message: too many}");

        ValidationResult result = validate(schema, "spec:\n  replicas: lots\n");

        assertThat(errors(result)).singleElement().asString().startsWith("spec.replicas: must be an integer");
        assertThat(messages(result.diagnostics(), Severity.WARNING))
                .singleElement()
                .asString()
                .contains("x-kubernetes-validations rules of Promise things were not checked");
    }

    @Test
    void reportsRulesThatDoNotCompileOnThePromiseAndOnEachRequest() {
        String schema = spec("a: {type: string}", """
                - rule: self.a +
                - rule: "'not a boolean'"
                - rule: self.a.size() > 0
                  fieldPath: .nope
                - message: no rule
                - rule: has(self.a)
                """);

        List<String> promise = messages(promiseDiagnostics(schema), Severity.ERROR);
        String at = "spec.api.spec.versions[0].schema.openAPIV3Schema.properties.spec.x-kubernetes-validations";
        assertThat(promise).hasSize(4);
        assertThat(promise.get(0)).startsWith(at + "[0].rule: \"self.a +\" does not compile: ");
        assertThat(promise.get(1))
                .startsWith(at + "[1].rule: \"'not a boolean'\" must evaluate to true or false but evaluates to"
                        + " string");
        assertThat(promise.get(2))
                .startsWith(at + "[2].fieldPath: \".nope\" is not a valid field path: it names \"nope\", which the"
                        + " schema does not define");
        assertThat(promise.get(3)).startsWith(at + "[3].rule: is required");
        assertThat(promise).allSatisfy(m -> assertThat(m).endsWith("would reject this Promise's API"));

        ValidationResult request = validate(schema, "spec: {}\n");
        assertThat(errors(request))
                .hasSize(5)
                .filteredOn(e -> e.contains("cannot be fully checked: the API schema of Promise things is broken at"
                        + " openAPIV3Schema.properties.spec.x-kubernetes-validations["))
                .hasSize(4);
        assertThat(errors(request)).contains("spec: failed rule: has(self.a)");
    }

    @Test
    void warnsAboutRulesThatNeedKubernetesLibrariesKbrLacks() {
        String schema = spec("memory: {type: string}", "- rule: quantity(self.memory).isLessThan(quantity('1Gi'))");

        assertThat(messages(promiseDiagnostics(schema), Severity.WARNING))
                .singleElement()
                .asString()
                .contains("uses quantity(), isLessThan() of Kubernetes' CEL libraries, which kbr does not provide");
        assertThat(validate(schema, "spec:\n  memory: 2Gi\n").diagnostics()).isEmpty();
    }

    @Test
    void stopsARuleThatRunsTooLong() {
        String items = IntStream.range(0, 200).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        String schema = spec(
                "n: {type: array, items: {type: integer}}",
                "- rule: self.n.all(x, self.n.all(y, self.n.all(z, true)))");

        ValidationResult[] result = new ValidationResult[1];
        assertThatCode(() -> result[0] = validate(schema, "spec:\n  n: [" + items + "]\n"))
                .doesNotThrowAnyException();

        assertThat(errors(result[0])).singleElement().asString().contains("took more than 1000000 evaluation steps");
    }

    @Test
    void compilesEachRuleOncePerApi() {
        PromiseApi api = api(spec("a: {type: string}", "- rule: has(self.a)"));

        assertThat(schemas.of(api)).isSameAs(schemas.of(api));
        assertThat(schemas.of(api).celRules().isEmpty()).isFalse();
    }

    @Test
    void parsesFieldPathsTheWayTheApiServerDoes() {
        var schema = TestDocuments.yaml("""
                type: object
                properties:
                  a:
                    type: object
                    properties:
                      b.c: {type: string}
                  m:
                    type: object
                    additionalProperties: {type: string}
                """);

        assertThat(CelNames.fieldPath(".a['b.c']", schema)).containsExactly("a", "b.c");
        assertThat(CelNames.fieldPath(".m.anyKey", schema)).containsExactly("m", "anyKey");
        assertThatCode(() -> CelNames.fieldPath("a", schema)).isInstanceOf(IllegalArgumentException.class);
        assertThatCode(() -> CelNames.fieldPath(".a.b", schema)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void escapesPropertyNamesAsKubernetesDoes() {
        assertThat(CelNames.escape("my-field")).contains("my__dash__field");
        assertThat(CelNames.escape("a.b/c__d")).contains("a__dot__b__slash__c__underscores__d");
        assertThat(CelNames.escape("namespace")).contains("__namespace__");
        assertThat(CelNames.escape("1abc")).isEmpty();
    }
}
