package dev.kbr.state.layout;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The {@code .kratix/<namespace>-<workPlacement>.yaml} file Kratix writes for every WorkPlacement
 * on a {@code filepath.mode: none} Destination, listing the paths it wrote so the next write can
 * delete those it no longer produces.
 *
 * <p>Kratix marshals {@code StateFile{Files []string}} with {@code gopkg.in/yaml.v2} ({@code
 * internal/controller/workplacement_controller.go}). yaml.v2 ignores the struct's {@code json}
 * tag and lower-cases the field name; the rest (a block sequence at the key's column, an empty
 * list as {@code []}, each path quoted only when yaml.v2 would quote it) is {@link KratixYaml}'s.
 */
public final class KratixStateFile {
    private KratixStateFile() {}

    /**
     * The file's bytes.
     *
     * @param files the paths written, in Work order, each as Kratix joins it: {@code
     *     <destination path>/<filepath>}
     */
    public static byte[] write(List<String> files) {
        ObjectNode stateFile = JsonNodeFactory.instance.objectNode();
        ArrayNode listed = stateFile.putArray("files");
        files.forEach(listed::add);
        return KratixYaml.write(stateFile);
    }
}
