package dev.kbr.pipeline.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageUserTest {
    @Test
    void isRootWhenUnsetOrRoot() {
        assertThat(ImageUser.parse(null)).isEqualTo(ImageUser.ROOT);
        assertThat(ImageUser.parse("")).isEqualTo(ImageUser.ROOT);
        assertThat(ImageUser.parse("root")).isEqualTo(ImageUser.ROOT);
        assertThat(ImageUser.parse("0:0")).isEqualTo(ImageUser.ROOT);
    }

    @Test
    void takesNumericUserAndGroup() {
        assertThat(ImageUser.parse("1000")).isEqualTo(new ImageUser(1000, 0));
        assertThat(ImageUser.parse("65532:65533")).isEqualTo(new ImageUser(65532, 65533));
    }

    @Test
    void fallsBackToRootForNames() {
        assertThat(ImageUser.parse("nonroot")).isEqualTo(ImageUser.ROOT);
        assertThat(ImageUser.parse("1000:staff")).isEqualTo(new ImageUser(1000, 0));
        assertThat(ImageUser.parse("99999999999999")).isEqualTo(ImageUser.ROOT);
    }
}
