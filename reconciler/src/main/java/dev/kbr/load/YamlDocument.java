package dev.kbr.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kbr.model.LineMap;
import dev.kbr.model.SourceLocation;
import java.util.Objects;

/**
 * One document of a YAML file, as a Jackson tree, with the lines of its fields.
 *
 * @param location file, document index and the line the document starts on
 * @param body the document; a {@code NullNode} for an empty document
 * @param lines line of every field, by YAML path
 */
public record YamlDocument(SourceLocation location, JsonNode body, LineMap lines) {
    public YamlDocument {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(lines, "lines");
    }

    /** The location of a field of this document (or of its nearest ancestor with a line). */
    public SourceLocation at(String path) {
        return location.atLine(lines.lineOf(path) > 0 ? lines.lineOf(path) : location.line());
    }
}
