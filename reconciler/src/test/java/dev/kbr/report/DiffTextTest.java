package dev.kbr.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DiffTextTest {
    private static DiffText.Shown of(String text, boolean show) {
        return DiffText.of(text.getBytes(StandardCharsets.UTF_8), show);
    }

    @Test
    void redactsEveryDataAndStringDataValueOfSecretsOnly() {
        String file = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: plain}
                data: {colour: blue}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: creds}
                data: {token: aHVudGVyMg==}
                stringData:
                  password: hunter2
                """;
        String shown = ((DiffText.Text) of(file, false)).text();
        assertThat(shown)
                .doesNotContain("hunter2")
                .doesNotContain("aHVudGVyMg==")
                .contains("colour: blue")
                .contains("password: \"<redacted: 7 bytes, sha256 f52fbd32>\"")
                .contains("token: \"<redacted: 12 bytes, sha256 ");
        assertThat(((DiffText.Text) of(file, true)).text()).isEqualTo(file);
    }

    @Test
    void aChangedSecretValueStillShowsAsADifferentRedaction() {
        String before = "kind: Secret\nstringData: {password: one}\n";
        String after = "kind: Secret\nstringData: {password: two}\n";
        assertThat(((DiffText.Text) of(before, false)).text()).isNotEqualTo(((DiffText.Text) of(after, false)).text());
    }

    @Test
    void filesWithoutSecretsAreShownAsWritten() {
        String file = "apiVersion: v1\nkind: ConfigMap   # not reformatted\n";
        assertThat(((DiffText.Text) of(file, false)).text()).isEqualTo(file);
    }

    @Test
    void aSecretThatDoesNotParseIsHidden() {
        assertThat(of("kind: Secret\nstringData: {password: [unclosed\n", false))
                .isInstanceOf(DiffText.Hidden.class);
    }

    @Test
    void nonUtf8AndNulBytesAreBinary() {
        assertThat(DiffText.of(new byte[] {'c', 'a', 'f', (byte) 0xe9}, false)).isEqualTo(new DiffText.Binary(4));
        assertThat(DiffText.of(new byte[] {'a', 0, 'b'}, false)).isEqualTo(new DiffText.Binary(3));
    }
}
