package dev.kbr.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class QuantityTest {
    @Test
    void readsCpuQuantities() {
        assertThat(Quantity.parse("500m").orElseThrow().milli()).isEqualTo(500);
        assertThat(Quantity.parse("1.5").orElseThrow().milli()).isEqualTo(1500);
        assertThat(Quantity.parse("2").orElseThrow().nano()).isEqualTo(2_000_000_000L);
        assertThat(Quantity.parse("0.25").orElseThrow().nano()).isEqualTo(250_000_000L);
        assertThat(Quantity.parse("1e3").orElseThrow().value()).isEqualByComparingTo(BigDecimal.valueOf(1000));
        assertThat(Quantity.parse("5E-1").orElseThrow().milli()).isEqualTo(500);
    }

    @Test
    void readsMemoryQuantitiesInBinaryAndDecimalUnits() {
        assertThat(Quantity.parse("128Mi").orElseThrow().whole()).isEqualTo(128L * 1024 * 1024);
        assertThat(Quantity.parse("1G").orElseThrow().whole()).isEqualTo(1_000_000_000L);
        assertThat(Quantity.parse("1Gi").orElseThrow().whole()).isEqualTo(1L << 30);
        assertThat(Quantity.parse("64k").orElseThrow().whole()).isEqualTo(64_000L);
        assertThat(Quantity.parse("1.5Ki").orElseThrow().whole()).isEqualTo(1536L);
        assertThat(Quantity.parse("100").orElseThrow().whole()).isEqualTo(100L);
    }

    @Test
    void roundsFractionsUpAsKubernetesDoes() {
        assertThat(Quantity.parse("0.0001").orElseThrow().milli()).isEqualTo(1);
        assertThat(Quantity.parse("1500m").orElseThrow().whole()).isEqualTo(2);
    }

    @Test
    void rejectsWhatIsNotAQuantity() {
        for (String bad : new String[] {"", "abc", "-1", "1 Gi", "1GB", "1mi", "1e", "Mi", "1.2.3", "1e99"}) {
            assertThat(Quantity.parse(bad)).as(bad).isEmpty();
        }
    }

    @Test
    void keepsTheTextAsWritten() {
        assertThat(Quantity.parse("128Mi").orElseThrow()).hasToString("128Mi");
        assertThat(Quantity.parse("2")
                        .orElseThrow()
                        .exceeds(Quantity.parse("1500m").orElseThrow()))
                .isTrue();
    }
}
