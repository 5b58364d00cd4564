package dev.kbr.validate;

import static dev.kbr.validate.TestDocuments.api;
import static dev.kbr.validate.TestDocuments.thing;
import static dev.kbr.validate.TestDocuments.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.model.Diagnostic;
import dev.kbr.model.LineMap;
import dev.kbr.model.PromiseApi;
import dev.kbr.model.ResourceRequest;
import dev.kbr.model.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestValidatorTest {
    private final RequestValidator validator = new RequestValidator();

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
        return result.diagnostics().stream()
                .filter(Diagnostic::isError)
                .map(d -> d.field() + ": " + d.message())
                .toList();
    }

    private static List<String> warnings(ValidationResult result) {
        return result.diagnostics().stream()
                .filter(d -> d.severity() == Severity.WARNING)
                .map(d -> d.field() + ": " + d.message())
                .toList();
    }

    // --- defaults ---------------------------------------------------------------------------

    @Test
    void appliesScalarDefaultsToAbsentFields() {
        ValidationResult result = validate("""
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      size: {type: string, default: small}
                      replicas: {type: integer, default: 1}
                      enabled: {type: boolean, default: false}
                """, "spec:\n  replicas: 3\n");

        assertThat(result.diagnostics()).isEmpty();
        assertThat(result.object().path("spec")).isEqualTo(yaml("size: small\nreplicas: 3\nenabled: false\n"));
    }

    @Test
    void appliesDefaultsNestedInsideADefaultedObject() {
        ValidationResult result = validate("""
                type: object
                properties:
                  spec:
                    type: object
                    default: {}
                    properties:
                      service:
                        type: object
                        default: {}
                        properties:
                          port: {type: integer, default: 8080}
                          tls:
                            type: object
                            default: {enabled: true}
                            properties:
                              enabled: {type: boolean}
                              version: {type: string, default: "1.3"}
                """, "");

        assertThat(result.diagnostics()).isEmpty();
        assertThat(result.object().path("spec"))
                .isEqualTo(yaml("service: {port: 8080, tls: {enabled: true, version: '1.3'}}"));
    }

    @Test
    void appliesDefaultsInsideListItemsAndMapValues() {
        ValidationResult result = validate("""
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      users:
                        type: array
                        items:
                          type: object
                          properties:
                            name: {type: string}
                            role: {type: string, default: reader}
                      buckets:
                        type: object
                        additionalProperties:
                          type: object
                          properties:
                            versioned: {type: boolean, default: true}
                """, """
                spec:
                  users:
                  - name: ann
                  - name: bob
                    role: admin
                  buckets:
                    logs: {}
                    data: {versioned: false}
                """);

        assertThat(result.diagnostics()).isEmpty();
        assertThat(result.object().path("spec")).isEqualTo(yaml("""
                        users:
                        - {name: ann, role: reader}
                        - {name: bob, role: admin}
                        buckets:
                          logs: {versioned: true}
                          data: {versioned: false}
                        """));
    }

    @Test
    void replacesANullWithTheDefaultUnlessNullable() {
        ValidationResult result = validate("""
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      size: {type: string, default: small}
                      note: {type: string, nullable: true, default: none}
                """, "spec:\n  size: null\n  note: null\n");

        assertThat(result.diagnostics()).isEmpty();
        assertThat(result.object().path("spec").path("size").asText()).isEqualTo("small");
        assertThat(result.object().path("spec").path("note").isNull()).isTrue();
    }

    @Test
    void neverChangesTheRequestItWasGiven() {
        ResourceRequest request = thing(HEADER + "spec:\n  unknown: 1\n");
        ObjectNode before = request.object().deepCopy();

        ValidationResult result = validator.validate(request, api("""
                        type: object
                        properties:
                          spec:
                            type: object
                            properties:
                              size: {type: string, default: small}
                        """));

        assertThat(request.object()).isEqualTo(before);
        assertThat(result.object()).isNotSameAs(request.object());
        assertThat(result.object().path("spec")).isEqualTo(yaml("size: small"));
    }

    // --- schema validation ------------------------------------------------------------------

    private static final String SIZES = """
            type: object
            properties:
              spec:
                type: object
                required: [size]
                properties:
                  size: {type: string, enum: [small, large]}
                  replicas: {type: integer, minimum: 1, maximum: 5}
                  ratio: {type: number, minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true}
                  name: {type: string, minLength: 3, maxLength: 8}
                  zones: {type: array, minItems: 1, maxItems: 2, items: {type: string}}
                  flag: {type: boolean}
                  database:
                    type: object
                    required: [engine]
                    properties:
                      engine: {type: string}
            """;

    @Test
    void reportsAValueOfTheWrongType() {
        ValidationResult result = validate(SIZES, "spec:\n  size: small\n  replicas: three\n  flag: 'yes'\n");

        assertThat(errors(result))
                .containsExactly(
                        "spec.flag: must be a boolean (true or false) but is a string (\"yes\"); change it to a"
                                + " boolean (true or false)",
                        "spec.replicas: must be an integer but is a string (\"three\"); change it to an integer");
    }

    @Test
    void suggestsRemovingQuotesAroundANumber() {
        ValidationResult result = validate(SIZES, "spec:\n  size: small\n  replicas: '3'\n");

        assertThat(errors(result))
                .containsExactly("spec.replicas: must be an integer but is a string (\"3\"); remove the quotes so YAML"
                        + " reads it as a number");
    }

    @Test
    void reportsMissingRequiredFieldsAtTopAndNestedLevels() {
        ValidationResult result = validate(SIZES, "spec:\n  database: {}\n");

        assertThat(errors(result))
                .containsExactly(
                        "spec.database.engine: is required by Promise things but missing; add spec.database.engine",
                        "spec.size: is required by Promise things but missing; add spec.size");
    }

    @Test
    void reportsARequiredSpecThatIsMissing() {
        ValidationResult result = validate("type: object\nrequired: [spec]\nproperties:\n  spec: {type: object}\n", "");

        assertThat(errors(result)).containsExactly("spec: is required by Promise things but missing; add spec");
    }

    @Test
    void reportsAValueOutsideTheEnum() {
        ValidationResult result = validate(SIZES, "spec:\n  size: medium\n");

        assertThat(errors(result))
                .containsExactly(
                        "spec.size: must be one of [small, large] but is \"medium\"; change it to one of those values");
    }

    @Test
    void matchesPatternsAnywhereInTheValueLikeRe2() {
        String schema = """
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      code: {type: string, pattern: abc}
                      env: {type: string, pattern: '^(dev|prod)$'}
                """;

        assertThat(validate(schema, "spec:\n  code: xxabcxx\n  env: prod\n").diagnostics())
                .isEmpty();
        assertThat(errors(validate(schema, "spec:\n  code: xyz\n  env: production\n")))
                .containsExactly(
                        "spec.code: must match the regular expression abc but is \"xyz\"; change it to match",
                        "spec.env: must match the regular expression ^(dev|prod)$ but is \"production\"; change it"
                                + " to match");
    }

    @Test
    void reportsNumbersOutsideTheirBounds() {
        assertThat(errors(validate(SIZES, "spec:\n  size: small\n  replicas: 0\n  ratio: 1\n")))
                .containsExactly(
                        "spec.ratio: must be less than 1 but is 1; lower it",
                        "spec.replicas: must be at least 1 but is 0; raise it");
        assertThat(errors(validate(SIZES, "spec:\n  size: small\n  replicas: 6\n  ratio: 0\n")))
                .containsExactly(
                        "spec.ratio: must be greater than 0 but is 0; raise it",
                        "spec.replicas: must be at most 5 but is 6; lower it");
        assertThat(validate(SIZES, "spec:\n  size: small\n  replicas: 5\n  ratio: 0.5\n")
                        .diagnostics())
                .isEmpty();
    }

    @Test
    void reportsLengthsAndItemCountsOutsideTheirBounds() {
        assertThat(errors(validate(SIZES, "spec:\n  size: small\n  name: ab\n  zones: []\n")))
                .containsExactly(
                        "spec.name: must be at least 3 characters long but is 2 (\"ab\"); lengthen it",
                        "spec.zones: must have at least 1 items but has 0; add items");
        assertThat(errors(validate(SIZES, "spec:\n  size: small\n  name: abcdefghi\n  zones: [a, b, c]\n")))
                .containsExactly(
                        "spec.name: must be at most 8 characters long but is 9; shorten it",
                        "spec.zones: must have at most 2 items but has 3; remove items");
    }

    @Test
    void acceptsNullOnlyWhereNullable() {
        String schema = """
                type: object
                properties:
                  spec:
                    type: object
                    required: [owner]
                    properties:
                      note: {type: string, nullable: true}
                      size: {type: string, nullable: true, enum: [small, large]}
                      owner: {type: string}
                """;

        ValidationResult nullable = validate(schema, "spec:\n  note: null\n  size: null\n  owner: me\n");
        assertThat(nullable.diagnostics()).isEmpty();
        assertThat(nullable.object().path("spec").path("note").isNull()).isTrue();

        // A null in a non-nullable field without default is dropped, as the API server does, so it
        // counts as missing.
        ValidationResult notNullable = validate(schema, "spec:\n  owner: null\n");
        assertThat(errors(notNullable))
                .containsExactly("spec.owner: is required by Promise things but missing; add spec.owner");
        assertThat(notNullable.object().path("spec").has("owner")).isFalse();
    }

    @Test
    void acceptsIntegersAndStringsWhereIntOrString() {
        String schema = """
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      port: {x-kubernetes-int-or-string: true}
                      maxUnavailable:
                        x-kubernetes-int-or-string: true
                        anyOf: [{type: integer}, {type: string}]
                """;

        assertThat(validate(schema, "spec:\n  port: 8080\n  maxUnavailable: 25%\n")
                        .diagnostics())
                .isEmpty();
        assertThat(validate(schema, "spec:\n  port: http\n  maxUnavailable: 1\n")
                        .diagnostics())
                .isEmpty();
        assertThat(errors(validate(schema, "spec:\n  port: true\n  maxUnavailable: [1]\n")))
                .containsExactly(
                        "spec.maxUnavailable: must be an integer or a string but is a list; change it to an integer"
                                + " or a string",
                        "spec.port: must be an integer or a string but is a boolean (true); put it in quotes so"
                                + " YAML reads it as a string");
    }

    @Test
    void keepsEverythingBelowPreserveUnknownFieldsAtTheRoot() {
        ValidationResult result = validate(
                "type: object\nx-kubernetes-preserve-unknown-fields: true\n",
                "spec:\n  anything: [1, {deep: true}]\nextra: field\n");

        assertThat(result.diagnostics()).isEmpty();
        assertThat(result.object().path("spec")).isEqualTo(yaml("anything: [1, {deep: true}]"));
        assertThat(result.object().path("extra").asText()).isEqualTo("field");
    }

    @Test
    void keepsUnknownFieldsBelowANestedPreserveButStillChecksKnownOnes() {
        String schema = """
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      values:
                        type: object
                        x-kubernetes-preserve-unknown-fields: true
                        properties:
                          replicas: {type: integer}
                """;

        ValidationResult ok = validate(schema, "spec:\n  values:\n    image: {tag: v1}\n    replicas: 2\n");
        assertThat(ok.diagnostics()).isEmpty();
        assertThat(ok.object().path("spec").path("values")).isEqualTo(yaml("image: {tag: v1}\nreplicas: 2"));

        assertThat(errors(validate(schema, "spec:\n  values:\n    replicas: two\n")))
                .containsExactly("spec.values.replicas: must be an integer but is a string (\"two\"); change it to"
                        + " an integer");
    }

    @Test
    void prunesUnknownFieldsWithAWarning() {
        ValidationResult result = validate(
                SIZES, "spec:\n  size: small\n  foo: bar\n  zones: [a]\n  database: {engine: pg, tier: gold}\n");

        assertThat(result.hasErrors()).isFalse();
        assertThat(warnings(result))
                .containsExactly(
                        "spec.database.tier: unknown field spec.database.tier was dropped, as the Kubernetes API"
                                + " server would; remove it or add it to the Promise API",
                        "spec.foo: unknown field spec.foo was dropped, as the Kubernetes API server would; remove it"
                                + " or add it to the Promise API");
        assertThat(result.object().path("spec")).isEqualTo(yaml("size: small\nzones: [a]\ndatabase: {engine: pg}"));
    }

    @Test
    void leavesStatusAndMetadataAlone() {
        ValidationResult result = validate("""
                type: object
                properties:
                  metadata:
                    type: object
                    properties:
                      name: {type: string, maxLength: 3}
                  status: {type: object, required: [phase]}
                  spec: {type: object}
                """, "status:\n  anything: here\n");

        assertThat(result.diagnostics()).isEmpty();
        assertThat(result.object().path("status")).isEqualTo(yaml("anything: here"));
        assertThat(result.object().path("metadata").path("namespace").asText()).isEqualTo("default");
    }

    // --- metadata ---------------------------------------------------------------------------

    private ValidationResult withMetadata(String metadata) {
        return validator.validate(
                thing("apiVersion: test.kbr.dev/v1\nkind: Thing\n" + metadata), api("type: object\n"));
    }

    @Test
    void rejectsANameLongerThan63Characters() {
        String name = "a".repeat(64);

        assertThat(errors(withMetadata("metadata:\n  name: " + name + "\n")))
                .containsExactly("metadata.name: is 64 characters long but Kratix allows at most 63 for resource"
                        + " requests; shorten it");
        assertThat(withMetadata("metadata:\n  name: " + "a".repeat(63) + "\n").diagnostics())
                .isEmpty();
    }

    @Test
    void rejectsNamesThatAreNotDns1123Subdomains() {
        assertThat(errors(withMetadata("metadata:\n  name: My_App\n")))
                .singleElement()
                .asString()
                .startsWith("metadata.name: \"My_App\" is not a valid Kubernetes name (a DNS-1123 subdomain)")
                .endsWith("; rename the request");
        assertThat(withMetadata("metadata:\n  name: my.app-1\n").diagnostics()).isEmpty();
    }

    @Test
    void requiresAName() {
        assertThat(errors(withMetadata("metadata:\n  namespace: default\n")))
                .singleElement()
                .asString()
                .startsWith("metadata.name: is required but missing; add metadata.name");
        assertThat(errors(withMetadata(""))).hasSize(1);
    }

    @Test
    void rejectsNamespacesThatAreNotDns1123Labels() {
        assertThat(errors(withMetadata("metadata:\n  name: ok\n  namespace: team.a\n")))
                .singleElement()
                .asString()
                .startsWith("metadata.namespace: \"team.a\" is not a valid namespace name (a DNS-1123 label)");
    }

    // --- locations --------------------------------------------------------------------------

    @Test
    void placesEachDiagnosticAtTheLineOfItsField() {
        LineMap lines = new LineMap(Map.of(
                "",
                1,
                "metadata",
                3,
                "metadata.name",
                4,
                "spec",
                5,
                "spec.size",
                6,
                "spec.foo",
                7,
                "spec.database",
                8));
        ResourceRequest request = TestDocuments.request(
                "things",
                yaml(HEADER + "spec:\n  size: medium\n  foo: 1\n  database: {}\n"),
                "requests/thing.yaml",
                lines);

        ValidationResult result = validator.validate(request, api(SIZES));

        assertThat(result.diagnostics())
                .extracting(d -> d.field() + "@" + d.location().line())
                .containsExactlyInAnyOrder("spec.size@6", "spec.foo@7", "spec.database.engine@8");
        assertThat(result.diagnostics())
                .allSatisfy(d -> assertThat(d.location().file()).isEqualTo("requests/thing.yaml"));
        assertThat(result.diagnostics().get(0).toString())
                .isEqualTo("requests/thing.yaml:6: error: spec.size: must be one of [small, large] but is"
                        + " \"medium\"; change it to one of those values");
    }

    @Test
    void reportsListItemsByIndex() {
        ValidationResult result = validate("""
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      users:
                        type: array
                        items:
                          type: object
                          required: [name]
                          properties:
                            name: {type: string}
                """, "spec:\n  users:\n  - name: ann\n  - {nickname: bob}\n");

        assertThat(result.diagnostics())
                .extracting(Diagnostic::field)
                .containsExactly("spec.users[1].name", "spec.users[1].nickname");
    }

    // --- broken schemas ---------------------------------------------------------------------

    @Test
    void ignoresUnknownKeywordsEvenWhenJavaCannotCompileThem() {
        ValidationResult result = validate("""
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      name:
                        type: string
                        regex: ^(?![0-9]+$)(?!-)[a-zA-Z0-9-]{,63}(?<!-)$
                        example: "123"
                        format: int32
                """, "spec:\n  name: '123'\n");

        assertThat(result.diagnostics()).isEmpty();
    }

    @Test
    void reportsAPatternThatIsNotRe2AsAPromiseErrorAndChecksTheRest() {
        ValidationResult result = validate("""
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      name: {type: string, pattern: '^(?!-)[a-z-]+$'}
                      size: {type: string, enum: [small]}
                """, "spec:\n  name: -x\n  size: big\n");

        assertThat(errors(result))
                .containsExactly(
                        ": cannot be fully checked: the API schema of Promise things is broken at"
                                + " openAPIV3Schema.properties.spec.properties.name.pattern: \"^(?!-)[a-z-]+$\" is not a"
                                + " valid RE2 regular expression (as Kubernetes requires): it uses lookaround"
                                + " (\"(?!\"), which RE2 does not support; fix the Promise (the rest of this request"
                                + " was checked without that rule)",
                        "spec.size: must be one of [small] but is \"big\"; change it to one of those values");
    }

    @Test
    void reportsMalformedKeywordsInsteadOfThrowing() {
        ValidationResult result = validate("""
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      a: {type: text}
                      b: {type: string, minLength: -1, pattern: 7}
                      c: {type: array, items: [{type: string}]}
                      d: {type: string, enum: small}
                      e: [not, a, schema]
                    required: true
                """, "spec:\n  a: x\n  b: y\n  c: [z]\n  d: small\n");

        assertThat(errors(result))
                .hasSize(7)
                .allSatisfy(
                        e -> assertThat(e).startsWith(": cannot be fully checked: the API schema of Promise things"));
    }

    @Test
    void validatesWithoutASchemaOnlyTheMetadata() {
        PromiseApi noSchema = new PromiseApi(
                api("type: object").gvk(),
                "things",
                true,
                java.util.Optional.empty(),
                yaml("kind: CustomResourceDefinition"));

        ValidationResult result = validator.validate(thing(HEADER + "spec: {any: thing}\n"), noSchema);

        assertThat(result.diagnostics()).isEmpty();
        assertThat(result.object().path("spec").path("any").asText()).isEqualTo("thing");
    }

    @Test
    void givesTheSameAnswerWhenASchemaIsReused() {
        PromiseApi api = api(SIZES);

        ValidationResult first = validator.validate(thing(HEADER + "spec:\n  size: medium\n"), api);
        ValidationResult second = validator.validate(thing(HEADER + "spec:\n  size: medium\n"), api);
        ValidationResult valid = validator.validate(thing(HEADER + "spec:\n  size: small\n"), api);

        assertThat(second.diagnostics()).isEqualTo(first.diagnostics()).hasSize(1);
        assertThat(valid.diagnostics()).isEmpty();
    }
}
