package dev.kbr.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

/** The published JSON Schema of {@code --output json} (docs/schema/report-v1.schema.json). */
public final class ReportSchema {
    private static final Schema SCHEMA = load();

    private ReportSchema() {}

    private static Schema load() {
        try {
            String text = Files.readString(
                    SharedFiles.repoRoot().resolve("docs/schema/report-v1.schema.json"), StandardCharsets.UTF_8);
            return SchemaRegistry.withDefaultDialect(Dialects.getDraft202012()).getSchema(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails the test, listing every violation, unless {@code document} matches the schema. */
    public static void assertValid(JsonNode document) {
        List<Error> errors = SCHEMA.validate(document);
        assertThat(errors.stream().map(e -> e.getInstanceLocation() + ": " + e.getMessage()))
                .as("violations of docs/schema/report-v1.schema.json")
                .isEmpty();
    }
}
