package dev.kbr.state.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class KratixStateFileTest {
    private static String write(String... files) {
        return new String(KratixStateFile.write(List.of(files)), StandardCharsets.UTF_8);
    }

    @Test
    void writesABlockSequenceUnderFilesAsGoYamlV2Does() {
        assertThat(write("flat/fruit.yaml", "flat/resources/default-f1.yaml"))
                .isEqualTo("files:\n- flat/fruit.yaml\n- flat/resources/default-f1.yaml\n");
    }

    @Test
    void writesAnEmptyListInFlowStyle() {
        assertThat(write()).isEqualTo("files: []\n");
    }

    @Test
    void quotesPathsThatWouldReadBackAsSomethingElse() {
        assertThat(write("true", "123", "1.5", "0x1F", "2024-01-02", "null", "~", ""))
                .isEqualTo("files:\n- \"true\"\n- \"123\"\n- \"1.5\"\n- \"0x1F\"\n- \"2024-01-02\"\n- \"null\"\n"
                        + "- \"~\"\n- \"\"\n");
    }

    @Test
    void singleQuotesPathsThatCannotBePlain() {
        assertThat(write("a: b.yaml", "#x.yaml", "it's.yaml", "a #b", "- x", "ok-x.yaml", "a:b.yaml"))
                .isEqualTo("files:\n- 'a: b.yaml'\n- '#x.yaml'\n- it's.yaml\n- 'a #b'\n- '- x'\n- ok-x.yaml\n"
                        + "- a:b.yaml\n");
        assertThat(write("'x.yaml")).isEqualTo("files:\n- '''x.yaml'\n");
    }
}
